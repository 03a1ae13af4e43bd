package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
)

// htmlTags maps the tags Telegram's HTML style accepts to entity types.
var htmlTags = map[string]string{
	"b": "bold", "strong": "bold",
	"i": "italic", "em": "italic",
	"u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"tg-spoiler": "spoiler",
	"a":          "text_link",
	"code":       "code",
	"pre":        "pre",
	"blockquote": "blockquote",
	"span":       "spoiler", // only as <span class="tg-spoiler">
}

type openTag struct {
	name   string
	entity MessageEntity
	start  int // UTF-16 offset in the output
	at     int // byte offset in the input, for messages
}

// parseHTML reads Telegram's HTML style: the tags above, the named
// entities &lt; &gt; &amp; &quot; and numeric ones. Anything else is the
// error Telegram would give, so a bot that forgets to escape "<" in a
// person's name fails here first.
func parseHTML(in string) (string, []MessageEntity, error) {
	var b entityBuilder
	var stack []openTag
	for i := 0; i < len(in); {
		switch in[i] {
		case '<':
			end := strings.IndexByte(in[i:], '>')
			if end < 0 {
				return "", nil, fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			raw := in[i+1 : i+end]
			if name, ok := strings.CutPrefix(raw, "/"); ok {
				name = strings.ToLower(strings.TrimSpace(name))
				if len(stack) == 0 {
					return "", nil, fmt.Errorf("unexpected end tag at byte offset %d", i)
				}
				top := stack[len(stack)-1]
				if name != top.name {
					return "", nil, fmt.Errorf("unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.name, name)
				}
				stack = stack[:len(stack)-1]
				b.closeEntity(top.entity, top.start)
			} else {
				tag, err := parseStartTag(raw, i)
				if err != nil {
					return "", nil, err
				}
				// <pre><code class="language-go"> gives the pre its language
				// rather than a code entity of its own.
				if tag.name == "code" && len(stack) > 0 && stack[len(stack)-1].name == "pre" && tag.entity.Language != "" {
					stack[len(stack)-1].entity.Language = tag.entity.Language
					tag.entity.Type = ""
				}
				tag.start = b.pos
				stack = append(stack, tag)
			}
			i += end + 1
		case '&':
			r, n := htmlEntity(in[i:])
			b.writeRune(r)
			i += n
		default:
			r, n := decodeRune(in[i:])
			b.writeRune(r)
			i += n
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return "", nil, fmt.Errorf("can't find end tag corresponding to start tag \"%s\"", top.name)
	}
	// Entities with an empty type stood for merged tags.
	text, entities := b.result()
	out := entities[:0]
	for _, e := range entities {
		if e.Type != "" {
			out = append(out, e)
		}
	}
	return text, out, nil
}

// parseStartTag reads the name and the one attribute each tag may carry.
func parseStartTag(raw string, at int) (openTag, error) {
	name, attrs, _ := strings.Cut(strings.TrimSpace(raw), " ")
	name = strings.ToLower(name)
	typ, ok := htmlTags[name]
	if !ok {
		return openTag{}, fmt.Errorf("unsupported start tag \"%s\" at byte offset %d", name, at)
	}
	t := openTag{name: name, entity: MessageEntity{Type: typ}, at: at}
	attr := func(key string) string {
		for _, q := range []string{`"`, `'`} {
			if _, v, ok := strings.Cut(attrs, key+"="+q); ok {
				v, _, _ = strings.Cut(v, q)
				return v
			}
		}
		return ""
	}
	switch name {
	case "a":
		href := attr("href")
		if href == "" {
			return openTag{}, fmt.Errorf("can't find href attribute of tag \"a\" at byte offset %d", at)
		}
		t.entity.URL = unescapeHTML(href)
	case "span":
		if attr("class") != "tg-spoiler" {
			return openTag{}, fmt.Errorf("tag \"span\" must have class \"tg-spoiler\" at byte offset %d", at)
		}
	case "code":
		t.entity.Language = strings.TrimPrefix(attr("class"), "language-")
	case "blockquote":
		if strings.Contains(attrs, "expandable") {
			t.entity.Type = "expandable_blockquote"
		}
	}
	return t, nil
}

// htmlEntity decodes one character reference at the start of s. Unknown
// names stay as written, as Telegram leaves them.
func htmlEntity(s string) (rune, int) {
	end := strings.IndexByte(s, ';')
	if end < 0 || end > 10 {
		return '&', 1
	}
	name := s[1:end]
	switch name {
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "amp":
		return '&', end + 1
	case "quot":
		return '"', end + 1
	}
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if hex, ok := strings.CutPrefix(strings.ToLower(num), "x"); ok {
			num, base = hex, 16
		}
		if n, err := strconv.ParseInt(num, base, 32); err == nil && n > 0 {
			return rune(n), end + 1
		}
	}
	return '&', 1
}

func unescapeHTML(s string) string {
	var out strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '&' {
			r, n := htmlEntity(s[i:])
			out.WriteRune(r)
			i += n
			continue
		}
		out.WriteByte(s[i])
		i++
	}
	return out.String()
}
