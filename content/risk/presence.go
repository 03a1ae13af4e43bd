package risk

import "sort"

// Before a phrase is tried at its anchor, a cheap test: every word it must
// have has to be somewhere in the anchor's sentence, since no phrase reaches
// across a sentence. Most phrases tried at a common anchor ("dont", "i") fail
// it, and trying one costs far more than the test. The test only passes over
// phrases that could not match, so what is found is the same.

// shortcuts is switched off by tests, to show that the prefilter, and the
// word sets and lists of alternatives by their edges (wordset.go), change
// nothing.
var shortcuts = true

// need is one element a phrase must have: one of ids must be in the
// sentence. bloom has the bits of each id (lemmaBloom), so that most
// sentences without any of them are told apart without reading ids.
type need struct {
	bloom bloom
	ids   []int32
}

// bloom is a filter of lemmas in two words of 64 bits, each lemma setting
// one bit in each by a hash of its own. A sentence sets some twenty bits
// of each word; an element none of whose lemmas the sentence holds still
// finds one of its bits set in one word about as often as not, but in
// both far less often, and then its ids need not be read.
type bloom struct{ a, b uint64 }

// lemmaBloom is the bloom of lemma id alone.
func lemmaBloom(id int32) bloom {
	return bloom{1 << (uint32(id) * 0x9e3779b1 >> 26), 1 << (uint32(id) * 0x85ebca6b >> 26)}
}

func (x bloom) or(y bloom) bloom { return bloom{x.a | y.a, x.b | y.b} }

// meets reports whether x and y may share a lemma: a bit in each word.
func (x bloom) meets(y bloom) bool { return x.a&y.a != 0 && x.b&y.b != 0 }

// anyLemma is the bloom that meets any other but the empty one.
var anyLemma = bloom{^uint64(0), ^uint64(0)}

// buildNeeds gives each anchor the elements its phrase must have besides the
// anchor's, and, when the anchor's alternative is of several words, the
// words after its first: those of fewest words first, since they are the
// likeliest to be missing. An optional element needs nothing; an
// alternative of several words needs its first.
func (m *Matcher) buildNeeds() {
	type key struct{ phrase, elem, alt int32 }
	built := map[key][]need{}
	needs := func(an anchor) []need {
		k := key{an.phrase, an.elem, an.alt}
		if ns, ok := built[k]; ok {
			return ns
		}
		var ns []need
		add := func(alts []alt) {
			var n need
			for _, a := range alts {
				n.ids = appendFirstLemmas(n.ids, a)
			}
			for _, id := range n.ids {
				n.bloom = n.bloom.or(lemmaBloom(id))
			}
			ns = append(ns, n)
		}
		p := &m.phrases[an.phrase]
		for i, e := range p.elems {
			if e.optional || i == int(an.elem) {
				continue
			}
			add(e.alts)
		}
		// The anchor's own words after its first ("daba socda" of "i daba
		// socda", tried at every "i") must stand in the sentence too.
		if seq := p.elems[an.elem].alts[an.alt].seq; seq != nil {
			for _, e := range seq[1:] {
				add(e.alts)
			}
		}
		sort.SliceStable(ns, func(i, j int) bool { return len(ns[i].ids) < len(ns[j].ids) })
		built[k] = ns
		return ns
	}
	for _, lists := range [][][]anchor{m.anchorList, m.exclAnchors, m.cueAnchors} {
		for _, as := range lists {
			for i := range as {
				as[i].needs = needs(as[i])
				as[i].first = anyLemma
				if len(as[i].needs) > 0 {
					as[i].first = as[i].needs[0].bloom
				}
			}
			for i := len(as) - 1; i >= 0; i-- {
				as[i].rest = as[i].first
				if i+1 < len(as) {
					as[i].rest = as[i].rest.or(as[i+1].rest)
				}
			}
		}
	}
	// The words whose lemmas anchor anything. The marks are only ever
	// added, so that a word stays marked for a matcher sharing it whose
	// anchors are listed again (a test compares two ways of choosing
	// them): a mark only lets run look at the word's lemmas.
	for _, w := range m.words {
		for _, id := range w.lemmas {
			if len(m.exclAnchors[id]) > 0 {
				w.anchors |= anchorsExcl
			}
			if len(m.anchorList[id]) > 0 {
				w.anchors |= anchorsPhrase
			}
			if len(m.cueAnchors[id]) > 0 {
				w.anchors |= anchorsCue
			}
		}
	}
}

// appendFirstLemmas appends the lemmas that may begin alternative a.
func appendFirstLemmas(ids []int32, a alt) []int32 {
	if a.seq == nil {
		return appendUnique(ids, a.lemma)
	}
	for _, f := range a.seq[0].alts {
		ids = appendFirstLemmas(ids, f)
	}
	return ids
}

// markSentence notes every lemma of the sentence beginning at word i: a
// lemma is in the sentence while st.seen[lemma] is st.stamp.
func (st *state) markSentence(m *Matcher, i int) {
	if len(st.seen) < len(m.lemmas) {
		st.seen = make([]uint32, len(m.lemmas))
	}
	st.stamp++
	if st.stamp == 0 { // wrapped: forget every sentence before
		clear(st.seen)
		st.stamp = 1
	}
	var bloom bloom
	mark := func(id int32) {
		st.seen[id] = st.stamp
		bloom = bloom.or(lemmaBloom(id))
	}
	s := st.toks[i].sent
	for j := i; j < len(st.toks) && st.toks[j].sent == s; j++ {
		t := &st.toks[j]
		if t.many {
			mark(m.number)
		}
		for k := uint8(0); k < t.nprefix; k++ {
			mark(t.prefix[k])
		}
		if t.w != nil {
			for _, id := range t.w.lemmas {
				st.seen[id] = st.stamp
			}
			bloom = bloom.or(t.w.bloom)
		}
	}
	st.bloom = bloom
}

// marks are the lemmas of a sentence as markSentence leaves them.
type marks struct {
	seen  []uint32
	stamp uint32
	bloom bloom
}

// swapMarks exchanges the marks of the sentence being read with st.other.
func (st *state) swapMarks() {
	st.seen, st.other.seen = st.other.seen, st.seen
	st.stamp, st.other.stamp = st.other.stamp, st.stamp
	st.bloom, st.other.bloom = st.other.bloom, st.bloom
}

// What a word's lemmas anchor (word.anchors).
const (
	anchorsExcl   uint8 = 1 << iota // an exclusion or a context cue
	anchorsPhrase                   // a phrase
	anchorsCue                      // a combine rule's cue
)

// mayMatch reports whether the sentence last marked holds a word for every
// element anchor an's phrase must have. The bloom of the first (an.first)
// is the caller's to test.
func (st *state) mayMatch(an *anchor) bool {
	if !shortcuts {
		return true
	}
	for i := range an.needs {
		n := &an.needs[i]
		if i > 0 && !n.bloom.meets(st.bloom) {
			return false
		}
		found := false
		for _, id := range n.ids {
			if st.seen[id] == st.stamp {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
