package risk

import (
	"slices"
	"testing"
)

// pairCases are risk told over two sentences, which no phrase reads
// alone, and their near misses: the same setups with an ordinary
// completion, the completion alone, the two in the wrong order or a
// sentence apart, and a completion denied.
var pairCases = []struct {
	text string
	want Kind // "" for no risk
}{
	// Holding on, then no longer able to.
	{"I tried to hold on. I can't anymore", Suicide},
	{"ive been holding on for so long. no fight left in me", Suicide},
	{"Tried so hard to stay strong for my kids. I give up", Suicide},
	{"I can't anymore", ""},
	{"I tried to hold on to the rope in PE. I can't climb it anymore", ""},
	{"I can't anymore. I tried to hold on.", ""},
	{"I tried to hold on. Then the bus came. I can't anymore", ""},
	{"I've been fighting this cold for so long. I'm not done yet", ""},
	{"He intentado aguantar. Ya no puedo más", Suicide},
	{"He intentado aguantar el examen. Ya no puedo más con el calor, voy a la playa", ""},
	{"Tentei tanto ser forte. Não aguento mais", Suicide},
	{"Tentei tanto ser forte no treino. Não aguento mais correr hoje", ""},
	// Things given away, then not needed where the writer is going.
	{"Gave my dog to my sister today. Won't be needing him where I'm going.", Suicide},
	{"gave all my games to my cousin. wont need them after this week", Suicide},
	{"Gave my old bike to my nephew. Won't be needing it now I've got a car.", ""},
	{"Won't be needing him where I'm going. Gave my dog to my sister today.", ""},
	// Shut away for days, then goodbyes or things put in order; someone
	// else's when the setup or the goodbye is theirs.
	{"I haven't left my room in 4 days. Deleted all my accounts this morning", Suicide},
	{"my brother hasnt come out of his room for 3 days. he deleted all his accounts last night", SomeoneElse},
	{"I haven't left my room in 4 days, flu is awful. Deleted all my old photos off the cloud", ""},
	// Marks given an everyday cause, then the cause taken back.
	{"the plasters are from the gym. They're not.", SelfHarm},
	{"my girlfriend thinks the bruises are from rugby. theyre from me", SelfHarm},
	{"my sister says her cuts are from the cat. they're not.", SomeoneElse},
	{"My wife thinks the bruises are from work. They're not.", SelfHarm},
	{"the bruises are from rugby. they're not too bad though", ""},
	{"the marks are from the gym. I did them on the rowing machine", ""},
}

// TestPairsAcrossSentences holds the pairs of the English risk model to
// the cases above: a disclosure's kind found, and a near miss's no risk
// of the rules.
func TestPairsAcrossSentences(t *testing.T) {
	m, _ := builtinModel(t)
	for _, c := range pairCases {
		a := m.Assess(c.text)
		switch {
		case c.want == "" && a.Risk():
			t.Errorf("%q: found %v, want no risk", c.text, a.Kinds())
		case c.want != "" && !slices.Contains(a.Kinds(), c.want):
			t.Errorf("%q: found %v, want %s", c.text, a.Kinds(), c.want)
		case c.want == SelfHarm || c.want == Suicide:
			if slices.Contains(a.Kinds(), SomeoneElse) {
				t.Errorf("%q: found %v, want the writer's own", c.text, a.Kinds())
			}
		}
	}
}

// TestPairsNeedBothCues holds that the pairs add what they find and
// nothing else: with the pairs taken out, no case above is risk, so every
// disclosure there is the pair's.
func TestPairsNeedBothCues(t *testing.T) {
	m, _ := builtinModel(t)
	off := *m
	off.pairs = nil
	for _, c := range pairCases {
		if a := off.Assess(c.text); a.Risk() {
			t.Errorf("%q: found %v without the pairs", c.text, a.Kinds())
		}
	}
}
