package console_test

import (
	"fmt"
	"strings"
	"testing"

	"signpost/flows"
)

// TestRiskOnTheCase: the case page names the kinds of risk flagged; one the
// learned reader alone found is marked possible, with what that means, and
// one a phrase found is not.
func TestRiskOnTheCase(t *testing.T) {
	const possible = "Possible: found by the model only, not by a phrase; please read their words."
	tests := []struct {
		name    string
		risks   []string
		learned []string
		want    string
	}{
		{name: "a phrase", risks: []string{"domestic_abuse"}, want: "domestic abuse"},
		{name: "the model alone", risks: []string{"suicide"}, learned: []string{"suicide"}, want: "suicidal thoughts (possible)"},
		{name: "both", risks: []string{"domestic_abuse", "self_harm"}, learned: []string{"self_harm"}, want: "domestic abuse, self-harm (possible)"},
	}
	e := setup(t)
	b := e.browser()
	b.signIn(ana)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := fmt.Sprintf("run-risk-%d", i)
			r, _, err := e.desk.Flag(t.Context(), flows.Effect{
				Kind: flows.EffectUrgent, Key: run + ":urgent:1", User: int64(40 + i), Run: run, Ref: flows.Ref(run),
				Lang: "en", Consent: true, Text: "what they wrote", Answers: resident("Sam"), Risks: tt.risks, Learned: tt.learned,
			})
			if err != nil {
				t.Fatal(err)
			}
			p := b.get("/console/case/" + r.Ref)
			if !strings.Contains(p.Body, "<dt>Risk</dt><dd>"+tt.want) {
				t.Errorf("case page lacks the risk %q:\n%s", tt.want, p.Body)
			}
			if got := strings.Contains(p.Body, possible); got != (len(tt.learned) > 0) {
				t.Errorf("case page says what possible means: %v, want %v", got, len(tt.learned) > 0)
			}
		})
	}
}
