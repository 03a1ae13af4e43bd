package directory

import (
	"cmp"
	"slices"
)

// Follow-up flags the conversation records; they imply the need they name.
const (
	FlagHousingUrgent = "housing_urgent" // may lose their home soon
	FlagMoneyUrgent   = "money_urgent"   // a bill or debt worry right now
)

// Person is what matching knows about someone: only what the conversation
// asked, nothing more.
type Person struct {
	Needs []string
	// Age is the exact age in years; 0 means not given, and then Band is
	// used.
	Age int
	// Band is one of the Band constants, or empty.
	Band       string
	CareLeaver bool
	// District is a postcode district ("E17") or a full postcode; empty
	// when not given.
	District string
	// Flags are FlagHousingUrgent, FlagMoneyUrgent.
	Flags []string
}

// Suggestion is one service offered to a person and the one line that says
// why it fits.
type Suggestion struct {
	Service Service
	// Needs are the person's needs this service meets, in vocabulary order.
	Needs  []string
	Reason string
	// Fallback is set on a national service offered because nothing local
	// fits one of the person's needs.
	Fallback bool
}

// SuggestOptions tune Suggest. The zero value gives the defaults.
type SuggestOptions struct {
	// Limit is how many suggestions to give; default 5. Every need the
	// person named still gets one, even beyond the limit.
	Limit int
}

// Score weights, ordered so that meeting one more need outweighs anything
// else, and urgency outweighs meeting one more need.
const (
	scoreUrgent   = 1500
	scoreNeed     = 1000
	scoreDistrict = 300
	scoreBorough  = 200
	scoreNational = 100
	scoreFree     = 50
	scoreSchedule = 10
)

type candidate struct {
	i     int
	met   needSet
	score int
	local bool
}

// better orders candidates: higher score, then name, then id, so that the
// same directory always gives the same answer.
func (d *Directory) better(a, b candidate) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	sa, sb := &d.Services[a.i], &d.Services[b.i]
	if c := cmp.Compare(sa.Name, sb.Name); c != 0 {
		return c < 0
	}
	return sa.ID < sb.ID
}

// Suggest ranks the active services the person is eligible for by the needs
// they meet, nearness (same district, then same borough, then national),
// cost (free first) and a known schedule; urgent money or housing worries
// lift advice services. It never offers an inactive service or one the
// person is not eligible for. When nothing local fits a need, the
// directory's national fallback for that need (or the best national
// service for it) is offered instead, so a person who named any need never
// gets an empty answer while the directory passes Check.
func Suggest(dir *Directory, p Person, opts SuggestOptions) []Suggestion {
	limit := opts.Limit
	if limit <= 0 {
		limit = 5
	}
	ix := dir.lookup()
	want := needsOf(p.Needs)
	q := newQuery(dir, p)
	if q.urgentMoney {
		want |= needBit[NeedMoney]
	}
	if q.urgentHousing {
		want |= needBit[NeedHousing]
	}
	if want == 0 {
		return nil
	}

	top := make([]candidate, 0, limit+1)
	var bestLocal, bestNational [16]candidate // by need bit; i == -1 when none
	for k := range bestLocal {
		bestLocal[k].i, bestNational[k].i = -1, -1
	}
	for i := range ix.entries {
		e := &ix.entries[i]
		met := e.needs & want
		if met == 0 || !e.active {
			continue
		}
		s := &dir.Services[i]
		near, ok := q.eligible(s, e)
		if !ok {
			continue
		}
		c := candidate{i: i, met: met, score: q.score(s, met, near), local: !s.National}
		top = dir.pushTop(top, c, limit)
		for b := 0; b < len(Needs); b++ {
			if met&(1<<b) == 0 {
				continue
			}
			best := &bestNational
			if c.local {
				best = &bestLocal
			}
			if best[b].i < 0 || dir.better(c, best[b]) {
				best[b] = c
			}
		}
	}

	// Every named need gets its best local service, or else its national
	// fallback; the rest of the places go to the best overall.
	var picked []candidate
	fallback := map[int]bool{}
	seen := map[int]bool{}
	add := func(c candidate) {
		if !seen[c.i] {
			seen[c.i] = true
			picked = append(picked, c)
		}
	}
	for b, n := range Needs {
		if want&(1<<b) == 0 {
			continue
		}
		if bestLocal[b].i >= 0 {
			add(bestLocal[b])
			continue
		}
		c, ok := q.fallbackFor(n, want)
		if !ok && bestNational[b].i >= 0 {
			c, ok = bestNational[b], true
		}
		if !ok {
			// Nothing at all for this need: offer general advice rather
			// than silence.
			c, ok = q.fallbackFor(NeedOther, want)
		}
		if ok {
			if !seen[c.i] {
				fallback[c.i] = true
			}
			add(c)
		}
	}
	for _, c := range top {
		if len(picked) >= limit {
			break
		}
		add(c)
	}
	slices.SortStableFunc(picked, func(a, b candidate) int {
		if dir.better(a, b) {
			return -1
		}
		if dir.better(b, a) {
			return 1
		}
		return 0
	})

	out := make([]Suggestion, 0, len(picked))
	for _, c := range picked {
		s := dir.Services[c.i]
		out = append(out, Suggestion{
			Service:  s,
			Needs:    c.met.ids(),
			Reason:   q.reason(&s, c.met),
			Fallback: fallback[c.i],
		})
	}
	return out
}

// pushTop keeps the best limit candidates in order; limit is small, so an
// insertion beats sorting thousands of candidates.
func (d *Directory) pushTop(top []candidate, c candidate, limit int) []candidate {
	if len(top) == limit && !d.better(c, top[len(top)-1]) {
		return top
	}
	at := len(top)
	for at > 0 && d.better(c, top[at-1]) {
		at--
	}
	top = slices.Insert(top, at, c)
	if len(top) > limit {
		top = top[:limit]
	}
	return top
}

// query is a person prepared for matching: their age range, district and
// borough worked out once rather than for every service.
type query struct {
	dir      *Directory
	ix       *lookup
	p        Person
	ageKnown bool
	lo, hi   int
	district string
	borough  string

	urgentMoney, urgentHousing bool
}

func newQuery(dir *Directory, p Person) *query {
	q := &query{dir: dir, ix: dir.lookup(), p: p}
	if p.Age > 0 {
		q.ageKnown, q.lo, q.hi = true, p.Age, p.Age
	} else if lo, hi, ok := bandRange(p.Band); ok {
		q.ageKnown, q.lo, q.hi = true, lo, hi
	}
	for _, f := range p.Flags {
		switch f {
		case FlagMoneyUrgent:
			q.urgentMoney = true
		case FlagHousingUrgent:
			q.urgentHousing = true
		}
	}
	q.district = District(p.District)
	if q.district != "" {
		q.borough = q.ix.borough[q.district]
	}
	return q
}

// eligible reports whether the person may use the service and, if so, how
// near it is as a score. A local service elsewhere is not "eligible": it is
// of no use to someone who cannot get there.
func (q *query) eligible(s *Service, e *entry) (near int, ok bool) {
	el := &s.Eligibility
	if el.CareLeaversOnly && !q.p.CareLeaver {
		return 0, false
	}
	if el.MinAge > 0 || el.MaxAge > 0 {
		// Someone known only by a band is eligible only when the whole
		// band fits: "17-25" may not join a group for 18 and over.
		hi := el.MaxAge
		if hi <= 0 {
			hi = maxAge
		}
		if !q.ageKnown || q.lo < el.MinAge || q.hi > hi {
			return 0, false
		}
	}
	if len(e.areas) > 0 {
		if q.district == "" {
			return 0, false
		}
		in := false
		for _, a := range e.areas {
			if a == q.district || (q.borough != "" && a == q.borough) {
				in = true
				break
			}
		}
		if !in {
			return 0, false
		}
	}
	if s.National {
		return scoreNational, true
	}
	switch {
	case q.district != "" && e.district == q.district:
		return scoreDistrict, true
	case len(e.areas) > 0:
		// The person lives inside the area the service is for.
		return scoreBorough, true
	case q.borough != "" && q.ix.borough[e.district] == q.borough:
		return scoreBorough, true
	case q.district == "":
		// Where the person lives is unknown: a local service open to
		// anyone may still help, but ranks below national ones.
		return 0, true
	}
	return 0, false
}

// fallbackFor returns the directory's chosen national service for a need,
// if it is active and the person is eligible.
func (q *query) fallbackFor(need string, want needSet) (candidate, bool) {
	id, ok := q.dir.Fallback[need]
	if !ok {
		return candidate{}, false
	}
	i, ok := q.ix.byID[id]
	if !ok {
		return candidate{}, false
	}
	e := &q.ix.entries[i]
	s := &q.dir.Services[i]
	if !e.active {
		return candidate{}, false
	}
	near, ok := q.eligible(s, e)
	if !ok {
		return candidate{}, false
	}
	met := e.needs & want
	if met == 0 {
		met = needBit[need]
	}
	return candidate{i: i, met: met, score: q.score(s, met, near)}, true
}

// score ranks an eligible service for the person; near comes from
// eligible.
func (q *query) score(s *Service, met needSet, near int) int {
	score := met.count()*scoreNeed + near
	if s.Advice && ((q.urgentMoney && met&(needBit[NeedMoney]|needBit[NeedBenefits]) != 0) ||
		(q.urgentHousing && met&needBit[NeedHousing] != 0)) {
		score += scoreUrgent
	}
	if s.Cost.Free {
		score += scoreFree
	}
	if len(s.When.Days) > 0 || s.When.Times != "" {
		score += scoreSchedule
	}
	return score
}
