package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/hours"
)

var london, _ = time.LoadLocation("Europe/London")

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, london)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr(n int) *int { return &n }

// A hand-worked example: five people's life satisfaction before and after.
// Changes 2, 0, 2, 0, 3: mean 1.4, sample variance 7.2/4 = 1.8, standard
// error sqrt(1.8/5) = 0.6, t(0.975, 4) = 2.7764, so 1.4 ± 1.6659.
func TestPairedChangeByHand(t *testing.T) {
	before := []int{4, 5, 6, 7, 3}
	after := []int{6, 5, 8, 7, 6}
	var rs []*Record
	for i := range before {
		rs = append(rs, &Record{Baseline: &Wellbeing{Life: ptr(before[i])}, FollowUp: &Wellbeing{Life: ptr(after[i])}})
	}
	rs = append(rs, &Record{Baseline: &Wellbeing{Life: ptr(9)}}) // no follow-up: not paired
	c := changes(rs)[0]
	if c.ID != "life" || c.N != 5 || c.Improved != 3 {
		t.Fatalf("got %+v", c)
	}
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"baseline", c.Baseline, 5}, {"follow-up", c.FollowUp, 6.4}, {"mean", c.Mean, 1.4},
		{"low", c.Low, 1.4 - 2.776445*0.6}, {"high", c.High, 1.4 + 2.776445*0.6},
	} {
		if math.Abs(tc.got-tc.want) > 1e-4 {
			t.Errorf("%s = %.5f, want %.5f", tc.name, tc.got, tc.want)
		}
	}
	if diff := cmp.Diff(map[int]int{0: 2, 2: 2, 3: 1}, c.Diffs); diff != "" {
		t.Errorf("distribution (-want +got)\n%s", diff)
	}
}

// For anxiety and loneliness a fall is the improvement.
func TestLowerIsBetter(t *testing.T) {
	three := func(a, b, c int) [3]*int { return [3]*int{ptr(a), ptr(b), ptr(c)} }
	rs := []*Record{
		{Baseline: &Wellbeing{Anxious: ptr(8), Lonely: three(3, 3, 3)}, FollowUp: &Wellbeing{Anxious: ptr(5), Lonely: three(2, 2, 2)}},
		{Baseline: &Wellbeing{Anxious: ptr(2), Lonely: three(1, 1, 1)}, FollowUp: &Wellbeing{Anxious: ptr(4), Lonely: three(1, 2, 1)}},
		{Baseline: &Wellbeing{Lonely: [3]*int{ptr(3), nil, ptr(3)}}, FollowUp: &Wellbeing{Lonely: three(1, 1, 1)}}, // incomplete scale
	}
	cs := changes(rs)
	anx, lonely := cs[3], cs[4]
	if anx.N != 2 || anx.Improved != 1 || anx.Mean != -0.5 {
		t.Errorf("anxiety: %+v", anx)
	}
	if lonely.N != 2 || lonely.Improved != 1 || lonely.Mean != -1 {
		t.Errorf("loneliness: %+v", lonely)
	}
}

func TestTQuantile(t *testing.T) {
	for df, want := range map[float64]float64{1: 12.7062, 2: 4.3027, 4: 2.7764, 10: 2.2281, 30: 2.0423, 1000: 1.9623} {
		if got := tQuantile(0.975, df); math.Abs(got-want) > 1e-3 {
			t.Errorf("t(0.975, %v) = %.4f, want %.4f", df, got, want)
		}
	}
}

// sample is a small service's quarter: one source so rare it must be withheld.
func sample() Input {
	in := Input{From: day("2026-01-01 00:00"), To: day("2026-04-01 00:00"), Now: day("2026-04-02 09:00")}
	add := func(n int, r Record) {
		for i := 0; i < n; i++ {
			r.Person = fmt.Sprintf("%s-%d-%d", r.Source, len(in.Records), i)
			r.Created = in.From.Add(time.Duration(len(in.Records)) * 13 * time.Hour)
			in.Records = append(in.Records, r)
		}
	}
	add(40, Record{Source: "gp_F86001", Needs: []string{"money", "lonely"}, Team: "link_workers", AgeBand: "50-64", Status: "closed", Outcome: "connected_group", Priority: "routine"})
	add(12, Record{Source: "gp", Needs: []string{"housing"}, Team: "link_workers", AgeBand: "26-49", Status: "new", Priority: "high"})
	add(3, Record{Source: "gp_F86002", Needs: []string{"money"}, Team: "link_workers", AgeBand: "65plus", Status: "closed", Outcome: "advice", Priority: "routine"})
	add(9, Record{Source: "pa", Needs: []string{"lonely"}, Team: "leaving_care", AgeBand: "17-25", CareLeaver: true, Status: "claimed", Priority: "routine"})
	add(2, Record{Source: "qr_library", Needs: []string{"arts"}, Team: "link_workers", AgeBand: "26-49", Status: "in_contact", Priority: "urgent"})
	add(20, Record{Source: "friend", Needs: []string{"money", "benefits"}, Team: "link_workers", AgeBand: "26-49", Status: "closed", Outcome: "referred_service", Priority: "routine"})
	// Two referrals by one person.
	in.Records[1].Person = in.Records[0].Person
	// Outside the period: never counted.
	in.Records = append(in.Records, Record{Person: "late", Created: day("2026-04-01 00:00"), Source: "gp"}, Record{Person: "early", Created: day("2025-12-31 23:59"), Source: "gp"})
	return in
}

func TestBreakdownsAddUp(t *testing.T) {
	f := Build(sample())
	if f.Referrals != 86 || f.People != 85 {
		t.Fatalf("referrals %d, people %d; want 86, 85", f.Referrals, f.People)
	}
	byID := map[string]Breakdown{}
	for _, b := range f.Breakdowns {
		byID[b.ID] = b
		sum := 0
		for _, r := range b.Rows {
			sum += r.N
		}
		if !b.Multi && sum != b.Total {
			t.Errorf("%s: rows add up to %d, total %d", b.ID, sum, b.Total)
		}
		if b.Parent == "" && b.Total != f.Referrals && b.Unit == "referrals" {
			t.Errorf("%s: total %d, but %d referrals", b.ID, b.Total, f.Referrals)
		}
		if b.Unit == "people" && b.Total != f.People {
			t.Errorf("%s: total %d, but %d people", b.ID, b.Total, f.People)
		}
	}
	if got := byID["by_practice"].Total; got != rowOf(byID["by_source"], "gp") {
		t.Errorf("GP referrals by practice total %d, the sources say %d", got, rowOf(byID["by_source"], "gp"))
	}
	if got := byID["by_outcome"].Total; got != rowOf(byID["by_status"], "closed") {
		t.Errorf("outcomes total %d, closed %d", got, rowOf(byID["by_status"], "closed"))
	}
	want := map[string]int{"gp": 55, "pa": 9, "qr": 2, "self": 20}
	for k, n := range want {
		if got := rowOf(byID["by_source"], k); got != n {
			t.Errorf("source %s: %d, want %d", k, got, n)
		}
	}
	if got := rowOf(byID["by_practice"], "F86001"); got != 40 {
		t.Errorf("practice F86001: %d", got)
	}
	if got := rowOf(byID["by_need"], "money"); got != 63 {
		t.Errorf("money: %d, want 63", got)
	}
	if got := rowOf(byID["care_leavers"], "yes"); got != 9 {
		t.Errorf("care leavers: %d", got)
	}
}

func rowOf(b Breakdown, key string) int {
	for _, r := range b.Rows {
		if r.Key == key {
			return r.N
		}
	}
	return -1
}

func TestSmallNumbersWithheldEverywhere(t *testing.T) {
	p := Publish(Build(sample()))
	// The two QR referrals and the three of practice F86002 are withheld;
	// so every total that would reveal them is rounded.
	tables := map[string]Table{}
	for _, tb := range p.Tables {
		tables[tb.ID] = tb
	}
	row := func(table, key string) Row {
		for _, r := range tables[table].Rows {
			if r.Key == key {
				return r
			}
		}
		t.Fatalf("%s has no row %s", table, key)
		return Row{}
	}
	if r := row("by_source", "qr"); r.Count.Shown != "<5" || r.Count.N != nil || r.Share.N != nil {
		t.Errorf("QR row published as %+v", r)
	}
	if r := row("by_practice", "F86002"); r.Count.Shown != "<5" {
		t.Errorf("F86002 published as %+v", r.Count)
	}
	if r := row("by_source", "gp"); !r.Count.Rounded || r.Count.Shown != "~55" {
		t.Errorf("the GP row details a withheld practice, so it is rounded: %+v", r.Count)
	}
	if p.Referrals.Shown != "~85" || !p.Referrals.Rounded {
		t.Errorf("headline referrals %+v, want ~85", p.Referrals)
	}
	if tb := tables["by_week"]; tb.Total.Shown != "~85" {
		t.Errorf("by week total %q", tb.Total.Shown)
	}
	// A table whose own rows are all large and whose total is not a
	// population total keeps exact figures.
	if tb := tables["by_outcome"]; tb.Total.Rounded != hasWithheld(tb) {
		t.Errorf("by outcome total rounded %v, withheld rows %v", tb.Total.Rounded, hasWithheld(tb))
	}

	// And the numbers withheld appear in no format: each stands as "<5"
	// beside its label, and the JSON holds no count from 1 to 4.
	want := map[string][]string{
		"text": {`(?m)^  QR code poster +<5 *$`, `(?m)^  F86002 +<5 *$`},
		"csv":  {`qr,QR code poster,,<5,\n`, `F86002,F86002,,<5,\n`},
		"html": {`<td>QR code poster</td><td class="n">&lt;5</td>`, `QR code poster</text><rect[^>]*class="bar withheld"/><text[^>]*>&lt;5</text>`},
	}
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := Write(&buf, p, format); err != nil {
			t.Fatal(err)
		}
		for _, re := range want[format] {
			if !regexp.MustCompile(re).Match(buf.Bytes()) {
				t.Errorf("%s: nothing matches %s", format, re)
			}
		}
		if format == "json" {
			checkJSON(t, buf.Bytes())
		}
	}
}

// checkJSON walks the published JSON: no count value from 1 to 4 anywhere.
func checkJSON(t *testing.T, blob []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(blob, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if n, ok := x["n"].(float64); ok && n >= 1 && n <= 4 && !strings.Contains(path, "share") && !strings.Contains(path, "mean") && !strings.Contains(path, "ci95") && !strings.Contains(path, "hours") {
				t.Errorf("json %s holds a small count %v", path, n)
			}
			for k, c := range x {
				walk(path+"."+k, c)
			}
		case []any:
			for i, c := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		}
	}
	walk("", v)
}

func TestWaitsInWorkingTime(t *testing.T) {
	cal, err := hours.Load("", "", "", london)
	if err != nil {
		t.Fatal(err)
	}
	in := Input{From: day("2026-11-01 00:00"), To: day("2026-12-01 00:00"), Calendar: cal}
	// Five referrals made on a Friday at 16:00, claimed on Monday at 10:00:
	// 66 hours by the clock, 2 hours of working time.
	for i := 0; i < 5; i++ {
		in.Records = append(in.Records, Record{Created: day("2026-11-27 16:00"), Claimed: day("2026-11-30 10:00")})
	}
	p := Publish(Build(in))
	w := p.Waits[0]
	if w.ID != "to_claim" || *w.Median.N != 66 || *w.WorkMedian.N != 2 || !w.WorkingTime {
		t.Errorf("got %+v", w)
	}
	if w.Median.Shown != "2 d 18 h" || w.WorkMedian.Shown != "2 h" {
		t.Errorf("shown %q and %q", w.Median.Shown, w.WorkMedian.Shown)
	}
	if c := p.Waits[1]; c.N.Shown != "0" || c.Median.N != nil {
		t.Errorf("no contacts yet: %+v", c)
	}
}

func TestWeeksAndMonths(t *testing.T) {
	in := Input{From: day("2026-01-01 00:00"), To: day("2026-02-01 00:00")}
	f := Build(in)
	var weeksRow, monthsRow []string
	for _, b := range f.Breakdowns {
		for _, r := range b.Rows {
			switch b.ID {
			case "by_week":
				weeksRow = append(weeksRow, r.Label)
			case "by_month":
				monthsRow = append(monthsRow, r.Label)
			}
		}
	}
	if diff := cmp.Diff([]string{"w/c 29 Dec 2025", "w/c 5 Jan 2026", "w/c 12 Jan 2026", "w/c 19 Jan 2026", "w/c 26 Jan 2026"}, weeksRow); diff != "" {
		t.Errorf("weeks (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"January 2026"}, monthsRow); diff != "" {
		t.Errorf("months (-want +got)\n%s", diff)
	}
}

func TestTeamFilterAndSynthetic(t *testing.T) {
	in := sample()
	in.Team, in.Synthetic = "leaving_care", true
	p := Publish(Build(in))
	// Nine referrals spread over thirteen weeks leave weeks of fewer than
	// five, so the total is rounded.
	if p.Referrals.Shown != "~10" {
		t.Errorf("leaving care: %+v", p.Referrals)
	}
	var buf bytes.Buffer
	for _, format := range []string{"text", "html"} {
		buf.Reset()
		Write(&buf, p, format)
		if !strings.Contains(buf.String(), "SYNTHETIC") {
			t.Errorf("%s does not say the data is synthetic", format)
		}
	}
	if err := Write(&buf, p, "pdf"); err == nil {
		t.Error("an unknown format gave no error")
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, Publish(Build(sample())), "html"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"http://", "https://", "<script", "<link", "@import", "src="} {
		if strings.Contains(out, bad) {
			t.Errorf("the page holds %q: it must need nothing from elsewhere", bad)
		}
	}
	for _, want := range []string{"<svg", "@page { size: A4", "Referrals by week", `class="bar withheld"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func TestCSVFiles(t *testing.T) {
	files := CSVFiles(Publish(Build(sample())))
	names := map[string]string{}
	for _, f := range files {
		names[f.Name] = string(f.Data)
	}
	for _, want := range []string{"summary.csv", "by_week.csv", "by_source.csv", "by_need.csv", "waits.csv", "checkins.csv", "wellbeing.csv", "wellbeing_distribution.csv", "definitions.csv"} {
		if _, ok := names[want]; !ok {
			t.Errorf("no %s", want)
		}
	}
	if !strings.Contains(names["by_source.csv"], "qr,QR code poster,,<5,") {
		t.Errorf("by_source.csv:\n%s", names["by_source.csv"])
	}
}

// A year of a large service: the report over 100,000 referrals.
func BenchmarkReport100k(b *testing.B) {
	cal, _ := hours.Load("", "", "", london)
	rng := rand.New(rand.NewPCG(1, 2))
	in := Input{From: day("2026-01-01 00:00"), To: day("2027-01-01 00:00"), Calendar: cal}
	needs := []string{"money", "benefits", "housing", "lonely", "eating", "confidence", "befriending", "volunteering", "arts", "gardening", "other"}
	for i := 0; i < 100_000; i++ {
		created := in.From.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
		r := Record{Person: fmt.Sprint(rng.IntN(80_000)), Created: created, Source: fmt.Sprintf("gp_F%05d", rng.IntN(40)),
			Needs: []string{needs[rng.IntN(len(needs))], needs[rng.IntN(len(needs))]}, Team: "link_workers", AgeBand: "26-49",
			Status: "closed", Outcome: "advice", Claimed: created.Add(time.Duration(rng.IntN(72)) * time.Hour),
			Baseline: &Wellbeing{Life: ptr(rng.IntN(11))}, FollowUp: &Wellbeing{Life: ptr(rng.IntN(11))}}
		in.Records = append(in.Records, r)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		if err := Write(&buf, Publish(Build(in)), "html"); err != nil {
			b.Fatal(err)
		}
	}
}

func hasWithheld(t Table) bool {
	for _, r := range t.Rows {
		if r.Count.Suppressed {
			return true
		}
	}
	return false
}
