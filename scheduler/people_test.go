package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/scheduler"
)

func TestEnrolment(t *testing.T) {
	ctx := context.Background()
	now := local(2026, 6, 1, 12, 0) // a Monday
	fixed := weekly(time.Tuesday, scheduler.Clock(10, 0), scheduler.Clock(10, 1))
	tests := []struct {
		name     string
		do       func(s *scheduler.Scheduler) error
		wantErr  error
		want     scheduler.Enrolment
		wantNext time.Time
	}{
		{
			name:     "default: Tuesday 10:00-12:00",
			do:       func(s *scheduler.Scheduler) error { return s.Enrol(ctx, 1, scheduler.DefaultEnrolment()) },
			want:     scheduler.DefaultEnrolment(),
			wantNext: scheduler.Next(1, scheduler.DefaultEnrolment(), now, london),
		},
		{
			name: "kind left out means weekly",
			do: func(s *scheduler.Scheduler) error {
				return s.Enrol(ctx, 1, scheduler.Enrolment{Day: time.Tuesday, Window: fixed.Window})
			},
			want:     fixed,
			wantNext: local(2026, 6, 2, 10, 0),
		},
		{
			name: "change day and window",
			do: func(s *scheduler.Scheduler) error {
				if err := s.Enrol(ctx, 1, fixed); err != nil {
					return err
				}
				return s.Change(ctx, 1, time.Friday, scheduler.Window{From: scheduler.Clock(17, 0), To: scheduler.Clock(17, 1)})
			},
			want:     weekly(time.Friday, scheduler.Clock(17, 0), scheduler.Clock(17, 1)),
			wantNext: local(2026, 6, 5, 17, 0),
		},
		{
			name: "window into quiet hours refused",
			do: func(s *scheduler.Scheduler) error {
				return s.Enrol(ctx, 1, weekly(time.Friday, scheduler.Clock(20, 0), scheduler.Clock(22, 0)))
			},
			wantErr: scheduler.ErrBadWindow,
		},
		{
			name: "empty window refused",
			do: func(s *scheduler.Scheduler) error {
				return s.Enrol(ctx, 1, weekly(time.Friday, scheduler.Clock(12, 0), scheduler.Clock(12, 0)))
			},
			wantErr: scheduler.ErrBadWindow,
		},
		{
			name: "change when not enrolled",
			do: func(s *scheduler.Scheduler) error {
				return s.Change(ctx, 1, time.Friday, scheduler.DefaultWindow)
			},
			wantErr: scheduler.ErrNotEnrolled,
		},
		{
			name: "pause until a date",
			do: func(s *scheduler.Scheduler) error {
				if err := s.Enrol(ctx, 1, fixed); err != nil {
					return err
				}
				return s.Pause(ctx, 1, local(2026, 6, 23, 0, 0))
			},
			want:     withPause(fixed, local(2026, 6, 23, 0, 0)),
			wantNext: local(2026, 6, 23, 10, 0),
		},
		{
			name: "resume after a pause",
			do: func(s *scheduler.Scheduler) error {
				if err := s.Enrol(ctx, 1, fixed); err != nil {
					return err
				}
				if err := s.Pause(ctx, 1, local(2026, 6, 23, 0, 0)); err != nil {
					return err
				}
				return s.Resume(ctx, 1)
			},
			want:     fixed,
			wantNext: local(2026, 6, 2, 10, 0),
		},
		{
			name: "stop",
			do: func(s *scheduler.Scheduler) error {
				if err := s.Enrol(ctx, 1, fixed); err != nil {
					return err
				}
				return s.Stop(ctx, 1)
			},
			want: func() scheduler.Enrolment { e := fixed; e.Stopped = true; return e }(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, now, scheduler.Config{})
			err := tt.do(e.s)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			got, next, err := e.s.Get(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("enrolment (-want +got):\n%s", diff)
			}
			if !next.Equal(tt.wantNext) {
				t.Errorf("next = %v, want %v", next, tt.wantNext)
			}
		})
	}
}

func withPause(e scheduler.Enrolment, until time.Time) scheduler.Enrolment {
	e.PausedUntil = until
	return e
}

// TestBlock: a person who blocks the bot gets nothing while blocked, and after
// unblocking carries on from the next window, without making up what was
// missed. A 403 from the sender blocks them the same way. Each time they
// block it the link workers are flagged once, however often it is seen.
func TestBlock(t *testing.T) {
	ctx := context.Background()
	e := setup(t, local(2026, 6, 1, 12, 0), scheduler.Config{})
	mustEnrol(t, e, 1, weekly(time.Tuesday, scheduler.Clock(10, 0), scheduler.Clock(10, 1)))
	if err := e.s.RemindLater(ctx, 1, local(2026, 6, 3, 12, 0)); err != nil {
		t.Fatal(err)
	}

	if err := e.s.Block(ctx, 1); err != nil {
		t.Fatal(err)
	}
	en, next, err := e.s.Get(ctx, 1)
	if err != nil || !en.Blocked || !next.IsZero() {
		t.Fatalf("after Block: %+v next %v err %v", en, next, err)
	}
	if err := e.s.Block(ctx, 1); err != nil { // seen again: a 403 and the update both
		t.Fatal(err)
	}
	if got := e.flag.reasons(); !cmp.Equal(got, []scheduler.Trigger{scheduler.TriggerBlocked}) {
		t.Fatalf("flags after blocking: %v, want one blocked", got)
	}
	e.hourly(t, local(2026, 6, 10, 9, 0)) // two Tuesdays and the reminder pass
	if got := e.send.sent(); len(got) != 0 {
		t.Fatalf("sent while blocked: %+v", got)
	}
	if err := e.s.Resume(ctx, 1); err != nil { // the person's own resume does not unblock
		t.Fatal(err)
	}
	if _, next, _ := e.s.Get(ctx, 1); !next.IsZero() {
		t.Fatalf("Resume queued a blocked person at %v", next)
	}

	if err := e.s.Unblock(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, next, _ := e.s.Get(ctx, 1); !next.Equal(local(2026, 6, 16, 10, 0)) {
		t.Fatalf("after Unblock next = %v, want Tuesday 16 June 10:00", next)
	}

	// Blocked again, this time found out by the sender.
	e.send.fail = func(scheduler.Due) error { return fmt.Errorf("telegram 403: %w", scheduler.ErrBlocked) }
	e.hourly(t, local(2026, 6, 24, 0, 0))
	en, next, _ = e.s.Get(ctx, 1)
	if !en.Blocked || !next.IsZero() {
		t.Errorf("after a 403: %+v next %v, want blocked and nothing queued", en, next)
	}
	if got := e.send.sent(); len(got) != 0 {
		t.Errorf("sent: %+v", got)
	}
	if got := e.flag.reasons(); len(got) != 2 || got[1] != scheduler.TriggerBlocked {
		t.Errorf("flags after blocking again: %v, want a second blocked", got)
	}
	// Someone not enrolled is nobody's concern here.
	if err := e.s.Block(ctx, 99); err != nil {
		t.Fatal(err)
	}
	if got := e.flag.reasons(); len(got) != 2 {
		t.Errorf("flags after a stranger blocked the bot: %v", got)
	}
}

// TestForget: nothing of the person is left in Redis, and nothing more is sent.
func TestForget(t *testing.T) {
	ctx := context.Background()
	e := setup(t, local(2026, 6, 1, 12, 0), scheduler.Config{})
	mustEnrol(t, e, 1, weekly(time.Tuesday, scheduler.Clock(10, 0), scheduler.Clock(10, 1)))
	e.hourly(t, local(2026, 6, 2, 11, 0))
	if _, err := e.s.RecordAnswer(ctx, 1, scheduler.Answer{
		At: local(2026, 6, 2, 10, 0), Form: scheduler.FormLoneliness, Loneliness: []int{1, 1, 2},
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.RemindLater(ctx, 1, local(2026, 6, 3, 12, 0)); err != nil {
		t.Fatal(err)
	}
	if keys := e.rdb.Keys(ctx, e.pfx+"*").Val(); len(keys) < 4 {
		t.Fatalf("before Forget only %v", keys)
	}

	if err := e.s.Forget(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if keys := e.rdb.Keys(ctx, e.pfx+"*").Val(); len(keys) != 0 {
		t.Errorf("left after Forget: %v", keys)
	}
	if _, _, err := e.s.Get(ctx, 1); !errors.Is(err, scheduler.ErrNotEnrolled) {
		t.Errorf("Get after Forget: %v", err)
	}
	e.hourly(t, local(2026, 6, 17, 0, 0))
	if n := len(e.send.sent()); n != 1 {
		t.Errorf("%d sends in all, want the one before Forget", n)
	}
}

// TestRun: Run catches up at once on start, and returns nil when its context
// ends, after the tick in progress.
func TestRun(t *testing.T) {
	e := setup(t, local(2026, 6, 2, 10, 30), scheduler.Config{})
	mustEnrol(t, e, 1, weekly(time.Tuesday, scheduler.Clock(10, 0), scheduler.Clock(10, 1)))
	// Enrolling at 10:30 queues next week; put this week's back, as if the
	// replica had been down since 10:00.
	if err := e.st.PutEnrolment(context.Background(), 1, weekly(time.Tuesday, scheduler.Clock(10, 0), scheduler.Clock(10, 1)), local(2026, 6, 2, 10, 0)); err != nil {
		t.Fatal(err)
	}
	got := make(chan scheduler.Due, 1)
	e.send.fail = func(d scheduler.Due) error { got <- d; return nil }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.s.Run(ctx) }()
	if d := <-got; !d.At.Equal(local(2026, 6, 2, 10, 0)) {
		t.Errorf("caught up %v", d.At)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}
