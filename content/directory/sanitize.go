package directory

import (
	"html"
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits for imported text. They keep a service's detail view well
// inside Telegram's 4096 characters and its button label readable on a
// phone.
const (
	MaxName          = 80
	MaxLabel         = 32
	MaxDescription   = 600
	MaxShortText     = 200 // schedule, cost, accessibility, join notes
	MaxDetail        = 4096
	MaxIDBytes       = 48 // leaves room for a prefix and nonce in 64-byte button data
	maxListItems     = 8  // languages, areas
	maxFieldBytesRaw = 64 << 10
)

// clip shortens s to at most n characters, ending with "…" when cut, at a
// word boundary when one is near.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	return strings.TrimRightFunc(cut, func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsPunct(c)
	}) + "…"
}

// plainText turns untrusted text, possibly HTML, into one tidy paragraph:
// tags dropped, entities decoded, control characters removed, white space
// collapsed, at most n characters.
func plainText(s string, n int) string {
	if len(s) > maxFieldBytesRaw {
		s = s[:maxFieldBytesRaw]
	}
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	inTag := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inTag:
			if c == '>' {
				inTag = false
				b.WriteByte(' ')
			}
		case c == '<' && i+1 < len(s) && (isTagStart(s[i+1])):
			inTag = true
		default:
			b.WriteByte(c)
		}
	}
	out := html.UnescapeString(b.String())
	out = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' {
			return ' '
		}
		return r
	}, out)
	out = strings.Join(strings.Fields(out), " ")
	// Some feeds wrap values in stray quotes ("\"+44 1234\"").
	out = strings.Trim(out, `"`)
	return clip(strings.TrimSpace(out), n)
}

func isTagStart(c byte) bool {
	return c == '/' || c == '!' || c == '?' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// placeholders are values feeds use for "nothing here". The HSDS examples
// themselves carry some ("wait_time": "wait_time").
var placeholders = map[string]bool{
	"": true, "n/a": true, "na": true, "none": true, "null": true, "nil": true,
	"tbc": true, "tba": true, "unknown": true, "-": true, "--": true, ".": true,
	"string": true, "test": true, "todo": true, "xxx": true, "not known": true,
}

// isPlaceholder reports whether an imported value says nothing, including
// values equal to their own field name.
func isPlaceholder(v, field string) bool {
	l := strings.ToLower(strings.TrimSpace(v))
	return placeholders[l] || (field != "" && l == field)
}

// cleanPhone keeps a phone number only if it looks like one: digits, spaces
// and a leading +, between 3 and 16 digits.
func cleanPhone(s string) string {
	s = plainText(s, 40)
	var b strings.Builder
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteByte(' ')
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == '(' || r == ')':
		default:
			return ""
		}
	}
	if digits < 3 || digits > 16 {
		return ""
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// cleanEmail keeps a bare, valid address.
func cleanEmail(s string) string {
	s = plainText(s, 120)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") {
		return ""
	}
	return s
}

// cleanURL keeps absolute http and https addresses only, so that a feed
// cannot slip a javascript: or file: link into a message.
func cleanURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 300 {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return u.String()
}

// slug makes a lowercase id of [a-z0-9-] from s, or "" when nothing is
// left.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// validID reports whether id is safe in button data: 1-48 bytes of
// [a-z0-9-].
func validID(id string) bool {
	if id == "" || len(id) > MaxIDBytes {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
