package telegramtest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxTextChars is Telegram's limit on a message text, counted after
// entity parsing: markup does not count, the visible characters do.
const maxTextChars = 4096

// formatText turns a text parameter into what the chat shows: markup parsed
// into entities, surrounding white space trimmed, then the 1-4096 characters
// limit checked.
func formatText(text, parseMode string, p params) (string, []MessageEntity, *apiError) {
	var entities []MessageEntity
	var err error
	switch parseMode {
	case "":
		if p.has("entities") {
			if derr := p.decode("entities", &entities); derr != nil {
				return "", nil, badRequest("can't parse entities JSON object")
			}
		}
	case "HTML":
		text, entities, err = parseHTML(text)
	case "MarkdownV2":
		text, entities, err = parseMarkdownV2(text)
	case "Markdown":
		// The legacy dialect is deprecated and the project does not use it;
		// refusing it loudly beats imitating its quirks badly.
		return "", nil, badRequest("telegramtest supports parse_mode HTML and MarkdownV2, not legacy Markdown")
	default:
		return "", nil, badRequest("unsupported parse_mode")
	}
	if err != nil {
		return "", nil, badRequest("can't parse entities: " + err.Error())
	}
	text, entities = trimText(text, entities)
	if text == "" {
		return "", nil, badRequest("message text is empty")
	}
	if utf8.RuneCountInString(text) > maxTextChars {
		return "", nil, badRequest(msgTextTooLong)
	}
	return text, entities, nil
}

// trimText strips leading and trailing white space as Telegram does and
// moves the entities with the text, dropping any that become empty.
func trimText(text string, entities []MessageEntity) (string, []MessageEntity) {
	trimmed := strings.TrimLeftFunc(text, unicode.IsSpace)
	shift := utf16Len(text[:len(text)-len(trimmed)])
	trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	size := utf16Len(trimmed)
	var out []MessageEntity
	for _, e := range entities {
		start := min(max(e.Offset-shift, 0), size)
		end := min(max(e.Offset+e.Length-shift, 0), size)
		if end > start {
			e.Offset, e.Length = start, end-start
			out = append(out, e)
		}
	}
	return trimmed, out
}

// utf16Len counts UTF-16 code units, the unit of entity offsets.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// entityBuilder collects plain text and entities while a parser walks the
// marked-up text.
type entityBuilder struct {
	out      strings.Builder
	pos      int // UTF-16 length of out
	entities []MessageEntity
}

func (b *entityBuilder) writeRune(r rune) {
	b.out.WriteRune(r)
	if r >= 0x10000 {
		b.pos += 2
	} else {
		b.pos++
	}
}

func (b *entityBuilder) writeString(s string) {
	for _, r := range s {
		b.writeRune(r)
	}
}

// closeEntity records an entity from start to the current position; an
// empty one is dropped, as Telegram drops it.
func (b *entityBuilder) closeEntity(e MessageEntity, start int) {
	if b.pos > start {
		e.Offset, e.Length = start, b.pos-start
		b.entities = append(b.entities, e)
	}
}

// result orders entities as Telegram does: by offset, outer before inner.
func (b *entityBuilder) result() (string, []MessageEntity) {
	slices.SortStableFunc(b.entities, func(x, y MessageEntity) int {
		if x.Offset != y.Offset {
			return x.Offset - y.Offset
		}
		return y.Length - x.Length
	})
	return b.out.String(), b.entities
}
