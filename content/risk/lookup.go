package risk

import (
	"encoding/binary"
	"math/bits"
)

// How a word of a message is looked up. Reading a message looks up every
// word, so the lookup is built for speed once the phrases are compiled:
//
//   - one hash table holds every word form the phrases know, every word
//     beginning ("zabi*") and every word never read as a misspelling; a
//     word of up to eight bytes is found by its bytes read as one number
//     (hashWord), so the beginnings of a word are found by that number with
//     its last bytes cleared, and the word, the beginnings it starts with
//     and whether it may be a misspelling are found without reading it a
//     byte at a time;
//   - a misspelling is compared only with the risk words of the same first
//     letter and a length within the edits allowed, whose letters differ
//     from its own by no more than those edits could make, and then by an
//     edit distance worked out a column at a time in the bits of one word.

// wordIndex finds what the matcher knows of a word in one pass over its
// bytes. Open addressing with linear probing; the table is at most half full.
type wordIndex struct {
	slots   []uint32 // an entry's index + 1, 0 for an empty slot
	entries []wordEntry
	shift   uint // 64 - log2(len(slots)): a hash's top bits are its slot
	probes  int  // the most slots any entry sits past its own
	// begins has a bit set for the hash of each word beginning (beginBit),
	// so that most beginnings of a word that are none are not looked up.
	begins [1 << 10]uint64
	// starts holds, entry after entry, the lemmas of the word beginnings
	// each entry's text starts with (wordEntry.startAt).
	starts []int32
}

// beginBit is the bit of begins for hash h.
func beginBit(h uint64) (word int, bit uint64) {
	b := h * hashMix >> 48
	return int(b >> 6), 1 << (b & 63)
}

type wordEntry struct {
	hash uint64
	// head is the text's first eight bytes as a number, padded with zeros,
	// so that most words are told apart from it and their length without
	// comparing texts.
	head uint64
	text string
	w    *word
	// prefixes are the lemmas of the word beginnings written as text.
	prefixes []int32
	// plain is set for an ordinary or a common word: never read as a
	// misspelt risk word.
	plain bool
	// nstart lemmas from startAt in wordIndex.starts are those of the
	// word beginnings the text starts with, as lookup finds them for a
	// word of the message that is not a number: worked out once, when
	// the index is built, for the words it knows.
	nstart  uint8
	startAt int32
}

// A slot is picked by the top bits of the hash times 2^64 divided by the
// golden ratio (Fibonacci hashing), which spreads every bit of the hash
// into them.
const hashMix = 0x9e3779b97f4a7c15

// hashWord is the hash a word is found by: its first eight bytes as a
// little-endian number (head), padded with zeros, with each further eight
// mixed in. A word of eight bytes or fewer is its own hash, so the hash of
// any beginning of it is its head with the bytes past the beginning
// cleared.
func hashWord(s string) uint64 {
	h := head(s)
	for i := 8; i < len(s); i += 8 {
		h = mixWord(h, head(s[i:]))
	}
	return h
}

// hashBytes is hashWord for a word of a message.
func hashBytes(b []byte) uint64 {
	h := headOf(b)
	for i := 8; i < len(b); i += 8 {
		h = mixWord(h, headOf(b[i:]))
	}
	return h
}

// headMask[n] keeps the first n bytes of a head: all of them from eight.
var headMask = func() (t [64]uint64) {
	for n := range t {
		t[n] = 1<<(8*min(n, 8)) - 1
	}
	return t
}()

// prefixPair is where Matcher.prefixAt keeps the lengths of the word
// beginnings whose first two bytes are b0 and b1: every pair of letters
// a-z has its own, and other bytes may share one, which only means more
// lengths are tried. A word beginning has three letters at least.
func prefixPair(b0, b1 byte) int {
	return int(b0&31)<<5 | int(b1&31)
}

// mixWord mixes the next eight bytes of a word, c, into its hash h.
func mixWord(h, c uint64) uint64 {
	return bits.RotateLeft64(h*hashMix, 29) ^ c
}

// buildDict fills m.dict from the word forms, word beginnings, ordinary
// and common words gathered while compiling.
func (m *Matcher) buildDict() {
	x := &m.dict
	byText := map[string]int{}
	entry := func(s string) *wordEntry {
		i, ok := byText[s]
		if !ok {
			i = len(x.entries)
			byText[s] = i
			x.entries = append(x.entries, wordEntry{hash: hashWord(s), head: head(s), text: s})
		}
		return &x.entries[i]
	}
	for s, w := range m.words {
		entry(s).w = w
	}
	for s, ids := range m.prefixes {
		e := entry(s)
		e.prefixes = ids
		w, bit := beginBit(e.hash)
		x.begins[w] |= bit
	}
	for s := range m.ordinary {
		entry(s).plain = true
	}
	for s := range common {
		entry(s).plain = true
	}
	size := 1 << bits.Len(uint(2*len(x.entries)))
	x.slots = make([]uint32, size)
	x.shift = uint(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	for i := range x.entries {
		at := x.entries[i].hash * hashMix >> x.shift
		for n := 0; ; n++ {
			if x.slots[at] == 0 {
				x.slots[at] = uint32(i + 1)
				x.probes = max(x.probes, n)
				break
			}
			at = (at + 1) & mask
		}
	}
	for i := range x.entries {
		e := &x.entries[i]
		var t tok
		b := append(make([]byte, 0, max(8, len(e.text))), e.text...)
		m.beginnings(&t, b, headOf(b))
		e.startAt, e.nstart = int32(len(x.starts)), t.nprefix
		x.starts = append(x.starts, t.prefix[:t.nprefix]...)
	}
}

// head is the first eight bytes of s as a little-endian number, padded with
// zeros.
func head(s string) uint64 {
	var b [8]byte
	copy(b[:], s)
	return binary.LittleEndian.Uint64(b[:])
}

// headOf is head for a word of a message: read as eight bytes at once when
// its buffer has room for them (the splitter's always has).
func headOf(b []byte) uint64 {
	if cap(b) < 8 {
		return head(string(b))
	}
	v := binary.LittleEndian.Uint64(b[:8])
	if len(b) < 8 {
		v &= 1<<(8*len(b)) - 1
	}
	return v
}

// find returns the entry for b, whose hash is h, or nil.
func (x *wordIndex) find(h uint64, b []byte) *wordEntry {
	if len(x.slots) == 0 {
		return nil
	}
	mask := uint64(len(x.slots) - 1)
	at := h * hashMix >> x.shift
	for n := 0; n <= x.probes; n++ {
		s := x.slots[at]
		if s == 0 {
			return nil
		}
		if e := &x.entries[s-1]; e.hash == h && len(e.text) == len(b) && e.head == headOf(b) && (len(b) <= 8 || e.text == string(b)) {
			return e
		}
		at = (at + 1) & mask
	}
	return nil
}

// lookup sets t's word form and, for a word that is not a number, the word
// beginnings it starts with (the shortest first, at most maxPrefixes). It reports
// whether the word is plain: never read as a misspelling. A word the index
// knows has its beginnings worked out already.
func (m *Matcher) lookup(t *tok, b []byte, number bool) (plain bool) {
	hb := headOf(b)
	h := hb
	if len(b) > 8 {
		h = hashBytes(b)
	}
	// find, written out for the whole word.
	x := &m.dict
	if len(x.slots) == 0 {
		return false
	}
	mask := uint64(len(x.slots) - 1)
	at := h * hashMix >> x.shift
	for n := 0; n <= x.probes; n++ {
		s := x.slots[at]
		if s == 0 {
			break
		}
		if e := &x.entries[s-1]; e.hash == h && e.head == hb && len(e.text) == len(b) && (len(b) <= 8 || e.text == string(b)) {
			t.w = e.w
			if !number && e.nstart > 0 {
				t.nprefix = uint8(copy(t.prefix[:], x.starts[e.startAt:e.startAt+int32(e.nstart)]))
			}
			return e.plain
		}
		at = (at + 1) & mask
	}
	if !number {
		m.beginnings(t, b, hb)
	}
	return false
}

// beginnings sets the word beginnings the word b, of head hb, starts with,
// the shortest first, at most maxPrefixes.
func (m *Matcher) beginnings(t *tok, b []byte, hb uint64) {
	var starts uint64 // bit n: some word beginning has n bytes
	if len(b) >= 3 {
		starts = m.prefixAt[prefixPair(b[0], b[1])]
	}
	// The beginnings of b as long as a word beginning starting with b[0],
	// from one byte to all of b, the shortest first.
	if len(b) < 63 {
		starts &= 1<<(len(b)+1) - 1
	}
	for starts &^= 1; starts != 0 && t.nprefix < maxPrefixes; starts &= starts - 1 {
		n := bits.TrailingZeros64(starts)
		h := hb & headMask[n&63]
		if n > 8 {
			h = hashBytes(b[:n])
		}
		if w, bit := beginBit(h); m.dict.begins[w]&bit == 0 {
			continue
		}
		if e := m.dict.find(h, b[:n]); e != nil {
			for _, id := range e.prefixes {
				if t.nprefix < maxPrefixes {
					t.prefix[t.nprefix] = id
					t.nprefix++
				}
			}
		}
	}
}

// fuzzyLookup returns the risk word b is a misspelling of, or nil: the
// nearest of the same first letter, the first listed among the nearest. It
// is not called for plain words.
func (m *Matcher) fuzzyLookup(b []byte) *word {
	n := len(b)
	if n < fuzzyMin || n > fuzzyMax {
		return nil
	}
	var mask uint32
	var peq [26]uint32 // bit i of peq[c]: b[i] is the letter c
	for i := 0; i < n; i++ {
		if b[i] < 'a' || b[i] > 'z' {
			return nil
		}
		mask |= 1 << (b[i] - 'a')
		peq[b[i]-'a'] |= 1 << i
	}
	fl := &m.fuzzy[b[0]-'a']
	if n < fuzzyMin2 {
		return fl.nearest(b, &peq)
	}
	const maxd = 2
	from, to := fl.from[n-maxd], fl.from[min(n+maxd, fuzzyMax)+1]
	var best *word
	bestD := maxd + 1
	for i, cm := range fl.masks[from:to] {
		// Each edit adds or takes away at most two of the letters the
		// words hold.
		if bits.OnesCount32(cm^mask) > 2*maxd {
			continue
		}
		c := &fl.words[int(from)+i]
		if d := editDistance(&peq, n, c.text); d < bestD {
			best, bestD = c.w, d
		}
	}
	return best
}

// A word one edit from another is the same as it, or as it with one letter
// taken out, once one letter or none is taken out of the other: a letter
// changed or two swapped are the same with it taken out of both, a letter
// added is the other taken out. So the risk words a misspelling of one edit
// may stand for are found by the hashes of the word with each letter taken
// out in turn, among the hashes of the risk words with each taken out.

// cutHash is the hash a word with one letter taken out is found by: the
// polynomial hash of its bytes, base cutBase, modulo 2^64.
const cutBase = 0x9e3779b97f4a7c15

func cutHash(s string) uint64 {
	var h uint64
	for i := 0; i < len(s); i++ {
		h = h*cutBase + uint64(s[i])
	}
	return h
}

// buildNear indexes the words that a misspelling of one edit may stand
// for: those one letter longer or shorter than such a misspelling, or as
// long.
func (fl *fuzzyList) buildNear() {
	fl.near = map[uint64][]int32{}
	add := func(h uint64, i int) {
		if l := fl.near[h]; len(l) == 0 || l[len(l)-1] != int32(i) {
			fl.near[h] = append(l, int32(i))
		}
	}
	for i := fl.from[fuzzyMin-1]; i < fl.from[fuzzyMin2+1]; i++ {
		w := fl.words[i].text
		add(cutHash(w), int(i))
		for j := range len(w) {
			add(cutHash(w[:j]+w[j+1:]), int(i))
		}
	}
}

// nearest is fuzzyLookup for a word b of fewer than fuzzyMin2 letters a-z,
// whose letters are given by peq as editDistance takes them: the risk
// word one edit from b listed first, or nil.
func (fl *fuzzyList) nearest(b []byte, peq *[26]uint32) *word {
	n := len(b)
	var pre [fuzzyMin2 + 1]uint64 // pre[i]: the hash of b[:i]
	var suf [fuzzyMin2 + 1]uint64 // suf[i]: the hash of b[i:]
	var pow [fuzzyMin2 + 1]uint64 // pow[i]: cutBase to the power i
	pow[0] = 1
	for i := 0; i < n; i++ {
		pre[i+1] = pre[i]*cutBase + uint64(b[i])
		pow[i+1] = pow[i] * cutBase
	}
	for i := n - 1; i >= 0; i-- {
		suf[i] = uint64(b[i])*pow[n-1-i] + suf[i+1]
	}
	best, bestD := -1, 2
	for cut := -1; cut < n; cut++ {
		h := pre[n] // the whole word, then each letter taken out
		if cut >= 0 {
			h = pre[cut]*pow[n-1-cut] + suf[cut+1]
		}
		for _, i := range fl.near[h] {
			d := editDistance(peq, n, fl.words[i].text)
			if d < bestD || d == bestD && int(i) < best {
				best, bestD = int(i), d
			}
		}
	}
	if best < 0 {
		return nil
	}
	return fl.words[best].w
}

// editDistance is how many edits apart a word a and b are, counting a swap
// of two neighbouring letters as one edit (Damerau-Levenshtein, restricted:
// the optimal string alignment distance). The word a, of n letters a-z, is
// given by peq: bit i of peq[c] is set where a[i] is the letter c; b is of
// letters a-z, and both are shorter than 32 letters.
//
// It is the bit-parallel algorithm of Myers (1999) for the whole of both
// words, with the transpositions of Hyyrö (2002): each column of the table
// of distances is held as the bits of where it goes up (vp) and down (vn)
// from one row to the next, and worked out from the last in a few word
// operations.
func editDistance(peq *[26]uint32, n int, b string) int {
	if n == 0 {
		return len(b)
	}
	top := uint32(1) << (n - 1)
	vp, vn := uint32(1)<<n-1, uint32(0)
	var d0, prevEq uint32
	score := n
	for j := 0; j < len(b); j++ {
		eq := peq[b[j]-'a']
		tr := (^d0 & eq) << 1 & prevEq
		d0 = ((eq & vp) + vp) ^ vp | eq | vn | tr
		hp := vn | ^(d0 | vp)
		hn := d0 & vp
		if hp&top != 0 {
			score++
		} else if hn&top != 0 {
			score--
		}
		x := hp<<1 | 1 // the first row counts up: a's first j letters against none
		vn = x & d0
		vp = hn<<1 | ^(x | d0)
		prevEq = eq
	}
	return score
}
