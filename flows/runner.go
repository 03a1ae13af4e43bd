package flows

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"signpost/content"
	"signpost/content/directory"
)

// Config tunes a Runner. Zero values mean the documented defaults.
type Config struct {
	// Contents keeps content bundles so that sessions pinned to an older
	// version can finish on it. Nil: every session runs on the current bundle.
	Contents ContentStore
	// SessionTTL is how long an idle session is kept. Default 30 days.
	SessionTTL time.Duration
	// MaxAttempts bounds the load-step-commit retries on a write conflict. Default 100.
	MaxAttempts int
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Nonce returns a fresh run id of content.NonceLen characters. Default: crypto/rand.
	Nonce func() string
	// Logger receives ids and event names, never what people wrote. Default slog.Default().
	Logger *slog.Logger
	// Local holds the council's own numbers that risk responses name
	// (council_housing_ooh, children_front_door); nil names none.
	Local map[string]string
	// Directory replaces the built-in directory of local services in every
	// bundle, the current one and those sessions are pinned to. Nil keeps it.
	Directory *directory.Directory
	// Facts are the settings messages quote (content.DefaultFacts), set in
	// every bundle like Directory. Nil keeps the defaults.
	Facts map[string]string
	// Hours says whether the service's team is at work at t and, when it is
	// not, when it next opens (ok false: no opening ahead); the runner
	// writes it on every event (Event.Closed, Event.Opens). Nil: the team
	// is taken to be at work.
	Hours func(t time.Time) (open bool, opens time.Time, ok bool)
}

// Runner applies events to sessions held in a Store: load, Step, commit the
// new session and its outbox in one atomic write, and on a conflict load and
// step again. It is safe for concurrent use.
type Runner struct {
	store   Store
	current *content.Bundle
	cfg     Config

	mu      sync.Mutex
	bundles map[string]*content.Bundle

	// decoded keeps the sessions this runner wrote last, so that the next
	// event of the same person does not decode what it just encoded.
	decoded decoded
}

// NewRunner returns a runner on store that starts new conversations on bundle b.
func NewRunner(store Store, b *content.Bundle, cfg Config) *Runner {
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 30 * 24 * time.Hour
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 100
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Nonce == nil {
		cfg.Nonce = RandomNonce
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Directory != nil {
		b.Directory = cfg.Directory
	}
	if cfg.Facts != nil {
		b.Facts = cfg.Facts
	}
	return &Runner{store: store, current: b, cfg: cfg, bundles: map[string]*content.Bundle{b.Version: b}}
}

// hours writes on ev whether the team is at work at now, and when it opens.
func (r *Runner) hours(ev Event, now time.Time) Event {
	if r.cfg.Hours == nil {
		return ev
	}
	open, opens, ok := r.cfg.Hours(now)
	ev.Closed, ev.Opens = !open, time.Time{}
	if !open && ok {
		ev.Opens = opens
	}
	return ev
}

// Content returns the bundle new conversations start on.
func (r *Runner) Content() *content.Bundle { return r.current }

// Publish stores the current bundle in the content store, so that replicas
// deployed later can finish the sessions that start on it.
func (r *Runner) Publish(ctx context.Context) error {
	if r.cfg.Contents == nil {
		return nil
	}
	blob, err := r.current.Encode()
	if err != nil {
		return err
	}
	return r.cfg.Contents.PutContent(ctx, r.current.Version, blob)
}

// Handle applies ev to the person's session and returns the outbox entries
// it committed. A repeated update returns ErrDuplicate and commits nothing.
func (r *Runner) Handle(ctx context.Context, user int64, ev Event) ([]Out, error) {
	out, _, err := r.HandleClaim(ctx, user, ev, Lease{})
	return out, err
}

// HandleClaim is Handle that also leases the person's outbox to lease.Owner
// in the same write, for a sender to deliver at once what was committed.
func (r *Runner) HandleClaim(ctx context.Context, user int64, ev Event, lease Lease) ([]Out, Claimed, error) {
	if ev.Nonce == "" {
		ev.Nonce = r.cfg.Nonce()
	}
	var booked Booked // kept from a try refused for a conflict
	for attempt := 1; attempt <= r.cfg.MaxAttempts; attempt++ {
		claimed := Claimed{Booked: booked}
		out, err := r.try(ctx, user, ev, lease, &claimed)
		if errors.Is(err, ErrConflict) {
			booked = claimed.Booked
			continue
		}
		if err != nil {
			return nil, Claimed{}, err
		}
		return out, claimed, nil
	}
	return nil, Claimed{}, fmt.Errorf("handle event for %d: %w after %d attempts", user, ErrConflict, r.cfg.MaxAttempts)
}

// try is one load, step and compare-and-set commit.
func (r *Runner) try(ctx context.Context, user int64, ev Event, lease Lease, claimed *Claimed) ([]Out, error) {
	rec, err := r.store.Load(ctx, user)
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	s := Session{User: user}
	if kept, ok := r.decoded.get(user, rec.Data); ok && rec.Data != nil {
		s = kept
	} else if rec.Data != nil {
		if s, err = DecodeSession(rec.Data); err != nil {
			// A session that cannot be read is replaced rather than
			// leaving the person stuck; the log says so.
			r.cfg.Logger.Error("session unreadable, starting afresh", "user", user, "err", err)
			s = Session{User: user}
		}
	}
	b := r.bundle(ctx, s)
	if ev.Local == nil {
		ev.Local = r.cfg.Local
	}
	now := r.cfg.Now()
	res := Step(b, s, r.hours(ev, now), now)

	c := Commit{User: user, Version: rec.Version, UpdateID: ev.UpdateID, TTL: r.cfg.SessionTTL, Lease: lease}
	if lease.Owner != "" {
		c.Claimed = claimed
		c.Booked = claimed.Booked
		if lease.Book != nil && lease.Book.Sends != nil && c.Booked.N == 0 {
			c.Slots = lease.Book.Sends(res.Out)
		}
	}
	c.Erase = res.Erase
	if !res.Erase || res.Session.Young {
		if c.Session, err = res.Session.Encode(); err != nil {
			return nil, err
		}
	}
	if c.Outbox, err = encodeOuts(res.Out); err != nil {
		return nil, err
	}
	for _, o := range res.Out {
		if o.Kind == OutEffect && o.Effect != nil {
			c.Effects = append(c.Effects, *o.Effect)
		}
	}
	if _, err := r.store.Commit(ctx, c); err != nil {
		return nil, err
	}
	if c.Session != nil {
		r.decoded.put(user, c.Session, res.Session)
	} else {
		r.decoded.drop(user)
	}
	claimed.decode(c.Outbox, res.Out)
	if r.cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		r.cfg.Logger.Debug("step", "user", user, "event", ev.Kind, "node", res.Session.Node, "out", len(res.Out), "erase", res.Erase)
	}
	return res.Out, nil
}

// bundle returns the content a session is pinned to: the current bundle for
// a new or finished run, else the version it started on, fetched from the
// content store once and kept.
func (r *Runner) bundle(ctx context.Context, s Session) *content.Bundle {
	if !s.Active() || s.Content == "" {
		return r.current
	}
	r.mu.Lock()
	b, ok := r.bundles[s.Content]
	r.mu.Unlock()
	if ok {
		return b
	}
	if r.cfg.Contents == nil {
		return r.current
	}
	blob, err := r.cfg.Contents.GetContent(ctx, s.Content)
	if err == nil {
		b, err = content.Decode(blob)
	}
	if err != nil {
		// Step copes with a question the current content lacks by starting afresh.
		r.cfg.Logger.Warn("pinned content unavailable, using current", "user", s.User, "content", s.Content, "err", err)
		return r.current
	}
	if r.cfg.Directory != nil {
		b.Directory = r.cfg.Directory
	}
	b.Facts = r.cfg.Facts
	r.mu.Lock()
	r.bundles[s.Content] = b
	r.mu.Unlock()
	return b
}

// Pending returns the person's undelivered outbox entries, oldest first.
func (r *Runner) Pending(ctx context.Context, user int64) ([]Out, error) {
	raw, err := r.store.Pending(ctx, user)
	if err != nil {
		return nil, err
	}
	out := make([]Out, 0, len(raw))
	for _, data := range raw {
		var o Out
		if err := json.Unmarshal(data, &o); err != nil {
			return nil, fmt.Errorf("decode outbox entry: %w", err)
		}
		out = append(out, o)
	}
	return out, nil
}

// Ack removes the first n outbox entries once they were delivered.
func (r *Runner) Ack(ctx context.Context, user int64, n int) error {
	return r.store.Ack(ctx, user, n)
}

// RandomNonce returns content.NonceLen random characters from a-z and 2-7.
func RandomNonce() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	var b [content.NonceLen]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return string(b[:])
}

// Session returns the person's current session; a person with none gets a
// zero Session for user.
func (r *Runner) Session(ctx context.Context, user int64) (Session, error) {
	rec, err := r.store.Load(ctx, user)
	if err != nil || rec.Data == nil {
		return Session{User: user}, err
	}
	return r.Decode(user, rec.Data)
}

// Decode is DecodeSession of the person's stored session, data, which
// costs nothing when it is what this runner wrote last for them. The
// session is the caller's to change.
func (r *Runner) Decode(user int64, data []byte) (Session, error) {
	if s, ok := r.decoded.get(user, data); ok {
		// A copy as decoding makes it: none stays none.
		if s.Answers != nil {
			s.Answers = copyMap(s.Answers)
		}
		s.History = slices.Clone(s.History)
		s.Picked = slices.Clone(s.Picked)
		return s, nil
	}
	return DecodeSession(data)
}
