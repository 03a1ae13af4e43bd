package handoff_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"signpost/flows"
	"signpost/handoff"
	"signpost/hours"
)

const week = 7 * 24 * time.Hour

// plainWeeks is a Config whose working week is Monday to Friday, 09:00 to
// 17:00, without bank holidays, so that twelve weeks from a Monday morning
// is a working hour.
func plainWeeks(t *testing.T) handoff.Config {
	cal, err := hours.Load("", "none", "", london)
	if err != nil {
		t.Fatal(err)
	}
	return handoff.Config{Calendar: cal}
}

// contacted makes a referral from answers, claimed and written to by ana at
// start, and returns it.
func contacted(t *testing.T, e env, user int64, answers map[string]string) handoff.Referral {
	t.Helper()
	e.clk.Set(start)
	r := mustCreate(t, e, referralEffect(user, "run-"+itoa(user), answers))
	if _, _, err := e.desk.Claim(t.Context(), r.Ref, ana); err != nil {
		t.Fatal(err)
	}
	r, _, err := e.desk.Message(t.Context(), r.Ref, ana, "Hello, it is Ana")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// due runs the follow-ups due at the clock's time and returns what they ask.
func due(t *testing.T, e env) handoff.Notices {
	t.Helper()
	ns, err := e.desk.DueFollowUps(t.Context(), e.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// asks checks that ns asks the person of ref their follow-up exactly once,
// as a reminder or not.
func asks(t *testing.T, ns handoff.Notices, ref string, again bool) {
	t.Helper()
	if len(ns) != 1 || ns[0].Kind != handoff.NoticeFollowUp || ns[0].Ref != ref || ns[0].Again != again || ns[0].User == 0 {
		t.Fatalf("follow-up notices %+v, want one for %s (reminder %v)", ns, ref, again)
	}
}

func none(t *testing.T, ns handoff.Notices, when string) {
	t.Helper()
	if len(ns) != 0 {
		t.Fatalf("%s: asked %+v, want nothing", when, ns)
	}
}

func answer(t *testing.T, e env, user int64, key string, answers map[string]string) {
	t.Helper()
	eff := flows.Effect{Kind: "record_follow_up", Key: key, User: user, Consent: true, Answers: answers}
	if _, _, err := e.desk.RecordFollowUp(t.Context(), eff); err != nil {
		t.Fatal(err)
	}
}

func TestFollowUpAtTwelveWeeksWithOneReminder(t *testing.T) {
	e := setup(t, plainWeeks(t))
	r := contacted(t, e, 7, resident())
	if want := start.Add(12 * week); !r.FollowUpNext.Equal(want) {
		t.Fatalf("follow-up planned for %v, want %v", r.FollowUpNext, want)
	}
	e.clk.Set(start.Add(12*week - time.Minute))
	none(t, due(t, e), "a minute early")
	e.clk.Set(start.Add(12 * week))
	asks(t, due(t, e), r.Ref, false)
	none(t, due(t, e), "the same minute again")
	e.clk.Advance(week - time.Minute)
	none(t, due(t, e), "before the reminder")
	e.clk.Advance(time.Minute)
	asks(t, due(t, e), r.Ref, true)
	for _, later := range []time.Duration{time.Minute, week, 20 * week} {
		e.clk.Set(start.Add(13*week + later))
		none(t, due(t, e), "after the reminder")
	}
	// Closing the case within four weeks of asking asks nothing more.
	e.clk.Set(start.Add(14 * week))
	if _, _, err := e.desk.Close(t.Context(), r.Ref, ana, handoff.OutcomeAdvice, ""); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(52 * week)
	none(t, due(t, e), "after a close two weeks after asking")
	if got := kinds(t, e, r.Ref); count(got, handoff.EventFollowUp) != 1 || count(got, handoff.EventFollowUpReminded) != 1 {
		t.Errorf("history %v: want one follow-up and one reminder", got)
	}
}

func TestFollowUpAtCloseOnceAndAnswered(t *testing.T) {
	e := setup(t, plainWeeks(t))
	r := contacted(t, e, 7, resident())
	// Closed on a Saturday afternoon in week 3: asked on Monday at 09:00,
	// the first working hour, in place of the twelve-week follow-up.
	closedAt := time.Date(2026, 3, 21, 15, 0, 0, 0, london)
	e.clk.Set(closedAt)
	r, _, err := e.desk.Close(t.Context(), r.Ref, ana, handoff.OutcomeConnectedGroup, "")
	if err != nil {
		t.Fatal(err)
	}
	monday := time.Date(2026, 3, 23, 9, 0, 0, 0, london)
	if !r.FollowUpNext.Equal(monday) {
		t.Fatalf("follow-up at close planned for %v, want %v", r.FollowUpNext, monday)
	}
	e.clk.Set(monday.Add(-time.Minute))
	none(t, due(t, e), "on Sunday night")
	e.clk.Set(monday)
	asks(t, due(t, e), r.Ref, false)
	e.clk.Advance(time.Hour)
	answer(t, e, 7, "fu-1", map[string]string{"followup": "yes", "ons_life": "6", "ons_worth": "7", "ons_happy": "8", "ons_anxious": "3"})
	answer(t, e, 7, "fu-1", map[string]string{"followup": "yes", "ons_life": "1"}) // a repeat of the effect changes nothing
	for _, later := range []time.Duration{week, 12 * week, 40 * week} {
		e.clk.Set(start.Add(later))
		none(t, due(t, e), "after the answer")
	}
	got := mustReferral(t, e, r.Ref)
	if want := (handoff.ONS4{Life: 6, Worth: 7, Happy: 8, Anxious: 3}); got.FollowUp != want || got.FollowUpNext != (time.Time{}) {
		t.Errorf("follow-up kept %+v, next %v", got.FollowUp, got.FollowUpNext)
	}
	if got := kinds(t, e, r.Ref); count(got, handoff.EventFollowUp) != 1 || count(got, handoff.EventFollowUpReminded) != 0 {
		t.Errorf("history %v: want one follow-up, no reminder", got)
	}
}

func TestFollowUpAskedAgainAtALateClose(t *testing.T) {
	e := setup(t, plainWeeks(t))
	r := contacted(t, e, 7, resident())
	e.clk.Set(start.Add(12 * week))
	asks(t, due(t, e), r.Ref, false)
	e.clk.Set(start.Add(13 * week))
	asks(t, due(t, e), r.Ref, true)
	// No answer; the case closes at week 20, more than four weeks after
	// the person was asked, so the close asks once more.
	e.clk.Set(start.Add(20 * week))
	if _, _, err := e.desk.Close(t.Context(), r.Ref, ana, handoff.OutcomeAdvice, ""); err != nil {
		t.Fatal(err)
	}
	asks(t, due(t, e), r.Ref, false)
	none(t, due(t, e), "the same minute again")
}

func TestFollowUpNotAsked(t *testing.T) {
	noBaseline := resident()
	for _, k := range []string{"ons_life", "ons_worth", "ons_happy", "ons_anxious"} {
		noBaseline[k] = ""
	}
	t.Run("without answers at the start", func(t *testing.T) {
		e := setup(t, plainWeeks(t))
		r := contacted(t, e, 7, noBaseline)
		if !r.FollowUpNext.IsZero() {
			t.Errorf("follow-up planned for %v", r.FollowUpNext)
		}
		e.clk.Set(start.Add(week))
		if _, _, err := e.desk.Close(t.Context(), r.Ref, ana, handoff.OutcomeAdvice, ""); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(20 * week)
		none(t, due(t, e), "no baseline")
	})
	t.Run("loneliness alone is a baseline", func(t *testing.T) {
		e := setup(t, plainWeeks(t))
		a := noBaseline
		a["lonely_companionship"], a["lonely_left_out"], a["lonely_isolated"] = "3", "2", "3"
		r := contacted(t, e, 7, a)
		e.clk.Set(r.FollowUpNext)
		ns := due(t, e)
		asks(t, ns, r.Ref, false)
		if !ns[0].Lonely {
			t.Error("the follow-up does not ask the loneliness scale answered at the start")
		}
	})
	t.Run("erased", func(t *testing.T) {
		e := setup(t, plainWeeks(t))
		r := contacted(t, e, 7, resident())
		if _, err := e.desk.Forget(t.Context(), 7); err != nil {
			t.Fatal(err)
		}
		e.clk.Set(start.Add(12 * week))
		none(t, due(t, e), "erased")
		if got := mustReferral(t, e, r.Ref); !got.FollowUpNext.IsZero() {
			t.Errorf("an erased referral keeps a follow-up at %v", got.FollowUpNext)
		}
	})
	t.Run("declined", func(t *testing.T) {
		e := setup(t, plainWeeks(t))
		r := contacted(t, e, 7, resident())
		e.clk.Set(start.Add(12 * week))
		asks(t, due(t, e), r.Ref, false)
		answer(t, e, 7, "fu-no", map[string]string{"followup": "no"})
		e.clk.Set(start.Add(30 * week))
		if _, _, err := e.desk.Close(t.Context(), r.Ref, ana, handoff.OutcomeAdvice, ""); err != nil {
			t.Fatal(err)
		}
		none(t, due(t, e), "after the person declined")
	})
}

func TestFollowUpWaitsForAConversation(t *testing.T) {
	var mu sync.Mutex
	busy := true
	cfg := plainWeeks(t)
	cfg.Busy = func(context.Context, int64) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		return busy, nil
	}
	e := setup(t, cfg)
	r := contacted(t, e, 7, resident())
	e.clk.Set(start.Add(12 * week))
	none(t, due(t, e), "in the middle of a check-in")
	mu.Lock()
	busy = false
	mu.Unlock()
	e.clk.Advance(59 * time.Minute)
	none(t, due(t, e), "before the hour is up")
	e.clk.Advance(time.Minute)
	asks(t, due(t, e), r.Ref, false)
}

// Replicas ticking at once ask each follow-up once between them.
func TestFollowUpReplicasAskOnce(t *testing.T) {
	e := setup(t, plainWeeks(t))
	var refs []string
	for u := int64(1); u <= 20; u++ {
		refs = append(refs, contacted(t, e, u, resident()).Ref)
	}
	e.clk.Set(start.Add(12 * week))
	other := handoff.New(e.st, handoff.NewAuthoriser(handoff.AuthConfig{}), handoff.Config{Now: e.clk.Now})
	var mu sync.Mutex
	asked := map[string]int{}
	var wg sync.WaitGroup
	for _, d := range []*handoff.Desk{e.desk, other, e.desk, other} {
		wg.Go(func() {
			ns, err := d.DueFollowUps(context.Background(), e.clk.Now())
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			for _, n := range ns {
				asked[n.Ref]++
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, ref := range refs {
		if asked[ref] != 1 {
			t.Errorf("%s asked %d times", ref, asked[ref])
		}
	}
}

func count[T comparable](xs []T, x T) int {
	n := 0
	for _, v := range xs {
		if v == x {
			n++
		}
	}
	return n
}
