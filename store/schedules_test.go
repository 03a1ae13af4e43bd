package store

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"signpost/scheduler"
)

func TestEnrolmentEncoding(t *testing.T) {
	tests := []struct {
		name string
		e    scheduler.Enrolment
		want string
	}{
		{"default", scheduler.DefaultEnrolment(), "0w2,600,720"},
		{"stopped", scheduler.Enrolment{Kind: scheduler.KindWeekly, Day: time.Sunday, Window: scheduler.Window{From: 90, To: 91}, Stopped: true}, "1w0,90,91"},
		{"blocked and stopped", scheduler.Enrolment{Kind: scheduler.KindWeekly, Day: time.Saturday, Window: scheduler.DefaultWindow, Stopped: true, Blocked: true}, "3w6,600,720"},
		{"paused", scheduler.Enrolment{Kind: scheduler.KindWeekly, Day: time.Friday, Window: scheduler.DefaultWindow,
			PausedUntil: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}, "0w5,600,720,1782864000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := encodeEnrolment(tt.e)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("encode (-want +got):\n%s", diff)
			}
			back, err := decodeEnrolment(got)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.e, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{"", "0x2,600,720", "9w2,600,720", "0w2,600", "0w2,a,720"} {
		if _, err := decodeEnrolment(bad); err == nil {
			t.Errorf("decodeEnrolment(%q) accepted", bad)
		}
	}
}

// loadPeople queues n people with the default enrolment, person i due at
// base + i ms, pipelined a thousand to a command.
func loadPeople(t testing.TB, ctx context.Context, sc *Schedules, n int, base time.Time) {
	t.Helper()
	value := encodeEnrolment(scheduler.DefaultEnrolment())
	const chunk = 1000
	p := sc.rdb.Pipeline()
	for lo := 1; lo <= n; lo += chunk {
		hi := min(lo+chunk-1, n)
		fields := make([]any, 0, 2*chunk)
		zs := make([]redis.Z, 0, chunk)
		for u := lo; u <= hi; u++ {
			id := strconv.Itoa(u)
			fields = append(fields, id, value)
			zs = append(zs, redis.Z{Score: float64(base.UnixMilli() + int64(u)), Member: id})
		}
		p.HSet(ctx, sc.keys.schedEnrol(), fields...)
		p.ZAdd(ctx, sc.keys.schedDue(), zs...)
		if p.Len() >= 100 || hi == n {
			if _, err := p.Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestClaimConcurrent: eight claimers at once take every due item exactly
// once, and nothing not yet due.
func TestClaimConcurrent(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	sc := s.Schedules()
	base := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	loadPeople(t, ctx, sc, 5000, base)
	now := base.Add(4000 * time.Millisecond) // people 1-4000 are due

	var (
		mu  sync.Mutex
		got = map[int64]int{}
		wg  sync.WaitGroup
	)
	for range 8 {
		wg.Go(func() {
			for {
				cl, err := sc.Claim(ctx, now, 100, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(cl) == 0 {
					return
				}
				mu.Lock()
				for _, c := range cl {
					got[c.User]++
					if c.Reminder || !c.At.Equal(base.Add(time.Duration(c.User)*time.Millisecond)) {
						t.Errorf("claim %+v", c)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(got) != 4000 {
		t.Errorf("%d people claimed, want 4000", len(got))
	}
	for u, n := range got {
		if n != 1 || u > 4000 {
			t.Errorf("person %d claimed %d times", u, n)
		}
	}
}

// TestCompleteAndLease: what Complete queues, and what a lease that ran out
// puts back.
func TestCompleteAndLease(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	next := at.Add(7 * 24 * time.Hour)
	active := scheduler.DefaultEnrolment()
	stopped := active
	stopped.Stopped = true
	tests := []struct {
		name     string
		stored   *scheduler.Enrolment
		queued   time.Time // a newer item queued meanwhile
		expire   bool      // the lease runs out and the item is put back first
		wantNext time.Time
	}{
		{"active: next queued", &active, time.Time{}, false, next},
		{"stopped meanwhile: nothing", &stopped, time.Time{}, false, time.Time{}},
		{"forgotten meanwhile: nothing", nil, time.Time{}, false, time.Time{}},
		{"changed meanwhile: the change wins", &active, next.Add(time.Hour), false, next.Add(time.Hour)},
		{"lease ran out, claimed twice, completed twice", &active, time.Time{}, true, next},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := setup(t, Config{})
			sc := s.Schedules()
			if err := sc.PutEnrolment(ctx, 1, active, at); err != nil {
				t.Fatal(err)
			}
			cl, err := sc.Claim(ctx, at, 10, time.Minute)
			if err != nil || len(cl) != 1 {
				t.Fatalf("claim: %v %v", cl, err)
			}
			if tt.expire {
				// Another replica finds the lease over: the same item again.
				again, err := sc.Claim(ctx, at.Add(2*time.Minute), 10, time.Minute)
				if err != nil || len(again) != 1 || !again[0].At.Equal(at) {
					t.Fatalf("claim after the lease: %v %v", again, err)
				}
			}
			switch {
			case tt.stored == nil:
				if err := sc.DeleteSchedule(ctx, 1); err != nil {
					t.Fatal(err)
				}
			default:
				if err := sc.PutEnrolment(ctx, 1, *tt.stored, tt.queued); err != nil {
					t.Fatal(err)
				}
			}
			for range 1 + boolInt(tt.expire) { // both holders complete
				if err := sc.Complete(ctx, cl[0], next); err != nil {
					t.Fatal(err)
				}
			}
			_, gotNext, _ := sc.Enrolment(ctx, 1)
			if !gotNext.Equal(tt.wantNext) {
				t.Errorf("queued %v, want %v", gotNext, tt.wantNext)
			}
			if n := sc.rdb.ZCard(ctx, sc.keys.schedLeased()).Val(); n != 0 {
				t.Errorf("%d leases left", n)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestScheduleMemory: the schedule costs at most 200 bytes a person, with
// enough people that Redis uses its large encodings, as in service.
func TestScheduleMemory(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	sc := s.Schedules()
	const n = 20000
	loadPeople(t, ctx, sc, n, time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC))
	per := schedMemoryPerPerson(t, ctx, sc, n)
	t.Logf("schedule memory: %.1f bytes a person (MEMORY USAGE, %d people)", per, n)
	if per > 200 {
		t.Errorf("%.1f bytes a person, want at most 200", per)
	}
}

func schedMemoryPerPerson(t testing.TB, ctx context.Context, sc *Schedules, n int) float64 {
	t.Helper()
	var total int64
	for _, k := range []string{sc.keys.schedEnrol(), sc.keys.schedDue()} {
		b, err := sc.rdb.MemoryUsage(ctx, k, 0).Result()
		if err != nil {
			t.Fatal(err)
		}
		total += b
	}
	return float64(total) / float64(n)
}

// usedMemory is INFO memory's used_memory.
func usedMemory(t testing.TB, ctx context.Context, rdb redis.UniversalClient) int64 {
	t.Helper()
	info, err := rdb.Info(ctx, "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	t.Fatal("no used_memory in INFO")
	return 0
}

// BenchmarkSchedule1M loads a million scheduled people (pipelined), reports
// their memory, then claims a thousand due check-ins a tick. It only runs
// with -bench, never in a plain go test:
//
//	go test -run '^$' -bench Schedule1M -benchtime 200x ./store/
func BenchmarkSchedule1M(b *testing.B) {
	ctx := context.Background()
	s, _ := setup(b, Config{})
	sc := s.Schedules()
	const n = 1_000_000
	base := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)

	before := usedMemory(b, ctx, sc.rdb)
	t0 := time.Now()
	loadPeople(b, ctx, sc, n, base)
	load := time.Since(t0)
	after := usedMemory(b, ctx, sc.rdb)
	usage := schedMemoryPerPerson(b, ctx, sc, n)

	const batch = 1000
	k := 0
	var worst time.Duration
	for b.Loop() {
		if (k+1)*batch > n {
			b.Fatal("ran out of people: use a smaller -benchtime")
		}
		now := base.Add(time.Duration((k+1)*batch) * time.Millisecond)
		t1 := time.Now()
		cl, err := sc.Claim(ctx, now, batch, time.Minute)
		worst = max(worst, time.Since(t1))
		if err != nil || len(cl) != batch {
			b.Fatalf("claim %d: %d items, %v", k, len(cl), err)
		}
		k++
	}
	// Reported after the loop, which resets metrics reported before it.
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-claim-ms")
	b.ReportMetric(load.Seconds(), "load-s")
	b.ReportMetric(float64(after-before)/n, "info-bytes/person")
	b.ReportMetric(usage, "usage-bytes/person")
}

func TestDeleteScheduleDropsLeases(t *testing.T) {
	ctx := t.Context()
	s, _ := setup(t, Config{})
	sc := s.Schedules()
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	for _, user := range []int64{1, 12} {
		if err := sc.PutEnrolment(ctx, user, scheduler.DefaultEnrolment(), at); err != nil {
			t.Fatal(err)
		}
		if err := sc.Remind(ctx, user, at); err != nil {
			t.Fatal(err)
		}
	}
	if cl, err := sc.Claim(ctx, at, 10, time.Minute); err != nil || len(cl) != 4 {
		t.Fatalf("claim: %v %v", cl, err)
	}
	// Person 1 is erased while their items are being sent, and the replica
	// sending them stops: nothing of theirs comes back to the queues.
	if err := sc.DeleteSchedule(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{s.keys.schedLeased(), s.keys.remindLeased()} {
		if m := s.rdb.ZRange(ctx, k, 0, -1).Val(); len(m) != 1 || !strings.HasPrefix(m[0], "12:") {
			t.Errorf("%s holds %v, want person 12's lease only", k, m)
		}
	}
	again, err := sc.Claim(ctx, at.Add(2*time.Minute), 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again {
		if c.User == 1 {
			t.Errorf("an item of the erased person came back: %+v", c)
		}
	}
}
