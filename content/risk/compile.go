package risk

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Matcher reads messages for risk against the phrases of every language of
// a risk model. Build one with Compile; it is safe for concurrent use.
type Matcher struct {
	words    map[string]*word   // every word form the phrases know
	prefixes map[string][]int32 // lemmas written as a word beginning ("zabi*")
	prefixAt [1 << 10]uint64    // bit n set: some prefix has n bytes and starts with these two (prefixPair)
	fuzzy    [26]fuzzyList      // by first letter
	ordinary map[string]bool    // words never read as a misspelt risk word
	dict     wordIndex          // all of the above, for reading messages (lookup.go)
	hidden   hiddenIndex        // the same, for words that hide letters (hidden.go)
	// agents has bit i set when language i lists passives: its phrases of
	// harm done by someone read a subject before them as the one doing it.
	agents []bool
	// contrasting is set for language i when it lists contrasts: a
	// negator inside its phrases may deny them (matcher.deniedInside).
	contrasting []bool
	// progressive holds each language's endings of a verb form of doing.
	progressive [][]string

	phrases     []phrase
	anchorList  [][]anchor // phrases by anchor lemma id
	exclAnchors [][]anchor // exclusions and context cues by anchor lemma id
	// cueAnchors lists the combine rules' cues by anchor lemma id: they
	// are read only when a kind some rule needs is found (readCues).
	cueAnchors [][]anchor
	lemmas     []string // lemma id -> its written form
	lemmaID    map[string]int32
	langs      []string // language codes by index
	def        uint8    // index of the default language, 255 when none
	number     int32    // lemma of the "#" element: any number
	rules      []combineRule
	ruleWhen   uint16 // the kinds any combine rule needs, together
	// pairs holds the kind of each pair (pair.go).
	pairs        []Kind
	contexts     []uint16 // the kinds each context lowers
	contextAbout []string // what each context is, as its languages write it
	// english is set while a phrase of the default language compiles: only
	// its words take English endings (see forms).
	english bool
}

// word is what the matcher knows of one form of a word.
type word struct {
	lemmas []int32
	// flags are the word's roles in each language: "an" is an article in
	// English but, written "aan", a denial in Somali.
	flags []langFlags
	any   wordFlags // every language's flags together
	// expand is set for text speak: the words it stands for ("kms" is
	// "kill myself").
	expand []*word
	text   string
	// joinAfter and joinTo: written after the word joinAfter, this word
	// joins it into joinTo ("self" after "my" is "myself").
	joinAfter string
	joinTo    *word
	// bloom has the bits of each of lemmas (presence.go).
	bloom bloom
	// anchors tells whether any of lemmas may anchor an exclusion or cue
	// (anchorsExcl) or a phrase (anchorsPhrase): most words anchor
	// nothing, and reading passes over them (presence.go).
	anchors uint8
}

type wordFlags uint16

type langFlags struct {
	lang  uint8
	flags wordFlags
}

// in returns the word's flags in language lang and in the default
// language def.
func (w *word) in(lang, def uint8) wordFlags {
	var out wordFlags
	for _, f := range w.flags {
		if f.lang == lang || f.lang == def {
			out |= f.flags
		}
	}
	return out
}

const (
	flagFiller   wordFlags = 1 << iota // skipped inside a phrase ("just")
	flagNegator                        // denies what follows ("not")
	flagBridge                         // may stand between a denial and what it denies ("feeling")
	flagSelf                           // names the writer ("I", "me")
	flagOther                          // names someone else ("my friend", "she")
	flagOrdinary                       // never read as a misspelt risk word
	flagOwner                          // names its person only as an owner ("my"; with flagOther, "her")
	flagSpeech                         // a verb of saying ("said"): a negator after it is a word said
	flagPassive                        // makes the subject before it the one harmed ("was", "got")
	flagContrast                       // sets what follows against what came before ("but")
	flagNegAfter                       // denies what came before it ("nahi" in "khudkushi nahi karna")
	flagNegVerb                        // denies what came before it when a bridge follows ("kama" in "isdilid kama fikirayo")
)

type fuzzyWord struct {
	text string
	w    *word // the word form a misspelling of it is read as
}

// fuzzyList is the risk words of one first letter a misspelling may stand
// for, the shorter first.
type fuzzyList struct {
	words []fuzzyWord
	masks []uint32            // the letters a-z each word holds
	from  [fuzzyMax + 2]int32 // words of n letters: words[from[n]:from[n+1]]
	// near finds the words a misspelling of one edit may stand for, by
	// the hashes of them with one letter or none taken out (lookup.go).
	near map[uint64][]int32
}

// element is one word of a phrase: any of its alternatives matches.
type element struct {
	alts []alt
	gap  int // how many words may come before it that are not in the phrase
	// optional is set for a choice with an empty alternative: the element
	// may be missing.
	optional bool
	// set, for an element of many single words, tests a word against all
	// of them at once (wordset.go).
	set *wordSet
	// ends, for an element without a set, are the blooms of the lemmas
	// its alternatives begin with (ends[0]) and end with (ends[1]), so
	// that a word none of them may begin or end at is passed over without
	// trying each (wordset.go).
	ends [2]bloom
	// byEdge, for an element of many alternatives without a set, lists
	// the alternatives that begin (byEdge[0]) and end (byEdge[1]) with
	// each lemma, so that a known word tries only those (wordset.go).
	byEdge [2]*altIndex
}

type alt struct {
	// seq, for an alternative of several words ("a man"), holds them,
	// written one after the other; lemma is then -1.
	seq   []element
	lemma int32
	// edge are the blooms of the lemmas the alternative begins with
	// (edge[0]) and ends with (edge[1]), as its element's ends are of all
	// its alternatives: where an element of many alternatives may begin
	// at a word, most of them still cannot (wordset.go).
	edge [2]bloom
	// other is set where the alternative names someone else in place of
	// the writer ("herself" for "myself").
	other bool
}

// phrase is one compiled phrase or exclusion.
type phrase struct {
	kind      Kind
	kindBit   uint16 // the kind's bit; for an exclusion, the kinds it hides
	exclusion bool
	lang      string
	li        uint8 // index of lang
	text      string
	elems     []element
	// over is set for a cue that puts what came before in the past.
	over bool
	// atEnd is set for a phrase written ending in "$": it matches only at
	// the end of a clause ("can't go on $" but not "can't go on the bus").
	atEnd bool
	// ctx is set for a context cue (context.go).
	ctx *contextCue
	// pair is set for a cue of a pair (pair.go): found, it records no
	// kind of its own.
	pair *pairCue
}

type anchor struct {
	phrase int32
	elem   int32
	alt    int32 // the alternative of the element the anchor word begins
	// needs are the other elements the phrase must have (presence.go),
	// and first the bloom of the first of them, kept here so that most
	// anchors are passed over without reading their needs (every bit set
	// when there are none).
	needs []need
	first bloom
	// rest is the bloom of first here and at every anchor after it in its
	// list, so at the head of a list the whole list's: a sentence that
	// meets none of it passes none of the list's anchors, and reading
	// passes over the list at once (runWords). About half the lists met
	// at the words of an ordinary message are passed over so (153 of 288
	// in BenchmarkAssess1000's).
	rest bloom
}

// maxGap is how many words "..." stands for.
// contracted gives the negators a language makes by joining its negation
// to a verb, as its own negators show: when two or more of them are a
// bridge or passive word with the same ending added (English "didnt",
// "isnt", "hasnt": "nt" after "did", "is", "has"), a passive word that is
// another passive word with that ending ("wasnt" beside "was", "werent"
// beside "were") is a negator too, as people write it without the
// apostrophe: "i wasnt hurt". Only words the language lists are read so,
// which adds no word to the dictionary; other verbs are left out: "can't"
// and "couldn't" tell of what cannot be done ("I can't go on", "I couldn't
// breathe"), not a denial.
func contracted(l *Language) []string {
	verbs := map[string]bool{}
	for _, list := range [][]string{l.Bridges, l.Passives} {
		for _, w := range list {
			for _, n := range normaliseWords(w) {
				verbs[n] = true
			}
		}
	}
	negs := map[string]bool{}
	endings := map[string]int{}
	for _, w := range l.Negators {
		for _, n := range normaliseWords(w) {
			negs[n] = true
			for cut := 1; cut < len(n) && cut <= 3; cut++ {
				if verbs[n[:len(n)-cut]] {
					endings[n[len(n)-cut:]]++
				}
			}
		}
	}
	passive := map[string]bool{}
	for _, w := range l.Passives {
		for _, n := range normaliseWords(w) {
			passive[n] = true
		}
	}
	var out []string
	for e, count := range endings {
		if count < 2 {
			continue
		}
		for v := range passive {
			if strings.HasSuffix(v, e) && len(v) > len(e) && passive[v[:len(v)-len(e)]] && !negs[v] {
				out = append(out, v)
			}
		}
	}
	sort.Strings(out)
	return out
}

// A "$" at the end of a phrase stands for the end of a clause.
const maxGap = 4

// Compile builds a matcher from the risk model of each language, keyed by
// language code; def is the default language, whose function words
// ("not", "my friend") count in every language's phrases, since people mix
// it with their own. It returns an error naming the language and phrase when a
// phrase cannot be read.
func Compile(langs map[string]*Language, def string) (*Matcher, error) {
	m := &Matcher{
		words:    map[string]*word{},
		prefixes: map[string][]int32{},
		ordinary: map[string]bool{},
		lemmaID:  map[string]int32{},
	}
	m.number = m.lemma("#")
	codes := make([]string, 0, len(langs))
	for c := range langs {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	// Function words first, so that phrases see their flags.
	if len(codes) > 255 {
		return nil, fmt.Errorf("risk: %d languages; at most 255", len(codes))
	}
	m.langs = codes
	m.def = 255
	for i, c := range codes {
		if c == def {
			m.def = uint8(i)
		}
	}
	for li, c := range codes {
		l := langs[c]
		for _, w := range l.Fillers {
			m.flag(uint8(li), w, flagFiller)
		}
		for _, w := range l.Negators {
			m.flag(uint8(li), w, flagNegator)
		}
		for _, w := range l.NegatorsAfter {
			m.flag(uint8(li), w, flagNegAfter)
		}
		for _, w := range l.NegatorsOfVerb {
			m.flag(uint8(li), w, flagNegVerb)
		}
		for _, w := range l.Bridges {
			m.flag(uint8(li), w, flagBridge)
		}
		for _, w := range l.Selves {
			m.flag(uint8(li), w, flagSelf)
		}
		for _, w := range l.Others {
			m.flag(uint8(li), w, flagOther)
		}
		for _, w := range l.Possessives {
			m.flag(uint8(li), w, flagOwner)
			// The words for someone else in its place are owners too:
			// "his", "her", "their" for "my".
			for _, o := range l.Third[w] {
				m.flag(uint8(li), o, flagOwner)
			}
		}
		for _, w := range l.Speech {
			m.flag(uint8(li), w, flagSpeech)
		}
		for _, w := range l.Contrasts {
			m.flag(uint8(li), w, flagContrast)
		}
		for _, w := range contracted(l) {
			m.flag(uint8(li), w, flagNegator)
		}
		for _, w := range l.Passives {
			m.flag(uint8(li), w, flagPassive)
		}
		m.agents = append(m.agents, len(l.Passives) > 0)
		m.contrasting = append(m.contrasting, len(l.Contrasts) > 0)
		var endings []string
		for _, e := range l.Progressive {
			endings = append(endings, normaliseWords(e)...)
		}
		m.progressive = append(m.progressive, endings)
		for _, w := range l.Ordinary {
			for _, n := range normaliseWords(w) {
				m.ordinary[n] = true
				m.form(n).any |= flagOrdinary
			}
		}
	}
	for _, c := range codes {
		l := langs[c]
		keys := make([]string, 0, len(l.Lexicon))
		for k := range l.Lexicon {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := m.addLexicon(k, l.Lexicon[k]); err != nil {
				return nil, fmt.Errorf("risk/%s.yaml: lexicon %q: %w", c, k, err)
			}
		}
	}
	for _, c := range codes {
		l := langs[c]
		classes := classesOf(l, langs[def])
		add := func(text string, kind Kind, exclusion bool, bits uint16) error {
			expanded, err := expandClasses(text, classes)
			if err != nil {
				return fmt.Errorf("risk/%s.yaml: %q: %w", c, text, err)
			}
			from := len(m.phrases)
			if err := m.addPhrase(c, l, expanded, kind, exclusion, bits); err != nil {
				return fmt.Errorf("risk/%s.yaml: %q: %w", c, text, err)
			}
			for i := from; i < len(m.phrases); i++ {
				m.phrases[i].text = text // as written, classes and all
			}
			return nil
		}
		for _, e := range l.Exclusions {
			if err := add(e, "", true, allKinds); err != nil {
				return nil, err
			}
		}
		for _, e := range l.Over {
			from := len(m.phrases)
			if err := add(e, "", true, 0); err != nil {
				return nil, err
			}
			for i := from; i < len(m.phrases); i++ {
				m.phrases[i].over = true
			}
		}
		if err := m.addContexts(c, l.Contexts, add); err != nil {
			return nil, err
		}
		if err := m.addCombines(c, l.Combines, add); err != nil {
			return nil, err
		}
		if err := m.addPairs(c, l.Pairs, add); err != nil {
			return nil, err
		}
		for _, k := range Kinds {
			km := l.Kinds[k]
			if km == nil {
				continue
			}
			for _, p := range append(append([]string{}, km.Phrases...), km.Patterns...) {
				if err := add(p, k, false, 0); err != nil {
					return nil, err
				}
			}
			for _, e := range km.Exclusions {
				if err := add(e, k, true, kindBit(k)); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, j := range joins {
		second := m.form(j[1])
		if second.joinTo == nil {
			second.joinAfter, second.joinTo = j[0], m.form(j[0]+j[1])
		}
	}
	if err := m.checkPrefixes(); err != nil {
		return nil, err
	}
	m.buildFuzzy()
	m.anchorPhrases()
	m.buildNeeds()
	m.buildWordSets()
	m.buildEnds()
	m.buildDict()
	m.buildHidden()
	for _, w := range m.words {
		for _, id := range w.lemmas {
			w.bloom = w.bloom.or(lemmaBloom(id))
		}
	}
	return m, nil
}

const allKinds = 1<<16 - 1

func kindBit(k Kind) uint16 {
	for i, kk := range Kinds {
		if kk == k {
			return 1 << i
		}
	}
	return 0
}

// kindBits is the union of the kinds' bits, and the first kind that is
// not one, if any.
func kindBits(ks []Kind) (uint16, Kind) {
	var bits uint16
	for _, k := range ks {
		b := kindBit(k)
		if b == 0 {
			return 0, k
		}
		bits |= b
	}
	return bits, ""
}

// joins are pairs of words people write apart that phrases write as one.
// A word may follow only one other in this list.
var joins = [][2]string{{"my", "self"}, {"them", "selves"}}

// maxPrefixes is how many word beginnings one word of a message may start
// with: "molestowala" starts with molest*, molestow* and molestowal*, from
// the phrases of several languages.
const maxPrefixes = 4

// checkPrefixes reports a word beginning that begins with more than
// maxPrefixes-1 others: a word starting with it would keep only the
// shortest, and its phrases would never match.
func (m *Matcher) checkPrefixes() error {
	for s := range m.prefixes {
		var within []string
		for i := 3; i <= len(s); i++ {
			if _, ok := m.prefixes[s[:i]]; ok {
				within = append(within, s[:i]+"*")
			}
		}
		if len(within) > maxPrefixes {
			sort.Strings(within)
			return fmt.Errorf("risk: the word beginnings %s start one another: a word keeps at most %d", strings.Join(within, ", "), maxPrefixes)
		}
	}
	return nil
}

// normaliseWords splits s as a message would be split.
func normaliseWords(s string) []string {
	var sp wordSplitter
	var out []string
	sp.split(s, func(w []byte, _ bool, _ boundary) { out = append(out, string(w)) })
	return out
}

func (m *Matcher) lemma(s string) int32 {
	if id, ok := m.lemmaID[s]; ok {
		return id
	}
	id := int32(len(m.lemmas))
	m.lemmas = append(m.lemmas, s)
	m.lemmaID[s] = id
	return id
}

func (m *Matcher) form(s string) *word {
	w := m.words[s]
	if w == nil {
		w = &word{text: s}
		m.words[s] = w
	}
	return w
}

func (m *Matcher) flag(lang uint8, s string, f wordFlags) {
	for _, n := range normaliseWords(s) {
		w := m.form(n)
		w.any |= f
		found := false
		for i := range w.flags {
			if w.flags[i].lang == lang {
				w.flags[i].flags |= f
				found = true
			}
		}
		if !found {
			w.flags = append(w.flags, langFlags{lang: lang, flags: f})
		}
	}
}

// addLexicon makes the text-speak word key stand for the words of value.
func (m *Matcher) addLexicon(key, value string) error {
	ks := normaliseWords(key)
	if len(ks) != 1 {
		return fmt.Errorf("a lexicon entry is one word")
	}
	vs := normaliseWords(value)
	if len(vs) == 0 {
		return fmt.Errorf("stands for no words")
	}
	if len(vs) == 1 && vs[0] == ks[0] {
		return nil // the same word once normalised ("homeles" for "homeless")
	}
	w := m.form(ks[0])
	if w.expand != nil {
		return nil // the first language to define it wins
	}
	for _, v := range vs {
		if v == ks[0] {
			return fmt.Errorf("stands for itself among other words")
		}
		w.expand = append(w.expand, m.form(v))
	}
	return nil
}

// addPhrase compiles one phrase or exclusion, with every choice it offers
// written out as its own phrase.
func (m *Matcher) addPhrase(lang string, l *Language, text string, kind Kind, exclusion bool, bits uint16) error {
	parsed, err := parsePhrase(text)
	if err != nil {
		return err
	}
	for _, toks := range variants(parsed) {
		if err := m.compilePhrase(lang, l, text, toks, kind, exclusion, bits); err != nil {
			return err
		}
	}
	return nil
}

// compilePhrase compiles the written tokens of one phrase and indexes it.
func (m *Matcher) compilePhrase(lang string, l *Language, text string, toks []ptoken, kind Kind, exclusion bool, bits uint16) error {
	if !exclusion {
		bits = kindBit(kind)
	}
	third := l
	if exclusion {
		third = nil // an idiom is written as it is said
	}
	p := phrase{kind: kind, exclusion: exclusion, kindBit: bits, lang: lang, li: m.langIndex(lang), text: text}
	m.english = m.def != 255 && m.langs[m.def] == lang
	gap := 0
	for _, tok := range toks {
		switch {
		case tok.end:
			p.atEnd = true
		case tok.gap:
			gap += maxGap // "... ..." lets twice as many stand there
		case tok.choice != nil:
			el := element{gap: gap}
			for _, words := range tok.choice {
				if len(words) == 0 {
					el.optional = true
					continue
				}
				var seq []element
				for _, w := range words {
					sub, err := m.alternatives(third, w)
					if err != nil {
						return err
					}
					for _, a := range sub {
						seq = append(seq, element{alts: a})
					}
				}
				if len(seq) == 1 {
					el.alts = append(el.alts, seq[0].alts...)
				} else {
					el.alts = append(el.alts, alt{lemma: -1, seq: seq})
				}
			}
			if len(el.alts) == 0 {
				return fmt.Errorf("a choice with no words")
			}
			p.elems = append(p.elems, el)
			gap = 0
		default:
			alts, err := m.alternatives(third, tok.word)
			if err != nil {
				return err
			}
			for _, a := range alts {
				p.elems = append(p.elems, element{alts: a, gap: gap})
				gap = 0
			}
		}
	}
	required := 0
	for _, e := range p.elems {
		if !e.optional {
			required++
		}
	}
	if required == 0 {
		return fmt.Errorf("has no words that must be there")
	}
	m.index(p)
	return nil
}

// alternatives turns one written token of a phrase into its elements: a
// token may stand for several words through the lexicon ("kms").
func (m *Matcher) alternatives(l *Language, tok string) ([][]alt, error) {
	if tok == "#" {
		return [][]alt{{{lemma: m.number}}}, nil
	}
	if strings.HasSuffix(tok, "*") {
		ws := normaliseWords(strings.TrimSuffix(tok, "*"))
		if len(ws) != 1 {
			return nil, fmt.Errorf("%q: a word beginning is one word", tok)
		}
		if utf8.RuneCountInString(ws[0]) < 3 {
			return nil, fmt.Errorf("%q: a word beginning needs three letters", tok)
		}
		id := m.lemma(ws[0] + "*")
		m.prefixes[ws[0]] = appendUnique(m.prefixes[ws[0]], id)
		n := len(ws[0])
		if n < 64 {
			m.prefixAt[prefixPair(ws[0][0], ws[0][1])] |= 1 << n
		}
		return [][]alt{{{lemma: id}}}, nil
	}
	var out [][]alt
	for _, w := range normaliseWords(tok) {
		// A word the lexicon rewrites is matched as what it stands for.
		if f := m.words[w]; f != nil && f.expand != nil {
			for _, e := range f.expand {
				out = append(out, m.wordAlts(l, e.text))
			}
			continue
		}
		out = append(out, m.wordAlts(l, w))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%q has no letters", tok)
	}
	return out, nil
}

// wordAlts is the element for word w: w itself in all its forms, and for a
// word naming the writer, the words naming someone else in its place.
func (m *Matcher) wordAlts(l *Language, w string) []alt {
	alts := []alt{{lemma: m.addWord(w)}}
	if l == nil {
		return alts
	}
	for _, o := range l.Third[w] {
		for _, n := range normaliseWords(o) {
			if n == w {
				// Written alike once accents are folded (Polish "chcę",
				// I want, and "chce", she wants): the word names
				// neither, and the match's other words ("nie chce mi
				// się żyć") or the subject before it ("mój brat pisze,
				// że nie chce żyć") decide.
				continue
			}
			alts = append(alts, alt{lemma: m.addWord(n), other: true})
		}
	}
	return alts
}

// addWord gives w a lemma and registers its word forms.
func (m *Matcher) addWord(w string) int32 {
	id := m.lemma(w)
	fs := forms(w)
	if !m.english {
		fs = plurals(w)
	}
	for _, f := range fs {
		fw := m.form(f)
		fw.lemmas = appendUnique(fw.lemmas, id)
	}
	return id
}

func appendUnique(s []int32, id int32) []int32 {
	for _, x := range s {
		if x == id {
			return s
		}
	}
	return append(s, id)
}

// forms lists the forms of an English-like word w (already normalised):
// harm, harms, harmed, harming; overdose, overdoses, overdosed, overdosing;
// cry, cries, cried; die, dying. Written with one letter for each run of
// repeated letters, as the words of messages are.
func forms(w string) []string {
	out := []string{w}
	if !isASCIIWord(w) || len(w) < 2 {
		return out
	}
	add := func(s string) { out = append(out, squeeze(s)) }
	add(w + "s")
	add(w + "es")
	add(w + "ed")
	add(w + "ing")
	switch {
	case strings.HasSuffix(w, "ie"):
		add(w[:len(w)-2] + "ying")
		add(w + "d")
	case strings.HasSuffix(w, "e"):
		add(w + "d")
		add(w + "n")
		add(w[:len(w)-1] + "ing")
	case strings.HasSuffix(w, "y") && len(w) > 2:
		add(w[:len(w)-1] + "ies")
		add(w[:len(w)-1] + "ied")
	default:
		add(w + "en")
	}
	return out
}

// plurals lists the forms of a word of a language other than the default
// one: w, and w with -s and -es, as Spanish, Portuguese and Somali write
// plurals ("pastilla", "pastillas"). English endings would make words of
// other languages into English ones: the Lithuanian "filme" (in the film)
// would be "filmed".
func plurals(w string) []string {
	if !isASCIIWord(w) || len(w) < 2 {
		return []string{w}
	}
	return []string{w, squeeze(w + "s"), squeeze(w + "es")}
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

func squeeze(s string) string {
	var b strings.Builder
	var last rune = -1
	for _, r := range s {
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// index records phrase p; anchorPhrases chooses its anchor once every
// phrase is known.
func (m *Matcher) index(p phrase) {
	m.phrases = append(m.phrases, p)
}

// anchorPhrases lists each phrase under its anchor: the element whose words
// are expected least often in ordinary talk, so that most words of a message
// try no phrase. A phrase is tried at each of its anchor's alternatives'
// first words, so an element costs the sum of their estimated frequencies:
// "(turned up|is|s)" is tried at every "is", however rare "turned" is. An
// alternative of several words is indexed under its first.
func (m *Matcher) anchorPhrases() {
	// shared[id] is how many phrases have lemma id anywhere: a word many
	// phrases of many languages use ("to", "se", "me") is a common one.
	shared := make([]int, len(m.lemmas))
	last := make([]int32, len(m.lemmas))
	for pi := range m.phrases {
		if c := m.phrases[pi].ctx; c != nil && c.combines() {
			continue // read apart, only where a rule may apply (readCues)
		}
		for _, e := range m.phrases[pi].elems {
			for _, a := range flatAlts(e.alts) {
				if last[a.lemma] != int32(pi)+1 {
					last[a.lemma] = int32(pi) + 1
					shared[a.lemma]++
				}
			}
		}
	}
	m.listAnchors(func(p *phrase) int {
		best, bestCost := -1, 0
		for i, e := range p.elems {
			if e.optional {
				continue
			}
			cost := 0
			for _, a := range e.alts {
				cost += m.altFrequency(a, shared)
			}
			if best < 0 || cost < bestCost {
				best, bestCost = i, cost
			}
		}
		return best
	})
}

// listAnchors lists each phrase under the first words of the alternatives
// of its element choose gives, the phrase's anchor.
func (m *Matcher) listAnchors(choose func(p *phrase) int) {
	m.anchorList = make([][]anchor, len(m.lemmas))
	m.exclAnchors = make([][]anchor, len(m.lemmas))
	m.cueAnchors = make([][]anchor, len(m.lemmas))
	for pi := range m.phrases {
		p := &m.phrases[pi]
		best := choose(p)
		lists := m.anchorList
		switch {
		case p.ctx != nil && p.ctx.combines():
			lists = m.cueAnchors
		case p.exclusion:
			lists = m.exclAnchors
		}
		for ai, a := range p.elems[best].alts {
			firsts := []alt{a}
			if a.seq != nil {
				firsts = a.seq[0].alts
			}
			for _, f := range firsts {
				as := lists[f.lemma]
				if len(as) == 0 || as[len(as)-1].phrase != int32(pi) || as[len(as)-1].alt != int32(ai) {
					lists[f.lemma] = append(as, anchor{phrase: int32(pi), elem: int32(best), alt: int32(ai)})
				}
			}
		}
	}
}

// altFrequency estimates how often alternative a may begin in ordinary
// talk: for several words, the sum over its first word's alternatives.
func (m *Matcher) altFrequency(a alt, shared []int) int {
	if a.seq == nil {
		return m.frequency(a.lemma, shared)
	}
	sum := 0
	for _, f := range a.seq[0].alts {
		sum += m.frequency(f.lemma, shared)
	}
	return sum
}

// frequency is a fixed estimate of how often a lemma is written: by its
// kind (function words, fillers, pronouns and numbers first, then the common
// words below, then shorter words before longer ones), and within a kind by
// how many phrases share it.
func (m *Matcher) frequency(id int32, shared []int) int {
	s := m.lemmas[id]
	weight := 1
	switch w := m.words[s]; {
	case s == "#", w != nil && w.any&(flagFiller|flagNegator|flagBridge|flagSelf|flagOther) != 0:
		weight = 64
	case common[s]:
		weight = 32
	default:
		switch n := utf8.RuneCountInString(s); {
		case n <= 2:
			weight = 16
		case n == 3:
			weight = 8
		case n == 4:
			weight = 4
		case n == 5:
			weight = 2
		}
	}
	return weight * (1 + shared[id])
}

// common are English words too frequent in ordinary talk to anchor a
// phrase on: a phrase is tried at its anchor, so anchoring on "outside"
// would try it at every "outside" anyone writes.
var common = map[string]bool{}

func init() {
	for _, w := range strings.Fields(commonWords) {
		for _, f := range forms(squeeze(w)) {
			common[f] = true
		}
	}
}

const commonWords = `a about after again all also always am an and any anyone anything are around as at away back bad be because been before being best better big bit both but by call came can cant come could day days did didnt do does doesnt doing done dont down each even ever every everyone everything feel feeling felt few find first for friend friends from get gets getting give go going gone good got great had has have having he help her here him his home how i id if im in into is it its ive just keep know last left less let life like little live long look lot lots love made make makes many may me mean might more most much must my myself need never new next night no not nothing now of off often ok old on once one only or other our out outside over own people place please point put really right said same say says see she should since so some someone something sometimes still such sure take talk tell than thank thanks that the their them then there these they thing things think this those though thought through time to today told tonight too took try trying two up us use used very want wanted was way we week well went were what when where which while who why will with without work would yeah year years yes yet you your care reason longer notice scared afraid said says downstairs door home house back sleep slept sleeping night`

// buildFuzzy lists the long words of the phrases that a misspelling may
// stand for, by first letter and then by length.
func (m *Matcher) buildFuzzy() {
	var byLen [26][fuzzyMax + 1][]fuzzyWord
	seen := map[string]bool{}
	for _, p := range m.phrases {
		if p.exclusion {
			continue
		}
		for _, e := range p.elems {
			for _, a := range flatAlts(e.alts) {
				s := m.lemmas[a.lemma]
				if seen[s] || len(s) < fuzzyMin || !isASCIIWord(s) {
					continue
				}
				seen[s] = true
				if common[s] {
					continue
				}
				for _, f := range fuzzyForms(s) {
					if len(f) >= fuzzyMin-2 && len(f) <= fuzzyMax && f[0] >= 'a' && f[0] <= 'z' {
						b := &byLen[f[0]-'a'][len(f)]
						*b = append(*b, fuzzyWord{text: f, w: m.form(f)})
					}
				}
			}
		}
	}
	for c := range byLen {
		fl := &m.fuzzy[c]
		for l, ws := range byLen[c] {
			fl.from[l] = int32(len(fl.words))
			for _, w := range ws {
				fl.words = append(fl.words, w)
				fl.masks = append(fl.masks, letterMask(w.text))
			}
		}
		fl.from[fuzzyMax+1] = int32(len(fl.words))
		fl.buildNear()
	}
}

func letterMask(s string) uint32 {
	var mask uint32
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			mask |= 1 << (s[i] - 'a')
		}
	}
	return mask
}

func (m *Matcher) langIndex(code string) uint8 {
	for i, c := range m.langs {
		if c == code {
			return uint8(i)
		}
	}
	return 0
}

// fuzzyForms are the forms of w a misspelling is compared with: fewer than
// forms gives, since each costs time on every long unknown word.
func fuzzyForms(w string) []string {
	out := []string{w}
	if strings.HasSuffix(w, "e") {
		out = append(out, squeeze(w+"d"), squeeze(w[:len(w)-1]+"ing"))
	} else {
		out = append(out, squeeze(w+"ed"), squeeze(w+"ing"))
	}
	return append(out, squeeze(w+"s"))
}

// flatAlts lists every single-word alternative, those inside alternatives
// of several words too.
func flatAlts(alts []alt) []alt {
	var out []alt
	for _, a := range alts {
		if a.seq == nil {
			out = append(out, a)
			continue
		}
		for _, e := range a.seq {
			out = append(out, flatAlts(e.alts)...)
		}
	}
	return out
}
