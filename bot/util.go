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
// as a last resort inside a word.
func splitText(text string, limit int) []string {
	if utf8.RuneCountInString(text) <= limit {
		return []string{text}
	}
	var parts []string
	for utf8.RuneCountInString(text) > limit {
		cut := cutPoint(text, limit)
		parts = append(parts, strings.TrimRight(text[:cut], " \n"))
		text = strings.TrimLeft(text[cut:], " \n")
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
	for i := 0; i < limit; i++ {
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
