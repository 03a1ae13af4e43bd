// Package hours is the service's working calendar: the hours its team is
// at work in the service's time zone, and the bank holidays it keeps. Every
// promise signpost makes about when someone will read a message, every
// reminder and every escalation is worked out here, so they all agree.
//
// Opening hours are wall-clock times, so a day's hours stay 09:00-17:00
// across a change of the clocks.
package hours

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DefaultHours is the working week when SERVICE_HOURS is not set.
const DefaultHours = "Mon-Fri 09:00-17:00"

// searchDays bounds how far ahead the calendar looks for an opening: a
// calendar with no working hours at all (only holidays, or an empty week)
// says it never opens rather than looking forever.
const searchDays = 400

// span is a stretch of a day, in minutes after midnight: [From, To).
type span struct{ From, To int }

// Week holds the working spans of each weekday (time.Sunday = 0).
type Week [7][]span

// Calendar is the service's working time: a week of hours, bank holidays,
// and the time zone both are read in. The zero value is never open; build
// one with New.
type Calendar struct {
	loc      *time.Location
	week     Week
	holidays map[date]string
}

// date is a day of the calendar, independent of time zone.
type date struct {
	Y int
	M time.Month
	D int
}

func dateOf(t time.Time) date { y, m, d := t.Date(); return date{y, m, d} }

// New returns the calendar of week and holidays, read in loc (UTC if nil).
func New(week Week, holidays *Holidays, loc *time.Location) *Calendar {
	if loc == nil {
		loc = time.UTC
	}
	c := &Calendar{loc: loc, week: week, holidays: map[date]string{}}
	if holidays != nil {
		for _, h := range holidays.Days {
			c.holidays[h.day] = h.Name
		}
	}
	return c
}

// Location is the time zone the calendar is read in.
func (c *Calendar) Location() *time.Location { return c.loc }

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseWeek reads working hours written as groups of days and their spans,
// separated by semicolons or commas:
//
//	Mon-Fri 09:00-17:00
//	Mon-Thu 09:00-17:00; Fri 09:00-16:30
//	Mon,Wed,Fri 09:00-12:30 13:30-17:00; Sat 10:00-13:00
//
// Days may be a range (Mon-Fri) or a list joined by "/" or ","; a span ends
// after it starts, within one day ("24:00" is the end of the day). A day named
// twice takes the spans of both. An empty spec means no working hours.
func ParseWeek(spec string) (Week, error) {
	var w Week
	// Commas both join days ("Mon,Wed") and separate groups ("Mon 9-5, Tue
	// 10-4"); a group always starts with a day, so split where a comma or a
	// semicolon is followed by words that are not times.
	for _, group := range splitGroups(spec) {
		fields := strings.Fields(group)
		if len(fields) < 2 {
			return Week{}, fmt.Errorf("%q: give days and at least one span, like Mon-Fri 09:00-17:00", group)
		}
		days, err := parseDays(fields[0])
		if err != nil {
			return Week{}, err
		}
		for _, f := range fields[1:] {
			s, err := parseSpan(f)
			if err != nil {
				return Week{}, err
			}
			for _, d := range days {
				w[d] = append(w[d], s)
			}
		}
	}
	for d := range w {
		sort.Slice(w[d], func(i, j int) bool { return w[d][i].From < w[d][j].From })
		for i := 1; i < len(w[d]); i++ {
			if w[d][i].From < w[d][i-1].To {
				return Week{}, fmt.Errorf("%s: the spans %s and %s overlap", time.Weekday(d), w[d][i-1], w[d][i])
			}
		}
	}
	return w, nil
}

func splitGroups(spec string) []string {
	var groups []string
	var cur []string
	for _, part := range strings.FieldsFunc(spec, func(r rune) bool { return r == ';' || r == ',' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		// "Mon,Wed,Fri 09:00-17:00" splits into "Mon", "Wed", "Fri 09:00-17:00":
		// a bare day joins the group that follows.
		cur = append(cur, part)
		if strings.ContainsAny(part, " \t") {
			groups = append(groups, strings.Join(cur, ","))
			cur = nil
		}
	}
	if len(cur) > 0 {
		groups = append(groups, strings.Join(cur, ","))
	}
	return groups
}

func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '/' }) {
		from, to, isRange := strings.Cut(part, "-")
		a, err := parseDay(from)
		if err != nil {
			return nil, err
		}
		if !isRange {
			out = append(out, a)
			continue
		}
		b, err := parseDay(to)
		if err != nil {
			return nil, err
		}
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				break
			}
		}
	}
	return out, nil
}

// parseDay reads a day's name, whole or its first three letters.
func parseDay(s string) (time.Weekday, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) >= 3 {
		if d, ok := dayNames[s[:3]]; ok && strings.HasPrefix(strings.ToLower(d.String()), s) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("%q is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun", s)
}

func parseSpan(s string) (span, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return span{}, fmt.Errorf("%q is not a span of time: write it like 09:00-17:00", s)
	}
	from, err1 := parseClock(a)
	to, err2 := parseClock(b)
	if err1 != nil || err2 != nil || to <= from {
		return span{}, fmt.Errorf("%q is not a span of time: write it like 09:00-17:00, ending after it starts", s)
	}
	return span{from, to}, nil
}

func parseClock(s string) (int, error) {
	h, m, _ := strings.Cut(strings.TrimSpace(s), ":")
	hh, err := strconv.Atoi(h)
	if err != nil {
		return 0, err
	}
	mm := 0
	if m != "" {
		if len(m) != 2 {
			return 0, fmt.Errorf("minutes are two digits")
		}
		if mm, err = strconv.Atoi(m); err != nil {
			return 0, err
		}
	}
	if hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("no such time")
	}
	return hh*60 + mm, nil
}

func (s span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60)
}

// String writes the week back in the form ParseWeek reads, one group a day.
func (w Week) String() string {
	var groups []string
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if len(w[d]) == 0 {
			continue
		}
		parts := []string{d.String()[:3]}
		for _, s := range w[d] {
			parts = append(parts, s.String())
		}
		groups = append(groups, strings.Join(parts, " "))
	}
	return strings.Join(groups, "; ")
}

// Holiday returns the name of the bank holiday on t's day, if it is one.
func (c *Calendar) Holiday(t time.Time) (string, bool) {
	name, ok := c.holidays[dateOf(t.In(c.loc))]
	return name, ok
}

// spans returns the working stretches of the day that starts at midnight
// (in the calendar's zone), as instants; none on a holiday.
func (c *Calendar) spans(midnight time.Time) [][2]time.Time {
	if _, hol := c.holidays[dateOf(midnight)]; hol {
		return nil
	}
	y, m, d := midnight.Date()
	var out [][2]time.Time
	for _, s := range c.week[midnight.Weekday()] {
		from := time.Date(y, m, d, s.From/60, s.From%60, 0, 0, c.loc)
		to := time.Date(y, m, d, s.To/60, s.To%60, 0, 0, c.loc)
		if s.To == 24*60 {
			to = time.Date(y, m, d+1, 0, 0, 0, 0, c.loc)
		}
		out = append(out, [2]time.Time{from, to})
	}
	return out
}

func (c *Calendar) midnight(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc)
}

// each calls f with every working stretch that ends after t, in order,
// until f returns false or searchDays have been looked at.
func (c *Calendar) each(t time.Time, f func(from, to time.Time) bool) {
	day := c.midnight(t)
	for i := 0; i < searchDays; i++ {
		for _, s := range c.spans(day) {
			if !s[1].After(t) {
				continue
			}
			if !f(s[0], s[1]) {
				return
			}
		}
		y, m, d := day.Date()
		day = time.Date(y, m, d+1, 0, 0, 0, 0, c.loc)
	}
}

// Open reports whether the team is at work at t.
func (c *Calendar) Open(t time.Time) bool {
	open := false
	c.each(t, func(from, to time.Time) bool {
		open = !from.After(t)
		return false
	})
	return open
}

// NextOpen is t itself when the team is at work then, else the next instant
// they are. ok is false when the calendar holds no working time ahead.
func (c *Calendar) NextOpen(t time.Time) (at time.Time, ok bool) {
	c.each(t, func(from, to time.Time) bool {
		at, ok = from, true
		if from.Before(t) {
			at = t
		}
		return false
	})
	return at, ok
}

// Closes is when the working stretch under way at t ends; t itself when
// the team is not at work.
func (c *Calendar) Closes(t time.Time) time.Time {
	end := t
	c.each(t, func(from, to time.Time) bool {
		if !from.After(t) {
			end = to
		}
		return false
	})
	return end
}

// Add returns the instant d of working time after t: working time passes
// only while the team is at work, so two working hours from 16:30 on a
// Friday is 10:30 on Monday. ok is false when the calendar has too little
// working time ahead to hold d.
func (c *Calendar) Add(t time.Time, d time.Duration) (at time.Time, ok bool) {
	if d <= 0 {
		return t, true
	}
	left := d
	c.each(t, func(from, to time.Time) bool {
		if from.Before(t) {
			from = t
		}
		avail := to.Sub(from)
		if avail >= left {
			at, ok = from.Add(left), true
			return false
		}
		left -= avail
		return true
	})
	return at, ok
}

// Working is how much working time lies between a and b (zero when b is
// not after a): the time a message waited while someone could have read it.
func (c *Calendar) Working(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var sum time.Duration
	c.each(a, func(from, to time.Time) bool {
		if !from.Before(b) {
			return false
		}
		if from.Before(a) {
			from = a
		}
		if to.After(b) {
			to = b
		}
		sum += to.Sub(from)
		return true
	})
	return sum
}

// EndOfDay is when the working day that t falls in (or the next one, when
// t is outside working hours) ends: "the same working day" of a promise.
func (c *Calendar) EndOfDay(t time.Time) (time.Time, bool) {
	start, ok := c.NextOpen(t)
	if !ok {
		return time.Time{}, false
	}
	last := start
	for _, s := range c.spans(c.midnight(start)) {
		if s[1].After(last) {
			last = s[1]
		}
	}
	return last, true
}

// PromiseMargin is how much of the working day must be left for a person
// to be told "a link worker will see this today" (Promise).
const PromiseMargin = 30 * time.Minute

// Promise is Status as a person may be promised it: the team counts as away
// in the last PromiseMargin of its working day, and opens at its next
// working stretch, since what arrives then may not be read until that.
func (c *Calendar) Promise(t time.Time) (open bool, opens time.Time, ok bool) {
	open, opens, ok = c.Status(t)
	if !open {
		return open, opens, ok
	}
	closes := c.Closes(t)
	if closes.Sub(t) >= PromiseMargin {
		return true, t, true
	}
	opens, ok = c.NextOpen(closes)
	return false, opens, ok
}

// Status is whether the team is at work at t and, when it is not, when it
// next is (ok false: no working time ahead): what a person is told after an
// urgent flag. Its shape is flows.Config.Hours.
func (c *Calendar) Status(t time.Time) (open bool, opens time.Time, ok bool) {
	if c.Open(t) {
		return true, t, true
	}
	opens, ok = c.NextOpen(t)
	return false, opens, ok
}
