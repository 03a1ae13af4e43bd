package telegramtest

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// maxAnswerChars is Telegram's limit on answerCallbackQuery's text.
const maxAnswerChars = 200

// CallbackAnswer is what the bot answered to a button press.
type CallbackAnswer struct {
	Answered  bool
	Text      string
	ShowAlert bool
	URL       string
}

// callbackState is one press and its answer.
type callbackState struct {
	query  CallbackQuery
	chatID int64
	at     int64 // server clock, Unix nanoseconds
	answer CallbackAnswer
}

// Press presses the inline button carrying data under message messageID of
// the person's private chat, as the Telegram app would: a callback_query
// update with a fresh id, the message as it now reads, and the data. It
// returns the query id. It fails if no such button is shown, since a person
// cannot press a button that is not there.
func (p *Person) Press(messageID int, data string) (string, error) {
	return p.s.press(p, p.id, func(sm *storedMessage) bool { return sm.msg.MessageID == messageID }, data, "")
}

// PressButton presses the button labelled label on the newest bot message
// in the person's private chat that shows one.
func (p *Person) PressButton(label string) (string, error) {
	return p.s.press(p, p.id, func(*storedMessage) bool { return true }, "", label)
}

// PressButtonIn presses the button labelled label on the newest bot message
// in group g that shows one.
func (p *Person) PressButtonIn(g *Group, label string) (string, error) {
	return p.s.press(p, g.id, func(*storedMessage) bool { return true }, "", label)
}

// PressOf presses the button with callback data data under the bot's
// message messageID in chat (the person's private chat or a group) and
// returns the callback query, without queueing its update: for a caller
// that posts updates to the bot's webhook itself, as a load test does. The
// bot may answer the query as it would any other.
func (p *Person) PressOf(chat int64, messageID int, data string) (CallbackQuery, error) {
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chat]
	if !ok {
		return CallbackQuery{}, fmt.Errorf("telegramtest: chat %d does not exist", chat)
	}
	sm, ok := c.message(messageID)
	if !ok || !sm.fromBot {
		return CallbackQuery{}, fmt.Errorf("telegramtest: no bot message %d in chat %d", messageID, chat)
	}
	return s.registerPressLocked(p, c, sm, data), nil
}

// press finds, newest first, a bot message accepted by match with a
// callback button whose data (or label) matches, and queues the press.
func (s *Server) press(p *Person, chatID int64, match func(*storedMessage) bool, data, label string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chatID]
	if !ok {
		return "", fmt.Errorf("telegramtest: chat %d does not exist", chatID)
	}
	if c.blocked {
		return "", fmt.Errorf("telegramtest: %s has blocked the bot", p.user.FirstName)
	}
	for i := len(c.messages) - 1; i >= 0; i-- {
		sm := c.messages[i]
		if sm.deleted || !sm.fromBot || !match(sm) || sm.msg.ReplyMarkup == nil {
			continue
		}
		for _, row := range sm.msg.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				if b.CallbackData == nil || (label != "" && b.Text != label) || (label == "" && *b.CallbackData != data) {
					continue
				}
				return s.queuePressLocked(p, c, sm, *b.CallbackData), nil
			}
		}
	}
	if label != "" {
		return "", fmt.Errorf("telegramtest: no button labelled %q in chat %d", label, chatID)
	}
	return "", fmt.Errorf("telegramtest: no button with data %q in chat %d", data, chatID)
}

func (s *Server) queuePressLocked(p *Person, c *chatState, sm *storedMessage, data string) string {
	q := s.registerPressLocked(p, c, sm, data)
	s.enqueueLocked(Update{CallbackQuery: &q})
	return q.ID
}

// registerPressLocked makes the callback query of a press, which the bot
// may then answer.
func (s *Server) registerPressLocked(p *Person, c *chatState, sm *storedMessage, data string) CallbackQuery {
	id := strconv.FormatInt(s.nextCallbackID, 10)
	s.nextCallbackID++
	msg := sm.msg
	q := CallbackQuery{ID: id, From: p.user, Message: &msg, ChatInstance: c.instance, Data: data}
	s.callbacks[id] = &callbackState{query: q, chatID: c.chat.ID, at: s.now().UnixNano()}
	return q
}

// answerCallbackQuery records the answer. Telegram refuses an unknown id,
// a second answer and a late one with the same description.
func (s *Server) answerCallbackQuery(_ *http.Request, p params) (any, *apiError) {
	if utf8.RuneCountInString(p.str("text")) > maxAnswerChars {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cb, ok := s.callbacks[p.str("callback_query_id")]
	if !ok || cb.answer.Answered || s.now().UnixNano()-cb.at > int64(s.cfg.CallbackQueryTimeout) {
		return nil, badRequest(msgQueryTooOld)
	}
	cb.answer = CallbackAnswer{
		Answered:  true,
		Text:      p.str("text"),
		ShowAlert: p.bool("show_alert"),
		URL:       p.str("url"),
	}
	s.notifyLocked()
	return true, nil
}

// CallbackAnswer reports how the bot answered the press with this id. The
// second result is false for an id the server never issued.
func (s *Server) CallbackAnswer(queryID string) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb, ok := s.callbacks[queryID]
	if !ok {
		return CallbackAnswer{}, false
	}
	return cb.answer, true
}

// WaitCallbackAnswer blocks until the bot answers the press or ctx ends.
func (s *Server) WaitCallbackAnswer(ctx context.Context, queryID string) (CallbackAnswer, error) {
	var a CallbackAnswer
	err := s.waitChange(ctx, func() bool {
		cb, ok := s.callbacks[queryID]
		if ok {
			a = cb.answer
		}
		return ok && cb.answer.Answered
	})
	if err != nil {
		return a, fmt.Errorf("wait for answer to callback query %s: %w", queryID, err)
	}
	return a, nil
}
