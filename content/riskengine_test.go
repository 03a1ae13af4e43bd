package content_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/content/risk"
)

// engineCase is a message and what the phrases alone should find in it.
type engineCase struct {
	name   string
	text   string
	want   []risk.Kind
	denied bool
}

// runEngineCases reads each case with the content's phrases alone, without
// the learned reader, so that each test holds a rule of the matcher to the
// real content.
func runEngineCases(t *testing.T, tests []engineCase) {
	t.Helper()
	m := phrasesAlone(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.Assess(tt.text)
			if diff := cmp.Diff(tt.want, a.Kinds()); diff != "" {
				t.Errorf("Assess(%q).Kinds() (-want +got)\n%s\nmatches: %+v", tt.text, diff, m.Explain(tt.text))
			}
			if a.Denied() != tt.denied {
				t.Errorf("Assess(%q).Denied() = %v, want %v", tt.text, a.Denied(), tt.denied)
			}
		})
	}
}

// runFindingCases is runEngineCases for tables that list every kind found,
// denied or not, and check the denial only where something is found.
func runFindingCases(t *testing.T, tests []engineCase) {
	t.Helper()
	m := phrasesAlone(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.Assess(tt.text)
			var got []risk.Kind
			for _, f := range a.Findings {
				got = append(got, f.Kind)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Assess(%q) kinds (-want +got):\n%s\n%+v", tt.text, diff, m.Explain(tt.text))
			}
			if len(tt.want) > 0 && a.Denied() != tt.denied {
				t.Errorf("Assess(%q) denied = %v, want %v", tt.text, a.Denied(), tt.denied)
			}
		})
	}
}

// phrasesAlone is the content's phrases without the learned reader: the
// matcher the shared built-in content compiled when it loaded.
func phrasesAlone(t *testing.T) *risk.Matcher {
	t.Helper()
	return builtin(t).Phrases()
}

// TestHiddenLetters holds the matcher to words whose letters are hidden
// by a star, hash or underscore: read as the risk word they spell, and
// never as one where the marks are markdown, sums, ratings or names.
func TestHiddenLetters(t *testing.T) {
	sv, su, sh, da := risk.SexualViolence, risk.Suicide, risk.SelfHarm, risk.DomesticAbuse
	dn, nt := risk.DangerNow, risk.NowhereTonight
	runEngineCases(t, []engineCase{
		{name: "one star for a vowel", text: "i was r*ped", want: []risk.Kind{sv}},
		{name: "r-word alone", text: "r*ped", want: []risk.Kind{sv}},
		{name: "got r-word", text: "i got r*ped at a party", want: []risk.Kind{sv}},
		{name: "hash for the letter", text: "i was r#ped last year", want: []risk.Kind{sv}},
		{name: "underscore for the letter", text: "i was r_ped", want: []risk.Kind{sv}},
		{name: "at sign still a letter", text: "i was r@ped", want: []risk.Kind{sv}},
		{name: "k-word myself", text: "i want to k*ll myself", want: []risk.Kind{su}},
		{name: "two stars in the s-word", text: "thinking about su**ide again", want: []risk.Kind{su}},
		{name: "the double letter hidden", text: "i want to ki*l myself", want: []risk.Kind{su}},
		{name: "s-word", text: "i keep thinking about su*cide", want: []risk.Kind{su}},
		{name: "s-word adjective", text: "feeling really s*icidal tonight", want: []risk.Kind{su}},
		{name: "two stars in a word of someone else", text: "my mate says shes su**idal", want: []risk.Kind{risk.SomeoneElse}},
		{name: "d-word", text: "i just want to d*e", want: []risk.Kind{su}},
		// "h*ng" spells "hang" and "hung" alike: both are read.
		{name: "hang myself", text: "i want to h*ng myself", want: []risk.Kind{risk.Overdose, su}},
		{name: "forced sex", text: "he forced me to have s*x", want: []risk.Kind{sv}},
		{name: "sexually assaulted", text: "i was s*xually assaulted", want: []risk.Kind{sv}},
		{name: "self harm", text: "ive been self h*rming again", want: []risk.Kind{sh}},
		{name: "a swear word as a filler", text: "i f***ing want to die", want: []risk.Kind{su}},
		{name: "a swear word before the risk", text: "sh*t day, i want to k*ll myself", want: []risk.Kind{su}},
		{name: "hit me", text: "my husband h*t me again", want: []risk.Kind{da}},
		{name: "homeless tonight", text: "im h*meless tonight", want: []risk.Kind{nt}},
		{name: "a knife", text: "im scared, theres a man outside with a kn*fe", want: []risk.Kind{dn}},
		{name: "another language", text: "chce sie z*bic", want: []risk.Kind{su}},
		{name: "another language, Spanish", text: "quiero m*rirme", want: []risk.Kind{su}},
		{name: "a denial still denies", text: "im not s*icidal", denied: true},
		// Ordinary text with marks.
		{name: "swearing", text: "what the f*ck is wrong with the bus", want: nil},
		{name: "feeling like it", text: "i feel like sh*t after that cold", want: nil},
		{name: "swearing about a day", text: "f***ing hell, the council lost my form again", want: nil},
		{name: "bold", text: "this is *really* good news", want: nil},
		{name: "bold twice", text: "**note** the group meets on friday", want: nil},
		{name: "a sum", text: "5*3 is 15", want: nil},
		{name: "a rating", text: "the hotel was 5* and the food great", want: nil},
		{name: "code", text: "use *args in python", want: nil},
		{name: "a name", text: "my username is big_dave_99", want: nil},
		{name: "an ordinary word", text: "i s*ck at maths", want: nil},
		{name: "the beach", text: "want to go to the b*ach", want: nil},
		{name: "a word no phrase knows", text: "the c*ncil called", want: nil},
	})
}

// TestRefusalIsNotDenial holds the denial rule to what a negator after a
// verb of saying is: a refusal reported ("I said no"), which does not deny
// what follows, while a denial told as said ("I told her I'm not
// suicidal") still denies.
func TestRefusalIsNotDenial(t *testing.T) {
	sv, da, su := risk.SexualViolence, risk.DomesticAbuse, risk.Suicide
	runEngineCases(t, []engineCase{
		{name: "said no, raped", text: "i said no he raped me", want: []risk.Kind{sv, da}},
		{name: "told him no", text: "i told him no he forced himself on me", want: []risk.Kind{sv}},
		{name: "told them no", text: "i told them no they held me down and raped me", want: []risk.Kind{sv, da}},
		{name: "kept saying no", text: "i kept saying no he didnt stop", want: []risk.Kind{sv}},
		{name: "screamed no", text: "i screamed no he raped me anyway", want: []risk.Kind{sv, da}},
		{name: "shouted no", text: "i shouted no, he forced me to have sex", want: []risk.Kind{sv}},
		{name: "yelled no", text: "i yelled no he forced me to have sex", want: []risk.Kind{sv}},
		{name: "begged no", text: "i begged no he made me do sexual things", want: []risk.Kind{sv}},
		{name: "say no", text: "every time i say no he hits me", want: []risk.Kind{da}},
		{name: "said no, hit", text: "i said no he hit me", want: []risk.Kind{da}},
		{name: "said no to me", text: "she said no to me and i", want: nil},
		{name: "said no and kept going", text: "I said no but he kept going", want: []risk.Kind{sv}},
		{name: "told him no and he did not stop", text: "told him no and he didn't stop", want: []risk.Kind{sv}},
		{name: "Polish", text: "mowilam nie on mnie zgwalcil", want: []risk.Kind{sv}},
		{name: "Spanish", text: "dije no y me violo", want: []risk.Kind{sv}},
		// Denials stay denials.
		{name: "no, not raped", text: "no i was not raped", denied: true},
		{name: "a denial told as said", text: "i told her im not suicidal", denied: true},
		{name: "said I am not", text: "I said I'm not going to kill myself", denied: true},
		{name: "a plain denial", text: "i was never raped", denied: true},
		{name: "no one hurt me", text: "nobody raped me, it was a film", denied: true},
		{name: "said no to drugs", text: "i said no to the drugs they offered", want: nil},
		{name: "said no to the flat", text: "the council said no to the flat", want: nil},
		{name: "thoughts denied after saying", text: "i told the gp no thoughts of suicide", denied: true},
		{name: "not said, wanted", text: "i want to die", want: []risk.Kind{su}},
	})
}

// TestHarmedOrHarming holds the roles of someone named before harm done
// by someone: the one harmed, and the message someone else's risk, only
// when a passive word stands between ("she was raped", "my sister is in
// danger"); else the one doing it ("he raped me", "hes got a knife"), and
// the risk is the writer's.
func TestHarmedOrHarming(t *testing.T) {
	dn, sv, da, se := risk.DangerNow, risk.SexualViolence, risk.DomesticAbuse, risk.SomeoneElse
	su, sh, od := risk.Suicide, risk.SelfHarm, risk.Overdose
	runEngineCases(t, []engineCase{
		// The one named does the harm.
		{name: "a knife, shouting", text: "hes got a knife and hes shouting", want: []risk.Kind{dn}},
		{name: "has a knife", text: "he has a knife", want: []risk.Kind{dn}},
		{name: "they have a gun", text: "they've got a gun", want: []risk.Kind{dn}},
		{name: "a machete outside my door", text: "he is holding a machete outside my door", want: []risk.Kind{dn}},
		{name: "banging on the door", text: "he is banging on the door", want: []risk.Kind{dn}},
		{name: "kicking the door in", text: "he's kicking the door in now", want: []risk.Kind{dn}},
		{name: "someone breaking in", text: "someone is trying to break in please help", want: []risk.Kind{dn}},
		{name: "raped me", text: "he raped me", want: []risk.Kind{sv, da}},
		{name: "someone raped me", text: "someone raped me at a party", want: []risk.Kind{sv}},
		{name: "sexually abused me", text: "he sexually abused me", want: []risk.Kind{sv, da}},
		{name: "controls the money", text: "he controls all the money, i have to ask for bus fare", want: []risk.Kind{da}},
		{name: "going to kill me", text: "he is going to kill me", want: []risk.Kind{dn}},
		{name: "a knife to my throat", text: "she's got a knife to my throat", want: []risk.Kind{dn}},
		{name: "Portuguese", text: "ele ta na porta com uma faca", want: []risk.Kind{dn}},
		{name: "Lithuanian", text: "jis stovi prie duru su peiliu", want: []risk.Kind{dn}},
		// The one named is harmed.
		{name: "kill her", text: "he is going to kill her", want: []risk.Kind{dn, se}},
		{name: "raped her", text: "he raped her", want: []risk.Kind{sv, da, se}},
		{name: "was raped", text: "she was raped", want: []risk.Kind{sv, se}},
		{name: "got raped", text: "my friend got raped at a party", want: []risk.Kind{sv, se}},
		{name: "in danger", text: "my sister is in danger", want: []risk.Kind{dn, se}},
		{name: "not safe", text: "my friend is not safe at home", want: []risk.Kind{dn, se}},
		{name: "being hit", text: "she is being hit", want: []risk.Kind{da, se}},
		{name: "getting beaten", text: "my friend is getting beaten up", want: []risk.Kind{da, se}},
		{name: "her boyfriend beats her", text: "her boyfriend beats her", want: []risk.Kind{da, se}},
		{name: "stabbed", text: "my mate was stabbed", want: []risk.Kind{od, se}},
		{name: "her clothes ripped", text: "my flatmate came home with her clothes ripped and wont talk about it", want: []risk.Kind{sv, se}},
		// Kinds where the one named is the one at risk, whatever they do.
		{name: "wants to die", text: "my friend wants to kill herself", want: []risk.Kind{se}},
		{name: "cutting", text: "my sister is cutting herself", want: []risk.Kind{se}},
		{name: "sleeping rough", text: "my friend is sleeping rough", want: []risk.Kind{risk.NowhereTonight, se}},
		{name: "county lines", text: "my son is doing county lines", want: []risk.Kind{risk.Exploitation, se}},
		// The writer's own risk, with nobody else named.
		{name: "my own", text: "i want to die", want: []risk.Kind{su}},
		{name: "my own harm", text: "i cut myself last night", want: []risk.Kind{sh}},
		// Ordinary.
		{name: "he has a knife for cooking", text: "he has a new knife set for the kitchen", want: nil},
		{name: "she is in the group", text: "she is in the knitting group on tuesdays", want: nil},
	})
}
