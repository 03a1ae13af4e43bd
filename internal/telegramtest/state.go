package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// state is everything the server remembers. Every field is guarded by
// Server.mu.
type state struct {
	users map[int64]*User
	chats map[int64]*chatState

	nextUserID     int64
	nextGroupID    int64
	nextCallbackID int64
	nextFileID     int64

	updates // queue, long polls and webhook
	calls   callLog
	limiter limiter
	faults  []*faultState

	callbacks map[string]*callbackState
	commands  map[string][]BotCommand

	descriptions, shortDescriptions map[string]string // by language code
}

func (st *state) init() {
	st.users = map[int64]*User{}
	st.chats = map[int64]*chatState{}
	st.nextUserID = 100000001
	st.nextGroupID = 1000000001
	st.nextCallbackID = 4000000000000000001
	st.callbacks = map[string]*callbackState{}
	st.commands = map[string][]BotCommand{}
	st.descriptions = map[string]string{}
	st.shortDescriptions = map[string]string{}
	st.updates.init()
	st.calls.init()
	st.limiter.init()
}

// chatState is one chat as both sides see it.
type chatState struct {
	chat     Chat
	messages []*storedMessage
	byID     map[int]*storedMessage
	nextID   int

	// Private chats only.
	user    *User
	started bool // the user has written to the bot, so the bot may write back
	blocked bool // the user blocked the bot

	// Groups only: each member's status, including the bot's.
	members map[int64]string
	// migratedTo is the supergroup a basic group was upgraded to: the Bot
	// API then refuses the old id, naming the new one.
	migratedTo int64

	actions  []string // chat actions the bot sent, in order
	instance string   // chat_instance of callback queries from this chat
}

// storedMessage is a message and what became of it.
type storedMessage struct {
	msg     Message
	fromBot bool
	// replyKeyboard holds the labels of a reply keyboard the bot sent with
	// the message; the Message Telegram returns does not show it.
	replyKeyboard [][]string
	edited        bool
	deleted       bool
}

func newChatState(c Chat) *chatState {
	return &chatState{
		chat:     c,
		byID:     map[int]*storedMessage{},
		nextID:   1,
		members:  map[int64]string{},
		instance: strconv.FormatInt(c.ID*7919+13, 10),
	}
}

// isGroup reports whether the chat is a group or supergroup, where the
// 20-a-minute limit and membership rules apply.
func (c *chatState) isGroup() bool {
	return c.chat.Type == "group" || c.chat.Type == "supergroup"
}

// add stores a new message with the chat's next message id. Telegram numbers
// messages per chat, so ids increase by one in each chat independently.
func (c *chatState) add(m Message, fromBot bool) *storedMessage {
	m.MessageID = c.nextID
	c.nextID++
	m.Chat = c.chat
	sm := &storedMessage{msg: m, fromBot: fromBot}
	c.messages = append(c.messages, sm)
	c.byID[m.MessageID] = sm
	return sm
}

// message finds a message that has not been deleted.
func (c *chatState) message(id int) (*storedMessage, bool) {
	sm, ok := c.byID[id]
	if !ok || sm.deleted {
		return nil, false
	}
	return sm, true
}

// chatForBotLocked resolves a chat_id parameter and checks the bot may write
// there, returning Telegram's refusal when it may not.
func (s *Server) chatForBotLocked(raw string) (*chatState, *apiError) {
	raw = strings.TrimSpace(raw)
	var c *chatState
	if strings.HasPrefix(raw, "@") {
		for _, cs := range s.chats {
			if cs.chat.Username != "" && strings.EqualFold("@"+cs.chat.Username, raw) {
				c = cs
				break
			}
		}
	} else if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
		c = s.chats[id]
	}
	if c == nil {
		return nil, badRequest(msgChatNotFound)
	}
	switch {
	case c.user != nil && c.blocked:
		return nil, forbidden(msgBlocked)
	case c.user != nil && !c.started:
		return nil, forbidden(msgCantInitiate)
	case c.migratedTo != 0:
		return nil, migrated(c.migratedTo)
	case c.isGroup():
		switch c.members[s.bot.ID] {
		case "member", "administrator", "creator":
		case "kicked":
			return nil, forbidden("bot was kicked from the " + c.chat.Type + " chat")
		default:
			return nil, forbidden("bot is not a member of the " + c.chat.Type + " chat")
		}
	}
	return c, nil
}

// fileIDLocked makes a fresh pair of file ids for user-sent media.
func (s *Server) fileIDLocked(kind string) (string, string) {
	s.nextFileID++
	id := fmt.Sprintf("%s-%d", kind, s.nextFileID)
	return "AgAD" + id, "AQAD" + id
}

// date is the Unix time Telegram stamps on messages and updates.
func (s *Server) date() int64 { return s.now().Unix() }

// memberOf builds a ChatMember for status, with the fields the Bot API
// requires for it.
func memberOf(u User, status string) ChatMember {
	cm := ChatMember{Status: status, User: u}
	switch status {
	case "creator":
		f := false
		cm.IsAnonymous = &f
	case "kicked":
		var forever int64
		cm.UntilDate = &forever
	}
	return cm
}

// elapsed is a helper for "how old is this": the server clock may be fake.
func (s *Server) elapsed(since time.Time) time.Duration { return s.now().Sub(since) }
