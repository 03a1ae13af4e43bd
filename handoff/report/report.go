// Package report turns anonymous referral records into the figures a
// social prescribing service is commissioned on: how many people it
// reached, from where, for what, how quickly they were helped, and whether
// they are better off. It knows no names, chat ids or words anybody wrote:
// its input is Records, built by whoever reads the referrals.
//
// Build computes the raw Figures; Publish applies the small-number rule of
// official statistics to every count, and every output format renders only
// the published form, so no format can leak a count of 1 to 4.
package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"signpost/hours"
)

// Wellbeing is one set of answers: the ONS4 items (0-10) and the three-item
// loneliness scale (each 1-3). A nil item was not answered.
type Wellbeing struct {
	Life, Worth, Happy, Anxious *int
	// Lonely are the three loneliness items: lack companionship, left out,
	// isolated; the scale's total (3-9) counts only when all three are given.
	Lonely [3]*int
}

// LonelyTotal is the loneliness score, 3 to 9, when all three are answered.
func (w *Wellbeing) LonelyTotal() (int, bool) {
	if w == nil {
		return 0, false
	}
	sum := 0
	for _, v := range w.Lonely {
		if v == nil {
			return 0, false
		}
		sum += *v
	}
	return sum, true
}

// Record is what the figures need of one referral, and nothing that is the
// person's own: no name, chat id or words.
type Record struct {
	// Person groups the referrals of one person (an anonymous key); empty
	// counts the referral as a person of its own.
	Person  string
	Created time.Time
	// Source is how the referral came: gp, gp_F86001 (a practice's link),
	// pa, qr_library, friend, social, other, self, or empty.
	Source string
	// Channel is telegram or web.
	Channel    string
	Needs      []string
	Team       string
	AgeBand    string // 17-25, 26-49, 50-64, 65plus, or empty
	CareLeaver bool
	Priority   string // urgent, high, routine, or empty before triage existed
	Status     string // new, claimed, in_contact, closed
	Outcome    string // set when closed
	Claimed    time.Time
	// FirstContact is the first message from a link worker to the person.
	FirstContact time.Time
	// Baseline is what the person answered when they referred themselves;
	// FollowUp what they answered at the follow-up.
	Baseline, FollowUp *Wellbeing
}

// Checkins are the check-in figures of the period.
type Checkins struct {
	Sent, Answered int
	// Flags counts the flags raised to link workers, by kind (not_great,
	// talk, lonely, silent, blocked, risk...).
	Flags map[string]int
}

// Input is everything one report is made of.
type Input struct {
	// From and To bound the period: referrals created in [From, To).
	From, To time.Time
	// Team, when set, limits the report to one team.
	Team     string
	Records  []Record
	Checkins Checkins
	// Calendar, when set, also measures waiting times in working time.
	Calendar *hours.Calendar
	// Synthetic marks figures made from demonstration data.
	Synthetic bool
	// Now is when the report was made.
	Now time.Time
}

// Count is one row of a breakdown.
type Count struct {
	Key   string // as stored: money, gp, 2026-W05
	Label string // as a reader sees it
	N     int
}

// Breakdown is a table of counts that sum to Total: every record falls in
// exactly one row, or (Multi) in any number of them.
type Breakdown struct {
	ID         string
	Title      string
	Definition string
	// Unit is what is counted: referrals or people.
	Unit  string
	Rows  []Count
	Total int
	// Multi is set when a record may fall in several rows (needs), so the
	// rows need not sum to Total.
	Multi bool
	// Chart asks renderers that draw to draw this one as bars.
	Chart bool
	// Parent, for a table that details one row of another, names that row
	// as "table:key" ("by_source:gp"); empty for a table of the whole period.
	Parent string
}

// Wait is the spread of one waiting time.
type Wait struct {
	ID         string
	Title      string
	Definition string
	N          int
	Median     time.Duration
	P90        time.Duration
	// Working are the same measured in the service's working time; N is 0
	// when no calendar was given.
	Working Spread
}

// Change is the paired change of one wellbeing item among people with both
// a baseline and a follow-up answer.
type Change struct {
	ID       string
	Title    string
	N        int
	Baseline float64 // mean at baseline
	FollowUp float64 // mean at follow-up
	Mean     float64 // mean change, follow-up minus baseline
	Low      float64 // 95% confidence interval of the mean change
	High     float64
	// Improved counts people better by at least one point (for anxiety and
	// loneliness, lower is better).
	Improved int
	// LowerIsBetter is set for anxiety and loneliness.
	LowerIsBetter bool
	// Diffs counts people by their change in points, for a distribution.
	Diffs map[int]int
}

// Figures is the whole report before small numbers are suppressed.
type Figures struct {
	From, To    time.Time
	Team        string
	Synthetic   bool
	Made        time.Time
	People      int
	Referrals   int
	Breakdowns  []Breakdown
	Waits       []Wait
	Checkins    Checkins
	Changes     []Change
	Definitions []Definition
}

// Definition says what one figure means.
type Definition struct {
	Term, Meaning string
}

// Build computes the figures of in.
func Build(in Input) Figures {
	var rs []*Record
	for i := range in.Records {
		r := &in.Records[i]
		if r.Created.Before(in.From) || !r.Created.Before(in.To) {
			continue
		}
		if in.Team != "" && r.Team != in.Team {
			continue
		}
		rs = append(rs, r)
	}
	slices.SortStableFunc(rs, func(a, b *Record) int { return a.Created.Compare(b.Created) })
	loc := time.UTC
	if in.Calendar != nil {
		loc = in.Calendar.Location()
	}
	f := Figures{From: in.From, To: in.To, Team: in.Team, Synthetic: in.Synthetic, Made: in.Now, Referrals: len(rs), Checkins: in.Checkins}
	people := map[string]bool{}
	for i, r := range rs {
		key := r.Person
		if key == "" {
			key = fmt.Sprintf("#%d", i)
		}
		people[key] = true
	}
	f.People = len(people)

	one := func(id, title, def string, chart bool, key func(*Record) string, label func(string) string, order []string) {
		f.Breakdowns = append(f.Breakdowns, breakdown(id, title, def, chart, rs, key, label, order))
	}
	one("by_week", "Referrals by week", "Referrals counted by the week (Monday to Sunday) they were made in.", true,
		func(r *Record) string { return weekOf(r.Created.In(loc)) }, weekLabel, weeks(in.From.In(loc), in.To.In(loc)))
	one("by_month", "Referrals by month", "Referrals counted by the calendar month they were made in.", false,
		func(r *Record) string { return r.Created.In(loc).Format("2006-01") }, monthLabel, months(in.From.In(loc), in.To.In(loc)))
	f.Breakdowns = append(f.Breakdowns,
		peopleBy("people_by_week", "People by week", "People counted once, in the week (Monday to Sunday) of their first referral in the period.",
			rs, func(r *Record) string { return weekOf(r.Created.In(loc)) }, weekLabel, weeks(in.From.In(loc), in.To.In(loc))),
		peopleBy("people_by_month", "People by month", "People counted once, in the month of their first referral in the period.",
			rs, func(r *Record) string { return r.Created.In(loc).Format("2006-01") }, monthLabel, months(in.From.In(loc), in.To.In(loc))))
	one("by_source", "Referrals by source", "Where the referral came from: a GP practice (its link, or the person said their GP sent them), a Personal Adviser or leaving-care team, a QR code poster, or the person themselves (a friend, social media, elsewhere, or not said).", true,
		func(r *Record) string { k, _ := SourceKind(r.Source); return k }, sourceLabel, sourceOrder)
	f.Breakdowns = append(f.Breakdowns, byPractice(rs))
	one("by_channel", "Referrals by channel", "The way the person reached the service.", false,
		func(r *Record) string { return orUnknown(r.Channel) }, channelLabel, []string{"telegram", "web"})
	f.Breakdowns = append(f.Breakdowns, byNeed(rs))
	one("by_team", "Referrals by team", "The team the referral was routed to.", false,
		func(r *Record) string { return orUnknown(r.Team) }, teamLabel, []string{"link_workers", "leaving_care"})
	one("by_age", "Referrals by age band", "The age band the person chose.", false,
		func(r *Record) string { return orUnknown(r.AgeBand) }, ageLabel, []string{"17-25", "26-49", "50-64", "65plus"})
	one("care_leavers", "Care leavers", "Referrals from people who said they are leaving or have left care.", false,
		func(r *Record) string { return yesNo(r.CareLeaver) }, yesNoLabel, []string{"yes", "no"})
	one("by_priority", "Referrals by priority", "The priority triage gave the referral: urgent (a risk disclosed), high (answers that show great need), routine.", false,
		func(r *Record) string { return orUnknown(r.Priority) }, priorityLabel, []string{"urgent", "high", "routine"})
	one("by_status", "Referrals by status", "Where each referral stood when the report was made.", false,
		func(r *Record) string { return orUnknown(r.Status) }, statusLabel, []string{"new", "claimed", "in_contact", "closed"})
	closed := filter(rs, func(r *Record) bool { return r.Status == "closed" })
	outcomes := breakdown("by_outcome", "Closed referrals by outcome", "Why each closed referral was closed, as the link worker recorded it.", false,
		closed, func(r *Record) string { return orUnknown(r.Outcome) }, outcomeLabel, outcomeOrder)
	outcomes.Parent = "by_status:closed"
	f.Breakdowns = append(f.Breakdowns, outcomes)

	f.Waits = append(f.Waits,
		wait("to_claim", "Time to claim", "From the referral to a link worker taking it.", rs, func(r *Record) time.Time { return r.Claimed }, in.Calendar),
		wait("to_contact", "Time to first contact", "From the referral to the first message from a link worker to the person.", rs, func(r *Record) time.Time { return r.FirstContact }, in.Calendar))
	f.Changes = changes(rs)
	f.Definitions = definitions
	return f
}

func filter(rs []*Record, keep func(*Record) bool) []*Record {
	var out []*Record
	for _, r := range rs {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// breakdown counts rs by key. Rows come in order first (each shown even
// when nobody falls in it, so a zero is seen as a zero), then any other key
// by count.
func breakdown(id, title, def string, chart bool, rs []*Record, key func(*Record) string, label func(string) string, order []string) Breakdown {
	counts := map[string]int{}
	for _, r := range rs {
		counts[key(r)]++
	}
	return Breakdown{ID: id, Title: title, Definition: def, Unit: "referrals", Rows: rows(counts, label, order), Total: len(rs), Chart: chart}
}

func rows(counts map[string]int, label func(string) string, order []string) []Count {
	var out []Count
	seen := map[string]bool{}
	for _, k := range order {
		out = append(out, Count{Key: k, Label: label(k), N: counts[k]})
		seen[k] = true
	}
	var rest []string
	for k := range counts {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Slice(rest, func(i, j int) bool {
		if rest[i] == unknown || rest[j] == unknown { // "not known" last
			return rest[j] == unknown && rest[i] != unknown
		}
		if counts[rest[i]] != counts[rest[j]] {
			return counts[rest[i]] > counts[rest[j]]
		}
		return rest[i] < rest[j]
	})
	for _, k := range rest {
		out = append(out, Count{Key: k, Label: label(k), N: counts[k]})
	}
	return out
}

// peopleBy counts each person once, under the key of their first referral
// of the period (its week or month).
func peopleBy(id, title, def string, rs []*Record, key func(*Record) string, label func(string) string, order []string) Breakdown {
	first := map[string]string{}
	for i, r := range rs { // rs is in order of creation
		person := r.Person
		if person == "" {
			person = fmt.Sprintf("#%d", i)
		}
		if _, ok := first[person]; !ok {
			first[person] = key(r)
		}
	}
	counts := map[string]int{}
	for _, k := range first {
		counts[k]++
	}
	return Breakdown{ID: id, Title: title, Definition: def, Unit: "people", Rows: rows(counts, label, order), Total: len(first)}
}

// byPractice counts GP referrals by the practice code of the link they came
// from; those who said their GP sent them, with no link, are "not known".
func byPractice(rs []*Record) Breakdown {
	counts := map[string]int{}
	n := 0
	for _, r := range rs {
		kind, code := SourceKind(r.Source)
		if kind != "gp" {
			continue
		}
		n++
		counts[orUnknown(code)]++
	}
	return Breakdown{ID: "by_practice", Parent: "by_source:gp", Title: "GP referrals by practice", Definition: "Referrals from GPs, by the practice code of the link or QR code the person used; \"not known\" when they said their GP sent them but came without a practice's link.",
		Unit: "referrals", Rows: rows(counts, func(k string) string {
			if k == unknown {
				return "Not known"
			}
			return k
		}, nil), Total: n}
}

func byNeed(rs []*Record) Breakdown {
	counts := map[string]int{}
	for _, r := range rs {
		if len(r.Needs) == 0 {
			counts[unknown]++
		}
		for _, n := range slices.Compact(slices.Sorted(slices.Values(r.Needs))) {
			counts[n]++
		}
	}
	return Breakdown{ID: "by_need", Title: "Referrals by need", Definition: "What people asked for help with. A referral may name several needs, so the rows add up to more than the total.",
		Unit: "referrals", Rows: rows(counts, needLabel, nil), Total: len(rs), Multi: true, Chart: true}
}

// SourceKind sorts a referral's source into the kinds the report counts:
// gp (with the practice code of a link such as gp_F86001), pa, qr (with
// where the poster was), or self; "" is unknown.
func SourceKind(source string) (kind, detail string) {
	s := strings.TrimSpace(source)
	prefix, rest, _ := strings.Cut(s, "_")
	switch strings.ToLower(prefix) {
	case "":
		return unknown, ""
	case "gp":
		return "gp", strings.ToUpper(rest)
	case "pa":
		return "pa", rest
	case "qr":
		return "qr", rest
	case "friend", "social", "other", "self", "web":
		return "self", ""
	}
	return "self", ""
}

var sourceOrder = []string{"gp", "pa", "qr", "self"}

func wait(id, title, def string, rs []*Record, at func(*Record) time.Time, cal *hours.Calendar) Wait {
	var ds, ws []time.Duration
	for _, r := range rs {
		t := at(r)
		if t.IsZero() || t.Before(r.Created) {
			continue
		}
		ds = append(ds, t.Sub(r.Created))
		if cal != nil {
			ws = append(ws, cal.Working(r.Created, t))
		}
	}
	s := spread(ds)
	return Wait{ID: id, Title: title, Definition: def, N: s.N, Median: s.Median, P90: s.P90, Working: spread(ws)}
}

const unknown = "unknown"

func orUnknown(s string) string {
	if s == "" {
		return unknown
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// weekOf names the ISO week of t: 2026-W05.
func weekOf(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// weeks lists every ISO week that [from, to) touches.
func weeks(from, to time.Time) []string {
	var out []string
	for t := from; t.Before(to); t = t.AddDate(0, 0, 1) {
		if w := weekOf(t); len(out) == 0 || out[len(out)-1] != w {
			out = append(out, w)
		}
		if len(out) > 600 { // ten years of weeks is enough for any table
			break
		}
	}
	return out
}

func months(from, to time.Time) []string {
	var out []string
	t := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, from.Location())
	for ; t.Before(to) && len(out) < 240; t = t.AddDate(0, 1, 0) {
		out = append(out, t.Format("2006-01"))
	}
	return out
}
