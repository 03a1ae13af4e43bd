package telegramtest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// markdownReserved are the characters MarkdownV2 requires to be escaped with
// a backslash outside of entities. Forgetting one, often the "." at the end
// of a sentence, is the commonest MarkdownV2 bug, so the fake refuses it as
// Telegram does.
const markdownReserved = "_*[]()~`>#+-=|{}.!"

// markdownMarkers maps an emphasis marker to its entity type and the name
// Telegram uses for it in error messages.
var markdownMarkers = map[string][2]string{
	"*":  {"bold", "Bold"},
	"_":  {"italic", "Italic"},
	"__": {"underline", "Underline"},
	"~":  {"strikethrough", "Strikethrough"},
	"||": {"spoiler", "Spoiler"},
	"[":  {"text_link", "TextUrl"},
}

type mdOpen struct {
	marker string
	start  int // UTF-16 offset in the output
	at     int // byte offset in the input
}

// parseMarkdownV2 reads Telegram's MarkdownV2 style: *bold*, _italic_,
// __underline__, ~strikethrough~, ||spoiler||, [text](url), `code`,
// ```language\npre```, >quoted lines and backslash escapes.
func parseMarkdownV2(in string) (string, []MessageEntity, error) {
	var b entityBuilder
	var stack []mdOpen
	quoteStart := -1
	lineStart := true
	for i := 0; i < len(in); {
		c := in[i]
		atLineStart := lineStart
		lineStart = false
		switch {
		case c == '\\':
			if i+1 >= len(in) {
				return "", nil, fmt.Errorf("text must not end with a lone '\\' at byte offset %d", i)
			}
			r, n := decodeRune(in[i+1:])
			b.writeRune(r)
			i += 1 + n
		case c == '`':
			n, err := mdCode(in, i, &b)
			if err != nil {
				return "", nil, err
			}
			i += n
		case c == '>' && atLineStart:
			if quoteStart < 0 {
				quoteStart = b.pos
			}
			i++
		case c == '\n':
			// A quote ends with the last line that starts with '>'; the
			// line break after it is not part of it.
			if quoteStart >= 0 && (i+1 >= len(in) || in[i+1] != '>') {
				b.closeEntity(MessageEntity{Type: "blockquote"}, quoteStart)
				quoteStart = -1
			}
			b.writeRune('\n')
			i++
			lineStart = true
		case c == ']':
			if len(stack) == 0 || stack[len(stack)-1].marker != "[" {
				return "", nil, reservedErr(c)
			}
			if i+1 >= len(in) || in[i+1] != '(' {
				return "", nil, fmt.Errorf("can't find end of TextUrl entity at byte offset %d", stack[len(stack)-1].at)
			}
			url, n, ok := mdUntil(in[i+2:], ')')
			if !ok {
				return "", nil, fmt.Errorf("can't find end of a URL at byte offset %d", i+1)
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			b.closeEntity(MessageEntity{Type: "text_link", URL: url}, top.start)
			i += 2 + n
		case c == '*' || c == '_' || c == '~' || c == '[' || (c == '|' && strings.HasPrefix(in[i:], "||")):
			marker := string(c)
			if strings.HasPrefix(in[i:], "__") || strings.HasPrefix(in[i:], "||") {
				marker = in[i : i+2]
			}
			if len(stack) > 0 && stack[len(stack)-1].marker == marker && marker != "[" {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				b.closeEntity(MessageEntity{Type: markdownMarkers[marker][0]}, top.start)
			} else {
				for _, o := range stack {
					if o.marker == marker {
						return "", nil, fmt.Errorf("can't find end of %s entity at byte offset %d", markdownMarkers[marker][1], o.at)
					}
				}
				stack = append(stack, mdOpen{marker: marker, start: b.pos, at: i})
			}
			i += len(marker)
		case strings.IndexByte(markdownReserved, c) >= 0:
			return "", nil, reservedErr(c)
		default:
			r, n := decodeRune(in[i:])
			b.writeRune(r)
			i += n
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return "", nil, fmt.Errorf("can't find end of %s entity at byte offset %d", markdownMarkers[top.marker][1], top.at)
	}
	if quoteStart >= 0 {
		b.closeEntity(MessageEntity{Type: "blockquote"}, quoteStart)
	}
	text, entities := b.result()
	return text, entities, nil
}

func reservedErr(c byte) error {
	return fmt.Errorf("character '%c' is reserved and must be escaped with the preceding '\\'", c)
}

// mdCode reads `code` or ```language\npre``` starting at in[i] and returns
// the bytes consumed. Inside, only ` and \ are escaped.
func mdCode(in string, i int, b *entityBuilder) (int, error) {
	if strings.HasPrefix(in[i:], "```") {
		body := in[i+3:]
		end := strings.Index(body, "```")
		if end < 0 {
			return 0, fmt.Errorf("can't find end of Pre entity at byte offset %d", i)
		}
		content := body[:end]
		lang := ""
		if first, rest, ok := strings.Cut(content, "\n"); ok && !strings.ContainsAny(first, " \t") {
			lang, content = first, rest
		}
		start := b.pos
		b.writeString(unescapeMarkdown(content))
		b.closeEntity(MessageEntity{Type: "pre", Language: lang}, start)
		return 3 + end + 3, nil
	}
	content, n, ok := mdUntil(in[i+1:], '`')
	if !ok {
		return 0, fmt.Errorf("can't find end of Code entity at byte offset %d", i)
	}
	start := b.pos
	b.writeString(content)
	b.closeEntity(MessageEntity{Type: "code"}, start)
	return 1 + n, nil
}

// mdUntil reads up to an unescaped stop byte, unescaping on the way, and
// returns the text, the bytes consumed including the stop byte, and whether
// the stop byte was found.
func mdUntil(s string, stop byte) (string, int, bool) {
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				out.WriteByte(s[i])
			}
		case stop:
			return out.String(), i + 1, true
		default:
			out.WriteByte(s[i])
		}
	}
	return "", 0, false
}

func unescapeMarkdown(s string) string {
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		out.WriteByte(s[i])
	}
	return out.String()
}

// decodeRune is utf8.DecodeRuneInString that never reports zero width, so
// parsers always advance.
func decodeRune(s string) (rune, int) {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return utf8.RuneError, 1
	}
	return r, n
}
