package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
	"signpost/internal/redistest"
)

// benchSession is the size of a typical encoded session mid-conversation.
var benchSession = func() []byte {
	b := make([]byte, 600)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}()

// benchReplies are the outbox entries of a typical step: a reply and a keyboard.
var benchReplies = entries(
	`{"chat":1,"text":"Thanks. Which of these would help most?"}`,
	`{"chat":1,"buttons":["Money","Housing","Meeting people","Something else"]}`,
)

// benchStore returns a Store whose client has a connection for each of the
// given concurrent sessions, as a deployment sized for its load would. Its
// clock moves a second on every reading, as if each person wrote once a
// second, so the dedupe window prunes as it would in service.
func benchStore(b *testing.B, conns int) *Store {
	b.Helper()
	_, prefix := redistest.Setup(b) // for the prefix and the cleanup of its keys
	opt, err := redis.ParseURL(redistest.URL())
	if err != nil {
		b.Fatal(err)
	}
	opt.PoolSize = max(conns, 10)
	rdb := redis.NewClient(opt)
	b.Cleanup(func() { rdb.Close() })
	var ticks atomic.Int64
	return New(rdb, Config{
		Prefix:       prefix,
		DedupeWindow: time.Minute,
		Now:          func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * time.Second) },
	})
}

// BenchmarkCommit is the write alone: one person, each commit on the version
// the previous one returned.
func BenchmarkCommit(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b, 1)
	var v int64
	for i := 0; b.Loop(); i++ {
		var err error
		v, err = s.Commit(ctx, flows.Commit{
			User: 1, Version: v, Session: benchSession, Outbox: benchReplies, UpdateID: int64(i + 1),
		})
		if err != nil {
			b.Fatal(err)
		}
		if i%1024 == 1023 {
			b.StopTimer()
			if err := s.Ack(ctx, 1, 1<<30); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	}
	if n, err := s.MemoryUsage(ctx, 1); err == nil {
		b.ReportMetric(float64(n), "session-bytes")
	}
}

// BenchmarkLoadCommit is the storage side of one event, the path's two round
// trips, with 1 and 64 people writing at once. Each person is one goroutine,
// as the bot keeps one queue per chat.
func BenchmarkLoadCommit(b *testing.B) {
	for _, sessions := range []int{1, 64} {
		b.Run(fmt.Sprintf("sessions=%d", sessions), func(b *testing.B) {
			benchLoadCommit(b, sessions)
		})
	}
}

func benchLoadCommit(b *testing.B, sessions int) {
	ctx := context.Background()
	s := benchStore(b, sessions)
	var (
		next      atomic.Int64 // events handed out so far
		wg        sync.WaitGroup
		latencies = make([][]time.Duration, sessions)
		failed    atomic.Value
	)
	b.ResetTimer()
	began := time.Now()
	for g := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := int64(g + 1)
			lat := make([]time.Duration, 0, b.N/sessions+1)
			for {
				n := next.Add(1)
				if n > int64(b.N) {
					break
				}
				t0 := time.Now()
				if err := loadCommit(ctx, s, user, n); err != nil {
					failed.Store(err)
					return
				}
				lat = append(lat, time.Since(t0))
				if len(lat)%1024 == 0 {
					if err := s.Ack(ctx, user, 1<<30); err != nil {
						failed.Store(err)
						return
					}
				}
			}
			latencies[g] = lat
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	all := slices.Concat(latencies...)
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(percentile(all, 0.99))/float64(time.Millisecond), "p99-ms")
}

// loadCommit is what the runner does with one event, less the step itself.
func loadCommit(ctx context.Context, s *Store, user, update int64) error {
	for {
		rec, err := s.Load(ctx, user)
		if err != nil {
			return err
		}
		_, err = s.Commit(ctx, flows.Commit{
			User: user, Version: rec.Version, Session: benchSession, Outbox: benchReplies, UpdateID: update,
		})
		if !errors.Is(err, flows.ErrConflict) {
			return err
		}
	}
}

// percentile returns the q-quantile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*q+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
