package risk_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/content/risk"
)

// TestNegatorOfVerb: a negator of a verb (Somali "kama", ka + ma) denies
// what came before it only when a bridge follows it at once ("isdilid kama
// fikirayo", I am not thinking of killing myself); before another verb it
// denies nothing ("waan is dilayaa kama noqonayo", I will kill myself and
// will not go back on it), nor at the end of the clause.
func TestNegatorOfVerb(t *testing.T) {
	so := &risk.Language{
		Bridges:        []string{"fikirayo", "fekerayo"},
		NegatorsOfVerb: []string{"kama"},
		Kinds:          map[risk.Kind]*risk.KindModel{risk.Suicide: {Patterns: []string{"isdil*", "is dil*"}}},
	}
	m, err := risk.Compile(map[string]*risk.Language{"en": {}, "so": so}, "en")
	if err != nil {
		t.Fatal(err)
	}
	suicide := []risk.Kind{risk.Suicide}
	checkGaps(t, m, []gapCase{
		{text: "isdilid kama fikirayo", want: suicide, denied: true},
		{text: "is dilid kama fekerayo, lacag ayaan u baahanahay", want: suicide, denied: true},
		{text: "waan is dilayaa kama noqonayo", want: suicide},
		{text: "waan is dilayaa kama", want: suicide},
		{text: "waan is dilayaa, kama fikirayo wax kale", want: suicide},
	})
}

// TestRoleWordNotMisspelt: a word a language lists in a role (a bridge, a
// negator, a word for someone) is a word the matcher knows, never read as a
// misspelling of a risk word one letter away: Somali "fikirayo"
// (thinking), a bridge, is not "fikiray" (thought) of a phrase, and so
// still carries a denial before it ("isdilid kama fikirayo").
func TestRoleWordNotMisspelt(t *testing.T) {
	so := &risk.Language{
		Bridges:        []string{"fikirayo"},
		NegatorsOfVerb: []string{"kama"},
		Kinds: map[risk.Kind]*risk.KindModel{risk.Suicide: {Patterns: []string{
			"isdil*",
			"(ku fikiraa|ku fikiray) (inaanan) (toosin)",
		}}},
	}
	m, err := risk.Compile(map[string]*risk.Language{"en": {}, "so": so}, "en")
	if err != nil {
		t.Fatal(err)
	}
	if a := m.Assess("isdilid kama fikirayo"); !a.Denied() || a.Risk() {
		t.Errorf("Assess(isdilid kama fikirayo) = %+v, want suicide denied", a)
	}
	if diff := cmp.Diff([]risk.Kind(nil), m.Assess("ku fikirayo inaanan toosin").Kinds()); diff != "" {
		t.Errorf("a bridge read as a misspelling of a phrase's word (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]risk.Kind{risk.Suicide}, m.Assess("ku fikirey inaanan toosin").Kinds()); diff != "" {
		t.Errorf("a misspelling no role lists is still read (-want +got):\n%s", diff)
	}
}
