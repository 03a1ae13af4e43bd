package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/handoff"
	"signpost/internal/roundtrip"
)

// ErrLeaseLost means another sender took over a person's outbox: the work
// done under the lost lease is not acknowledged and will be delivered again.
var ErrLeaseLost = errors.New("store: delivery lease lost")

// claimScript leases a person's outbox to one sender and reads it.
//
// KEYS[1] lease (STRING owner)   KEYS[2] outbox (LIST)   KEYS[3] render (HASH)
// ARGV[1] owner   ARGV[2] lease in milliseconds   ARGV[3] most entries to read
// ARGV[4] entries to acknowledge first, while owner still holds the lease
// (absent: none)
//
// Returns 0 when another sender holds the lease; otherwise a two-element
// array: the entries (possibly none, and then the lease is dropped) and the
// render hash as a flat field/value list.
var claimScript = redis.NewScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return 0
end
local ack = tonumber(ARGV[4] or '0')
if holder and ack > 0 then
  redis.call('LTRIM', KEYS[2], ack, -1)
end
local entries = redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[3]) - 1)
if #entries == 0 then
  redis.call('DEL', KEYS[1])
  return {entries, {}}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {entries, redis.call('HGETALL', KEYS[3])}
`)

// finishScript acknowledges delivered entries, saves the render state and
// keeps the lease only while more entries wait.
//
// KEYS[1] lease   KEYS[2] outbox   KEYS[3] render
// ARGV[1] owner   ARGV[2] entries delivered   ARGV[3] lease in ms, or 0 to
// let the lease go whatever is left   ARGV[4] render TTL in ms (0: none)
// ARGV[5…] render field/value pairs
//
// Returns the number of entries still waiting, or -1 if the lease was lost.
var finishScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
local n = tonumber(ARGV[2])
if n > 0 then
  redis.call('LTRIM', KEYS[2], n, -1)
end
if #ARGV > 4 then
  redis.call('HSET', KEYS[3], unpack(ARGV, 5))
  if tonumber(ARGV[4]) > 0 then
    redis.call('PEXPIRE', KEYS[3], ARGV[4])
  end
end
local left = redis.call('LLEN', KEYS[2])
if left == 0 or ARGV[3] == '0' then
  redis.call('DEL', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return left
`)

// Claim leases the person's outbox to owner for lease and returns up to max
// entries, oldest first, and the render state. ok is false when another
// owner holds the lease; no entries with ok true means nothing waits.
func (s *Store) Claim(ctx context.Context, user int64, owner string, lease time.Duration, max int) (entries [][]byte, state map[string]string, ok bool, err error) {
	return s.ClaimAhead(ctx, user, owner, lease, max, 0, nil)
}

// ClaimAhead is Claim that first acknowledges ack entries the owner's
// last claim took, if owner still holds the lease (if it lapsed, they are
// claimed again), and also reads the referrals named by ahead (those of
// the cards a group's entries show) in the same round trip, just before
// the entries are sent, and keeps them for the work of ctx, which then
// reads them no more.
func (s *Store) ClaimAhead(ctx context.Context, user int64, owner string, lease time.Duration, max, ack int, ahead []string) (entries [][]byte, state map[string]string, ok bool, err error) {
	keys := []string{s.keys.lease(user), s.keys.outbox(user), s.keys.render(user)}
	w := roundtrip.Of(ctx)
	var refs []string
	for _, ref := range ahead {
		if _, ok := knownReferral(ctx, ref); !ok && validRef(ref) && w != nil {
			refs = append(refs, ref)
		}
	}
	var cmd *redis.Cmd
	if len(refs) == 0 {
		cmd = claimScript.Run(ctx, s.rdb, keys, owner, millis(lease), max, ack)
	} else {
		p := s.rdb.Pipeline()
		cmd = claimScript.EvalSha(ctx, p, keys, owner, millis(lease), max, ack)
		reads := make([]*redis.MapStringStringCmd, len(refs))
		for i, ref := range refs {
			reads[i] = p.HGetAll(ctx, s.keys.referral(ref))
		}
		p.Exec(ctx)
		if redis.HasErrorPrefix(cmd.Err(), "NOSCRIPT") {
			cmd = claimScript.Run(ctx, s.rdb, keys, owner, millis(lease), max, ack)
		}
		for i, ref := range refs {
			if m, err := reads[i].Result(); err == nil {
				keepReferral(w, ref, m)
			}
		}
	}
	res, err := cmd.Result()
	if err != nil {
		return nil, nil, false, fmt.Errorf("claim outbox: %w", err)
	}
	parts, isArr := res.([]any)
	if !isArr || len(parts) != 2 {
		return nil, nil, false, nil
	}
	list, _ := parts[0].([]any)
	for _, e := range list {
		str, _ := e.(string)
		entries = append(entries, []byte(str))
	}
	flat, _ := parts[1].([]any)
	state = make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		k, _ := flat[i].(string)
		v, _ := flat[i+1].(string)
		state[k] = v
	}
	return entries, state, true, nil
}

// Finish acknowledges the first n claimed entries, saves the render state
// and says how many entries still wait. The lease is renewed for lease while
// entries wait; a lease of 0 lets it go, for a sender setting the chat
// aside. It returns ErrLeaseLost, and acknowledges nothing, if owner no
// longer holds the lease. posts, messages the delivery showed about
// referrals, are recorded in the same round trip (AddPost), whatever
// becomes of the lease: they were shown. What the work of ctx holds goes
// in the same round trip, before it.
func (s *Store) Finish(ctx context.Context, user int64, owner string, n int, lease time.Duration, state map[string]string, posts ...handoff.RefPost) (int, error) {
	if roundtrip.Of(ctx).Deferred() == 0 && !anyValid(posts) {
		keys := []string{s.keys.lease(user), s.keys.outbox(user), s.keys.render(user)}
		return leftOrLost(finishScript.Run(ctx, s.rdb, keys, s.finishArgs(owner, n, lease, state)...), "finish outbox")
	}
	pipe := s.rdb.Pipeline()
	after := s.withLater(ctx, pipe)
	read := s.finishInto(ctx, pipe, user, owner, n, lease, state, posts)
	pipe.Exec(ctx)
	after()
	return read()
}

// FinishLater holds the acknowledgement Finish makes for the next round
// trip of the work of ctx, whatever that round trip is for (an effect's
// write, a card's record, the next acknowledgement), so that it costs none
// of its own. args gives Finish's arguments as that round trip is made;
// done is told its answer once it has run. It reports false, and holds
// nothing, when the work does not defer writes.
func (s *Store) FinishLater(ctx context.Context, user int64, owner string, args func() (n int, lease time.Duration, state map[string]string, posts []handoff.RefPost), done func(left int, err error)) bool {
	return laterRead(ctx, func(ctx context.Context, p redis.Pipeliner) func() {
		n, lease, state, posts := args()
		read := s.finishInto(ctx, p, user, owner, n, lease, state, posts)
		return func() { done(read()) }
	})
}

// finishArgs are finishScript's arguments.
func (s *Store) finishArgs(owner string, n int, lease time.Duration, state map[string]string) []any {
	args := []any{owner, n, millis(lease), millis(s.ttl)}
	for k, v := range state {
		args = append(args, k, v)
	}
	return args
}

// anyValid reports whether any post names a referral.
func anyValid(posts []handoff.RefPost) bool {
	for _, p := range posts {
		if validRef(p.Ref) {
			return true
		}
	}
	return false
}

// finishInto adds Finish's commands to p and returns what reads their
// answer once p has run. A script Redis had not loaded is run again, in
// full, on its own.
func (s *Store) finishInto(ctx context.Context, p redis.Pipeliner, user int64, owner string, n int, lease time.Duration, state map[string]string, posts []handoff.RefPost) func() (int, error) {
	keys := []string{s.keys.lease(user), s.keys.outbox(user), s.keys.render(user)}
	args := s.finishArgs(owner, n, lease, state)
	fin := finishScript.EvalSha(ctx, p, keys, args...)
	var adds []*redis.IntCmd
	for _, post := range posts {
		if validRef(post.Ref) {
			adds = append(adds, p.RPush(ctx, s.keys.referralPosts(post.Ref), encodePost(post.Post)))
		}
	}
	return func() (int, error) {
		if redis.HasErrorPrefix(fin.Err(), "NOSCRIPT") {
			fin = finishScript.Run(ctx, s.rdb, keys, args...)
		}
		left, err := leftOrLost(fin, "finish outbox")
		if err != nil {
			return 0, err
		}
		for _, a := range adds {
			if err := a.Err(); err != nil {
				// Acknowledged, but the post is not recorded for its erasure:
				// the caller is told, as a failed AddPost would tell it.
				return left, fmt.Errorf("finish outbox: record a post: %w", err)
			}
		}
		return left, nil
	}
}

// leftOrLost reads the answer of a script that finishes a delivery: the
// entries still waiting, or -1 when the lease was lost (ErrLeaseLost).
func leftOrLost(cmd *redis.Cmd, what string) (int, error) {
	left, err := cmd.Int()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	if left < 0 {
		return 0, ErrLeaseLost
	}
	return left, nil
}

// SeenUpdate remembers an update that concerns no person's session for one
// dedupe window and reports whether it had been seen already. The
// referrals named by ahead (a pressed Claim's) are read in the same round
// trip and kept for the rest of the work, with what the work held to
// write (see later.go).
func (s *Store) SeenUpdate(ctx context.Context, id int64, ahead ...string) (bool, error) {
	if w := roundtrip.Of(ctx); w != nil {
		// Marked for the person's case as their referrals were read:
		// the first to ask hears whether it was new, any other that it
		// has been seen.
		if v, ok := w.Recall(memoMark(id)); ok {
			w.Keep(memoMark(id), false)
			return !v.(bool), nil
		}
	}
	w := roundtrip.Of(ctx)
	var reads []*redis.MapStringStringCmd
	var refs []string
	for _, ref := range ahead {
		if _, ok := knownReferral(ctx, ref); !ok && validRef(ref) && w != nil {
			refs = append(refs, ref)
		}
	}
	var set *redis.BoolCmd
	if len(refs) == 0 && w.Deferred() == 0 {
		set = s.rdb.SetNX(ctx, s.keys.update(id), 1, s.window)
	} else {
		p := s.rdb.Pipeline()
		after := s.withLater(ctx, p)
		set = p.SetNX(ctx, s.keys.update(id), 1, s.window)
		for _, ref := range refs {
			reads = append(reads, p.HGetAll(ctx, s.keys.referral(ref)))
		}
		p.Exec(ctx)
		after()
	}
	fresh, err := set.Result()
	if err != nil {
		return false, fmt.Errorf("remember update: %w", err)
	}
	for i, ref := range refs {
		if m, err := reads[i].Result(); err == nil && len(m) > 0 {
			keepReferral(w, ref, m)
		}
	}
	return !fresh, nil
}

// SetBlocked records that the person blocked the bot (or unblocked it): a
// flag in their profile, and the set the blocked count is read from.
func (s *Store) SetBlocked(ctx context.Context, user int64, blocked bool) error {
	id := strconv.FormatInt(user, 10)
	pipe := s.rdb.TxPipeline()
	if blocked {
		pipe.HSet(ctx, s.keys.profile(user), "blocked", "1")
		pipe.SAdd(ctx, s.keys.blocked(), id)
	} else {
		pipe.HDel(ctx, s.keys.profile(user), "blocked")
		pipe.SRem(ctx, s.keys.blocked(), id)
	}
	if s.ttl > 0 {
		pipe.PExpire(ctx, s.keys.profile(user), s.ttl)
	}
	_, err := pipe.Exec(ctx)
	if err != nil {
		return fmt.Errorf("set blocked: %w", err)
	}
	return nil
}

// Blocked reports whether the person has blocked the bot.
func (s *Store) Blocked(ctx context.Context, user int64) (bool, error) {
	v, err := s.rdb.HGet(ctx, s.keys.profile(user), "blocked").Result()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	return v == "1", err
}

// BlockedCount is how many people have the bot blocked now.
func (s *Store) BlockedCount(ctx context.Context) (int64, error) {
	return s.rdb.SCard(ctx, s.keys.blocked()).Result()
}
