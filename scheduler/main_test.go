package scheduler_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/internal/redistest"
	"signpost/internal/testclock"
	"signpost/scheduler"
	"signpost/store"
)

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

// local is a wall-clock time in London.
func local(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, london)
}

// sent is one call of the sender.
type sent struct {
	Due scheduler.Due
	Now time.Time
}

// sender records what it is handed. fail, when set, decides per call whether
// to return an error instead.
type sender struct {
	clk  *testclock.Clock
	mu   sync.Mutex
	got  []sent
	fail func(scheduler.Due) error
}

func (s *sender) CheckIn(_ context.Context, user int64, due scheduler.Due) error {
	if user != due.User {
		return fmt.Errorf("user %d, due for %d", user, due.User)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		if err := s.fail(due); err != nil {
			return err
		}
	}
	s.got = append(s.got, sent{Due: due, Now: s.clk.Now()})
	return nil
}

func (s *sender) sent() []sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sent(nil), s.got...)
}

// flagger records flags, dropping a repeated key as handoff would.
type flagger struct {
	mu   sync.Mutex
	keys map[string]bool
	got  []scheduler.Flag
}

func (f *flagger) Flag(_ context.Context, _ int64, fl scheduler.Flag) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.keys == nil {
		f.keys = map[string]bool{}
	}
	if !f.keys[fl.Key] {
		f.keys[fl.Key] = true
		f.got = append(f.got, fl)
	}
	return nil
}

func (f *flagger) reasons() []scheduler.Trigger {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []scheduler.Trigger
	for _, fl := range f.got {
		out = append(out, fl.Reason)
	}
	return out
}

// env is one scheduler on a prefix of its own, with its fakes.
type env struct {
	s    *scheduler.Scheduler
	st   *store.Schedules
	rdb  *redis.Client
	pfx  string
	clk  *testclock.Clock
	send *sender
	flag *flagger
}

// setup returns a scheduler on Redis with its clock at now. cfg.Now and
// cfg.Logger are overwritten; a nil cfg.Location means London.
func setup(t testing.TB, now time.Time, cfg scheduler.Config) *env {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix}).Schedules()
	return newEnv(t, rdb, prefix, st, now, cfg)
}

func newEnv(t testing.TB, rdb *redis.Client, prefix string, st scheduler.Storage, now time.Time, cfg scheduler.Config) *env {
	t.Helper()
	clk := testclock.New(now)
	cfg.Now = clk.Now
	cfg.Logger = discard
	snd := &sender{clk: clk}
	fl := &flagger{}
	s, err := scheduler.New(st, snd, fl, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sch, _ := st.(*store.Schedules)
	return &env{s: s, st: sch, rdb: rdb, pfx: prefix, clk: clk, send: snd, flag: fl}
}

// tick runs one Tick at the clock's time and fails the test on error.
func (e *env) tick(t testing.TB) scheduler.Stats {
	t.Helper()
	st, err := e.s.Tick(context.Background(), e.clk.Now())
	if err != nil {
		t.Fatalf("Tick(%v): %v", e.clk.Now(), err)
	}
	return st
}

// run ticks every minute from the clock's time up to, not including, end.
func (e *env) run(t testing.TB, end time.Time) { e.step(t, end, time.Minute) }

// hourly ticks every hour instead, for tests whose check-ins all fall on the
// hour and that look at weeks, not minutes.
func (e *env) hourly(t testing.TB, end time.Time) { e.step(t, end, time.Hour) }

func (e *env) step(t testing.TB, end time.Time, every time.Duration) {
	t.Helper()
	for now := e.clk.Now(); now.Before(end); now = now.Add(every) {
		e.clk.Set(now)
		e.tick(t)
	}
	e.clk.Set(end)
}

func mustEnrol(t testing.TB, e *env, user int64, en scheduler.Enrolment) {
	t.Helper()
	if err := e.s.Enrol(context.Background(), user, en); err != nil {
		t.Fatalf("Enrol(%d, %+v): %v", user, en, err)
	}
}

// weekly is an enrolment on day in the window from-to.
func weekly(day time.Weekday, from, to scheduler.TimeOfDay) scheduler.Enrolment {
	return scheduler.Enrolment{Kind: scheduler.KindWeekly, Day: day, Window: scheduler.Window{From: from, To: to}}
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// noQuiet turns quiet hours off, for windows in the small hours.
var noQuiet = &scheduler.Window{}
