package risk

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
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
	m, texts := builtinModel(t)
	before := *m
	before.listAnchors(before.longestRarestElement)
	before.buildNeeds()
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
	for _, s := range texts {
		all = append(all, misspell(r, s)...)
	}
	all = append(all, strings.Join(texts, " "))
	for _, s := range all {
		got := fmt.Sprintf("%+v %v", m.Assess(s), explain(m, s))
		want := fmt.Sprintf("%+v %v", before.Assess(s), explain(&before, s))
		if got != want {
			t.Fatalf("%q:\nleast frequent anchor %s\nanchor of before      %s", s, got, want)
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
