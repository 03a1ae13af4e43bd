package testclock

import (
	"sync"
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	start := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	c := New(start)
	if !c.Now().Equal(start) {
		t.Fatalf("Now() = %v, want %v", c.Now(), start)
	}
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); c.Advance(time.Minute) }()
	}
	wg.Wait()
	if got := c.Now().Sub(start); got != 10*time.Minute {
		t.Errorf("advanced %v, want 10m", got)
	}
	c.Set(start)
	if !c.Now().Equal(start) {
		t.Errorf("Set did not move the clock back")
	}
}
