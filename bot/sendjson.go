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
		b = appendKeyboard(append(b, `,"reply_markup":`...), buttons)
	}
	return append(b, '}')
}

// appendKeyboard writes buttons as encoding/json writes the library's
// *models.InlineKeyboardMarkup that keyboard makes of them.
func appendKeyboard(b []byte, buttons [][]flows.Button) []byte {
	b = append(b, `{"inline_keyboard":[`...)
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
	return append(b, "]}"...)
}

// appendEditMessageText writes the body of an editMessageText call, what
// encoding/json makes of the tgbot.EditMessageTextParams edit used to build
// (TestEditBodiesMatchEncodingJSON holds it to that).
func appendEditMessageText(b []byte, chat int64, id int, text string, buttons [][]flows.Button) []byte {
	b = append(b, `{"chat_id":`...)
	b = strconv.AppendInt(b, chat, 10)
	if id != 0 {
		b = append(b, `,"message_id":`...)
		b = strconv.AppendInt(b, int64(id), 10)
	}
	b = append(b, `,"text":`...)
	b = jsonenc.AppendString(b, text)
	if len(buttons) > 0 {
		b = appendKeyboard(append(b, `,"reply_markup":`...), buttons)
	}
	return append(b, '}')
}

// appendEditMessageReplyMarkup writes the body of an
// editMessageReplyMarkup call, what encoding/json makes of the
// tgbot.EditMessageReplyMarkupParams render used to build: the keyboard is
// always there, empty when there are no buttons.
func appendEditMessageReplyMarkup(b []byte, chat int64, id int, buttons [][]flows.Button) []byte {
	b = append(b, `{"chat_id":`...)
	b = strconv.AppendInt(b, chat, 10)
	if id != 0 {
		b = append(b, `,"message_id":`...)
		b = strconv.AppendInt(b, int64(id), 10)
	}
	b = appendKeyboard(append(b, `,"reply_markup":`...), buttons)
	return append(b, '}')
}

// appendAnswerCallbackQuery writes the body of an answerCallbackQuery call,
// what encoding/json makes of the tgbot.AnswerCallbackQueryParams
// answerNow used to build.
func appendAnswerCallbackQuery(b []byte, id, text string) []byte {
	b = append(b, `{"callback_query_id":`...)
	b = jsonenc.AppendString(b, id)
	if text != "" {
		b = append(b, `,"text":`...)
		b = jsonenc.AppendString(b, text)
	}
	return append(b, '}')
}

// bodySize is about the length of buttons written by appendKeyboard,
// escapes apart.
func bodySize(buttons [][]flows.Button) int {
	n := 0
	for _, row := range buttons {
		n += 3
		for _, btn := range row {
			n += 64 + len(btn.Label) + len(btn.URL) + len(btn.Data)
		}
	}
	return n
}
