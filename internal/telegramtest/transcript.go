package telegramtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Entry is one message as the chat shows it now: after edits, without
// deleted messages.
type Entry struct {
	MessageID int
	// From is "bot" for the bot, otherwise the sender's first name.
	From    string
	FromBot bool
	// Kind is "text", "sticker", "photo", "voice", "video", "document",
	// "location", "contact", "poll" or "service".
	Kind string
	// Text is the text, or the caption of media.
	Text string
	// Buttons is the inline keyboard under the message, row by row.
	Buttons [][]Button
	// ReplyKeyboard holds the labels of a reply keyboard sent with it.
	ReplyKeyboard [][]string
	Edited        bool
	// Protected: sent with protect_content, so it cannot be forwarded or saved.
	Protected bool
}

// Button is an inline button as shown.
type Button struct {
	Text string
	Data string // callback_data
	URL  string
}

// chatRef reads one chat's transcript. Person and Group embed it.
type chatRef struct {
	s  *Server
	id int64
}

// ID is the chat's id, as the bot sees it in chat_id.
func (c chatRef) ID() int64 { return c.id }

// Transcript lists the chat's messages in order.
func (c chatRef) Transcript() []Entry {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.s.transcriptLocked(c.id)
}

// Last is the newest message in the chat; false if there is none.
func (c chatRef) Last() (Entry, bool) {
	t := c.Transcript()
	if len(t) == 0 {
		return Entry{}, false
	}
	return t[len(t)-1], true
}

// BotMessages lists the bot's messages in the chat, in order.
func (c chatRef) BotMessages() []Entry {
	return fromBot(c.Transcript())
}

// ChatActions lists the actions ("typing", ...) the bot sent to the chat.
func (c chatRef) ChatActions() []string {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return slices.Clone(c.s.chats[c.id].actions)
}

// WaitFor blocks until cond holds for the transcript, and returns that
// transcript. It wakes on every change to the server rather than polling,
// so it is as quick as the bot. It fails when ctx ends first; give ctx a
// deadline.
func (c chatRef) WaitFor(ctx context.Context, cond func([]Entry) bool) ([]Entry, error) {
	var t []Entry
	err := c.s.waitChange(ctx, func() bool {
		t = c.s.transcriptLocked(c.id)
		return cond(t)
	})
	if err != nil {
		return t, fmt.Errorf("wait for chat %d: %w; transcript:\n%s", c.id, err, FormatTranscript(t))
	}
	return t, nil
}

// WaitBotMessages blocks until the bot has sent at least n messages to the
// chat, and returns the bot's messages.
func (c chatRef) WaitBotMessages(ctx context.Context, n int) ([]Entry, error) {
	t, err := c.WaitFor(ctx, func(t []Entry) bool { return len(fromBot(t)) >= n })
	return fromBot(t), err
}

func fromBot(t []Entry) []Entry {
	var out []Entry
	for _, e := range t {
		if e.FromBot {
			out = append(out, e)
		}
	}
	return out
}

func (s *Server) transcriptLocked(chatID int64) []Entry {
	c, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	out := make([]Entry, 0, len(c.messages))
	for _, sm := range c.messages {
		if sm.deleted {
			continue
		}
		out = append(out, entryOf(sm))
	}
	return out
}

func entryOf(sm *storedMessage) Entry {
	m := sm.msg
	e := Entry{MessageID: m.MessageID, FromBot: sm.fromBot, Edited: sm.edited, Text: m.Text, Kind: "text", Protected: m.HasProtectedContent}
	switch {
	case sm.fromBot:
		e.From = "bot"
	case m.From != nil:
		e.From = m.From.FirstName
	}
	if m.Text == "" {
		e.Text = m.Caption
	}
	switch {
	case m.Sticker != nil:
		e.Kind, e.Text = "sticker", m.Sticker.Emoji
	case m.Photo != nil:
		e.Kind = "photo"
	case m.Voice != nil:
		e.Kind = "voice"
	case m.Video != nil:
		e.Kind = "video"
	case m.Document != nil:
		e.Kind = "document"
	case m.Location != nil:
		e.Kind = "location"
	case m.Contact != nil:
		e.Kind, e.Text = "contact", m.Contact.PhoneNumber
	case m.Poll != nil:
		e.Kind, e.Text = "poll", m.Poll.Question
	case m.NewChatMembers != nil:
		e.Kind = "service"
	case m.MigrateToChatID != 0:
		e.Kind, e.Text = "service", fmt.Sprintf("migrate_to_chat_id %d", m.MigrateToChatID)
	case m.MigrateFromChatID != 0:
		e.Kind, e.Text = "service", fmt.Sprintf("migrate_from_chat_id %d", m.MigrateFromChatID)
	}
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			var r []Button
			for _, b := range row {
				btn := Button{Text: b.Text, URL: b.URL}
				if b.CallbackData != nil {
					btn.Data = *b.CallbackData
				}
				r = append(r, btn)
			}
			e.Buttons = append(e.Buttons, r)
		}
	}
	for _, row := range sm.replyKeyboard {
		e.ReplyKeyboard = append(e.ReplyKeyboard, slices.Clone(row))
	}
	return e
}

// FormatTranscript renders entries one message a paragraph, for failure
// messages and golden files:
//
//	Alice: /start gp_F86001
//	bot: Hello. What matters to you?
//	  [Money|need:money] [Loneliness|need:lonely]
func FormatTranscript(t []Entry) string {
	var b strings.Builder
	for _, e := range t {
		b.WriteString(e.From)
		if e.Kind != "text" {
			fmt.Fprintf(&b, " (%s)", e.Kind)
		}
		if e.Edited {
			b.WriteString(" (edited)")
		}
		b.WriteString(": ")
		b.WriteString(strings.ReplaceAll(e.Text, "\n", "\n  "))
		b.WriteString("\n")
		for _, row := range e.Buttons {
			b.WriteString(" ")
			for _, btn := range row {
				target := btn.Data
				if target == "" {
					target = btn.URL
				}
				fmt.Fprintf(&b, " [%s|%s]", btn.Text, target)
			}
			b.WriteString("\n")
		}
		for _, row := range e.ReplyKeyboard {
			b.WriteString("  keyboard:")
			for _, label := range row {
				fmt.Fprintf(&b, " (%s)", label)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
