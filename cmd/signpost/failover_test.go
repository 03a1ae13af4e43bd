package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"signpost/internal/redistest"
	"signpost/internal/telegramtest"
)

// TestSentinelFailover kills the Redis master under load, with Sentinel
// watching: the bot recovers without a restart, answers the webhook with
// an error while it cannot commit (so Telegram sends those updates again),
// loses no update it answered 200, and /readyz goes red, then green. It
// logs the time from the kill to the first update committed again and to
// /readyz green; the README's figure comes from
//
//	go test ./cmd/signpost -run TestSentinelFailover -v
func TestSentinelFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a Redis master")
	}
	tp := redistest.SentinelTopology(t)
	tg := telegramtest.NewServer(t, func(c *telegramtest.Config) { c.WebhookRetryMax = 100 * time.Millisecond })
	addr := freeAddr(t)
	b := startBotOn(t, tp, tg, map[string]string{
		"HTTP_ADDR": addr, "WEBHOOK_URL": "http://" + addr, "WEBHOOK_SECRET": "failover",
		"REDIS_WAIT_REPLICAS": "1",
	}, serveOptions{})
	waitUntil(t, func() bool { return readyz(addr) == http.StatusOK }, "ready")

	// Load: each person writes a message every 20 ms until told to stop.
	const people, each = 10, 60
	ps := make([]*telegramtest.Person, people)
	var wg sync.WaitGroup
	for i := range ps {
		ps[i] = tg.NewPerson(fmt.Sprintf("F%d", i))
		wg.Add(1)
		go func(p *telegramtest.Person) {
			defer wg.Done()
			p.Send("hello")
			for range each - 1 {
				time.Sleep(20 * time.Millisecond)
				p.Send("/help")
			}
		}(ps[i])
	}

	// Watch /readyz.
	type sample struct {
		at     time.Time
		status int
	}
	var (
		mu      sync.Mutex
		samples []sample
	)
	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			s := sample{time.Now(), readyz(addr)}
			mu.Lock()
			samples = append(samples, s)
			mu.Unlock()
			select {
			case <-stopWatch:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()

	// The sentinels wait 4 s before they call the master down: longer than
	// the client's retries of one command (about 2 s), so some updates
	// surely arrive while nothing can be committed.
	tp.SetDownAfter(t, 4*time.Second)
	time.Sleep(300 * time.Millisecond) // under load
	killed := time.Now()
	tp.KillMaster(t)
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := tp.Promoted(ctx); err != nil {
		t.Fatal(err)
	}

	// Every update reaches the bot in the end, each applied once.
	for _, p := range ps {
		waitUntil(t, func() bool { return b.session(p.User().ID).Seq == each }, "every update of "+p.User().FirstName+" applied")
	}
	close(stopWatch)
	<-watched

	refused := 0
	for _, a := range tg.WebhookAttempts() {
		if a.Status != http.StatusOK {
			refused++
		}
	}
	if refused == 0 {
		t.Error("no webhook call was refused while the master was down: the outage was not seen")
	}
	var red, green time.Time
	for _, s := range samples {
		switch {
		case s.at.Before(killed):
		case s.status != http.StatusOK && red.IsZero():
			red = s.at
		case s.status == http.StatusOK && !red.IsZero() && green.IsZero():
			green = s.at
		}
	}
	if red.IsZero() || green.IsZero() {
		t.Fatalf("/readyz did not go red then green after the kill: %d samples", len(samples))
	}
	recoveredAt := green
	for _, p := range ps {
		if s := b.session(p.User().ID); s.Seq != each {
			t.Errorf("%s: %d updates applied, want %d", p.User().FirstName, s.Seq, each)
		}
	}
	t.Logf("failover: /readyz red %v after the kill, green again %v after it; %d webhook calls refused meanwhile", red.Sub(killed).Round(10*time.Millisecond), recoveredAt.Sub(killed).Round(10*time.Millisecond), refused)
}

// readyz is the status of /readyz at addr, or 0 when nothing answers.
func readyz(addr string) int {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get("http://" + addr + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
