package learn

import (
	_ "embed"
	"encoding/binary"
	"math"
	"sort"
	"strings"
)

// A word's runs of letters and the word itself are features of the word
// alone, so their weights can be summed once for the words that come up
// most, rather than at every message. A model keeps those sums for the
// words of words.txt (the commonest words of the training sets when it was
// written: CommonWords) in a small table; a message's word found there adds
// its sums and the number of its features, and only the pair it makes with
// the word before is looked up on its own.
// The table is a cache: a word is found in it only when its letters are
// exactly the word's, so the sums, and every score, are the same with it or
// without it (TestCacheChangesNothing).

// cachedLetters is the longest word the table holds, in letters.
const cachedLetters = 16

// summedWords are the words whose features every model sums when it is
// made or loaded. Only the speed of scoring depends on them, so they need
// not follow each retrain; write them again with CommonWords when the
// training sets have changed much.
//
//go:embed words.txt
var summedWordsText string

var summedWords = strings.Fields(summedWordsText)

// cachedWord is one word's sums: 64 bytes, a cache line.
type cachedWord struct {
	hash uint32 // the word's hash, as the features hash it
	n    int32  // its features: runs of letters and the word
	// lo and hi are the word's letters, padded with zeros to
	// cachedLetters, as two little-endian numbers.
	lo, hi uint64
	sum    packedSums
}

// letters gives w as cachedWord.lo and hi: w must be at most cachedLetters
// bytes long.
func letters(w string) (lo, hi uint64) {
	var b [cachedLetters]byte
	copy(b[:], w)
	return binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])
}

// wordCache finds a word by its letters. Open addressing with linear
// probing; at most half full.
type wordCache struct {
	slots   []uint32 // an entry's index + 1, 0 for an empty slot
	shift   uint     // 64 - log2(len(slots))
	entries []cachedWord
	// first gives each entry the first entry of its hash, under which
	// seen counts the word (seen.cached): a word is counted by its hash,
	// and two words may share one. byHash finds that entry for a word not
	// in the table, and hashBits, with the bit of each entry's hash, tells
	// most such words that there is none.
	first    []uint16
	byHash   map[uint32]uint16
	hashBits [1 << 10]uint64
}

// hashBit is the bit of hashBits for a word of hash h.
func hashBit(h uint32) (int, uint64) {
	return int(h >> 6 & (1<<10 - 1)), 1 << (h & 63)
}

// entryOf returns the first entry of hash h, for a word not found in the
// table by its letters.
func (c *wordCache) entryOf(h uint32) (uint16, bool) {
	if w, bit := hashBit(h); c.hashBits[w]&bit == 0 {
		return 0, false
	}
	i, ok := c.byHash[h]
	return i, ok
}

// slot is where the word of letters lo and hi is looked for first.
func (c *wordCache) slot(lo, hi uint64) uint64 {
	return (lo*0x9e3779b97f4a7c15 ^ hi) * 0xbf58476d1ce4e5b9 >> c.shift
}

// cacheable reports whether w may be held in the table: letters a-z and
// the digit 0, as folding leaves them, no letter three times running, and
// at most cachedLetters of them.
func cacheable(w string) bool {
	if w == "" || len(w) > cachedLetters {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; (c < 'a' || c > 'z') && c != '0' || i >= 2 && c == w[i-1] && c == w[i-2] {
			return false
		}
	}
	return true
}

// prepare lays out the rows for scoring and sums the features of each of
// summedWords alone. A word that is
// not cacheable, or repeated, is passed over: the table only ever speeds
// scoring, so what it holds never changes a score.
func (m *Model) prepare() {
	m.packRows()
	c := wordCache{}
	seen := map[string]bool{}
	for _, w := range summedWords {
		if len(c.entries) == math.MaxUint16+1 {
			break // scoring numbers the words in 16 bits
		}
		if !cacheable(w) || seen[w] {
			continue
		}
		seen[w] = true
		wk := walker{s: sink{m: m}}
		wk.walk(w)
		e := cachedWord{hash: wk.word, n: int32(wk.s.n), sum: packSums(&wk.s.sum)}
		e.lo, e.hi = letters(w)
		c.entries = append(c.entries, e)
	}
	if len(c.entries) == 0 {
		m.cache = c
		return
	}
	c.first = make([]uint16, len(c.entries))
	c.byHash = map[uint32]uint16{}
	for i, e := range c.entries {
		f, ok := c.byHash[e.hash]
		if !ok {
			f = uint16(i)
			c.byHash[e.hash] = f
			w, bit := hashBit(e.hash)
			c.hashBits[w] |= bit
		}
		c.first[i] = f
	}
	size := 2
	for size < 2*len(c.entries) {
		size *= 2
	}
	c.slots = make([]uint32, size)
	c.shift = 64
	for s := size; s > 1; s /= 2 {
		c.shift--
	}
	mask := uint64(size - 1)
	for i := range c.entries {
		at := c.slot(c.entries[i].lo, c.entries[i].hi)
		for c.slots[at] != 0 {
			at = (at + 1) & mask
		}
		c.slots[at] = uint32(i + 1)
	}
	m.cache = c
}

// CommonWords returns the n words that come up in most of the examples,
// as features name them, the most frequent first and then in alphabetical
// order; only words a model can sum ahead are counted (words.txt).
func CommonWords(examples []Example, n int) []string {
	count := map[string]int{}
	for _, e := range examples {
		var names []string
		w := walker{s: sink{names: &names}}
		w.walk(e.Text)
		for _, name := range names {
			if word, ok := strings.CutPrefix(name, "w:"); ok && cacheable(word) {
				count[word]++
			}
		}
	}
	words := make([]string, 0, len(count))
	for w := range count {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if count[words[i]] != count[words[j]] {
			return count[words[i]] > count[words[j]]
		}
		return words[i] < words[j]
	})
	return words[:min(n, len(words))]
}
