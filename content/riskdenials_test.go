package content_test

import (
	"strings"
	"testing"

	"signpost/content/risk"
)

// TestDenialsInEveryLanguage holds each language's denial to the rule
// English follows: a denial in the writer's language denies a word that
// another language's phrases find too ("suicidal" is English, "suicid*"
// Spanish and Portuguese), and a language that denies after what it denies
// (Urdu, Bengali, Turkish, Somali) has its negator read there. The same
// words with no denial keep their alarm.
func TestDenialsInEveryLanguage(t *testing.T) {
	su := []risk.Kind{risk.Suicide}
	runEngineCases(t, []engineCase{
		// Romanian: the word another language's phrases know.
		{name: "ro not suicidal", text: "nu sunt suicidal, doar obosit de tot", denied: true},
		{name: "ro not suicidal, feminine", text: "nu sunt suicidală, mă simt doar singură", denied: true},
		{name: "ro not thinking of it", text: "nu mă gândesc la sinucidere, am nevoie doar de cineva", denied: true},
		{name: "ro suicidal", text: "sunt suicidal de o saptamana", want: su},
		// Portuguese and Spanish, each read by the other's phrases too.
		{name: "pt not suicidal", text: "não sou suicida, só estou muito sozinha", denied: true},
		{name: "pt not suicidal, unaccented", text: "nao sou suicida so cansado", denied: true},
		{name: "es not suicidal", text: "no soy suicida, solo me siento sola", denied: true},
		{name: "pt suicidal", text: "estou com pensamentos suicidas de novo", want: su},
		{name: "es suicidal", text: "me siento suicida esta noche", want: su},
		// Urdu, romanised and in its script: the negator after.
		{name: "ur no suicide wanted", text: "khudkushi nahi karna chahti, bas thaki hui hoon", denied: true},
		{name: "ur suicidal, not", text: "main suicidal nahi hoon bas akeli hoon", denied: true},
		{name: "ur no thoughts", text: "mujhe khudkushi ke khayal nahi aate", denied: true},
		{name: "ur suicide wanted", text: "khudkushi karna chahta hoon", want: su},
		{name: "ur no reason to live", text: "jeene ki koi wajah nahi rahi", want: su},
		// Bengali.
		{name: "bn no suicide wanted", text: "ami atmohotta korte chai na, shudhu mon kharap", denied: true},
		{name: "bn in its script", text: "আমি আত্মহত্যা করতে চাই না", denied: true},
		// Turkish: değil and yok deny what comes before, not after.
		{name: "tr not inclined", text: "intihara meyilli değilim, sadece yalnızım", denied: true},
		{name: "tr do not want", text: "kendimi öldürmek istemiyorum", denied: true},
		{name: "tr no home, then suicide", text: "evim yok kendimi öldürmek istiyorum", want: su},
		// Somali.
		{name: "so not thinking of it", text: "isdilid kuma fekerayo", denied: true},
		// A negator another language spells alike denies nothing alone.
		{name: "en ma is mum", text: "my dad hits my ma", want: []risk.Kind{risk.ChildAbuse}},
	})
}

// TestTextSpeakNegators holds the negators text speak writes ("dint",
// "nvr", "didn") to English's: they deny as theirs do, and "cant" tells
// what cannot be done, as "can't" does.
func TestTextSpeakNegators(t *testing.T) {
	sh, su := []risk.Kind{risk.SelfHarm}, []risk.Kind{risk.Suicide}
	runEngineCases(t, []engineCase{
		{name: "dint", text: "i dint self harm last night, proud of myself", denied: true},
		{name: "didn", text: "i didn self harm this week", denied: true},
		{name: "didint", text: "i didint cut myself", denied: true},
		{name: "nvr", text: "im nvr going to kill myself", denied: true},
		{name: "neva", text: "i would neva kill myself", denied: true},
		{name: "havnt", text: "i havnt self harmed in ages", denied: true},
		{name: "wasn", text: "i wasn raped", denied: true},
		{name: "dnt", text: "i dnt want to kill myself", denied: true},
		{name: "cant is no denial", text: "i cant kill myself, i have tried", want: su},
		{name: "cant stop cutting", text: "i cant stop cutting", want: sh},
		{name: "cant stop cutting, and more", text: "i cant stop cutting and i hate it", want: sh},
		{name: "cant stop cutting the hedge", text: "i cant stop cutting the hedge", want: nil},
		{name: "cant stop scratching", text: "i cant stop scratching my eczema", want: nil},
		{name: "plain self-harm", text: "i self harmed last night", want: sh},
	})
}

// TestFirstPersonMarkers holds a form the writer and someone else write
// alike once accents are folded (Polish "chcę" and "chce") to the words
// around it: a dative for the writer ("mi") makes it the writer's, a word
// for someone else before it theirs; and a word for the writer in one
// language that is someone else in English ("he") to its language.
func TestFirstPersonMarkers(t *testing.T) {
	su, se := []risk.Kind{risk.Suicide}, []risk.Kind{risk.SomeoneElse}
	runEngineCases(t, []engineCase{
		{name: "mi", text: "nie chce mi się już żyć", want: su},
		{name: "mi, no accents", text: "nie chce mi sie dalej zyc, mam dosc", want: su},
		{name: "no subject", text: "nie chce juz zyc", want: su},
		{name: "a brother", text: "mój brat pisze, że nie chce już żyć", want: se},
		{name: "a friend wants to kill herself", text: "moja kolezanka chce sie zabic", want: se},
		// Spanish "he" (I have) is the writer's, though English's "he" is
		// someone else.
		{name: "es he pensado", text: "esta semana he pensado mucho en quitarme la vida", want: su},
		{name: "es a brother", text: "mi hermano dice que quiere quitarse la vida", want: se},
	})
}

// TestEllipsisInsideAThought: an ellipsis a word in small letters follows
// is a thought going on, so a phrase with a gap reaches across it; before a
// capital it ends the sentence.
func TestEllipsisInsideAThought(t *testing.T) {
	su := []risk.Kind{risk.Suicide}
	runEngineCases(t, []engineCase{
		{name: "want to... die", text: "honestly i want to... die", want: su},
		{name: "two ellipses", text: "i want to... you know... die", want: su},
		{name: "a single ellipsis character", text: "i feel like i want to … disappear forever", want: su},
		{name: "about... ending it", text: "i keep thinking about... ending it all", want: su},
		{name: "a capital after", text: "I want to... Die Hard is on tonight", want: nil},
		{name: "a line's end after", text: "i want to...\ndie hard is on tonight", want: nil},
		{name: "a full stop", text: "i want to. die hard is on tonight", want: nil},
	})
}

// TestEmojiChangeNothing: an emoji beside a disclosure changes nothing, and
// the cues Explain shows for it are ones that keep the alarm (or stop a
// combine adding a kind).
func TestEmojiChangeNothing(t *testing.T) {
	b := builtin(t)
	m, err := risk.Compile(b.Risk.Languages, b.DefaultLang)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"i want to die", "i want to kill myself", "i keep cutting myself", "he hits me every night"} {
		plain := m.Assess(s)
		if !plain.Risk() {
			t.Fatalf("%q: no risk", s)
		}
		for _, e := range []string{" 😭", " 😭😭😭", " 🙂", "💀", " 😂", " ❤️"} {
			got := m.Assess(s + e)
			if diff := cmpAssess(plain, got); diff != "" {
				t.Errorf("%q: %s", s+e, diff)
			}
			for _, x := range m.Explain(s + e) {
				if x.Context != "" && x.Kind == "" && !x.Keeps && !x.Stops {
					t.Errorf("%q: a cue lowers it: %+v", s+e, x)
				}
			}
		}
	}
}

func cmpAssess(want, got risk.Assessment) string {
	w, g := want.Kinds(), got.Kinds()
	if strings.Join(kindStrings(w), ",") != strings.Join(kindStrings(g), ",") || want.Risk() != got.Risk() {
		return "with the emoji " + strings.Join(kindStrings(g), ",") + ", without " + strings.Join(kindStrings(w), ",")
	}
	return ""
}

func kindStrings(ks []risk.Kind) []string {
	var out []string
	for _, k := range ks {
		out = append(out, string(k))
	}
	return out
}

// TestLearnedHeedsDenials: a denial of harm done to the writer ("he didn't
// touch me") raises nothing, though the learned reader, which cannot read
// a denial, scores its words; disclosures made of negations keep their
// alarm.
func TestLearnedHeedsDenials(t *testing.T) {
	b := builtin(t)
	for _, s := range []string{
		"he didnt touch me",
		"he dint touch me",
		"he never forced me",
		"my stepdad has never touched me",
		"she didnt hit me",
		"they didn't force me.",
	} {
		if a := b.Assess("en", s); a.Risk() {
			t.Errorf("%q: %+v, want no alarm", s, a.Findings)
		}
	}
	for _, s := range []string{
		"he wont let me leave",
		"i dont want to live",
		"i cant stop cutting myself",
		"i cant stop cutting",
		"he won't give me my phone back and i can't get out",
		// A longer message keeps what the learned line finds beside a
		// clause it cuts.
		"mums new partner keeps walking in when im in the shower, im 16, she doesnt believe me",
	} {
		if a := b.Assess("en", s); !a.Risk() {
			t.Errorf("%q: no alarm", s)
		}
	}
}

// TestUndenied holds what the learned reader is given to read again: a
// denial of something done to the writer taken out, every other negation
// left.
func TestUndenied(t *testing.T) {
	b := builtin(t)
	m, err := risk.Compile(b.Risk.Languages, b.DefaultLang)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ text, want string }{
		{"he didnt touch me", "he"},
		{"He never forced me. I feel odd", "He . I feel odd"},
		{"he has never once forced me", "he has"},
		{"he didn’t touch me", "he"},
	} {
		got, cut := m.Undenied(c.text)
		if words := strings.Join(strings.Fields(got), " "); !cut || words != c.want {
			t.Errorf("Undenied(%q) = %q, %v; want the words %q", c.text, got, cut, c.want)
		}
	}
	for _, s := range []string{
		"he wont let me leave",
		"i dont want to wake up",
		"i didnt agree to it",
		"he never touched me but he made me do stuff",
		"he didnt give me my phone back",
		"i said no he raped me",
		"nobody would miss me",
	} {
		if got, cut := m.Undenied(s); cut {
			t.Errorf("Undenied(%q) = %q: nothing should be taken out", s, got)
		}
	}
}

// TestJoiningHyphen: a hyphen between two letters joins the words of one
// clause ("să-mi", "n-am"), so a denial before it reaches what follows; a
// dash with space around it still sets a clause apart.
func TestJoiningHyphen(t *testing.T) {
	sh, da := []risk.Kind{risk.SelfHarm}, []risk.Kind{risk.DomesticAbuse}
	runEngineCases(t, []engineCase{
		{name: "ro denied, hyphen", text: "nu vreau sa-mi fac rau, sunt doar obosita", denied: true},
		{name: "ro denied, accents", text: "n-am de gând să-mi fac rău", denied: true},
		{name: "ro wanted, hyphen", text: "vreau sa-mi fac rau in seara asta", want: sh},
		{name: "en denied, hyphen", text: "i would never self-harm again", denied: true},
		{name: "en spaced dash sets a clause apart", text: "im not ok - he hits me when hes drunk", want: da},
	})
}
