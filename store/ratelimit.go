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
// shared; and "now" is the Redis server's clock, not the caller's, so that
// replicas whose clocks disagree still share one limit.
//
// KEYS[1] the limit's key (STRING, TAT in Unix ms)
// ARGV[1] emission interval, ms (may be fractional)
// ARGV[2] burst: how many may go at once   ARGV[3] n: how many slots to book
//
// Returns, as a decimal string, the offset in ms from the server's now of
// the first slot before the burst allowance is applied: slot i may go
// after max(0, offset + i*interval) ms.
var reserveScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
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

// ReserveBoth books n slots under a chat's limit (a group's, per minute,
// for a negative chat id) and under the overall limit, in one round trip:
// the two bookings are pipelined, each atomic on its own, since the two
// keys may live on different cluster nodes.
func (s *Store) ReserveBoth(ctx context.Context, chat int64, chatRate float64, chatBurst int, globalRate float64, globalBurst, n int) (chatOff, chatIv, globOff, globIv time.Duration, err error) {
	chatKey, chatPer := s.keys.chatRate(chat), time.Second
	if chat < 0 {
		chatKey, chatPer = s.keys.rate("g"+strconv.FormatInt(-chat, 10)), time.Minute
	}
	type booking struct {
		key   string
		rate  float64
		per   time.Duration
		burst int
		cmd   *redis.Cmd
	}
	bs := []*booking{{key: chatKey, rate: chatRate, per: chatPer, burst: chatBurst}, {key: s.keys.rate("global"), rate: globalRate, per: time.Second, burst: globalBurst}}
	pipe := s.rdb.Pipeline()
	for _, b := range bs {
		if b.rate > 0 && n > 0 {
			b.cmd = reserveScript.EvalSha(ctx, pipe, []string{b.key}, interval(b.rate, b.per), max(1, b.burst), n)
		}
	}
	if _, err := pipe.Exec(ctx); err != nil && !redis.HasErrorPrefix(err, "NOSCRIPT") {
		return 0, 0, 0, 0, fmt.Errorf("rate limit: %w", err)
	}
	var out [4]time.Duration
	for i, b := range bs {
		if b.cmd == nil {
			continue
		}
		off, iv, err := s.booked(ctx, b.cmd, b.key, b.rate, b.per, b.burst, n)
		if err != nil {
			return 0, 0, 0, 0, err
		}
		out[2*i], out[2*i+1] = off, iv
	}
	return out[0], out[1], out[2], out[3], nil
}

// booked reads a pipelined booking, making it again unpipelined if Redis
// had not loaded the script yet.
func (s *Store) booked(ctx context.Context, cmd *redis.Cmd, key string, rate float64, per time.Duration, burst, n int) (time.Duration, time.Duration, error) {
	res, err := cmd.Text()
	if redis.HasErrorPrefix(err, "NOSCRIPT") {
		return s.reserve(ctx, key, rate, per, burst, n)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("rate limit: %w", err)
	}
	return offsetOf(res, rate, per)
}

func interval(rate float64, per time.Duration) float64 {
	return float64(per.Microseconds()) / 1000 / rate
}

// offsetOf turns the script's answer into the offset of the first slot
// from now, and the slots' interval. The script counts from the server's
// now; a caller counting from when the answer arrived waits a round trip's
// fraction longer than it must, never less.
func offsetOf(res string, rate float64, per time.Duration) (time.Duration, time.Duration, error) {
	offset, err := strconv.ParseFloat(res, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("rate limit: %w", err)
	}
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	return ms(offset), ms(interval(rate, per)), nil
}

func (s *Store) reserve(ctx context.Context, key string, rate float64, per time.Duration, burst, n int) (time.Duration, time.Duration, error) {
	if rate <= 0 || per <= 0 || n <= 0 {
		return 0, 0, nil
	}
	if burst < 1 {
		burst = 1
	}
	res, err := reserveScript.Run(ctx, s.rdb, []string{key}, interval(rate, per), burst, n).Text()
	if err != nil {
		return 0, 0, fmt.Errorf("rate limit: %w", err)
	}
	return offsetOf(res, rate, per)
}

// Enqueue appends entries to a chat's outbox for the sender, outside any
// conversation: cards and notices for the link workers' groups.
func (s *Store) Enqueue(ctx context.Context, chat int64, entries [][]byte) error {
	return s.EnqueueAll(ctx, []int64{chat}, [][][]byte{entries})
}

// EnqueueAll is Enqueue for several chats at once, entries[i] for chats[i],
// in one round trip.
func (s *Store) EnqueueAll(ctx context.Context, chats []int64, entries [][][]byte) error {
	var with []int64
	var vals [][]any
	for i, chat := range chats {
		if len(entries[i]) == 0 {
			continue
		}
		v := make([]any, len(entries[i]))
		for j, e := range entries[i] {
			v[j] = e
		}
		with, vals = append(with, chat), append(vals, v)
	}
	if len(with) == 0 {
		return nil
	}
	err := s.indexedAll(ctx, with, func(pipe redis.Pipeliner, i int) redis.Cmder {
		return pipe.RPush(ctx, s.keys.outbox(with[i]), vals[i]...)
	})
	if err != nil {
		return fmt.Errorf("enqueue for %v: %w", with, err)
	}
	return nil
}
