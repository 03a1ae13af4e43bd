package learn

import "unicode/utf8"

// referenceScore is the scoring loop written plainly: every feature looked
// up as it comes, each word's and pair's counted once in the message and
// once in its sentence with a map of what was had where. Tests hold score
// to it.
func (m *Model) referenceScore(text string) (sum [MaxKinds]int64, n, words int, best Scores, sentences int) {
	had := map[uint64]int{} // a word's or pair's key: the sentence it was last had in
	sentence := 0
	see := func(key uint64) int {
		last, ok := had[key]
		switch {
		case !ok:
			if len(had) == seenWindow {
				clear(had) // a new stretch
			}
			had[key] = sentence
			return keyNew
		case last == sentence:
			return keyRepeat
		}
		had[key] = sentence
		return keySentence
	}
	var whole, sent []uint32 // the features counted for the message, and for the sentence
	sentWords := 0
	total := func(f []uint32) (s [MaxKinds]int64) {
		for len(f) > 0 {
			c := min(len(f), 256)
			m.add(&s, f[:c])
			f = f[c:]
		}
		return s
	}
	count := func(st int, features ...uint32) {
		switch st {
		case keyNew:
			whole = append(whole, features...)
			sent = append(sent, features...)
		case keySentence:
			sent = append(sent, features...)
		}
	}
	// endWord ends a word of hash word whose runs are in cur: the run with
	// its closing mark, the word, and the pair it makes with the word
	// before.
	endWord := func(cur []uint32, four uint64, pos int, word, prev uint32, letters bool) {
		if pos+1 >= gram {
			cur = append(cur, bucket((four<<16|runeKey('>'))^seedGram))
		}
		cur = append(cur, bucket(uint64(word)^seedWord))
		st := see(wordKey(word))
		count(st, cur...)
		if letters {
			if st == keyNew {
				words++
			}
			if st != keyRepeat {
				sentWords++
			}
		}
		if prev != 0 {
			count(see(pairKey(prev, word)), bucket(uint64(prev)<<32^uint64(word)^seedBigram))
		}
	}
	endSentence := func() {
		if sentWords >= MinWords {
			d := total(sent)
			sc := m.scores(&d, len(sent))
			if sentences == 0 {
				best = sc
			} else {
				for k := range best {
					best[k] = max(best[k], sc[k])
				}
			}
			sentences++
		}
		sent, sentWords = sent[:0], 0
		sentence++
	}
	letters := false // the current word has a letter, not only digits
	var cur []uint32 // the current word's runs
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
				word, four, pos, cur = fnvOffset, '<', 1, cur[:0]
			}
			l1, l0 = l0, c
			letters = letters || c != '0'
			word = (word ^ uint32(c)) * fnvPrime
			four = four<<16 | runeKey(c)
			pos++
			if pos >= gram {
				cur = append(cur, bucket(four^seedGram))
			}
		} else if c == skip {
			continue
		} else {
			if pos > 0 {
				endWord(cur, four, pos, word, prev, letters)
				prev, pos, l0, l1 = word|1, 0, 0, 0
				letters = false
			}
			switch c {
			case sepSentence:
				prev = 0
				endSentence()
			case symbol:
				// A word of its own: too short for a run of four.
				word = (fnvOffset ^ uint32(r)) * fnvPrime
				endWord(nil, '<'<<16|runeKey(r), 2, word, prev, false)
				prev = word | 1
			}
		}
	}
	if pos > 0 {
		endWord(cur, four, pos, word, prev, letters)
	}
	endSentence()
	return total(whole), len(whole), words, best, sentences
}
