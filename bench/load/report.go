package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
)

func numCPU() int { return runtime.NumCPU() }

func goVersion() string { return runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH }

// cpuModel is the processor's name from /proc/cpuinfo, or "" elsewhere.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// report renders the results as Markdown, which reads as well in a
// terminal as in a file.
type report struct {
	env     machine
	opts    options
	results []*result
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

func us(d time.Duration, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(d)/float64(time.Microsecond)/float64(n))
}

func (r report) find(bot, mode string) *result {
	for _, x := range r.results {
		if x.Bot == bot && x.Mode == mode {
			return x
		}
	}
	return nil
}

func (r report) markdown(w io.Writer) {
	o, e := r.opts, r.env
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("# signpost load benchmark\n\n")
	redis := "given by REDIS_URL"
	if e.private {
		redis = `private redis-server, --save "" --appendonly no`
	}
	p("- Machine: %d cores (%s), %s; every process on this machine, all traffic over loopback.\n", e.cores, orUnknown(e.cpuModel), e.goVersion)
	p("- Redis: %s (%s) at %s.\n", e.redisVersion, redis, e.redisURL)
	p("- Load: %d simulated people; at most %d concurrent webhook connections; %s a measurement; open loop at %g updates/s; replies awaited up to %s after.\n",
		o.people, o.conns, o.duration, o.rate, o.drain)
	p("- signpost: `signpost serve`, webhook mode, CONTENT_DIR=%s (answers each message once, \"Got X.\"), LOG_LEVEL=warn, "+
		"SEND_RATE=%g and CHAT_RATE=%g: raised far above Telegram's limits so the sender's rate limits do not throttle the measurement (they are still booked in Redis for every message).\n",
		o.content, o.sendRate, o.chatRate)
	p("- echo: a bare go-telegram/bot webhook bot (bench/echo), one sendMessage a text, library defaults.\n\n")

	var walks, others []*result
	for _, x := range r.results {
		if x.Mode == modeWalk {
			walks = append(walks, x)
		} else {
			others = append(others, x)
		}
	}
	if len(walks) > 0 {
		r.walkTable(w, walks)
	}
	if len(others) == 0 {
		r.details(w)
		return
	}
	p("| bot | load | updates/s end to end | updates/s answered 200 | replies/s in window | p50 ms | p90 ms | p99 ms | max ms | non-200 | missing replies |\n")
	p("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, x := range others {
		load := "closed loop (max)"
		if x.Mode == modeOpen {
			load = fmt.Sprintf("open loop %g/s", x.Offered)
		}
		non200 := 0
		for _, c := range x.Non200 {
			non200 += c
		}
		p("| %s | %s | %.0f | %.0f | %.0f | %s | %s | %s | %s | %d | %d |\n", x.Bot, load, x.completedRate(), x.ackedRate(), x.repliedRate(),
			ms(x.Latency.P50), ms(x.Latency.P90), ms(x.Latency.P99), ms(x.Latency.Max), non200, x.Missing)
	}
	p("\n")

	sc, ec := r.find(botSignpost, modeClosed), r.find(botEcho, modeClosed)
	if sc != nil && ec != nil && ec.completedRate() > 0 {
		ratio := sc.completedRate() / ec.completedRate()
		p("- Throughput ratio, closed loop, end to end: signpost / echo = %.0f / %.0f = **%.2f** (target at least 0.70: %s).\n",
			sc.completedRate(), ec.completedRate(), ratio, verdict(ratio >= 0.70))
		if ec.ackedRate() > 0 && ec.repliedRate() > 0 {
			p("  Counting webhook 200 answers in the window instead: %.2f; replies in the window: %.2f.\n",
				sc.ackedRate()/ec.ackedRate(), sc.repliedRate()/ec.repliedRate())
		}
	}
	if so := r.find(botSignpost, modeOpen); so != nil {
		target := "target at most 20 ms at 1,000 updates/s"
		ok := verdict(so.Latency.P99 <= 20*time.Millisecond && so.errors() == 0)
		if so.Offered != 1000 {
			ok = "not comparable: the target is set at 1,000 updates/s"
		}
		p("- signpost p99, update to reply, open loop at %g updates/s: **%s ms** (%s: %s).\n", so.Offered, ms(so.Latency.P99), target, ok)
	}
	r.details(w)
}

// details are the figures behind the tables, for every measurement.
func (r report) details(w io.Writer) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("\n## Details\n\n")
	p("End to end is updates replied to over the time from the first post to the last reply, which counts the backlog a bot works off after the load stops; " +
		"the rates in the window count only what happened while updates were posted. " +
		"Latency counts from when an update was posted (closed loop) or due (open loop) to when the fake Bot API accepted the bot's first message answering it. " +
		"\"Webhook answer\" is from posting to the webhook's 200: signpost answers once the update is committed to Redis, the echo bot as soon as the update is read. " +
		"CPU is user+system time over the load and the drain, divided by the updates answered 200; \"harness\" is this program: the load and the fake Bot API server. " +
		"Per-update figures are exact only where no reply is missing: otherwise the work still owed is not in them.\n\n")
	p("| bot | load | posted | answered 200 | replied | last reply s | webhook answer p50 ms | p99 ms | drain s | sendMessage/update | bot CPU µs/update | Redis CPU µs/update | harness CPU µs/update | bot cores busy |\n")
	p("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, x := range r.results {
		rc := "-"
		if x.usage.hasRedis {
			rc = us(x.usage.redis.cpu, x.Acked)
		}
		busy := float64(x.usage.bot) / float64(x.Window+x.Drain)
		spu := 0.0
		if x.Acked > 0 {
			spu = float64(x.Sends) / float64(x.Acked)
		}
		p("| %s | %s | %d | %d | %d | %.1f | %s | %s | %.1f | %.2f | %s | %s | %s | %.2f |\n", x.Bot, x.Mode, x.Posted, x.Acked, x.Answered,
			x.Completed.Seconds(), ms(x.Ack.P50), ms(x.Ack.P99), x.Drain.Seconds(), spu, us(x.usage.bot, x.Acked), rc, us(x.usage.harness, x.Acked), busy)
	}
	for _, x := range r.results {
		for code, n := range x.Non200 {
			what := fmt.Sprintf("answer %d", code)
			if code == 0 {
				what = "failed request (no answer)"
			}
			p("\n- %s, %s: %d × %s.", x.Bot, x.Mode, n, what)
		}
		for _, note := range x.Notes {
			p("\n- %s, %s: %s", x.Bot, x.Mode, note)
		}
	}
	p("\n")
	for _, x := range r.results {
		if len(x.PerSecond) == 0 {
			continue
		}
		var secs []string
		for _, d := range x.PerSecond {
			secs = append(secs, ms(d))
		}
		p("\n- %s, %s: p99 ms of the updates posted in each second: %s.", x.Bot, x.Mode, strings.Join(secs, ", "))
	}
	p("\n")
	for _, x := range r.results {
		m := x.Metrics
		if m == nil {
			continue
		}
		step := "-"
		if n := m["signpost_step_seconds_count"]; n > 0 {
			step = fmt.Sprintf("%.2f ms", m["signpost_step_seconds_sum"]/n*1000)
		}
		p("\n- %s, %s, from /metrics: mean step (load, step, commit) %s over %.0f steps; rate-limit waits %.0f; send retries %.0f; 429s %.0f; duplicates %.0f; GC cycles %.0f, %.1f ms of stop-the-world pauses.",
			x.Bot, x.Mode, step, m["signpost_step_seconds_count"], m["signpost_rate_waits_total"], m["signpost_send_retries_total"],
			m["signpost_telegram_429_total"], m["signpost_updates_duplicate_total"], m["go_gc_duration_seconds_count"], m["go_gc_duration_seconds_sum"]*1000)
	}
	p("\n")
	for _, x := range r.results {
		if !x.usage.hasRedis || x.Acked == 0 {
			continue
		}
		p("\n### Redis commands per update: %s, %s load\n\n", x.Bot, x.Mode)
		p("Counted by Redis (INFO commandstats) over the load and the drain; commands run inside a script are counted under their own names as well as under EVALSHA.\n\n")
		p("| command | calls/update | µs inside Redis a call | µs inside Redis an update |\n|---|--:|--:|--:|\n")
		names := make([]string, 0, len(x.usage.redis.commands))
		for n := range x.usage.redis.commands {
			names = append(names, n)
		}
		sort.Slice(names, func(i, j int) bool {
			a, b := x.usage.redis.commands[names[i]], x.usage.redis.commands[names[j]]
			if a.calls != b.calls {
				return a.calls > b.calls
			}
			return names[i] < names[j]
		})
		for _, n := range names {
			c := x.usage.redis.commands[n]
			p("| %s | %.2f | %.1f | %.1f |\n", n, float64(c.calls)/float64(x.Acked), float64(c.usec)/float64(c.calls), float64(c.usec)/float64(x.Acked))
		}
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
}

func orUnknown(s string) string {
	if s == "" {
		return "model unknown"
	}
	return s
}

// perStep divides a count by the steps answered 200, or "-".
func perStep(n float64, x *result) string {
	if x.Acked == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", n/float64(x.Acked))
}

// walkTable reports the walks: each person's next step once the last was
// answered, the real self-referral beside the echo bot.
func (r report) walkTable(w io.Writer, walks []*result) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("## Step by step: each person's next step once the last was answered\n\n")
	p("A step is one update: a message or a press; it is answered when the reply that shows it reached the fake Bot API. "+
		"real is signpost on the real content (%s) with a link workers' group: each person walks the self-referral (16 steps), "+
		"then asks /status once, waits until a link worker has claimed the case, and then writes to the worker, each message passed on to them and the group told; "+
		"the workers (one for every %d people) claim their people's cards as they come, one at a time. "+
		"The latencies are those of the people's steps; the workers' claims are steps too, and their latency is given apart. "+
		"signpost is the bench content (one reply a message), echo the bare go-telegram/bot echo bot.\n\n", r.opts.real, peoplePerWorker)
	p("| bot | steps | steps/s | p50 ms | p90 ms | p99 ms | max ms | Bot API calls/step | Redis round trips/step, all | up to the commit | Redis commands/step | missing |\n")
	p("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, x := range walks {
		all, upTo, cmds := "-", "-", "-"
		if m := x.Metrics; m != nil {
			all = perStep(m["signpost_redis_round_trips_total"], x)
			cmds = perStep(m["signpost_redis_commands_total"], x)
			if n := m["signpost_update_redis_round_trips_count"]; n > 0 {
				upTo = fmt.Sprintf("%.2f", m["signpost_update_redis_round_trips_sum"]/n)
			}
		}
		p("| %s | %d | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", x.Bot, x.Answered, x.completedRate(),
			ms(x.Latency.P50), ms(x.Latency.P90), ms(x.Latency.P99), ms(x.Latency.Max), perStep(float64(x.Calls), x), all, upTo, cmds, x.Missing)
	}
	p("\n")
	real, echo := r.find(botReal, modeWalk), r.find(botEcho, modeWalk)
	if real != nil && echo != nil && echo.completedRate() > 0 && echo.Latency.P99 > 0 {
		ratio := real.completedRate() / echo.completedRate()
		tail := float64(real.Latency.P99) / float64(echo.Latency.P99)
		p("- Real content beside the echo bot, same run: steps/s %.0f / %.0f = **%.2f** (target at least 0.60: %s); p99 %s / %s ms = **%.2f×** (target under 2×: %s).\n",
			real.completedRate(), echo.completedRate(), ratio, verdict(ratio >= 0.6), ms(real.Latency.P99), ms(echo.Latency.P99), tail, verdict(tail < 2))
	}
	for _, x := range walks {
		if len(x.Kinds) < 2 {
			continue
		}
		kinds := make([]string, 0, len(x.Kinds))
		for k := range x.Kinds {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		var parts []string
		for _, k := range kinds {
			q := x.Kinds[k]
			parts = append(parts, fmt.Sprintf("%s: %d steps, p50 %s ms, p99 %s ms", k, q.N, ms(q.P50), ms(q.P99)))
		}
		p("- %s, by kind of step: %s.\n", x.Bot, strings.Join(parts, "; "))
	}
	p("- Redis round trips are counted inside signpost by a go-redis hook: every command sent alone and every pipeline is one; \"all\" is everything the process sent over the run (deliveries, the sweep, the /metrics scrapes included) divided by the steps, \"up to the commit\" what one update cost from its arrival to its commit.\n")
	for _, x := range walks {
		if len(x.CallsBy) > 0 {
			p("- %s, Bot API calls a step by method: %s.\n", x.Bot, breakdown(x.CallsBy, x))
		}
	}
	for _, x := range walks {
		byName := map[string]int{}
		for k, v := range x.Metrics {
			if label, ok := strings.CutPrefix(k, tripsByName+`{sent="`); ok {
				byName[strings.TrimSuffix(label, `"}`)] += int(v)
			}
		}
		if len(byName) > 0 {
			p("- %s, Redis round trips a step by what they sent (a script by its name, a pipeline's contents joined with +): %s.\n", x.Bot, breakdown(byName, x))
		}
	}
	p("\n")
}

// breakdown lists counts a step, largest first, leaving out those under
// 0.005 a step.
func breakdown(counts map[string]int, x *result) string {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if counts[names[i]] != counts[names[j]] {
			return counts[names[i]] > counts[names[j]]
		}
		return names[i] < names[j]
	})
	var parts []string
	for _, n := range names {
		if x.Acked == 0 || float64(counts[n])/float64(x.Acked) < 0.005 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s", n, perStep(float64(counts[n]), x)))
	}
	return strings.Join(parts, ", ")
}
