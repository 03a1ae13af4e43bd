package store

import (
	"bytes"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/handoff"
	"signpost/handoff/report"
	"signpost/hours"
)

// A large service's year: the report over 100,000 referrals read from
// Redis, built, published and written as html, as "signpost report" does.
// It reports the peak of the Go heap while it runs (target: the whole
// report under 5 s and 200 MB).
func BenchmarkFigures100k(b *testing.B) {
	s, _ := setup(b, Config{})
	ctx := b.Context()
	loc, _ := time.LoadLocation("Europe/London")
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	fill100k(b, s, from)
	cal, err := hours.Load("", "", "", loc)
	if err != nil {
		b.Fatal(err)
	}
	desk := handoff.New(s, handoff.Authoriser{}, handoff.Config{Location: loc, Calendar: cal, Logger: slog.New(slog.DiscardHandler)})
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		pub, err := desk.Figures(ctx, handoff.Period{From: from, To: from.AddDate(1, 0, 0)})
		if err != nil {
			b.Fatal(err)
		}
		if pub.Referrals.Shown != "100,000" {
			b.Fatalf("%s referrals, want 100,000", pub.Referrals.Shown)
		}
		var buf bytes.Buffer
		if err := report.Write(&buf, pub, "html"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(peak.Load())/1e6, "peak-heap-MB")
}

// fill100k writes 100,000 referrals created over the year from from, as
// the store writes them, pipelined a thousand at a time.
func fill100k(b *testing.B, s *Store, from time.Time) {
	b.Helper()
	ctx := b.Context()
	rng := rand.New(rand.NewPCG(1, 2))
	needs := []string{"money", "benefits", "housing", "lonely", "eating", "confidence", "befriending", "volunteering", "arts", "gardening", "other"}
	ages := []string{"17-25", "26-49", "50-64", "65plus"}
	score := func() handoff.Score { return handoff.Score(rng.IntN(11)) }
	p := s.rdb.Pipeline()
	for i := range 100_000 {
		created := from.Add(time.Duration(rng.Int64N(int64(364 * 24 * time.Hour))))
		claimed := created.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
		r := handoff.Referral{
			Ref: fmt.Sprintf("R-%06d", i), User: int64(1000 + rng.IntN(80_000)), Team: handoff.TeamLinkWorkers,
			Status: handoff.StatusClosed, Consent: true, Name: "Person " + strconv.Itoa(i), Age: ages[rng.IntN(4)],
			Needs: []string{needs[rng.IntN(11)], needs[rng.IntN(11)]}, Source: fmt.Sprintf("gp_F%05d", rng.IntN(40)),
			Created: created, Claimed: claimed, FirstContact: claimed.Add(time.Hour), Closed: claimed.Add(60 * 24 * time.Hour),
			Outcome: handoff.OutcomeAdvice, Priority: handoff.PriorityRoutine, Channel: handoff.ChannelTelegram,
			ONS:      handoff.ONS4{Life: score(), Worth: score(), Happy: score(), Anxious: score()},
			FollowUp: handoff.ONS4{Life: score(), Worth: score(), Happy: score(), Anxious: score()}, FollowUpAt: claimed.Add(84 * 24 * time.Hour),
			Lonely: handoff.NoLonely, FollowUpLonely: handoff.NoLonely,
		}
		p.HSet(ctx, s.keys.referral(r.Ref), encodeReferral(r))
		p.ZAdd(ctx, s.keys.allReferrals(), redis.Z{Score: float64(created.UnixMilli()), Member: r.Ref})
		if p.Len() >= 2000 {
			if _, err := p.Exec(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := p.Exec(ctx); err != nil {
		b.Fatal(err)
	}
}
