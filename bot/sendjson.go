package bot

import (
	"strconv"
	"unicode/utf8"

	"signpost/flows"
)

// encodedParams is a call's JSON body already written: call sends it as it
// is rather than through encoding/json.
type encodedParams []byte

// appendSendMessage writes the body of a sendMessage call, byte for byte
// what encoding/json makes of the tgbot.SendMessageParams that post used
// to build (TestSendMessageBodyMatchesEncodingJSON holds it to that):
// the message is the Bot API call made most, and reflection over the
// library's params (an interface for the chat, another for the keyboard)
// cost more than writing its few fields.
func appendSendMessage(b []byte, chat int64, text string, buttons [][]flows.Button, opt postOpts) []byte {
	b = append(b, `{"chat_id":`...)
	b = strconv.AppendInt(b, chat, 10)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, text)
	if opt.worker {
		b = append(b, `,"link_preview_options":{"is_disabled":true}`...)
	}
	if opt.protect {
		b = append(b, `,"protect_content":true`...)
	}
	if opt.reply != 0 {
		b = append(b, `,"reply_parameters":{"message_id":`...)
		b = strconv.AppendInt(b, int64(opt.reply), 10)
		b = append(b, `,"allow_sending_without_reply":true}`...)
	}
	if len(buttons) > 0 {
		b = append(b, `,"reply_markup":{"inline_keyboard":[`...)
		for i, row := range buttons {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			for j, btn := range row {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"text":`...)
				b = appendJSONString(b, btn.Label)
				if btn.URL != "" {
					b = append(b, `,"url":`...)
					b = appendJSONString(b, btn.URL)
				}
				if btn.Data != "" {
					b = append(b, `,"callback_data":`...)
					b = appendJSONString(b, btn.Data)
				}
				// The library's button holds its copy_text by value, which
				// omitempty does not leave out.
				b = append(b, `,"copy_text":{"text":""}}`...)
			}
			b = append(b, ']')
		}
		b = append(b, "]}"...)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string the way encoding/json does by
// default: <, > and & escaped for HTML, invalid UTF-8 as U+FFFD, and the
// line and paragraph separators escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
