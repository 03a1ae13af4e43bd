package telegramtest_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/internal/telegramtest"
)

// fakeClock is a settable clock for the server, so rate limits are tested
// without waiting.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// sendStatus sends text to chatID and returns the status and retry_after.
func sendStatus(t testing.TB, srv *telegramtest.Server, chatID int64) [2]int {
	t.Helper()
	status, resp := call(t, srv, "sendMessage", map[string]string{"chat_id": fmt.Sprint(chatID), "text": "hi"})
	return [2]int{status, resp.Parameters.RetryAfter}
}

func TestRateLimitPerChat(t *testing.T) {
	clock := newFakeClock()
	srv := telegramtest.NewServer(t, telegramtest.WithClock(clock.Now), telegramtest.WithRateLimits(telegramtest.RateLimits{PerChatBurst: 3}))
	alice := srv.NewPerson("Alice")
	alice.Send("hi")

	var got [][2]int
	for range 4 {
		got = append(got, sendStatus(t, srv, alice.ID()))
	}
	clock.Advance(time.Second)
	got = append(got, sendStatus(t, srv, alice.ID()), sendStatus(t, srv, alice.ID()))
	want := [][2]int{{200, 0}, {200, 0}, {200, 0}, {429, 1}, {200, 0}, {429, 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status, retry_after (-want +got):\n%s", diff)
	}
	if n := telegramtest.MaxRate(srv.SendTimes(alice.ID()), time.Second); n != 3 {
		t.Errorf("most sends in a second = %d, want the burst of 3", n)
	}
}

func TestRateLimitPerGroup(t *testing.T) {
	clock := newFakeClock()
	srv := telegramtest.NewServer(t, telegramtest.WithClock(clock.Now), telegramtest.WithRateLimits(telegramtest.RateLimits{}))
	worker := srv.NewPerson("Sam")
	g := srv.NewGroup("Link workers", worker)
	g.AddBot(worker)

	for i := range 20 {
		if got := sendStatus(t, srv, g.ID()); got[0] != 200 {
			t.Fatalf("send %d: %v", i, got)
		}
		clock.Advance(time.Second) // within the per-chat rate
	}
	// 20 sent from 09:00:00 to 09:00:19, and now it is 09:00:20; the first
	// leaves the window at 09:01:00.
	if diff := cmp.Diff([2]int{429, 40}, sendStatus(t, srv, g.ID())); diff != "" {
		t.Errorf("21st send in a minute (-want +got):\n%s", diff)
	}
	clock.Advance(40 * time.Second)
	if got := sendStatus(t, srv, g.ID()); got[0] != 200 {
		t.Errorf("send after waiting retry_after: %v", got)
	}
	if n := telegramtest.MaxRate(srv.SendTimes(g.ID()), time.Minute); n != 20 {
		t.Errorf("most sends in a minute = %d, want 20", n)
	}
}

func TestRateLimitOverall(t *testing.T) {
	clock := newFakeClock()
	srv := telegramtest.NewServer(t, telegramtest.WithClock(clock.Now), telegramtest.WithRateLimits(telegramtest.RateLimits{GlobalPerSecond: 30}))
	var people []*telegramtest.Person
	for i := range 31 {
		p := srv.NewPerson(fmt.Sprint("Person ", i))
		p.Send("hi")
		people = append(people, p)
	}
	for i, p := range people[:30] {
		if got := sendStatus(t, srv, p.ID()); got[0] != 200 {
			t.Fatalf("send %d: %v", i, got)
		}
	}
	if diff := cmp.Diff([2]int{429, 1}, sendStatus(t, srv, people[30].ID())); diff != "" {
		t.Errorf("31st send in a second (-want +got):\n%s", diff)
	}
}

func TestRateLimitsOffByDefault(t *testing.T) {
	srv := telegramtest.NewServer(t)
	alice := srv.NewPerson("Alice")
	alice.Send("hi")
	for i := range 50 {
		if got := sendStatus(t, srv, alice.ID()); got[0] != 200 {
			t.Fatalf("send %d: %v", i, got)
		}
	}
}

func TestMaxRate(t *testing.T) {
	at := func(ms ...int) []time.Time {
		var out []time.Time
		for _, m := range ms {
			out = append(out, time.Unix(0, 0).Add(time.Duration(m)*time.Millisecond))
		}
		return out
	}
	tests := []struct {
		name  string
		times []time.Time
		want  int
	}{
		{"none", nil, 0},
		{"spread", at(0, 1000, 2000), 1},
		{"burst", at(0, 10, 20, 1500), 3},
		{"window is half-open", at(0, 999, 1000), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := telegramtest.MaxRate(tt.times, time.Second); got != tt.want {
				t.Errorf("MaxRate = %d, want %d", got, tt.want)
			}
		})
	}
}
