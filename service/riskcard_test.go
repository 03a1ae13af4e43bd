package service

import (
	"slices"
	"strings"
	"testing"
	"time"

	"signpost/content"
	"signpost/internal/risktest"
	"signpost/internal/telegramtest"
)

// TestCardSaysWhatOnlyTheModelFound: a disclosure that only the learned
// reader of risk finds reaches the team's group as a card that marks the
// kind possible and says what that means; one a phrase finds does not.
// What the person wrote is never in the log.
func TestCardSaysWhatOnlyTheModelFound(t *testing.T) {
	bundle, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	modelText, _ := risktest.ModelOnly(t, bundle)
	const possible = "Possible: found by the model only, not by a phrase"
	tests := []struct {
		name    string
		text    string
		consent bool
		want    string // on the card; "" for no mark
	}{
		{name: "the model alone", text: modelText, consent: true, want: possible + "; please read their words."},
		{name: "the model alone, before consent", text: modelText, want: possible + "; nothing they wrote was kept."},
		{name: "a phrase", text: "I want to die", consent: true},
	}
	r := newRig(t, time.Date(2026, 11, 30, 10, 0, 0, 0, london(t)), rigOptions{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := r.person("Sam")
			if tt.consent {
				r.waitFor("the consent question", asked(p, bundle.Text("en", "q_consent")))
				if _, err := p.PressButton(bundle.Text("en", "consent_yes")); err != nil {
					t.Fatal(err)
				}
				r.waitFor("the name question", asked(p, bundle.Text("en", "q_name")))
			}
			p.Send(tt.text)
			ref := r.refOf(p)
			r.waitFor("the card", func() bool { return len(cards(r.workers, ref)) > 0 })
			card := cards(r.workers, ref)[0].Text
			if tt.want == "" {
				if strings.Contains(card, "possible") || strings.Contains(card, "Possible") {
					t.Errorf("a phrase's finding is marked possible:\n%s", card)
				}
				return
			}
			if !strings.Contains(card, "(possible)") || !strings.Contains(card, tt.want) {
				t.Errorf("the card does not mark the model's finding with %q:\n%s", tt.want, card)
			}
		})
	}
	if log := r.logs.String(); strings.Contains(log, modelText) || strings.Contains(log, "I want to die") {
		t.Errorf("what a person wrote is in the log:\n%s", log)
	}
}

// asked reports whether the bot has said text to p.
func asked(p *telegramtest.Person, text string) func() bool {
	return func() bool {
		return slices.ContainsFunc(p.BotMessages(), func(e telegramtest.Entry) bool { return e.Text == text })
	}
}
