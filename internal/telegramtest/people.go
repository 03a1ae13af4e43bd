package telegramtest

import (
	"fmt"
	"strings"
)

// Person is someone on Telegram, driven by a test: they write to the bot,
// press its buttons and read their private chat with it. Make one with
// Server.NewPerson. Transcript, Last, WaitFor and WaitBotMessages read the
// private chat.
type Person struct {
	chatRef
	user User
}

// NewPerson creates a person with a fresh user id and a private chat with
// the bot. The bot may not write to them until they write first, as in
// Telegram.
func (s *Server) NewPerson(firstName string) *Person {
	return s.AddPerson(User{FirstName: firstName})
}

// AddPerson creates a person from u, keeping its names and language code.
// A zero ID is replaced by a fresh one.
func (s *Server) AddPerson(u User) *Person {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.ID == 0 {
		u.ID = s.nextUserID
		s.nextUserID++
	}
	u.IsBot = false
	if u.FirstName == "" {
		u.FirstName = "Person"
	}
	uc := u
	s.users[u.ID] = &uc
	// A private chat's id is the user's id.
	c := newChatState(Chat{ID: u.ID, Type: "private", FirstName: u.FirstName, LastName: u.LastName, Username: u.Username})
	c.user = &uc
	s.chats[u.ID] = c
	return &Person{chatRef: chatRef{s: s, id: u.ID}, user: u}
}

// User is the person's Telegram user, as updates carry it.
func (p *Person) User() User { return p.user }

// Send writes text to the bot in the private chat. A leading /command, and
// any later one, is marked with a bot_command entity as the Telegram apps
// do, so "/start gp_F86001" reaches the bot as a deep-link start.
func (p *Person) Send(text string) Message {
	return p.Post(Message{Text: text})
}

// SendIn writes text in a group.
func (p *Person) SendIn(g *Group, text string) Message {
	return p.PostIn(g, Message{Text: text})
}

// Post sends any message in the private chat: fill the fields of the kind
// wanted (Sticker, Photo, Location, ...) and leave ids, date, chat and
// sender to the server. Writing while the bot is blocked unblocks it first,
// as the Telegram app asks a person to do.
func (p *Person) Post(m Message) Message {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	c := p.s.chats[p.id]
	if c.blocked {
		p.s.setBlockedLocked(p, false)
	}
	c.started = true
	return p.s.postLocked(p, c, m)
}

// Reply writes text to the bot in the private chat as a reply to the
// message messageID there, as the app's Reply does.
func (p *Person) Reply(messageID int, text string) (Message, error) {
	return p.reply(p.id, messageID, text)
}

// ReplyIn writes text in a group as a reply to the message messageID there.
// A reply to one of the bot's messages reaches the bot even in privacy mode.
func (p *Person) ReplyIn(g *Group, messageID int, text string) (Message, error) {
	return p.reply(g.id, messageID, text)
}

func (p *Person) reply(chat int64, messageID int, text string) (Message, error) {
	p.s.mu.Lock()
	c := p.s.chats[chat]
	sm, ok := c.message(messageID)
	if !ok || sm.deleted {
		p.s.mu.Unlock()
		return Message{}, fmt.Errorf("no message %d in chat %d to reply to", messageID, chat)
	}
	to := sm.msg
	to.ReplyToMessage = nil
	p.s.mu.Unlock()
	m := Message{Text: text, ReplyToMessage: &to}
	if chat == p.id {
		return p.Post(m), nil
	}
	return p.PostIn(&Group{chatRef: chatRef{s: p.s, id: chat}}, m), nil
}

// PostIn sends any message in a group, making the person a member if they
// were not.
func (p *Person) PostIn(g *Group, m Message) Message {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	c := p.s.chats[g.id]
	switch c.members[p.user.ID] {
	case "member", "administrator", "creator":
	default:
		c.members[p.user.ID] = "member"
	}
	return p.s.postLocked(p, c, m)
}

// postLocked stores a person's message and, when the bot would see it,
// queues a message update.
func (s *Server) postLocked(p *Person, c *chatState, m Message) Message {
	from := p.user
	m.From = &from
	m.Date = s.date()
	m.EditDate = 0
	m.ReplyMarkup = nil
	if m.Text != "" && m.Entities == nil {
		m.Entities = commandEntities(m.Text)
	}
	sm := c.add(m, false)
	if s.botSeesLocked(c, sm.msg) {
		msg := sm.msg
		s.enqueueLocked(Update{Message: &msg})
	}
	s.notifyLocked()
	return sm.msg
}

// botSeesLocked applies group privacy mode, on by default for bots: in a
// group the bot gets commands, mentions of itself and service messages, and
// everything only once it is an administrator. A private chat it sees whole.
func (s *Server) botSeesLocked(c *chatState, m Message) bool {
	if !c.isGroup() {
		return true
	}
	switch c.members[s.bot.ID] {
	case "administrator", "creator":
		return true
	case "member":
	default:
		return false
	}
	if m.NewChatMembers != nil || m.MigrateToChatID != 0 || m.MigrateFromChatID != 0 {
		return true // service messages reach the bot whatever its mode
	}
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == s.bot.ID {
		return true // replies to the bot's own messages do too
	}
	for _, e := range m.Entities {
		if e.Type == "bot_command" {
			return true
		}
	}
	return strings.Contains(strings.ToLower(m.Text), "@"+strings.ToLower(s.bot.Username))
}

// commandEntities marks each /command at the start of a word, with an
// optional @botname, in UTF-16 offsets.
func commandEntities(text string) []MessageEntity {
	var out []MessageEntity
	pos := 0 // UTF-16 offset of text[i]
	prevSpace := true
	for i := 0; i < len(text); {
		if text[i] == '/' && prevSpace {
			j := i + 1
			for j < len(text) && j-i <= 32 && isCommandByte(text[j]) {
				j++
			}
			if j > i+1 {
				if j < len(text) && text[j] == '@' {
					k := j + 1
					for k < len(text) && isCommandByte(text[k]) {
						k++
					}
					if k > j+1 {
						j = k
					}
				}
				out = append(out, MessageEntity{Type: "bot_command", Offset: pos, Length: j - i})
				pos += j - i // commands are ASCII: bytes equal UTF-16 units
				i = j
				prevSpace = false
				continue
			}
		}
		r, n := decodeRune(text[i:])
		prevSpace = r == ' ' || r == '\n' || r == '\t'
		pos += utf16Len(string(r))
		i += n
	}
	return out
}

func isCommandByte(b byte) bool {
	return b == '_' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

// Block blocks the bot: its sends to the person now fail with 403 "bot was
// blocked by the user", and the bot gets a my_chat_member update with
// status "kicked".
func (p *Person) Block() {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	p.s.setBlockedLocked(p, true)
}

// Unblock lifts the block; the bot gets my_chat_member with status "member".
func (p *Person) Unblock() {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	p.s.setBlockedLocked(p, false)
}

func (s *Server) setBlockedLocked(p *Person, blocked bool) {
	c := s.chats[p.id]
	if c.blocked == blocked {
		return
	}
	c.blocked = blocked
	oldStatus, newStatus := "member", "kicked"
	if !blocked {
		oldStatus, newStatus = newStatus, oldStatus
		c.started = true
	}
	s.enqueueLocked(Update{MyChatMember: &ChatMemberUpdated{
		Chat:          c.chat,
		From:          p.user,
		Date:          s.date(),
		OldChatMember: memberOf(s.bot, oldStatus),
		NewChatMember: memberOf(s.bot, newStatus),
	}})
}
