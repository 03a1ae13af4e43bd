package store

import (
	"os"
	"sync"
	"testing"
	"time"

	"signpost/internal/redistest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

// start is the fixed instant tests begin at; a session's first version is
// start in Unix microseconds.
var start = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// clock is a settable time source for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// setup returns a Store under a key prefix of the test's own, on a clock
// standing at start. cfg.Prefix and cfg.Now are overwritten. Tests reach the
// raw client as s.rdb and key names through s.keys.
func setup(t testing.TB, cfg Config) (*Store, *clock) {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	clk := &clock{t: start}
	cfg.Prefix = prefix
	cfg.Now = clk.Now
	return New(rdb, cfg), clk
}
