package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSmoke runs the benchmark's core briefly against both bots, so a change
// that breaks the harness shows in CI. It builds both binaries, which takes
// longer than -short allows.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds signpost and the echo bot and runs them: skipped under -short")
	}
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		if _, err := exec.LookPath("redis-server"); err != nil {
			t.Skip("needs REDIS_URL or redis-server on PATH")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bins := map[string]string{}
	for bot, pkg := range map[string]string{botSignpost: "cmd/signpost", botEcho: "bench/echo"} {
		if bins[bot], err = buildBinary(ctx, root, pkg, dir, false); err != nil {
			t.Fatal(err)
		}
	}
	if redisURL == "" {
		srv, err := startRedis(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.stop)
		redisURL = srv.url
	}

	var results []*result
	bins[botReal] = bins[botSignpost]
	for _, mode := range []string{modeClosed, modeOpen, modeWalk} {
		for _, bot := range []string{botSignpost, botEcho, botReal} {
			if bot == botReal && mode != modeWalk {
				continue
			}
			content, d := "bench/content", time.Second
			if bot == botReal {
				// The self-referral takes 16 steps before the first message
				// to the case: time for them under -race too.
				content, d = "content/data", 8*time.Second
			}
			cfg := runConfig{
				Bot: bot, Binary: bins[bot], Mode: mode,
				People: 5, Duration: d, Rate: 50, Conns: 4, Drain: 10 * time.Second,
				RedisURL: redisURL, ContentDir: filepath.Join(root, content),
				SendRate: 1e6, ChatRate: 1e6,
			}
			res, err := run(ctx, cfg)
			if err != nil {
				t.Fatalf("%s, %s: %v", bot, mode, err)
			}
			if res.Acked == 0 || res.Answered != res.Acked || res.errors() != 0 {
				t.Errorf("%s, %s: %d posted, %d answered 200, %d replied, %d errors", bot, mode, res.Posted, res.Acked, res.Answered, res.errors())
			}
			if bot == botReal && res.Kinds[stepRelay].N == 0 {
				t.Errorf("real, walk: no message reached a case; steps by kind: %+v", res.Kinds)
			}
			if mode == modeOpen && res.Posted != 50 {
				t.Errorf("%s, open loop at 50/s for 1s posted %d updates, want 50", bot, res.Posted)
			}
			results = append(results, res)
		}
	}

	var buf bytes.Buffer
	rep := report{env: machine{cores: numCPU(), redisVersion: "test"}, opts: options{people: 5, duration: time.Second, rate: 50, conns: 4, real: "content/data"}, results: results}
	rep.markdown(&buf)
	for _, want := range []string{"| signpost | closed loop (max) |", "| echo | open loop 50/s |", "Throughput ratio", "signpost p99", "| real | ", "Real content beside the echo bot"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestReplyMatcher(t *testing.T) {
	tests := []struct {
		name, bot, text string
		seq             int
		ok              bool
	}{
		{"signpost reply", botSignpost, "Got m12.", 12, true},
		{"signpost question", botSignpost, "Say something.", 0, false},
		{"signpost without the full stop", botSignpost, "Got m12", 0, false},
		{"echo reply", botEcho, "m7", 7, true},
		{"echo of the warm-up", botEcho, "start", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq, ok := replyMatcher(tt.bot)(tt.text)
			if seq != tt.seq || ok != tt.ok {
				t.Errorf("match(%q) = %d, %v; want %d, %v", tt.text, seq, ok, tt.seq, tt.ok)
			}
		})
	}
}

func TestPercentiles(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	p := percentilesOf(ds)
	if p.P50 != 50*time.Millisecond || p.P90 != 90*time.Millisecond || p.P99 != 99*time.Millisecond || p.Max != 100*time.Millisecond || p.N != 100 {
		t.Errorf("percentiles of 1..100 ms = %+v", p)
	}
}
