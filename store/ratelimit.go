package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// reserveScript books the next slot under a rate limit with the generic
// cell rate algorithm: one key holding the theoretical arrival time (TAT).
// Every caller, on any replica, books through the same key, so the limit is
// shared.
//
// KEYS[1] the limit's key (STRING, TAT in Unix ms)
// ARGV[1] now, Unix ms   ARGV[2] emission interval, ms (may be fractional)
// ARGV[3] burst: how many may go at once
//
// Returns how many milliseconds the caller must wait before sending in the
// slot it was given (0: at once).
var reserveScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - (burst - 1) * interval - now
if wait < 0 then wait = 0 end
local new = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', new), 'PX', math.ceil(new - now + 1000))
return math.ceil(wait)
`)

// ReserveChat books the person's next message under a limit of rate
// messages a per, with bursts of up to burst, and returns how long to wait
// before sending it. A rate of zero means no limit.
func (s *Store) ReserveChat(ctx context.Context, user int64, rate float64, per time.Duration, burst int) (time.Duration, error) {
	return s.reserve(ctx, s.keys.chatRate(user), rate, per, burst)
}

// Reserve books the next message under the named shared limit ("global",
// or "g<chat id>" for a group) and returns how long to wait before sending it.
func (s *Store) Reserve(ctx context.Context, name string, rate float64, per time.Duration, burst int) (time.Duration, error) {
	return s.reserve(ctx, s.keys.rate(name), rate, per, burst)
}

func (s *Store) reserve(ctx context.Context, key string, rate float64, per time.Duration, burst int) (time.Duration, error) {
	if rate <= 0 || per <= 0 {
		return 0, nil
	}
	if burst < 1 {
		burst = 1
	}
	interval := float64(per.Microseconds()) / 1000 / rate
	ms, err := reserveScript.Run(ctx, s.rdb, []string{key}, s.now().UnixMilli(), interval, burst).Int64()
	if err != nil {
		return 0, fmt.Errorf("rate limit: %w", err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Enqueue appends entries to a chat's outbox for the sender, outside any
// conversation: cards and notices for the link workers' groups.
func (s *Store) Enqueue(ctx context.Context, chat int64, entries [][]byte) error {
	if len(entries) == 0 {
		return nil
	}
	vals := make([]any, len(entries))
	for i, e := range entries {
		vals[i] = e
	}
	if err := s.rdb.RPush(ctx, s.keys.outbox(chat), vals...).Err(); err != nil {
		return fmt.Errorf("enqueue for %d: %w", chat, err)
	}
	return nil
}
