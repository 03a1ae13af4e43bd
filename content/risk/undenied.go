package risk

import (
	"strings"
	"unicode/utf8"
)

// Undenied returns text without the denials of harm done to the writer
// that it holds, and whether any was taken out: the learned reader, which
// cannot read a denial, adds nothing to a message that is all but those. Such a denial is a clause
// that tells of someone not doing one thing to the writer and ends there:
// a negator of the default language after a word for someone else, or
// opening its clause, then within the denial's reach one word that is
// not a bridge or filler, then a word for the writer ending the clause
// ("he didn't touch me", "he has never forced me", "never hurt me."). What
// is taken out runs from the negator to the word for the writer. A
// contrast after it in its sentence ("he never touched me but he made me
// do stuff") is the writer playing harm down, as the denial rule reads it:
// left in. A negator that is a word of a phrase found, or a
// refusal reported ("I said no"), is left in; so is a clause going on
// after the writer ("he won't let me leave", "he didn't give me my phone
// back"), and every other negation ("I don't want to wake up", "I didn't
// agree to it"), since those are what a disclosure is made of.
func (m *Matcher) Undenied(text string) (string, bool) {
	if m == nil {
		return text, false
	}
	st := states.Get().(*state)
	defer states.Put(st)
	var spans [][2]int32
	st.spans = &spans
	m.read(st, text)
	st.spans = nil
	m.runBoth(st)
	toks := st.toks
	var cuts [][2]int32
	lang := m.def
	passable := flagBridge | flagFiller
	for j := range toks {
		t := &toks[j]
		if t.w == nil || t.inPhrase || t.flags(lang, m.def)&flagNegator == 0 || m.saidWord(toks, j, lang) {
			continue
		}
		// The subject: someone else, or nothing, before the negator.
		i := j - 1
		for n := 0; i >= 0 && toks[i].clause == t.clause && n < negationReach && toks[i].flags(lang, m.def)&passable != 0; n++ {
			i--
		}
		if i >= 0 && toks[i].clause == t.clause {
			if f := toks[i].flags(lang, m.def); f&flagOther == 0 || f&flagSelf != 0 {
				continue
			}
		}
		// One word done, then the writer, closing the clause.
		k := j + 1
		for n := 0; k < len(toks) && toks[k].clause == t.clause && n < negationReach && toks[k].flags(lang, m.def)&passable != 0; n++ {
			k++
		}
		me := k + 1
		if me >= len(toks) || toks[k].clause != t.clause || toks[me].clause != t.clause || toks[k].inPhrase {
			continue
		}
		if f := toks[me].flags(lang, m.def); f&flagSelf == 0 || f&flagOwner != 0 {
			continue
		}
		if me+1 < len(toks) && toks[me+1].clause == t.clause || m.contrastAfter(toks, me, lang) {
			continue
		}
		cuts = append(cuts, [2]int32{spans[j][0], spans[me][1]})
	}
	if len(cuts) == 0 {
		return text, false
	}
	// The folded runes are the text's runes less those dropped: where each
	// begins in the text.
	at := make([]int, 0, len(text)+1)
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if r < utf8.RuneSelf || !dropped(r) {
			at = append(at, i)
		}
		i += size
	}
	at = append(at, len(text))
	var b strings.Builder
	last := 0
	for _, c := range cuts {
		from, to := at[min(int(c[0]), len(at)-1)], at[min(int(c[1]), len(at)-1)]
		if from < last {
			from = last
		}
		if to <= from {
			continue
		}
		b.WriteString(text[last:from])
		b.WriteByte(' ')
		last = to
	}
	b.WriteString(text[last:])
	return b.String(), true
}
