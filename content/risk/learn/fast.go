package learn

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// score is walk and sink for scoring alone, written out so that the state
// of a word stays in registers and nothing is called per letter: the
// features, and so the sums, are exactly walk's (TestCacheChangesNothing
// holds it to walk and to the loop before the cache).
//
// A word of up to cachedLetters ASCII letters is kept until it ends, then
// looked up among the words summed ahead (words.go); only when it is not
// there are its runs of letters worked out. A longer word, or one with a
// letter beyond ASCII, is read on by longWord, which gives its runs as they
// come.
//
// It also scores each sentence of MinWords words or more on its own, and
// returns for each kind the best of those (best) and how many there were
// (sentences), so that risk in one sentence of a long message is not
// diluted by the rest.
func (m *Model) score(text string) (sum [MaxKinds]int64, n, words int, best Scores, sentences int) {
	var s scoring
	s.seen = seenPool.Get().(*seen)
	s.seen.start()
	if len(s.seen.cached) < len(m.cache.entries) {
		s.seen.cached = make([]uint32, len(m.cache.entries))
	}
	var prev uint32
	for i := 0; i < len(text); {
		// Most words are a few ASCII letters and a space: read eight bytes
		// at once (shortWord), and only any other word a rune at a time.
		// (A word begins with a letter or digit: shortWord finds none at
		// a space or a mark.)
		if c := text[i]; i+8 <= len(text) && c < utf8.RuneSelf && asciiFold[c] >= 0 {
			x := load8(text[i : i+8])
			if lo, n := shortWord(x); n > 0 {
				// The byte after the word is among the eight read (n is
				// below 8: n&7 spares the shift its test for a count of 64
				// or more, as below).
				if next := byte(x >> (8 * (n & 7))); next < utf8.RuneSelf && (asciiFold[next] == sepSpace || asciiFold[next] == sepSentence) {
					t := asciiFold[next]
					var wb [cachedLetters]byte
					binary.LittleEndian.PutUint64(wb[:8], lo)
					s.ws = s.nb
					word, st := m.endCacheable(&s, lo, 0, &wb, n, prev)
					prev = word | 1
					if lo&0x4040404040404040 != 0 {
						s.count(st)
					}
					i += n + 1
					if t == sepSentence {
						prev = 0
						m.endSentence(&s)
					}
					if s.full() {
						m.flush(&s)
					}
					continue
				}
			}
		}
		r := rune(text[i])
		var c rune
		if r < utf8.RuneSelf {
			i++
			c = asciiFold[r]
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(text[i:])
			i += size
			c = fold(r)
		}
		if c >= 0 {
			// A word: read it to its end, which leaves c the rune after
			// it (sepSpace at the end of the text). While it is of ASCII
			// letters and short enough, its letters are only kept in wb;
			// past that, longWord reads the rest.
			nw := 0
			var wb [cachedLetters]byte
			var l0, l1 rune
			long := false
			for {
				if c >= 0 && (c != l0 || c != l1) {
					if nw == cachedLetters || c >= utf8.RuneSelf {
						long = true
						break
					}
					l1, l0 = l0, c
					wb[nw&(cachedLetters-1)] = byte(c)
					nw++
				}
				if i >= len(text) {
					c = sepSpace
					break
				}
				if r = rune(text[i]); r < utf8.RuneSelf {
					i++
					c = asciiFold[r]
				} else {
					var size int
					r, size = utf8.DecodeRuneInString(text[i:])
					i += size
					c = fold(r)
				}
				if c < 0 && c != skip {
					break
				}
			}
			lo, hi := binary.LittleEndian.Uint64(wb[:8]), binary.LittleEndian.Uint64(wb[8:])
			// Letters a-z have this bit and the digit '0' has not.
			letters := (lo|hi)&0x4040404040404040 != 0
			var word uint32
			var st int
			s.ws = s.nb
			if long {
				var pos int
				var more bool
				i, r, c, word, pos, more = m.longWord(&s, text, i, c, &wb, nw, l0, l1)
				st = m.endWord(&s, pos, word, prev)
				letters = letters || more
			} else {
				word, st = m.endCacheable(&s, lo, hi, &wb, nw, prev)
			}
			prev = word | 1
			if letters {
				s.count(st)
			}
		}
		switch c {
		case sepSentence:
			prev = 0
			if s.open {
				m.endSentence(&s)
			}
		case symbol:
			// A word of its own: too short for a run of four.
			word := (fnvOffset ^ uint32(r)) * fnvPrime
			s.four = '<'<<16 | runeKey(r)
			s.ws = s.nb
			m.endWord(&s, 2, word, prev)
			prev = word | 1
		}
		if s.full() {
			m.flush(&s)
		}
	}
	m.endSentence(&s)
	seenPool.Put(s.seen)
	return s.sum, s.n, s.words, s.best, s.sentences
}

// longWord reads on a word that cannot be cached: it began with the nw
// letters in wb (the last two l0 and l1), and c, the letter at i, is not
// ASCII or one too many for wb. It gives the word's
// runs as they come, and returns where the word ends, the rune after it and
// what fold makes of it (sepSpace at the end of the text), the word's hash
// and letters (pos, its start mark included), and whether a letter from c
// on is not a digit.
func (m *Model) longWord(s *scoring, text string, i int, c rune, wb *[cachedLetters]byte, nw int, l0, l1 rune) (int, rune, rune, uint32, int, bool) {
	word := s.runs(wb[:nw])
	pos := nw + 1
	letters := false
	var r rune
	for {
		if c >= 0 && (c != l0 || c != l1) {
			l1, l0 = l0, c
			letters = letters || c != '0'
			word = (word ^ uint32(c)) * fnvPrime
			pos++
			s.four = s.four<<16 | runeKey(c)
			if pos >= gram {
				s.buf[s.nb] = bucket(s.four ^ seedGram)
				s.nb++
			}
			if s.nb > len(s.buf)-maxAdded {
				m.flushWord(s)
			}
		}
		if i >= len(text) {
			return i, 0, sepSpace, word, pos, letters
		}
		r = rune(text[i])
		if r < utf8.RuneSelf {
			i++
			c = asciiFold[r]
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(text[i:])
			i += size
			c = fold(r)
		}
		if c < 0 && c != skip {
			return i, r, c, word, pos, letters
		}
	}
}

// shortWord reads x, eight bytes of text, for a word of fewer than eight
// ASCII letters and digits at its start with no letter three times running:
// it returns the word as fold leaves it (lowercase, digits as '0'), padded
// with zeros, and its length; or 0 for a length when the bytes do not start
// such a word. The byte after the word is the caller's to read.
func shortWord(x uint64) (uint64, int) {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	// Most words are of lower-case letters, followed by a byte that is not
	// a letter or digit: they are what they are written as.
	lower := ((x | high) - 'a'*ones) & ((high | 'z'*ones) - (x &^ high)) & ^x & high
	if n := bits.TrailingZeros64(^lower&high) / 8; n > 0 && n < 8 {
		if c := byte(x >> (8 * (n & 7))); c >= utf8.RuneSelf || asciiFold[c] < 0 {
			w := x & lowBytes[n&7]
			if tripled(w, n) {
				return 0, 0
			}
			return w, n
		}
	}
	ascii := ^x & high
	y := x | 0x2020202020202020 // upper case as lower; digits as they are
	alpha := ((y | high) - 'a'*ones) & ((high | 'z'*ones) - (y &^ high)) & high
	digit := ((x | high) - '0'*ones) & ((high | '9'*ones) - (x &^ high)) & high
	alpha &= ascii
	digit &= ascii
	n := bits.TrailingZeros64(^(alpha|digit)&high) / 8
	if n == 0 || n == 8 {
		return 0, 0
	}
	full := (alpha >> 7) * 0xff
	w := y&full | (digit>>7)*'0'
	w &= 1<<(8*(n&7)) - 1
	if tripled(w, n) {
		return 0, 0
	}
	return w, n
}

// tripled reports whether w, a word of n bytes, has a letter three
// times running, which is read twice: left to the rune reader. Most words
// have no letter twice running, and are told so by the first test.
func tripled(w uint64, n int) bool {
	twice := zeroBytes(w^w<<8) &^ 0xffff & lowBytes[n&7]
	return twice != 0 && twice&zeroBytes(w^w<<16) != 0
}

// lowBytes[n] keeps the low n bytes of a number, for n from 1 to 7.
var lowBytes = [8]uint64{0, 1<<8 - 1, 1<<16 - 1, 1<<24 - 1, 1<<32 - 1, 1<<40 - 1, 1<<48 - 1, 1<<56 - 1}

// zeroBytes has the high bit set of each byte of v that is 0, and of no
// other: no byte's sum carries into the next.
func zeroBytes(v uint64) uint64 {
	const low7, high = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	return ^((v&low7 + low7) | v) & high
}

// load8 is the eight bytes of s, little-endian: one load.
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// maxAdded is the most features one word and the symbol after it add to
// scoring.buf: all the word's runs, the word and its pair, then the symbol
// and its pair.
const maxAdded = cachedLetters + 8

// scoring is what score keeps beyond the word being read: the features not
// yet summed, the sums, and the sentences scored so far.
//
// Each word and pair counts once in the message and once in its sentence
// (seen.go): one new to the message counts for both, and goes to buf or
// hits; one had in an earlier sentence but not this one counts for the
// sentence alone, and goes to sbuf or shits; one had in this sentence
// already counts for nothing.
type scoring struct {
	// buf holds the buckets of the features not yet summed, and hits the
	// words found among those summed ahead, each standing for all of its
	// features but the pair it makes.
	buf  [256]uint32
	nb   int
	hits [64]uint16
	nh   int
	// ws is where the current word's features start in buf.
	ws int
	// sbuf and shits are buf and hits for the sentence alone.
	sbuf  [256]uint32
	nsb   int
	shits [64]uint16
	nsh   int
	// four holds the last four letters of a word whose runs are given as
	// they come, 16 bits each (runeKey).
	four uint64
	sum  [MaxKinds]int64
	n    int
	// pend and pendN are the sums and features of a long word's runs
	// summed before its end, when it is not yet known whether it counts.
	pend  [MaxKinds]int64
	pendN int
	// sent and sentN are the sums and features that count for the sentence
	// alone; sentWords are its words with letters, each once; open, that a
	// word ended in it.
	sent      [MaxKinds]int64
	sentN     int
	sentWords int
	open      bool
	// words are the message's words with letters, each once.
	words int
	// start and startN are the sums and features at the start of the
	// sentence.
	start     [MaxKinds]int64
	startN    int
	best      Scores
	sentences int
	seen      *seen
}

// full reports whether the features not yet summed must be, before
// another word.
func (s *scoring) full() bool {
	return s.nb > len(s.buf)-maxAdded || s.nh == len(s.hits) || s.nsb > len(s.sbuf)-maxAdded || s.nsh == len(s.shits)
}

// count counts a word with letters that seen found to be st.
func (s *scoring) count(st int) {
	if st == keyNew {
		s.words++
	}
	if st != keyRepeat {
		s.sentWords++
	}
}

// runs adds the runs of four of the word beginning with the ASCII letters
// w, its start mark included, leaves its last four letters in s.four, and
// returns the hash of w.
func (s *scoring) runs(w []byte) uint32 {
	four, word := uint64('<'), uint32(fnvOffset)
	for i, c := range w {
		word = (word ^ uint32(c)) * fnvPrime
		four = four<<16 | uint64(c)
		if i+2 >= gram {
			s.buf[s.nb] = bucket(four ^ seedGram)
			s.nb++
		}
	}
	s.four = four
	return word
}

// endCacheable ends a word of nw ASCII letters, kept in wb and as lo and
// hi: found among the words summed ahead, they stand for its runs and
// itself; otherwise it gives them. Then the pair it makes with the word
// before. It returns the word's hash.
func (m *Model) endCacheable(s *scoring, lo, hi uint64, wb *[cachedLetters]byte, nw int, prev uint32) (uint32, int) {
	// Look the word up in the cache (words.go).
	if c := &m.cache; len(c.slots) > 0 {
		mask := uint64(len(c.slots) - 1)
		for at := c.slot(lo, hi); c.slots[at] != 0; at = (at + 1) & mask {
			i := c.slots[at] - 1
			if e := &c.entries[i]; e.lo == lo && e.hi == hi {
				st := s.seen.seeCached(c.first[i])
				switch st {
				case keyNew:
					s.hits[s.nh&(len(s.hits)-1)] = uint16(i)
					s.nh++
				case keySentence:
					s.shits[s.nsh&(len(s.shits)-1)] = uint16(i)
					s.nsh++
				}
				s.pair(prev, e.hash)
				s.open = true
				return e.hash, st
			}
		}
	}
	word := s.runs(wb[:nw])
	return word, m.endWord(s, nw+1, word, prev)
}

// endWord ends a word of pos-1 letters and hash word whose runs are given
// already, from s.ws on in s.buf (and in s.pend), s.four holding its last
// letters: the run with its closing mark, the word, and the pair it makes
// with the word before. It returns what seen found of the word.
func (m *Model) endWord(s *scoring, pos int, word, prev uint32) int {
	s.closeWord(pos, word)
	st := m.keep(s, word)
	s.pair(prev, word)
	return st
}

// keep counts the features of the word of hash word that ends here, from
// s.ws on in s.buf and in s.pend, as seen finds it: for the message and
// its sentence, for the sentence alone, or not at all.
func (m *Model) keep(s *scoring, word uint32) int {
	var st int
	if i, ok := m.cache.entryOf(word); ok {
		st = s.seen.seeCached(i)
	} else {
		st = s.seen.see(wordKey(word))
	}
	switch st {
	case keyNew:
		if s.pendN > 0 {
			for k := range s.sum {
				s.sum[k] += s.pend[k]
			}
			s.n += s.pendN
		}
	case keySentence:
		if s.pendN > 0 {
			for k := range s.sent {
				s.sent[k] += s.pend[k]
			}
			s.sentN += s.pendN
		}
		f := s.buf[s.ws:s.nb]
		if s.nsb+len(f) <= len(s.sbuf)-8 {
			copy(s.sbuf[s.nsb:], f)
			s.nsb += len(f)
		} else {
			m.addPacked(&s.sent, f)
			s.sentN += len(f)
		}
		s.nb = s.ws
	default:
		s.nb = s.ws
	}
	if s.pendN > 0 {
		s.pend, s.pendN = [MaxKinds]int64{}, 0
	}
	s.open = true
	return st
}

// closeWord adds the run with the closing mark of a word of pos-1 letters
// (the last in s.four) and the word, of hash word.
func (s *scoring) closeWord(pos int, word uint32) {
	if pos+1 >= gram {
		s.buf[s.nb] = bucket((s.four<<16 | runeKey('>')) ^ seedGram)
		s.nb++
	}
	s.buf[s.nb] = bucket(uint64(word) ^ seedWord)
	s.nb++
}

// pair adds the pair a word of hash word makes with the word before, of
// hash prev (0 at the start of a sentence), as seen finds it.
func (s *scoring) pair(prev, word uint32) {
	if prev != 0 {
		switch s.seen.see(pairKey(prev, word)) {
		case keyNew:
			s.buf[s.nb] = bucket(uint64(prev)<<32 ^ uint64(word) ^ seedBigram)
			s.nb++
		case keySentence:
			s.sbuf[s.nsb] = bucket(uint64(prev)<<32 ^ uint64(word) ^ seedBigram)
			s.nsb++
		}
	}
}

// flush sums the features in s.buf and s.hits, and those for the sentence
// alone.
func (m *Model) flush(s *scoring) {
	m.addPacked(&s.sum, s.buf[:s.nb])
	s.n += s.nb + m.addWords(&s.sum, s.hits[:s.nh])
	s.nb, s.nh = 0, 0
	if s.nsb+s.nsh > 0 {
		m.addPacked(&s.sent, s.sbuf[:s.nsb])
		s.sentN += s.nsb + m.addWords(&s.sent, s.shits[:s.nsh])
		s.nsb, s.nsh = 0, 0
	}
}

// flushWord is flush within a long word: its features so far are summed
// in s.pend, to count once its end shows whether it is new.
func (m *Model) flushWord(s *scoring) {
	m.addPacked(&s.pend, s.buf[s.ws:s.nb])
	s.pendN += s.nb - s.ws
	s.nb = s.ws
	m.flush(s)
	s.ws = 0
}

// endSentence sums the features not yet summed and scores the sentence
// that ends here.
func (m *Model) endSentence(s *scoring) {
	m.flush(s)
	if s.sentWords >= MinWords {
		var d [MaxKinds]int64
		for k := range d {
			d[k] = s.sum[k] - s.start[k] + s.sent[k]
		}
		sc := m.scores(&d, s.n-s.startN+s.sentN)
		if s.sentences == 0 {
			s.best = sc
		} else {
			for k := range s.best {
				s.best[k] = max(s.best[k], sc[k])
			}
		}
		s.sentences++
	}
	s.start, s.startN = s.sum, s.n
	s.sent, s.sentN, s.sentWords, s.open = [MaxKinds]int64{}, 0, 0, false
	s.seen.sentence()
}

// packedRow is a row of weights laid out to be added two kinds at a time:
// each weight plus 32768, kinds 2j and 2j+1 in the low and high 32 bits of
// number j.
type packedRow [MaxKinds / 2]uint64

// biasedZero is what a weight of 0 is in a packedRow.
const biasedZero = 1 << 15

func pack(r row) packedRow {
	var p packedRow
	for k, w := range r {
		p[k/2] |= uint64(int32(w)+biasedZero) << (32 * (k % 2))
	}
	return p
}

// packRows lays out m's rows for addPacked; the bucket with no row (index
// 0) gets a row of weights 0.
func (m *Model) packRows() {
	m.packed = make([]packedRow, len(m.rows))
	for i := range m.rows {
		m.packed[i] = pack(m.rows[i])
	}
	m.packed[0] = pack(row{})
}

// addPacked is add for scoring: the weights of the features in buckets
// added to sum, two kinds in each addition; 256 features of at most 65535
// each fit in a lane of 32 bits.
func (m *Model) addPacked(sum *[MaxKinds]int64, buckets []uint32) {
	index, packed := (*[Buckets]uint16)(m.index), m.packed
	var a0, a1, a2, a3, a4 uint64
	for _, b := range buckets {
		p := &packed[index[b&(Buckets-1)]]
		a0 += p[0]
		a1 += p[1]
		a2 += p[2]
		a3 += p[3]
		a4 += p[4]
	}
	bias := int64(len(buckets)) * biasedZero
	for j, a := range [MaxKinds / 2]uint64{a0, a1, a2, a3, a4} {
		sum[2*j] += int64(uint32(a)) - bias
		sum[2*j+1] += int64(a>>32) - bias
	}
}

// packedSums are a word's sums for addWords: kinds 2j and 2j+1 as one
// number, the second times 2^32 plus the first.
type packedSums [MaxKinds / 2]int64

func packSums(s *[MaxKinds]int64) packedSums {
	var p packedSums
	for j := range p {
		p[j] = s[2*j+1]<<32 + s[2*j]
	}
	return p
}

// addWords adds the sums of the cached words hits to sum, and returns how
// many features they stand for. Two sums share each number: at most 64
// words of at most cachedLetters weights of 16 bits keep the first within
// 32 bits, so the second is exact above it.
func (m *Model) addWords(sum *[MaxKinds]int64, hits []uint16) int {
	words := m.cache.entries
	var a0, a1, a2, a3, a4 int64
	n := 0
	for _, h := range hits {
		e := &words[h]
		n += int(e.n)
		a0 += e.sum[0]
		a1 += e.sum[1]
		a2 += e.sum[2]
		a3 += e.sum[3]
		a4 += e.sum[4]
	}
	for j, a := range [MaxKinds / 2]int64{a0, a1, a2, a3, a4} {
		lo := int64(int32(a))
		sum[2*j] += lo
		sum[2*j+1] += (a - lo) >> 32
	}
	return n
}
