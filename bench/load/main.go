// Command load is signpost's load benchmark. In one run it measures
// "signpost serve" in webhook mode, on a real Redis, beside a bare
// go-telegram/bot echo bot (bench/echo), both talking to the same in-process
// fake Bot API server (internal/telegramtest) and both fed the same updates,
// posted straight to their webhooks over loopback:
//
//   - closed: maximum throughput. Each simulated person sends their next
//     message as soon as the webhook answered 200 to the previous one.
//   - open: a fixed rate of updates a second, whatever the bot does, for
//     latency from an update to the bot's reply.
//
// Usage:
//
//	go run ./bench/load [-people 500] [-duration 10s] [-rate 1000] [-out FILE]
//
// REDIS_URL names the Redis to use; without it a private redis-server is
// started on a free loopback port and stopped at the end. See
// bench/README.md for what each figure means.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// options are the command line's settings.
type options struct {
	people     int
	duration   time.Duration
	rate       float64
	conns      int
	drain      time.Duration
	bots       []string
	modes      []string
	out        string
	sendRate   float64
	chatRate   float64
	content    string
	real       string
	cpuprofile string
	rev        string
	verbose    bool
}

func main() {
	var o options
	var bots, modes string
	flag.IntVar(&o.people, "people", 500, "simulated people writing to the bot")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each measurement posts updates")
	flag.Float64Var(&o.rate, "rate", 1000, "updates a second in the open-loop (latency) measurement")
	flag.IntVar(&o.conns, "conns", 100, "concurrent webhook connections at most (Telegram allows up to 100)")
	flag.DurationVar(&o.drain, "drain", 10*time.Second, "how long to wait for replies after the load stops")
	flag.StringVar(&bots, "bots", "signpost,echo,real", "bots to measure, comma-separated: signpost (on -content), echo, real (signpost on -real-content, walk only)")
	flag.StringVar(&modes, "modes", "closed,open,walk", "loads to apply, comma-separated: closed (max throughput), open (fixed rate), walk (each step once the last was answered)")
	flag.StringVar(&o.out, "out", "", "also write the results as Markdown to this file")
	flag.Float64Var(&o.sendRate, "send-rate", 1e6, "signpost's SEND_RATE (messages a second in all): high, so as not to throttle the measurement")
	flag.Float64Var(&o.chatRate, "chat-rate", 1e6, "signpost's CHAT_RATE (messages a second to one chat): high, so as not to throttle the measurement")
	flag.StringVar(&o.content, "content", "bench/content", "signpost's CONTENT_DIR, relative to the module root: a flow that answers every message once")
	flag.StringVar(&o.real, "real-content", "content/data", "the CONTENT_DIR of the real bot, relative to the module root: the self-referral")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of signpost under each load into this directory (signpost-closed.pprof, ...), and one of its allocations (signpost-closed-allocs.pprof, ...)")
	flag.StringVar(&o.rev, "rev", "", "build signpost and read its content from this git revision (default: the working tree)")
	flag.BoolVar(&o.verbose, "v", false, "show the bots' logs")
	flag.Parse()
	o.bots = strings.Split(bots, ",")
	o.modes = strings.Split(modes, ",")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := benchmark(ctx, o, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func (o options) check() error {
	for _, b := range o.bots {
		if b != botSignpost && b != botEcho && b != botReal {
			return fmt.Errorf("-bots: unknown bot %q (signpost, echo, real)", b)
		}
	}
	for _, m := range o.modes {
		if m != modeClosed && m != modeOpen && m != modeWalk {
			return fmt.Errorf("-modes: unknown load %q (closed, open, walk)", m)
		}
	}
	switch {
	case o.people < 1:
		return fmt.Errorf("-people must be at least 1")
	case o.duration < time.Second || o.duration > time.Hour:
		return fmt.Errorf("-duration must be from 1s to 1h")
	case o.rate <= 0 || o.rate > 100_000:
		return fmt.Errorf("-rate must be above 0 and at most 100000")
	case o.conns < 1 || o.conns > 10_000:
		return fmt.Errorf("-conns must be from 1 to 10000")
	case o.drain < 0 || o.drain > 10*time.Minute:
		return fmt.Errorf("-drain must be from 0 to 10m")
	}
	return nil
}

// benchmark builds the bots, provides Redis, runs every measurement and
// reports. Progress goes to log, the results to out.
func benchmark(ctx context.Context, o options, out, log io.Writer) error {
	if err := o.check(); err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "signpost-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// signpost and its content come from the working tree or from -rev;
	// the echo bot always from the working tree.
	src := root
	if o.rev != "" {
		src = filepath.Join(dir, "src")
		fmt.Fprintf(log, "checking out %s\n", o.rev)
		if err := checkout(ctx, root, o.rev, src); err != nil {
			return err
		}
	}
	binaries := map[string]string{}
	for _, b := range o.bots {
		if b == botReal && slices.Contains(o.bots, botSignpost) {
			continue // the same binary, on other content
		}
		pkg, from := "cmd/signpost", src
		if b == botEcho {
			pkg, from = "bench/echo", root
		}
		fmt.Fprintf(log, "building ./%s\n", pkg)
		bin, err := buildBinary(ctx, from, pkg, dir, b != botEcho && o.cpuprofile != "")
		if err != nil {
			return err
		}
		binaries[b] = bin
	}
	if bin, ok := binaries[botSignpost]; ok && slices.Contains(o.bots, botReal) {
		binaries[botReal] = bin
	}

	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		fmt.Fprintln(log, "starting redis-server on a free loopback port")
		srv, err := startRedis(ctx)
		if err != nil {
			return err
		}
		defer srv.stop()
		redisURL = srv.url
	}
	env, err := describeMachine(ctx, redisURL)
	if err != nil {
		return err
	}
	if o.cpuprofile != "" {
		if err := os.MkdirAll(o.cpuprofile, 0o755); err != nil {
			return err
		}
		// The load tool and the fake Bot API share the machine with the
		// bots: where their time goes is worth seeing too.
		f, err := os.Create(filepath.Join(o.cpuprofile, "harness.pprof"))
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}

	var results []*result
	for _, mode := range o.modes {
		for _, b := range o.bots {
			if b == botReal && mode != modeWalk {
				continue // a real conversation must wait for each question
			}
			content := o.content
			if b == botReal {
				content = o.real
			}
			cfg := runConfig{
				Bot: b, Binary: binaries[b], Mode: mode,
				People: o.people, Duration: o.duration, Rate: o.rate, Conns: o.conns, Drain: o.drain,
				RedisURL: redisURL, ContentDir: filepath.Join(src, content),
				SendRate: o.sendRate, ChatRate: o.chatRate,
			}
			if o.verbose {
				cfg.Logs = log
			}
			if b != botEcho && o.cpuprofile != "" {
				cfg.ProfileFile = filepath.Join(o.cpuprofile, fmt.Sprintf("%s-%s.pprof", b, mode))
			}
			fmt.Fprintf(log, "measuring %s, %s load, %d people, %s\n", b, mode, o.people, o.duration)
			res, err := run(ctx, cfg)
			if err != nil {
				return err
			}
			results = append(results, res)
		}
	}

	rep := report{env: env, opts: o, results: results}
	rep.markdown(out)
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		rep.markdown(f)
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(log, "wrote %s\n", o.out)
	}
	return nil
}

// machine describes where the figures were taken.
type machine struct {
	cores        int
	cpuModel     string
	goVersion    string
	redisVersion string
	redisURL     string
	private      bool
}

func describeMachine(ctx context.Context, redisURL string) (machine, error) {
	m := machine{cores: numCPU(), cpuModel: cpuModel(), goVersion: goVersion(), private: os.Getenv("REDIS_URL") == ""}
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return m, fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	srv, err := info(ctx, rdb, "server")
	if err != nil {
		return m, err
	}
	m.redisVersion = srv["redis_version"]
	m.redisURL = opt.Addr
	return m, nil
}
