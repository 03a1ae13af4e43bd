package risk

// path reads a match of phrase p, found from word start to word end, along
// one way through it, and reports whether that way names someone else in
// place of the writer (other) and holds a word for the writer (self); it
// leaves the words of its elements in st.used (what an idiom hides, and
// what the denial inside a phrase passes over).
//
// The search that finds a match goes outwards from its anchor and keeps
// every word each element could be at, including words no whole match
// goes through ("shes" could be the "im" of "... me ... im 12" in "touches
// me when shes at bingo, im 12", but no age follows it). Reading the roles
// from those words made the finding hang on which element the phrase was
// anchored on. So the roles are read here from the first way, in the
// order of the elements and then of the words and alternatives, that runs
// from start to end: the same whichever anchor found the match.
func (m *Matcher) path(st *state, p *phrase, start, end int, bit uint16) (other, self bool) {
	toks := st.toks
	width := end - start + 2
	n := len(p.elems) * width
	if cap(st.pathFail) < n {
		st.pathFail = make([]int16, n)
	}
	st.pathFail = st.pathFail[:n]
	for i := range st.pathFail {
		st.pathFail[i] = -1
	}
	st.pathWay = st.pathWay[:0]
	if !m.walk(st, p, 0, start-1, 0, true, start, end, bit) {
		// Cannot happen: the anchored search found this way. Read the
		// span as the match's words.
		st.used = st.used[:0]
		for j := start; j <= end; j++ {
			st.used = append(st.used, int32(j))
		}
		return false, false
	}
	st.used = st.used[:0]
	for i, s := range st.pathWay {
		if s.other && m.selfBeside(st, p, i, bit) {
			s.other, self = false, true
		}
		for j := s.from; j <= s.to; j++ {
			st.used = append(st.used, j)
			if s.other {
				other = true
			} else if toks[j].flags(p.li, m.def)&flagSelf != 0 {
				self = true
			}
		}
	}
	return other, self
}

// selfBeside reports whether the element of the way's span i, read in the
// third person there, also stands in the writer's own person in the stretch
// of words the way leaves it, between the spans before and after it: the
// writer's reading of that stretch wins. In "mi madre me pega con la
// zapatilla y me encierra" the article "la" is the only word within the gaps
// of "{es_parent} ... me ... {es_harm}" that joins "madre" to "encierra",
// and "la" is read as "her"; but "me" stands in the same stretch, so the
// match is the writer's, as the one from "madre" to "pega" is. Otherwise
// the finding hung on which element anchored the phrase, since only an
// anchor on the later verb finds the longer match.
func (m *Matcher) selfBeside(st *state, p *phrase, i int, bit uint16) bool {
	way, toks := st.pathWay, st.toks
	s := way[i]
	lo, hi := int(s.from), int(s.to)
	if i > 0 {
		lo = int(way[i-1].to) + 1
	}
	if i+1 < len(way) {
		hi = int(way[i+1].from) - 1
	}
	el := &p.elems[s.el]
	for j := lo; j <= hi; j++ {
		if j == int(s.from) {
			// Its own words: where a plain alternative and one for
			// someone else stand on the same words, someone else is
			// named (walk).
			j = int(s.to)
			continue
		}
		for ai := range el.alts {
			if to, ok, o := m.matchAlt(toks, &el.alts[ai], j, 1, bit); ok && !o && to <= hi {
				return true
			}
		}
	}
	return false
}

// waySpan is the words one element of a match stands on, and whether the
// alternative there names someone else in place of the writer.
type waySpan struct {
	from, to int32
	el       int32 // the element of the phrase
	other    bool
}

// walk looks for a way through elements k on of phrase p, the element
// before having ended at word q, with gap words allowed before the next
// (exact: the next must begin at q+1), the last ending at word end. It
// follows the forward search of try word for word, and remembers the widest
// gap that failed at each element and word, so no way is tried twice.
func (m *Matcher) walk(st *state, p *phrase, k, q, gap int, exact bool, start, end int, bit uint16) bool {
	if k == len(p.elems) {
		return q == end
	}
	toks := st.toks
	el := &p.elems[k]
	width := end - start + 2
	slot := k*width + q - start + 1
	if !exact && int(st.pathFail[slot]) >= gap {
		return false
	}
	g := max(gap, el.gap)
	if exact {
		g = 0
	}
	if el.optional && m.walk(st, p, k+1, q, max(gap, el.gap), exact, start, end, bit) {
		return true
	}
	fill := maxFillers
	if exact {
		fill = 0
	}
	for j := q + 1; j <= end; j++ {
		if toks[j].sent != toks[start].sent {
			break
		}
		// The alternatives found at j: where one naming someone else and
		// a plain one stand on the same words, someone else is named.
		for ai := range el.alts {
			to, ok, o := m.matchAlt(toks, &el.alts[ai], j, 1, bit)
			if !ok || to > end {
				continue
			}
			o = o || m.otherAt(toks, el, j, to, bit)
			n := len(st.pathWay)
			st.pathWay = append(st.pathWay, waySpan{from: int32(j), to: int32(to), el: int32(k), other: o})
			if m.walk(st, p, k+1, to, 0, false, start, end, bit) {
				return true
			}
			st.pathWay = st.pathWay[:n]
		}
		if toks[j].flags(p.li, m.def)&flagFiller != 0 && fill > 0 {
			fill--
			continue
		}
		if g--; g < 0 {
			break
		}
	}
	if !exact {
		st.pathFail[slot] = int16(gap)
	}
	return false
}

// otherAt reports whether an alternative of el that names someone else in
// place of the writer matches from word j to word to.
func (m *Matcher) otherAt(toks []tok, el *element, j, to int, bit uint16) bool {
	for ai := range el.alts {
		if t, ok, o := m.matchAlt(toks, &el.alts[ai], j, 1, bit); ok && o && t == to {
			return true
		}
	}
	return false
}
