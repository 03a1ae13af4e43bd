package bot

import (
	"strconv"

	"signpost/flows"
	"signpost/internal/jsonenc"
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
	b = jsonenc.AppendString(b, text)
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
				b = jsonenc.AppendString(b, btn.Label)
				if btn.URL != "" {
					b = append(b, `,"url":`...)
					b = jsonenc.AppendString(b, btn.URL)
				}
				if btn.Data != "" {
					b = append(b, `,"callback_data":`...)
					b = jsonenc.AppendString(b, btn.Data)
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
