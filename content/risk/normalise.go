package risk

import (
	"encoding/binary"
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// How text becomes words the phrases can be compared with. Every step applies
// alike to the content's phrases and to what people write, so a phrase
// matches whatever spelling reduces to the same words:
//
//   - case is lowered and Latin letters lose their accents ("żyć" is "zyc",
//     "mă" is "ma"), since many people type without them;
//   - Urdu written with Arabic letters is brought to the Urdu forms (ي, ى to
//     ی; ك to ک; ه to ہ) and loses its vowel marks;
//   - apostrophes join ("can't" is "cant");
//   - digits and symbols used as letters become letters inside a word with at
//     least two letters ("k!ll", "d1e", "$uicide", "r@ped");
//   - a star, hash or underscore standing between two letters hides a letter
//     ("r*ped", "su*cide", "f***ing", "f#ck"): the word keeps one '*' for
//     each hidden letter, and the matcher reads it as the word it then spells
//     (hidden.go), or, when it spells none, as the words on either side, as
//     before;
//   - every run of a repeated letter becomes one letter ("soooo" and "so",
//     "kill" and "kil"), on both sides, so stretched words match.
//
// Between words, sentence ends (. ! ? ; and new lines) and clause ends
// (commas, colons, brackets, dashes) are kept: a phrase does not reach across
// a sentence, and a denial or a subject does not reach across a clause.

// boundary is what separates a word from the one before it.
type boundary uint8

const (
	sameClause boundary = iota
	newClause
	newSentence
)

// fold lowers r and takes the accent off a Latin letter.
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return FoldWide(r)
}

// FoldWide is how the rules read a rune outside ASCII: lowered, the accent
// taken off a Latin letter, the Arabic letters Urdu writes in other shapes
// read as Urdu's, and every apostrophe as '. The learned reader folds
// letters with it too, so both read "dusił" and "dusil" as one word.
func FoldWide(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
		return 'a'
	case 'ç', 'ć', 'č', 'ĉ', 'ċ':
		return 'c'
	case 'ď', 'đ':
		return 'd'
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě':
		return 'e'
	case 'ğ', 'ģ':
		return 'g'
	case 'ì', 'í', 'î', 'ï', 'ī', 'į', 'ı':
		return 'i'
	case 'ķ':
		return 'k'
	case 'ł', 'ľ', 'ļ', 'ĺ':
		return 'l'
	case 'ñ', 'ń', 'ň', 'ņ':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő':
		return 'o'
	case 'ř', 'ŕ':
		return 'r'
	case 'ś', 'ş', 'š', 'ș', 'ß':
		return 's'
	case 'ţ', 'ț', 'ť':
		return 't'
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű', 'ų':
		return 'u'
	case 'ý', 'ÿ':
		return 'y'
	case 'ź', 'ż', 'ž':
		return 'z'
	case 'ي', 'ى', 'ې':
		return 'ی'
	case 'ك':
		return 'ک'
	case 'ه', 'ۃ':
		return 'ہ'
	case 'ة':
		return 'ہ'
	case '’', '‘', 'ʼ', '`', '´':
		return '\''
	}
	return r
}

// dropped reports whether r is left out of a word altogether: joiners,
// Arabic vowel marks and the tatweel.
func dropped(r rune) bool {
	return r == 0x200c || r == 0x200d || r == 0x0640 || (r >= 0x064b && r <= 0x065f) || r == 0x0670
}

// leet is the letter a digit or symbol stands for inside a word.
func leet(r rune) (rune, bool) {
	switch r {
	case '0':
		return 'o', true
	case '1', '!':
		return 'i', true
	case '3':
		return 'e', true
	case '4', '@':
		return 'a', true
	case '5', '$':
		return 's', true
	case '7':
		return 't', true
	}
	return 0, false
}

// What the splitter needs to know of each rune, worked out once as the text
// is folded and kept beside the rune, in the bits above it (see ch).
const (
	clsLetter uint32 = 1 << (24 + iota)
	clsDigit
	clsBang   // "!": a letter between two letters ("k!ll")
	clsAtSign // "@" or "$": a letter before a letter or after one
	clsSentence
	clsClause
	clsHidden // "*", "#" or "_": a hidden letter between two letters ("r*ped")
	clsUpper  // a capital letter: after an ellipsis, a new sentence

	runeBits = 1<<24 - 1
)

// ch is a folded rune and its class.
type ch uint32

func (c ch) r() rune          { return rune(c & runeBits) }
func (c ch) is(k uint32) bool { return uint32(c)&k != 0 }

// asciiChars are the ASCII characters folded, with their classes.
var asciiChars = func() (t [utf8.RuneSelf]ch) {
	for c := range t {
		t[c] = ch(fold(rune(c)))
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= ch(clsLetter)
		t[c-'a'+'A'] |= ch(clsLetter | clsUpper)
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= ch(clsDigit)
	}
	t['!'] |= ch(clsBang)
	t['@'] |= ch(clsAtSign)
	t['$'] |= ch(clsAtSign)
	t['*'] |= ch(clsHidden)
	t['#'] |= ch(clsHidden)
	t['_'] |= ch(clsHidden)
	for c := range t {
		t[c] |= ch(boundaryClass(rune(c)))
	}
	return t
}()

// wideChar is the folded rune r, outside ASCII, with its class.
func wideChar(r rune) ch {
	upper := unicode.IsUpper(r)
	r = FoldWide(r)
	c := ch(r) | ch(boundaryClass(r))
	switch {
	case unicode.IsLetter(r) || unicode.IsMark(r):
		c |= ch(clsLetter)
		if upper {
			c |= ch(clsUpper)
		}
	case unicode.IsDigit(r):
		c |= ch(clsDigit)
	}
	return c
}

// boundaryClass is clsSentence for a rune that ends a sentence, clsClause
// for one that ends a clause, and 0 for any other.
func boundaryClass(r rune) uint32 {
	switch r {
	case '.', '!', '?', ';', '\n', '…', '।', '۔', '؟':
		return clsSentence
	case ',', ':', '(', ')', '-', '–', '—', '"', '“', '”', '/', '،':
		return clsClause
	}
	return 0
}

// firstEmoji is the first of the faces emojiWord reads as a word: no rune
// below it stands for one.
const firstEmoji = '😁'

// emojiWord is the word a face stands for: "lol" for one laughing, "ugh"
// for one exasperated; "" for any other rune.
func emojiWord(r rune) string {
	switch r {
	case '😂', '🤣', '😆', '😅', '😹', '😁', '😄':
		return "lol"
	case '😤', '🙄', '😒', '😑', '🤦':
		return "ugh"
	}
	return ""
}

// wordSplitter cuts text into words, calling emit with each word, already
// folded, freed of digits used as letters and of repeated letters, and the
// boundary before it. It allocates only through emit and keeps its buffers.
type wordSplitter struct {
	chars []ch
	// lower holds, beside each of chars, the rune's byte when it is ASCII
	// (folded: a capital as a small letter) and 0 for any other, and eight
	// 0s after the last, so that the letters of a short word are read
	// eight at a time (shortLetters).
	lower []byte
	word  []rune
	buf   []byte
	// spells, when set, reports whether a word hiding letters spells a
	// word the reader knows. Such a word is emitted whole, with hidden set;
	// any other is emitted as the words on either side of its marks.
	spells func(word []byte) bool
	// hidden is set while emit is called with a word that hides letters:
	// it holds a '*' for each ("r*ped").
	hidden bool
	// from and to are where the word being emitted begins and ends among
	// the folded runes of the text.
	from, to int32
}

// hiddenMark is what a hidden letter is written as in a word.
const hiddenMark = '*'

// split calls emit for each word of text; number is true for a word made of
// digits only.
func (s *wordSplitter) split(text string, emit func(word []byte, number bool, b boundary)) {
	if cap(s.chars) < len(text) {
		s.chars = make([]ch, len(text))
	}
	if cap(s.lower) < len(text)+8 {
		s.lower = make([]byte, len(text)+8)
	}
	cs := s.chars[:foldChars(s.chars[:len(text)], s.lower[:len(text)+8], text)]
	lower := s.lower[:len(cs)+8]
	clear(lower[len(cs):])
	pending := sameClause
	buf := s.buf
	if cap(buf) < 64 {
		buf = make([]byte, 0, 64) // room to read a word's first eight bytes at once
	}
	for i := 0; i < len(cs); {
		if cs[i] == ' ' {
			i++ // most often between two words: nothing to note
			continue
		}
		if c := cs[i]; !c.is(clsLetter|clsDigit) && !(c.is(clsBang|clsAtSign) && wordStart(cs, i)) {
			b := sameClause
			switch {
			case c.is(clsSentence) && ellipsis(cs, i) > i:
				// A thought trailing off and going on ("i just want
				// to... not wake up") is one sentence; an ellipsis before a
				// capital, a line's end or the text's end ends one.
				b, i = newClause, ellipsis(cs, i)-1
			case c.is(clsSentence):
				b = newSentence
			case c.is(clsClause) && !joiningHyphen(cs, i):
				b = newClause
			}
			pending = max(pending, b)
			// A laughing or exasperated face is read as the word people
			// write for it, once for a run of them: "kill her 😤" is
			// "kill her ugh".
			if c.r() < firstEmoji {
				i++
				continue
			}
			if w := emojiWord(c.r()); w != "" && (i == 0 || emojiWord(cs[i-1].r()) != w) {
				buf = append(buf[:0], w...)
				emit(buf, false, pending)
				pending = sameClause
			}
			i++
			continue
		}
		// Most words are letters only: squeeze them as they are read, and
		// read any other word again by every rule.
		start := i
		buf = buf[:0]
		number := false
		// A word of fewer than eight ASCII letters that nothing after it
		// may carry on (a digit, an apostrophe, a mark standing for a
		// letter), the most common, is read at once; any other a letter at
		// a time, and then what follows it by every rule.
		if w, n := shortLetters(lower[i : i+8]); n > 0 && (i+n == len(cs) || !cs[i+n].is(clsLetter|clsDigit|clsBang|clsAtSign|clsHidden) && cs[i+n].r() != '\'') {
			if repeats(w, n) {
				buf = squeezeShort(buf, w, n)
			} else {
				buf = buf[:8] // buf has room for 64 bytes
				binary.LittleEndian.PutUint64(buf, w)
				buf = buf[:n]
			}
			i += n
		} else {
			var last rune = -1
			for ; i < len(cs) && cs[i].is(clsLetter); i++ {
				if r := cs[i].r(); r != last {
					last = r
					if r < utf8.RuneSelf {
						buf = append(buf, byte(r))
					} else {
						buf = utf8.AppendRune(buf, r)
					}
				}
			}
			if i == start || i < len(cs) && (cs[i].is(clsDigit|clsBang|clsAtSign|clsHidden) || cs[i].r() == '\'') && inWord(cs, i) {
				s.buf = buf
				i, number = s.wordAt(cs, start)
				buf = s.buf
			}
		}
		s.from, s.to = int32(start), int32(i)
		if s.hidden {
			s.buf = buf
			s.emitHidden(emit, pending)
			buf = s.buf
		} else {
			emit(buf, number, pending)
		}
		pending = sameClause
		if i < len(cs) && cs[i] == ' ' {
			i++ // the space after a word: nothing to note
		}
	}
	s.buf = buf
}

// foldChars writes the runes of text into cs, folded and with their classes,
// and beside them into lower the byte of each that is ASCII, folded, and 0
// for any other; it returns how many it wrote. cs has room for one for each
// byte of text, and lower for eight more.
func foldChars(cs []ch, lower []byte, text string) int {
	n := 0
	for i := 0; i < len(text); {
		// Eight ASCII bytes at a time while there are eight.
		// Each byte is taken from the number the eight were read as, so
		// that none is read (or its index checked) again.
		if i+8 <= len(text) && n+8 <= len(cs) {
			if x := load8(text[i : i+8]); x&0x8080808080808080 == 0 {
				d := cs[n : n+8 : n+8]
				d[0], d[1], d[2], d[3] = asciiChars[x&0x7f], asciiChars[x>>8&0x7f], asciiChars[x>>16&0x7f], asciiChars[x>>24&0x7f]
				d[4], d[5], d[6], d[7] = asciiChars[x>>32&0x7f], asciiChars[x>>40&0x7f], asciiChars[x>>48&0x7f], asciiChars[x>>56]
				binary.LittleEndian.PutUint64(lower[n:n+8], x|between(x, 'A', 'Z')>>2)
				n += 8
				i += 8
				continue
			}
		}
		if c := text[i]; c < utf8.RuneSelf {
			cs[n] = asciiChars[c]
			lower[n] = byte(asciiChars[c].r())
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if !dropped(r) {
			cs[n] = wideChar(r)
			lower[n] = 0
			n++
		}
	}
	return n
}

// between has the high bit set of each byte of x, eight ASCII bytes, that
// is from lo to hi, and no other bit: no byte's difference borrows from the
// next.
func between(x uint64, lo, hi byte) uint64 {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	return ((x | high) - uint64(lo)*ones) & ((high | uint64(hi)*ones) - x) & high
}

// shortLetters reads b, eight of the splitter's lower bytes, for a word of
// fewer than eight ASCII letters at its start: it returns them as a
// little-endian number, the bytes past them cleared, and how many there
// are; 0 for that when b starts with no such word. The caller makes sure
// that no letter beyond ASCII follows.
func shortLetters(b []byte) (uint64, int) {
	const high = 0x8080808080808080
	x := binary.LittleEndian.Uint64(b)
	// Bytes outside ASCII are 0 in lower, so every byte is ASCII here.
	n := bits.TrailingZeros64(^between(x, 'a', 'z')&high) / 8
	if n == 8 {
		return 0, 0
	}
	// n is below 8: n&7 tells the compiler so, and spares the shift its
	// test for a count of 64 or more.
	return x & (1<<(8*(n&7)) - 1), n
}

// repeats reports whether any of the n letters of w (shortLetters) is
// the same as the next.
func repeats(w uint64, n int) bool {
	const low7, high = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	// The bytes where a letter is the same as the next are 0 in d.
	d := w ^ w>>8
	return ^((d&low7+low7)|d)&high&(1<<(8*((n-1)&7))-1) != 0
}

// squeezeShort appends to buf the n letters of w (shortLetters) with every
// run of a repeated letter as one letter.
func squeezeShort(buf []byte, w uint64, n int) []byte {
	last := byte(0)
	for k := 0; k < n; k++ {
		if c := byte(w >> (8 * k)); c != last {
			buf = append(buf, c)
			last = c
		}
	}
	return buf
}

// emitHidden emits the word in s.buf, which hides letters: whole when it
// spells a word (s.spells), else as the words on either side of its marks.
func (s *wordSplitter) emitHidden(emit func(word []byte, number bool, b boundary), pending boundary) {
	if s.spells != nil && s.spells(s.buf) {
		emit(s.buf, false, pending)
		s.hidden = false
		return
	}
	s.hidden = false
	b := s.buf
	for from, i := 0, 0; i <= len(b); i++ {
		if i == len(b) || b[i] == hiddenMark {
			if i > from {
				emit(b[from:i], false, pending)
				pending = sameClause
			}
			from = i + 1
		}
	}
}

// ellipsis returns, for an ellipsis at i ("..", "...", "…") that a word
// in small letters follows on the same line, where the ellipsis ends; for
// anything else, i.
func ellipsis(cs []ch, i int) int {
	dots, j := 0, i
	for ; j < len(cs) && (cs[j].r() == '.' || cs[j].r() == '…'); j++ {
		dots++
		if cs[j].r() == '…' {
			dots += 2
		}
	}
	if dots < 2 {
		return i
	}
	k := j
	for k < len(cs) && (cs[k].r() == ' ' || cs[k].r() == '\t') {
		k++
	}
	if k == len(cs) || !cs[k].is(clsLetter|clsDigit) || cs[k].is(clsUpper) {
		return i
	}
	return j
}

// load8 is the eight bytes of s, little-endian: one load.
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// inWord reports whether the rune at i, after a letter, carries on the word:
// a digit, an apostrophe before a letter, a symbol standing for a letter or
// hidden letters before a letter.
func inWord(cs []ch, i int) bool {
	c := cs[i]
	return c.is(clsDigit) || c.r() == '\'' && i+1 < len(cs) && cs[i+1].is(clsLetter) || symbolInWord(cs, i) ||
		c.is(clsHidden) && hiddenRun(cs, i) > i
}

// hiddenRun returns where the run of hidden-letter marks beginning at i
// ends, when it stands between two letters ("r*ped", "f***ing"), and i
// when it does not ("*bold*", "5*3", "**note**").
func hiddenRun(cs []ch, i int) int {
	if i == 0 || !cs[i-1].is(clsLetter) {
		return i
	}
	j := i
	for j < len(cs) && cs[j].is(clsHidden) {
		j++
	}
	if j == len(cs) || !cs[j].is(clsLetter) {
		return i
	}
	return j
}

// wordAt reads the word beginning at i into s.buf by every rule, and
// returns where it ends and whether it is a number.
func (s *wordSplitter) wordAt(cs []ch, i int) (end int, number bool) {
	s.word = s.word[:0]
	s.hidden = false
	letters := 0
	for ; i < len(cs); i++ {
		c := cs[i]
		r := c.r()
		switch {
		case c.is(clsLetter):
			letters++
		case c.is(clsHidden):
			j := hiddenRun(cs, i)
			if j == i {
				goto done
			}
			for ; i < j; i++ {
				s.word = append(s.word, hiddenMark)
			}
			i--
			s.hidden = true
			continue
		case c.is(clsDigit):
		case r == '\'' && i+1 < len(cs) && cs[i+1].is(clsLetter) && len(s.word) > 0:
			if pastD(s.word, cs, i) {
				r = 'e' // "OD'd" is "oded", "SA'd" is "saed"
				break
			}
			continue // apostrophes join
		case symbolInWord(cs, i):
		default:
			goto done
		}
		s.word = append(s.word, r)
	}
done:
	number = letters == 0
	if letters >= 2 && len(s.word) > letters {
		for j, r := range s.word {
			if l, ok := leet(r); ok {
				s.word[j] = l
			}
		}
	}
	s.buf = s.buf[:0]
	var last rune = -1
	for _, r := range s.word {
		if r == last && !number && r != hiddenMark {
			continue
		}
		last = r
		s.buf = utf8.AppendRune(s.buf, r)
	}
	return i, number
}

// pastD reports whether the apostrophe at i makes a past tense of a short
// word or one ending in a consonant ("OD'd", "SA'd"), rather than a
// contraction ("I'd", "she'd").
func pastD(word []rune, cs []ch, i int) bool {
	if cs[i+1].r() != 'd' || (i+2 < len(cs) && cs[i+2].is(clsLetter)) {
		return false
	}
	if len(word) <= len("there") && contracting(word) {
		return false
	}
	if len(word) <= 2 {
		return true
	}
	switch word[len(word)-1] {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return false
	}
	return true
}

// contracting reports whether word, of at most five runes, is one whose
// "'d" is a contraction ("I'd", "she'd"): it is compared as the bytes of
// its runes, with no string made of it.
func contracting(word []rune) bool {
	var b [len("there")]byte
	for i, r := range word {
		if r >= utf8.RuneSelf {
			return false
		}
		b[i] = byte(r)
	}
	switch string(b[:len(word)]) {
	case "i", "we", "he", "it", "u", "ya", "ye", "yo", "you", "she", "they", "who", "there", "that":
		return true
	}
	return false
}

// joiningHyphen reports whether the rune at i is a hyphen between two
// letters, which joins words of one clause ("sa-mi", "self-harm") where a
// dash with space around it sets a clause apart.
func joiningHyphen(cs []ch, i int) bool {
	return cs[i].r() == '-' && i > 0 && i+1 < len(cs) && cs[i-1].is(clsLetter) && cs[i+1].is(clsLetter)
}

// wordStart reports whether a word begins at i.
func wordStart(cs []ch, i int) bool {
	return cs[i].is(clsLetter|clsDigit) || (symbolInWord(cs, i) && i+1 < len(cs) && cs[i+1].is(clsLetter))
}

// symbolInWord reports whether the symbol at i stands for a letter: "!"
// between letters ("k!ll"), "@" or "$" before a letter or after one.
func symbolInWord(cs []ch, i int) bool {
	c := cs[i]
	if !c.is(clsBang | clsAtSign) {
		return false
	}
	prev := i > 0 && cs[i-1].is(clsLetter|clsDigit)
	next := i+1 < len(cs) && cs[i+1].is(clsLetter)
	if c.is(clsBang) {
		return prev && next
	}
	return prev || next
}
