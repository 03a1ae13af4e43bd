package risk

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// TestAnchorsChangeNothing reads the evaluation sets, and misspellings of
// them, with each phrase anchored on its least frequent element and on the
// element the matcher anchored on before (the one whose rarest word was
// longest, function and common words counting as shortest): every finding
// must be the same, and Explain must list the same phrases, though in the
// order and number of the anchors they are found at. Where a phrase is
// anchored can matter in principle: what marks someone else is read along
// the first way found.
func TestAnchorsChangeNothing(t *testing.T) {
	m, before := anchoredTwoWays(t)
	_, texts := builtinModel(t)
	moved := 0
	for id := range m.anchorList {
		if len(m.anchorList[id]) != len(before.anchorList[id]) {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("no anchor moved: the comparison shows nothing")
	}
	explain := func(m *Matcher, s string) []string {
		var out []string
		for _, x := range m.Explain(s) {
			out = append(out, fmt.Sprintf("%+v", x))
		}
		sort.Strings(out)
		return slices.Compact(out)
	}
	r := rand.New(rand.NewSource(2))
	var all []string
	for _, c := range othersBesideTheMatch {
		texts = append(texts, c.text)
	}
	for _, c := range pairCases {
		texts = append(texts, c.text)
	}
	for _, s := range texts {
		all = append(all, misspell(r, s)...)
	}
	all = append(all, strings.Join(texts, " "))
	for _, s := range thinUnderRace(all) {
		got := fmt.Sprintf("%+v %v", m.Assess(s), explain(m, s))
		want := fmt.Sprintf("%+v %v", before.Assess(s), explain(before, s))
		if got != want {
			t.Fatalf("%q:\nleast frequent anchor %s\nanchor of before      %s", s, got, want)
		}
	}
}

var (
	anchoredOnce          sync.Once
	anchoredM, anchoredBe *Matcher
	anchoredErr           error
)

// anchoredTwoWays is the content's risk model anchored on each phrase's
// least frequent element (as compiled), and a copy of it anchored on the
// element the matcher anchored on before, made once for the tests below,
// which only read them. The two share their words, and listing the copy's
// anchors marks words on both, so they are compiled apart from the matcher
// builtinModel shares.
func anchoredTwoWays(t testing.TB) (m, before *Matcher) {
	t.Helper()
	anchoredOnce.Do(func() {
		var err error
		if anchoredM, _, err = loadBuiltin(); err != nil {
			anchoredErr = err
			return
		}
		b := *anchoredM
		b.listAnchors(b.longestRarestElement)
		b.buildNeeds()
		anchoredBe = &b
	})
	if anchoredErr != nil {
		t.Fatal(anchoredErr)
	}
	return anchoredM, anchoredBe
}

// othersBesideTheMatch are messages where a word for someone else stands
// where an element of a phrase could be but no whole match goes through it
// ("shes" for the "im" of "... me ... im 12"): the match is the writer's,
// whichever element the phrase is anchored on.
var othersBesideTheMatch = []struct {
	text string
	want Kind
}{
	{"my nans partner touches me when shes at bingo, im 12", ChildAbuse},
	{"my grandads wife touches me when hes down the pub im 13", ChildAbuse},
	{"my stepdad touches me when shes on nights, i am 11", ChildAbuse},
	{"my uncle keeps touching me whenever theyre out, im only 14", ChildAbuse},
	{"my mums boyfriend hits me when shes at work im 10", ChildAbuse},
	// An article ("la") that is also the third person of the writer's
	// "me", the only word in the gaps joining the parent to the later
	// verb, with "me" standing beside it: the writer's reading wins.
	{"tengo 16 anos y mi madre me pega con la zapatilla y me encierra", ChildAbuse},
}

// TestThirdPersonWithoutTheWriter holds the near miss of the last message
// above: where no word for the writer stands beside the third person's,
// the match is still someone else's, with either anchor.
func TestThirdPersonWithoutTheWriter(t *testing.T) {
	m, before := anchoredTwoWays(t)
	for _, text := range []string{
		"mi madre la pega con la zapatilla y la encierra",
		"mi padrastro le pega con el cinturon a mi hermana y la encierra",
	} {
		for name, mm := range map[string]*Matcher{"least frequent": m, "before": before} {
			if got := mm.Assess(text).Kinds(); !slices.Contains(got, SomeoneElse) {
				t.Errorf("%q, anchored on the %s element: %v, want someone_else", text, name, got)
			}
		}
	}
}

// TestOthersBesideTheMatch holds the messages above to the writer's own
// kind, and no worry about someone else, with either anchor.
func TestOthersBesideTheMatch(t *testing.T) {
	m, before := anchoredTwoWays(t)
	for _, c := range othersBesideTheMatch {
		for name, mm := range map[string]*Matcher{"least frequent": m, "before": before} {
			if got := mm.Assess(c.text).Kinds(); !slices.Contains(got, c.want) || slices.Contains(got, SomeoneElse) {
				t.Errorf("%q, anchored on the %s element: %v, want %v", c.text, name, got, c.want)
			}
		}
	}
}

// longestRarestElement is the anchor of before: the element whose rarest
// alternative scores highest, a word scoring its length plus 2, a common
// word 2 and a function word or number 1.
func (m *Matcher) longestRarestElement(p *phrase) int {
	score := func(id int32) int {
		s := m.lemmas[id]
		switch w := m.words[s]; {
		case common[s]:
			return 2
		case s == "#", w != nil && w.any&(flagFiller|flagNegator|flagBridge|flagSelf|flagOther) != 0:
			return 1
		}
		return utf8.RuneCountInString(s) + 2
	}
	best, bestScore := -1, -1
	for i, e := range p.elems {
		if e.optional {
			continue
		}
		rarest := 0
		for _, a := range e.alts {
			firsts := []alt{a}
			if a.seq != nil {
				firsts = a.seq[0].alts
			}
			for _, f := range firsts {
				if s := score(f.lemma); rarest == 0 || s < rarest {
					rarest = s
				}
			}
		}
		if rarest > bestScore {
			best, bestScore = i, rarest
		}
	}
	return best
}
