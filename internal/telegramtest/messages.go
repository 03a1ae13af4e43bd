package telegramtest

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"time"
)

// sendMessage posts the bot's text to a chat and answers with the Message
// as Telegram does: a message_id one past the chat's last, the date, the
// chat, the bot as sender, the text with its entities and the keyboard.
func (s *Server) sendMessage(_ *http.Request, p params) (any, *apiError) {
	text, entities, e := formatText(p.str("text"), p.str("parse_mode"), p)
	if e != nil {
		return nil, e
	}
	mk, e := parseReplyMarkup(p, false)
	if e != nil {
		return nil, e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.chatForBotLocked(p.str("chat_id"))
	if e != nil {
		return nil, e
	}
	now := s.now()
	if e := s.limiter.allowLocked(s.cfg.RateLimits, c, now); e != nil {
		return nil, e
	}
	bot := s.bot
	sm := c.add(Message{From: &bot, Date: now.Unix(), Text: text, Entities: entities, ReplyMarkup: mk.inline,
		HasProtectedContent: p.bool("protect_content")}, true)
	sm.replyKeyboard = mk.replyKeyboard
	s.recordSendLocked(c.chat.ID, now)
	s.notifyLocked()
	s.observeLocked(c.chat.ID, sm)
	return sm.msg, nil
}

// editMessageText replaces the text of one of the bot's messages. As in
// Telegram, leaving reply_markup out removes the message's inline keyboard.
func (s *Server) editMessageText(_ *http.Request, p params) (any, *apiError) {
	text, entities, e := formatText(p.str("text"), p.str("parse_mode"), p)
	if e != nil {
		return nil, e
	}
	mk, e := parseReplyMarkup(p, true)
	if e != nil {
		return nil, e
	}
	return s.editLocked(p, func(sm *storedMessage) *apiError {
		if sm.msg.Text == "" {
			return badRequest("there is no text in the message to edit")
		}
		if sm.msg.Text == text && reflect.DeepEqual(sm.msg.Entities, entities) && sameMarkup(sm.msg.ReplyMarkup, mk.inline) {
			return badRequest(msgNotModified)
		}
		sm.msg.Text, sm.msg.Entities, sm.msg.ReplyMarkup = text, entities, mk.inline
		return nil
	})
}

// editMessageReplyMarkup replaces only the inline keyboard; leaving
// reply_markup out removes it.
func (s *Server) editMessageReplyMarkup(_ *http.Request, p params) (any, *apiError) {
	mk, e := parseReplyMarkup(p, true)
	if e != nil {
		return nil, e
	}
	return s.editLocked(p, func(sm *storedMessage) *apiError {
		if sameMarkup(sm.msg.ReplyMarkup, mk.inline) {
			return badRequest(msgNotModified)
		}
		sm.msg.ReplyMarkup = mk.inline
		return nil
	})
}

// editLocked finds the bot's message named by chat_id and message_id,
// applies change and stamps the edit date.
func (s *Server) editLocked(p params, change func(*storedMessage) *apiError) (any, *apiError) {
	if p.has("inline_message_id") {
		return nil, badRequest("MESSAGE_ID_INVALID")
	}
	if !p.has("chat_id") {
		return nil, badRequest("chat_id is empty")
	}
	if !p.has("message_id") {
		return nil, badRequest("message identifier is not specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.chatForBotLocked(p.str("chat_id"))
	if e != nil {
		return nil, e
	}
	sm, ok := c.message(int(p.int64("message_id")))
	if !ok {
		return nil, badRequest(msgEditNotFound)
	}
	if !sm.fromBot {
		return nil, badRequest("message can't be edited")
	}
	if e := change(sm); e != nil {
		return nil, e
	}
	sm.edited = true
	sm.msg.EditDate = s.date()
	s.notifyLocked()
	s.observeLocked(c.chat.ID, sm)
	return sm.msg, nil
}

// observeLocked tells Config.OnBotMessage of a message sent or edited.
func (s *Server) observeLocked(chatID int64, sm *storedMessage) {
	if s.cfg.OnBotMessage != nil {
		s.cfg.OnBotMessage(chatID, entryOf(sm))
	}
}

// sameMarkup treats no keyboard and an empty keyboard alike, as Telegram
// shows them alike.
func sameMarkup(a, b *InlineKeyboardMarkup) bool {
	empty := func(m *InlineKeyboardMarkup) bool { return m == nil || len(m.InlineKeyboard) == 0 }
	if empty(a) || empty(b) {
		return empty(a) && empty(b)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// deleteWindow is how long Telegram lets a bot delete a message.
const deleteWindow = 48 * time.Hour

func (s *Server) deleteMessage(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.chatForBotLocked(p.str("chat_id"))
	if e != nil {
		return nil, e
	}
	sm, ok := c.message(int(p.int64("message_id")))
	if !ok {
		return nil, badRequest(msgDeleteNotFound)
	}
	if s.elapsed(time.Unix(sm.msg.Date, 0)) > deleteWindow {
		return nil, badRequest("message can't be deleted")
	}
	sm.deleted = true
	s.notifyLocked()
	return true, nil
}

// chatActions are the statuses sendChatAction accepts.
var chatActions = []string{
	"typing", "upload_photo", "record_video", "upload_video", "record_voice",
	"upload_voice", "upload_document", "choose_sticker", "find_location",
	"record_video_note", "upload_video_note",
}

func (s *Server) sendChatAction(_ *http.Request, p params) (any, *apiError) {
	action := p.str("action")
	if !slices.Contains(chatActions, action) {
		return nil, badRequest("wrong parameter action in request")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.chatForBotLocked(p.str("chat_id"))
	if e != nil {
		return nil, e
	}
	c.actions = append(c.actions, action)
	s.notifyLocked()
	return true, nil
}
