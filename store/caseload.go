package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/handoff"
)

// sep separates the fields of a stored summary; it never occurs in text
// people type, and encodeSummary removes it if it does.
const sep = "\x1f"

// Fields of a stored summary, in order.
const (
	sumRef = iota
	sumStatus
	sumPriority
	sumUrgent
	sumChannel
	sumCreated
	sumHolderID
	sumHolderName
	sumNeeds
	sumSource
	sumName
	sumPostcode
	sumLastFromPerson
	sumFields
)

// encodeSummary is a summary as the open-cases HASH holds it: fields joined
// by sep, times in Unix milliseconds, the reference first so that the values
// alone (HVALS) say everything. It is read ten thousand at a time, so it is
// cheaper to split than JSON is to decode, and a filter looks at the fields
// it needs before any is decoded.
func encodeSummary(s handoff.Summary) string {
	clean := func(v string) string { return strings.ReplaceAll(v, sep, " ") }
	urgent := "0"
	if s.Urgent {
		urgent = "1"
	}
	ms := func(t time.Time) string {
		if t.IsZero() {
			return "0"
		}
		return strconv.FormatInt(t.UnixMilli(), 10)
	}
	return strings.Join([]string{
		s.Ref, string(s.Status), string(s.Priority), urgent, string(s.Channel), ms(s.Created),
		strconv.FormatInt(s.Holder.ID, 10), clean(s.Holder.Name), clean(strings.Join(s.Needs, ",")),
		clean(s.Source), clean(s.Name), clean(s.Postcode), ms(s.LastFromPerson),
	}, sep)
}

// decodeSummary reads encodeSummary's form; ok is false for a value that
// does not have its fields.
func decodeSummary(team handoff.Team, v string) (handoff.Summary, bool) {
	f := strings.Split(v, sep)
	if len(f) != sumFields {
		return handoff.Summary{}, false
	}
	at := func(s string) time.Time {
		n, _ := strconv.ParseInt(s, 10, 64)
		if n == 0 {
			return time.Time{}
		}
		return time.UnixMilli(n).UTC()
	}
	holder, _ := strconv.ParseInt(f[sumHolderID], 10, 64)
	var needs []string
	if f[sumNeeds] != "" {
		needs = strings.Split(f[sumNeeds], ",")
	}
	return handoff.Summary{
		Ref: f[sumRef], Team: team, Status: handoff.Status(f[sumStatus]), Priority: handoff.Priority(f[sumPriority]),
		Urgent: f[sumUrgent] == "1", Channel: handoff.Channel(f[sumChannel]), Created: at(f[sumCreated]),
		Holder: handoff.Worker{ID: holder, Name: f[sumHolderName]}, Needs: needs, Source: f[sumSource],
		Name: f[sumName], Postcode: f[sumPostcode], LastFromPerson: at(f[sumLastFromPerson]),
	}, true
}

// field is the i-th field of a stored summary, found without splitting it.
func field(v string, i int) string {
	for ; i > 0; i-- {
		j := strings.Index(v, sep)
		if j < 0 {
			return ""
		}
		v = v[j+len(sep):]
	}
	if j := strings.Index(v, sep); j >= 0 {
		return v[:j]
	}
	return v
}

// matches applies f's status, need and source to a stored summary.
func matches(v string, f handoff.Filter) bool {
	if f.Status != "" && field(v, sumStatus) != string(f.Status) {
		return false
	}
	if f.Need != "" {
		found := false
		for n := range strings.SplitSeq(field(v, sumNeeds), ",") {
			if n == f.Need {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if f.Source != "" {
		if kind, _ := handoff.SourceOf(field(v, sumSource)); kind != f.Source {
			return false
		}
	}
	return true
}

// OpenMatching returns the summaries of team's open referrals that match
// f's status, need and source, in no order. It reads every open referral's
// summary in one round trip and decodes only those that match.
func (s *Store) OpenMatching(ctx context.Context, team handoff.Team, f handoff.Filter) ([]handoff.Summary, error) {
	vals, err := s.rdb.HVals(ctx, s.keys.open(string(team))).Result()
	if err != nil {
		return nil, fmt.Errorf("open cases of %s: %w", team, err)
	}
	var out []handoff.Summary
	for _, v := range vals {
		if !matches(v, f) {
			continue
		}
		if sum, ok := decodeSummary(team, v); ok {
			out = append(out, sum)
		}
	}
	return out, nil
}

// summaryScore orders open referrals in a team's openOrder: by priority rank,
// then creation. Ranks are 10^13 ms apart, past any Unix millisecond of this
// millennium, and the sum stays well inside a float64's exact integers. Ties
// of the same millisecond fall to the reference, as Redis orders members.
func summaryScore(s handoff.Summary) float64 {
	return float64(int64(s.Priority.Rank())*1e13 + s.Created.UnixMilli())
}

// OpenFirst returns the first n of team's open referrals, most pressing
// first (by priority, then oldest), and how many are open in all: two round
// trips however many there are.
func (s *Store) OpenFirst(ctx context.Context, team handoff.Team, n int) ([]handoff.Summary, int, error) {
	p := s.rdb.Pipeline()
	refs := p.ZRange(ctx, s.keys.openOrder(string(team)), 0, int64(n)-1)
	total := p.ZCard(ctx, s.keys.openOrder(string(team)))
	if _, err := p.Exec(ctx); err != nil {
		return nil, 0, fmt.Errorf("open cases of %s: %w", team, err)
	}
	if len(refs.Val()) == 0 {
		return nil, int(total.Val()), nil
	}
	vals, err := s.rdb.HMGet(ctx, s.keys.open(string(team)), refs.Val()...).Result()
	if err != nil {
		return nil, 0, fmt.Errorf("open cases of %s: %w", team, err)
	}
	out := make([]handoff.Summary, 0, len(vals))
	for i, v := range vals {
		if str, ok := v.(string); ok {
			if sum, ok := decodeSummary(team, str); ok && sum.Ref == refs.Val()[i] {
				out = append(out, sum)
			}
		}
	}
	return out, int(total.Val()), nil
}

// searchBatch is how many referrals a search reads a round trip.
const searchBatch = 500

// ReferralsMatching walks every referral, newest first, a batch a round
// trip, reading only its name and postcode, and returns up to limit whose
// name holds name (ignoring case) and whose postcode district is district.
func (s *Store) ReferralsMatching(ctx context.Context, name, district string, limit int) ([]string, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	district = strings.ToUpper(strings.TrimSpace(district))
	var out []string
	for start := int64(0); len(out) < limit; start += searchBatch {
		refs, err := s.rdb.ZRevRange(ctx, s.keys.allReferrals(), start, start+searchBatch-1).Result()
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if len(refs) == 0 {
			break
		}
		p := s.rdb.Pipeline()
		cmds := make([]*redis.SliceCmd, len(refs))
		for i, ref := range refs {
			cmds[i] = p.HMGet(ctx, s.keys.referral(ref), fName, fPostcode)
		}
		if _, err := p.Exec(ctx); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for i, c := range cmds {
			v := c.Val()
			n, _ := v[0].(string)
			pc, _ := v[1].(string)
			if name != "" && !strings.Contains(strings.ToLower(n), name) {
				continue
			}
			if district != "" && !sameDistrict(pc, district) {
				continue
			}
			if name == "" && district == "" {
				continue
			}
			out = append(out, refs[i])
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// sameDistrict compares the outward code a person gave with a district.
func sameDistrict(postcode, district string) bool {
	out, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(postcode)), " ")
	return out == district
}

// post is a stored Post.
type post struct {
	Chat    int64 `json:"c"`
	Message int64 `json:"m"`
	At      int64 `json:"t"`
}

// AddPost records a message shown about ref: with the next round trip of a
// work that defers writes.
func (s *Store) AddPost(ctx context.Context, ref string, p handoff.Post) error {
	if !validRef(ref) {
		return notFound(ref)
	}
	key, v := s.keys.referralPosts(ref), encodePost(p)
	if later(ctx, func(ctx context.Context, p redis.Pipeliner) { p.RPush(ctx, key, v) }) {
		return nil
	}
	return s.rdb.RPush(ctx, key, v).Err()
}

// encodePost is a Post as stored.
func encodePost(p handoff.Post) []byte {
	b, _ := json.Marshal(post{Chat: p.Chat, Message: p.Message, At: p.At.UnixMilli()})
	return b
}

// Posts returns the messages shown about ref, oldest first.
func (s *Store) Posts(ctx context.Context, ref string) ([]handoff.Post, error) {
	if !validRef(ref) {
		return nil, notFound(ref)
	}
	raw, err := s.rdb.LRange(ctx, s.keys.referralPosts(ref), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("posts of %s: %w", ref, err)
	}
	out := make([]handoff.Post, 0, len(raw))
	for _, v := range raw {
		var p post
		if json.Unmarshal([]byte(v), &p) == nil {
			out = append(out, handoff.Post{Chat: p.Chat, Message: p.Message, At: time.UnixMilli(p.At).UTC()})
		}
	}
	return out, nil
}

// audit is a stored AuditEntry.
type audit struct {
	At     int64  `json:"t"`
	Worker int64  `json:"w"`
	Name   string `json:"n,omitempty"`
	Action string `json:"a"`
	Via    string `json:"v,omitempty"`
}

// AddAudit appends to ref's audit trail: with the next round trip of a
// work that defers writes.
func (s *Store) AddAudit(ctx context.Context, ref string, a handoff.AuditEntry) error {
	if !validRef(ref) {
		return notFound(ref)
	}
	b, _ := json.Marshal(audit{At: a.At.UnixMilli(), Worker: a.Worker.ID, Name: a.Worker.Name, Action: string(a.Action), Via: a.Via})
	key := s.keys.referralAudit(ref)
	if later(ctx, func(ctx context.Context, p redis.Pipeliner) { p.RPush(ctx, key, b) }) {
		return nil // with the work's next round trip (see later.go)
	}
	return s.rdb.RPush(ctx, key, b).Err()
}

// auditShown is how many of the newest audit entries Audit returns: a case
// read every day for years keeps its whole trail in Redis, and a page shows
// the recent part.
const auditShown = 500

// Audit returns the newest auditShown entries of ref's audit trail, oldest
// first.
func (s *Store) Audit(ctx context.Context, ref string) ([]handoff.AuditEntry, error) {
	if !validRef(ref) {
		return nil, notFound(ref)
	}
	raw, err := s.rdb.LRange(ctx, s.keys.referralAudit(ref), -auditShown, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("audit of %s: %w", ref, err)
	}
	out := make([]handoff.AuditEntry, 0, len(raw))
	for _, v := range raw {
		var a audit
		if json.Unmarshal([]byte(v), &a) == nil {
			out = append(out, handoff.AuditEntry{At: time.UnixMilli(a.At).UTC(), Worker: handoff.Worker{ID: a.Worker, Name: a.Name}, Action: handoff.Action(a.Action), Via: a.Via})
		}
	}
	return out, nil
}

// knownWorker is a stored KnownWorker.
type knownWorker struct {
	ID       int64    `json:"id"`
	Name     string   `json:"n"`
	Username string   `json:"u,omitempty"`
	Teams    []string `json:"t,omitempty"`
	Seen     int64    `json:"s"`
}

// PutWorker records a worker as last seen. An empty username keeps the one
// known before: the console knows no @username. With a username, in a work
// that defers writes, it goes with the work's next round trip.
func (s *Store) PutWorker(ctx context.Context, k handoff.KnownWorker) error {
	id := strconv.FormatInt(k.ID, 10)
	if k.Username == "" {
		if old, ok, err := s.worker(ctx, id); err != nil {
			return err
		} else if ok {
			k.Username = old.Username
		}
	}
	w := knownWorker{ID: k.ID, Name: k.Name, Username: k.Username, Seen: k.Seen.UnixMilli()}
	for _, t := range k.Teams {
		w.Teams = append(w.Teams, string(t))
	}
	b, _ := json.Marshal(w)
	if k.Username != "" {
		// Nothing to read first: the worker and their handle go with the
		// work's next round trip, one after the other in one slot.
		workers, handles, handle := s.keys.workers(), s.keys.handles(), strings.ToLower(k.Username)
		if later(ctx, func(ctx context.Context, p redis.Pipeliner) {
			p.HSet(ctx, workers, id, b)
			p.HSet(ctx, handles, handle, id)
		}) {
			return nil
		}
	}
	p := s.rdb.TxPipeline()
	p.HSet(ctx, s.keys.workers(), id, b)
	if k.Username != "" {
		p.HSet(ctx, s.keys.handles(), strings.ToLower(k.Username), id)
	}
	if _, err := p.Exec(ctx); err != nil {
		return fmt.Errorf("put worker %d: %w", k.ID, err)
	}
	return nil
}

func (s *Store) worker(ctx context.Context, id string) (handoff.KnownWorker, bool, error) {
	v, err := s.rdb.HGet(ctx, s.keys.workers(), id).Result()
	if errors.Is(err, redis.Nil) {
		return handoff.KnownWorker{}, false, nil
	}
	if err != nil {
		return handoff.KnownWorker{}, false, fmt.Errorf("worker %s: %w", id, err)
	}
	k, ok := decodeWorker(v)
	return k, ok, nil
}

func decodeWorker(v string) (handoff.KnownWorker, bool) {
	var w knownWorker
	if err := json.Unmarshal([]byte(v), &w); err != nil || w.ID == 0 {
		return handoff.KnownWorker{}, false
	}
	k := handoff.KnownWorker{Worker: handoff.Worker{ID: w.ID, Name: w.Name}, Username: w.Username, Seen: time.UnixMilli(w.Seen).UTC()}
	for _, t := range w.Teams {
		k.Teams = append(k.Teams, handoff.Team(t))
	}
	return k, true
}

// Workers lists every worker seen.
func (s *Store) Workers(ctx context.Context) ([]handoff.KnownWorker, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.workers()).Result()
	if err != nil {
		return nil, fmt.Errorf("workers: %w", err)
	}
	out := make([]handoff.KnownWorker, 0, len(m))
	for _, v := range m {
		if k, ok := decodeWorker(v); ok {
			out = append(out, k)
		}
	}
	return out, nil
}

// WorkerByHandle finds a worker by @username, lower case without the @.
func (s *Store) WorkerByHandle(ctx context.Context, handle string) (handoff.KnownWorker, bool, error) {
	id, err := s.rdb.HGet(ctx, s.keys.handles(), handle).Result()
	if errors.Is(err, redis.Nil) {
		return handoff.KnownWorker{}, false, nil
	}
	if err != nil {
		return handoff.KnownWorker{}, false, fmt.Errorf("handle %s: %w", handle, err)
	}
	return s.worker(ctx, id)
}
