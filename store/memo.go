package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
	"signpost/handoff"
	"signpost/internal/roundtrip"
)

// What one update read, kept in its roundtrip.Work so that reading it again
// in the same update costs no round trip. A person's message that may be
// for their case reads their referrals, their session and their referrals'
// records once each, whoever asks (the case, the conversation, the
// rendering of the notices), and a write drops what it changes or keeps
// what it wrote. Nothing outlives the update: the next one reads afresh.
func memoSession(user int64) string  { return "session:" + strconv.FormatInt(user, 10) }
func memoRefs(user int64) string     { return "refs:" + strconv.FormatInt(user, 10) }
func memoReferral(ref string) string { return "referral:" + ref }
func memoMark(id int64) string       { return "mark:" + strconv.FormatInt(id, 10) }
func memoEffect(key string) string   { return "effect:" + key }

// glanceScript reads, in the person's own hash slot and in one round trip,
// what a private message needs before anything is decided: the person's
// references, newest first, and their session; and when they have a
// referral, it marks the update as seen for their case (member "r:<id>" of
// their seen ZSET, apart from the conversation's own update ids), as the
// first step of passing it on once.
//
// KEYS[1] the person's referrals (ZSET), KEYS[2] their session, KEYS[3] their seen ZSET
// ARGV[1] the update id, "0" for none; ARGV[2] now, Unix ms; ARGV[3] the dedupe window, ms
//
// Returns {references, the session value or "", 1 if the update is new
// for the case, 0 if it was seen within the window, -1 if not asked}.
var glanceScript = redis.NewScript(`
local refs = redis.call('ZREVRANGE', KEYS[1], 0, -1)
local session = redis.call('GET', KEYS[2])
local fresh = -1
if ARGV[1] ~= '0' and #refs > 0 then
  local m = 'r:' .. ARGV[1]
  local now = tonumber(ARGV[2])
  local at = redis.call('ZSCORE', KEYS[3], m)
  if at and tonumber(at) > now - tonumber(ARGV[3]) then
    fresh = 0
  else
    redis.call('ZADD', KEYS[3], now, m)
    if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[3]) then
      redis.call('PEXPIRE', KEYS[3], ARGV[3])
    end
    fresh = 1
  end
end
return {refs, session or '', fresh}
`)

// glance reads the person's references and session in one round trip and
// keeps both, with whether the update in hand is new for their case. The
// records of the referrals the person had when last seen (refHints) are
// read in the same round trip and kept, so that finding their open case
// costs no second one.
//
// with, when not nil, adds to the same round trip a command of the
// caller's, which sees its answer once glance returns (whatever glance
// returns).
func (s *Store) glance(ctx context.Context, w *roundtrip.Work, user int64, with ...func(redis.Pipeliner)) ([]string, error) {
	id := w.Update()
	keys := []string{s.keys.personReferrals(user), s.keys.session(user), s.keys.seen(user)}
	args := []any{id, s.now().UnixMilli(), s.window.Milliseconds()}
	var ahead []string
	for _, ref := range s.hints.get(user) {
		if _, ok := knownReferral(ctx, ref); !ok && validRef(ref) {
			ahead = append(ahead, ref)
		}
	}
	var cmd *redis.Cmd
	reads := make([]*redis.MapStringStringCmd, len(ahead))
	if len(ahead) == 0 && len(with) == 0 {
		cmd = glanceScript.Run(ctx, s.rdb, keys, args...)
	} else {
		pipe := s.rdb.Pipeline()
		cmd = glanceScript.EvalSha(ctx, pipe, keys, args...)
		for i, ref := range ahead {
			reads[i] = pipe.HGetAll(ctx, s.keys.referral(ref))
		}
		for _, fn := range with {
			fn(pipe)
		}
		pipe.Exec(ctx)
		if redis.HasErrorPrefix(cmd.Err(), "NOSCRIPT") {
			cmd = glanceScript.Run(ctx, s.rdb, keys, args...)
		}
	}
	res, err := cmd.Slice()
	if err != nil {
		return nil, fmt.Errorf("referrals of %d: %w", user, err)
	}
	if len(res) != 3 {
		return nil, fmt.Errorf("referrals of %d: %d values from the script", user, len(res))
	}
	raw, _ := res[0].([]any)
	refs := make([]string, 0, len(raw))
	for _, r := range raw {
		if ref, ok := r.(string); ok {
			refs = append(refs, ref)
		}
	}
	var session []byte
	if v, _ := res[1].(string); v != "" {
		session = []byte(v)
	}
	w.Keep(memoRefs(user), refs)
	w.Keep(memoSession(user), session)
	if fresh, _ := res[2].(int64); fresh >= 0 {
		w.Keep(memoMark(id), fresh == 1)
	}
	for i, ref := range ahead {
		if m, err := reads[i].Result(); err == nil {
			keepReferral(w, ref, m)
		}
	}
	s.hints.set(user, refs)
	return slices.Clone(refs), nil
}

// known is a referral's record as read (or written) earlier in the work,
// and the referral it holds, decoded once however often it is asked for.
type known struct {
	m    map[string]string
	once sync.Once
	r    handoff.Referral
}

// referral is a copy of the referral k holds, for the caller to change.
func (k *known) referral() handoff.Referral {
	k.once.Do(func() { k.r = decodeReferral(k.m) })
	return cloneReferral(k.r)
}

// keepReferral keeps m as ref's record for the rest of the work.
func keepReferral(w *roundtrip.Work, ref string, m map[string]string) {
	w.Keep(memoReferral(ref), &known{m: m})
}

// knownOf is ref's record as read earlier in the work.
func knownOf(ctx context.Context, ref string) (*known, bool) {
	v, ok := roundtrip.Of(ctx).Recall(memoReferral(ref))
	if !ok {
		return nil, false
	}
	k, ok := v.(*known)
	return k, ok
}

// knownReferral is a referral's record as read earlier in the update.
func knownReferral(ctx context.Context, ref string) (map[string]string, bool) {
	k, ok := knownOf(ctx, ref)
	if !ok {
		return nil, false
	}
	return k.m, true
}

// casReferralScript writes a referral read earlier in the update, if it
// is still as read: the compare-and-set that WATCH gives UpdateReferral,
// without WATCH's round trips. It reads the fields in one HMGET and
// writes only what changed, so a change of one field costs Redis little
// however many the referral has.
//
// KEYS[1] the referral (HASH), KEYS[2] its history (LIST)
// ARGV[1] n, the fields read; ARGV[2 … 1+n] their names; ARGV[2+n … 1+2n]
// their values as read; then m, the fields to set, and m field, value
// pairs; then d, the fields to remove, and their d names; then events to
// append.
//
// Returns 1 once written, 0 if the referral is not as read (nothing written).
var casReferralScript = redis.NewScript(`
local n = tonumber(ARGV[1])
if redis.call('HLEN', KEYS[1]) ~= n then
  return 0
end
if n > 0 then
  local cur = redis.call('HMGET', KEYS[1], unpack(ARGV, 2, 1 + n))
  for i = 1, n do
    if cur[i] ~= ARGV[1 + n + i] then
      return 0
    end
  end
end
local j = 2 + 2 * n
local m = tonumber(ARGV[j])
if m > 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV, j + 1, j + 2 * m))
end
local k = j + 2 * m + 1
local d = tonumber(ARGV[k])
if d > 0 then
  redis.call('HDEL', KEYS[1], unpack(ARGV, k + 1, k + d))
end
local e = k + d + 1
if e <= #ARGV then
  redis.call('RPUSH', KEYS[2], unpack(ARGV, e, #ARGV))
end
return 1
`)

// casArgs are casReferralScript's arguments for a referral read as m and
// written as fields, with events to append.
func casArgs(m, fields map[string]string, events []any) []any {
	n := len(m)
	args := make([]any, 1+2*n, 3+2*n+2*len(fields)+len(events))
	args[0] = n
	i := 1
	for k, v := range m {
		args[i], args[i+n] = k, v
		i++
	}
	var set int
	mark := len(args)
	args = append(args, 0)
	for k, v := range fields {
		if was, ok := m[k]; !ok || was != v {
			args = append(args, k, v)
			set++
		}
	}
	args[mark] = set
	mark = len(args)
	args = append(args, 0)
	var del int
	for k := range m {
		if _, ok := fields[k]; !ok {
			args = append(args, k)
			del++
		}
	}
	args[mark] = del
	return append(args, events...)
}

// errStale is a referral that changed since the update read it.
var errStale = errors.New("store: referral changed since read")

// updateKnown is UpdateReferral on a referral read earlier in the update:
// the change and the caseload indexes it calls for go in one round trip,
// the change on condition that the referral is still as read. If it was not
// (another writer came between), nothing of the referral is written, the
// indexes are brought back in line with what is stored, and errStale says
// to go the long way. A change that scrubs the history goes the long way
// at once, as it must read the history.
func (s *Store) updateKnown(ctx context.Context, ref string, k *known, fn func(*handoff.Referral) (handoff.Change, error)) (handoff.Referral, error) {
	m := k.m
	old := k.referral()
	cur := cloneReferral(old)
	ch, err := fn(&cur)
	if err != nil {
		return handoff.Referral{}, err
	}
	if ch.Scrub {
		return handoff.Referral{}, errStale
	}
	fields := encodeReferral(cur)
	if maps.Equal(m, fields) && len(ch.Events) == 0 {
		if err := s.reindex(ctx, &old, cur); err != nil {
			return handoff.Referral{}, fmt.Errorf("update referral %s: %w", ref, err)
		}
		return cur, nil
	}
	events := make([]any, 0, len(ch.Events))
	for _, e := range ch.Events {
		v, err := encodeEvent(e)
		if err != nil {
			return handoff.Referral{}, err
		}
		events = append(events, v)
	}
	args := casArgs(m, fields, events)
	p := s.rdb.Pipeline()
	after := s.withLater(ctx, p)
	held := p.Len()
	cas := casReferralScript.EvalSha(ctx, p, []string{s.keys.referral(ref), s.keys.referralHistory(ref)}, args...)
	// The indexes follow the change in the same round trip; should the
	// change be refused, they are mended below.
	s.reindexInto(ctx, p, &old, cur)
	cmds, _ := p.Exec(ctx)
	after()
	err = firstErr(cmds[held:]) // the held answer for themselves
	w := roundtrip.Of(ctx)
	if n, cerr := cas.Int(); cerr == nil && n == 1 {
		if err != nil {
			return handoff.Referral{}, fmt.Errorf("update referral %s: index: %w", ref, err)
		}
		keepReferral(w, ref, fields)
		return cur, nil
	}
	w.Drop(memoReferral(ref))
	if err != nil && !redis.HasErrorPrefix(err, "NOSCRIPT") {
		return handoff.Referral{}, fmt.Errorf("update referral %s: %w", ref, err)
	}
	// Not written: the indexes may now say what the referral does not.
	stored, rerr := s.readReferral(ctx, ref)
	if rerr == nil {
		rerr = s.reindex(ctx, &cur, stored)
	}
	if rerr != nil && !errors.Is(rerr, handoff.ErrNotFound) {
		return handoff.Referral{}, fmt.Errorf("update referral %s: mend the indexes: %w", ref, rerr)
	}
	return handoff.Referral{}, errStale
}

// readAhead adds to p, a commit's round trip, the reads that running
// effects will need, and returns what keeps their answers in the work of
// ctx: where each effect with a key went (EffectRef), and the person's
// references with the records of those this replica knows of (as glance
// reads them), so that the delivery that runs the effects, which starts
// from what the update knew, reads none of it again. It reads nothing for
// a commit without such effects.
func (s *Store) readAhead(ctx context.Context, p redis.Pipeliner, user int64, effects []flows.Effect) func() {
	w := roundtrip.Of(ctx)
	if w == nil {
		return nil
	}
	gets := map[string]*redis.StringCmd{}
	for _, e := range effects {
		if e.Key != "" && e.User == user {
			gets[e.Key] = p.Get(ctx, s.keys.effect(e.Key))
		}
	}
	if len(gets) == 0 {
		return nil
	}
	refs := p.ZRevRange(ctx, s.keys.personReferrals(user), 0, -1)
	var ahead []string
	var reads []*redis.MapStringStringCmd
	for _, ref := range s.hints.get(user) {
		if _, ok := knownReferral(ctx, ref); !ok && validRef(ref) {
			ahead = append(ahead, ref)
			reads = append(reads, p.HGetAll(ctx, s.keys.referral(ref)))
		}
	}
	return func() {
		for key, g := range gets {
			if ref, err := g.Result(); err == nil || errors.Is(err, redis.Nil) {
				w.Keep(memoEffect(key), ref)
			}
		}
		if rs, err := refs.Result(); err == nil {
			w.Keep(memoRefs(user), rs)
			s.hints.set(user, rs)
		}
		for i, ref := range ahead {
			if m, err := reads[i].Result(); err == nil {
				keepReferral(w, ref, m)
			}
		}
	}
}
