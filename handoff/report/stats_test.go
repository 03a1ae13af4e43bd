package report

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSpread(t *testing.T) {
	m := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Minute
		}
		return out
	}
	tests := []struct {
		name string
		in   []time.Duration
		want Spread
	}{
		{"none", nil, Spread{}},
		{"one", m(7), Spread{N: 1, Median: 7 * time.Minute, P90: 7 * time.Minute}},
		{"ten", m(10, 1, 9, 2, 8, 3, 7, 4, 6, 5), Spread{N: 10, Median: 5 * time.Minute, P90: 9 * time.Minute}},
		{"three", m(30, 10, 20), Spread{N: 3, Median: 20 * time.Minute, P90: 30 * time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, spread(tt.in)); diff != "" {
				t.Errorf("spread mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
