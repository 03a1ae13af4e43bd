package telegramtest

import (
	"encoding/json"
	"net/url"
	"strings"
)

// Inline keyboard limits. Telegram documents only the 64-byte callback_data;
// the others are what its servers enforce in practice.
const (
	maxCallbackDataBytes = 64
	maxButtonsPerRow     = 8
	maxButtonsInAll      = 100
)

// markup is a parsed reply_markup: an inline keyboard, or the labels of a
// reply keyboard, or neither (no markup, ReplyKeyboardRemove, ForceReply).
type markup struct {
	inline        *InlineKeyboardMarkup
	replyKeyboard [][]string
}

// parseReplyMarkup reads and checks reply_markup. Edits accept only an
// inline keyboard, as in Telegram.
func parseReplyMarkup(p params, inlineOnly bool) (markup, *apiError) {
	raw, ok := p.get("reply_markup")
	if !ok {
		return markup{}, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &fields); err != nil {
		return markup{}, badRequest("can't parse reply keyboard markup JSON object")
	}
	if _, ok := fields["inline_keyboard"]; ok {
		var kb InlineKeyboardMarkup
		if err := json.Unmarshal([]byte(raw), &kb); err != nil {
			return markup{}, badRequest("can't parse inline keyboard markup JSON object")
		}
		if e := checkInlineKeyboard(kb); e != nil {
			return markup{}, e
		}
		return markup{inline: &kb}, nil
	}
	if inlineOnly {
		return markup{}, badRequest("inline keyboard expected")
	}
	switch {
	case fields["keyboard"] != nil:
		return parseReplyKeyboard(raw)
	case fields["remove_keyboard"] != nil, fields["force_reply"] != nil:
		return markup{}, nil
	}
	return markup{}, badRequest("can't parse reply keyboard markup JSON object")
}

// checkInlineKeyboard applies Telegram's limits: at most 8 buttons a row and
// 100 in all, a non-empty label, exactly one action, callback_data of 1-64
// bytes (bytes, not characters: a few emoji reach the limit quickly).
func checkInlineKeyboard(kb InlineKeyboardMarkup) *apiError {
	total := 0
	for _, row := range kb.InlineKeyboard {
		total += len(row)
		if len(row) > maxButtonsPerRow || total > maxButtonsInAll {
			return badRequest(msgMarkupTooLong)
		}
		for _, b := range row {
			if e := checkButton(b); e != nil {
				return e
			}
		}
	}
	return nil
}

func checkButton(b InlineKeyboardButton) *apiError {
	if strings.TrimSpace(b.Text) == "" {
		return badRequest("inline keyboard button text is empty")
	}
	actions := 0
	if b.CallbackData != nil {
		actions++
		if n := len(*b.CallbackData); n < 1 || n > maxCallbackDataBytes {
			return badRequest(msgButtonDataInvalid)
		}
	}
	if b.URL != "" {
		actions++
		u, err := url.Parse(b.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tg") {
			return badRequest("BUTTON_URL_INVALID")
		}
	}
	for _, present := range []bool{
		len(b.WebApp) > 0, len(b.LoginURL) > 0, b.SwitchInlineQuery != nil,
		b.SwitchInlineQueryCurrentChat != nil, len(b.SwitchInlineQueryChosenChat) > 0,
		len(b.CopyText) > 0, len(b.CallbackGame) > 0, b.Pay,
	} {
		if present {
			actions++
		}
	}
	if actions == 0 {
		return badRequest("text buttons are unallowed in the inline keyboard")
	}
	return nil
}

// parseReplyKeyboard keeps only the labels of a reply keyboard: what the
// user would see above the input field.
func parseReplyKeyboard(raw string) (markup, *apiError) {
	var kb struct {
		Keyboard [][]json.RawMessage `json:"keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &kb); err != nil {
		return markup{}, badRequest("can't parse reply keyboard markup JSON object")
	}
	var rows [][]string
	for _, row := range kb.Keyboard {
		var labels []string
		for _, b := range row {
			// A button is either a bare string or an object with text.
			var label string
			if json.Unmarshal(b, &label) != nil {
				var obj struct {
					Text string `json:"text"`
				}
				if json.Unmarshal(b, &obj) != nil {
					return markup{}, badRequest("can't parse keyboard button")
				}
				label = obj.Text
			}
			if strings.TrimSpace(label) == "" {
				return markup{}, badRequest("keyboard button text is empty")
			}
			labels = append(labels, label)
		}
		rows = append(rows, labels)
	}
	return markup{replyKeyboard: rows}, nil
}
