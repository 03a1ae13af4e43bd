package content_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/content"
)

// TestTriageRules reads each rule of the built-in triage.yaml against the
// answers that should, and should not, set it off.
func TestTriageRules(t *testing.T) {
	b := builtin(t)
	tests := []struct {
		name    string
		answers map[string]string
		want    []string // reason:priority
	}{
		{"nothing pressing", map[string]string{"needs": "arts", "ons_life": "6", "ons_worth": "7", "ons_happy": "5", "ons_anxious": "4"}, nil},
		{"yes to the direct question", map[string]string{"thoughts": "yes"}, []string{"risk_question:urgent"}},
		{"no to the direct question", map[string]string{"thoughts": "no"}, nil},
		{"rather not say", map[string]string{"thoughts": "unsaid"}, nil},
		{"life satisfaction 2", map[string]string{"ons_life": "2"}, []string{"wellbeing_low:high"}},
		{"life satisfaction 3 is not the worst end", map[string]string{"ons_life": "3", "ons_worth": "3", "ons_happy": "3", "ons_anxious": "8"}, nil},
		{"worthwhile 0", map[string]string{"ons_worth": "0"}, []string{"wellbeing_low:high"}},
		{"happiness 1", map[string]string{"ons_happy": "1"}, []string{"wellbeing_low:high"}},
		{"anxiety 9", map[string]string{"ons_anxious": "9"}, []string{"wellbeing_low:high"}},
		{"anxiety 10", map[string]string{"ons_anxious": "10"}, []string{"wellbeing_low:high"}},
		{"wellbeing skipped", map[string]string{"ons_life": "", "ons_anxious": ""}, nil},
		{"could lose their home within 56 days", map[string]string{"needs": "housing", "housing_urgent": "yes"}, []string{"housing_56_days:high"}},
		{"not sure about their home", map[string]string{"needs": "housing", "housing_urgent": "unsure"}, nil},
		{"nowhere safe tonight", map[string]string{"housing_urgent": "yes", "housing_tonight": "no"}, []string{"housing_56_days:high", "nowhere_tonight:urgent"}},
		{"a court or bailiff letter", map[string]string{"money_urgent": "yes", "debt_letter": "yes"}, []string{"debt_court_letter:high"}},
		{"a worrying debt without a letter", map[string]string{"money_urgent": "yes", "debt_letter": "no"}, nil},
		{"a care leaver who chose feeling lonely", map[string]string{"care_leaver": "yes", "needs": "money,lonely"}, []string{"care_leaver_lonely:high"}},
		{"a care leaver lonely on the scale", map[string]string{"care_leaver": "yes", "lonely_companionship": "2", "lonely_left_out": "2", "lonely_isolated": "2"}, []string{"care_leaver_lonely:high"}},
		{"a care leaver at 5 on the scale", map[string]string{"care_leaver": "yes", "lonely_companionship": "1", "lonely_left_out": "2", "lonely_isolated": "2"}, nil},
		{"a care leaver with a skipped item", map[string]string{"care_leaver": "yes", "lonely_companionship": "3", "lonely_left_out": "", "lonely_isolated": "3"}, nil},
		{"lonely but not a care leaver", map[string]string{"care_leaver": "no", "needs": "lonely"}, nil},
		{"unsure of being a care leaver", map[string]string{"care_leaver": "unsure", "needs": "lonely"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range b.Triage(tt.answers) {
				got = append(got, m.Reason+":"+m.Priority)
				if m.Words == "" {
					t.Errorf("rule %s has no words", m.Reason)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Triage (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckTriage breaks the built-in triage rules one way at a time and
// expects content check to say so.
func TestCheckTriage(t *testing.T) {
	two := 2
	tests := []struct {
		name   string
		break_ func(r *content.TriageRule)
		want   string
	}{
		{"a priority that is not one", func(r *content.TriageRule) { r.Priority = "soon" }, `priority "soon": use urgent or high`},
		{"routine is no rule", func(r *content.TriageRule) { r.Priority = "routine" }, `priority "routine"`},
		{"a reason with spaces", func(r *content.TriageRule) { r.Reason = "low wellbeing" }, "a reason is a code"},
		{"no words", func(r *content.TriageRule) { r.Words = " " }, "a rule needs words"},
		{"words too long", func(r *content.TriageRule) { r.Words = strings.Repeat("w", 121) }, "words longer than 120"},
		{"no condition", func(r *content.TriageRule) { r.All, r.Any = nil, nil }, "at least one condition"},
		{"an answer nobody records", func(r *content.TriageRule) { r.Any = []content.Cond{{Var: "shoe_size", AtLeast: &two}} }, `condition on "shoe_size"`},
		{"two tests in one condition", func(r *content.TriageRule) {
			r.Any = []content.Cond{{Var: "ons_life", In: []string{"0"}, AtMost: &two}}
		}, "exactly one of"},
		{"a sum without a bound", func(r *content.TriageRule) { r.Any = []content.Cond{{Sum: []string{"ons_life"}, In: []string{"1"}}} }, "a sum needs at_least or at_most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ownTriage(t)
			tt.break_(&b.TriageRules.Rules[0])
			var found []string
			for _, p := range b.Check() {
				found = append(found, p.String())
				if strings.HasPrefix(p.Where, "triage.yaml") && strings.Contains(p.What, tt.want) {
					return
				}
			}
			t.Errorf("no problem saying %q; found %v", tt.want, found)
		})
	}
	b := ownTriage(t)
	b.TriageRules.Rules = append(b.TriageRules.Rules, b.TriageRules.Rules[0])
	if !strings.Contains(problemsText(b.Check()), "the same reason twice") {
		t.Error("a reason given twice is not found")
	}
}

// ownTriage is the shared built-in content with a copy of its triage rules
// for a test to break; the rest stays shared, and Check only reads it.
func ownTriage(t *testing.T) *content.Bundle {
	t.Helper()
	b := *builtin(t)
	tr := *b.TriageRules
	tr.Rules = append([]content.TriageRule(nil), tr.Rules...)
	b.TriageRules = &tr
	return &b
}

func problemsText(ps []content.Problem) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return strings.Join(s, "\n")
}

// restartTold is a message telling people to start the questions again.
var restartTold = regexp.MustCompile(`(type|send|press|use) (/restart|"start again")`)

// TestNoMessageSendsPeopleToRestartForAPerson: a person who wants someone
// to talk to is told of /talk, never to start the questions again.
func TestNoMessageSendsPeopleToRestartForAPerson(t *testing.T) {
	b := builtin(t)
	for lang, msgs := range b.Messages {
		for key, text := range msgs {
			// Sentence by sentence: a help text may list /restart beside /talk.
			for _, s := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r == '\n' || r == '.' }) {
				if restartTold.MatchString(s) &&
					(strings.Contains(s, "link worker") || strings.Contains(s, "talk to") || strings.Contains(s, "get in touch")) {
					t.Errorf("messages/%s %s sends people to start again to reach someone: %q", lang, key, s)
				}
			}
		}
	}
}
