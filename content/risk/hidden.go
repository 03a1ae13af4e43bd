package risk

import "sort"

// How a word that hides letters is read. People hide the letters of words
// they feel they should not write ("r*ped", "k*ll myself", "su*cide",
// "f***ing", "f#ck"). The splitter keeps such a word whole, with a '*' for
// each hidden letter, when the marks stand between letters (normalise.go).
// The word is then read as the words the matcher knows that it may spell:
// each '*' is one letter, and a letter written again just after one stands
// for the same letter twice ("ki*l" is "kill"). Of the words it may spell,
// one is read (hiddenRank), and any word beginning it may spell besides.
// A word that spells no word the matcher knows is read as the words on
// either side of its marks, as before: markdown ("*bold*", "**note**"),
// sums ("5*3") and ratings ("5*") never stand between two letters, and
// "snake_case" spells nothing.

// hiddenWord is a word the matcher knows, as a hidden-letter word is
// compared with it.
type hiddenWord struct {
	runes []rune
	w     *word   // nil for a word beginning
	ids   []int32 // a word beginning's lemmas
}

type hiddenKey struct {
	first, last rune
	n           int
}

// hiddenIndex holds the words and word beginnings a word that hides
// letters may spell.
type hiddenIndex struct {
	words  map[hiddenKey][]hiddenWord // by first and last letter and length in letters
	begins map[rune][]hiddenWord      // word beginnings, by first letter
}

// maxHidden is the most letters, hidden or not, of a word read this way,
// and maxHiddenLetters the most hidden ("f***ing" hides three).
const (
	maxHidden        = fuzzyMax
	maxHiddenLetters = 4
)

// buildHidden indexes every word form with a role (a lemma, a role in a
// language, text speak, a join) and every word beginning.
func (m *Matcher) buildHidden() {
	x := &m.hidden
	x.words = map[hiddenKey][]hiddenWord{}
	x.begins = map[rune][]hiddenWord{}
	texts := make([]string, 0, len(m.words))
	for s, w := range m.words {
		if len(w.lemmas) > 0 || w.any != 0 || w.expand != nil || w.joinTo != nil {
			texts = append(texts, s)
		}
	}
	sort.Strings(texts)
	for _, s := range texts {
		rs := []rune(s)
		if len(rs) < 3 || len(rs) > maxHidden {
			continue // two letters and a hidden one at least
		}
		k := hiddenKey{rs[0], rs[len(rs)-1], len(rs)}
		x.words[k] = append(x.words[k], hiddenWord{runes: rs, w: m.words[s]})
	}
	texts = texts[:0]
	for s := range m.prefixes {
		texts = append(texts, s)
	}
	sort.Strings(texts)
	for _, s := range texts {
		rs := []rune(s)
		if len(rs) < 3 || len(rs) > maxHidden {
			continue
		}
		x.begins[rs[0]] = append(x.begins[rs[0]], hiddenWord{runes: rs, ids: m.prefixes[s]})
	}
}

// spellsHidden reports whether b, a word with a '*' for each hidden
// letter, spells a word or word beginning the matcher knows, and keeps what
// it spells in st.hidden for the word's reading.
func (st *state) spellsHidden(b []byte) bool {
	st.hidden = tok{}
	return st.m.lookupHidden(&st.hidden, b)
}

// lookupHidden reads b, a word with a '*' for each hidden letter, as the
// word it spells, setting t's word form and word beginnings. It reports
// whether b spells any word or beginning the matcher knows.
func (m *Matcher) lookupHidden(t *tok, b []byte) bool {
	var buf [maxHidden]rune
	n, hidden := 0, 0
	for _, r := range string(b) {
		if n == len(buf) {
			return false
		}
		buf[n] = r
		n++
		if r == hiddenMark {
			hidden++
		}
	}
	p := buf[:n]
	if hidden == 0 || hidden > n-hidden || hidden > maxHiddenLetters || p[0] == hiddenMark {
		return false // more hidden letters than shown: too little to go on
	}
	x := &m.hidden
	var best *word
	var bestRank hiddenRank
	addIDs := func(ids []int32) {
		for _, id := range ids {
			if t.nprefix < maxPrefixes {
				t.prefix[t.nprefix] = id
				t.nprefix++
			}
		}
	}
	// A letter written again after a hidden one stands for no letter of
	// the word ("ki*l"), so the word may be one letter shorter than b.
	for l := n; l >= n-1 && l >= 3; l-- {
		for _, c := range x.words[hiddenKey{p[0], p[n-1], l}] {
			cost := hiddenCost(p, c.runes)
			if cost < 0 {
				continue
			}
			r := m.rankHidden(c.w, cost/hiddenAgain, cost%hiddenAgain)
			switch order := r.compare(bestRank); {
			case best == nil || order < 0:
				best, bestRank = c.w, r
				t.nprefix = 0
			case order == 0:
				addIDs(c.w.lemmas)
			}
		}
	}
	if best != nil {
		t.w = best
	}
	found := best != nil
	for _, c := range x.begins[p[0]] {
		if len(c.runes) <= n && beginsWith(p, c.runes) {
			addIDs(c.ids)
			found = true
		}
	}
	return found
}

// hiddenRank orders the words a word hiding letters may spell:
//
//  1. a word as long as it is before one it spells only by a letter
//     written again ("ki**ing" is "kissing" before "killing", "kiling");
//  2. a word with a role in the default language (a filler such as
//     "fucking", a word for someone) or listed as ordinary in any ("shit")
//     before a word of the phrases only: these are the commonest words,
//     and people hide the letters of swearing most;
//  3. a word the phrases write as it is before a form made from one
//     ("r*ped" is "raped" before "roped", a form of "rope");
//  4. the fewest consonants hidden (people hide vowels: "b*at" is "beat"
//     before "brat").
//
// Words that rank alike are all read: the first in the order of their
// letters as the word form, the others by their lemmas ("k*ll" is "kill"
// and the Turkish "kal", "s*x" is "sex" and "six").
type hiddenRank struct {
	again, consonants int
	role, written     bool
}

func (m *Matcher) rankHidden(w *word, again, consonants int) hiddenRank {
	r := hiddenRank{again: again, consonants: consonants, role: w.any&flagOrdinary != 0 || w.in(m.def, m.def) != 0}
	for _, id := range w.lemmas {
		r.written = r.written || m.lemmas[id] == w.text
	}
	return r
}

// compare is -1 when r ranks before o, 1 when after and 0 when alike.
func (r hiddenRank) compare(o hiddenRank) int {
	switch {
	case r.again != o.again:
		return cmpInt(r.again, o.again)
	case r.role != o.role:
		if r.role {
			return -1
		}
		return 1
	case r.written != o.written:
		if r.written {
			return -1
		}
		return 1
	}
	return cmpInt(r.consonants, o.consonants)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// beginsWith reports whether pattern p, of letters and a '*' for each
// hidden letter, begins with the word beginning w, letter for letter.
func beginsWith(p, w []rune) bool {
	for i, r := range w {
		if p[i] != r && p[i] != hiddenMark {
			return false
		}
	}
	return true
}

// hiddenCost is how far pattern p, of letters and a '*' for each hidden
// letter, is from spelling w, as long as p or one letter shorter, or -1
// when it cannot spell w: hiddenAgain for a letter written again after a
// hidden one ("ki*l" is "kill", which reads as "kil"), plus the consonants
// hidden.
func hiddenCost(p, w []rune) int {
	if len(p) == len(w) {
		return letterForLetter(p, w)
	}
	if len(p) != len(w)+1 {
		return -1
	}
	best := -1
	for k := 1; k < len(p); k++ {
		// p[k], just after a hidden letter, is that letter again.
		if p[k] == hiddenMark || p[k-1] != hiddenMark || w[k-1] != p[k] {
			continue
		}
		a, b := letterForLetter(p[:k], w[:k]), letterForLetter(p[k+1:], w[k:])
		if a >= 0 && b >= 0 && (best < 0 || a+b+hiddenAgain < best) {
			best = a + b + hiddenAgain
		}
	}
	return best
}

// letterForLetter is the consonants p hides when it spells w letter for
// letter, or -1 when it does not.
func letterForLetter(p, w []rune) int {
	cost := 0
	for i, r := range p {
		switch {
		case r == hiddenMark:
			cost += consonant(w[i])
		case r != w[i]:
			return -1
		}
	}
	return cost
}

// hiddenAgain weighs a letter written again above any number of
// consonants hidden.
const hiddenAgain = maxHidden + 1

// consonant is 1 for a letter other than a vowel, 0 for a vowel.
func consonant(r rune) int {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return 0
	}
	return 1
}
