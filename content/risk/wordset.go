package risk

import (
	"maps"
	"slices"
)

// An element offering many single words ("(partner|husband|wife|...)") is
// tested against a word by the word's few lemmas, each looked for among the
// element's, rather than by each of its alternatives in turn.

// minWordSet is how many single-word alternatives an element needs before
// it is given a word set.
const minWordSet = 3

// wordSet is the lemmas of an element's alternatives, sorted, and for each
// whether an alternative of that lemma names someone else in place of the
// writer, or does not.
type wordSet struct {
	ids   []int32
	roles []uint8 // setOther, setPlain
}

const (
	setOther uint8 = 1 << iota // an alternative of the lemma names someone else
	setPlain                   // an alternative of the lemma does not
)

// buildWordSets gives a word set to each element of single words only that
// offers at least minWordSet of them.
func (m *Matcher) buildWordSets() {
	for i := range m.phrases {
		for k := range m.phrases[i].elems {
			el := &m.phrases[i].elems[k]
			if len(el.alts) < minWordSet {
				continue
			}
			roles := map[int32]uint8{}
			for _, a := range el.alts {
				if a.seq != nil {
					roles = nil
					break
				}
				if a.other {
					roles[a.lemma] |= setOther
				} else {
					roles[a.lemma] |= setPlain
				}
			}
			if roles == nil {
				continue
			}
			s := &wordSet{}
			s.ids, s.roles = byLemma(roles)
			el.set = s
		}
	}
}

// buildEnds gives each element without a word set the blooms of the
// lemmas its alternatives begin and end with: a word of the message at
// which an alternative begins (read forwards) or ends (read backwards) has
// one of them.
func (m *Matcher) buildEnds() {
	for i := range m.phrases {
		for k := range m.phrases[i].elems {
			el := &m.phrases[i].elems[k]
			if el.set != nil {
				continue
			}
			el.ends = [2]bloom{}
			for ai := range el.alts {
				a := &el.alts[ai]
				a.edge = [2]bloom{}
				if a.seq == nil {
					a.edge[0] = lemmaBloom(a.lemma)
					a.edge[1] = a.edge[0]
				} else {
					for _, f := range a.seq[0].alts {
						a.edge[0] = a.edge[0].or(lemmaBloom(f.lemma))
					}
					for _, l := range a.seq[len(a.seq)-1].alts {
						a.edge[1] = a.edge[1].or(lemmaBloom(l.lemma))
					}
				}
				el.ends[0] = el.ends[0].or(a.edge[0])
				el.ends[1] = el.ends[1].or(a.edge[1])
			}
			el.byEdge = [2]*altIndex{}
			if len(el.alts) >= minAltIndex {
				el.byEdge[0], el.byEdge[1] = edgeIndex(el.alts, 0), edgeIndex(el.alts, 1)
			}
		}
	}
}

// minAltIndex is how many alternatives an element without a word set needs
// before its alternatives are listed by the lemmas they begin and end with:
// below it, testing each alternative's edge bloom costs as little.
const minAltIndex = 8

// altIndex lists an element's alternatives by a lemma at one edge: ids
// sorted, and alts[i] the alternatives, in order, that begin (or end) with
// ids[i].
type altIndex struct {
	ids  []int32
	alts [][]int32
}

// edgeIndex lists alts by the lemmas they begin with (edge 0) or end with
// (edge 1): the lemmas whose blooms make up alt.edge. It returns nil when
// an alternative's edge is not a single word, which the lemmas would not
// tell.
func edgeIndex(alts []alt, edge int) *altIndex {
	by := map[int32][]int32{}
	for ai := range alts {
		a := &alts[ai]
		if a.seq == nil {
			by[a.lemma] = append(by[a.lemma], int32(ai))
			continue
		}
		end := &a.seq[0]
		if edge == 1 {
			end = &a.seq[len(a.seq)-1]
		}
		for _, f := range end.alts {
			if f.seq != nil || f.lemma < 0 {
				return nil
			}
			if l := by[f.lemma]; len(l) == 0 || l[len(l)-1] != int32(ai) {
				by[f.lemma] = append(l, int32(ai))
			}
		}
	}
	x := &altIndex{}
	x.ids, x.alts = byLemma(by)
	return x
}

// byLemma returns the lemmas of m in order, and their values in the same
// order: what a word's lemmas are looked up in (wordSet.role, altIndex.of).
func byLemma[V any](m map[int32]V) ([]int32, []V) {
	ids := slices.Sorted(maps.Keys(m))
	vals := make([]V, len(ids))
	for i, id := range ids {
		vals[i] = m[id]
	}
	return ids, vals
}

// of returns the alternatives listed under lemma id, nil when none.
func (x *altIndex) of(id int32) []int32 {
	if i, ok := slices.BinarySearch(x.ids, id); ok {
		return x.alts[i]
	}
	return nil
}

// candidates appends to buf, in order and once each, the alternatives that
// may begin (or end) at a word of lemmas.
func (x *altIndex) candidates(lemmas []int32, buf []int32) []int32 {
	if len(lemmas) == 1 {
		return append(buf, x.of(lemmas[0])...)
	}
	for _, id := range lemmas {
		buf = append(buf, x.of(id)...)
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}

// role returns the roles of lemma id in s, 0 when it is not there.
func (s *wordSet) role(id int32) uint8 {
	if i, ok := slices.BinarySearch(s.ids, id); ok {
		return s.roles[i]
	}
	return 0
}

// matchSet returns the roles with which the word t matches an alternative
// of the element whose word set is s: what matchAlt would find, alternative
// by alternative, for a word not hidden from the phrase's kind.
func (m *Matcher) matchSet(t *tok, s *wordSet) uint8 {
	var r uint8
	if t.many {
		r |= s.role(m.number)
	}
	for i := uint8(0); i < t.nprefix; i++ {
		r |= s.role(t.prefix[i])
	}
	if t.w != nil {
		for _, id := range t.w.lemmas {
			r |= s.role(id)
		}
	}
	return r
}
