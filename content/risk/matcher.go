package risk

import (
	"strings"
	"sync"
)

// How a message is read, after its words are normalised (normalise.go):
//
//  1. Each word is looked up among the word forms of every phrase; text
//     speak is replaced by the words it stands for ("kms" by "kill
//     myself"); a word that begins like a written word beginning ("zabi*")
//     matches it; an unknown word of six letters or more that is one edit
//     from a long risk word (two for nine letters or more) is read as that
//     word ("suicidel"), unless it is listed as ordinary ("hopeless" is not
//     "homeless").
//  2. Exclusions are matched first. The words of an idiom ("dying to",
//     "killing it", "cut the grass") are hidden from the kinds the exclusion
//     names, so no phrase of those kinds may use them.
//  3. Phrases are matched word by word within one sentence. Fillers
//     ("just", "really") may stand anywhere between the words of a phrase;
//     "..." lets up to four other words stand there.
//  4. The denial rule: a match is denied when a negator ("not", "never",
//     "no", "don't") comes before it in the same clause with nothing
//     between them but bridges ("am", "feeling", "going to") and fillers,
//     at most four words. A phrase that itself begins with a negator ("don't
//     want to live") is not denied by it, nor is a match after a refusal
//     reported: a negator just after a verb of saying, or after one and a
//     word for someone ("I said no he kept going", "told him no"), is what
//     was said, not a denial. In a language that lists contrasts, a
//     negator between a phrase's subject and its next word denies it too
//     ("he has never hurt me"), unless a contrast follows ("...but he
//     punches the wall"). A kind found only in denied matches is Negated:
//     a gentle response and no alarm.
//  5. The subject: a match that uses a word for someone else in place of the
//     writer ("kill herself" for "kill myself"), read along one way through
//     the match whichever element it was anchored on (path.go), is about
//     someone else; so is
//     a match with no word for either whose nearest subject before it in the
//     sentence names someone else ("my friend ... wants to die"). Thoughts of
//     suicide or self-harm about someone else are someone_else only; any
//     other kind about someone else is that kind and someone_else.
//  6. Pairs (pair.go): a cue of a pair's setup in one sentence and of its
//     completion in the next, each read as a phrase in its own sentence
//     (denied, put in the past or lowered there, it counts for nothing),
//     add the pair's kind: what a phrase never does, read across one
//     sentence's end.
//
// Every step looks at a bounded number of words around each word, so reading
// takes time in proportion to the length of the message.

const (
	fuzzyMin      = 6  // letters a word needs before a misspelling is read
	fuzzyMin2     = 9  // letters a word needs for two edits
	fuzzyMax      = 24 // letters beyond which no misspelling is read
	negationReach = 4
	subjectReach  = 8
	overReach     = 14
	// overOpens is how near the start of the next sentence a cue that
	// things are over must begin to reach back.
	overOpens  = 4
	maxFillers = 4 // fillers skipped between two words of a phrase
)

type tok struct {
	w       *word
	prefix  [maxPrefixes]int32
	nprefix uint8
	number  bool
	many    bool // a number of ten or more
	sent    int32
	clause  int32
	blocked uint16
	// expanded is set for a word text speak stood for: "kms" says nothing
	// of whose life, so its "myself" does not name the writer.
	expanded bool
	// written is the word as written when the lexicon rewrote it as one
	// other word: its roles in a language still count ("mam" is "mum" to
	// the English lexicon, but "I have" to Polish, whose selves list it).
	written *word
	// over is set on the words of a cue that puts what came before in the
	// past ("but not now", "years ago but I'm better").
	over bool
	// inPhrase is set on the words of a phrase found (Undenied).
	inPhrase bool
	// lowered holds the contexts whose cues reach this word (context.go).
	lowered uint16
}

// flags are t's roles in language lang.
func (t *tok) flags(lang, def uint8) wordFlags {
	if t.w == nil {
		return 0
	}
	if t.expanded {
		f := t.w.in(lang, def) &^ flagSelf
		if t.written != nil {
			f |= t.written.in(lang, def)
		}
		return f
	}
	return t.w.in(lang, def)
}

// has reports whether t is the word of lemma id.
func (m *Matcher) has(t *tok, id int32) bool {
	if id == m.number {
		return t.many
	}
	for i := uint8(0); i < t.nprefix; i++ {
		if t.prefix[i] == id {
			return true
		}
	}
	if t.w != nil {
		for _, l := range t.w.lemmas {
			if l == id {
				return true
			}
		}
	}
	return false
}

type state struct {
	split wordSplitter
	toks  []tok
	used  []int32
	// pathWay and pathFail are path's way through a match and the gaps
	// that failed at each element and word.
	pathWay  []waySpan
	pathFail []int16
	// reachA and reachB hold the words an element of a phrase may be at.
	reachA, reachB []reach
	// cands are the alternatives of an element a word may begin or end
	// (altIndex.candidates).
	cands []int32
	// seen and stamp tell which lemmas the sentence being read holds
	// (presence.go).
	seen  []uint32
	stamp uint32
	bloom bloom
	// explain, when set, collects every match.
	explain *[]Match
	// spans, when set, collects where each word stands among the folded
	// runes of the text (Undenied).
	spans *[][2]int32
	keep  []keepMark // sentences where context cues are overruled
	// idioms are the exclusions found, whose words are hidden once the
	// contexts are settled; idiomWords holds their words.
	idioms     []idiomMark
	idiomWords []int32
	// pairs are the cues of pairs found in the sentence being read and
	// the one before (pair.go).
	pairs pairMarks
	// other holds the marks of a second sentence (runBoth); ni and nk
	// are the idioms and keep marks settled so far.
	other  marks
	ni, nk int
	// m is the matcher reading with the state now, and hidden what the
	// word being read, which hides letters, spells (hidden.go).
	m      *Matcher
	hidden tok
	with   uint32 // the combine rules whose cues were found
	stops  uint32 // the combine rules whose Unless cues were found
	found  [16]struct {
		pos, neg bool
		lang     string
	}
}

var states = sync.Pool{New: func() any { return new(state) }}

// Assess reads text for risk. Lang in the result is the language of the
// phrase that found the leading kind.
func (m *Matcher) Assess(text string) Assessment {
	if m == nil {
		return Assessment{}
	}
	st := m.begin(text)
	defer states.Put(st)
	m.runBoth(st)
	m.combine(st)
	return st.assessment()
}

// begin takes a state from the pool with text read into it and nothing
// found yet; it goes back with states.Put.
func (m *Matcher) begin(text string) *state {
	st := states.Get().(*state)
	m.read(st, text)
	st.found = [16]struct {
		pos, neg bool
		lang     string
	}{}
	return st
}

// assessment is what st found, kind by kind.
func (st *state) assessment() Assessment {
	var a Assessment
	for i, k := range Kinds {
		f := st.found[i]
		if !f.pos && !f.neg {
			continue
		}
		if f.pos && !a.Risk() || len(a.Findings) == 0 {
			a.Lang = f.lang
		}
		a.Findings = append(a.Findings, Finding{Kind: k, Negated: !f.pos})
	}
	return a
}

// read splits text into words and looks each up.
func (m *Matcher) read(st *state, text string) {
	st.toks = st.toks[:0]
	var sent, clause int32
	st.m = m
	if st.split.spells == nil {
		st.split.spells = st.spellsHidden // once for each state: a method value is made on the heap
	}
	st.split.split(text, func(b []byte, number bool, bd boundary) {
		switch bd {
		case newSentence:
			sent++
			clause++
		case newClause:
			clause++
		}
		if len(st.toks) >= maxWords {
			return
		}
		t := tok{number: number, many: number && atLeastTen(b), sent: sent, clause: clause}
		var plain bool
		if st.split.hidden {
			t.w, t.prefix, t.nprefix = st.hidden.w, st.hidden.prefix, st.hidden.nprefix
			plain = true
		} else {
			plain = m.lookup(&t, b, number)
		}
		if n := len(st.toks); n > 0 && bd == sameClause && t.w != nil && t.w.joinTo != nil {
			// "my self" is "myself", "self harm" is "selfharm"...
			if prev := &st.toks[n-1]; prev.w != nil && prev.w.text == t.w.joinAfter {
				prev.w = t.w.joinTo
				if st.spans != nil {
					(*st.spans)[n-1][1] = st.split.to
				}
				return
			}
		}
		if t.w != nil && t.w.expand != nil {
			for _, e := range t.w.expand {
				et := t
				et.w = e
				et.nprefix = 0 // what text speak stands for is not a word beginning
				et.expanded = true
				if len(t.w.expand) == 1 {
					et.written = t.w
				}
				et.number = number && len(t.w.expand) == 1
				et.many = et.number && t.many
				st.toks = append(st.toks, et)
				if st.spans != nil {
					*st.spans = append(*st.spans, [2]int32{st.split.from, st.split.to})
				}
			}
			return
		}
		// A word unknown, or known only as a form no phrase holds, may be a
		// misspelt risk word; a word a language lists in a role (a bridge,
		// a negator, a word for someone) is known as it is: Somali
		// "fikirayo" (thinking), a bridge, is not "fikiray" (thought).
		if !number && !plain && t.nprefix == 0 && (t.w == nil || len(t.w.lemmas) == 0 && t.w.any == 0) {
			if w := m.fuzzyLookup(b); w != nil {
				t.w = w
			}
		}
		st.toks = append(st.toks, t)
		if st.spans != nil {
			*st.spans = append(*st.spans, [2]int32{st.split.from, st.split.to})
		}
	})
}

// maxWords bounds the words read from one message: a megabyte of text is
// read up to its first quarter million words.
const maxWords = 1 << 18

// run matches the exclusions (first) or the phrases at every word.
func (m *Matcher) run(st *state, exclusions bool) {
	toks := st.toks
	st.resetPairs()
	for i := 0; i < len(toks); {
		end := sentenceEnd(toks, i)
		st.markSentence(m, i)
		m.runPass(st, exclusions, i, end)
		if !exclusions && m.pairs != nil {
			m.joinPairs(st)
		}
		i = end
	}
}

// sentenceEnd is the index of the first word after the sentence of word i.
func sentenceEnd(toks []tok, i int) int {
	s := toks[i].sent
	for i++; i < len(toks) && toks[i].sent == s; i++ {
	}
	return i
}

// runBoth is run with the exclusions, settle, and run with the phrases, a
// sentence at a time, so that each sentence's lemmas are marked once for
// both. Everything the exclusions and cues do stays in their sentence, and
// settle's work for one sentence needs only that sentence's, with one
// exception: a phrase may be put in the past by a cue opening the next
// sentence (overAfter). So the exclusions read one sentence ahead of the
// phrases, the marks of the two sentences kept apart (st.other), and the
// result is the one of the three passes in turn (TestRunBothIsThreePasses).
func (m *Matcher) runBoth(st *state) {
	toks := st.toks
	st.ni, st.nk = 0, 0
	st.resetPairs()
	next := 0 // the end of the sentence the exclusions were last read in
	if len(toks) > 0 {
		next = sentenceEnd(toks, 0)
		st.markSentence(m, 0)
		m.runPass(st, true, 0, next)
	}
	for i := 0; i < len(toks); {
		end := next
		if end < len(toks) {
			next = sentenceEnd(toks, end)
			st.swapMarks()
			st.markSentence(m, end)
			m.runPass(st, true, end, next)
			st.swapMarks()
		}
		settleSentence(st, i, end)
		m.runPass(st, false, i, end)
		if m.pairs != nil {
			m.joinPairs(st) // risk told over this sentence and the one before
		}
		st.swapMarks() // the next sentence's marks are read next
		i = end
	}
	st.idioms, st.idiomWords, st.keep = st.idioms[:0], st.idiomWords[:0], st.keep[:0]
}

// runPass matches the exclusions and context cues, or the phrases, at
// words from to end, of one sentence, whose lemmas are marked.
func (m *Matcher) runPass(st *state, exclusions bool, from, end int) {
	if exclusions {
		m.runWords(st, m.exclAnchors, anchorsExcl, from, end)
		return
	}
	m.runWords(st, m.anchorList, anchorsPhrase, from, end)
}

// runWords tries the phrases lists holds by anchor, which words marked
// has may anchor, at words from to end, of one sentence, whose lemmas are
// marked.
func (m *Matcher) runWords(st *state, lists [][]anchor, has uint8, from, end int) {
	toks := st.toks[:end]
	for i := from; i < end; i++ {
		t := &toks[i]
		// Most lemmas anchor nothing: those are passed over here, and most
		// words (word.anchors) without reading their lemmas.
		if t.many && int(m.number) < len(lists) {
			m.tryAnchored(st, lists[m.number], i)
		}
		for j := uint8(0); j < t.nprefix; j++ {
			if id := t.prefix[j]; int(id) < len(lists) && len(lists[id]) > 0 {
				m.tryAnchored(st, lists[id], i)
			}
		}
		if w := t.w; w != nil && w.anchors&has != 0 {
			for _, id := range w.lemmas {
				if as := lists[id]; len(as) > 0 && (as[0].rest.meets(st.bloom) || !shortcuts) {
					m.tryAnchored(st, as, i)
				}
			}
		}
	}
}

// tryAnchored tries, at word i, the phrases anchored there (as) that the
// sentence may hold.
func (m *Matcher) tryAnchored(st *state, as []anchor, i int) {
	bloom := st.bloom
	for k := range as {
		if an := &as[k]; (an.first.meets(bloom) || !shortcuts) && st.mayMatch(an) {
			m.try(st, &m.phrases[an.phrase], int(an.elem), int(an.alt), i)
		}
	}
}

// try matches phrase p with its element e (alternative ai) beginning at
// word i. Going outwards from the anchor, it keeps every word each element
// could be at (within the gaps and fillers the phrase allows), so a word that
// could be either of two neighbouring elements ("a whole packet of pills")
// cannot lead it astray. The sets are bounded, so each try costs a bounded
// amount of work.
func (m *Matcher) try(st *state, p *phrase, e, ai, i int) {
	toks := st.toks
	bit := p.kindBit
	if p.exclusion {
		bit = 0
	}
	// elemAt adds to next where element el, read from word j in direction
	// dir, reaches (its beginning going back, its end going forward), with
	// gap as the gap allowed beyond it.
	// The words every element was tried at and found, and whether any
	// of them names someone else or the writer: most matches name no one
	// else anywhere, and need no way through them read (path).
	other, self := false, false
	st.used = st.used[:0]
	note := func(from, to int, o bool) {
		for j := from; j <= to; j++ {
			st.used = append(st.used, int32(j))
			if o {
				other = true
			} else if toks[j].flags(p.li, m.def)&flagSelf != 0 {
				self = true
			}
		}
	}
	elemAt := func(el *element, j, dir, gap int, next []reach) []reach {
		if el.set != nil && shortcuts {
			if r := m.matchSet(&toks[j], el.set); r != 0 && toks[j].blocked&bit == 0 {
				next = addReach(next, j, gap)
				if r&setOther != 0 {
					note(j, j, true)
				}
				if r&setPlain != 0 {
					note(j, j, false)
				}
			}
			return next
		}
		// A word with no lemma an alternative may begin (or, read
		// backwards, end) with is passed over: most words of a sentence.
		// A number or a word beginning is tried as it stands.
		t := &toks[j]
		edge := (1 - dir) / 2
		known := shortcuts && t.nprefix == 0 && !t.many
		if known && (t.w == nil || !el.ends[edge].meets(t.w.bloom)) {
			return next
		}
		// So is an alternative that cannot begin (or end) there, of an
		// element that may: of many, only those listed under the word's
		// lemmas are tried.
		n, listed := len(el.alts), known && el.byEdge[edge] != nil
		if listed {
			st.cands = el.byEdge[edge].candidates(t.w.lemmas, st.cands[:0])
			n = len(st.cands)
		}
		for k := 0; k < n; k++ {
			ai := k
			if listed {
				ai = int(st.cands[k])
			} else if known && !el.alts[ai].edge[edge].meets(t.w.bloom) {
				continue
			}
			if to, ok, o := m.matchAlt(toks, &el.alts[ai], j, dir, bit); ok {
				next = addReach(next, to, gap)
				note(min(j, to), max(j, to), o)
			}
		}
		return next
	}
	a := &p.elems[e].alts[ai]
	aEnd, ok, o := m.matchAlt(toks, a, i, 1, bit)
	if !ok {
		return
	}
	note(i, aEnd, o)
	// Backwards from the anchor: the sets hold where each element begins
	// and the gap allowed before it.
	cur := append(st.reachA[:0], reach{pos: int32(i), gap: int16(p.elems[e].gap)})
	for k := e - 1; k >= 0; k-- {
		el := &p.elems[k]
		next := st.reachB[:0]
		for _, r := range cur {
			if el.optional {
				next = addReach(next, int(r.pos), max(int(r.gap), el.gap))
			}
			gap, fill, q := int(r.gap), maxFillers, int(r.pos)
			for j := q - 1; j >= 0 && toks[j].sent == toks[q].sent; j-- {
				next = elemAt(el, j, -1, el.gap, next)
				if toks[j].flags(p.li, m.def)&flagFiller != 0 && fill > 0 {
					fill--
					continue
				}
				if gap--; gap < 0 {
					break
				}
			}
		}
		st.reachA, st.reachB = next, cur
		if len(next) == 0 {
			return
		}
		cur = next
	}
	start := int(cur[0].pos) // the nearest to the anchor among the beginnings found
	// Forwards: the sets hold where each element ends, and any gap widened
	// by optional elements skipped.
	cur = append(st.reachB[:0], reach{pos: int32(aEnd)})
	for k := e + 1; k < len(p.elems); k++ {
		el := &p.elems[k]
		next := st.reachA[:0]
		for _, r := range cur {
			if el.optional {
				next = addReach(next, int(r.pos), max(int(r.gap), el.gap))
			}
			gap, fill, q := max(int(r.gap), el.gap), maxFillers, int(r.pos)
			for j := q + 1; j < len(toks) && toks[j].sent == toks[q].sent; j++ {
				next = elemAt(el, j, 1, 0, next)
				if toks[j].flags(p.li, m.def)&flagFiller != 0 && fill > 0 {
					fill--
					continue
				}
				if gap--; gap < 0 {
					break
				}
			}
		}
		st.reachA, st.reachB = cur, next
		if len(next) == 0 {
			return
		}
		cur = next
	}
	end := int(cur[0].pos)
	if p.atEnd {
		found := false
		for _, r := range cur {
			q := int(r.pos)
			if q+1 >= len(toks) || toks[q+1].clause != toks[q].clause {
				end, found = q, true
				break
			}
		}
		if !found {
			return
		}
	}
	if p.ctx != nil {
		if st.explain != nil {
			*st.explain = append(*st.explain, m.contextMatch(p))
		}
		markContext(st, p, start, end)
		return
	}
	if p.exclusion {
		if st.explain != nil {
			*st.explain = append(*st.explain, Match{Kind: p.kind, Phrase: p.text, Lang: p.lang, Exclusion: !p.over, Over: p.over})
		}
		if !p.over {
			from := len(st.idiomWords)
			st.idiomWords = append(st.idiomWords, st.used...)
			st.idioms = append(st.idioms, idiomMark{sent: toks[i].sent, from: int32(from), to: int32(len(st.idiomWords)), bits: p.kindBit})
			return
		}
		for _, j := range st.used {
			toks[j].blocked |= p.kindBit
			toks[j].over = true
		}
		return
	}
	// Where a word for someone else was tried, whose words the match holds
	// is read along one way through it, the same whichever element it was
	// anchored on (path).
	if other {
		other, self = m.path(st, p, start, end, bit)
	}
	if self && other {
		self = false // a word for someone else in place of the writer's decides
	}
	named, own := other, self // what the match's own words name
	denied := m.denied(toks, start, p.li) || m.deniedInside(toks, st.used, start, end, p.li) || m.deniedAfter(toks, end, p.li)
	if !denied && (p.kind == Suicide || p.kind == SelfHarm) {
		denied = overAfter(toks, end)
	}
	if !denied {
		denied = m.lowered(toks, start, end, p.kindBit)
	}
	if !other && harmByOthers(p.kind) && m.harmsNamed(toks, end, p.li) {
		other, self = true, false
	}
	if !other && !self {
		if harmByOthers(p.kind) && m.agents[p.li] {
			other = m.harmedOther(toks, start, p.li)
		} else {
			other = m.aboutOther(toks, start, p.li)
		}
	}
	if p.pair != nil {
		// A cue of a pair: the sentence's cues are joined once it is read.
		if st.explain != nil {
			*st.explain = append(*st.explain, m.pairMatch(p, denied, other))
		}
		if !denied {
			st.notePair(p, start, end, named, own, other)
		}
		return
	}
	if st.explain != nil {
		*st.explain = append(*st.explain, Match{Kind: p.kind, Phrase: p.text, Lang: p.lang, Denied: denied, Other: other})
	}
	for _, j := range st.used {
		toks[j].inPhrase = true
	}
	kind := p.kind
	if !other && (kind == Suicide || kind == SelfHarm) && m.saidBy(toks, start, p.li) {
		// "he tells me I'd be better off dead": abuse the writer suffers,
		// and the thought may be theirs too ("my mum said I seem
		// suicidal"), so both are kept.
		st.record(DomesticAbuse, denied, p.lang, m.defCode())
	}
	st.recordWhose(kind, other, denied, p.lang, m.defCode())
}

// recordWhose records kind k as found, for someone else when other:
// thoughts of suicide or self-harm about someone else are someone_else
// only; any other kind about someone else is that kind and someone_else.
func (st *state) recordWhose(k Kind, other, denied bool, lang, def string) {
	if other {
		if k != Suicide && k != SelfHarm {
			st.record(k, denied, lang, def)
		}
		k = SomeoneElse
	}
	st.record(k, denied, lang, def)
}

func (st *state) record(k Kind, denied bool, lang, def string) {
	for i, kk := range Kinds {
		if kk != k {
			continue
		}
		f := &st.found[i]
		// The language answered in is that of a match not denied, and the
		// default language's where its phrases found the kind too.
		take := f.lang == "" || (!denied && !f.pos) || (lang == def && (!denied || !f.pos))
		// Phrases of two other languages alike found it (a Portuguese
		// sentence read by a Spanish phrase too): the first language by
		// its code answers, so the answer never hangs on which phrase was
		// tried first (its line says help is free and interpreters can be
		// had; the numbers are the same).
		if !take && denied != f.pos && lang != f.lang && lang != def && f.lang != def {
			take = lang < f.lang
		}
		if take {
			f.lang = lang
		}
		if denied {
			f.neg = true
		} else {
			f.pos = true
		}
	}
}

// denied applies the denial rule to a match beginning at word start, in
// its language lang. A word may be a word of several languages ("suicidal"
// is English, and "suicid*" Spanish and Portuguese, in Romanian "nu sunt
// suicidal"), so a denial in another language counts too, when one of that
// language's own bridges stands between ("nu sunt", "não sou", "no soy"):
// a negator alone that another language spells alike (Somali "ma" is
// "mum") denies nothing.
func (m *Matcher) denied(toks []tok, start int, lang uint8) bool {
	if m.deniedIn(toks, start, lang, m.def, false) {
		return true
	}
	// Most matches have no negator of any language within reach before
	// them: those are passed over without reading each language's roles.
	neg := false
	for j, n := start-1, 0; j >= 0 && n <= negationReach && toks[j].clause == toks[start].clause && toks[j].w != nil; j, n = j-1, n+1 {
		if toks[j].w.any&flagNegator != 0 {
			neg = true
			break
		}
		if toks[j].w.any&(flagBridge|flagFiller|flagSelf) == 0 {
			break
		}
	}
	if !neg {
		return false
	}
	for k := range m.langs {
		if k := uint8(k); k != lang && k != m.def && m.deniedIn(toks, start, k, k, true) {
			return true
		}
	}
	return false
}

// deniedIn is the denial rule with the roles of languages lang and def;
// needBridge asks for a bridge between the negator and the match.
func (m *Matcher) deniedIn(toks []tok, start int, lang, def uint8, needBridge bool) bool {
	for j, n := start-1, 0; j >= 0 && n <= negationReach && toks[j].clause == toks[start].clause; j-- {
		f := toks[j].flags(lang, def)
		switch {
		case f&flagNegator != 0:
			return !needBridge && !m.saidWord(toks, j, lang)
		case f&(flagBridge|flagFiller|flagSelf) != 0:
			needBridge = needBridge && f&flagBridge == 0
			n++
		default:
			return false
		}
	}
	return false
}

// afterReach is how many bridges or fillers may stand between a match and
// a negator after it.
const afterReach = 2

// deniedAfter applies the denial rule of a language that denies after
// what it denies to a match ending at word end: a negator of the match's
// language after it (NegatorsAfter), with at most two bridges or fillers
// between, in its clause. A negator of another language counts when one
// of that language's bridges follows it or it ends the clause ("main
// suicidal nahi hoon"). A negator of a verb (NegatorsOfVerb) of the
// match's language counts only with a bridge just after it.
func (m *Matcher) deniedAfter(toks []tok, end int, lang uint8) bool {
	for j, n := end+1, 0; j < len(toks) && n <= afterReach && toks[j].clause == toks[end].clause; j++ {
		t := &toks[j]
		if t.w == nil {
			return false
		}
		f := t.flags(lang, m.def)
		if f&flagNegAfter != 0 {
			return true
		}
		if f&flagNegVerb != 0 && j+1 < len(toks) && toks[j+1].clause == t.clause && toks[j+1].flags(lang, m.def)&flagBridge != 0 {
			return true
		}
		if t.w.any&flagNegAfter != 0 {
			next := j+1 < len(toks) && toks[j+1].clause == t.clause
			for k := range m.langs {
				k := uint8(k)
				if t.flags(k, k)&flagNegAfter != 0 && (!next || toks[j+1].flags(k, k)&flagBridge != 0) {
					return true
				}
			}
		}
		if f&(flagBridge|flagFiller|flagSelf) == 0 {
			return false
		}
		n++
	}
	return false
}

// deniedInside applies the denial rule inside a match, from word start to
// word end, whose phrase opens with its subject (a word for someone, or for
// the writer): a negator standing between that subject and the phrase's
// verb, in a gap of the phrase (a word no element of the phrase was found
// at), denies the match when the next word of the phrase follows it with
// nothing between but bridges, fillers and words for the writer, at most
// four: "he has never hurt me", "my partner hasn't ever hit me". A negator
// followed by a word the phrase does not hold is not its denial ("he never
// stops hitting me", "never felt so scared of him"), nor is one deeper in the
// phrase ("made me work for no money"), nor a negator among the words of
// the phrase ("he won't let me see my friends"), whose elements used holds.
// A contrast after the match in its sentence ("he's never hit me but he
// punches the wall") is the writer playing harm down: the alarm is kept.
// The rule holds in a language that lists its contrasts.
func (m *Matcher) deniedInside(toks []tok, used []int32, start, end int, lang uint8) bool {
	if !m.contrasting[lang] || toks[start].flags(lang, m.def)&(flagOther|flagSelf) == 0 {
		return false
	}
	for j := start + 1; j < end && j <= start+negationReach+2; j++ {
		f := toks[j].flags(lang, m.def)
		if f&flagNegator == 0 || isUsed(used, j) {
			if isUsed(used, j) || f&(flagBridge|flagFiller|flagSelf|flagOther) != 0 {
				continue // still the subject and what goes with it
			}
			return false
		}
		if m.saidWord(toks, j, lang) {
			return false
		}
		for k, n := j+1, 0; k <= end && n <= negationReach && toks[k].clause == toks[j].clause; k++ {
			if isUsed(used, k) {
				return !m.contrastAfter(toks, end, lang)
			}
			if toks[k].flags(lang, m.def)&(flagBridge|flagFiller|flagSelf) == 0 {
				break
			}
			n++
		}
		return false
	}
	return false
}

// contrastAfter reports whether a contrast ("but") follows word end in its
// sentence, within contextReach words.
func (m *Matcher) contrastAfter(toks []tok, end int, lang uint8) bool {
	for j := end + 1; j < len(toks) && j <= end+contextReach && toks[j].sent == toks[end].sent; j++ {
		if toks[j].flags(lang, m.def)&flagContrast != 0 {
			return true
		}
	}
	return false
}

// isUsed reports whether word j is among the words of used.
func isUsed(used []int32, j int) bool {
	for _, u := range used {
		if int(u) == j {
			return true
		}
	}
	return false
}

// saidWord reports whether the negator at word j is a word being reported
// as said: just after a verb of saying, or after one and a word for
// someone else, in its clause ("I said no", "kept saying no", "told him
// no"; not "said I'm not").
// Such a refusal is what happened, not a denial of it.
func (m *Matcher) saidWord(toks []tok, j int, lang uint8) bool {
	for k := j - 1; k >= 0 && k >= j-2 && toks[k].clause == toks[j].clause; k-- {
		f := toks[k].flags(lang, m.def)
		if f&flagSpeech != 0 {
			return true
		}
		if f&flagOther == 0 || f&flagSelf != 0 {
			return false // "I said I'm not suicidal" is a denial
		}
	}
	return false
}

// overAfter reports whether a cue putting things in the past follows word
// end closely: in its sentence, or opening the next one ("I used to cut. Not
// anymore."). A cue deep in the next sentence is about something else ("I
// want to die. My dad's cancer is under control now").
func overAfter(toks []tok, end int) bool {
	sent, start := toks[end].sent, -1
	for j := end + 1; j < len(toks) && j <= end+overReach; j++ {
		if toks[j].sent != sent {
			if start >= 0 {
				break // two sentences on
			}
			sent, start = toks[j].sent, j
		}
		if toks[j].over && (start < 0 || j-start < overOpens) {
			return true
		}
	}
	return false
}

// aboutOther reports whether the nearest subject before word start in its
// sentence names someone else.
func (m *Matcher) aboutOther(toks []tok, start int, lang uint8) bool {
	for j, n := start-1, 0; j >= 0 && n < subjectReach && toks[j].sent == toks[start].sent; j, n = j-1, n+1 {
		f := toks[j].flags(lang, m.def)
		if f&flagSelf != 0 && f&flagOwner == 0 {
			return false
		}
		if f&flagOther != 0 {
			return true
		}
	}
	return false
}

// doing reports whether word j, in a language's phrases, is a verb form
// of doing ("banging"), by its ending, and not itself a passive word
// ("being").
func (m *Matcher) doing(toks []tok, j int, lang uint8) bool {
	if j >= len(toks) || toks[j].w == nil || toks[j].flags(lang, m.def)&flagPassive != 0 {
		return false
	}
	w := toks[j].w.text
	for _, e := range m.progressive[lang] {
		if len(w) > len(e)+1 && strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// harmByOthers reports whether kind k is harm someone does to someone:
// who is named before it may be the one doing it.
func harmByOthers(k Kind) bool {
	return k == DangerNow || k == DomesticAbuse || k == SexualViolence || k == ChildAbuse
}

// harmedOther reports whether someone else is the one harmed in a match of
// harm done by someone, beginning at word start, that names nobody in
// place of the writer: when what is harmed is someone else's ("her clothes
// ripped"), or when the nearest subject before it in its sentence names
// someone else and a passive word stands between ("she was raped", "my friend got beaten up",
// "my sister is being groomed"). Named with no passive word, that someone
// is the one doing the harm ("he raped me", "he's got a knife", "hes
// kicking the door in"), and the risk is the writer's; so is someone named
// with a passive word followed by a form of doing ("he is banging on the
// door").
func (m *Matcher) harmedOther(toks []tok, start int, lang uint8) bool {
	if start > 0 && toks[start-1].clause == toks[start].clause {
		if f := toks[start-1].flags(lang, m.def); f&flagOther != 0 && f&flagOwner != 0 {
			return true // "her clothes ripped"
		}
	}
	passive := false
	for j, n := start-1, 0; j >= 0 && n < subjectReach && toks[j].sent == toks[start].sent; j, n = j-1, n+1 {
		f := toks[j].flags(lang, m.def)
		if f&flagPassive != 0 {
			passive = passive || !m.doing(toks, j+1, lang)
			continue
		}
		if f&flagSelf != 0 && f&flagOwner == 0 {
			return false
		}
		if f&flagOther != 0 {
			return passive
		}
	}
	return false
}

// saidBy reports whether a match of suicide or self-harm beginning at word
// start is what someone else says to the writer: a verb of saying with a
// word for someone else just before it stands before the match in its
// clause, with at most four words between ("he tells me I'd be better off
// dead", "she screams she wishes I was never born", "my husband says I
// should kill myself"). Told so, it is abuse the writer suffers; since a
// report of someone's worry reads the same ("my mum said I seem
// suicidal"), the thought is kept as the writer's too. A word for the
// writer before the verb ("I told him I want to die") leaves it the
// writer's alone.
func (m *Matcher) saidBy(toks []tok, start int, lang uint8) bool {
	for j, n := start-1, 0; j > 0 && n <= negationReach+1 && toks[j].clause == toks[start].clause; j, n = j-1, n+1 {
		if toks[j].flags(lang, m.def)&flagSpeech == 0 {
			continue
		}
		for k := j - 1; k >= 0 && k >= j-3 && toks[k].clause == toks[j].clause; k-- {
			f := toks[k].flags(lang, m.def)
			if f&flagSelf != 0 && f&flagOwner == 0 {
				return false
			}
			if f&flagOther != 0 {
				return true
			}
		}
		return false
	}
	return false
}

// harmsNamed reports whether a match of harm done by someone, ending at
// word end, ends on a possessive for the writer that the word after it, in
// its clause, makes someone else: the one harmed is that person ("locks my
// sister in the house", "hits my mum"), not the writer.
func (m *Matcher) harmsNamed(toks []tok, end int, lang uint8) bool {
	if end+1 >= len(toks) || toks[end+1].clause != toks[end].clause {
		return false
	}
	f, next := toks[end].flags(lang, m.def), toks[end+1].flags(lang, m.def)
	return f&flagOwner != 0 && f&flagSelf != 0 && next&flagOther != 0 && next&flagSelf == 0
}

// atLeastTen reports whether the digits b are a number of ten or more.
func atLeastTen(b []byte) bool {
	i := 0
	for i < len(b) && b[i] == '0' {
		i++
	}
	return len(b)-i >= 2
}

// Match is one phrase found in a message, as Explain reports it.
type Match struct {
	Kind Kind
	// Phrase is the phrase as the content writes it, Lang its language.
	Phrase, Lang string
	Denied       bool
	// Other is set when the match is about someone else.
	Other bool
	// Exclusion is set for an idiom that hides words from Kind (from every
	// kind when Kind is empty); Over for a cue putting things in the past.
	Exclusion, Over bool
	// Context, for a context or combine cue, is what it is about; for a
	// combine cue Kind is the kind it adds.
	Context string
	// Keeps is set for a context's Unless or Owns cue: it keeps the alarm
	// in its sentence against that context, and lowers nothing ("want to
	// die" in "watched a film about it and I want to die too").
	Keeps bool
	// Pair, for a cue of a pair told over two sentences, is "first" or
	// "then", and Context what the pair is: the cue adds Kind only with
	// the other cue of its pair (pair.go).
	Pair string
	// Stops is set for a combine's Unless cue: it stops that combine
	// adding its kind to the message.
	Stops bool
}

// Explain lists every phrase found in text and whether each was denied or
// about someone else: what a person editing the phrases needs to see why a
// message was, or was not, read as risk.
func (m *Matcher) Explain(text string) []Match {
	if m == nil {
		return nil
	}
	st := states.Get().(*state)
	defer states.Put(st)
	m.read(st, text)
	var out []Match
	st.explain = &out
	m.run(st, true)
	settle(st)
	m.run(st, false)
	m.readCues(st)
	st.with, st.stops = 0, 0
	st.explain = nil
	return out
}

// matchAlt matches alternative a at word j: for one word, j itself; for
// several, the words from j onwards (dir 1) or ending at j (dir -1). It
// returns the word at the other end, and whether the alternative names
// someone else in place of the writer.
func (m *Matcher) matchAlt(toks []tok, a *alt, j, dir int, bit uint16) (int, bool, bool) {
	if a.seq == nil {
		t := &toks[j]
		if t.blocked&bit != 0 || !m.has(t, a.lemma) {
			return 0, false, false
		}
		return j, true, a.other
	}
	n := len(a.seq)
	from := j
	if dir < 0 {
		from = j - n + 1
	}
	if from < 0 || from+n > len(toks) {
		return 0, false, false
	}
	other := false
	for x := range a.seq {
		t := &toks[from+x]
		if t.blocked&bit != 0 || t.sent != toks[from].sent {
			return 0, false, false
		}
		ok := false
		for _, sa := range a.seq[x].alts {
			if m.has(t, sa.lemma) {
				ok, other = true, other || sa.other
				break
			}
		}
		if !ok {
			return 0, false, false
		}
	}
	if dir < 0 {
		return from, true, other
	}
	return from + n - 1, true, other
}

// reach is a word an element may be at, and the gap allowed before the
// next element, widened by any optional element skipped on the way.
type reach struct {
	pos int32
	gap int16
}

// addReach adds a word to a set, keeping the widest gap.
func addReach(s []reach, pos, gap int) []reach {
	for i := range s {
		if int(s[i].pos) == pos {
			s[i].gap = max(s[i].gap, int16(gap))
			return s
		}
	}
	return append(s, reach{pos: int32(pos), gap: int16(gap)})
}

// defCode is the default language's code, or "" when there is none.
func (m *Matcher) defCode() string {
	if int(m.def) < len(m.langs) {
		return m.langs[m.def]
	}
	return ""
}
