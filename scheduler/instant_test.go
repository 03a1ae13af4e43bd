package scheduler_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/scheduler"
)

func TestLocalInstant(t *testing.T) {
	tests := []struct {
		name string
		date time.Time // only the date is used
		at   scheduler.TimeOfDay
		want string // RFC 3339 with the offset London shows then
	}{
		{"winter", local(2026, 1, 6, 0, 0), scheduler.Clock(10, 0), "2026-01-06T10:00:00Z"},
		{"summer", local(2026, 7, 7, 0, 0), scheduler.Clock(10, 0), "2026-07-07T10:00:00+01:00"},
		{"before the gap", local(2026, 3, 29, 0, 0), scheduler.Clock(0, 59), "2026-03-29T00:59:00Z"},
		{"gap start moves forward an hour", local(2026, 3, 29, 0, 0), scheduler.Clock(1, 0), "2026-03-29T02:00:00+01:00"},
		{"inside the gap moves forward an hour", local(2026, 3, 29, 0, 0), scheduler.Clock(1, 30), "2026-03-29T02:30:00+01:00"},
		{"after the gap", local(2026, 3, 29, 0, 0), scheduler.Clock(2, 0), "2026-03-29T02:00:00+01:00"},
		{"repeat: first occurrence", local(2026, 10, 25, 0, 0), scheduler.Clock(1, 30), "2026-10-25T01:30:00+01:00"},
		{"repeat start: first occurrence", local(2026, 10, 25, 0, 0), scheduler.Clock(1, 0), "2026-10-25T01:00:00+01:00"},
		{"after the repeat", local(2026, 10, 25, 0, 0), scheduler.Clock(2, 0), "2026-10-25T02:00:00Z"},
		{"midnight", local(2026, 10, 25, 0, 0), scheduler.Clock(0, 0), "2026-10-25T00:00:00+01:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, m, d := tt.date.Date()
			got := scheduler.LocalInstant(y, m, d, tt.at, london).Format(time.RFC3339)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LocalInstant (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNextThrough2026 follows a Sunday 01:30 check-in through the whole of
// 2026: one a week, every week, at 01:30 local except on the day the clocks
// go forward (02:30 BST), and at the first 01:30 on the day they go back.
func TestNextThrough2026(t *testing.T) {
	e := weekly(time.Sunday, scheduler.Clock(1, 30), scheduler.Clock(1, 31))
	var got []string
	at := local(2026, 1, 1, 0, 0)
	for {
		at = scheduler.Next(7, e, at, london)
		if at.Year() > 2026 {
			break
		}
		got = append(got, at.In(london).Format("2006-01-02 15:04 MST"))
	}
	var want []string
	for d := local(2026, 1, 4, 12, 0); d.Year() == 2026; d = d.AddDate(0, 0, 7) {
		w := d.Format("2006-01-02") + " 01:30 " + d.Format("MST")
		switch d.Format("01-02") {
		case "03-29":
			w = "2026-03-29 02:30 BST"
		case "10-25":
			w = "2026-10-25 01:30 BST"
		}
		want = append(want, w)
	}
	if len(want) != 52 {
		t.Fatalf("test expects 52 Sundays, has %d", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("check-ins (-want +got):\n%s", diff)
	}
}

func TestNext(t *testing.T) {
	tue := weekly(time.Tuesday, scheduler.Clock(10, 0), scheduler.Clock(10, 1)) // no jitter
	paused := tue
	paused.PausedUntil = local(2026, 2, 17, 0, 0)
	tests := []struct {
		name  string
		e     scheduler.Enrolment
		after time.Time
		want  time.Time
	}{
		{"later the same day", tue, local(2026, 2, 3, 9, 0), local(2026, 2, 3, 10, 0)},
		{"window started: next week", tue, local(2026, 2, 3, 10, 0), local(2026, 2, 10, 10, 0)},
		{"from the day before", tue, local(2026, 2, 2, 23, 0), local(2026, 2, 3, 10, 0)},
		{"paused until a Tuesday: that Tuesday", paused, local(2026, 2, 3, 9, 0), local(2026, 2, 17, 10, 0)},
		{"pause over: as usual", paused, local(2026, 2, 18, 9, 0), local(2026, 2, 24, 10, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scheduler.Next(1, tt.e, tt.after, london)
			if !got.Equal(tt.want) {
				t.Errorf("Next(%v) = %v, want %v", tt.after, got, tt.want)
			}
		})
	}
}

// TestJitter: inside the window, the same on every call, spread over it.
func TestJitter(t *testing.T) {
	e := scheduler.DefaultEnrolment()
	minutes := map[int]int{}
	for user := int64(1); user <= 2000; user++ {
		at := scheduler.Next(user, e, local(2026, 5, 4, 12, 0), london)
		if again := scheduler.Next(user, e, local(2026, 5, 4, 12, 0), london); !again.Equal(at) {
			t.Fatalf("user %d: %v then %v", user, at, again)
		}
		l := at.In(london)
		if l.Day() != 5 || l.Hour() < 10 || l.Hour() >= 12 {
			t.Fatalf("user %d: %v outside Tuesday 10:00-12:00", user, l)
		}
		minutes[l.Hour()*60+l.Minute()]++
	}
	if len(minutes) < 110 {
		t.Errorf("2000 people use %d of the window's 120 minutes", len(minutes))
	}
	a := scheduler.Jitter(1, local(2026, 5, 5, 12, 0), 120)
	differs := false
	for w := 1; w <= 10; w++ {
		if scheduler.Jitter(1, local(2026, 5, 5+7*w, 12, 0), 120) != a {
			differs = true
		}
	}
	if !differs {
		t.Error("jitter is the same every week")
	}
}
