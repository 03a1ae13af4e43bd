package risk_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/content/risk"
)

// roles is a small model written in classes, contexts and combine rules.
func roles(t testing.TB) *risk.Matcher {
	t.Helper()
	en := &risk.Language{
		Negators: []string{"not", "never", "dont"},
		Selves:   []string{"i", "me", "my", "myself", "im"},
		Others:   []string{"she", "he", "friend"},
		Third:    map[string][]string{"my": {"his", "her"}},
		Classes: map[string][]string{
			"partner":   {"boyfriend", "girlfriend", "husband", "my ex"},
			"harm":      {"hit", "punch", "choke"},
			"abuser":    {"{partner}", "he", "she"},
			"body":      {"arms", "legs"},
			"minor_age": {"13", "14", "15"},
		},
		Contexts: []risk.Context{
			{About: "a film", Before: []string{"(film|game) (where|about)"}, After: []string{"in the (film|game)"}},
			{About: "the past", Lowers: []risk.Kind{risk.SelfHarm, risk.DomesticAbuse},
				Before: []string{"used to"}, After: []string{"years ago"}, Unless: []string{"again"}},
			{About: "over and safe now", Lowers: []risk.Kind{risk.DomesticAbuse},
				Opens: []string{"im 30 now ... safe"}},
		},
		Combines: []risk.Combine{
			{About: "a young person harmed at home", When: []risk.Kind{risk.DomesticAbuse}, Adds: risk.ChildAbuse,
				With: []string{"im {minor_age}"}},
			{About: "a child someone else is worried about", When: []risk.Kind{risk.SomeoneElse}, Adds: risk.ChildAbuse,
				With: []string{"(hes|shes) {minor_age}"}, Unless: []string{"wants to die"}},
		},
		Kinds: map[risk.Kind]*risk.KindModel{
			risk.DomesticAbuse: {Patterns: []string{"{abuser} ... {harm} me"}},
			risk.SelfHarm:      {Patterns: []string{"(cut|burn) (my {body}|myself)"}},
			risk.Overdose:      {Patterns: []string{"(got|was) shot"}},
		},
	}
	m, err := risk.Compile(map[string]*risk.Language{"en": en}, "en")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRoles(t *testing.T) {
	m := roles(t)
	tests := []struct {
		name   string
		text   string
		want   []risk.Kind
		denied bool
	}{
		{name: "class as a word", text: "my boyfriend keeps trying to choke me", want: []risk.Kind{risk.DomesticAbuse}},
		{name: "class naming a class", text: "my ex hit me", want: []risk.Kind{risk.DomesticAbuse}},
		{name: "class inside a choice with words", text: "i cut my legs", want: []risk.Kind{risk.SelfHarm}},
		{name: "class word about someone else", text: "she cut her arms", want: []risk.Kind{risk.SomeoneElse}},
		{name: "film before", text: "watched a film where he got shot", want: []risk.Kind{risk.Overdose, risk.SomeoneElse}, denied: true},
		{name: "game after", text: "got shot in the game lol", want: []risk.Kind{risk.Overdose}, denied: true},
		{name: "film in another sentence", text: "watched a film about space. then i got shot", want: []risk.Kind{risk.Overdose}},
		{name: "past before", text: "i used to cut my arms", want: []risk.Kind{risk.SelfHarm}, denied: true},
		{name: "past after", text: "my ex would punch me but that was years ago", want: []risk.Kind{risk.DomesticAbuse}, denied: true},
		{name: "past kept by unless", text: "i used to cut my arms and now i cut them again", want: []risk.Kind{risk.SelfHarm}},
		{name: "past lowers only its kinds", text: "used to think i got shot", want: []risk.Kind{risk.Overdose}},
		{name: "unless keeps only its context", text: "got shot again in the game", want: []risk.Kind{risk.Overdose}, denied: true},
		{name: "opens reaches back a sentence", text: "my ex would punch me. im 30 now and safe", want: []risk.Kind{risk.DomesticAbuse}, denied: true},
		{name: "opens inside its sentence", text: "my ex would punch me and im 30 now and safe", want: []risk.Kind{risk.DomesticAbuse}, denied: true},
		{name: "opens deep in a sentence reaches only its own", text: "my ex would punch me. i told my sister and my nan that im 30 now and safe", want: []risk.Kind{risk.DomesticAbuse}},
		{name: "opens reaches back one sentence only", text: "my ex would punch me. it went on. im 30 now and safe", want: []risk.Kind{risk.DomesticAbuse}},
		{name: "combine in another sentence", text: "my husband hits me. im 14", want: []risk.Kind{risk.ChildAbuse, risk.DomesticAbuse}},
		{name: "combine needs its kind", text: "im 14 and i like football", want: nil},
		{name: "combine needs its cue", text: "my husband hits me", want: []risk.Kind{risk.DomesticAbuse}},
		{name: "combine about someone else", text: "she cut her arms. shes 14", want: []risk.Kind{risk.ChildAbuse, risk.SomeoneElse}},
		{name: "combine about someone else needs its cue", text: "she cut her arms. shes 30", want: []risk.Kind{risk.SomeoneElse}},
		{name: "unless stops the combine", text: "shes 14 and she wants to die. she cut her arms", want: []risk.Kind{risk.SomeoneElse}},
		{name: "unless stops only its own rule", text: "my husband hits me. im 14. she wants to die", want: []risk.Kind{risk.ChildAbuse, risk.DomesticAbuse}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.Assess(tt.text)
			var got []risk.Kind
			for _, f := range a.Findings {
				got = append(got, f.Kind)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Assess(%q) kinds (-want +got):\n%s", tt.text, diff)
			}
			if len(tt.want) > 0 && a.Denied() != tt.denied {
				t.Errorf("Assess(%q) denied = %v, want %v (%+v)", tt.text, a.Denied(), tt.denied, a)
			}
		})
	}
}

func TestClassErrors(t *testing.T) {
	tests := []struct {
		name    string
		classes map[string][]string
		pattern string
		want    string
	}{
		{name: "unknown class", pattern: "{nobody} hits me", want: "no class {nobody}"},
		{name: "unclosed", classes: map[string][]string{"a": {"x"}}, pattern: "{a hits me", want: "without its }"},
		{name: "loop", classes: map[string][]string{"a": {"{b}"}, "b": {"{a}"}}, pattern: "{a} me", want: "loop"},
		{name: "entry with a choice", classes: map[string][]string{"a": {"(x|y)"}}, pattern: "{a} me", want: "plain words"},
		{name: "empty class", classes: map[string][]string{"a": {}}, pattern: "{a} me", want: "no words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &risk.Language{Classes: tt.classes, Kinds: map[risk.Kind]*risk.KindModel{
				risk.DomesticAbuse: {Patterns: []string{tt.pattern}},
			}}
			_, err := risk.Compile(map[string]*risk.Language{"en": l}, "en")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Compile with %q: error %v, want one saying %q", tt.pattern, err, tt.want)
			}
		})
	}
}

func TestCheckClasses(t *testing.T) {
	def := &risk.Language{Classes: map[string][]string{"partner": {"husband"}}}
	l := &risk.Language{Classes: map[string][]string{
		"abuser":   {"{partner}", "he"}, // the default language's class
		"Bad-Name": {"x"},
		"broken":   {"{missing}"},
	}}
	got := risk.CheckClasses(l, def)
	if len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), "Bad-Name") || !strings.Contains(strings.Join(got, "\n"), "{missing}") {
		t.Errorf("CheckClasses = %q, want problems with Bad-Name and {missing}", got)
	}
}

func TestExplainContext(t *testing.T) {
	m := roles(t)
	var cues, denied int
	for _, x := range m.Explain("watched a film where he got shot") {
		if x.Context != "" {
			cues++
		}
		if x.Kind == risk.Overdose && x.Denied {
			denied++
		}
	}
	if cues == 0 || denied == 0 {
		t.Errorf("Explain shows %d context cues and %d lowered matches; want both", cues, denied)
	}
}

// TestContextsShared: each language may write its own cues for the same
// context; they share one context, so seventeen languages with a film and a
// past each fit the budget of sixteen, and an unless cue of one language
// keeps an alarm lowered by another's cue.
func TestContextsShared(t *testing.T) {
	langs := map[string]*risk.Language{}
	for i := 0; i < 17; i++ {
		code := string(rune('a'+i)) + "x"
		langs[code] = &risk.Language{
			Contexts: []risk.Context{
				{About: "a film", Before: []string{"film" + code}},
				{About: "the past", Lowers: []risk.Kind{risk.SelfHarm}, Before: []string{"past" + code}, Unless: []string{"again" + code}},
			},
			Kinds: map[risk.Kind]*risk.KindModel{risk.SelfHarm: {Patterns: []string{"cut" + code}}},
		}
	}
	m, err := risk.Compile(langs, "ax")
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	tests := []struct {
		name   string
		text   string
		denied bool
	}{
		{name: "own cue", text: "filmbx cutbx", denied: true},
		{name: "another language's cue", text: "filmcx cutbx", denied: true},
		{name: "past in one, unless in another", text: "pastcx cutbx againdx", denied: false},
		{name: "no cue", text: "cutbx", denied: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.Assess(tt.text)
			if len(a.Findings) != 1 || a.Denied() != tt.denied {
				t.Errorf("Assess(%q) = %+v, want self harm, denied %v", tt.text, a, tt.denied)
			}
		})
	}

	// The same about with other kinds lowered is another context.
	langs["ax"].Contexts = append(langs["ax"].Contexts, risk.Context{About: "a film", Lowers: []risk.Kind{risk.Suicide}, Before: []string{"movie"}})
	for i := 0; i < 14; i++ {
		langs["ax"].Contexts = append(langs["ax"].Contexts, risk.Context{About: "other " + string(rune('a'+i)), Before: []string{"cue" + string(rune('a'+i))}})
	}
	if _, err := risk.Compile(langs, "ax"); err == nil || !strings.Contains(err.Error(), "contexts in all") {
		t.Errorf("Compile with 17 distinct contexts: error %v, want one saying too many", err)
	}
}
