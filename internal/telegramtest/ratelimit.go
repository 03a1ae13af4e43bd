package telegramtest

import (
	"math"
	"time"
)

// RateLimits are Telegram's flood limits on sendMessage. Telegram publishes
// them only roughly: about one message a second in a chat with short bursts
// tolerated, 20 a minute in a group, about 30 a second in all. Enabled is
// false by default so tests of other things are not slowed by them.
type RateLimits struct {
	Enabled bool
	// PerChatInterval is the sustained spacing of messages in one chat.
	// Default 1s.
	PerChatInterval time.Duration
	// PerChatBurst is how many messages a chat may get at once before the
	// spacing applies. Default 3.
	PerChatBurst int
	// PerGroupPerMinute caps messages to one group in any 60 seconds.
	// Default 20.
	PerGroupPerMinute int
	// GlobalPerSecond caps messages to all chats in any second. Default 30.
	GlobalPerSecond int
}

// TelegramRateLimits are the default limits, switched on.
func TelegramRateLimits() RateLimits {
	r := RateLimits{Enabled: true}
	r.setDefaults()
	return r
}

func (r *RateLimits) setDefaults() {
	if r.PerChatInterval <= 0 {
		r.PerChatInterval = time.Second
	}
	if r.PerChatBurst <= 0 {
		r.PerChatBurst = 3
	}
	if r.PerGroupPerMinute <= 0 {
		r.PerGroupPerMinute = 20
	}
	if r.GlobalPerSecond <= 0 {
		r.GlobalPerSecond = 30
	}
}

// limiter holds the state behind RateLimits: a token bucket per chat, and
// sliding windows of send times per group and overall.
type limiter struct {
	buckets map[int64]*bucket
	groups  map[int64][]time.Time
	global  []time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func (l *limiter) init() {
	l.buckets = map[int64]*bucket{}
	l.groups = map[int64][]time.Time{}
}

// allowLocked admits one message to c at now, or returns 429 with the
// whole seconds to wait, rounded up as Telegram does. A refused message
// uses up nothing, so a client that waits retry_after gets through.
func (l *limiter) allowLocked(r RateLimits, c *chatState, now time.Time) *apiError {
	if !r.Enabled {
		return nil
	}
	var wait time.Duration

	l.global = pruneBefore(l.global, now.Add(-time.Second))
	if len(l.global) >= r.GlobalPerSecond {
		wait = max(wait, l.global[0].Add(time.Second).Sub(now))
	}

	id := c.chat.ID
	if c.isGroup() {
		l.groups[id] = pruneBefore(l.groups[id], now.Add(-time.Minute))
		if g := l.groups[id]; len(g) >= r.PerGroupPerMinute {
			wait = max(wait, g[0].Add(time.Minute).Sub(now))
		}
	}

	b, ok := l.buckets[id]
	if !ok {
		b = &bucket{tokens: float64(r.PerChatBurst), last: now}
		l.buckets[id] = b
	}
	refill := float64(now.Sub(b.last)) / float64(r.PerChatInterval)
	b.tokens = math.Min(float64(r.PerChatBurst), b.tokens+math.Max(refill, 0))
	b.last = now
	if b.tokens < 1 {
		wait = max(wait, time.Duration((1-b.tokens)*float64(r.PerChatInterval)))
	}

	if wait > 0 {
		return tooManyRequests(int(math.Ceil(wait.Seconds())))
	}
	b.tokens--
	l.global = append(l.global, now)
	if c.isGroup() {
		l.groups[id] = append(l.groups[id], now)
	}
	return nil
}

// pruneBefore drops the times not after cutoff from a sorted window.
func pruneBefore(times []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[i:]
}
