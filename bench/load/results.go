package main

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"signpost/internal/telegramtest"
)

// replyMatcher returns, for the bot, a function that reads which message a
// reply answers: signpost's echo flow says "Got m12." (and then asks again),
// the echo bot says "m12". ok is false for any other message.
func replyMatcher(bot string) func(string) (int, bool) {
	prefix, suffix := "m", ""
	if bot == botSignpost {
		prefix, suffix = "Got m", "."
	}
	return func(s string) (int, bool) {
		s, ok := strings.CutPrefix(s, prefix)
		if !ok {
			return 0, false
		}
		if s, ok = strings.CutSuffix(s, suffix); !ok {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
}

// collectReplies reads, for each person, when the bot's first reply to each
// of their messages was accepted by the fake server. The server keeps each
// chat's messages and the times of the bot's sendMessage calls in the same
// order, so the n-th bot message was sent at the n-th send time.
func collectReplies(tg *telegramtest.Server, people []*telegramtest.Person, match func(string) (int, bool)) []map[int]time.Time {
	out := make([]map[int]time.Time, len(people))
	for i, p := range people {
		times := tg.SendTimes(p.ID())
		msgs := p.BotMessages()
		got := map[int]time.Time{}
		if len(times) == len(msgs) {
			for k, m := range msgs {
				if seq, ok := match(m.Text); ok {
					if _, seen := got[seq]; !seen {
						got[seq] = times[k]
					}
				}
			}
		}
		out[i] = got
	}
	return out
}

// missing counts updates answered 200 that have no reply yet.
func missing(recs []record, replies []map[int]time.Time) int {
	n := 0
	for _, r := range recs {
		if r.status == 200 {
			if _, ok := replies[r.person][r.seq]; !ok {
				n++
			}
		}
	}
	return n
}

// result is what one run measured.
type result struct {
	Bot, Mode string
	People    int
	Conns     int
	Window    time.Duration
	Offered   float64 // open loop: the rate asked for
	Posted    int
	// Acked counts 200 answers; AckedInWindow those that came within the
	// window.
	Acked, AckedInWindow int
	// RepliedInWindow counts replies the fake server accepted within the
	// window: end-to-end throughput.
	RepliedInWindow int
	// Answered counts updates with a reply by the end of the drain;
	// Completed is the time from the start to the last of those replies.
	Answered  int
	Completed time.Duration
	// Non200 counts answers other than 200, by status; 0 is a failed
	// request.
	Non200  map[int]int
	Missing int // answered 200, never replied to
	// Sends counts the bot's sendMessage calls from the start of the load
	// to the end of the drain, Calls its Bot API calls of every kind.
	Sends, Calls int
	// CallsBy is Calls by Bot API method.
	CallsBy map[string]int
	// Kinds is the latency of each kind of step, in a walk.
	Kinds map[string]percentiles
	// Latency from posting (or due time) to the reply; Ack from posting to
	// the webhook's answer.
	Latency, Ack percentiles
	// PerSecond is the p99 latency of the updates due in each second of
	// the window: whether the tail is steady or comes in bursts.
	PerSecond []time.Duration
	Drain     time.Duration
	Notes     []string
	// Metrics are counters read from signpost's /metrics after the run.
	Metrics map[string]float64
	usage   usage
}

type percentiles struct {
	N                       int
	P50, P90, P99, Max, Avg time.Duration
}

func percentilesOf(ds []time.Duration) percentiles {
	if len(ds) == 0 {
		return percentiles{}
	}
	slices.Sort(ds)
	at := func(q float64) time.Duration {
		i := int(q*float64(len(ds))+0.5) - 1
		return ds[min(max(i, 0), len(ds)-1)]
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return percentiles{N: len(ds), P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: ds[len(ds)-1], Avg: sum / time.Duration(len(ds))}
}

func summarise(cfg runConfig, recs []record, replies []map[int]time.Time, start, end time.Time) *result {
	res := &result{Bot: cfg.Bot, Mode: cfg.Mode, People: cfg.People, Conns: cfg.Conns, Window: end.Sub(start), Posted: len(recs), Non200: map[int]int{}}
	if cfg.Mode == modeOpen {
		res.Offered = cfg.Rate
	}
	var lat, ack []time.Duration
	for _, r := range recs {
		if r.status != 200 {
			res.Non200[r.status]++
			continue
		}
		res.Acked++
		if !r.done.After(end) {
			res.AckedInWindow++
		}
		ack = append(ack, r.done.Sub(r.at))
		t, ok := replies[r.person][r.seq]
		if !ok {
			res.Missing++
			continue
		}
		res.Answered++
		if r.kind != stepClaim {
			// A worker's claims come in a burst no worker makes, as every
			// person reaches the end at once: they count as steps, and
			// their latency is shown apart.
			lat = append(lat, t.Sub(r.at))
		}
		res.Completed = max(res.Completed, t.Sub(start))
	}
	for _, got := range replies {
		for _, t := range got {
			if !t.Before(start) && !t.After(end) {
				res.RepliedInWindow++
			}
		}
	}
	secs := make([][]time.Duration, int(res.Window/time.Second)+1)
	for _, r := range recs {
		if t, ok := replies[r.person][r.seq]; ok && r.status == 200 {
			if i := int(r.at.Sub(start) / time.Second); i >= 0 && i < len(secs) {
				secs[i] = append(secs[i], t.Sub(r.at))
			}
		}
	}
	for _, ds := range secs {
		if len(ds) > 0 {
			res.PerSecond = append(res.PerSecond, percentilesOf(ds).P99)
		}
	}
	res.Latency = percentilesOf(lat)
	byKind := map[string][]time.Duration{}
	for _, r := range recs {
		if t, ok := replies[r.person][r.seq]; ok && r.status == 200 && r.kind != "" {
			byKind[r.kind] = append(byKind[r.kind], t.Sub(r.at))
		}
	}
	if len(byKind) > 0 {
		res.Kinds = map[string]percentiles{}
		for k, ds := range byKind {
			res.Kinds[k] = percentilesOf(ds)
		}
	}
	res.Ack = percentilesOf(ack)
	return res
}

// Rates over the window.
func (r *result) ackedRate() float64   { return float64(r.AckedInWindow) / r.Window.Seconds() }
func (r *result) repliedRate() float64 { return float64(r.RepliedInWindow) / r.Window.Seconds() }

// completedRate is end-to-end throughput: updates replied to, divided by
// the time from the first post to the last reply. Unlike the rates in the
// window it also counts the backlog a bot works off after the load stops.
func (r *result) completedRate() float64 {
	if r.Completed <= 0 {
		return 0
	}
	return float64(r.Answered) / r.Completed.Seconds()
}

// errors is every update that went wrong: a refusal, a failed request or a
// missing reply.
func (r *result) errors() int {
	n := r.Missing
	for _, c := range r.Non200 {
		n += c
	}
	return n
}
