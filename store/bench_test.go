package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
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

// BenchmarkCommitStep is the commit of a step as the runner makes it on a
// single server: with an update id, the outbox leased to the sender and its
// sending slots booked, all in one round trip. Besides the time it reports
// what Redis spent on it: its CPU (redis-µs/op, the loopback's system
// calls included), the script's own time (script-µs/op, as INFO
// commandstats counts EVALSHA), the script runs (scripts/op) and the
// commands run inside them (calls/op, writes/op).
func BenchmarkCommitStep(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b, 1)
	lease := flows.Lease{Owner: "bench.1", TTL: 30 * time.Second, Max: 8, Book: &flows.Booking{
		ChatRate: 1, ChatBurst: 3, GlobalRate: 30, GlobalBurst: 30,
	}}
	var v int64
	before := redisStats(b, s)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		var claimed flows.Claimed
		var err error
		v, err = s.Commit(ctx, flows.Commit{
			User: 1, Version: v, Session: benchSession, Outbox: benchReplies, UpdateID: int64(i + 1),
			Lease: lease, Slots: 2, Claimed: &claimed,
		})
		if err != nil {
			b.Fatal(err)
		}
		if !claimed.OK || len(claimed.Entries) == 0 {
			b.Fatalf("commit %d leased nothing: %+v", i, claimed)
		}
		if i%512 == 511 {
			b.StopTimer()
			if err := s.Ack(ctx, 1, 1<<30); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	}
	b.StopTimer()
	redisStats(b, s).report(b, before)
}

// redisSnapshot is what Redis has counted so far: its CPU, and per command
// its calls and microseconds.
type redisSnapshot struct {
	cpu   time.Duration
	calls map[string]int64
	usec  map[string]int64
}

// writeCommands are the commands the store's scripts write with.
var writeCommands = map[string]bool{
	"set": true, "pexpire": true, "persist": true, "zadd": true, "zremrangebyscore": true,
	"rpush": true, "del": true, "hset": true, "ltrim": true, "incr": true,
}

func redisStats(b *testing.B, s *Store) redisSnapshot {
	b.Helper()
	ctx := context.Background()
	snap := redisSnapshot{calls: map[string]int64{}, usec: map[string]int64{}}
	cpu, err := s.rdb.Info(ctx, "cpu").Result()
	if err != nil {
		b.Fatal(err)
	}
	stats, err := s.rdb.Info(ctx, "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(cpu+"\n"+stats, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		if k == "used_cpu_user" || k == "used_cpu_sys" {
			f, _ := strconv.ParseFloat(v, 64)
			snap.cpu += time.Duration(f * float64(time.Second))
		}
		name, ok := strings.CutPrefix(k, "cmdstat_")
		if !ok {
			continue
		}
		for _, f := range strings.Split(v, ",") {
			fk, fv, _ := strings.Cut(f, "=")
			n, _ := strconv.ParseInt(fv, 10, 64)
			switch fk {
			case "calls":
				snap.calls[name] = n
			case "usec":
				snap.usec[name] = n
			}
		}
	}
	return snap
}

// report reports what Redis spent between before and now, per operation.
func (s redisSnapshot) report(b *testing.B, before redisSnapshot) {
	n := float64(b.N)
	var calls, writes int64
	for name, c := range s.calls {
		d := c - before.calls[name]
		if name == "evalsha" || name == "eval" || name == "info" || d <= 0 {
			continue
		}
		calls += d
		if writeCommands[name] {
			writes += d
		}
	}
	b.ReportMetric(float64(s.cpu-before.cpu)/float64(time.Microsecond)/n, "redis-µs/op")
	b.ReportMetric(float64(s.usec["evalsha"]-before.usec["evalsha"])/n, "script-µs/op")
	b.ReportMetric(float64(s.calls["evalsha"]-before.calls["evalsha"])/n, "scripts/op")
	b.ReportMetric(float64(calls)/n, "calls/op")
	b.ReportMetric(float64(writes)/n, "writes/op")
}
