package flows

import (
	"testing"
	"time"
)

func TestOpensWords(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02 15:04", s, london)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name       string
		opens, now time.Time
		want       string
	}{
		{"Saturday night to Monday", at("2026-11-30 09:00"), at("2026-11-28 22:00"), "9am on Monday"},
		{"early on a working day", at("2026-11-30 09:00"), at("2026-11-30 06:10"), "9am today"},
		{"Friday evening after a bank holiday weekend", at("2026-05-26 09:00"), at("2026-05-22 18:00"), "9am on Tuesday"},
		{"evening to the next morning", at("2026-12-01 09:30"), at("2026-11-30 17:30"), "9:30am tomorrow"},
		{"a week or more ahead", at("2026-12-29 09:00"), at("2026-12-21 17:30"), "9am on Tuesday 29 December"},
		{"lunchtime", at("2026-12-01 12:00"), at("2026-12-01 10:00"), "noon today"},
		{"afternoon", at("2026-12-01 13:15"), at("2026-12-01 12:30"), "1:15pm today"},
		{"read in the service's zone", at("2026-11-30 09:00"), at("2026-11-29 23:30").UTC(), "9am tomorrow"},
		{"no opening", time.Time{}, at("2026-11-29 23:30"), "further notice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := OpensWords(tc.opens, tc.now); got != tc.want {
				t.Errorf("OpensWords(%v, %v) = %q, want %q", tc.opens, tc.now, got, tc.want)
			}
		})
	}
}

func TestRunnerWritesHours(t *testing.T) {
	opens := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	now := time.Date(2026, 11, 28, 22, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		hours  func(time.Time) (bool, time.Time, bool)
		closed bool
		opens  time.Time
	}{
		{"no calendar: at work", nil, false, time.Time{}},
		{"at work", func(time.Time) (bool, time.Time, bool) { return true, now, true }, false, time.Time{}},
		{"closed", func(time.Time) (bool, time.Time, bool) { return false, opens, true }, true, opens},
		{"closed with no opening ahead", func(time.Time) (bool, time.Time, bool) { return false, time.Time{}, false }, true, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Runner{cfg: Config{Hours: tc.hours}}
			ev := r.hours(Event{Kind: EventText, Closed: true, Opens: now}, now)
			if tc.hours == nil {
				ev = r.hours(Event{Kind: EventText}, now)
			}
			if ev.Closed != tc.closed || !ev.Opens.Equal(tc.opens) {
				t.Errorf("event says closed %v, opens %v; want %v, %v", ev.Closed, ev.Opens, tc.closed, tc.opens)
			}
		})
	}
}
