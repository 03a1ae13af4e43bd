package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
	"signpost/internal/roundtrip"
)

var (
	_ flows.Store        = (*Store)(nil)
	_ flows.ContentStore = (*Store)(nil)
)

// ErrNotFound means the key asked about does not exist.
var ErrNotFound = errors.New("store: not found")

// Defaults applied by New to a zero Config.
const (
	DefaultPrefix       = "sp"
	DefaultSessionTTL   = 30 * 24 * time.Hour
	DefaultDedupeWindow = 24 * time.Hour
)

// Config tunes a Store. Its zero value is ready to use.
type Config struct {
	// Prefix starts every key. Default "sp". It must not contain '{' or '}',
	// which would move the hash tag away from the person.
	Prefix string
	// SessionTTL is the idle expiry of a person's keys, used when a Commit
	// carries no TTL of its own and by SetProfile. Default 30 days; negative
	// means the keys never expire.
	SessionTTL time.Duration
	// DedupeWindow is how long an update id is remembered. Default 24 hours,
	// the time Telegram keeps an undelivered update.
	DedupeWindow time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// WaitReplicas, when above zero, makes every commit wait until that
	// many replicas have it (Redis WAIT, for at most WaitTimeout, default
	// 500ms) and fail otherwise, so that a commit acknowledged survives
	// the master's death. For one server or a Sentinel set; not Cluster.
	WaitReplicas int
	WaitTimeout  time.Duration
}

// Store implements flows.Store and flows.ContentStore on Redis.
type Store struct {
	rdb     redis.UniversalClient
	keys    keyspace
	ttl     time.Duration // 0: no expiry
	window  time.Duration
	now     func() time.Time
	wait    int
	waitFor time.Duration
	events  *secretCache // the key of Pseudonym, once read
	hints   *refHints    // each person's references, to read ahead
	// cluster is whether rdb is a Redis Cluster client, where a person's
	// keys and the keys shared by everyone sit in different slots; a
	// single server and a Sentinel set's master are not.
	cluster bool
}

// New returns a Store on rdb. It panics if cfg.Prefix contains a brace, a
// mistake that would silently break Redis Cluster.
func New(rdb redis.UniversalClient, cfg Config) *Store {
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	if strings.ContainsAny(cfg.Prefix, "{}") {
		panic(fmt.Sprintf("store: prefix %q must not contain braces", cfg.Prefix))
	}
	switch {
	case cfg.SessionTTL == 0:
		cfg.SessionTTL = DefaultSessionTTL
	case cfg.SessionTTL < 0:
		cfg.SessionTTL = 0
	}
	if cfg.DedupeWindow <= 0 {
		cfg.DedupeWindow = DefaultDedupeWindow
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.WaitTimeout <= 0 {
		cfg.WaitTimeout = 500 * time.Millisecond
	}
	return &Store{
		rdb:     rdb,
		keys:    keyspace{prefix: cfg.Prefix},
		ttl:     cfg.SessionTTL,
		window:  cfg.DedupeWindow,
		now:     cfg.Now,
		wait:    cfg.WaitReplicas,
		waitFor: cfg.WaitTimeout,
		events:  &secretCache{},
		hints:   newRefHints(),
		cluster: isCluster(rdb),
	}
}

// isCluster reports whether rdb is a Redis Cluster client.
func isCluster(rdb redis.UniversalClient) bool {
	_, ok := rdb.(*redis.ClusterClient)
	return ok
}

// Load returns the person's session and its version in one round trip. A
// person with no session gets a zero Record and no error.
func (s *Store) Load(ctx context.Context, user int64) (flows.Record, error) {
	if v, ok := roundtrip.Of(ctx).Recall(memoSession(user)); ok {
		// Read with the person's referrals earlier in the update.
		raw, _ := v.([]byte)
		if raw == nil {
			return flows.Record{}, nil
		}
		rec, err := decodeSession(raw)
		if err != nil {
			return flows.Record{}, fmt.Errorf("load session %d: %w", user, err)
		}
		return rec, nil
	}
	raw, err := s.rdb.Get(ctx, s.keys.session(user)).Bytes()
	if errors.Is(err, redis.Nil) {
		return flows.Record{}, nil
	}
	if err != nil {
		return flows.Record{}, fmt.Errorf("load session %d: %w", user, err)
	}
	rec, err := decodeSession(raw)
	if err != nil {
		return flows.Record{}, fmt.Errorf("load session %d: %w", user, err)
	}
	return rec, nil
}

// decodeSession splits a stored "<version>:<data>" value.
func decodeSession(raw []byte) (flows.Record, error) {
	sep := bytes.IndexByte(raw, ':')
	if sep < 0 {
		return flows.Record{}, errors.New("session value has no version header")
	}
	v, err := strconv.ParseInt(string(raw[:sep]), 10, 64)
	if err != nil {
		return flows.Record{}, fmt.Errorf("session version: %w", err)
	}
	return flows.Record{Data: raw[sep+1:], Version: v}, nil
}

// Commit applies c in one atomic script: one round trip, except that an
// erasure (nil Session) first SCANs for the person's keys. It returns the new
// version (0 after an erasure), or flows.ErrConflict if the stored version is
// not c.Version, or flows.ErrDuplicate if c.UpdateID was applied within the
// dedupe window; in both cases nothing was written.
//
// c.TTL zero means the Store's SessionTTL; negative means no expiry. An
// erasure deletes the remembered update ids too, so that nothing of the person
// is left once the goodbye has been delivered; repeats of the erasing update
// itself are for the bot's own update_id check to drop.
func (s *Store) Commit(ctx context.Context, c flows.Commit) (int64, error) {
	// Whatever comes of it, a session read before is read again.
	roundtrip.Of(ctx).Drop(memoSession(c.User), memoRefs(c.User))
	erase := c.Session == nil || c.Erase
	keys := []string{
		s.keys.session(c.User),
		s.keys.outbox(c.User),
		s.keys.seen(c.User),
		s.keys.profile(c.User),
		s.keys.lease(c.User),
		s.keys.render(c.User),
	}
	var shared []string
	if erase {
		found, err := s.personKeys(ctx, c.User)
		if err != nil {
			return 0, fmt.Errorf("commit %d: find keys to erase: %w", c.User, err)
		}
		keys = appendMissing(keys, found)
		shared = s.webGlobalKeys(ctx, c.User)
	}

	now := s.now()
	args := make([]any, 0, 8+len(c.Outbox))
	args = append(args,
		c.Version,
		boolArg(erase),
		c.Session,
		firstVersion(now),
		millis(s.commitTTL(c.TTL)),
		c.UpdateID,
		now.UnixMilli(),
		millis(s.window),
		c.Lease.Owner,
		millis(c.Lease.TTL),
		max(1, c.Lease.Max),
	)
	// On one server (or a Sentinel's master) the commit marks its outbox
	// pending itself, sparing a script run; on Cluster the index lives in
	// another slot and is marked apart, just before, by runCommit.
	markApart := len(c.Outbox) > 0 && s.cluster
	if len(c.Outbox) > 0 && !s.cluster {
		keys = append(keys, s.pendingIndex(c.User))
		args = append(args, c.User)
	} else {
		args = append(args, "")
	}

	// The sending slots of what the commit adds are booked in the same
	// round trip. On one server the commit script books them itself, and
	// only when it leases the outbox: a refused commit books none. On a
	// Cluster the limits live in other slots and are booked beside the
	// commit, in the same pipeline; a try refused for a conflict keeps
	// its slots for the next.
	var bk *booking
	if c.Lease.Owner != "" && c.Lease.Book != nil && c.Slots > 0 && c.Booked.N == 0 {
		bk = s.newBooking(c.User, *c.Lease.Book, c.Slots)
	}
	inScript := bk != nil && !s.cluster
	if inScript {
		limits := bk.booked()
		keys = append(keys, bk.keys(limits...)...)
		args = append(args, len(limits))
		args = append(args, bk.args(limits...)...)
	} else {
		args = append(args, 0)
	}
	for _, e := range c.Outbox {
		args = append(args, e)
	}

	var ahead func()
	res, err := s.runCommit(ctx, c.User, markApart, keys, args, func(pipe redis.Pipeliner) {
		if bk != nil && !inScript {
			bk.into(ctx, pipe, s.cluster)
		}
		if !erase {
			ahead = s.readAhead(ctx, pipe, c.User, c.Effects)
		}
	})
	if ahead != nil {
		ahead()
	}
	booked := c.Booked
	if bk != nil && !inScript {
		// Slots that could not be booked are booked by the sender itself.
		if b, berr := bk.read(ctx, s); berr == nil {
			booked = b
		}
	}
	var (
		v       int64
		claimed flows.Claimed
		perr    error
	)
	if res != nil {
		// Read even when the commit is not on enough replicas, for the
		// slots it booked to be given back.
		var slots []string
		v, claimed, slots, perr = commitResult(res)
		if inScript && slots != nil {
			if b, berr := bk.fromScript(slots); berr == nil {
				booked = b
			}
		}
	}
	if err == nil {
		err = perr
	}
	if err != nil {
		s.giveBack(ctx, booked)
		return 0, fmt.Errorf("commit: %w", err)
	}
	switch {
	case v == commitConflict:
		claimed.Booked = booked // for the next try
	case v == commitDuplicate || !claimed.OK:
		// Nothing of this commit will be sent, or what it added will be
		// sent by the sender holding the outbox, who books its own slots.
		s.giveBack(ctx, booked)
	default:
		claimed.Booked = booked
	}
	if c.Claimed != nil {
		*c.Claimed = claimed
	}
	switch v {
	case commitConflict:
		return 0, flows.ErrConflict
	case commitDuplicate:
		return 0, flows.ErrDuplicate
	}
	if erase {
		s.forgetGlobal(ctx, c.User, shared...)
	}
	return v, nil
}

// giveBack gives back booked slots that will not be used. It is best
// effort: slots it fails to give back only delay the chat's next messages
// by as much, so the error is dropped.
func (s *Store) giveBack(ctx context.Context, b flows.Booked) {
	_ = s.GiveBack(ctx, b)
}

// ErrNotReplicated means a commit was written on the master but not yet
// on as many replicas as Config.WaitReplicas asks: it may be lost if the
// master dies now, so the caller treats it as failed (an update is then
// sent again by Telegram, and recognised if the write did survive).
var ErrNotReplicated = errors.New("store: not yet on enough replicas")

// pendingIndex is the index of pending outboxes a chat's outbox is marked
// in: a web visitor's in the web chat's own.
func (s *Store) pendingIndex(user int64) string {
	if flows.IsWeb(user) {
		return s.keys.webPending()
	}
	return s.keys.pending()
}

// runCommit runs the commit script in one round trip with what goes with
// it: before it, with mark, marking the outbox pending (a web visitor's in
// the web chat's own index), when the commit adds to it and cannot mark it
// itself;
// after it, Redis WAIT when commits must reach replicas (on the same
// connection, which is what WAIT counts). A script Redis has not loaded
// yet (after a restart) is sent again in full.
func (s *Store) runCommit(ctx context.Context, user int64, mark bool, keys []string, args []any, with func(redis.Pipeliner)) (any, error) {
	index := s.pendingIndex(user)
	run := func(mark, load bool) (idx, cmd, wait *redis.Cmd, err error) {
		pipe := s.rdb.Pipeline()
		after := func() error { return nil }
		if !load {
			after = s.withLater(ctx, pipe)
		}
		if mark {
			idx = indexScript.EvalSha(ctx, pipe, []string{index}, user)
		}
		if load {
			cmd = commitScript.Eval(ctx, pipe, keys, args...)
		} else {
			cmd = commitScript.EvalSha(ctx, pipe, keys, args...)
		}
		if s.wait > 0 {
			wait = pipe.Do(ctx, "WAIT", s.wait, s.waitFor.Milliseconds())
		}
		if with != nil && !load {
			with(pipe)
		}
		pipe.Exec(ctx)
		after()
		// What was sent with the commit answers for itself: only the
		// commit and what belongs to it decide.
		for _, c := range []*redis.Cmd{idx, cmd, wait} {
			if c != nil && c.Err() != nil {
				return idx, cmd, wait, c.Err()
			}
		}
		return idx, cmd, wait, nil
	}
	idx, cmd, wait, err := run(mark, false)
	if redis.HasErrorPrefix(err, "NOSCRIPT") {
		// Only what was refused is sent again: a commit that ran must not
		// run twice.
		if idx != nil && redis.HasErrorPrefix(idx.Err(), "NOSCRIPT") {
			if err := indexScript.Run(ctx, s.rdb, []string{index}, user).Err(); err != nil {
				return nil, err
			}
		}
		err = cmd.Err()
		if redis.HasErrorPrefix(err, "NOSCRIPT") {
			_, cmd, wait, err = run(false, true)
		}
	}
	if err != nil {
		return nil, err
	}
	if wait != nil {
		if n, err := wait.Int(); err != nil || n < s.wait {
			// The commit's answer goes with the error: what it booked is
			// given back.
			return cmd.Val(), fmt.Errorf("%w (%d of %d)", ErrNotReplicated, n, s.wait)
		}
	}
	return cmd.Result()
}

// commitResult reads the commit script's answer: a version or refusal code,
// what a lease took, and what the script answered for the sending limits
// it booked (nil when it booked none).
func commitResult(res any) (int64, flows.Claimed, []string, error) {
	switch r := res.(type) {
	case int64:
		return r, flows.Claimed{}, nil, nil
	case []any:
		if len(r) < 2 {
			break
		}
		v, _ := r[0].(int64)
		ok, _ := r[1].(int64)
		claimed := flows.Claimed{OK: ok == 1}
		if len(r) >= 4 {
			leased(&claimed, r[2], r[3])
		}
		var slots []string
		if len(r) == 5 {
			raw, _ := r[4].([]any)
			slots = make([]string, 0, len(raw))
			for _, x := range raw {
				str, _ := x.(string)
				slots = append(slots, str)
			}
		}
		return v, claimed, slots, nil
	}
	return 0, flows.Claimed{}, nil, fmt.Errorf("unexpected answer %v", res)
}

// forgetGlobal removes the person from the few keys shared by everyone,
// which cannot be in the erasing script: they live in another cluster slot.
func (s *Store) forgetGlobal(ctx context.Context, user int64, shared ...string) {
	s.rdb.SRem(ctx, s.keys.blocked(), strconv.FormatInt(user, 10))
	for _, k := range shared {
		s.rdb.Del(ctx, k) // one at a time: each may be in its own slot
	}
}

// commitTTL resolves a Commit's TTL against the Store's default; 0 means none.
func (s *Store) commitTTL(d time.Duration) time.Duration {
	switch {
	case d > 0:
		return d
	case d < 0:
		return 0
	default:
		return s.ttl
	}
}

// firstVersion is the version of a session written where none exists. It comes
// from the clock rather than starting at 1 so that a session created after an
// erasure does not reuse the versions of the one erased: a runner still holding
// a version read before the erasure then gets ErrConflict, not a stale write.
func firstVersion(now time.Time) int64 {
	return max(now.UnixMicro(), 1)
}

// Forget erases every key of the person at once, whatever their session's
// version. Keys written by someone else between its SCAN and its DEL survive;
// the runner's erasure through Commit has the same limit.
func (s *Store) Forget(ctx context.Context, user int64) error {
	roundtrip.Of(ctx).Drop(memoSession(user), memoRefs(user))
	s.hints.drop(user)
	shared := s.webGlobalKeys(ctx, user)
	found, err := s.personKeys(ctx, user)
	if err != nil {
		return fmt.Errorf("forget %d: %w", user, err)
	}
	keys := appendMissing([]string{
		s.keys.session(user),
		s.keys.outbox(user),
		s.keys.seen(user),
		s.keys.profile(user),
	}, found)
	// One DEL: every key carries the person's hash tag, so one cluster slot.
	if err := s.rdb.Del(ctx, keys...).Err(); err != nil {
		return fmt.Errorf("forget %d: %w", user, err)
	}
	s.forgetGlobal(ctx, user, shared...)
	return nil
}

// Pending returns the person's undelivered outbox entries, oldest first.
func (s *Store) Pending(ctx context.Context, user int64) ([][]byte, error) {
	vals, err := s.rdb.LRange(ctx, s.keys.outbox(user), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("pending %d: %w", user, err)
	}
	if len(vals) == 0 {
		return nil, nil
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = []byte(v)
	}
	return out, nil
}

// Ack removes the first n entries of the person's outbox. Acknowledging the
// whole list removes the key, as Redis does with an empty list.
func (s *Store) Ack(ctx context.Context, user int64, n int) error {
	if n <= 0 {
		return nil
	}
	if err := s.rdb.LTrim(ctx, s.keys.outbox(user), int64(n), -1).Err(); err != nil {
		return fmt.Errorf("ack %d of %d: %w", n, user, err)
	}
	return nil
}

// MemoryUsage returns what Redis reports for the person's session key, in
// bytes, value and key and bookkeeping together. A person with no session
// returns ErrNotFound.
func (s *Store) MemoryUsage(ctx context.Context, user int64) (int64, error) {
	n, err := s.rdb.MemoryUsage(ctx, s.keys.session(user), 0).Result()
	if errors.Is(err, redis.Nil) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("memory usage %d: %w", user, err)
	}
	return n, nil
}

// millis converts d for PX/PEXPIRE, never rounding a positive TTL down to
// "no expiry".
func millis(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return max(d.Milliseconds(), 1)
}

func boolArg(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// appendMissing appends the keys of extra not already in keys.
func appendMissing(keys, extra []string) []string {
	for _, k := range extra {
		dup := false
		for _, have := range keys {
			if have == k {
				dup = true
				break
			}
		}
		if !dup {
			keys = append(keys, k)
		}
	}
	return keys
}
