// Package demo makes a year of synthetic referrals, so that a council can see
// the report and the console before going live. The shape follows what a
// real service reports (more than 80% referred by GPs; money, debt and
// isolation the commonest reasons; a share of young people leaving care;
// realistic waits and outcomes; follow-ups for some), and every referral is
// made through the same casework desk as a real one, on a clock that walks
// through the year, so the data is what the service itself would have
// written. Nothing in it is a real person: names are left out altogether.
package demo

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"signpost/flows"
	"signpost/handoff"
	"signpost/hours"
	"signpost/internal/testclock"
)

// Options say what to make.
type Options struct {
	// People is how many people refer themselves in the year. Default 1500.
	People int
	// Seed makes the same data again. Default 1.
	Seed uint64
	// End is when the year ends. Default now.
	End time.Time
	// Erase erases a person's own keys after the desk forgot them, as the
	// service does on /forget. Nil: nothing more.
	Erase func(ctx context.Context, user int64) error
	// Count keeps the anonymous check-in counts of the weekly messages of
	// the people who chose them, as the scheduler does (store.Tally). Nil:
	// none are made.
	Count func(ctx context.Context, id, day, team, measure string) error
}

// Stats say what was made.
type Stats struct {
	People, Referrals, Urgent, Closed, FollowUps, Erased int
}

// Desk is what the demo needs of the casework desk; handoff.Desk is one.
type Desk interface {
	Create(ctx context.Context, eff flows.Effect) (handoff.Referral, handoff.Notices, error)
	Flag(ctx context.Context, eff flows.Effect) (handoff.Referral, handoff.Notices, error)
	SetCard(ctx context.Context, ref string, chat, message int64) (handoff.Referral, error)
	Claim(ctx context.Context, ref string, w handoff.Worker) (handoff.Referral, handoff.Notices, error)
	Message(ctx context.Context, ref string, w handoff.Worker, text string) (handoff.Referral, handoff.Notices, error)
	Close(ctx context.Context, ref string, w handoff.Worker, o handoff.Outcome, note string) (handoff.Referral, handoff.Notices, error)
	DueFollowUps(ctx context.Context, now time.Time) (handoff.Notices, error)
	RecordFollowUp(ctx context.Context, eff flows.Effect) (handoff.Referral, handoff.Notices, error)
	Forget(ctx context.Context, user int64) (handoff.Notices, error)
}

// Workers are the made-up link workers the demo's cases are given to; a
// Desk for the demo must let them act.
var Workers = []handoff.Worker{
	{ID: 9000001, Name: "Demo Worker A"}, {ID: 9000002, Name: "Demo Worker B"},
	{ID: 9000003, Name: "Demo Worker C"}, {ID: 9000004, Name: "Demo Worker D"},
}

// CardChat is the made-up group the demo's cards are posted in.
const CardChat = -1009000000000

// event is one thing that happens at a time in the simulated year.
type event struct {
	at  time.Time
	seq int
	do  func(ctx context.Context) error
}

type queue []event

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *queue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// sim walks the year.
type sim struct {
	desk  Desk
	clk   *testclock.Clock
	cal   *hours.Calendar
	rng   *rand.Rand
	q     queue
	seq   int
	end   time.Time
	stats Stats
	// answers holds, for each person asked a follow-up, the answers they
	// will give, if they answer.
	answers map[int64]map[string]string
	erase   func(ctx context.Context, user int64) error
	count   func(ctx context.Context, id, day, team, measure string) error
}

func (s *sim) at(t time.Time, do func(ctx context.Context) error) {
	if t.After(s.end) {
		return
	}
	s.seq++
	heap.Push(&s.q, event{at: t, seq: s.seq, do: do})
}

// Make fills desk with the year of opts and returns what it made. cal is the
// service's working calendar, which the simulated link workers keep.
func Make(ctx context.Context, desk Desk, clk *testclock.Clock, cal *hours.Calendar, opts Options) (Stats, error) {
	if opts.People <= 0 {
		opts.People = 1500
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.End.IsZero() {
		opts.End = time.Now()
	}
	s := &sim{desk: desk, clk: clk, cal: cal, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5157)), end: opts.End, answers: map[int64]map[string]string{}, erase: opts.Erase, count: opts.Count}
	begin := opts.End.AddDate(-1, 0, 0)
	for i := range opts.People {
		s.person(begin, int64(i+1))
	}
	// The follow-ups due are asked three times a working day (the
	// service's scheduler looks every minute; a day's follow-ups fall at
	// the same few hours).
	for t := begin.Truncate(time.Hour); t.Before(opts.End); t = t.Add(3 * time.Hour) {
		if cal.Open(t) {
			s.at(t, s.askDue)
		}
	}
	for s.q.Len() > 0 {
		e := heap.Pop(&s.q).(event)
		clk.Set(e.at)
		if err := e.do(ctx); err != nil {
			return s.stats, fmt.Errorf("demo at %s: %w", e.at.Format(time.RFC3339), err)
		}
	}
	clk.Set(opts.End)
	return s.stats, nil
}

// weighted picks a key by weight.
func (s *sim) weighted(choices []choice) string {
	total := 0.0
	for _, c := range choices {
		total += c.w
	}
	x := s.rng.Float64() * total
	for _, c := range choices {
		if x -= c.w; x < 0 {
			return c.v
		}
	}
	return choices[len(choices)-1].v
}

type choice struct {
	v string
	w float64
}

// The shape of the year, after what services like this one report.
var (
	ages    = []choice{{"17-25", 12}, {"26-49", 36}, {"50-64", 29}, {"65plus", 23}}
	needsOf = []choice{
		{"money", 30}, {"lonely", 26}, {"benefits", 16}, {"befriending", 10}, {"housing", 10},
		{"confidence", 8}, {"eating", 6}, {"volunteering", 5}, {"arts", 5}, {"gardening", 4}, {"other", 4},
	}
	// Practices of a made-up borough, some busier than others.
	practices = []choice{
		{"F86001", 16}, {"F86002", 12}, {"F86003", 11}, {"F86004", 9}, {"F86005", 8}, {"F86006", 7},
		{"F86007", 6}, {"F86008", 5}, {"F86009", 4}, {"F86010", 3}, {"F86011", 2}, {"F86012", 1},
	}
	outcomes = []choice{
		{string(handoff.OutcomeConnectedGroup), 36}, {string(handoff.OutcomeReferredService), 24},
		{string(handoff.OutcomeAdvice), 20}, {string(handoff.OutcomeNotNeeded), 8},
		{string(handoff.OutcomeNoContact), 3}, {string(handoff.OutcomeOther), 4},
	}
)

// webUser is the id of the i-th web chat visitor (flows.IsWeb).
func webUser(i int64) int64 { return flows.WebUserMin + i }

// when is the instant the i-th of n people refers themselves: spread over
// the year, more of them as the service becomes known, more on weekdays and
// in the daytime.
func (s *sim) when(begin time.Time) time.Time {
	for {
		// A gentle rise through the year: density 0.7 at the start, 1.3 at the end.
		// The inverse of F(x) = 0.7x + 0.3x², the share of the year's
		// referrals made by x.
		u := s.rng.Float64()
		frac := (-0.7 + math.Sqrt(0.49+1.2*u)) / 0.6
		day := begin.Add(time.Duration(frac * float64(365*24*time.Hour))).Truncate(24 * time.Hour)
		if wd := day.Weekday(); (wd == time.Saturday || wd == time.Sunday) && s.rng.Float64() < 0.55 {
			continue
		}
		minute := 7*60 + int(s.rng.NormFloat64()*180+6*60) // around 13:00
		minute = max(0, min(24*60-1, minute))
		y, m, d := day.Date()
		return time.Date(y, m, d, 0, minute, s.rng.IntN(60), 0, s.cal.Location())
	}
}

// person plans one person's year: their referral (sometimes two), what the
// link workers do with it, their follow-up, and perhaps their erasure.
func (s *sim) person(begin time.Time, n int64) {
	s.stats.People++
	user := 70_000_000 + n
	if s.rng.Float64() < 0.1 {
		user = webUser(n)
	}
	age := s.weighted(ages)
	careLeaver := "no"
	if age == "17-25" && s.rng.Float64() < 0.6 {
		careLeaver = "yes"
	}
	a := map[string]string{"age": age, "care_leaver": careLeaver, "contact": "yes", "contact_how": "telegram", "contact_when": "any"}
	switch x := s.rng.Float64(); {
	case careLeaver == "yes" && x < 0.7:
		a["source"] = "pa"
	case x < 0.88:
		if s.rng.Float64() < 0.85 {
			a["source"] = "gp_" + s.weighted(practices)
		} else {
			a["source"] = "gp"
		}
	case x < 0.90:
		a["source"] = "pa"
	case x < 0.93:
		a["source"] = []string{"qr_library", "qr_foodbank", "qr_jobcentre"}[s.rng.IntN(3)]
	default:
		a["source"] = []string{"friend", "social", "other"}[s.rng.IntN(3)]
	}
	needs := map[string]bool{s.weighted(needsOf): true}
	for s.rng.Float64() < 0.45 && len(needs) < 4 {
		needs[s.weighted(needsOf)] = true
	}
	var list string
	for _, c := range needsOf {
		if needs[c.v] {
			if list != "" {
				list += ","
			}
			list += c.v
		}
	}
	a["needs"] = list
	if needs["money"] {
		a["money_urgent"] = []string{"yes", "no"}[s.rng.IntN(2)]
	}
	if needs["housing"] {
		a["housing_urgent"] = []string{"yes", "no", "unsure"}[s.rng.IntN(3)]
	}
	// Wellbeing at the start: three in four answer, most of them low.
	base := map[string]int{}
	if s.rng.Float64() < 0.75 {
		base["ons_life"] = s.score(4.2, 2)
		base["ons_worth"] = s.score(4.8, 2)
		base["ons_happy"] = s.score(4.4, 2.2)
		base["ons_anxious"] = s.score(6.3, 2.2)
		for k, v := range base {
			a[k] = strconv.Itoa(v)
		}
	}
	checkins := careLeaver == "yes" && s.rng.Float64() < 0.75 || s.rng.Float64() < 0.1
	if checkins {
		a["checkins"] = "yes"
		if s.rng.Float64() < 0.8 {
			for _, k := range lonelyItems {
				base[k] = 1 + s.rng.IntN(3)
				if s.rng.Float64() < 0.4 {
					base[k] = 3
				}
				a[k] = strconv.Itoa(base[k])
			}
		}
	} else {
		a["checkins"] = "no"
	}
	created := s.when(begin)
	if checkins {
		s.weekly(created, user, handoff.Route(careLeaver))
	}
	run := "demo-" + strconv.FormatInt(n, 10)
	urgent := s.rng.Float64() < 0.03
	s.at(created, func(ctx context.Context) error { return s.refer(ctx, user, run, a, base, urgent) })
	// One person in twenty comes back some months later.
	if s.rng.Float64() < 0.05 {
		again := created.Add(time.Duration(60+s.rng.IntN(120)) * 24 * time.Hour)
		s.at(again, func(ctx context.Context) error { return s.refer(ctx, user, run+"b", a, base, false) })
	}
	// One in fifty asks to be erased.
	if s.rng.Float64() < 0.02 {
		s.at(created.Add(time.Duration(1+s.rng.IntN(90))*24*time.Hour), func(ctx context.Context) error {
			s.stats.Erased++
			if _, err := s.desk.Forget(ctx, user); err != nil {
				return err
			}
			if s.erase != nil {
				return s.erase(ctx, user)
			}
			return nil
		})
	}
}

// weekly plans the weekly messages of someone who chose them, from a week
// after they referred themselves, for up to half a year: each sent, most
// answered, a few flagged to a link worker, the odd one blocked.
func (s *sim) weekly(from time.Time, user int64, team handoff.Team) {
	if s.count == nil {
		return
	}
	weeks := 4 + s.rng.IntN(24)
	silent := 0
	for w := 1; w <= weeks; w++ {
		at := from.Add(time.Duration(w) * 7 * 24 * time.Hour)
		id := fmt.Sprintf("demo:%d:%d", user, w)
		var measures []string
		switch {
		case s.rng.Float64() < 0.005:
			measures = []string{"flag:blocked"}
			w = weeks
		case s.rng.Float64() < 0.7:
			silent = 0
			measures = []string{"sent", "answered"}
			switch x := s.rng.Float64(); {
			case x < 0.03:
				measures = append(measures, "flag:talk")
			case x < 0.07:
				measures = append(measures, "flag:not_great_twice")
			case x < 0.09 && w%4 == 1:
				measures = append(measures, "flag:lonely")
			}
		default:
			silent++
			measures = []string{"sent"}
			if silent == 3 {
				measures = append(measures, "flag:silent")
			}
		}
		s.at(at, func(ctx context.Context) error {
			day := at.In(s.cal.Location()).Format(time.DateOnly)
			for _, m := range measures {
				if err := s.count(ctx, id+":"+m, day, string(team), m); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

var lonelyItems = []string{"lonely_companionship", "lonely_left_out", "lonely_isolated"}

// score is an answer from 0 to 10 around mean.
func (s *sim) score(mean, sd float64) int {
	return max(0, min(10, int(math.Round(mean+s.rng.NormFloat64()*sd))))
}

// refer makes the referral and plans what happens to it.
func (s *sim) refer(ctx context.Context, user int64, run string, a map[string]string, base map[string]int, urgent bool) error {
	eff := flows.Effect{Kind: "create_referral", Key: run + ":referral", User: user, Run: run, Ref: flows.Ref(run), Lang: "en", Consent: true, Answers: a}
	r, _, err := s.desk.Create(ctx, eff)
	if err != nil {
		return err
	}
	s.stats.Referrals++
	now := s.clk.Now()
	ref := r.Ref
	s.at(now.Add(time.Duration(1+s.rng.IntN(3))*time.Second), func(ctx context.Context) error {
		_, err := s.desk.SetCard(ctx, ref, CardChat, int64(s.seq))
		return err
	})
	if urgent {
		s.stats.Urgent++
		s.at(now.Add(time.Duration(5+s.rng.IntN(30))*time.Minute), func(ctx context.Context) error {
			_, _, err := s.desk.Flag(ctx, flows.Effect{Kind: flows.EffectUrgent, Key: run + ":urgent", User: user, Run: run, Lang: "en", Consent: true, Answers: a})
			return err
		})
	}
	// Claimed within working time: a few hours mostly, sometimes days.
	w := Workers[s.rng.IntN(len(Workers))]
	wait := time.Duration(math.Exp(s.rng.NormFloat64()*0.9+math.Log(3.5)) * float64(time.Hour))
	if urgent {
		wait = time.Duration(10+s.rng.IntN(40)) * time.Minute
	}
	claimed, ok := s.cal.Add(now, wait)
	if urgent || !ok {
		claimed = now.Add(wait)
	}
	s.at(claimed, func(ctx context.Context) error {
		_, _, err := s.desk.Claim(ctx, ref, w)
		return gone(err)
	})
	contact, _ := s.cal.Add(claimed, time.Duration(math.Exp(s.rng.NormFloat64()*0.8+math.Log(4))*float64(time.Hour)))
	reached := s.rng.Float64() < 0.93
	if reached {
		s.at(contact, func(ctx context.Context) error {
			_, _, err := s.desk.Message(ctx, ref, w, "Hello, this is your link worker.")
			return gone(err)
		})
	}
	// Closed after six to fourteen weeks of work; some stay open.
	closeAt, _ := s.cal.NextOpen(contact.Add(time.Duration(42+s.rng.IntN(56)) * 24 * time.Hour))
	outcome := handoff.Outcome(s.weighted(outcomes))
	if !reached {
		outcome = handoff.OutcomeNoContact
	}
	s.at(closeAt, func(ctx context.Context) error {
		_, _, err := s.desk.Close(ctx, ref, w, outcome, "")
		if err == nil {
			s.stats.Closed++
		}
		return gone(err)
	})
	if len(base) > 0 {
		s.answers[user] = s.followUpAnswers(base, outcome)
	}
	return nil
}

// followUpAnswers are what a person answers at the follow-up: most a little
// better, some the same, some worse; better for those connected to a group.
func (s *sim) followUpAnswers(base map[string]int, o handoff.Outcome) map[string]string {
	lift := 0.9
	if o == handoff.OutcomeConnectedGroup || o == handoff.OutcomeReferredService {
		lift = 1.5
	}
	out := map[string]string{"followup": "yes"}
	for k, v := range base {
		switch k {
		case "ons_anxious":
			out[k] = strconv.Itoa(max(0, min(10, v-int(math.Round(lift+s.rng.NormFloat64()*1.6)))))
		case "lonely_companionship", "lonely_left_out", "lonely_isolated":
			d := 0
			if x := s.rng.Float64(); x < 0.35 {
				d = -1
			} else if x > 0.9 {
				d = 1
			}
			out[k] = strconv.Itoa(max(1, min(3, v+d)))
		default:
			out[k] = strconv.Itoa(max(0, min(10, v+int(math.Round(lift+s.rng.NormFloat64()*1.6)))))
		}
	}
	return out
}

// askDue asks the follow-ups due now; some people answer within a day or
// two, a few after the reminder, the rest never.
func (s *sim) askDue(ctx context.Context) error {
	ns, err := s.desk.DueFollowUps(ctx, s.clk.Now())
	if err != nil {
		return err
	}
	for _, n := range ns {
		answers, ok := s.answers[n.User]
		if !ok {
			continue
		}
		p := 0.55
		if n.Again {
			p = 0.35
		}
		if s.rng.Float64() >= p {
			continue
		}
		user, key := n.User, fmt.Sprintf("demo-fu-%s-%d", n.Ref, s.seq)
		s.at(s.clk.Now().Add(time.Duration(10+s.rng.IntN(36*60))*time.Minute), func(ctx context.Context) error {
			r, _, err := s.desk.RecordFollowUp(ctx, flows.Effect{Kind: "record_follow_up", Key: key, User: user, Consent: true, Answers: answers})
			if err == nil && r.Ref != "" {
				s.stats.FollowUps++
			}
			return err
		})
	}
	return nil
}

// gone ignores the refusal to act on a referral that was closed or erased
// meanwhile, as a link worker would find it.
func gone(err error) error {
	if errors.Is(err, handoff.ErrClosed) || errors.Is(err, handoff.ErrErased) {
		return nil
	}
	return err
}
