// Package risktest gives tests messages that the risk check reads in a
// known way, chosen against the content as it stands rather than fixed,
// since the phrases grow and the learned reader is retrained.
package risktest

import (
	"testing"

	"signpost/content"
	"signpost/content/risk"
)

// modelOnly are disclosures that, when written here, the learned reader
// found and no phrase did (from the English rounds of the evaluation set).
// A new phrase or a retrained model may move any of them; it takes all of
// them moving to fail a test.
var modelOnly = []string{
	"all i think about is not existing",
	"i've picked the day, its next tuesday",
	"I'm so tired of everything. Sorry. Bye.",
	"i wrote my will today, i'm 23",
	"used my compass again in maths, nobody noticed",
	"I have been sleeping in the church porch",
}

// ModelOnly is an English message in which b finds risk by its learned
// reader alone, with the kinds found. It fails t when there is none left
// among those it knows: add one that `signpost risk explain` shows the
// learned reader alone finding.
func ModelOnly(t testing.TB, b *content.Bundle) (string, []risk.Kind) {
	t.Helper()
	for _, text := range modelOnly {
		a := b.Assess("en", text)
		if a.Risk() && allLearned(a) {
			return text, a.Kinds()
		}
	}
	t.Fatalf("risktest: no message left that only the learned reader finds; add one")
	return "", nil
}

func allLearned(a risk.Assessment) bool {
	for _, f := range a.Findings {
		if !f.Learned {
			return false
		}
	}
	return true
}
