package learn

import "unicode/utf8"

// referenceScore is the scoring loop as it was before the cache of words
// (words.go): every feature looked up as it comes. Tests hold score to it.
func (m *Model) referenceScore(text string) (sum [MaxKinds]int64, n, words int, best Scores, sentences int) {
	var buf [256]uint32
	nb := 0
	var start [MaxKinds]int64 // sum at the start of the sentence
	startN, startWords := 0, 0
	// endSentence scores the sentence that ends here.
	endSentence := func() {
		m.add(&sum, buf[:nb])
		n += nb
		nb = 0
		if words-startWords >= MinWords && n > startN {
			var d [MaxKinds]int64
			for k := range d {
				d[k] = sum[k] - start[k]
			}
			sc := m.scores(&d, n-startN)
			if sentences == 0 {
				best = sc
			} else {
				for k := range best {
					best[k] = max(best[k], sc[k])
				}
			}
			sentences++
		}
		start, startN, startWords = sum, n, words
	}
	letters := false // the current word has a letter, not only digits
	var four uint64
	var word, prev uint32
	var l0, l1 rune
	pos := 0
	for i := 0; i < len(text); {
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
			if c == l0 && c == l1 && pos > 0 {
				continue
			}
			if pos == 0 {
				word, four, pos = fnvOffset, '<', 1
			}
			l1, l0 = l0, c
			letters = letters || c != '0'
			word = (word ^ uint32(c)) * fnvPrime
			four = four<<16 | runeKey(c)
			pos++
			if pos >= gram {
				buf[nb] = bucket(four ^ seedGram)
				nb++
			}
		} else if c == skip {
			continue
		} else {
			if pos > 0 {
				nb = referenceEndWord(&buf, nb, four, pos, word, prev)
				prev, pos, l0, l1 = word|1, 0, 0, 0
				if letters {
					words++
				}
				letters = false
			}
			switch c {
			case sepSentence:
				prev = 0
				if n+nb > startN {
					endSentence()
				}
			case symbol:
				// A word of its own: too short for a run of four.
				word = (fnvOffset ^ uint32(r)) * fnvPrime
				nb = referenceEndWord(&buf, nb, '<'<<16|runeKey(r), 2, word, prev)
				prev = word | 1
			}
		}
		if nb > len(buf)-6 {
			m.add(&sum, buf[:nb])
			n += nb
			nb = 0
		}
	}
	if pos > 0 {
		nb = referenceEndWord(&buf, nb, four, pos, word, prev)
		if letters {
			words++
		}
	}
	endSentence()
	return sum, n, words, best, sentences
}

// referenceEndWord adds the features that end a word to buf: the run of four with
// its closing mark, the word, and the pair it makes with the word before.
func referenceEndWord(buf *[256]uint32, nb int, four uint64, pos int, word, prev uint32) int {
	if pos+1 >= gram {
		buf[nb] = bucket((four<<16 | runeKey('>')) ^ seedGram)
		nb++
	}
	buf[nb] = bucket(uint64(word) ^ seedWord)
	nb++
	if prev != 0 {
		buf[nb] = bucket(uint64(prev)<<32 ^ uint64(word) ^ seedBigram)
		nb++
	}
	return nb
}
