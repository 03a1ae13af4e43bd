package scheduler

import (
	"encoding/binary"
	"hash/fnv"
	"time"
)

// LocalInstant returns the instant at which the wall clocks of loc show the
// time of day t on the date y-m-d, by the rule in the package doc:
//
//   - a time that does not exist (clocks go forward past it) moves forward by
//     the gap: 01:30 on 2026-03-29 in London is 02:30 BST;
//   - a time that happens twice (clocks go back) is its first occurrence:
//     01:30 on 2026-10-25 in London is 01:30 BST, not the later 01:30 GMT.
//
// time.Date leaves both cases unspecified, hence this function.
func LocalInstant(y int, m time.Month, d int, t TimeOfDay, loc *time.Location) time.Time {
	// The wall time read as if it were UTC; subtracting an offset gives a
	// candidate instant, which is right if loc shows that wall time then.
	wall := time.Date(y, m, d, 0, int(t), 0, 0, time.UTC)
	// Offsets a day either side cover every transition that happens on the
	// date; no zone changes its offset twice within two days.
	_, before := wall.Add(-24 * time.Hour).In(loc).Zone()
	_, after := wall.Add(24 * time.Hour).In(loc).Zone()
	var found time.Time
	for _, off := range []int{before, after} {
		c := wall.Add(-time.Duration(off) * time.Second)
		if sameWall(c.In(loc), wall) && (found.IsZero() || c.Before(found)) {
			found = c
		}
	}
	if !found.IsZero() {
		return found.In(loc)
	}
	// In the gap: keep the offset that was in force before it, which puts
	// the instant as far past the gap's end as the wall time was past its start.
	return wall.Add(-time.Duration(before) * time.Second).In(loc)
}

// sameWall reports whether local shows the same date, hour and minute as wall.
func sameWall(local, wall time.Time) bool {
	y1, m1, d1 := local.Date()
	y2, m2, d2 := wall.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && local.Hour() == wall.Hour() && local.Minute() == wall.Minute()
}

// Jitter is the minute inside a window of width minutes at which the person's
// check-in of the ISO week containing date falls. It is a hash of the person
// and the week: the same on every replica and every restart, different from
// week to week so that nobody is always first, and spread evenly so that a
// service's sends do not all leave at the window's first minute.
func Jitter(user int64, date time.Time, width int) int {
	if width <= 1 {
		return 0
	}
	year, week := date.ISOWeek()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(user))
	binary.BigEndian.PutUint64(b[8:], uint64(year*100+week))
	h := fnv.New64a()
	h.Write(b[:])
	return int(h.Sum64() % uint64(width))
}

// Next returns the person's first check-in strictly after after: the
// jittered minute of the first weekly window that starts after after and not
// before e.PausedUntil. A window is identified by its date, so a window that
// has started is never used twice: a check-in sent late, or at the first of
// two 01:30s, is followed by next week's, never by another this week.
func Next(user int64, e Enrolment, after time.Time, loc *time.Location) time.Time {
	local := after.In(loc)
	pausedTill := e.PausedUntil
	y, m, d := local.Date()
	// Fifteen days reach next week's window even from the gap of a pause
	// ending mid-window; the loop always returns well before.
	for i := 0; i < 15+pauseDays(after, pausedTill); i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC)
		if day.Weekday() != e.Day {
			continue
		}
		dy, dm, dd := day.Date()
		start := LocalInstant(dy, dm, dd, e.Window.From, loc)
		if !start.After(after) || start.Before(pausedTill) {
			continue
		}
		width := int(e.Window.To - e.Window.From)
		return LocalInstant(dy, dm, dd, e.Window.From+TimeOfDay(Jitter(user, day, width)), loc)
	}
	return time.Time{} // only for a weekday out of range, which validate refuses
}

// pauseDays is how many days a pause reaches beyond after.
func pauseDays(after, until time.Time) int {
	if !until.After(after) {
		return 0
	}
	return int(until.Sub(after)/(24*time.Hour)) + 2
}

// inQuiet reports whether the instant t falls in the quiet hours q in loc.
func inQuiet(t time.Time, q Window, loc *time.Location) bool {
	l := t.In(loc)
	return q.contains(TimeOfDay(l.Hour()*60 + l.Minute()))
}

// quietEnd returns the first instant at or after t outside the quiet hours q.
func quietEnd(t time.Time, q Window, loc *time.Location) time.Time {
	if !inQuiet(t, q, loc) {
		return t
	}
	l := t.In(loc)
	y, m, d := l.Date()
	if TimeOfDay(l.Hour()*60+l.Minute()) >= q.From && q.From > q.To {
		d++ // in the evening part of hours that wrap past midnight
	}
	return LocalInstant(y, m, d, q.To, loc)
}

// formFor says which questions the check-in at instant at asks: the three
// loneliness questions at the first check-in of a calendar month (local),
// judged from the history of what was sent, else the weekly question.
func formFor(at time.Time, history []Entry, loc *time.Location) Form {
	y, m, _ := at.In(loc).Date()
	for _, e := range history {
		if e.Status == StatusSkipped || !e.At.Before(at) {
			continue
		}
		if ey, em, _ := e.At.In(loc).Date(); ey == y && em == m {
			return FormWeekly
		}
	}
	return FormLoneliness
}
