package risk

import (
	"fmt"
	"math/bits"
)

// Pair is risk told over two sentences, neither of which says it alone: a
// setup and what completes it ("I tried to hold on. I can't anymore",
// "Gave my dog to my sister today. Won't be needing him where I'm going").
// Phrases never cross a sentence's end; a pair reads across one. A cue in
// First found in a sentence, and a cue in Then found in the next sentence
// or later in the same one, add Kind; nothing else joins them, so a pair is
// a class of setups meeting a class of completions, each written as
// phrases (with classes and the third person, as a kind's patterns are).
//
// Each cue is read as a phrase of Kind is, where it stands: a cue denied
// ("I'm not done"), put in the past or lowered by a context in its
// sentence, or hidden by an idiom of the kind, counts for nothing. A cue
// naming someone else in place of the writer (or whose subject before it
// in its sentence is someone else) makes the pair someone else's, as a
// phrase's match would. Two sentences apart, or the completion before the
// setup, is no pair.
type Pair struct {
	// About says what the pair is, for people editing the content.
	About string   `yaml:"about" json:"about"`
	Kind  Kind     `yaml:"kind" json:"kind"`
	First []string `yaml:"first" json:"first"`
	Then  []string `yaml:"then" json:"then"`
}

// maxPairs bounds the pairs of all languages together: a sentence keeps
// one bit for each.
const maxPairs = 64

// pairCue is what a compiled cue of a pair knows of it.
type pairCue struct {
	idx   uint8 // the pair's index in Matcher.pairs
	then  bool
	about string
}

// pairMarks are the cues of pairs found in the sentence being read and in
// the one before it: bits by pair.
type pairMarks struct {
	prev, prevOther                      uint64 // first cues of the sentence before
	first, firstOther                    uint64
	then, thenOther, thenSelf, thenAbout uint64
	firstEnd, thenStart                  [maxPairs]int32
	thenLang                             [maxPairs]string
}

// addPairs compiles the pairs of a language, each cue as a phrase of the
// pair's kind.
func (m *Matcher) addPairs(lang string, ps []Pair, add func(string, Kind, bool, uint16) error) error {
	for i, pr := range ps {
		if len(m.pairs) >= maxPairs {
			return fmt.Errorf("risk/%s.yaml: more than %d pairs in all", lang, maxPairs)
		}
		if kindBit(pr.Kind) == 0 || len(pr.First) == 0 || len(pr.Then) == 0 {
			return fmt.Errorf("risk/%s.yaml: pair %d (%s): needs a kind, first cues and then cues", lang, i+1, pr.About)
		}
		idx := uint8(len(m.pairs))
		m.pairs = append(m.pairs, pr.Kind)
		for k, cues := range [][]string{pr.First, pr.Then} {
			cue := &pairCue{idx: idx, then: k == 1, about: pr.About}
			for _, text := range cues {
				from := len(m.phrases)
				if err := add(text, pr.Kind, false, 0); err != nil {
					return err
				}
				for j := from; j < len(m.phrases); j++ {
					m.phrases[j].pair = cue
				}
			}
		}
	}
	return nil
}

// notePair records a cue of a pair found from word start to word end, not
// denied, in the sentence being read: named and own tell whether its own
// words name someone else in place of the writer, or the writer; about,
// whether it is someone else's as a phrase's match would be, by its own
// words or the subject before it in its sentence.
func (st *state) notePair(p *phrase, start, end int, named, own, about bool) {
	pm, bit := &st.pairs, uint64(1)<<p.pair.idx
	i := p.pair.idx
	if p.pair.then {
		if pm.then&bit == 0 || int32(start) > pm.thenStart[i] {
			pm.thenStart[i], pm.thenLang[i] = int32(start), p.lang
		}
		pm.then |= bit
		if named {
			pm.thenOther |= bit
		}
		if own {
			pm.thenSelf |= bit
		}
		if about {
			pm.thenAbout |= bit
		}
		return
	}
	if pm.first&bit == 0 || int32(end) < pm.firstEnd[i] {
		pm.firstEnd[i] = int32(end)
	}
	pm.first |= bit
	if named {
		pm.firstOther |= bit
	}
}

// joinPairs records the kind of each pair whose completion the sentence
// just read holds, with its setup in the sentence before or earlier in
// this one, and makes this sentence's setups the ones before the next.
//
// Whose risk it is: the completion's, where its own words name someone
// else in place of the writer, or the writer ("my girlfriend thinks the
// bruises are from rugby. theyre from me"); else someone else's where the
// setup's own words name them ("my brother hasnt come out of his room for
// 3 days. he deleted all his accounts") or the completion's subject
// before it does ("... she said goodbye to everyone"). The subject before
// the setup is not read: it is often someone who believes or says
// something of the writer ("my wife thinks the bruises are from work.
// they're not").
func (m *Matcher) joinPairs(st *state) {
	pm := &st.pairs
	for set := pm.then; set != 0; set &= set - 1 {
		i := bits.TrailingZeros64(set)
		bit := uint64(1) << i
		before := pm.prev&bit != 0
		same := pm.first&bit != 0 && pm.firstEnd[i] < pm.thenStart[i]
		if !before && !same {
			continue
		}
		other := pm.thenOther&bit != 0
		if !other && pm.thenSelf&bit == 0 {
			other = pm.thenAbout&bit != 0 || same && pm.firstOther&bit != 0 || !same && pm.prevOther&bit != 0
		}
		st.recordWhose(m.pairs[i], other, false, pm.thenLang[i], m.defCode())
	}
	pm.prev, pm.prevOther = pm.first, pm.firstOther
	pm.first, pm.firstOther, pm.then, pm.thenOther, pm.thenSelf, pm.thenAbout = 0, 0, 0, 0, 0, 0
}

// resetPairs forgets the cues of the message read before.
func (st *state) resetPairs() {
	pm := &st.pairs
	// The arrays are read only where a bit is set.
	pm.prev, pm.prevOther, pm.first, pm.firstOther = 0, 0, 0, 0
	pm.then, pm.thenOther, pm.thenSelf, pm.thenAbout = 0, 0, 0, 0
}

// pairMatch is how Explain shows cue p of a pair.
func (m *Matcher) pairMatch(p *phrase, denied, other bool) Match {
	part := "first"
	if p.pair.then {
		part = "then"
	}
	return Match{Kind: p.kind, Phrase: p.text, Lang: p.lang, Denied: denied, Other: other, Context: p.pair.about, Pair: part}
}
