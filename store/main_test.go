package store

import (
	"os"
	"testing"
	"time"

	"signpost/internal/redistest"
	"signpost/internal/testclock"
)

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

// start is the fixed instant tests begin at; a session's first version is
// start in Unix microseconds.
var start = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// setup returns a Store under a key prefix of the test's own, on a clock
// standing at start. cfg.Prefix and cfg.Now are overwritten. Tests reach the
// raw client as s.rdb and key names through s.keys.
func setup(t testing.TB, cfg Config) (*Store, *testclock.Clock) {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	clk := testclock.New(start)
	cfg.Prefix = prefix
	cfg.Now = clk.Now
	return New(rdb, cfg), clk
}
