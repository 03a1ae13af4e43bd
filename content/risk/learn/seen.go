package learn

import "sync"

// A word or a pair of words counts once in a message: repeating it adds
// nothing, so "ok" a hundred times reads as "ok" once, and a sentence
// counts each of its words and pairs once. seen remembers which a message
// has had. A very long message is read in stretches of seenWindow different
// words and pairs, each counting once in its stretch, so remembering them
// takes a fixed space.

const (
	seenBits   = 11
	seenSlots  = 1 << seenBits
	seenWindow = seenSlots / 2
)

// What seen.see finds of a word or pair.
const (
	keyNew      = iota // new to the message (or stretch): counts for it and its sentence
	keySentence        // had before, but not in this sentence: counts for the sentence alone
	keyRepeat          // had already in this sentence: counts for nothing
)

// seenEntry is one word (its hash) or pair (the two hashes) and the
// sentence it was last had in.
type seenEntry struct {
	key   uint64
	stamp uint32
}

// seen is a set of words and pairs with, for each, the last sentence it was
// had in: open addressing with linear probing, at most half full. An entry
// whose stamp is below base is empty, so a new message or stretch empties
// the table by raising base, without clearing it.
type seen struct {
	slots [seenSlots]seenEntry
	// cached are the stamps of the words of a model's table of words
	// summed ahead (words.go), by the first entry of their hash: found
	// there, a word is not looked up again here.
	cached []uint32
	base   uint32 // the first stamp of the current message or stretch
	cur    uint32 // the current sentence's stamp
	n      int    // words and pairs in the current stretch
}

var seenPool = sync.Pool{New: func() any { return new(seen) }}

// start begins a message.
func (t *seen) start() {
	if t.cur >= 1<<31 {
		// Long before the stamps wrap: a message cannot have 2^31 sentences.
		clear(t.slots[:])
		clear(t.cached)
		t.cur = 0
	}
	t.cur++
	t.base, t.n = t.cur, 0
}

// sentence begins a new sentence.
func (t *seen) sentence() { t.cur++ }

// see looks key up, records it as had in the current sentence and says
// which of keyNew, keySentence and keyRepeat it is.
func (t *seen) see(key uint64) int {
	at := (key * 0x9e3779b97f4a7c15) >> (64 - seenBits)
	for {
		e := &t.slots[at]
		if e.stamp < t.base {
			if t.n == seenWindow {
				// A new stretch: forget every word and pair.
				t.cur++
				t.base, t.n = t.cur, 0
				return t.see(key)
			}
			e.key, e.stamp = key, t.cur
			t.n++
			return keyNew
		}
		if e.key == key {
			if e.stamp == t.cur {
				return keyRepeat
			}
			e.stamp = t.cur
			return keySentence
		}
		at = (at + 1) & (seenSlots - 1)
	}
}

// seeCached is see for a word of the table of words summed ahead, whose
// hash's first entry is i: the same as see of its key, with the stamp kept
// in cached rather than looked up.
func (t *seen) seeCached(i uint16) int {
	p := &t.cached[i]
	if *p < t.base {
		if t.n == seenWindow {
			// A new stretch: forget every word and pair.
			t.cur++
			t.base, t.n = t.cur, 0
		}
		*p = t.cur
		t.n++
		return keyNew
	}
	if *p == t.cur {
		return keyRepeat
	}
	*p = t.cur
	return keySentence
}

// wordKey and pairKey are what seen keeps of a word of hash word, and of
// the pair it makes with the word before, of hash prev (never 0): the pair's
// key has high bits, the word's none.
func wordKey(word uint32) uint64       { return uint64(word) }
func pairKey(prev, word uint32) uint64 { return uint64(prev)<<32 | uint64(word) }
