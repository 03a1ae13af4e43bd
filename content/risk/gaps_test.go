package risk_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/content/risk"
)

// gaps is a small model for the rules of denials inside a phrase, negators
// written without an apostrophe, topics made the writer's own and harm to
// someone named after "my". Its words differ from the content's, so the
// rules are tested apart from its phrases.
func gaps(t testing.TB, contrasts bool) *risk.Matcher {
	t.Helper()
	en := &risk.Language{
		Negators:    []string{"not", "never", "dont", "didnt", "isnt", "hasnt"},
		Bridges:     []string{"am", "is", "was", "has", "have", "had", "did", "do", "ever", "once", "felt", "been", "to", "want"},
		Passives:    []string{"was", "were", "wasnt", "werent", "is", "got"},
		Speech:      []string{"said", "told", "screams"},
		Fillers:     []string{"just", "really", "actually"},
		Selves:      []string{"i", "im", "me", "my", "myself"},
		Possessives: []string{"my"},
		Others:      []string{"he", "she", "they", "husband", "partner", "boyfriend", "sister", "mum", "lads"},
		Third:       map[string][]string{"my": {"his", "her"}, "myself": {"herself", "himself"}},
		Classes: map[string][]string{
			"partner": {"partner", "husband", "boyfriend"},
			"harm":    {"hit", "hurt", "slap", "lock"},
		},
		Contexts: []risk.Context{{
			About:  "risk talked of as a topic",
			Before: []string{"(article|documentary|podcast) (about|on)"},
			Unless: []string{"my {partner}", "made me want"},
			Owns:   []string{"(happening|happens) to me", "(realised|realized) (thats|its|what)"},
		}},
		Exclusions: []string{"(article|documentary|podcast) (about|on) ... (domestic abuse|grooming)"},
		Kinds: map[risk.Kind]*risk.KindModel{
			risk.DomesticAbuse: {Phrases: []string{"domestic abuse"},
				Patterns: []string{"({partner}|he|she) ... {harm} (me|my)", "(wont|never) let me see my friends", "made me work for no money"}},
			risk.Exploitation:   {Phrases: []string{"grooming"}},
			risk.SexualViolence: {Phrases: []string{"raped"}},
			risk.Suicide:        {Patterns: []string{"(dont|never) want to wake up", "kill myself", "better off dead"}},
			risk.DangerNow:      {Patterns: []string{"(scared|afraid) of him"}},
		},
	}
	if contrasts {
		en.Contrasts = []string{"but", "though"}
	}
	m, err := risk.Compile(map[string]*risk.Language{"en": en}, "en")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

type gapCase struct {
	text   string
	want   []risk.Kind
	denied bool
}

func checkGaps(t *testing.T, m *risk.Matcher, tests []gapCase) {
	t.Helper()
	for _, tt := range tests {
		a := m.Assess(tt.text)
		var got []risk.Kind
		for _, f := range a.Findings {
			got = append(got, f.Kind)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Assess(%q) kinds (-want +got):\n%s", tt.text, diff)
			continue
		}
		if len(tt.want) > 0 && a.Denied() != tt.denied {
			t.Errorf("Assess(%q) denied = %v, want %v", tt.text, a.Denied(), tt.denied)
		}
	}
}

// TestNegatorInsideGap: a negator between a phrase's subject and its verb
// denies the phrase; one before a word the phrase does not hold, one deeper
// in the phrase, one of the phrase's own, and one followed by a contrast do
// not.
func TestNegatorInsideGap(t *testing.T) {
	da := []risk.Kind{risk.DomesticAbuse}
	checkGaps(t, gaps(t, true), []gapCase{
		{text: "he has never hurt me", want: da, denied: true},
		{text: "my partner has never once hit me", want: da, denied: true},
		{text: "she hasnt ever slapped me", want: da, denied: true},
		{text: "my husband has not actually hit me", want: da, denied: true},
		{text: "he didnt really hurt me", want: da, denied: true},
		{text: "he did not hurt me. she never hit me", want: da, denied: true},
		// Alarms kept.
		{text: "he never stops hitting me", want: da},
		{text: "my boyfriend never leaves me alone and he hurts me", want: da},
		{text: "he never lets me see my friends", want: da},
		{text: "they made me work for no money", want: da},
		{text: "he has never hit me but he slaps me", want: da},
		{text: "my husband has never actually hit me, though he locks me in", want: da},
		{text: "he said never and hit me", want: da},
		{text: "never felt so scared of him", want: []risk.Kind{risk.DangerNow}},
		{text: "i never want to wake up again", want: []risk.Kind{risk.Suicide}},
		// Denied in one sentence, told in another.
		{text: "he never hurt me. now he hits me", want: da},
	})
}

// TestNegatorInsideGapNeedsContrasts: a language that lists no contrasts
// keeps its phrases whole, since "he's never hit me but..." would be lost.
func TestNegatorInsideGapNeedsContrasts(t *testing.T) {
	checkGaps(t, gaps(t, false), []gapCase{
		{text: "he has never hurt me", want: []risk.Kind{risk.DomesticAbuse}},
		{text: "i was never raped", want: []risk.Kind{risk.SexualViolence}, denied: true},
	})
}

// TestContractedNegators: forms of being written with "nt" and no
// apostrophe deny as their neighbours "isnt" and "didnt" do; "cant" does
// not.
func TestContractedNegators(t *testing.T) {
	sv := []risk.Kind{risk.SexualViolence}
	checkGaps(t, gaps(t, true), []gapCase{
		{text: "i wasnt raped", want: sv, denied: true},
		{text: "i wasn't raped", want: sv, denied: true},
		{text: "we werent raped", want: sv, denied: true},
		{text: "he wasnt hitting me", want: []risk.Kind{risk.DomesticAbuse}, denied: true},
		{text: "i was raped", want: sv},
		{text: "i cant say i was raped", want: sv},
	})
}

// TestOwnsLiftsTopicIdioms: an idiom of talk about risk hides its words
// unless the writer makes the topic theirs in the sentence.
func TestOwnsLiftsTopicIdioms(t *testing.T) {
	checkGaps(t, gaps(t, true), []gapCase{
		{text: "read an article about domestic abuse", want: nil},
		{text: "read an article about domestic abuse and realised thats what happens at home", want: []risk.Kind{risk.DomesticAbuse}},
		{text: "watched a documentary on grooming and its exactly whats happening to me", want: []risk.Kind{risk.Exploitation}},
		{text: "heard a podcast about domestic abuse, realized its my life", want: []risk.Kind{risk.DomesticAbuse}},
		// An Unless cue alone keeps lowered words, not an idiom's.
		{text: "read an article about domestic abuse with my partner", want: nil},
		{text: "a documentary on grooming made me want to volunteer", want: nil},
		// Owning in another sentence lifts nothing.
		{text: "read an article about domestic abuse. it is happening to me with work", want: nil},
	})
}

// TestHarmToSomeoneNamed: harm ending on "my" before a word for someone
// else is about that someone.
func TestHarmToSomeoneNamed(t *testing.T) {
	checkGaps(t, gaps(t, true), []gapCase{
		{text: "he locks my sister in the house", want: []risk.Kind{risk.DomesticAbuse, risk.SomeoneElse}},
		{text: "my husband hits my mum", want: []risk.Kind{risk.DomesticAbuse, risk.SomeoneElse}},
		{text: "he hits my face", want: []risk.Kind{risk.DomesticAbuse}},
		{text: "he hits my. sister is ok", want: []risk.Kind{risk.DomesticAbuse}},
	})
}

// TestSaidToTheWriter: suicide told as what someone else says to the
// writer is abuse too; the writer's own words stay theirs alone.
func TestSaidToTheWriter(t *testing.T) {
	both := []risk.Kind{risk.Suicide, risk.DomesticAbuse}
	checkGaps(t, gaps(t, true), []gapCase{
		{text: "he told me i would be better off dead", want: both},
		{text: "my husband said i should kill myself", want: both},
		{text: "she screams i would be better off dead", want: both},
		{text: "i told him i want to kill myself", want: []risk.Kind{risk.Suicide}},
		{text: "he said sorry. i want to kill myself", want: []risk.Kind{risk.Suicide}},
		{text: "i said i would be better off dead", want: []risk.Kind{risk.Suicide}},
		{text: "she said she wants to kill herself", want: []risk.Kind{risk.SomeoneElse}},
	})
}
