package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Small counts are suppressed: 1 to SmallMax are shown as "<5".
const SmallMax = 4

// Value is one published number. N is nil when the number is withheld;
// Shown is how every format writes it ("12", "<5", "~1,505", "").
type Value struct {
	N     *float64 `json:"n"`
	Shown string   `json:"shown"`
	// Suppressed marks a small count withheld; Rounded a total rounded to
	// the nearest 5 because it would reveal one.
	Suppressed bool `json:"suppressed,omitempty"`
	Rounded    bool `json:"rounded,omitempty"`
}

func exact(n float64, shown string) Value { return Value{N: &n, Shown: shown} }

func withheld(shown string) Value { return Value{Shown: shown, Suppressed: true} }

// count publishes a count of people or referrals.
func count(n int) Value {
	if n >= 1 && n <= SmallMax {
		return withheld("<5")
	}
	return exact(float64(n), thousands(n))
}

// total publishes a total, rounded to the nearest 5 when a count it holds
// was withheld (so that subtracting the rest cannot reveal it).
func total(n int, revealing bool) Value {
	if !revealing || n <= SmallMax {
		return count(n)
	}
	r := int(math.Round(float64(n)/5)) * 5
	v := exact(float64(r), "~"+thousands(r))
	v.Rounded = true
	return v
}

// Published is the report as every format shows it: every count has passed
// the small-number rule.
type Published struct {
	Title       string       `json:"title"`
	From        string       `json:"from"`
	To          string       `json:"to"` // the last day included
	Team        string       `json:"team,omitempty"`
	Synthetic   bool         `json:"synthetic"`
	Made        time.Time    `json:"made"`
	People      Value        `json:"people"`
	Referrals   Value        `json:"referrals"`
	Tables      []Table      `json:"tables"`
	Waits       []PubWait    `json:"waits"`
	Checkins    PubCheckins  `json:"checkins"`
	Wellbeing   []PubChange  `json:"wellbeing"`
	Definitions []Definition `json:"definitions"`
}

// Table is a published breakdown.
type Table struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Definition string `json:"definition"`
	Unit       string `json:"unit"`
	Multi      bool   `json:"multi,omitempty"`
	Chart      bool   `json:"chart,omitempty"`
	Rows       []Row  `json:"rows"`
	Total      Value  `json:"total"`
}

// Row is one published row: its count and its share of the table's total
// (a whole percentage; withheld with the count).
type Row struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count Value  `json:"count"`
	Share Value  `json:"share"`
}

// PubWait is a published waiting time: withheld under 5 referrals.
type PubWait struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Definition  string `json:"definition"`
	N           Value  `json:"n"`
	Median      Value  `json:"median_hours"`
	P90         Value  `json:"p90_hours"`
	WorkMedian  Value  `json:"working_median_hours"`
	WorkP90     Value  `json:"working_p90_hours"`
	WorkingTime bool   `json:"working_time"`
}

// PubCheckins are the published check-in figures.
type PubCheckins struct {
	Sent     Value `json:"sent"`
	Answered Value `json:"answered"`
	Flags    Table `json:"flags"`
}

// PubChange is a published wellbeing change: withheld under 5 people.
type PubChange struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	N             Value  `json:"n"`
	Baseline      Value  `json:"baseline_mean"`
	FollowUp      Value  `json:"follow_up_mean"`
	Mean          Value  `json:"mean_change"`
	Low           Value  `json:"ci95_low"`
	High          Value  `json:"ci95_high"`
	Improved      Value  `json:"improved"`
	ImprovedShare Value  `json:"improved_share"`
	LowerIsBetter bool   `json:"lower_is_better"`
	// Distribution counts people by their change in points, from the
	// largest fall to the largest rise.
	Distribution []Row `json:"distribution"`
}

// Publish applies the small-number rule to every figure of f.
func Publish(f Figures) Published {
	p := Published{
		Title:       "Social prescribing: referrals and outcomes",
		From:        f.From.Format(time.DateOnly),
		To:          f.To.Add(-time.Nanosecond).Format(time.DateOnly),
		Team:        f.Team,
		Synthetic:   f.Synthetic,
		Made:        f.Made,
		Definitions: f.Definitions,
	}
	rounded := roundings(f.Breakdowns)
	p.Referrals = total(f.Referrals, rounded.unit["referrals"])
	p.People = total(f.People, rounded.unit["people"])
	for _, b := range f.Breakdowns {
		p.Tables = append(p.Tables, publishTable(b, rounded.total[b.ID] || (b.Parent == "" && rounded.unit[b.Unit]), rounded.cells[b.ID]))
	}
	for _, w := range f.Waits {
		p.Waits = append(p.Waits, publishWait(w))
	}
	p.Checkins = publishCheckins(f.Checkins)
	for _, c := range f.Changes {
		p.Wellbeing = append(p.Wellbeing, publishChange(c))
	}
	return p
}

// rounding says which totals and cells must be rounded so that no withheld
// count can be worked out by subtraction.
type rounding struct {
	total map[string]bool            // by table id
	cells map[string]map[string]bool // by table id, then row key
	unit  map[string]bool            // the period's totals: referrals, people
}

// roundings follows a withheld count up: a table that withholds a row
// rounds its total; a table that details a row of another (GP referrals by
// practice details the "GP" row of the sources) rounds that row, and so that
// table's total; and a rounded total of all referrals (or people) is
// rounded wherever it is shown, the headline too.
func roundings(bs []Breakdown) rounding {
	r := rounding{total: map[string]bool{}, cells: map[string]map[string]bool{}, unit: map[string]bool{}}
	for _, b := range bs {
		if b.Multi {
			continue
		}
		for _, row := range b.Rows {
			if row.N >= 1 && row.N <= SmallMax {
				r.total[b.ID] = true
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, b := range bs {
			if !r.total[b.ID] {
				continue
			}
			if b.Parent == "" {
				if !r.unit[b.Unit] {
					r.unit[b.Unit], changed = true, true
				}
				continue
			}
			parent, key, _ := strings.Cut(b.Parent, ":")
			if r.cells[parent] == nil {
				r.cells[parent] = map[string]bool{}
			}
			if !r.cells[parent][key] || !r.total[parent] {
				r.cells[parent][key], r.total[parent], changed = true, true, true
			}
		}
	}
	return r
}

// publishTable withholds small rows and rounds the total and the given
// cells when asked. Shares are whole percentages of the exact total: too
// coarse to give the exact total back.
func publishTable(b Breakdown, roundTotal bool, roundCells map[string]bool) Table {
	t := Table{ID: b.ID, Title: b.Title, Definition: b.Definition, Unit: b.Unit, Multi: b.Multi, Chart: b.Chart, Total: total(b.Total, roundTotal)}
	for _, r := range b.Rows {
		row := Row{Key: r.Key, Label: r.Label, Count: total(r.N, roundCells[r.Key])}
		switch {
		case row.Count.Suppressed:
			row.Share = withheld("")
		case b.Total > 0:
			pct := math.Round(100 * float64(r.N) / float64(b.Total))
			row.Share = exact(pct, strconv.Itoa(int(pct))+"%")
		default:
			row.Share = Value{Shown: ""}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func hoursValue(d time.Duration, n int) Value {
	if n <= SmallMax {
		if n == 0 {
			return Value{Shown: "–"}
		}
		return withheld("<5 referrals")
	}
	h := math.Round(d.Hours()*10) / 10
	return exact(h, humanDuration(d))
}

func publishWait(w Wait) PubWait {
	return PubWait{
		ID: w.ID, Title: w.Title, Definition: w.Definition, N: count(w.N),
		Median: hoursValue(w.Median, w.N), P90: hoursValue(w.P90, w.N),
		WorkMedian: hoursValue(w.Working.Median, w.Working.N), WorkP90: hoursValue(w.Working.P90, w.Working.N),
		WorkingTime: w.Working.N > 0,
	}
}

func publishCheckins(c Checkins) PubCheckins {
	flags := Breakdown{ID: "checkin_flags", Title: "Check-in flags by kind", Definition: "Times a check-in reached a link worker, by why.", Unit: "flags"}
	keys := make([]string, 0, len(c.Flags))
	for k := range c.Flags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		flags.Rows = append(flags.Rows, Count{Key: k, Label: flagLabel(k), N: c.Flags[k]})
		flags.Total += c.Flags[k]
	}
	return PubCheckins{Sent: count(c.Sent), Answered: count(c.Answered), Flags: publishTable(flags, roundings([]Breakdown{flags}).total[flags.ID], nil)}
}

func publishChange(c Change) PubChange {
	p := PubChange{ID: c.ID, Title: c.Title, N: count(c.N), LowerIsBetter: c.LowerIsBetter}
	if c.N <= SmallMax {
		no := withheld("<5 people")
		if c.N == 0 {
			no = Value{Shown: "–"}
		}
		p.Baseline, p.FollowUp, p.Mean, p.Low, p.High, p.Improved, p.ImprovedShare = no, no, no, no, no, no, no
		return p
	}
	num := func(x float64) Value { x = math.Round(x*100) / 100; return exact(x, fmt.Sprintf("%.2f", x)) }
	signed := func(x float64) Value { x = math.Round(x*100) / 100; return exact(x, fmt.Sprintf("%+.2f", x)) }
	p.Baseline, p.FollowUp, p.Mean, p.Low, p.High = num(c.Baseline), num(c.FollowUp), signed(c.Mean), signed(c.Low), signed(c.High)
	p.Improved = count(c.Improved)
	if !p.Improved.Suppressed {
		pct := math.Round(100 * float64(c.Improved) / float64(c.N))
		p.ImprovedShare = exact(pct, strconv.Itoa(int(pct))+"%")
	} else {
		p.ImprovedShare = withheld("")
	}
	lo, hi := 0, 0
	for d := range c.Diffs {
		lo, hi = min(lo, d), max(hi, d)
	}
	for d := lo; d <= hi; d++ {
		p.Distribution = append(p.Distribution, Row{Key: strconv.Itoa(d), Label: fmt.Sprintf("%+d", d), Count: count(c.Diffs[d])})
	}
	return p
}

var flagLabels = map[string]string{
	"not_great_twice": "\"Not great\" at two of the last three", "talk": "Asked to talk to someone", "lonely": "Lonely (6 or more of 9)",
	"silent": "Three check-ins unanswered", "blocked": "Blocked the bot", "crisis": "Crisis words in a check-in",
}

func flagLabel(k string) string {
	if l, ok := flagLabels[k]; ok {
		return l
	}
	return k
}

// humanDuration writes a wait as people say it: "3 h 20 min", "2 d 4 h".
func humanDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		h := int(d.Hours())
		if m := int(d.Minutes()) % 60; m != 0 {
			return fmt.Sprintf("%d h %d min", h, m)
		}
		return fmt.Sprintf("%d h", h)
	}
	days := int(d.Hours()) / 24
	if h := int(d.Hours()) % 24; h != 0 {
		return fmt.Sprintf("%d d %d h", days, h)
	}
	return fmt.Sprintf("%d d", days)
}

// thousands writes n with commas: 1,503.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
