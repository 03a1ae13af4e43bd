package handoff

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Sources a referral can name. A deep-link payload such as gp_F86001 counts
// under its prefix (gp); anything else unknown counts as other.
var sources = []string{"gp", "pa", "friend", "social", "other"}

// SourceOf splits a referral's source into its kind and, for a deep link,
// the rest of the payload: "gp_F86001" is ("gp", "F86001"). No source is
// ("unknown", "").
func SourceOf(source string) (kind, detail string) {
	if source == "" {
		return "unknown", ""
	}
	if slices.Contains(sources, source) {
		return source, ""
	}
	if prefix, rest, ok := strings.Cut(source, "_"); ok && slices.Contains(sources, prefix) {
		return prefix, rest
	}
	return "other", source
}

// Spread summarises a set of durations.
type Spread struct {
	N      int
	Median time.Duration
	P90    time.Duration
}

// spread takes the nearest-rank median and 90th percentile.
func spread(ds []time.Duration) Spread {
	if len(ds) == 0 {
		return Spread{}
	}
	slices.Sort(ds)
	rank := func(p int) time.Duration {
		i := (p*len(ds) + 99) / 100 // ceil(p/100 * n), 1-based
		return ds[max(i, 1)-1]
	}
	return Spread{N: len(ds), Median: rank(50), P90: rank(90)}
}

// Report is the commissioners' figures for referrals created in [From, To).
// It holds counts and times only: no names, no chat ids, no words anybody wrote.
type Report struct {
	From, To    time.Time
	Referrals   int
	Urgent      int
	CareLeavers int
	// Erased counts referrals whose person asked for their data to be erased.
	Erased   int
	BySource map[string]int // gp, pa, friend, social, other, unknown
	// ByLink counts the deep-link details within a source, such as GP
	// practice codes: "gp F86001".
	ByLink   map[string]int
	ByNeed   map[string]int
	ByTeam   map[Team]int
	ByStatus map[Status]int
	Outcomes map[Outcome]int
	// ToPost is from the referral's creation to its card in the group,
	// ToClaim to its claim, ToContact to the first message from a worker.
	ToPost, ToClaim, ToContact Spread
}

// Report computes the figures for referrals created in [from, to). It is
// anonymous, so it asks for no worker: whoever wires it decides who reads it.
func (d *Desk) Report(ctx context.Context, from, to time.Time) (Report, error) {
	rs, err := d.st.ReferralsCreated(ctx, from, to)
	if err != nil {
		return Report{}, fmt.Errorf("report: %w", err)
	}
	rep := Report{
		From: from, To: to,
		BySource: map[string]int{}, ByLink: map[string]int{}, ByNeed: map[string]int{},
		ByTeam: map[Team]int{}, ByStatus: map[Status]int{}, Outcomes: map[Outcome]int{},
	}
	var post, claim, contact []time.Duration
	for _, r := range rs {
		rep.Referrals++
		if r.Urgent {
			rep.Urgent++
		}
		if r.CareLeaver == "yes" {
			rep.CareLeavers++
		}
		if r.IsErased() {
			rep.Erased++
		}
		kind, detail := SourceOf(r.Source)
		rep.BySource[kind]++
		if detail != "" {
			rep.ByLink[kind+" "+detail]++
		}
		for _, n := range r.Needs {
			rep.ByNeed[n]++
		}
		rep.ByTeam[r.Team]++
		rep.ByStatus[r.Status]++
		if r.Status == StatusClosed && r.Outcome != "" {
			rep.Outcomes[r.Outcome]++
		}
		if !r.Posted.IsZero() {
			post = append(post, r.Posted.Sub(r.Created))
		}
		if !r.Claimed.IsZero() {
			claim = append(claim, r.Claimed.Sub(r.Created))
		}
		if !r.FirstContact.IsZero() {
			contact = append(contact, r.FirstContact.Sub(r.Created))
		}
	}
	rep.ToPost, rep.ToClaim, rep.ToContact = spread(post), spread(claim), spread(contact)
	return rep, nil
}

// String renders the figures as plain text for a commissioner.
func (rep Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Referrals from %s to %s: %d\n", rep.From.Format(time.DateOnly), rep.To.Format(time.DateOnly), rep.Referrals)
	fmt.Fprintf(&b, "Urgent: %d. Care leavers: %d. Erased at the person's request: %d.\n", rep.Urgent, rep.CareLeavers, rep.Erased)
	line := func(title string, m map[string]int, word func(string) string) {
		if len(m) == 0 {
			return
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		// Largest first, then by name, so the headline figure leads.
		slices.SortFunc(keys, func(a, c string) int {
			if m[a] != m[c] {
				return m[c] - m[a]
			}
			return strings.Compare(a, c)
		})
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s %d", word(k), m[k])
		}
		fmt.Fprintf(&b, "%s: %s\n", title, strings.Join(parts, ", "))
	}
	same := func(s string) string { return s }
	line("By source", rep.BySource, func(s string) string { return sourceKindWords(s) })
	line("By link", rep.ByLink, same)
	line("By need", rep.ByNeed, NeedWords)
	line("By team", stringKeys(rep.ByTeam), func(s string) string { return Team(s).Words() })
	line("Outcomes", stringKeys(rep.Outcomes), func(s string) string { return Outcome(s).Words() })
	spreadLine := func(title string, s Spread) {
		if s.N == 0 {
			return
		}
		fmt.Fprintf(&b, "%s: median %s, 90%% within %s (%d referrals)\n", title, roundDur(s.Median), roundDur(s.P90), s.N)
	}
	spreadLine("Time to card posted", rep.ToPost)
	spreadLine("Time to claim", rep.ToClaim)
	spreadLine("Time to first contact", rep.ToContact)
	return strings.TrimRight(b.String(), "\n")
}

func stringKeys[K ~string](m map[K]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}

// roundDur keeps a duration readable: milliseconds under a second, else seconds.
func roundDur(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Second)
}
