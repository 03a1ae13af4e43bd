package risk

import (
	"fmt"
	"math/bits"
)

// Context is a kind of talk in which words of risk are usually not the
// writer's risk now: a film or a game ("watched that film where she
// overdoses"), a job or a course ("I'm a carer, one of my clients self
// harms"), the past put behind ("I used to sofa surf but I've had my own
// flat since 2022"). A match reached by one of its cues is treated as denied:
// the gentle answer, and no alarm.
//
// A cue in Before lowers the matches that begin within contextReach words
// after it in the same sentence; a cue in After lowers the matches that end
// within contextReach words before it. A cue in Unless, anywhere in the
// sentence, keeps the alarm there after all ("I used to self harm and
// I've started again"). Cues are written as phrases, with classes.
type Context struct {
	// About says what the context is, for people editing the content.
	About string `yaml:"about" json:"about"`
	// Lowers lists the kinds it lowers; empty means every kind.
	Lowers []Kind   `yaml:"lowers" json:"lowers,omitempty"`
	Before []string `yaml:"before" json:"before,omitempty"`
	After  []string `yaml:"after" json:"after,omitempty"`
	Unless []string `yaml:"unless" json:"unless,omitempty"`
	// Owns are cues by which the writer makes the topic their own ("that's
	// what's happening to me", "realised that's what he does"): they keep
	// the alarm as Unless cues do, and besides lift the exclusions the
	// context reaches in the sentence, so the words an idiom of talk about
	// risk hides ("an article about domestic abuse") are read again.
	Owns []string `yaml:"owns" json:"owns,omitempty"`
	// Opens are cues read as After cues that, when they open a sentence
	// (begin in its first words), reach back over the sentence before as
	// well, as a cue that things are over does ("my mum beat me when I was
	// a kid. I'm 30 now, no contact"). Each should hold its own mark of the
	// past and of the present, since what it lowers is in another sentence.
	Opens []string `yaml:"opens" json:"opens,omitempty"`
}

// contextReach is how many words a context cue reaches.
const contextReach = 8

const (
	cueBefore uint8 = iota + 1
	cueAfter
	cueUnless
	cueWith
	cueOwns
	cueOpens
	cueStops
)

// contextCue is what a compiled cue knows of its context.
type contextCue struct {
	dir   uint8
	ctx   uint8 // the context's index in Matcher.contexts
	rule  uint8 // for a cue of a Combine, its rule
	about string
}

// keepMark records that Unless cues keep the alarm in sentence sent
// against the contexts whose bits are set, and that Owns cues lift the
// exclusions reached by the contexts of owns.
type keepMark struct {
	sent       int32
	bits, owns uint16
}

// maxContexts bounds the contexts of all languages together: a word
// carries one bit for each. Contexts of different languages with the same
// About and the same kinds lowered are one context, sharing a bit (and
// their Unless cues), so every language may have its own cues for a film,
// a job or the past.
const maxContexts = 16

// addContexts compiles the cues of a language's contexts with add, as
// exclusions of the kinds each lowers.
func (m *Matcher) addContexts(lang string, cs []Context, add func(string, Kind, bool, uint16) error) error {
	for i, c := range cs {
		bits, bad := kindBits(c.Lowers)
		if bad != "" {
			return fmt.Errorf("risk/%s.yaml: context %d (%s): unknown kind %q", lang, i+1, c.About, bad)
		}
		if bits == 0 {
			bits = allKinds
		}
		ci, ok := m.contextIndex(c.About, bits)
		if !ok {
			if len(m.contexts) >= maxContexts {
				return fmt.Errorf("risk/%s.yaml: more than %d contexts in all", lang, maxContexts)
			}
			ci = uint8(len(m.contexts))
			m.contexts = append(m.contexts, bits)
			m.contextAbout = append(m.contextAbout, c.About)
		}
		for _, cues := range []struct {
			dir  uint8
			list []string
		}{{cueBefore, c.Before}, {cueAfter, c.After}, {cueUnless, c.Unless}, {cueOwns, c.Owns}, {cueOpens, c.Opens}} {
			cue := &contextCue{dir: cues.dir, ctx: ci, about: c.About}
			for _, text := range cues.list {
				from := len(m.phrases)
				if err := add(text, "", true, bits); err != nil {
					return err
				}
				for j := from; j < len(m.phrases); j++ {
					m.phrases[j].ctx = cue
				}
			}
		}
	}
	return nil
}

// contextIndex finds a context already compiled, of any language, with
// the same about and the same kinds lowered.
func (m *Matcher) contextIndex(about string, bits uint16) (uint8, bool) {
	for i, a := range m.contextAbout {
		if a == about && m.contexts[i] == bits {
			return uint8(i), true
		}
	}
	return 0, false
}

// markContext applies context cue p, found from word start to word end.
func markContext(st *state, p *phrase, start, end int) {
	toks := st.toks
	sent := toks[start].sent
	bit := uint16(1) << p.ctx.ctx
	switch p.ctx.dir {
	case cueBefore:
		for j := start; j < len(toks) && j <= end+contextReach && toks[j].sent == sent; j++ {
			toks[j].lowered |= bit
		}
	case cueAfter:
		for j := end; j >= 0 && j >= start-contextReach && toks[j].sent == sent; j-- {
			toks[j].lowered |= bit
		}
	case cueOpens:
		first := start
		for first > 0 && toks[first-1].sent == sent {
			first--
		}
		if start-first >= overOpens || first == 0 {
			for j := end; j >= 0 && j >= start-contextReach && toks[j].sent == sent; j-- {
				toks[j].lowered |= bit
			}
			return
		}
		// Opening its sentence, the cue reaches back over the one before.
		prev := toks[first-1].sent
		for j := end; j >= 0 && j >= first-overReach && (toks[j].sent == sent || toks[j].sent == prev); j-- {
			toks[j].lowered |= bit
		}
	case cueWith:
		st.with |= 1 << p.ctx.rule
	case cueStops:
		st.stops |= 1 << p.ctx.rule
	case cueUnless, cueOwns:
		owns := uint16(0)
		if p.ctx.dir == cueOwns {
			owns = bit
		}
		if n := len(st.keep); n > 0 && st.keep[n-1].sent == sent {
			st.keep[n-1].bits |= bit
			st.keep[n-1].owns |= owns
			return
		}
		st.keep = append(st.keep, keepMark{sent: sent, bits: bit, owns: owns})
	}
}

// idiomMark is an exclusion found in sentence sent: its words are
// idiomWords[from:to], hidden from the kinds of bits.
type idiomMark struct {
	sent, from, to int32
	bits           uint16
}

// settle hides the words of the exclusions found, then takes the lowering
// off the sentences an Unless or Owns cue keeps. An exclusion that a
// context reaches in a sentence where an Owns cue of that context stands is
// not applied: an idiom of talk about risk ("an article about domestic
// abuse") is that context's own, and the writer who makes it theirs ("...
// and realised that's what my husband does to me") keeps the words the
// idiom would hide. Cues and exclusions are found in the order of the
// words they are anchored on, so both come sentence by sentence and one
// sweep of the words serves them all.
func settle(st *state) {
	k := 0
	for _, id := range st.idioms {
		for k < len(st.keep) && st.keep[k].sent < id.sent {
			k++
		}
		words := st.idiomWords[id.from:id.to]
		if k < len(st.keep) && st.keep[k].sent == id.sent && st.keep[k].owns != 0 && reached(st.toks, words, st.keep[k].owns) {
			continue
		}
		for _, j := range words {
			st.toks[j].blocked |= id.bits
		}
	}
	st.idioms, st.idiomWords = st.idioms[:0], st.idiomWords[:0]
	j := 0
	for _, k := range st.keep {
		for j < len(st.toks) && st.toks[j].sent < k.sent {
			j++
		}
		for x := j; x < len(st.toks) && st.toks[x].sent == k.sent; x++ {
			st.toks[x].lowered &^= k.bits
		}
	}
	st.keep = st.keep[:0]
}

// settleSentence is settle for the sentence of words from to end, whose
// exclusions and cues are the next of st.idioms and st.keep (from st.ni and
// st.nk on); runBoth calls it for each sentence in turn.
func settleSentence(st *state, from, end int) {
	sent := st.toks[from].sent
	for st.nk < len(st.keep) && st.keep[st.nk].sent < sent {
		st.nk++
	}
	var k *keepMark
	if st.nk < len(st.keep) && st.keep[st.nk].sent == sent {
		k = &st.keep[st.nk]
	}
	for ; st.ni < len(st.idioms) && st.idioms[st.ni].sent <= sent; st.ni++ {
		id := st.idioms[st.ni]
		words := st.idiomWords[id.from:id.to]
		if id.sent == sent && k != nil && k.owns != 0 && reached(st.toks, words, k.owns) {
			continue
		}
		for _, j := range words {
			st.toks[j].blocked |= id.bits
		}
	}
	if k != nil {
		for x := from; x < end; x++ {
			st.toks[x].lowered &^= k.bits
		}
		st.nk++
	}
}

// reached reports whether a context of bits reaches any of words.
func reached(toks []tok, words []int32, bits uint16) bool {
	for _, j := range words {
		if toks[j].lowered&bits != 0 {
			return true
		}
	}
	return false
}

// lowered reports whether a context lowers a match of kind bit spanning
// words start to end.
func (m *Matcher) lowered(toks []tok, start, end int, bit uint16) bool {
	for j := start; j <= end && j < len(toks); j++ {
		for set := toks[j].lowered; set != 0; set &= set - 1 {
			if m.contexts[bits.TrailingZeros16(set)]&bit != 0 {
				return true
			}
		}
	}
	return false
}

// Combine adds a kind when another is found in a message that also holds a
// cue: harm at home told by someone who says they are 15 is a child at
// risk, whichever sentence says so ("my cousin keeps hitting me ... I'm
// 15").
type Combine struct {
	// About says what the rule is, for people editing the content.
	About string `yaml:"about" json:"about"`
	// When lists the kinds, any of which found (and not denied) with a cue
	// adds Adds.
	When []Kind `yaml:"when" json:"when"`
	// With are the cues, anywhere in the message, written as phrases.
	With []string `yaml:"with" json:"with"`
	// Unless are cues, anywhere in the message, that stop the rule: a
	// child's harm told with a wish to die or a cut is someone else's
	// suicide or self-harm, not a child harmed by another.
	Unless []string `yaml:"unless" json:"unless,omitempty"`
	Adds   Kind     `yaml:"adds" json:"adds"`
}

// maxCombines bounds the rules of all languages together.
const maxCombines = 32

type combineRule struct {
	when uint16
	adds Kind
}

// addCombines compiles the rules of a language.
func (m *Matcher) addCombines(lang string, cs []Combine, add func(string, Kind, bool, uint16) error) error {
	for i, c := range cs {
		if len(m.rules) >= maxCombines {
			return fmt.Errorf("risk/%s.yaml: more than %d combine rules in all", lang, maxCombines)
		}
		when, bad := kindBits(c.When)
		if bad != "" {
			return fmt.Errorf("risk/%s.yaml: combine %d (%s): unknown kind %q", lang, i+1, c.About, bad)
		}
		if kindBit(c.Adds) == 0 || when == 0 {
			return fmt.Errorf("risk/%s.yaml: combine %d (%s): needs kinds in when and a kind in adds", lang, i+1, c.About)
		}
		rule := uint8(len(m.rules))
		m.rules = append(m.rules, combineRule{when: when, adds: c.Adds})
		m.ruleWhen |= when
		for _, cues := range []struct {
			dir   uint8
			texts []string
		}{{cueWith, c.With}, {cueStops, c.Unless}} {
			cue := &contextCue{dir: cues.dir, about: c.About, rule: rule}
			for _, text := range cues.texts {
				from := len(m.phrases)
				if err := add(text, "", true, 0); err != nil {
					return err
				}
				for j := from; j < len(m.phrases); j++ {
					m.phrases[j].ctx = cue
				}
			}
		}
	}
	return nil
}

// combines reports whether c is a cue of a combine rule.
func (c *contextCue) combines() bool { return c.dir == cueWith || c.dir == cueStops }

// readCues reads the combine rules' cues, a sentence at a time, when a kind
// some rule needs was found (or every match is being listed): most
// messages find none, and their words are not tried against the cues. A
// cue only marks the message (st.with, st.stops), so reading the cues after
// the phrases finds what reading them with the exclusions would.
func (m *Matcher) readCues(st *state) {
	var found uint16
	for i := range Kinds {
		if st.found[i].pos {
			found |= 1 << i
		}
	}
	if found&m.ruleWhen == 0 && st.explain == nil {
		return
	}
	for i := 0; i < len(st.toks); {
		end := sentenceEnd(st.toks, i)
		st.markSentence(m, i)
		m.runWords(st, m.cueAnchors, anchorsCue, i, end)
		i = end
	}
}

// combine reads the rules' cues and applies the rules whose cues were
// found.
func (m *Matcher) combine(st *state) {
	m.readCues(st)
	if st.with&^st.stops == 0 {
		st.with, st.stops = 0, 0
		return
	}
	for r, rule := range m.rules {
		if (st.with&^st.stops)&(1<<r) == 0 {
			continue
		}
		for i := range Kinds {
			if f := st.found[i]; f.pos && rule.when&(1<<i) != 0 {
				st.record(rule.adds, false, f.lang, m.defCode())
				break
			}
		}
	}
	st.with, st.stops = 0, 0
}

// contextMatch is how Explain shows cue p.
func (m *Matcher) contextMatch(p *phrase) Match {
	x := Match{Phrase: p.text, Lang: p.lang, Context: p.ctx.about, Keeps: p.ctx.dir == cueUnless || p.ctx.dir == cueOwns, Stops: p.ctx.dir == cueStops}
	if p.ctx.dir == cueWith {
		x.Kind = m.rules[p.ctx.rule].adds
	}
	return x
}
