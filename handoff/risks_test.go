package handoff_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/flows"
	"signpost/handoff"
)

// An urgent flag names the kinds of risk on the card; "not safe right now"
// and an emergency kind mark it as the most pressing; an under-17's flag
// keeps nothing of theirs and says so. A kind only the learned reader found
// is marked possible, with what that means.
func TestFlagCarriesRisks(t *testing.T) {
	const possible = "Possible: found by the model only, not by a phrase"
	tests := []struct {
		name      string
		eff       flows.Effect
		wantLines []string
		emergency bool
	}{
		{name: "domestic abuse", eff: flows.Effect{Risks: []string{"domestic_abuse"}, Consent: true, Text: "he hits me"},
			wantLines: []string{"URGENT R-", "Risk: domestic abuse"}},
		{name: "the model alone", eff: flows.Effect{Risks: []string{"suicide"}, Learned: []string{"suicide"}, Consent: true, Text: "all i think about is not existing"},
			wantLines: []string{"Risk: suicidal thoughts (possible)\n" + possible + "; please read their words."}},
		{name: "a phrase and the model", eff: flows.Effect{Risks: []string{"domestic_abuse", "danger_now"}, Learned: []string{"danger_now"}, Consent: true, Text: "he hits me"},
			wantLines: []string{"URGENT, 999 ADVISED", "Risk: in danger now (999) (possible), domestic abuse\n" + possible}, emergency: true},
		{name: "the model alone, nothing kept", eff: flows.Effect{Risks: []string{"self_harm"}, Learned: []string{"self_harm"}},
			wantLines: []string{"Risk: self-harm (possible)\n" + possible + "; nothing they wrote was kept."}},
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
			if len(eff.Learned) == 0 && strings.Contains(card, "possible") {
				t.Errorf("a card of kinds a phrase found marks one possible:\n%s", card)
			}
			if r.Emergency() != tt.emergency {
				t.Errorf("Emergency() = %v, want %v", r.Emergency(), tt.emergency)
			}
			if eff.Young && (r.Team != handoff.TeamLinkWorkers || !r.Young() || r.UrgentText != "") {
				t.Errorf("an under-17's flag without a children's group: team %s, young %v, text %q", r.Team, r.Young(), r.UrgentText)
			}
			got, err := d.Referral(t.Context(), r.Ref)
			if err != nil || strings.Join(got.Risks, ",") != strings.Join(eff.Risks, ",") || strings.Join(got.LearnedRisks, ",") != strings.Join(eff.Learned, ",") {
				t.Errorf("stored risks %v, the model's alone %v (%v); want %v, %v", got.Risks, got.LearnedRisks, err, eff.Risks, eff.Learned)
			}
		})
	}
}

// A kind stays marked as the model's only while every flag that named it
// was the model's alone: a phrase finding it, before or after, unmarks it.
func TestLearnedMarkFollowsFlags(t *testing.T) {
	type flag struct{ risks, learned []string }
	tests := []struct {
		name  string
		flags []flag
		want  []string
	}{
		{name: "the model, then a phrase", flags: []flag{{[]string{"suicide"}, []string{"suicide"}}, {[]string{"suicide"}, nil}}},
		{name: "a phrase, then the model", flags: []flag{{[]string{"suicide"}, nil}, {[]string{"suicide"}, []string{"suicide"}}}},
		{name: "the model twice", flags: []flag{{[]string{"suicide"}, []string{"suicide"}}, {[]string{"suicide", "self_harm"}, []string{"suicide", "self_harm"}}},
			want: []string{"suicide", "self_harm"}},
		{name: "the model, then a phrase of another kind", flags: []flag{{[]string{"suicide"}, []string{"suicide"}}, {[]string{"domestic_abuse"}, nil}},
			want: []string{"suicide"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := setup(t, handoff.Config{}).desk
			user := int64(600 + i)
			var r handoff.Referral
			for j, f := range tt.flags {
				run := fmt.Sprintf("run%d", i)
				var err error
				r, _, err = d.Flag(t.Context(), flows.Effect{
					Kind: flows.EffectUrgent, Key: fmt.Sprintf("%s:urgent:%d", run, j), User: user, Run: run, Ref: flows.Ref(run),
					Lang: "en", Consent: true, Text: "what they wrote", Answers: map[string]string{"name": "Sam"},
					Risks: f.risks, Learned: f.learned,
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			got, err := d.Referral(t.Context(), r.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.LearnedRisks); diff != "" {
				t.Errorf("kinds marked as the model's (-want +got):\n%s", diff)
			}
			if card := handoff.CardText(got); strings.Contains(card, "possible") != (len(tt.want) > 0) {
				t.Errorf("card:\n%s", card)
			}
		})
	}
}
