package bot

import (
	"strings"
	"unicode/utf8"
)

func containsToken(s, token string) bool { return strings.Contains(s, token) }

func replaceToken(s, token string) string { return strings.ReplaceAll(s, token, "***") }

// MaxText is Telegram's limit on a message's text, in characters.
const MaxText = 4096

// splitText cuts text into messages within Telegram's limit, at paragraph
// breaks where it can, then at line breaks, then between words, and only
// as a last resort inside a word. It walks the text once.
func splitText(text string, limit int) []string {
	left := utf8.RuneCountInString(text)
	if left <= limit {
		return []string{text}
	}
	var parts []string
	for left > limit {
		cut := cutPoint(text, limit)
		part := strings.TrimRight(text[:cut], " \n")
		rest := strings.TrimLeft(text[cut:], " \n")
		left -= utf8.RuneCountInString(text[:len(text)-len(rest)])
		parts = append(parts, part)
		text = rest
	}
	if text != "" {
		parts = append(parts, text)
	}
	return parts
}

// cutPoint is the byte offset at which to cut text so the first part has at
// most limit characters.
func cutPoint(text string, limit int) int {
	end := 0
	for i := 0; i < limit && end < len(text); i++ {
		_, size := utf8.DecodeRuneInString(text[end:])
		end += size
	}
	head := text[:end]
	for _, sep := range []string{"\n\n", "\n", " "} {
		if i := strings.LastIndex(head, sep); i > 0 {
			return i + len(sep)
		}
	}
	return end
}
