package store

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
)

// enqueueClaimScript appends entries to a chat's outbox and, in the same
// atomic step, leases the outbox to a sender and reads what waits there,
// unless another sender holds it: what casework puts in a person's or a
// worker's outbox is then delivered without a round trip to claim it.
//
// KEYS[1] outbox (LIST)   KEYS[2] lease (STRING owner)   KEYS[3] render (HASH)
// ARGV[1] owner   ARGV[2] lease in milliseconds   ARGV[3] most entries to read
// ARGV[4…] entries, in order
//
// Returns {0} when another sender holds the lease (it delivers the new
// entries too), else {1, entries, render field/value list}.
var enqueueClaimScript = redis.NewScript(`
local last = #ARGV
for i = 4, last, 200 do
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 199, last)))
end
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
func (s *Store) EnqueueClaim(ctx context.Context, chats []int64, entries [][][]byte, leases []flows.Lease, sends []int) ([]flows.Claimed, error) {
	out := make([]flows.Claimed, len(chats))
	var with []int64
	var at []int
	for i, chat := range chats {
		if len(entries[i]) > 0 {
			with, at = append(with, chat), append(at, i)
		}
	}
	if len(with) == 0 {
		return out, nil
	}
	claims := make([]*redis.Cmd, len(chats))
	books := make([]*booking, len(chats))
	leased := func(i int) bool { return leases[i].Owner != "" && !flows.IsWeb(chats[i]) }
	write := func(pipe redis.Pipeliner, j int) redis.Cmder {
		i := at[j]
		vals := make([]any, len(entries[i]))
		for k, e := range entries[i] {
			vals[k] = e
		}
		if !leased(i) {
			if l := leases[i]; l.Owner == "" && l.Book != nil && sends[i] > 0 && chats[i] < 0 {
				// A group's slots, for its sender to wait for before it
				// leases the outbox.
				books[i] = s.bookInto(ctx, pipe, chats[i], *l.Book, sends[i])
			}
			return pipe.RPush(ctx, s.keys.outbox(chats[i]), vals...)
		}
		l := leases[i]
		keys := []string{s.keys.outbox(chats[i]), s.keys.lease(chats[i]), s.keys.render(chats[i])}
		args := append([]any{l.Owner, millis(l.TTL), max(1, l.Max)}, vals...)
		claims[i] = enqueueClaimScript.EvalSha(ctx, pipe, keys, args...)
		if l.Book != nil && sends[i] > 0 {
			books[i] = s.bookInto(ctx, pipe, chats[i], *l.Book, sends[i])
		}
		return claims[i]
	}
	err := s.indexedAll(ctx, with, write)
	if err == errNoScript {
		// The script was not loaded (a restart of Redis): run each refused
		// one again in full. Only those refused, so nothing is written twice.
		err = nil
		for i, c := range claims {
			if c != nil && redis.HasErrorPrefix(c.Err(), "NOSCRIPT") {
				l := leases[i]
				keys := []string{s.keys.outbox(chats[i]), s.keys.lease(chats[i]), s.keys.render(chats[i])}
				args := []any{l.Owner, millis(l.TTL), max(1, l.Max)}
				for _, e := range entries[i] {
					args = append(args, e)
				}
				claims[i] = enqueueClaimScript.Eval(ctx, s.rdb, keys, args...)
			}
		}
	}
	if err == nil {
		for _, c := range claims {
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
