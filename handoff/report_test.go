package handoff_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/handoff"
)

func TestReport(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	type step struct {
		answers          map[string]string
		post, claim, msg time.Duration // after creation; 0: never
		outcome          handoff.Outcome
	}
	gpLink := resident()
	friend := resident()
	friend["source"], friend["needs"] = "friend", "lonely,arts"
	plainGP := resident()
	plainGP["source"], plainGP["needs"] = "gp", "housing"
	steps := []step{
		{answers: gpLink, post: 2 * time.Second, claim: 10 * time.Minute, msg: time.Hour, outcome: handoff.OutcomeConnectedGroup},
		{answers: careLeaver(), post: 3 * time.Second, claim: 20 * time.Minute, msg: 3 * time.Hour},
		{answers: friend, post: time.Second, claim: 90 * time.Minute, outcome: handoff.OutcomeNotNeeded},
		{answers: plainGP, post: time.Second},
	}
	for i, s := range steps {
		e.clk.Set(start.Add(time.Duration(i) * 24 * time.Hour))
		created := e.clk.Now()
		r := mustCreate(t, e, referralEffect(int64(10+i), "run-"+itoa(int64(i)), s.answers))
		e.clk.Set(created.Add(s.post))
		if _, err := e.desk.SetCard(ctx, r.Ref, linkChat, int64(100+i)); err != nil {
			t.Fatal(err)
		}
		if s.claim > 0 {
			e.clk.Set(created.Add(s.claim))
			if _, _, err := e.desk.Claim(ctx, r.Ref, ana); err != nil {
				t.Fatal(err)
			}
		}
		if s.msg > 0 {
			e.clk.Set(created.Add(s.msg))
			if _, _, err := e.desk.Message(ctx, r.Ref, ana, "Hello, it is your link worker"); err != nil {
				t.Fatal(err)
			}
		}
		if s.outcome != "" {
			e.clk.Advance(time.Minute)
			if _, _, err := e.desk.Close(ctx, r.Ref, ana, s.outcome, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	// An anonymous urgent flag, and a referral outside the period.
	e.clk.Set(start.Add(4 * 24 * time.Hour))
	if _, _, err := e.desk.Flag(ctx, urgentEffect(20, "run-u")); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(start.Add(40 * 24 * time.Hour))
	mustCreate(t, e, referralEffect(21, "run-late", resident()))

	from, to := start.Add(-time.Hour), start.Add(30*24*time.Hour)
	got, err := e.desk.Report(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	want := handoff.Report{
		From: from, To: to, Referrals: 5, Urgent: 1, CareLeavers: 1,
		BySource:  map[string]int{"gp": 2, "pa": 1, "friend": 1, "unknown": 1},
		ByLink:    map[string]int{"gp F86001": 1},
		ByNeed:    map[string]int{"money": 1, "lonely": 2, "befriending": 1, "volunteering": 1, "arts": 1, "housing": 1},
		ByTeam:    map[handoff.Team]int{handoff.TeamLinkWorkers: 4, handoff.TeamLeavingCare: 1},
		ByStatus:  map[handoff.Status]int{handoff.StatusClosed: 2, handoff.StatusInContact: 1, handoff.StatusNew: 2},
		Outcomes:  map[handoff.Outcome]int{handoff.OutcomeConnectedGroup: 1, handoff.OutcomeNotNeeded: 1},
		ToPost:    handoff.Spread{N: 4, Median: time.Second, P90: 3 * time.Second},
		ToClaim:   handoff.Spread{N: 3, Median: 20 * time.Minute, P90: 90 * time.Minute},
		ToContact: handoff.Spread{N: 2, Median: time.Hour, P90: 3 * time.Hour},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Report mismatch (-want +got):\n%s", diff)
	}
	t.Logf("report:\n%s", got)
}
