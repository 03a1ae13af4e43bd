package handoff

import (
	"testing"
	"time"
)

// TestFirstReminderByPriority: urgent 15 minutes after in hours, else the
// next opening; high within the same working day; routine one working day
// later, bank holidays skipped.
func TestFirstReminderByPriority(t *testing.T) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	d := New(nil, Authoriser{}, Config{Location: loc})
	at := func(y int, m time.Month, dd, hh, mm int) time.Time { return time.Date(y, m, dd, hh, mm, 0, 0, loc) }
	tests := []struct {
		name string
		p    Priority
		made time.Time
		want time.Time
	}{
		{"urgent in hours", PriorityUrgent, at(2026, 12, 1, 10, 0), at(2026, 12, 1, 10, 15)},
		{"urgent on a Saturday night", PriorityUrgent, at(2026, 11, 28, 22, 0), at(2026, 11, 30, 9, 0)},
		{"urgent before a bank holiday Monday", PriorityUrgent, at(2027, 5, 29, 22, 0), at(2027, 6, 1, 9, 0)},
		{"high in the morning: two working hours", PriorityHigh, at(2026, 12, 1, 10, 0), at(2026, 12, 1, 12, 0)},
		{"high late in the day: before the team goes home", PriorityHigh, at(2026, 12, 1, 16, 0), at(2026, 12, 1, 16, 45)},
		{"high in the last quarter hour: the next morning", PriorityHigh, at(2026, 12, 1, 16, 50), at(2026, 12, 2, 10, 50)},
		{"high on a Saturday night: Monday morning", PriorityHigh, at(2026, 11, 28, 22, 0), at(2026, 11, 30, 11, 0)},
		{"routine: the same time the next working day", PriorityRoutine, at(2026, 12, 1, 14, 0), at(2026, 12, 2, 14, 0)},
		{"routine on a Friday before a bank holiday Monday", PriorityRoutine, at(2027, 5, 28, 14, 0), at(2027, 6, 1, 14, 0)},
		{"routine at the weekend: the close moves to the next opening", PriorityRoutine, at(2026, 11, 28, 12, 0), at(2026, 12, 1, 9, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := d.firstReminder(Referral{Priority: tc.p}, tc.made)
			if !got.Equal(tc.want) {
				t.Errorf("first reminder of %s made %s: %s, want %s", tc.p, tc.made.Format("Mon 2 Jan 15:04"), got.In(loc).Format("Mon 2 Jan 15:04"), tc.want.Format("Mon 2 Jan 15:04"))
			}
		})
	}
}
