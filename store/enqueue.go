package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
)

// putOnceLua appends to KEYS[1] (the outbox) the entries given from
// ARGV[first] on as pairs of a once id and the entry, leaving out an entry
// whose id (not "") KEYS[once] holds within the window: what a repeated
// update puts again goes there once. ARGV[now] is now and ARGV[now + 1]
// the window, in milliseconds.
const putOnceLua = `
local now, window = tonumber(ARGV[NOW]), tonumber(ARGV[NOW + 1])
local put, marked = {}, false
for i = FIRST, #ARGV, 2 do
  local id, fresh = ARGV[i], true
  if id ~= '' then
    local at = redis.call('ZSCORE', KEYS[ONCE], id)
    if at and tonumber(at) > now - window then
      fresh = false
    else
      redis.call('ZADD', KEYS[ONCE], now, id)
      marked = true
    end
  end
  if fresh then
    put[#put + 1] = ARGV[i + 1]
  end
end
if marked then
  redis.call('ZREMRANGEBYSCORE', KEYS[ONCE], '-inf', now - window)
  redis.call('PEXPIRE', KEYS[ONCE], window)
end
for i = 1, #put, 200 do
  redis.call('RPUSH', KEYS[1], unpack(put, i, math.min(i + 199, #put)))
end
`

// onceLua is putOnceLua for the given places of its keys and arguments.
func onceLua(once, now, first int) string {
	return strings.NewReplacer("ONCE", strconv.Itoa(once), "NOW", strconv.Itoa(now), "FIRST", strconv.Itoa(first)).Replace(putOnceLua)
}

// putOnceScript appends entries to a chat's outbox, each once (see
// putOnceLua), for a chat whose outbox is not leased with the write.
//
// KEYS[1] outbox (LIST)   KEYS[2] once (ZSET)
// ARGV[1] now, Unix ms   ARGV[2] the dedupe window, ms   ARGV[3…] pairs of
// a once id ("" for none) and an entry, in order
//
// Returns how many entries it put.
var putOnceScript = redis.NewScript(onceLua(2, 1, 3) + "return #put\n")

// enqueueClaimScript appends entries to a chat's outbox and, in the same
// atomic step, leases the outbox to a sender and reads what waits there,
// unless another sender holds it: what casework puts in a person's or a
// worker's outbox is then delivered without a round trip to claim it. An
// entry with a once id already put within the window is left out (see
// putOnceLua).
//
// KEYS[1] outbox (LIST)   KEYS[2] lease (STRING owner)   KEYS[3] render (HASH)
// KEYS[4] once (ZSET)
// ARGV[1] owner   ARGV[2] lease in milliseconds   ARGV[3] most entries to read
// ARGV[4] now, Unix ms   ARGV[5] the dedupe window, ms
// ARGV[6…] pairs of a once id ("" for none) and an entry, in order
//
// Returns {0} when another sender holds the lease (it delivers the new
// entries too), else {1, entries, render field/value list}.
var enqueueClaimScript = redis.NewScript(onceLua(4, 4, 6) + `
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then
  return {0}
end
local entries = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1)
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return {1, entries, redis.call('HGETALL', KEYS[3])}
`)

// EnqueueClaim is EnqueueAll that also, for each chat i whose leases[i]
// names an owner, leases the chat's outbox to it once written and books
// sends[i] sending slots under leases[i].Book, all in one round trip. It
// returns what each lease took, as a commit's lease does: OK false when
// another sender holds the outbox, which then delivers the new entries
// too (their slots come back in Booked all the same, for the caller to
// hand to that sender or give back). A group's outbox (a negative id) is
// leased only when its sender expects the group's slot to be free at once
// (it lets the lease go if the booking says otherwise, so that no wait
// holds the lease); a group's leases[i] with no owner but a Book books its
// slots, which come back in Booked for its sender to wait for.
//
// once[i][k], when once and once[i] are not nil and it is not "", is the
// once id of entries[i][k]: an entry put in chats[i]'s outbox under the same
// id within the dedupe window is not put again, so that what a repeated
// update puts again (a person's words for the worker) reaches the chat
// once.
func (s *Store) EnqueueClaim(ctx context.Context, chats []int64, entries [][][]byte, leases []flows.Lease, sends []int, once [][]string) ([]flows.Claimed, error) {
	pipe := s.rdb.Pipeline()
	after := s.withLater(ctx, pipe)
	read := s.enqueueInto(ctx, pipe, chats, entries, leases, sends, once)
	if pipe.Len() == 0 {
		after()
		return read()
	}
	pipe.Exec(ctx)
	after()
	return read()
}

// EnqueueClaimLater holds what EnqueueClaim does for the next round trip
// of the work of ctx, whatever that is for (the acknowledgement of a
// delivery, a commit), and tells done its answer, with the time the round
// trip was made (its leases were taken no earlier), once it has run. It
// reports false, and holds nothing, when the work does not defer writes,
// and on a Cluster (see ordered).
func (s *Store) EnqueueClaimLater(ctx context.Context, chats []int64, entries [][][]byte, leases []flows.Lease, sends []int, once [][]string, done func(claimed []flows.Claimed, since time.Time, err error)) bool {
	if !s.ordered() {
		return false // see ordered
	}
	return laterRead(ctx, func(ctx context.Context, p redis.Pipeliner) func() {
		since := time.Now()
		read := s.enqueueInto(ctx, p, chats, entries, leases, sends, once)
		return func() {
			c, err := read()
			done(c, since, err)
		}
	})
}

// enqueueInto adds EnqueueClaim's commands to p and returns what reads
// their answers once p has run: each outbox marked pending just before it
// is written (see indexedAll), and a script Redis had not loaded run again
// in full, on its own (only those refused, so nothing is written twice).
func (s *Store) enqueueInto(ctx context.Context, pipe redis.Pipeliner, chats []int64, entries [][][]byte, leases []flows.Lease, sends []int, once [][]string) func() ([]flows.Claimed, error) {
	out := make([]flows.Claimed, len(chats))
	var with []int64
	var at []int
	for i, chat := range chats {
		if len(entries[i]) > 0 {
			with, at = append(with, chat), append(at, i)
		}
	}
	if len(with) == 0 {
		return func() ([]flows.Claimed, error) { return out, nil }
	}
	claims := make([]*redis.Cmd, len(chats))
	books := make([]*booking, len(chats))
	leased := func(i int) bool { return leases[i].Owner != "" && !flows.IsWeb(chats[i]) }
	now, window := s.now().UnixMilli(), s.window.Milliseconds()
	// pairs are chat i's entries each after its once id.
	pairs := func(i int) []any {
		out := make([]any, 0, 2*len(entries[i]))
		for k, e := range entries[i] {
			id := ""
			if once != nil && once[i] != nil {
				id = once[i][k]
			}
			out = append(out, id, e)
		}
		return out
	}
	onceOf := func(i int) bool {
		if once == nil {
			return false
		}
		for _, id := range once[i] {
			if id != "" {
				return true
			}
		}
		return false
	}
	onced := make([]*redis.Cmd, len(chats))
	write := func(pipe redis.Pipeliner, j int) redis.Cmder {
		i := at[j]
		if !leased(i) {
			if l := leases[i]; l.Owner == "" && l.Book != nil && sends[i] > 0 && chats[i] < 0 {
				// A group's slots, for its sender to wait for before it
				// leases the outbox.
				books[i] = s.bookInto(ctx, pipe, chats[i], *l.Book, sends[i])
			}
			if onceOf(i) {
				keys := []string{s.keys.outbox(chats[i]), s.keys.once(chats[i])}
				onced[i] = putOnceScript.EvalSha(ctx, pipe, keys, append([]any{now, window}, pairs(i)...)...)
				return onced[i]
			}
			vals := make([]any, len(entries[i]))
			for k, e := range entries[i] {
				vals[k] = e
			}
			return pipe.RPush(ctx, s.keys.outbox(chats[i]), vals...)
		}
		l := leases[i]
		keys := []string{s.keys.outbox(chats[i]), s.keys.lease(chats[i]), s.keys.render(chats[i]), s.keys.once(chats[i])}
		args := append([]any{l.Owner, millis(l.TTL), max(1, l.Max), now, window}, pairs(i)...)
		claims[i] = enqueueClaimScript.EvalSha(ctx, pipe, keys, args...)
		if l.Book != nil && sends[i] > 0 {
			books[i] = s.bookInto(ctx, pipe, chats[i], *l.Book, sends[i])
		}
		return claims[i]
	}
	indexed := s.indexInto(ctx, pipe, with, write)
	return func() ([]flows.Claimed, error) {
		err := indexed()
		if err == errNoScript {
			err = nil
			for i, c := range claims {
				if c != nil && redis.HasErrorPrefix(c.Err(), "NOSCRIPT") {
					l := leases[i]
					keys := []string{s.keys.outbox(chats[i]), s.keys.lease(chats[i]), s.keys.render(chats[i]), s.keys.once(chats[i])}
					args := append([]any{l.Owner, millis(l.TTL), max(1, l.Max), now, window}, pairs(i)...)
					claims[i] = enqueueClaimScript.Eval(ctx, s.rdb, keys, args...)
				}
			}
			for i, c := range onced {
				if c != nil && redis.HasErrorPrefix(c.Err(), "NOSCRIPT") {
					keys := []string{s.keys.outbox(chats[i]), s.keys.once(chats[i])}
					onced[i] = putOnceScript.Eval(ctx, s.rdb, keys, append([]any{now, window}, pairs(i)...)...)
				}
			}
		}
		if err == nil {
			for _, c := range append(claims, onced...) {
				if c != nil && c.Err() != nil {
					err = c.Err()
					break
				}
			}
		}
		if err != nil {
			for _, bk := range books {
				if bk != nil {
					if b, berr := bk.read(ctx, s); berr == nil {
						s.giveBack(ctx, b)
					}
				}
			}
			return nil, fmt.Errorf("enqueue for %v: %w", with, err)
		}
		for i := range chats {
			if c := claims[i]; c != nil {
				out[i] = claimedOf(c.Val())
			}
			if books[i] == nil {
				continue
			}
			b, berr := books[i].read(ctx, s)
			if berr == nil {
				// A group's are its sender's to wait for; those of an outbox
				// another sender held, for whoever sends the entries to use
				// or let lapse. On a failure the sender books its own.
				out[i].Booked = b
			}
		}
		return out, nil
	}
}

// claimedOf reads enqueueClaimScript's answer.
func claimedOf(res any) flows.Claimed {
	r, _ := res.([]any)
	if len(r) != 3 {
		return flows.Claimed{}
	}
	c := flows.Claimed{OK: true}
	leased(&c, r[1], r[2])
	return c
}

// leased reads what a lease took, as the scripts answer it: the entries, and
// the outbox's state as a flat list of fields and values.
func leased(c *flows.Claimed, entries, state any) {
	list, _ := entries.([]any)
	for _, e := range list {
		str, _ := e.(string)
		c.Entries = append(c.Entries, []byte(str))
	}
	flat, _ := state.([]any)
	c.State = make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		k, _ := flat[i].(string)
		v, _ := flat[i+1].(string)
		c.State[k] = v
	}
}
