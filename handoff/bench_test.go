package handoff_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"signpost/handoff"
)

// BenchmarkCreate100 makes 100 referrals at once, as when 100 conversations
// finish together, and reports the time from an effect to its stored
// referral: the median and 99th percentile over every referral, and the time
// for the whole burst.
func BenchmarkCreate100(b *testing.B) {
	const burst = 100
	e := setup(b, handoff.Config{})
	e.clk.Set(time.Now())
	var lat []time.Duration
	var total time.Duration
	round := 0
	for b.Loop() {
		round++
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			gate = make(chan struct{})
		)
		for i := range burst {
			eff := referralEffect(int64(round*burst+i+1), "bench-"+itoa(int64(round))+"-"+itoa(int64(i)), resident())
			wg.Go(func() {
				<-gate
				t0 := time.Now()
				if _, created, err := e.desk.CreateReporting(b.Context(), eff); err != nil || !created {
					b.Errorf("Create: created %v, %v", created, err)
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			})
		}
		t0 := time.Now()
		close(gate)
		wg.Wait()
		total += time.Since(t0)
	}
	slices.Sort(lat)
	pick := func(p int) float64 {
		return float64(lat[(p*len(lat)+99)/100-1].Microseconds()) / 1000
	}
	b.ReportMetric(pick(50), "p50-ms")
	b.ReportMetric(pick(99), "p99-ms")
	b.ReportMetric(float64(total.Microseconds())/1000/float64(round), "burst-ms")
	b.ReportMetric(0, "ns/op")
}
