package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// reserveScript books the next n slots under a rate limit with the generic
// cell rate algorithm: one key holding the theoretical arrival time (TAT).
// Every caller, on any replica, books through the same key, so the limit is
// shared.
//
// KEYS[1] the limit's key (STRING, TAT in Unix ms)
// ARGV[1] now, Unix ms   ARGV[2] emission interval, ms (may be fractional)
// ARGV[3] burst: how many may go at once   ARGV[4] n: how many slots to book
//
// Returns, as a decimal string, the offset in ms from now of the first
// slot before the burst allowance is applied: slot i may go after
// max(0, offset + i*interval) ms.
var reserveScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local offset = tat - (burst - 1) * interval - now
local new = tat + n * interval
redis.call('SET', KEYS[1], string.format('%.3f', new), 'PX', math.ceil(new - now + 1000))
return string.format('%.3f', offset)
`)

// ReserveChat books the chat's next n messages under a limit of rate
// messages a per, with bursts of up to burst. Slot i may be used
// max(0, offset + i*interval) after the call; a rate of zero means no
// limit, every slot free at once.
func (s *Store) ReserveChat(ctx context.Context, chat int64, rate float64, per time.Duration, burst, n int) (offset, interval time.Duration, err error) {
	return s.reserve(ctx, s.keys.chatRate(chat), rate, per, burst, n)
}

// Reserve books the next n messages under the named shared limit ("global",
// or "g<chat id>" for a group), as ReserveChat does.
func (s *Store) Reserve(ctx context.Context, name string, rate float64, per time.Duration, burst, n int) (offset, interval time.Duration, err error) {
	return s.reserve(ctx, s.keys.rate(name), rate, per, burst, n)
}

func (s *Store) reserve(ctx context.Context, key string, rate float64, per time.Duration, burst, n int) (time.Duration, time.Duration, error) {
	now := s.now()
	if rate <= 0 || per <= 0 || n <= 0 {
		return 0, 0, nil
	}
	if burst < 1 {
		burst = 1
	}
	interval := float64(per.Microseconds()) / 1000 / rate
	res, err := reserveScript.Run(ctx, s.rdb, []string{key}, now.UnixMilli(), interval, burst, n).Text()
	if err != nil {
		return 0, 0, fmt.Errorf("rate limit: %w", err)
	}
	offset, err := strconv.ParseFloat(res, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("rate limit: %w", err)
	}
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	// The script counts from now in whole milliseconds; so does the offset.
	return ms(offset) - now.Sub(time.UnixMilli(now.UnixMilli())), ms(interval), nil
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
