package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// pendingGrace is how long an outbox stays in the index of pending
// outboxes after entries were last added to it, whatever else happens. The
// index lives in a slot of its own, so it cannot be changed in the same
// atomic step as an outbox on Redis Cluster: it is written just before
// the outbox, and an entry is dropped only once the outbox was seen empty
// and the entry is older than this, by which time any write that added it
// has long since reached the outbox. It is also how soon the sweep finds
// an outbox that a crashed replica left undelivered.
const pendingGrace = 20 * time.Second

// pendingScan is how many index entries one sweep reads at most.
const pendingScan = 1000

// indexScript marks a chat's outbox as pending, at the server's time.
//
// KEYS[1] pending (ZSET)   ARGV[1] the chat's id
var indexScript = redis.NewScript(`
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
return 1
`)

// pendingScript lists the chats whose outbox was marked pending more than
// a grace period ago: those nobody is known to be delivering.
//
// KEYS[1] pending (ZSET)   ARGV[1] grace in ms   ARGV[2] most to return
var pendingScript = redis.NewScript(`
local t = redis.call('TIME')
local cutoff = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', cutoff, 'LIMIT', 0, tonumber(ARGV[2]))
`)

// unindexScript drops a chat from the index if it was marked pending more
// than a grace period ago. The caller has just seen its outbox empty.
//
// KEYS[1] pending (ZSET)   ARGV[1] the chat's id   ARGV[2] grace in ms
// Returns 1 if dropped.
var unindexScript = redis.NewScript(`
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not at then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(at) < now - tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
`)

// renewScript extends a delivery lease its owner still holds.
//
// KEYS[1] lease (STRING owner)   ARGV[1] owner   ARGV[2] lease in ms
// Returns 1 if renewed, 0 if someone else (or nobody) holds it.
var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`)

// indexedAll runs write(pipe, i), which adds entries to chats[i]'s outbox,
// for each chat, in one pipeline after marking each outbox pending: one
// round trip for all, with what the work of ctx holds. write returns the
// command whose answer matters. A script Redis has not loaded yet (after a
// restart) is sent again in full.
func (s *Store) indexedAll(ctx context.Context, chats []int64, write func(redis.Pipeliner, int) redis.Cmder) error {
	pipe := s.rdb.Pipeline()
	after := s.withLater(ctx, pipe)
	read := s.indexInto(ctx, pipe, chats, write)
	pipe.Exec(ctx)
	after()
	return read()
}

// indexInto adds to pipe what indexedAll sends, and returns what reads its
// answer once pipe has run. A web visitor's outbox is shown by the web chat
// itself, so it is indexed apart (webPending), where the Telegram sender
// never looks.
func (s *Store) indexInto(ctx context.Context, pipe redis.Pipeliner, chats []int64, write func(redis.Pipeliner, int) redis.Cmder) func() error {
	idx := make([]*redis.Cmd, len(chats))
	cmds := make([]redis.Cmder, len(chats))
	for i, chat := range chats {
		idx[i] = indexScript.EvalSha(ctx, pipe, []string{s.pendingIndex(chat)}, chat)
		cmds[i] = write(pipe, i)
	}
	return func() error {
		var err error
		for i := range chats {
			if err = idx[i].Err(); err != nil {
				break
			}
			if err = cmds[i].Err(); err != nil {
				break
			}
		}
		if err == nil {
			return nil
		}
		if !redis.HasErrorPrefix(err, "NOSCRIPT") {
			return err
		}
		for i, chat := range chats {
			if idx[i].Err() != nil {
				if err := indexScript.Run(ctx, s.rdb, []string{s.pendingIndex(chat)}, chat).Err(); err != nil {
					return err
				}
			}
		}
		for _, c := range cmds {
			if redis.HasErrorPrefix(c.Err(), "NOSCRIPT") {
				return errNoScript
			}
			if c.Err() != nil {
				return c.Err()
			}
		}
		return nil
	}
}

// errNoScript tells a caller of indexedAll that its own script was not loaded
// and must be run again unpipelined.
var errNoScript = fmt.Errorf("store: script not loaded")

// PendingUsers lists the chats whose outbox may hold entries that nobody
// is delivering: marked pending more than pendingGrace ago and not since
// seen empty, or, with fresh, every chat marked pending (for a sender
// starting up, which has no delivery of its own in hand). It reads the
// index of pending outboxes, not the keyspace, so it costs the same on a
// Redis of any size and on every master of a Cluster. At most a thousand
// come back a call, oldest first; the sweep asks again.
func (s *Store) PendingUsers(ctx context.Context, fresh bool) ([]int64, error) {
	grace := pendingGrace.Milliseconds()
	if fresh {
		grace = -pendingGrace.Milliseconds() // and a little into the future, for clocks
	}
	ids, err := pendingScript.Run(ctx, s.rdb, []string{s.keys.pending()}, grace, pendingScan).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("read pending outboxes: %w", err)
	}
	return parseIDs(ids), nil
}

// Unindex drops chat from the index of pending outboxes, unless entries
// were added within pendingGrace. Call it only after seeing the outbox
// empty.
func (s *Store) Unindex(ctx context.Context, chat int64) error {
	if err := unindexScript.Run(ctx, s.rdb, []string{s.keys.pending()}, chat, pendingGrace.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("unindex outbox: %w", err)
	}
	return nil
}

// Renew extends owner's lease on chat's outbox to lease from now, and
// reports whether owner still held it.
func (s *Store) Renew(ctx context.Context, chat int64, owner string, lease time.Duration) (bool, error) {
	n, err := renewScript.Run(ctx, s.rdb, []string{s.keys.lease(chat)}, owner, millis(lease)).Int()
	if err != nil {
		return false, fmt.Errorf("renew lease: %w", err)
	}
	return n == 1, nil
}

// StuckOutboxes counts the chats whose outbox was marked pending more than
// stuck ago and not since seen empty: messages committed that have not
// reached Telegram.
func (s *Store) StuckOutboxes(ctx context.Context, stuck time.Duration) (int64, error) {
	n, err := stuckScript.Run(ctx, s.rdb, []string{s.keys.pending()}, stuck.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("count stuck outboxes: %w", err)
	}
	return n, nil
}

// stuckScript counts index entries older than ARGV[1] ms by the server's clock.
//
// KEYS[1] pending (ZSET)   ARGV[1] age in ms
var stuckScript = redis.NewScript(`
local t = redis.call('TIME')
local cutoff = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
return redis.call('ZCOUNT', KEYS[1], '-inf', cutoff)
`)
