package risk

import (
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
	return foldWide(r)
}

// foldWide is fold for a rune outside ASCII.
func foldWide(r rune) rune {
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

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r)
}

// What the splitter needs to know of each rune, worked out once as the text
// is folded.
const (
	clsLetter uint8 = 1 << iota
	clsDigit
	clsBang   // "!": a letter between two letters ("k!ll")
	clsAtSign // "@" or "$": a letter before a letter or after one
)

// asciiClass is the class of each ASCII character, folded.
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = clsLetter, clsLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clsDigit
	}
	t['!'], t['@'], t['$'] = clsBang, clsAtSign, clsAtSign
	return t
}()

// class is what the splitter needs to know of the folded rune r.
func class(r rune) uint8 {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	switch {
	case unicode.IsLetter(r) || unicode.IsMark(r):
		return clsLetter
	case unicode.IsDigit(r):
		return clsDigit
	}
	return 0
}

// wordSplitter cuts text into words, calling emit with each word, already
// folded, freed of digits used as letters and of repeated letters, and the
// boundary before it. It allocates only through emit and keeps its buffers.
type wordSplitter struct {
	runes []rune
	cls   []uint8 // the class of each rune
	word  []rune
	buf   []byte
}

// split calls emit for each word of text; number is true for a word made of
// digits only.
func (s *wordSplitter) split(text string, emit func(word []byte, number bool, b boundary)) {
	s.runes, s.cls = s.runes[:0], s.cls[:0]
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			i++
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			s.runes = append(s.runes, rune(c))
			s.cls = append(s.cls, asciiClass[c])
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		if dropped(r) {
			continue
		}
		r = foldWide(r)
		s.runes = append(s.runes, r)
		s.cls = append(s.cls, class(r))
	}
	rs, cls := s.runes, s.cls
	pending := sameClause
	for i := 0; i < len(rs); {
		r := rs[i]
		if !wordStart(cls, i) {
			b := sameClause
			switch r {
			case '.', '!', '?', ';', '\n', '…', '।', '۔', '؟':
				b = newSentence
			case ',', ':', '(', ')', '-', '–', '—', '"', '“', '”', '/', '،':
				b = newClause
			}
			pending = max(pending, b)
			i++
			continue
		}
		s.word = s.word[:0]
		letters, digits := 0, 0
		for ; i < len(rs); i++ {
			r := rs[i]
			switch c := cls[i]; {
			case c&clsLetter != 0:
				letters++
			case c&clsDigit != 0:
				digits++
			case r == '\'' && i+1 < len(rs) && cls[i+1]&clsLetter != 0 && len(s.word) > 0:
				if pastD(s.word, rs, cls, i) {
					r = 'e' // "OD'd" is "oded", "SA'd" is "saed"
					break
				}
				continue // apostrophes join
			case symbolInWord(cls, i):
			default:
				goto done
			}
			s.word = append(s.word, r)
		}
	done:
		number := letters == 0
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
			if r == last && !number {
				continue
			}
			last = r
			if r < utf8.RuneSelf {
				s.buf = append(s.buf, byte(r))
			} else {
				s.buf = utf8.AppendRune(s.buf, r)
			}
		}
		emit(s.buf, number, pending)
		pending = sameClause
	}
}

// pastD reports whether the apostrophe at rs[i] makes a past tense of a
// short word or one ending in a consonant ("OD'd", "SA'd"), rather than a
// contraction ("I'd", "she'd").
func pastD(word, rs []rune, cls []uint8, i int) bool {
	if rs[i+1] != 'd' || (i+2 < len(rs) && cls[i+2]&clsLetter != 0) {
		return false
	}
	switch string(word) {
	case "i", "we", "he", "it", "u", "ya", "ye", "yo", "you", "she", "they", "who", "there", "that":
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

// wordStart reports whether a word begins at the rune i of a text whose
// runes have the classes cls.
func wordStart(cls []uint8, i int) bool {
	c := cls[i]
	return c&(clsLetter|clsDigit) != 0 || (symbolInWord(cls, i) && i+1 < len(cls) && cls[i+1]&clsLetter != 0)
}

// symbolInWord reports whether the symbol at rune i stands for a letter:
// "!" between letters ("k!ll"), "@" or "$" before a letter or after one.
func symbolInWord(cls []uint8, i int) bool {
	c := cls[i]
	if c&(clsBang|clsAtSign) == 0 {
		return false
	}
	prev := i > 0 && cls[i-1]&(clsLetter|clsDigit) != 0
	next := i+1 < len(cls) && cls[i+1]&clsLetter != 0
	if c&clsBang != 0 {
		return prev && next
	}
	return prev || next
}
