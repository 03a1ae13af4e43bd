package handoff_test

import (
	"errors"
	"strings"
	"testing"

	"signpost/flows"
	"signpost/handoff"
)

// housingAnswers are a resident's who could lose their home and agreed to
// be referred to the housing options team.
func housingAnswers() map[string]string {
	return with(resident(), "needs", "housing", "housing_urgent", "yes", "housing_tonight", "yes", "housing_refer", "yes", "postcode", "e17")
}

// TestHousingReferralTask: without the housing options team's chat, the
// referral the person agreed to is a task on the card; the case cannot close
// until a worker marks it done.
func TestHousingReferralTask(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	_, ns, err := e.desk.Create(ctx, referralEffect(81, "run-h", housingAnswers()))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.Kind == handoff.NoticeHousing {
			t.Errorf("a housing post asked for with no chat to post it in: %+v", n)
		}
	}
	r := mustReferral(t, e, flows.Ref("run-h"))
	if r.Housing != handoff.HousingToDo || r.HousingTonight != "yes" {
		t.Fatalf("housing %q tonight %q, want to_do and yes", r.Housing, r.HousingTonight)
	}
	if card := handoff.CardText(r); !strings.Contains(card, "To do before closing: refer the person to the council's housing options team") {
		t.Errorf("card:\n%s", card)
	}
	if _, _, err := e.desk.Claim(ctx, r.Ref, ana); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Close(ctx, r.Ref, ana, handoff.OutcomeAdvice, ""); !errors.Is(err, handoff.ErrHousingOpen) {
		t.Fatalf("Close before the housing referral = %v, want ErrHousingOpen", err)
	}
	if _, _, err := e.desk.HousingDone(ctx, r.Ref, eve); !errors.Is(err, handoff.ErrNotAuthorised) {
		t.Errorf("HousingDone by a stranger = %v", err)
	}
	r, _, err = e.desk.HousingDone(ctx, r.Ref, ben)
	if err != nil || r.Housing != handoff.HousingDone {
		t.Fatalf("HousingDone = %q, %v", r.Housing, err)
	}
	if _, _, err := e.desk.Close(ctx, r.Ref, ana, handoff.OutcomeAdvice, ""); err != nil {
		t.Fatalf("Close after the housing referral: %v", err)
	}
	if got := kinds(t, e, r.Ref); got[len(got)-2] != handoff.EventHousing {
		t.Errorf("history %v lacks the housing referral", got)
	}
}

// TestHousingReferralPosted: with the housing options team's chat, the
// referral is posted there (what the duty needs, nothing more), and the case
// may close once it is.
func TestHousingReferralPosted(t *testing.T) {
	e := setup(t, handoff.Config{HousingChat: true})
	ctx := t.Context()
	r, ns, err := e.desk.Create(ctx, referralEffect(82, "run-p", housingAnswers()))
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 2 || ns[1].Kind != handoff.NoticeHousing || r.Housing != handoff.HousingSending {
		t.Fatalf("notices %+v, housing %q", ns, r.Housing)
	}
	text := handoff.HousingText(r)
	for _, want := range []string{"Referral to the housing options team: " + r.Ref, "duty to refer", "Name: Sam", "Could lose their home within 56 days: yes",
		"Somewhere safe to sleep tonight: yes", "Area: E17", "Contact: By phone on 07700 900123"} {
		if !strings.Contains(text, want) {
			t.Errorf("housing text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Getting out of the flat") {
		t.Errorf("housing text holds what matters to them:\n%s", text)
	}
	if _, _, err := e.desk.Claim(ctx, r.Ref, ana); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Close(ctx, r.Ref, ana, handoff.OutcomeAdvice, ""); !errors.Is(err, handoff.ErrHousingOpen) {
		t.Errorf("Close before the post = %v, want ErrHousingOpen", err)
	}
	r, _, err = e.desk.HousingPosted(ctx, r.Ref, -2002, 9)
	if err != nil || r.Housing != handoff.HousingSent {
		t.Fatalf("HousingPosted = %q, %v", r.Housing, err)
	}
	if !strings.Contains(handoff.CardText(r), "Passed to the council's housing options team") {
		t.Errorf("card:\n%s", handoff.CardText(r))
	}
	if _, ns, _ := e.desk.Create(ctx, referralEffect(82, "run-p", housingAnswers())); len(ns) != 1 {
		t.Errorf("a repeated effect asks again: %+v", ns)
	}
	if _, _, err := e.desk.Close(ctx, r.Ref, ana, handoff.OutcomeAdvice, ""); err != nil {
		t.Errorf("Close after the post: %v", err)
	}
}
