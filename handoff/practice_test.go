package handoff_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/handoff"
)

func TestPracticeExport(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	seen := mustCreate(t, e, referralEffect(1, "run-1", resident())) // gp_F86001
	if _, _, err := e.desk.Claim(ctx, seen.Ref, ana); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Hour)
	if _, _, err := e.desk.Message(ctx, seen.Ref, ana, "Hello"); err != nil {
		t.Fatal(err)
	}
	declined := mustCreate(t, e, referralEffect(2, "run-2", resident()))
	e.clk.Advance(24 * time.Hour)
	if _, _, err := e.desk.Close(ctx, declined.Ref, ana, handoff.OutcomeNotNeeded, ""); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, e, referralEffect(3, "run-3", resident())) // waiting: nothing to code yet
	other := resident()
	other["source"] = "gp_F86002"
	mustCreate(t, e, referralEffect(4, "run-4", other))
	gone := mustCreate(t, e, referralEffect(5, "run-5", resident()))
	if _, _, err := e.desk.Claim(ctx, gone.Ref, ana); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Message(ctx, gone.Ref, ana, "Hello"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Forget(ctx, 5); err != nil {
		t.Fatal(err)
	}

	got, err := e.desk.PracticeExport(ctx, "f86001", handoff.Period{From: start, To: start.Add(7 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	want := []handoff.Coded{
		{Practice: "F86001", Ref: seen.Ref, Date: start.Add(time.Hour).UTC(), Code: handoff.SnomedReferral, Term: "Referral to social prescribing service (procedure)",
			Name: "Sam", AgeBand: "26-49", Postcode: "E17", Phone: "07700 900123"},
		{Practice: "F86001", Ref: declined.Ref, Date: start.Add(25 * time.Hour).UTC(), Code: handoff.SnomedDeclined, Term: "Social prescribing declined (situation)",
			Name: "Sam", AgeBand: "26-49", Postcode: "E17", Phone: "07700 900123", Outcome: "not_needed"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("export (-want +got):\n%s", diff)
	}
}
