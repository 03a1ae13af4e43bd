package handoff_test

import (
	"strings"
	"testing"

	"signpost/flows"
	"signpost/handoff"
)

// An urgent flag names the kinds of risk on the card; "not safe right now"
// and an emergency kind mark it as the most pressing; an under-17's flag
// keeps nothing of theirs and says so.
func TestFlagCarriesRisks(t *testing.T) {
	tests := []struct {
		name      string
		eff       flows.Effect
		wantLines []string
		emergency bool
	}{
		{name: "domestic abuse", eff: flows.Effect{Risks: []string{"domestic_abuse"}, Consent: true, Text: "he hits me"},
			wantLines: []string{"URGENT R-", "Risk: domestic abuse"}},
		{name: "overdose first", eff: flows.Effect{Risks: []string{"suicide", "overdose_injury"}},
			wantLines: []string{"URGENT, 999 ADVISED", "Risk: overdose or injury already happened (999 / A&E), suicidal thoughts"}, emergency: true},
		{name: "not safe now", eff: flows.Effect{Unsafe: true},
			wantLines: []string{"URGENT, 999 ADVISED", "said they are NOT SAFE right now"}, emergency: true},
		{name: "under 17", eff: flows.Effect{Risks: []string{"child_abuse"}, Young: true},
			wantLines: []string{"Risk: abuse of a child or young person", "Under 17: a young person. Nothing else of theirs is kept.", "has not agreed to share"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := setup(t, handoff.Config{}).desk
			eff := tt.eff
			eff.Kind, eff.Key, eff.User, eff.Lang = flows.EffectUrgent, "k"+tt.name, int64(500+i), "en"
			if eff.Consent {
				eff.Run, eff.Ref = "run"+tt.name, flows.Ref("run"+tt.name)
				eff.Answers = map[string]string{"name": "Sam", "age": "26-49"}
			}
			r, _, err := d.Flag(t.Context(), eff)
			if err != nil {
				t.Fatal(err)
			}
			card := handoff.CardText(r)
			for _, want := range tt.wantLines {
				if !strings.Contains(card, want) {
					t.Errorf("the card lacks %q:\n%s", want, card)
				}
			}
			if r.Emergency() != tt.emergency {
				t.Errorf("Emergency() = %v, want %v", r.Emergency(), tt.emergency)
			}
			if eff.Young && (r.Team != handoff.TeamLinkWorkers || !r.Young() || r.UrgentText != "") {
				t.Errorf("an under-17's flag without a children's group: team %s, young %v, text %q", r.Team, r.Young(), r.UrgentText)
			}
			got, err := d.Referral(t.Context(), r.Ref)
			if err != nil || strings.Join(got.Risks, ",") != strings.Join(eff.Risks, ",") {
				t.Errorf("stored risks %v (%v), want %v", got.Risks, err, eff.Risks)
			}
		})
	}
}
