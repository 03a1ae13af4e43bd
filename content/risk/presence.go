package risk

// Before a phrase is tried at its anchor, a cheap test: every word it must
// have has to be somewhere in the anchor's sentence, since no phrase reaches
// across a sentence. Most phrases tried at a common anchor ("dont", "i") fail
// it, and trying one costs far more than the test. The test only passes over
// phrases that could not match, so what is found is the same.

// buildNeeds lists, for each element of each phrase, the lemmas one of
// which a sentence must hold for the phrase to match there: nil for an
// optional element; for an alternative of several words, those of its first.
func (m *Matcher) buildNeeds() {
	for i := range m.phrases {
		p := &m.phrases[i]
		p.need = make([][]int32, len(p.elems))
		for k, e := range p.elems {
			if e.optional {
				continue
			}
			var ids []int32
			for _, a := range e.alts {
				ids = appendFirstLemmas(ids, a)
			}
			p.need[k] = ids
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
	s := st.toks[i].sent
	for j := i; j < len(st.toks) && st.toks[j].sent == s; j++ {
		t := &st.toks[j]
		if t.many {
			st.seen[m.number] = st.stamp
		}
		for k := uint8(0); k < t.nprefix; k++ {
			st.seen[t.prefix[k]] = st.stamp
		}
		if t.w != nil {
			for _, id := range t.w.lemmas {
				st.seen[id] = st.stamp
			}
		}
	}
}

// mayMatch reports whether the sentence last marked holds, for every element
// of p but its anchor e, a word the element must have.
func (st *state) mayMatch(p *phrase, e int) bool {
	for k, ids := range p.need {
		if k == e || ids == nil {
			continue
		}
		found := false
		for _, id := range ids {
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
