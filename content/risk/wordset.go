package risk

import "sort"

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
			for id := range roles {
				s.ids = append(s.ids, id)
			}
			sort.Slice(s.ids, func(a, b int) bool { return s.ids[a] < s.ids[b] })
			for _, id := range s.ids {
				s.roles = append(s.roles, roles[id])
			}
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
		}
	}
}

// role returns the roles of lemma id in s, 0 when it is not there.
func (s *wordSet) role(id int32) uint8 {
	lo, hi := 0, len(s.ids)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if s.ids[mid] < id {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(s.ids) && s.ids[lo] == id {
		return s.roles[lo]
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
