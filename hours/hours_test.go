package hours

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var london, _ = time.LoadLocation("Europe/London")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, london)
	if err != nil {
		panic(err)
	}
	return t
}

func calendar(t *testing.T, spec, region string) *Calendar {
	t.Helper()
	w, err := ParseWeek(spec)
	if err != nil {
		t.Fatal(err)
	}
	var h *Holidays
	if region != "" {
		if h, err = Builtin(region); err != nil {
			t.Fatal(err)
		}
	}
	return New(w, h, london)
}

func TestParseWeek(t *testing.T) {
	for _, tc := range []struct {
		name, spec, want string
	}{
		{"default", DefaultHours, "Mon 09:00-17:00; Tue 09:00-17:00; Wed 09:00-17:00; Thu 09:00-17:00; Fri 09:00-17:00"},
		{"short friday", "Mon-Thu 09:00-17:00; Fri 09:00-16:30", "Mon 09:00-17:00; Tue 09:00-17:00; Wed 09:00-17:00; Thu 09:00-17:00; Fri 09:00-16:30"},
		{"lunch and a list", "Mon,Wed 9-12:30 13:30-17, Sat 10:00-13:00", "Mon 09:00-12:30 13:30-17:00; Wed 09:00-12:30 13:30-17:00; Sat 10:00-13:00"},
		{"whole names and a wrapping range", "Saturday-Monday 08:00-24:00", "Mon 08:00-24:00; Sat 08:00-24:00; Sun 08:00-24:00"},
		{"slashes", "Tue/Thu 10:00-14:00", "Tue 10:00-14:00; Thu 10:00-14:00"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := ParseWeek(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got := w.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseWeekRefusesNonsense(t *testing.T) {
	for _, spec := range []string{
		"Mon-Fri", "Funday 09:00-17:00", "Mon 17:00-09:00", "Mon 09:00", "Mon 25:00-26:00",
		"Mon 09:00-12:00 11:00-13:00", "Mon 9:5-10", "Mo 09:00-10:00",
	} {
		if _, err := ParseWeek(spec); err == nil {
			t.Errorf("ParseWeek(%q) gave no error", spec)
		}
	}
}

func TestOpenAndNextOpen(t *testing.T) {
	ew := calendar(t, DefaultHours, EnglandAndWales)
	scot := calendar(t, DefaultHours, Scotland)
	for _, tc := range []struct {
		name     string
		c        *Calendar
		at       string
		open     bool
		nextOpen string
	}{
		{"Saturday night", ew, "2026-11-28 22:00", false, "2026-11-30 09:00"},
		{"Saturday night in Scotland: Monday is St Andrew's Day", scot, "2026-11-28 22:00", false, "2026-12-01 09:00"},
		{"Monday morning", ew, "2026-11-30 09:00", true, "2026-11-30 09:00"},
		{"Monday lunchtime", ew, "2026-11-30 12:34", true, "2026-11-30 12:34"},
		{"closing time", ew, "2026-11-30 17:00", false, "2026-12-01 09:00"},
		{"before opening", ew, "2026-12-01 08:59", false, "2026-12-01 09:00"},
		{"bank holiday weekend", ew, "2026-08-29 22:00", false, "2026-09-01 09:00"},
		{"on the bank holiday", ew, "2026-08-31 10:00", false, "2026-09-01 09:00"},
		{"Christmas Eve evening", ew, "2026-12-24 18:00", false, "2026-12-29 09:00"},
		{"Easter", ew, "2026-04-02 17:30", false, "2026-04-07 09:00"},
		{"after the clocks go forward", ew, "2026-03-28 12:00", false, "2026-03-30 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Open(at(tc.at)); got != tc.open {
				t.Errorf("Open = %v, want %v", got, tc.open)
			}
			got, ok := tc.c.NextOpen(at(tc.at))
			if !ok || !got.Equal(at(tc.nextOpen)) {
				t.Errorf("NextOpen = %v (%v), want %s", got, ok, tc.nextOpen)
			}
		})
	}
}

func TestAddWorkingTime(t *testing.T) {
	c := calendar(t, DefaultHours, EnglandAndWales)
	for _, tc := range []struct {
		from string
		d    time.Duration
		want time.Time
	}{
		{"2026-11-27 16:30", 2 * time.Hour, at("2026-11-30 10:30")},            // Friday afternoon to Monday
		{"2026-11-28 22:00", 15 * time.Minute, at("2026-11-30 09:15")},         // from a Saturday night
		{"2026-11-30 10:00", 8 * time.Hour, at("2026-12-01 10:00")},            // a working day later
		{"2026-11-30 10:00", 7 * time.Hour, at("2026-11-30 17:00")},            // to the last minute
		{"2026-12-24 16:00", 2 * time.Hour, at("2026-12-29 10:00")},            // over Christmas
		{"2026-11-30 10:00", 0, at("2026-11-30 10:00")},                        // nothing to add
		{"2026-08-28 15:00", 3 * time.Hour, at("2026-09-01 10:00")},            // over a bank holiday weekend
		{"2026-11-30 09:00", 5 * 8 * time.Hour, at("2026-12-04 17:00")},        // a working week
		{"2026-11-30 09:00", 5*8*time.Hour + 1, at("2026-12-07 09:00").Add(1)}, // a moment more
	} {
		got, ok := c.Add(at(tc.from), tc.d)
		if !ok || !got.Equal(tc.want) {
			t.Errorf("Add(%s, %v) = %v, want %v", tc.from, tc.d, got, tc.want)
		}
		if w := c.Working(at(tc.from), got); w != tc.d {
			t.Errorf("Working(%s, %v) = %v, want %v", tc.from, got, w, tc.d)
		}
	}
}

func TestWorking(t *testing.T) {
	c := calendar(t, DefaultHours, EnglandAndWales)
	for _, tc := range []struct {
		a, b string
		want time.Duration
	}{
		{"2026-11-27 16:00", "2026-11-30 10:00", 2 * time.Hour},
		{"2026-11-28 10:00", "2026-11-29 10:00", 0},
		{"2026-11-30 12:00", "2026-11-30 11:00", 0},
		{"2026-12-24 09:00", "2026-12-31 17:00", 4 * 8 * time.Hour},
	} {
		if got := c.Working(at(tc.a), at(tc.b)); got != tc.want {
			t.Errorf("Working(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// Hours are wall-clock: on the night the clocks go forward a shift of
// 00:30-03:00 holds only an hour and a half.
func TestDaylightSaving(t *testing.T) {
	c := calendar(t, "Sun 00:30-03:00", "")
	if got := c.Working(at("2026-03-29 00:00"), at("2026-03-29 04:00")); got != 90*time.Minute {
		t.Errorf("spring forward: %v of work, want 1h30m", got)
	}
	if got := c.Working(at("2026-10-25 00:00"), at("2026-10-25 04:00")); got != 210*time.Minute {
		t.Errorf("fall back: %v of work, want 3h30m", got)
	}
	ew := calendar(t, DefaultHours, "")
	if got := ew.Closes(at("2026-03-30 12:00")); !got.Equal(at("2026-03-30 17:00")) {
		t.Errorf("Closes = %v", got)
	}
}

func TestEndOfDay(t *testing.T) {
	c := calendar(t, "Mon-Fri 09:00-12:30 13:30-17:00", EnglandAndWales)
	for from, want := range map[string]string{
		"2026-11-30 10:00": "2026-11-30 17:00",
		"2026-11-30 12:45": "2026-11-30 17:00",
		"2026-11-30 18:00": "2026-12-01 17:00",
		"2026-11-28 22:00": "2026-11-30 17:00",
	} {
		got, ok := c.EndOfDay(at(from))
		if !ok || !got.Equal(at(want)) {
			t.Errorf("EndOfDay(%s) = %v, want %s", from, got, want)
		}
	}
}

func TestNeverOpen(t *testing.T) {
	c := calendar(t, "", EnglandAndWales)
	if c.Open(at("2026-11-30 10:00")) {
		t.Error("an empty week is open")
	}
	if _, ok := c.NextOpen(at("2026-11-30 10:00")); ok {
		t.Error("an empty week opens")
	}
	if _, ok := c.Add(at("2026-11-30 10:00"), time.Hour); ok {
		t.Error("an empty week holds working time")
	}
	if _, ok := c.EndOfDay(at("2026-11-30 10:00")); ok {
		t.Error("an empty week has a working day")
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "days.yaml")
	os.WriteFile(yml, []byte("region: our borough\nholidays:\n  - {date: 2026-12-24, name: Christmas Eve closure}\n  - {date: 2026-12-25, name: Christmas Day}\n"), 0o644)
	h, err := ReadFile(yml, "")
	if err != nil {
		t.Fatal(err)
	}
	if h.Region != "our borough" || len(h.Days) != 2 || h.Last() != "2026-12-25" {
		t.Errorf("got %+v", h)
	}

	gov := filepath.Join(dir, "bank-holidays.json")
	os.WriteFile(gov, []byte(`{"england-and-wales":{"division":"england-and-wales","events":[{"title":"Boxing Day","date":"2026-12-28","notes":"Substitute day","bunting":true}]},
"scotland":{"division":"scotland","events":[{"title":"St Andrew’s Day","date":"2026-11-30","notes":"","bunting":true}]}}`), 0o644)
	h, err = ReadFile(gov, Scotland)
	if err != nil {
		t.Fatal(err)
	}
	c := New(Week{}, h, london)
	if name, ok := c.Holiday(at("2026-11-30 10:00")); !ok || !strings.HasPrefix(name, "St Andrew") {
		t.Errorf("Holiday = %q, %v", name, ok)
	}
	if _, err := ReadFile(gov, "wales"); err == nil {
		t.Error("a missing region gave no error")
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("holidays:\n  - {date: 25/12/2026, name: Christmas}\n"), 0o644)
	if _, err := ReadFile(bad, ""); err == nil || !strings.Contains(err.Error(), "not a date") {
		t.Errorf("a malformed date: %v", err)
	}
	if _, err := Builtin("wales"); err == nil {
		t.Error("an unknown region gave no error")
	}
}

func TestLoad(t *testing.T) {
	c, err := Load("", "", "", london)
	if err != nil {
		t.Fatal(err)
	}
	if c.Open(at("2026-12-28 10:00")) || !c.Open(at("2026-12-29 10:00")) {
		t.Error("the default calendar does not keep the Boxing Day substitute")
	}
	if c, err = Load("Mon-Sun 00:00-24:00", "none", "", london); err != nil || !c.Open(at("2026-12-25 03:00")) {
		t.Errorf("a calendar always open is closed on Christmas night (%v)", err)
	}
	if _, err := Load("Mon-Fri 9-17", "narnia", "", london); err == nil {
		t.Error("an unknown region gave no error")
	}
	if _, err := Load("weekdays", "", "", london); err == nil {
		t.Error("malformed hours gave no error")
	}
}

// TestPromise: the last half hour of the day promises the next morning.
func TestPromise(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	cal, err := Load("", "", "", loc)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 12, d, hh, mm, 0, 0, loc) }
	tests := []struct {
		now   time.Time
		open  bool
		opens time.Time
	}{
		{at(1, 10, 0), true, at(1, 10, 0)},
		{at(1, 16, 30), true, at(1, 16, 30)},
		{at(1, 16, 31), false, at(2, 9, 0)},
		{at(4, 16, 45), false, at(7, 9, 0)},
		{at(5, 22, 0), false, at(7, 9, 0)},
	}
	for _, tc := range tests {
		open, opens, ok := cal.Promise(tc.now)
		if open != tc.open || !ok || !opens.Equal(tc.opens) {
			t.Errorf("Promise(%s) = %v, %s, %v; want %v, %s", tc.now.Format("Mon 15:04"), open, opens.Format("Mon 15:04"), ok, tc.open, tc.opens.Format("Mon 15:04"))
		}
	}
}
