package handoff

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAddWorkingTime(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, london) }
	tests := []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"Tuesday afternoon to Wednesday", at(2026, 3, 3, 14, 0), 8 * time.Hour, at(2026, 3, 4, 14, 0)},
		{"Friday to Monday", at(2026, 3, 6, 14, 0), 8 * time.Hour, at(2026, 3, 9, 14, 0)},
		{"Friday just before close", at(2026, 3, 6, 16, 59), 8 * time.Hour, at(2026, 3, 9, 16, 59)},
		{"Saturday counts from Monday's opening, lands at the close, moves to Tuesday", at(2026, 3, 7, 12, 0), 8 * time.Hour, at(2026, 3, 10, 9, 0)},
		{"before opening", at(2026, 3, 2, 7, 30), 2 * time.Hour, at(2026, 3, 2, 11, 0)},
		{"evening counts from next morning", at(2026, 3, 2, 20, 0), 30 * time.Minute, at(2026, 3, 3, 9, 30)},
		{"over the spring clock change", at(2026, 3, 27, 10, 0), 8 * time.Hour, at(2026, 3, 30, 10, 0)},
		{"over the autumn clock change", at(2026, 10, 23, 15, 0), 8 * time.Hour, at(2026, 10, 26, 15, 0)},
		{"two working days", at(2026, 3, 5, 10, 0), 16 * time.Hour, at(2026, 3, 9, 10, 0)},
		{"from UTC input", time.Date(2026, 7, 1, 8, 30, 0, 0, time.UTC), 8 * time.Hour, at(2026, 7, 2, 9, 30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AddWorkingTime(tt.from, tt.d, london)
			if diff := cmp.Diff(tt.want.Format(time.RFC3339), got.Format(time.RFC3339)); diff != "" {
				t.Errorf("AddWorkingTime(%v, %v) mismatch (-want +got):\n%s", tt.from, tt.d, diff)
			}
		})
	}
}
