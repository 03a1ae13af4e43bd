package scheduler_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/scheduler"
)

// sends formats the sends for user as "scheduled local time | tick time".
func sends(s *sender, user int64) []string {
	var out []string
	for _, x := range s.sent() {
		if x.Due.User == user {
			out = append(out, x.Due.At.In(london).Format("2006-01-02 15:04 MST")+" | "+x.Now.In(london).Format("15:04 MST"))
		}
	}
	return out
}

// TestDSTTicking ticks every minute through the weeks around both 2026 clock
// changes: each check-in exactly once, at the local time the DST rule gives.
func TestDSTTicking(t *testing.T) {
	t.Parallel() // long: a minute at a time through five weeks
	e := setup(t, local(2026, 3, 21, 12, 0), scheduler.Config{QuietHours: noQuiet})
	mustEnrol(t, e, 1, weekly(time.Sunday, scheduler.Clock(1, 30), scheduler.Clock(1, 31)))
	mustEnrol(t, e, 2, weekly(time.Sunday, scheduler.Clock(1, 0), scheduler.Clock(3, 0)))
	mustEnrol(t, e, 3, scheduler.DefaultEnrolment())

	e.run(t, local(2026, 4, 5, 4, 0))
	// Nothing sent in the summer, then everything missed in one catch-up
	// tick: too late, skipped. The clock changes back in October.
	e.clk.Set(local(2026, 10, 17, 12, 0))
	if st := e.tick(t); st.Skipped != 3 || st.Sent != 0 {
		t.Fatalf("tick after the summer: %+v, want 3 skipped", st)
	}
	e.run(t, local(2026, 11, 1, 4, 0))

	want := []string{
		"2026-03-22 01:30 GMT | 01:30 GMT",
		"2026-03-29 02:30 BST | 02:30 BST", // 01:30 does not exist
		"2026-04-05 01:30 BST | 01:30 BST",
		"2026-10-18 01:30 BST | 01:30 BST",
		"2026-10-25 01:30 BST | 01:30 BST", // the first of two 01:30s only
		"2026-11-01 01:30 GMT | 01:30 GMT",
	}
	if diff := cmp.Diff(want, sends(e.send, 1)); diff != "" {
		t.Errorf("01:30 check-ins (-want +got):\n%s", diff)
	}
	// The jittered windows (Sunday 01:00-03:00 and Tuesday 10:00-12:00): once
	// a week, on the tick of the check-in's instant.
	for user, wantDays := range map[int64]int{2: 6, 3: 4} {
		got := e.send.sent()
		days := map[string]int{}
		for _, x := range got {
			if x.Due.User != user {
				continue
			}
			if !x.Now.Equal(x.Due.At) {
				t.Errorf("user %d: due %v sent at %v", user, x.Due.At, x.Now)
			}
			days[x.Due.At.In(london).Format("2006-01-02")]++
		}
		if len(days) != wantDays {
			t.Errorf("user %d: check-ins on %d days, want %d: %v", user, len(days), wantDays, days)
		}
		for d, n := range days {
			if n != 1 {
				t.Errorf("user %d: %d check-ins on %s", user, n, d)
			}
		}
	}
}

// TestReplicas runs two schedulers on one Redis through a month, both ticking
// every minute at once: every check-in is sent once, by one of them.
func TestReplicas(t *testing.T) {
	t.Parallel() // long: a minute at a time through a month
	start, end := local(2026, 3, 1, 0, 0), local(2026, 4, 1, 0, 0)
	a := setup(t, start, scheduler.Config{Workers: 4})
	// The second replica: its own Scheduler on the same Redis keys, sending
	// into the same transcript.
	b, err := scheduler.New(a.st, a.send, a.flag, scheduler.Config{Now: a.clk.Now, Workers: 4, Logger: discard})
	if err != nil {
		t.Fatal(err)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	want := map[string]bool{}
	for user := int64(1); user <= 200; user++ {
		from := scheduler.Clock(9+rng.IntN(10), rng.IntN(60))
		en := weekly(time.Weekday(rng.IntN(7)), from, from+scheduler.TimeOfDay(1+rng.IntN(120)))
		if en.Window.To > scheduler.Clock(21, 0) {
			en.Window.To = scheduler.Clock(21, 0)
		}
		mustEnrol(t, a, user, en)
		for at := scheduler.Next(user, en, start, london); at.Before(end); at = scheduler.Next(user, en, at, london) {
			want[at.UTC().Format(time.RFC3339)+"/"+strconv.FormatInt(user, 10)] = true
		}
	}
	ctx := context.Background()
	for now := start; now.Before(end); now = now.Add(time.Minute) {
		a.clk.Set(now)
		var wg sync.WaitGroup
		for _, s := range []*scheduler.Scheduler{a.s, b} {
			wg.Go(func() {
				if _, err := s.Tick(ctx, now); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	got := map[string]bool{}
	ids := map[string]int{}
	for _, x := range a.send.sent() {
		got[x.Due.At.UTC().Format(time.RFC3339)+"/"+strconv.FormatInt(x.Due.User, 10)] = true
		ids[x.Due.ID]++
		if !x.Now.Equal(x.Due.At) {
			t.Errorf("%s sent at %v", x.Due.ID, x.Now)
		}
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("%s sent %d times", id, n)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("check-ins (-want +got):\n%s", diff)
	}
	if len(want) < 800 {
		t.Errorf("only %d check-ins in the month", len(want))
	}
}

// TestOutage: the scheduler is down from 09:00 to 15:00 on a Tuesday. What was
// due more than MaxLate before 15:00 is skipped and moves to next week; what
// is later is sent at 15:00; nothing goes out in quiet hours.
func TestOutage(t *testing.T) {
	tests := []struct {
		name       string
		window     scheduler.TimeOfDay
		down, up   time.Time
		wantSentAt time.Time // zero: skipped
		wantNext   time.Time
	}{
		{"six hours late: skipped", scheduler.Clock(9, 0), local(2026, 6, 2, 8, 59), local(2026, 6, 2, 15, 0),
			time.Time{}, local(2026, 6, 9, 9, 0)},
		{"three and a half hours late: skipped", scheduler.Clock(11, 30), local(2026, 6, 2, 8, 59), local(2026, 6, 2, 15, 0),
			time.Time{}, local(2026, 6, 9, 11, 30)},
		{"exactly two hours late: sent", scheduler.Clock(13, 0), local(2026, 6, 2, 8, 59), local(2026, 6, 2, 15, 0),
			local(2026, 6, 2, 15, 0), local(2026, 6, 9, 13, 0)},
		{"ninety minutes late: sent", scheduler.Clock(13, 30), local(2026, 6, 2, 8, 59), local(2026, 6, 2, 15, 0),
			local(2026, 6, 2, 15, 0), local(2026, 6, 9, 13, 30)},
		{"due after the outage: on time", scheduler.Clock(16, 0), local(2026, 6, 2, 8, 59), local(2026, 6, 2, 15, 0),
			local(2026, 6, 2, 16, 0), local(2026, 6, 9, 16, 0)},
		{"late but now in quiet hours: skipped", scheduler.Clock(20, 30), local(2026, 6, 2, 20, 0), local(2026, 6, 2, 21, 10),
			time.Time{}, local(2026, 6, 9, 20, 30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, local(2026, 6, 1, 12, 0), scheduler.Config{})
			mustEnrol(t, e, 5, weekly(time.Tuesday, tt.window, tt.window+1))
			e.run(t, tt.down)
			e.clk.Set(tt.up) // down: no ticks
			e.run(t, local(2026, 6, 3, 0, 0))

			var gotAt time.Time
			for _, x := range e.send.sent() {
				gotAt = x.Now
			}
			if !gotAt.Equal(tt.wantSentAt) {
				t.Errorf("sent at %v, want %v", gotAt, tt.wantSentAt)
			}
			_, next, err := e.s.Get(context.Background(), 5)
			if err != nil || !next.Equal(tt.wantNext) {
				t.Errorf("next = %v, %v; want %v", next, err, tt.wantNext)
			}
			hist, err := e.s.History(context.Background(), 5)
			if err != nil || len(hist) != 1 {
				t.Fatalf("history %+v, %v; want one entry", hist, err)
			}
			wantStatus := scheduler.StatusSent
			if tt.wantSentAt.IsZero() {
				wantStatus = scheduler.StatusSkipped
			}
			if hist[0].Status != wantStatus {
				t.Errorf("recorded %q, want %q", hist[0].Status, wantStatus)
			}
		})
	}
}

// crashing fails Complete while crash is set: a replica that died after the
// send and before storing the next instant.
type crashing struct {
	scheduler.Storage
	crash bool
}

func (c *crashing) Complete(ctx context.Context, cl scheduler.Claim, next time.Time) error {
	if c.crash {
		return errors.New("replica died")
	}
	return c.Storage.Complete(ctx, cl, next)
}

// TestLeaseRunsOut: a check-in whose replica died mid-way comes back when the
// lease runs out, with the same ID, and is recorded once.
func TestLeaseRunsOut(t *testing.T) {
	e := setup(t, local(2026, 6, 2, 9, 59), scheduler.Config{})
	st := &crashing{Storage: e.st, crash: true}
	e2 := newEnv(t, e.rdb, e.pfx, st, local(2026, 6, 2, 9, 59), scheduler.Config{Lease: 5 * time.Minute})
	mustEnrol(t, e2, 9, weekly(time.Tuesday, scheduler.Clock(10, 0), scheduler.Clock(10, 1)))

	e2.clk.Set(local(2026, 6, 2, 10, 0))
	e2.tick(t)
	st.crash = false
	e2.run(t, local(2026, 6, 2, 10, 10))

	var got []string
	for _, x := range e2.send.sent() {
		got = append(got, x.Due.ID+" "+x.Now.In(london).Format("15:04"))
	}
	id := "ci:9:" + strconv.FormatInt(local(2026, 6, 2, 10, 0).UnixMilli(), 10)
	want := []string{id + " 10:00", id + " 10:05"} // the sender drops the repeat by its ID
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sends (-want +got):\n%s", diff)
	}
	hist, _ := e2.s.History(context.Background(), 9)
	if len(hist) != 1 {
		t.Errorf("history has %d entries, want 1", len(hist))
	}
	_, next, _ := e2.s.Get(context.Background(), 9)
	if !next.Equal(local(2026, 6, 9, 10, 0)) {
		t.Errorf("next = %v", next)
	}
}

// TestReminder: one reminder, at its time, never again; moved out of quiet
// hours; none after Cancel.
func TestReminder(t *testing.T) {
	tests := []struct {
		name   string
		at     time.Time
		cancel bool
		want   []string
	}{
		{"after 24 hours", local(2026, 6, 3, 14, 0), false, []string{"14:00"}},
		{"quiet hours: in the morning", local(2026, 6, 3, 23, 0), false, []string{"09:00"}},
		{"cancelled", local(2026, 6, 3, 14, 0), true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, local(2026, 6, 2, 14, 0), scheduler.Config{})
			ctx := context.Background()
			if err := e.s.RemindLater(ctx, 4, tt.at); err != nil {
				t.Fatal(err)
			}
			if tt.cancel {
				if err := e.s.Cancel(ctx, 4); err != nil {
					t.Fatal(err)
				}
			}
			e.clk.Set(local(2026, 6, 3, 0, 0))
			e.run(t, local(2026, 6, 5, 0, 0))
			var got []string
			for _, x := range e.send.sent() {
				if !x.Due.Reminder {
					t.Errorf("not a reminder: %+v", x.Due)
				}
				got = append(got, x.Now.In(london).Format("15:04"))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reminders (-want +got):\n%s", diff)
			}
		})
	}
}

// BenchmarkTick1000 is one tick that finds a thousand check-ins due and hands
// each to a sender that does nothing: claim, enrolments, history, record,
// next instant.
//
//	go test -run '^$' -bench Tick1000 ./scheduler/
func BenchmarkTick1000(b *testing.B) {
	ctx := context.Background()
	at := local(2026, 6, 2, 10, 0)
	e := setup(b, at.Add(-time.Hour), scheduler.Config{})
	en := weekly(time.Tuesday, scheduler.Clock(10, 0), scheduler.Clock(10, 1))
	var sent int
	for b.Loop() {
		b.StopTimer()
		// A fresh thousand each round, due at the same minute.
		base := int64(sent + 1)
		for u := base; u < base+1000; u++ {
			if err := e.st.PutEnrolment(ctx, u, en, at); err != nil {
				b.Fatal(err)
			}
		}
		e.send.got = e.send.got[:0]
		b.StartTimer()
		st, err := e.s.Tick(ctx, at)
		if err != nil || st.Sent != 1000 {
			b.Fatalf("tick: %+v %v", st, err)
		}
		sent += 1000
	}
}
