package hours

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "write the built-in bank holidays from the rules")

// The built-in data covers these years; the rules below write it. A one-off
// holiday the government announces (a coronation, a jubilee) is added to the
// data by hand, and then listed in extra so this test knows of it.
const firstYear, lastYear = 2024, 2032

var extra = map[string][]Holiday{}

// easter is Easter Sunday of year (the Gregorian computus).
func easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

func nthMonday(year int, month time.Month, n int) time.Time {
	t := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, 1)
	}
	return t.AddDate(0, 0, 7*(n-1))
}

func lastMonday(year int, month time.Month) time.Time {
	t := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC)
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

func weekend(t time.Time) bool { return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday }

// rulesFor writes a year's bank holidays by the rules of region. A holiday
// on a weekend moves to the next weekday that is not already a holiday; for
// a pair (Christmas and Boxing Day, 1 and 2 January in Scotland) the day that
// falls on a weekday keeps its place and the other takes the next free one.
func rulesFor(region string, year int) []Holiday {
	type fixed struct {
		t    time.Time
		name string
	}
	d := func(m time.Month, day int) time.Time { return time.Date(year, m, day, 0, 0, 0, 0, time.UTC) }
	e := easter(year)
	var movable []fixed // fall where they fall
	var rolling []fixed // move off a weekend
	rolling = append(rolling, fixed{d(time.January, 1), "New Year’s Day"})
	if region == Scotland {
		rolling = append(rolling, fixed{d(time.January, 2), "2nd January"})
	}
	if region == NorthernIreland {
		rolling = append(rolling, fixed{d(time.March, 17), "St Patrick’s Day"})
	}
	movable = append(movable, fixed{e.AddDate(0, 0, -2), "Good Friday"})
	if region != Scotland {
		movable = append(movable, fixed{e.AddDate(0, 0, 1), "Easter Monday"})
	}
	movable = append(movable, fixed{nthMonday(year, time.May, 1), "Early May bank holiday"})
	movable = append(movable, fixed{lastMonday(year, time.May), "Spring bank holiday"})
	if region == NorthernIreland {
		rolling = append(rolling, fixed{d(time.July, 12), "Battle of the Boyne (Orangemen’s Day)"})
	}
	if region == Scotland {
		movable = append(movable, fixed{nthMonday(year, time.August, 1), "Summer bank holiday"})
		rolling = append(rolling, fixed{d(time.November, 30), "St Andrew’s Day"})
	} else {
		movable = append(movable, fixed{lastMonday(year, time.August), "Summer bank holiday"})
	}
	rolling = append(rolling, fixed{d(time.December, 25), "Christmas Day"}, fixed{d(time.December, 26), "Boxing Day"})

	taken := map[time.Time]string{}
	for _, f := range movable {
		taken[f.t] = f.name
	}
	var deferred []fixed
	for _, f := range rolling {
		if weekend(f.t) {
			deferred = append(deferred, f)
			continue
		}
		taken[f.t] = f.name
	}
	for _, f := range deferred {
		t := f.t
		for weekend(t) || taken[t] != "" {
			t = t.AddDate(0, 0, 1)
		}
		taken[t] = f.name + " (substitute day)"
	}
	var out []Holiday
	for t, name := range taken {
		out = append(out, Holiday{Date: t.Format("2006-01-02"), Name: name})
	}
	out = append(out, extra[fmt.Sprintf("%s/%d", region, year)]...)
	h := &Holidays{Days: out}
	h.sort()
	return h.Days
}

func TestBuiltinHolidaysFollowTheRules(t *testing.T) {
	for _, region := range Regions {
		var want []Holiday
		for y := firstYear; y <= lastYear; y++ {
			want = append(want, rulesFor(region, y)...)
		}
		if *update {
			writeData(t, region, want)
		}
		got, err := Builtin(region)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got.Days, cmp.Comparer(func(a, b Holiday) bool { return a.Date == b.Date && a.Name == b.Name })); diff != "" {
			t.Errorf("%s: built-in holidays differ from the rules (-want +got); run go test ./hours -run Builtin -update:\n%s", region, diff)
		}
	}
}

func writeData(t *testing.T, region string, days []Holiday) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "# Bank holidays in %s, %d to %d, as the UK government publishes them.\n", regionName[region], firstYear, lastYear)
	b.WriteString("# Written from the rules in rules_test.go (go test ./hours -run Builtin -update);\n")
	b.WriteString("# a one-off holiday announced later is added here by hand and to extra there.\n")
	b.WriteString("# A service may use its own file instead (BANK_HOLIDAYS_FILE).\n")
	fmt.Fprintf(&b, "region: %s\nsource: https://www.gov.uk/bank-holidays\nholidays:\n", region)
	for _, d := range days {
		fmt.Fprintf(&b, "  - {date: %s, name: %q}\n", d.Date, d.Name)
	}
	if err := os.WriteFile("data/"+region+".yaml", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

var regionName = map[string]string{EnglandAndWales: "England and Wales", Scotland: "Scotland", NorthernIreland: "Northern Ireland"}

// Published dates for 2026, checked by hand against the government's list,
// so a mistake in the rules cannot hide behind data written from them.
func TestPublished2026(t *testing.T) {
	for _, tc := range []struct {
		region string
		want   []string
	}{
		{EnglandAndWales, []string{"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"}},
		{Scotland, []string{"2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25", "2026-08-03", "2026-11-30", "2026-12-25", "2026-12-28"}},
		{NorthernIreland, []string{"2026-01-01", "2026-03-17", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-07-13", "2026-08-31", "2026-12-25", "2026-12-28"}},
	} {
		t.Run(tc.region, func(t *testing.T) {
			h, err := Builtin(tc.region)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range h.Days {
				if strings.HasPrefix(d.Date, "2026-") {
					got = append(got, d.Date)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestEaster(t *testing.T) {
	for year, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2030: "2030-04-21", 2032: "2032-03-28"} {
		if got := easter(year).Format("2006-01-02"); got != want {
			t.Errorf("easter(%d) = %s, want %s", year, got, want)
		}
	}
}

// 2022 had Christmas on a Sunday: Boxing Day stayed on Monday and Christmas
// moved to Tuesday; 2027 has both on the weekend.
func TestSubstituteDays(t *testing.T) {
	dates := func(hs []Holiday) map[string]string {
		m := map[string]string{}
		for _, h := range hs {
			m[h.Date] = h.Name
		}
		return m
	}
	got := dates(rulesFor(EnglandAndWales, 2022))
	if got["2022-12-26"] != "Boxing Day" || got["2022-12-27"] != "Christmas Day (substitute day)" {
		t.Errorf("2022: %v", got)
	}
	got = dates(rulesFor(EnglandAndWales, 2027))
	if got["2027-12-27"] != "Christmas Day (substitute day)" || got["2027-12-28"] != "Boxing Day (substitute day)" {
		t.Errorf("2027: %v", got)
	}
	got = dates(rulesFor(Scotland, 2028)) // 1 January 2028 is a Saturday
	if got["2028-01-03"] != "New Year’s Day (substitute day)" || got["2028-01-04"] != "2nd January (substitute day)" {
		t.Errorf("Scotland 2028: %v", got)
	}
}
