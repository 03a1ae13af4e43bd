package risk_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/content/risk"
)

// model is a small risk model written for these tests, so that each rule of
// the matcher is tested apart from the content's phrases.
func model(t testing.TB) *risk.Matcher {
	t.Helper()
	en := &risk.Language{
		Negators:    []string{"not", "never", "no", "dont"},
		Bridges:     []string{"am", "feeling", "going", "to", "i"},
		Speech:      []string{"said", "told"},
		Passives:    []string{"was", "is"},
		Progressive: []string{"ing"},
		Fillers:     []string{"just", "really"},
		Selves:      []string{"i", "me", "my", "myself", "im"},
		Possessives: []string{"my"},
		Others:      []string{"friend", "she", "he", "sister", "girl"},
		Third:       map[string][]string{"myself": {"herself", "himself"}},
		Lexicon:     map[string]string{"kms": "kill myself", "wanna": "want to", "od": "overdose"},
		Ordinary:    []string{"hopeless"},
		Exclusions:  []string{"dying to"},
		Over:        []string{"but not now"},
		Kinds: map[risk.Kind]*risk.KindModel{
			risk.Suicide: {Phrases: []string{"kill myself", "want to die", "suicidal"},
				Patterns: []string{"dont want to ... be here", "cant go on $"}},
			risk.SelfHarm: {Phrases: []string{"self harm"}, Exclusions: []string{"cut the grass"},
				Patterns: []string{"cut (myself|my arms)"}},
			risk.Exploitation:   {Phrases: []string{"deal for them"}},
			risk.Overdose:       {Patterns: []string{"(took|taken) # (pills|paracetamol)", "took (an|a) overdose"}},
			risk.NowhereTonight: {Phrases: []string{"homeless"}},
			risk.DomesticAbuse:  {Phrases: []string{"hits me"}, Exclusions: []string{"hits me up"}},
			risk.SexualViolence: {Phrases: []string{"raped"}},
			risk.DangerNow:      {Phrases: []string{"banging on the door", "in danger"}},
		},
	}
	pl := &risk.Language{
		Negators: []string{"nie"},
		Others:   []string{"przyjaciolka"},
		Kinds: map[risk.Kind]*risk.KindModel{
			risk.Suicide: {Patterns: []string{"zabi* sie", "sie zabi*", "chce umrzec"}},
		},
	}
	m, err := risk.Compile(map[string]*risk.Language{"en": en, "pl": pl}, "en")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAssess(t *testing.T) {
	m := model(t)
	tests := []struct {
		name   string
		text   string
		want   []risk.Kind
		denied bool
		lang   string
	}{
		{name: "plain", text: "I want to die", want: []risk.Kind{risk.Suicide}, lang: "en"},
		{name: "case and punctuation", text: "I WANT TO DIE!!!", want: []risk.Kind{risk.Suicide}},
		{name: "repeated letters", text: "i want to dieeeee", want: []risk.Kind{risk.Suicide}},
		{name: "digits and symbols as letters", text: "gonna k!ll mys3lf", want: []risk.Kind{risk.Suicide}},
		{name: "text speak", text: "kms", want: []risk.Kind{risk.Suicide}},
		{name: "lexicon inside a phrase", text: "i wanna die", want: []risk.Kind{risk.Suicide}},
		{name: "word forms", text: "I keep killing myself in my head", want: []risk.Kind{risk.Suicide}},
		{name: "misspelt long word", text: "feeling suicidel", want: []risk.Kind{risk.Suicide}},
		{name: "ordinary near word", text: "I feel hopeless", want: nil},
		{name: "misspelling needs the same first letter", text: "I feel ouicidal", want: nil},
		{name: "fillers inside", text: "I just really want to die", want: []risk.Kind{risk.Suicide}},
		{name: "gap", text: "I dont want to wake up and be here", want: []risk.Kind{risk.Suicide}},
		{name: "gap too long", text: "I dont want to go to the shop and the park and be here", want: nil},
		{name: "phrase does not cross a sentence", text: "I want to. Die Hard is on", want: nil},
		{name: "end of clause", text: "I cant go on", want: []risk.Kind{risk.Suicide}},
		{name: "not the end of clause", text: "I cant go on the bus", want: nil},
		{name: "idiom", text: "I'm dying to meet people", want: nil},
		{name: "kind's idiom", text: "I need someone to cut the grass", want: nil},
		{name: "idiom hides only its kind", text: "he hits me up, and I want to die", want: []risk.Kind{risk.Suicide}},
		{name: "number of ten or more", text: "took 20 paracetamol", want: []risk.Kind{risk.Overdose}},
		{name: "small number", text: "took 2 paracetamol", want: nil},
		{name: "denied", text: "I'm not suicidal", denied: true},
		{name: "denied across bridges", text: "I am not going to kill myself", denied: true},
		{name: "denial ends at a clause", text: "No, I want to die", want: []risk.Kind{risk.Suicide}},
		{name: "a phrase that holds its negator", text: "I dont want to be here", want: []risk.Kind{risk.Suicide}},
		{name: "denied and not", text: "I'm not suicidal but I want to die", want: []risk.Kind{risk.Suicide}},
		{name: "over", text: "I had suicidal thoughts but not now", denied: true},
		{name: "third person reflexive", text: "my friend wants to kill herself", want: []risk.Kind{risk.SomeoneElse}},
		{name: "third person subject", text: "my sister is suicidal", want: []risk.Kind{risk.SomeoneElse}},
		{name: "first person nearer", text: "my sister says I am suicidal", want: []risk.Kind{risk.Suicide}},
		{name: "possessive is not the subject", text: "a girl in my class wants to die", want: []risk.Kind{risk.SomeoneElse}},
		{name: "word forms do not add -er", text: "a dealer for them", want: nil},
		{name: "word forms with -ing", text: "dealing for them", want: []risk.Kind{risk.Exploitation}},
		{name: "over opening the next sentence", text: "I had suicidal thoughts. But not now", denied: true},
		{name: "over deep in the next sentence", text: "I want to die. The bus was late but not now", want: []risk.Kind{risk.Suicide}},
		{name: "over two sentences on", text: "I want to die. Bus. But not now", want: []risk.Kind{risk.Suicide}},
		{name: "text speak names nobody", text: "she said she will kms", want: []risk.Kind{risk.SomeoneElse}},
		{name: "someone else's other risk", text: "my friend is homeless", want: []risk.Kind{risk.NowhereTonight, risk.SomeoneElse}},
		{name: "precedence", text: "I'm homeless and took an od", want: []risk.Kind{risk.Overdose, risk.NowhereTonight}},
		{name: "other language", text: "Chcę się zabić", want: []risk.Kind{risk.Suicide}, lang: "pl"},
		{name: "other language, no accents", text: "chce sie zabic", want: []risk.Kind{risk.Suicide}},
		{name: "other language, someone else", text: "przyjaciółka chce się zabić", want: []risk.Kind{risk.SomeoneElse}},
		{name: "other language denial", text: "nie chcę umrzeć", denied: true},
		{name: "a refusal reported", text: "i said no he raped me", want: []risk.Kind{risk.SexualViolence}},
		{name: "a refusal told to him", text: "told him no he raped me", want: []risk.Kind{risk.SexualViolence}},
		{name: "a denial told as said", text: "i told her i am not suicidal", denied: true},
		{name: "a plain no denies", text: "no i was not raped", denied: true},
		{name: "the one named does the harm", text: "he raped me", want: []risk.Kind{risk.SexualViolence}},
		{name: "the one named is harmed", text: "she was raped", want: []risk.Kind{risk.SexualViolence, risk.SomeoneElse}},
		{name: "named and in danger", text: "my sister is in danger", want: []risk.Kind{risk.DangerNow, risk.SomeoneElse}},
		{name: "named and doing", text: "he is banging on the door", want: []risk.Kind{risk.DangerNow}},
		{name: "a hidden letter", text: "i was r*ped", want: []risk.Kind{risk.SexualViolence}},
		{name: "hidden letters that spell nothing", text: "r*pxd", want: nil},
		{name: "empty", text: "", want: nil},
		{name: "only symbols", text: "!!! ... ???", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.Assess(tt.text)
			if diff := cmp.Diff(tt.want, a.Kinds()); diff != "" {
				t.Errorf("Assess(%q).Kinds() (-want +got)\n%s\nmatches: %+v", tt.text, diff, m.Explain(tt.text))
			}
			if a.Denied() != tt.denied {
				t.Errorf("Assess(%q).Denied() = %v, want %v", tt.text, a.Denied(), tt.denied)
			}
			if tt.lang != "" && a.Lang != tt.lang {
				t.Errorf("Assess(%q).Lang = %q, want %q", tt.text, a.Lang, tt.lang)
			}
		})
	}
}

func TestCompileRejectsBadPhrases(t *testing.T) {
	for _, p := range []string{"(unclosed", "closed)", "(a|(b))", "ab*", "", "!!!"} {
		l := &risk.Language{Kinds: map[risk.Kind]*risk.KindModel{risk.Suicide: {Patterns: []string{p}}}}
		if _, err := risk.Compile(map[string]*risk.Language{"en": l}, "en"); err == nil {
			t.Errorf("Compile accepted the phrase %q", p)
		}
	}
}

func TestNilMatcher(t *testing.T) {
	var m *risk.Matcher
	if a := m.Assess("I want to die"); len(a.Findings) != 0 {
		t.Errorf("a nil matcher found %v", a)
	}
}

// TestRewrittenWordKeepsItsRoles: a word the lexicon of one language
// rewrites still names the writer in a language that lists it among its
// selves, so the subject of a phrase after it is the writer.
func TestRewrittenWordKeepsItsRoles(t *testing.T) {
	en := &risk.Language{
		Selves:  []string{"i", "me"},
		Others:  []string{"mum", "mam"},
		Lexicon: map[string]string{"mam": "mum"},
		Kinds:   map[risk.Kind]*risk.KindModel{risk.Suicide: {Patterns: []string{"wants to die"}}},
	}
	pl := &risk.Language{
		Selves: []string{"mam"},
		Kinds:  map[risk.Kind]*risk.KindModel{risk.Suicide: {Patterns: []string{"sie zabi*"}}},
	}
	m, err := risk.Compile(map[string]*risk.Language{"en": en, "pl": pl}, "en")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		text string
		want []risk.Kind
	}{
		{name: "a self in its own language", text: "mam dosc, chyba sie zabije", want: []risk.Kind{risk.Suicide}},
		{name: "someone else in the lexicon's language", text: "my mam wants to die", want: []risk.Kind{risk.SomeoneElse}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, m.Assess(tt.text).Kinds()); diff != "" {
				t.Errorf("Assess(%q) kinds (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestEndingsByLanguage: words of the default language take English endings;
// words of another language take only plurals in -s and -es, so that they do
// not become English words.
func TestEndingsByLanguage(t *testing.T) {
	en := &risk.Language{Kinds: map[risk.Kind]*risk.KindModel{risk.Suicide: {Patterns: []string{"hang"}}}}
	lt := &risk.Language{Kinds: map[risk.Kind]*risk.KindModel{risk.SelfHarm: {Patterns: []string{"pastilla"}}}}
	m, err := risk.Compile(map[string]*risk.Language{"en": en, "xx": lt}, "en")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []risk.Kind
	}{
		{text: "hanged", want: []risk.Kind{risk.Suicide}},
		{text: "hanging", want: []risk.Kind{risk.Suicide}},
		{text: "pastillas", want: []risk.Kind{risk.SelfHarm}},
		{text: "pastillaes", want: []risk.Kind{risk.SelfHarm}},
		{text: "pastillaed", want: nil},
		{text: "pastillaing", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, m.Assess(tt.text).Kinds()); diff != "" {
				t.Errorf("Assess(%q) kinds (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestWordBeginningsNested: a word keeps every beginning it starts with, up
// to four, so phrases of different languages on nested beginnings all match;
// five nested beginnings cannot be compiled.
func TestWordBeginningsNested(t *testing.T) {
	kinds := []risk.Kind{risk.Suicide, risk.SelfHarm, risk.DomesticAbuse, risk.Exploitation}
	beginnings := []string{"molest*", "molesto*", "molestow*", "molestowa*"}
	langs := map[string]*risk.Language{}
	for i, k := range kinds {
		langs[string(rune('a'+i))+"x"] = &risk.Language{Kinds: map[risk.Kind]*risk.KindModel{
			k: {Patterns: []string{beginnings[i]}},
		}}
	}
	m, err := risk.Compile(langs, "ax")
	if err != nil {
		t.Fatal(err)
	}
	want := []risk.Kind{risk.Suicide, risk.SelfHarm, risk.DomesticAbuse, risk.Exploitation}
	if diff := cmp.Diff(want, m.Assess("molestowala").Kinds()); diff != "" {
		t.Errorf("Assess kinds (-want +got):\n%s", diff)
	}
	langs["ex"] = &risk.Language{Kinds: map[risk.Kind]*risk.KindModel{risk.Overdose: {Patterns: []string{"molestowala*"}}}}
	if _, err := risk.Compile(langs, "ax"); err == nil || !strings.Contains(err.Error(), "start one another") {
		t.Errorf("Compile with five nested beginnings: error %v, want one naming them", err)
	}
}
