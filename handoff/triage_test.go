package handoff_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/content"
	"signpost/content/risk"
	"signpost/flows"
	"signpost/handoff"
	"signpost/scheduler"
)

// triageSetup is setup with the built-in content's triage rules and words.
func triageSetup(t testing.TB) env {
	t.Helper()
	b, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	handoff.SetReasonWords(b.ReasonWords())
	return setup(t, handoff.Config{Triage: func(a map[string]string) []handoff.Finding {
		var out []handoff.Finding
		for _, m := range b.Triage(a) {
			out = append(out, handoff.Finding{Reason: handoff.Reason(m.Reason), Priority: handoff.Priority(m.Priority)})
		}
		return out
	}})
}

// with is answers a plus the changes of kv, given as pairs.
func with(a map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// TestTriageOfAReferral: each priority rule, read from the answers when the
// referral is made, with its words on the card the team reads.
func TestTriageOfAReferral(t *testing.T) {
	calm := with(resident(), "ons_life", "6", "ons_worth", "6", "ons_happy", "6", "ons_anxious", "3", "money_urgent", "no")
	tests := []struct {
		name     string
		answers  map[string]string
		priority handoff.Priority
		reasons  []handoff.Reason
		words    string
	}{
		{"routine", calm, handoff.PriorityRoutine, nil, "Priority: routine\n"},
		{"life satisfaction at 2", with(calm, "ons_life", "2"), handoff.PriorityHigh, []handoff.Reason{"wellbeing_low"}, "Priority: high (wellbeing answers at the worst end)"},
		{"anxiety at 9", with(calm, "ons_anxious", "9"), handoff.PriorityHigh, []handoff.Reason{"wellbeing_low"}, "wellbeing answers at the worst end"},
		{"could lose their home within 56 days", with(calm, "needs", "housing", "housing_urgent", "yes", "housing_tonight", "yes"), handoff.PriorityHigh,
			[]handoff.Reason{"housing_56_days"}, "could lose their home within 56 days"},
		{"nowhere safe to sleep tonight", with(calm, "needs", "housing", "housing_urgent", "yes", "housing_tonight", "no"), handoff.PriorityUrgent,
			[]handoff.Reason{"housing_56_days", "nowhere_tonight"}, "Priority: urgent (could lose their home within 56 days; nowhere safe to sleep tonight)"},
		{"a debt with a court letter", with(calm, "money_urgent", "yes", "debt_letter", "yes"), handoff.PriorityHigh,
			[]handoff.Reason{"debt_court_letter"}, "a debt with a court or bailiff letter"},
		{"a care leaver who is lonely", with(careLeaver(), "needs", "lonely"), handoff.PriorityHigh,
			[]handoff.Reason{"care_leaver_lonely"}, "a care leaver who is lonely"},
		{"several at once", with(careLeaver(), "needs", "lonely,money", "money_urgent", "yes", "debt_letter", "yes", "ons_happy", "0"), handoff.PriorityHigh,
			[]handoff.Reason{"wellbeing_low", "debt_court_letter", "care_leaver_lonely"}, "(wellbeing answers at the worst end; a debt with a court or bailiff letter; a care leaver who is lonely)"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := triageSetup(t)
			r := mustCreate(t, e, referralEffect(int64(700+i), "run-t"+itoa(int64(i)), tt.answers))
			if got := handoff.PriorityOf(r); got != tt.priority {
				t.Errorf("priority %s, want %s", got, tt.priority)
			}
			if diff := cmp.Diff(tt.reasons, r.Reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			if r.Urgent != (tt.priority == handoff.PriorityUrgent) {
				t.Errorf("urgent %v for priority %s", r.Urgent, tt.priority)
			}
			stored := mustReferral(t, e, r.Ref)
			if !strings.Contains(handoff.CardText(stored), tt.words) {
				t.Errorf("card does not say %q:\n%s", tt.words, handoff.CardText(stored))
			}
		})
	}
}

// TestTriageNeverLowers: a referral flagged urgent mid-conversation keeps
// its flag when the finished conversation completes it, and gains the
// reasons of its answers.
func TestTriageNeverLowers(t *testing.T) {
	e := triageSetup(t)
	ctx := t.Context()
	flag := flows.Effect{Kind: flows.EffectUrgent, Key: "run-u:urgent:3", User: 41, Run: "run-u", Ref: flows.Ref("run-u"), Lang: "en",
		Consent: true, Text: "I can't go on", Answers: map[string]string{"name": "Ali"}}
	if _, _, err := e.desk.Flag(ctx, flag); err != nil {
		t.Fatal(err)
	}
	r := mustCreate(t, e, referralEffect(41, "run-u", with(resident(), "needs", "housing", "housing_urgent", "yes", "housing_tonight", "yes", "ons_life", "5")))
	if handoff.PriorityOf(r) != handoff.PriorityUrgent || !r.Urgent {
		t.Errorf("completed referral is %s (urgent %v), want still urgent", handoff.PriorityOf(r), r.Urgent)
	}
	if want := []handoff.Reason{handoff.ReasonCrisisWords, "housing_56_days"}; !cmp.Equal(want, r.Reasons) {
		t.Errorf("reasons %v, want %v", r.Reasons, want)
	}
}

// TestRiskAnswerFlagsUrgent: "no" to somewhere safe to sleep tonight is a
// risk of its own kind: urgent at once, before the conversation ends, with
// the kind's words on the card.
func TestRiskAnswerFlagsUrgent(t *testing.T) {
	e := triageSetup(t)
	eff := flows.Effect{Kind: flows.EffectUrgent, Key: "run-n:risk:nowhere_tonight:9", User: 42, Run: "run-n", Ref: flows.Ref("run-n"),
		Lang: "en", Consent: true, Risks: []string{string(risk.NowhereTonight)},
		Answers: map[string]string{"name": "Kai", "needs": "housing", "housing_urgent": "yes", "housing_tonight": "no"}}
	r, ns, err := e.desk.Flag(t.Context(), eff)
	if err != nil {
		t.Fatal(err)
	}
	if handoff.PriorityOf(r) != handoff.PriorityUrgent || !r.Urgent || r.Name != "Kai" {
		t.Errorf("flag from an answer: %+v", r)
	}
	if want := []handoff.Reason{"housing_56_days", "nowhere_tonight", handoff.ReasonCrisisWords}; !cmp.Equal(want, r.Reasons) {
		t.Errorf("reasons %v, want %v", r.Reasons, want)
	}
	card := handoff.CardText(r)
	if !strings.HasPrefix(card, "URGENT ") || !strings.Contains(card, "Risk: nowhere safe to sleep tonight") {
		t.Errorf("card:\n%s", card)
	}
	if len(ns) != 1 || ns[0].Kind != handoff.NoticeCard {
		t.Errorf("notices %+v, want the card", ns)
	}
}

// TestRequestTalk: asking for a link worker makes a high-priority request
// with the person's name and how to reach them, and not a crisis; on an
// open case it raises that case, alerting the team once.
func TestRequestTalk(t *testing.T) {
	e := triageSetup(t)
	ctx := t.Context()
	talk := flows.Effect{Kind: content.ActionTalk, Key: "run-k:request", User: 43, Run: "run-k", Lang: "en", Consent: true,
		Answers: map[string]string{"name": "Rae", "care_leaver": "yes", "contact": "no", "contact_how": "sms", "phone": "07700 900456", "contact_when": "evening"}}
	r, ns, err := e.desk.RequestTalk(ctx, talk)
	if err != nil {
		t.Fatal(err)
	}
	want := handoff.Contact{Wanted: true, How: "sms", Phone: "07700 900456", When: "evening"}
	if handoff.PriorityOf(r) != handoff.PriorityHigh || r.Urgent || r.Name != "Rae" || r.Contact != want || r.Team != handoff.TeamLeavingCare {
		t.Errorf("request: %+v", r)
	}
	if !cmp.Equal(r.Reasons, []handoff.Reason{handoff.ReasonAskedToTalk}) || r.UrgentText != "" {
		t.Errorf("reasons %v, text %q", r.Reasons, r.UrgentText)
	}
	card := handoff.CardText(r)
	if strings.Contains(card, "URGENT") || strings.Contains(card, "crisis") || !strings.Contains(card, "asked for a link worker to get in touch") {
		t.Errorf("card:\n%s", card)
	}
	if len(ns) != 1 || ns[0].Kind != handoff.NoticeCard {
		t.Errorf("notices %+v", ns)
	}
	if _, err := e.desk.SetCard(ctx, r.Ref, linkChat, 7); err != nil {
		t.Fatal(err)
	}
	// A check-in later: "I'd like to talk to someone", then how to reach them.
	e.clk.Advance(7 * 24 * time.Hour)
	f := &handoff.CheckinFlagger{Desk: e.desk}
	if err := f.Flag(ctx, 43, scheduler.Flag{Key: "ci:43:1:talk", Reason: scheduler.TriggerTalk, At: e.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	again := talk
	again.Key, again.Answers = "run-c:request", with(talk.Answers, "mood", "talk", "contact_how", "telegram", "phone", "")
	r, ns, err = e.desk.RequestTalk(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	if r.Contact.How != "telegram" || handoff.PriorityOf(r) != handoff.PriorityHigh {
		t.Errorf("after a check-in's request: %+v", r)
	}
	if !cmp.Equal(r.Reasons, []handoff.Reason{handoff.ReasonAskedToTalk, handoff.ReasonCheckinTalk}) {
		t.Errorf("reasons %v", r.Reasons)
	}
	for _, n := range ns {
		if n.Kind == handoff.NoticeAlert {
			t.Errorf("the check-in's contact details alerted again: %+v", n)
		}
	}
	// "Not great" and a few words, then yes to a link worker: the worker
	// who takes the case reads the words; the card does not show them.
	offer := talk
	offer.Key, offer.Answers = "run-o:request", with(talk.Answers, "mood", "not_great", "checkin_note", "Rough week at the hostel")
	r, _, err = e.desk.RequestTalk(ctx, offer)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(handoff.DetailText(r), "Rough week at the hostel") || strings.Contains(handoff.CardText(r), "Rough week") {
		t.Errorf("the check-in's words: detail\n%s\ncard\n%s", handoff.DetailText(r), handoff.CardText(r))
	}
}

// TestBlockedCareLeaverFlagged: a care leaver who blocks the bot is a
// concern for their team; anyone else who does is left alone.
func TestBlockedCareLeaverFlagged(t *testing.T) {
	e := triageSetup(t)
	ctx := t.Context()
	profiles := map[int64]map[string]string{
		51: {"lang": "en", "care_leaver": "yes", "age": "17-25", "source": "pa"},
		52: {"lang": "en", "care_leaver": "no", "age": "50-64"},
	}
	f := &handoff.CheckinFlagger{Desk: e.desk, Profile: func(_ context.Context, user int64) (map[string]string, error) { return profiles[user], nil }}
	for user := range profiles {
		if err := f.Flag(ctx, user, scheduler.Flag{Key: "ci:" + itoa(user) + ":1:blocked", Reason: scheduler.TriggerBlocked, At: start}); err != nil {
			t.Fatal(err)
		}
	}
	ref, ok, err := e.desk.OpenCaseOf(ctx, 51)
	if err != nil || !ok {
		t.Fatalf("no case for the care leaver who blocked the bot: %v", err)
	}
	r := mustReferral(t, e, ref)
	if r.Team != handoff.TeamLeavingCare || handoff.PriorityOf(r) != handoff.PriorityHigh || !cmp.Equal(r.Reasons, []handoff.Reason{handoff.ReasonCheckinBlocked}) {
		t.Errorf("care leaver's case: %+v", r)
	}
	if _, ok, _ := e.desk.OpenCaseOf(ctx, 52); ok {
		t.Error("a resident who blocked the bot was flagged")
	}
}
