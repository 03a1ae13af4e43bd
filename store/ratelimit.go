package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
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
// Returns {offset, tat}: the offset in ms from the server's now of the
// first slot before the burst allowance is applied, as a decimal string
// (slot i may go after max(0, offset + i*interval) ms), and the TAT the
// booking left, as stored, for giveBackScript.
//
// More limits may be booked in the one call, at the one "now": KEYS[i]
// with ARGV[3i-2], ARGV[3i-1] and ARGV[3i], answered by values 2i-1 and 2i.
// bookInto books a chat's limit and the overall one so on a single server
// (one script run where two cost twice its fixed price in Redis); on a
// Cluster the keys may sit on two nodes, and each is booked on its own.
var reserveScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local out = {}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[3 * i - 2])
  local burst = tonumber(ARGV[3 * i - 1])
  local n = tonumber(ARGV[3 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  local offset = tat - (burst - 1) * interval - now
  local new = tat + n * interval
  local stored = string.format('%.3f', new)
  redis.call('SET', KEYS[i], stored, 'PX', math.ceil(new - now + 1000))
  out[2 * i - 1] = string.format('%.3f', offset)
  out[2 * i] = stored
end
return out
`)

// giveBackScript returns slots booked by reserveScript that will not be
// used, if nobody has booked under the limit since: otherwise they stay
// spent, which only delays later messages a little.
//
// KEYS[1] the limit's key   ARGV[1] the TAT the booking left, as stored
// ARGV[2] how many ms of slots to give back
//
// Returns 1 if given back, 0 if the limit moved on.
var giveBackScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(ARGV[1]) - tonumber(ARGV[2])
if tat <= now then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now + 1000))
end
return 1
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
	pipe := s.rdb.Pipeline()
	bk := s.bookInto(ctx, pipe, chat, flows.Booking{ChatRate: chatRate, ChatBurst: chatBurst, GlobalRate: globalRate, GlobalBurst: globalBurst}, n)
	if _, err := pipe.Exec(ctx); err != nil && !redis.HasErrorPrefix(err, "NOSCRIPT") {
		return 0, 0, 0, 0, fmt.Errorf("rate limit: %w", err)
	}
	b, err := bk.read(ctx, s)
	return b.ChatOffset, b.ChatInterval, b.GlobalOffset, b.GlobalInterval, err
}

// booking is a chat's limit and the overall one, booked in a pipeline.
type booking struct {
	n     int
	limit [2]struct {
		key   string
		rate  float64
		per   time.Duration
		burst int
		cmd   *redis.Cmd
	}
	// both, when set, books the two limits in one script run (a single
	// server); the limits' own cmd are then nil.
	both *redis.Cmd
}

// bookInto adds to pipe the booking of n slots under the chat's limit (a
// group's, per minute, for a negative chat id) and the overall one; read
// reads it once pipe ran.
func (s *Store) bookInto(ctx context.Context, pipe redis.Pipeliner, chat int64, b flows.Booking, n int) *booking {
	bk := s.newBooking(chat, b, n)
	bk.into(ctx, pipe, s.cluster)
	return bk
}

// newBooking is the booking of n slots under the chat's limit and the
// overall one, not yet sent.
func (s *Store) newBooking(chat int64, b flows.Booking, n int) *booking {
	bk := &booking{n: n}
	bk.limit[0].key, bk.limit[0].per = s.keys.chatRate(chat), time.Second
	if chat < 0 {
		bk.limit[0].key, bk.limit[0].per = s.keys.rate("g"+strconv.FormatInt(-chat, 10)), time.Minute
	}
	bk.limit[0].rate, bk.limit[0].burst = b.ChatRate, b.ChatBurst
	bk.limit[1].key, bk.limit[1].per = s.keys.rate("global"), time.Second
	bk.limit[1].rate, bk.limit[1].burst = b.GlobalRate, b.GlobalBurst
	return bk
}

// into adds the booking to pipe: both limits in one script run but on a
// Cluster, where each is booked on its own.
func (bk *booking) into(ctx context.Context, pipe redis.Pipeliner, cluster bool) {
	if bk.n <= 0 {
		return
	}
	if !cluster && bk.limit[0].rate > 0 && bk.limit[1].rate > 0 {
		bk.both = reserveScript.EvalSha(ctx, pipe, bk.keys(0, 1), bk.args(0, 1)...)
		return
	}
	for i := range bk.limit {
		if bk.limit[i].rate > 0 {
			bk.limit[i].cmd = reserveScript.EvalSha(ctx, pipe, bk.keys(i), bk.args(i)...)
		}
	}
}

// booked lists the limits that book anything: those with a rate.
func (bk *booking) booked() []int {
	var limits []int
	for i := range bk.limit {
		if bk.n > 0 && bk.limit[i].rate > 0 {
			limits = append(limits, i)
		}
	}
	return limits
}

// fromScript reads what the commit script answered for the limits it
// booked (booked), two values a limit, as reserveScript's.
func (bk *booking) fromScript(vals []string) (flows.Booked, error) {
	limits := bk.booked()
	if len(vals) != 2*len(limits) {
		return flows.Booked{}, fmt.Errorf("rate limit: %d values from the commit for %d limits", len(vals), len(limits))
	}
	answers := make([][]string, len(bk.limit))
	for j, i := range limits {
		answers[i] = vals[2*j : 2*j+2]
	}
	return bk.answered(answers)
}

// keys and args are the reserve script's keys and arguments to book the
// limits named by index.
func (bk *booking) keys(limits ...int) []string {
	keys := make([]string, len(limits))
	for j, i := range limits {
		keys[j] = bk.limit[i].key
	}
	return keys
}

func (bk *booking) args(limits ...int) []any {
	args := make([]any, 0, 3*len(limits))
	for _, i := range limits {
		l := &bk.limit[i]
		args = append(args, interval(l.rate, l.per), max(1, l.burst), bk.n)
	}
	return args
}

// read reads a pipelined booking, making a booking again unpipelined if
// Redis had not loaded the script yet. The slots count from now.
func (bk *booking) read(ctx context.Context, s *Store) (flows.Booked, error) {
	var both []string
	if bk.both != nil {
		var err error
		if both, err = s.reserved(ctx, bk.both, bk.keys(0, 1), bk.args(0, 1)); err != nil {
			return flows.Booked{}, err
		}
	}
	answers := make([][]string, len(bk.limit))
	for i := range bk.limit {
		l := &bk.limit[i]
		switch {
		case both != nil:
			answers[i] = both[2*i : 2*i+2]
		case l.cmd != nil:
			var err error
			if answers[i], err = s.reserved(ctx, l.cmd, bk.keys(i), bk.args(i)); err != nil {
				return flows.Booked{}, err
			}
		}
	}
	return bk.answered(answers)
}

// answered turns reserveScript's answer for each limit ({offset, tat}, nil
// for a limit not booked) into the slots booked. They count from now.
func (bk *booking) answered(answers [][]string) (flows.Booked, error) {
	out := flows.Booked{N: bk.n, At: time.Now()}
	for i, res := range answers {
		if res == nil {
			continue
		}
		l := &bk.limit[i]
		off, iv, err := offsetOf(res[0], l.rate, l.per)
		if err != nil {
			return flows.Booked{}, err
		}
		tat := res[1]
		if i == 0 {
			out.ChatOffset, out.ChatInterval = off, iv
		} else {
			out.GlobalOffset, out.GlobalInterval = off, iv
		}
		out.Undo = append(out.Undo, l.key, tat, strconv.FormatFloat(float64(bk.n)*interval(l.rate, l.per), 'f', 3, 64))
	}
	return out, nil
}

// GiveBack returns slots booked that will not be used, in one round trip,
// under each limit nobody has booked under since.
func (s *Store) GiveBack(ctx context.Context, b flows.Booked) error {
	if len(b.Undo) == 0 {
		return nil
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.Cmd, 0, len(b.Undo)/3)
	for i := 0; i+2 < len(b.Undo); i += 3 {
		cmds = append(cmds, giveBackScript.EvalSha(ctx, pipe, []string{b.Undo[i]}, b.Undo[i+1], b.Undo[i+2]))
	}
	pipe.Exec(ctx) // each run's error is read from its own command below
	// A run that found the script gone (Redis restarted or flushed its
	// scripts) did nothing: run it again, sending the script.
	for j, cmd := range cmds {
		err := cmd.Err()
		if redis.HasErrorPrefix(err, "NOSCRIPT") {
			i := 3 * j
			err = giveBackScript.Run(ctx, s.rdb, []string{b.Undo[i]}, b.Undo[i+1], b.Undo[i+2]).Err()
		}
		if err != nil && err != redis.Nil {
			return fmt.Errorf("give back slots: %w", err)
		}
	}
	return nil
}

// reserved reads a pipelined run of the reserve script, two values a key,
// running it again unpipelined if Redis had not loaded the script yet.
func (s *Store) reserved(ctx context.Context, cmd *redis.Cmd, keys []string, args []any) ([]string, error) {
	res, err := cmd.StringSlice()
	if redis.HasErrorPrefix(err, "NOSCRIPT") {
		res, err = reserveScript.Run(ctx, s.rdb, keys, args...).StringSlice()
	}
	if err != nil {
		return nil, fmt.Errorf("rate limit: %w", err)
	}
	if len(res) != 2*len(keys) {
		return nil, fmt.Errorf("rate limit: %d values from the script", len(res))
	}
	return res, nil
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
	res, err := reserveScript.Run(ctx, s.rdb, []string{key}, interval(rate, per), burst, n).StringSlice()
	if err != nil {
		return 0, 0, fmt.Errorf("rate limit: %w", err)
	}
	if len(res) != 2 {
		return 0, 0, fmt.Errorf("rate limit: %d values from the script", len(res))
	}
	return offsetOf(res[0], rate, per)
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
