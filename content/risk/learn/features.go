// Package learn is signpost's learned reader of risk: a linear classifier
// over hashed features of a message, one per kind of risk, trained from
// labelled messages. It generalises from examples where the content's rules
// (package risk) need every phrasing written down, and is used beside them
// as a second line: it may add a kind the rules missed, never remove one.
//
// A message becomes features in one pass (features.go): its words
// lowercased, digits read as 0, apostrophes dropped and letters repeated
// more than twice read twice ("sooo" is "soo"); then each word, each pair of
// neighbouring words in a sentence, and each run of 4 letters within a word
// marked at its ends ("<die", "die>", "<me>"), so a misspelling or text
// speak shares most features with the word it stands for. (Runs of 3 to 5
// letters did no better in cross-validation, for three times the work.) Each feature is hashed
// to one of Buckets rows of weights, one weight per kind. Each word (its
// runs of letters and itself) and each pair counts once in a message, so
// repeating them adds nothing (seen.go). A kind's score is its bias plus
// the sum of its weights over the message's features divided by the square
// root of their number, a logit; the kind is found when the score reaches
// the kind's threshold.
//
// Training (train.go) is one-vs-rest logistic regression with L2
// regularisation by plain stochastic gradient descent, in a fixed order from
// a fixed seed, or the mean of several such fits. The model file (file.go) holds the quantised weights, the
// thresholds, and the names and checksums of the sets it was trained on.
package learn

import (
	"unicode"
	"unicode/utf8"

	"signpost/content/risk"
)

// Feature hashing.
const (
	// BucketBits is the base-2 logarithm of Buckets.
	BucketBits = 16
	// Buckets is the number of rows of weights features are hashed to.
	Buckets = 1 << BucketBits

	fnvOffset = 2166136261
	fnvPrime  = 16777619

	// Seeds keep the kinds of feature apart: a four-letter run is its
	// letters, 16 bits each, with the top ones flipped.
	seedWord   = 0x5bd1e995 << 32
	seedBigram = 0x27d4eb2f_165667b1
	seedGram   = 0x8000_0000_0000_0000

	// gram is the length of the runs of letters within a word that are
	// features, marks included.
	gram = 4
)

// bucket is a feature's row: the top bits of its key times 2^64 over the
// golden ratio (Fibonacci hashing), one multiplication that spreads every
// bit of the key into them.
func bucket(key uint64) uint32 {
	return uint32((key * 0x9e3779b97f4a7c15) >> (64 - BucketBits))
}

// Rune classes fold returns besides a letter.
const (
	sepSpace    = -1 // ends a word
	sepSentence = -2 // ends a word and a sentence
	skip        = -3 // read as nothing ("don't" is "dont")
	symbol      = -4 // a word of its own (an emoji)
)

// fold normalises one rune: a letter lowercased and folded as the rules fold
// it (risk.FoldWide: "ł" is "l", "ș" is "s"), a digit as '0', or one of the
// classes above.
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		return asciiFold[r]
	}
	switch {
	case r == '’' || r == '‘' || r == 0x200d || r == 0xfe0f:
		return skip
	case unicode.IsLetter(r) || unicode.IsMark(r):
		return risk.FoldWide(r)
	case unicode.IsDigit(r):
		return '0'
	case r == '।' || r == '۔' || r == '؟' || r == '…':
		return sepSentence
	case unicode.Is(unicode.So, r):
		return symbol
	}
	return sepSpace
}

// asciiFold is fold for the ASCII runes.
var asciiFold = func() (t [utf8.RuneSelf]rune) {
	for r := range t {
		switch {
		case 'a' <= r && r <= 'z':
			t[r] = rune(r)
		case 'A' <= r && r <= 'Z':
			t[r] = rune(r) + 'a' - 'A'
		case '0' <= r && r <= '9':
			t[r] = '0'
		case r == '\'':
			t[r] = skip
		case r == '.' || r == '!' || r == '?' || r == '\n':
			t[r] = sepSentence
		default:
			t[r] = sepSpace
		}
	}
	return t
}()

// sink receives a message's features as walk finds them: it sums a model's
// weights, or collects the features for training and for explaining. It
// keeps the buckets of the last features in buf and sums them a batch at a
// time, which keeps the sums in registers.
type sink struct {
	m   *Model
	sum [MaxKinds]int64
	n   int
	buf [256]uint32
	nb  int
	// hashes, when set, collects every feature's bucket; names its text.
	hashes *[]uint32
	names  *[]string
}

func (s *sink) add(key uint64) {
	b := bucket(key)
	if s.hashes != nil {
		*s.hashes = append(*s.hashes, b)
	}
	s.buf[s.nb] = b
	s.nb++
	if s.nb == len(s.buf) {
		s.flush()
	}
}

// flush adds the weights of the features in buf to the sums.
func (s *sink) flush() {
	s.n += s.nb
	if s.m != nil {
		s.m.add(&s.sum, s.buf[:s.nb])
	}
	s.nb = 0
}

// add adds the weights of the features in buckets to sum. Its ten sums stay
// in registers.
func (m *Model) add(sum *[MaxKinds]int64, buckets []uint32) {
	index, rows := m.index, m.rows
	var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 int32
	for _, b := range buckets {
		i := index[b&(Buckets-1)]
		if i == 0 {
			continue
		}
		r := &rows[i]
		a0 += int32(r[0])
		a1 += int32(r[1])
		a2 += int32(r[2])
		a3 += int32(r[3])
		a4 += int32(r[4])
		a5 += int32(r[5])
		a6 += int32(r[6])
		a7 += int32(r[7])
		a8 += int32(r[8])
		a9 += int32(r[9])
	}
	for k, a := range [MaxKinds]int32{a0, a1, a2, a3, a4, a5, a6, a7, a8, a9} {
		sum[k] += int64(a)
	}
}

// walker holds the state of one pass over a message.
type walker struct {
	s sink
	// four holds the last four letters of the current word, marks
	// included, 16 bits each (runeKey): the run of four letters ending at
	// the current one.
	four uint64
	pos  int // letters of the current word so far, with its start mark
	word uint32
	prev uint32 // the previous word's hash in this sentence, 0 at its start
	last [2]rune
	// runes is the current word and prevName the one before, kept only
	// when explaining.
	runes    []rune
	prevName string
	// seen holds the words and pairs had so far; pend the features of the
	// current word (pendNames their names, when explaining), given to s
	// at its end if the word is new to the message.
	seen      *seen
	pend      []uint64
	pendNames []string
}

// runeKey is a letter in 16 bits: itself for every letter of the Basic
// Multilingual Plane, folded for the few beyond it.
func runeKey(c rune) uint64 {
	return uint64(uint32(c)^uint32(c)>>16) & 0xffff
}

// walk finds the features of text and gives each to w.s, in one pass:
// each word's and each pair's once (seen.go).
func (w *walker) walk(text string) {
	w.seen = seenPool.Get().(*seen)
	defer func() { seenPool.Put(w.seen); w.seen = nil }()
	w.seen.start()
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		switch c := fold(r); c {
		case skip:
		case sepSpace:
			w.end()
		case sepSentence:
			w.end()
			w.prev = 0
			w.seen.sentence()
		case symbol:
			w.end()
			w.letter(r)
			w.end()
		default:
			if c == w.last[0] && c == w.last[1] && w.pos > 0 {
				continue
			}
			w.letter(c)
		}
	}
	w.end()
	w.s.flush()
}

// letter adds c to the current word, starting one when there is none.
func (w *walker) letter(c rune) {
	if w.pos == 0 {
		w.word = fnvOffset
		w.runes = w.runes[:0]
		w.four = '<'
		w.pos = 1
	}
	w.last[1], w.last[0] = w.last[0], c
	w.word = (w.word ^ uint32(c)) * fnvPrime
	if w.s.names != nil {
		w.runes = append(w.runes, c)
	}
	w.gram(c)
}

// gram moves the run of letters on by c and gives it once it is four long.
func (w *walker) gram(c rune) {
	w.four = w.four<<16 | runeKey(c)
	w.pos++
	if w.pos >= gram {
		w.pend = append(w.pend, w.four^seedGram)
		if w.s.names != nil {
			w.pendNames = append(w.pendNames, w.nameGram())
		}
	}
}

// nameGram names the run of the last four letters, marks included.
func (w *walker) nameGram() string {
	rs := make([]rune, 0, len(w.runes)+2)
	rs = append(rs, '<')
	rs = append(rs, w.runes...)
	if w.pos > len(w.runes)+1 {
		rs = append(rs, '>')
	}
	return "g:" + string(rs[len(rs)-gram:])
}

// end ends the current word, if any: its closing mark, the word, and the
// pair it makes with the word before; the word's features only if it is new
// to the message, the pair only if it is.
func (w *walker) end() {
	if w.pos == 0 {
		return
	}
	w.gram('>')
	w.pend = append(w.pend, uint64(w.word)^seedWord)
	if w.s.names != nil {
		w.pendNames = append(w.pendNames, "w:"+string(w.runes))
	}
	if w.seen.see(wordKey(w.word)) == keyNew {
		for i, key := range w.pend {
			w.s.add(key)
			if w.s.names != nil {
				*w.s.names = append(*w.s.names, w.pendNames[i])
			}
		}
	}
	w.pend, w.pendNames = w.pend[:0], w.pendNames[:0]
	if w.prev != 0 && w.seen.see(pairKey(w.prev, w.word)) == keyNew {
		w.s.add(uint64(w.prev)<<32 ^ uint64(w.word) ^ seedBigram)
		if w.s.names != nil {
			*w.s.names = append(*w.s.names, "b:"+w.prevName+" "+string(w.runes))
		}
	}
	w.prev = w.word | 1
	if w.s.names != nil {
		w.prevName = string(w.runes)
	}
	w.pos = 0
	w.last = [2]rune{}
}

// flush sums exactly ten kinds: these fail to compile if MaxKinds changes.
var (
	_ [MaxKinds - 10]struct{}
	_ [10 - MaxKinds]struct{}
)
