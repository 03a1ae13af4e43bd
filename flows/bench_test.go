package flows_test

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
	"signpost/internal/redistest"
	"signpost/store"
)

// BenchmarkStep measures Step alone: a typed answer to a free-text question
// of the self-referral flow.
func BenchmarkStep(b *testing.B) {
	bundle := defaultBundle(b)
	s := walk(b, bundle, "hi", "1", "Sam", "3").Session // at "what matters"
	ev := flows.Event{Kind: flows.EventText, Text: "I would like to meet people"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		flows.Step(bundle, s, ev, now)
	}
}

// roundTrips counts commands and pipelines sent to Redis: each is one round trip.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { r.n.Add(1); return next(ctx, cmd) }
}
func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { r.n.Add(1); return next(ctx, cmds) }
}

// BenchmarkRunner sends events through the runner on real Redis: load, step,
// compare-and-set commit with the outbox. It reports events/s, p99 latency and
// Redis round trips an event, at 1 and 64 sessions in parallel.
func BenchmarkRunner(b *testing.B) {
	for _, sessions := range []int{1, 64} {
		b.Run(fmt.Sprintf("sessions=%d", sessions), func(b *testing.B) {
			opt, err := redis.ParseURL(redistest.URL())
			if err != nil {
				b.Fatal(err)
			}
			opt.PoolSize = sessions + 4
			rdb := redis.NewClient(opt)
			defer rdb.Close()
			_, prefix := redistest.Setup(b)
			rt := &roundTrips{}
			rdb.AddHook(rt)
			st := store.New(rdb, store.Config{Prefix: prefix})
			r := flows.NewRunner(st, loopBundle(b), flows.Config{})
			ctx := context.Background()
			for u := 0; u < sessions; u++ {
				if _, err := r.Handle(ctx, int64(u+1), text("start", 0)); err != nil {
					b.Fatal(err)
				}
			}
			var next atomic.Int64
			lat := make([][]time.Duration, sessions)
			var mu sync.Mutex
			used := 0
			// One goroutine a session: a plain loop for one, RunParallel
			// with exactly that many goroutines for more.
			rt.n.Store(0)
			b.ResetTimer()
			start := time.Now()
			if sessions == 1 {
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					if _, err := r.Handle(ctx, 1, text("2", next.Add(1))); err != nil {
						b.Fatal(err)
					}
					lat[0] = append(lat[0], time.Since(t0))
				}
			} else {
				b.SetParallelism(sessions / runtime.GOMAXPROCS(0))
				b.RunParallel(func(pb *testing.PB) {
					mu.Lock()
					slot := used % sessions
					used++
					mu.Unlock()
					var mine []time.Duration
					for pb.Next() {
						t0 := time.Now()
						if _, err := r.Handle(ctx, int64(slot+1), text("2", next.Add(1))); err != nil {
							b.Error(err)
							return
						}
						mine = append(mine, time.Since(t0))
					}
					mu.Lock()
					lat[slot] = append(lat[slot], mine...)
					mu.Unlock()
				})
			}
			elapsed := time.Since(start)
			b.StopTimer()
			var all []time.Duration
			for _, l := range lat {
				all = append(all, l...)
			}
			sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
			if len(all) > 0 {
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
			b.ReportMetric(float64(rt.n.Load())/float64(b.N), "roundtrips/event")
		})
	}
}

// TestFinishedSessionMemory walks a whole self-referral through the runner
// and measures what the finished session costs Redis (MEMORY USAGE).
func TestFinishedSessionMemory(t *testing.T) {
	ctx := context.Background()
	r, st := newRunner(t, defaultBundle(t))
	script := []string{"hello", "1", "Samantha", "3", "I would like to get out of the house more and meet people", "2", "1, 4, 7", "done", "yes", "no", "1", "1", "7", "5", "6", "3", "E17 4JA", "1", "1", "3", "2", "1", "Carry on"}
	for _, line := range script {
		if _, err := r.Handle(ctx, 5, text(line, 0)); err != nil {
			t.Fatal(err)
		}
	}
	s, err := r.Session(ctx, 5)
	if err != nil || !s.Done {
		t.Fatalf("session not finished: %+v, %v", s, err)
	}
	n, err := st.MemoryUsage(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("finished session: %d bytes in Redis", n)
	if n > 1024 {
		t.Errorf("finished session takes %d bytes, want at most 1024", n)
	}
}
