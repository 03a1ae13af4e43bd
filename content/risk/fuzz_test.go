package risk_test

import (
	"strings"
	"testing"

	"signpost/content/risk"
)

// FuzzAssessMegabyte reads any text, and the same text repeated to a
// megabyte, with the test model: reading must not fail, what it reports must
// hang together, and a risk found in the text must be found in the megabyte.
func FuzzAssessMegabyte(f *testing.F) {
	for _, s := range []string{"I want to die", "gonna k!ll mys3lf", "took 20 paracetamol", "I had suicidal thoughts but not now",
		"chce sie zabic", "i'''''d !!! ...", "i was r*ped, k**l myself *bold*"} {
		f.Add(s)
	}
	m := model(f)
	f.Fuzz(func(t *testing.T, s string) {
		a := m.Assess(s)
		hangsTogether(t, s, a)
		if s == "" {
			return
		}
		big := strings.Repeat(s+"\n", 1<<20/(len(s)+1)+1)
		b := m.Assess(big)
		hangsTogether(t, "a megabyte of "+s, b)
		// A new line ends a sentence, but a cue putting things in the
		// past may reach into the next copy and deny a match there too.
		if a.Risk() && !b.Risk() && len(b.Findings) == 0 {
			t.Fatalf("%q holds %v, a megabyte of it nothing", s, a.Kinds())
		}
	})
}

func hangsTogether(t *testing.T, s string, a risk.Assessment) {
	t.Helper()
	seen := map[risk.Kind]bool{}
	for _, f := range a.Findings {
		if seen[f.Kind] {
			t.Fatalf("%q: kind %s found twice: %+v", s, f.Kind, a)
		}
		seen[f.Kind] = true
	}
	if a.Risk() == a.Denied() && len(a.Findings) > 0 {
		t.Fatalf("%q: both risk and denied: %+v", s, a)
	}
	if len(a.Findings) > 0 && a.Lang == "" {
		t.Fatalf("%q: no language for %+v", s, a)
	}
}
