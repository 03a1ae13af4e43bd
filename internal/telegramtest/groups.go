package telegramtest

import (
	"fmt"
	"net/http"
	"strconv"
)

// Group is a supergroup, such as the link workers' group where referrals
// are claimed. The bot is not in it until AddBot.
type Group struct {
	chatRef
}

// NewGroup creates a supergroup with a fresh id of Telegram's -100... form.
// The first member, if any, is its creator; the others are members.
func (s *Server) NewGroup(title string, members ...*Person) *Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addGroupLocked(s.supergroupIDLocked(), "supergroup", title, members)
}

// NewBasicGroup creates a basic group, Telegram's older and smaller kind,
// with a plain negative id; the first member is its creator. A basic group
// becomes a supergroup when its creator upgrades it (Migrate), or by itself
// as it grows or gains an administrator's setting.
func (s *Server) NewBasicGroup(title string, members ...*Person) *Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextGroupID++
	return s.addGroupLocked(-(4000000000 + s.nextGroupID), "group", title, members)
}

// supergroupIDLocked takes a fresh supergroup id, of Telegram's -100... form.
func (s *Server) supergroupIDLocked() int64 {
	id, _ := strconv.ParseInt(fmt.Sprintf("-100%d", s.nextGroupID), 10, 64)
	s.nextGroupID++
	return id
}

// addGroupLocked creates a group chat of kind ("group" or "supergroup")
// with id and title. The first of members, if any, is its creator; the
// others are members.
func (s *Server) addGroupLocked(id int64, kind, title string, members []*Person) *Group {
	c := newChatState(Chat{ID: id, Type: kind, Title: title})
	for i, m := range members {
		status := "member"
		if i == 0 {
			status = "creator"
		}
		c.members[m.user.ID] = status
	}
	s.chats[id] = c
	return &Group{chatRef: chatRef{s: s, id: id}}
}

// Migrate upgrades a basic group to a supergroup with a new id, as Telegram
// does: the members (the bot among them) move across, the old group gets a
// service message with migrate_to_chat_id and the new one a message with
// migrate_from_chat_id, and from then on every call naming the old id is
// refused with 400 "group chat was upgraded to a supergroup chat" and
// parameters.migrate_to_chat_id. It returns the supergroup.
func (g *Group) Migrate(by *Person) *Group {
	s := g.s
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.chats[g.id]
	super := s.addGroupLocked(s.supergroupIDLocked(), "supergroup", old.chat.Title, nil)
	c := s.chats[super.id]
	for u, status := range old.members {
		c.members[u] = status
	}
	s.postLocked(by, old, Message{MigrateToChatID: super.id})
	old.migratedTo = super.id
	s.postLocked(by, c, Message{MigrateFromChatID: g.id})
	return super
}

// AddBot has by add the bot to the group. The bot gets a my_chat_member
// update (left to member) and the service message announcing it.
func (g *Group) AddBot(by *Person) {
	g.SetBotStatus(by, "member")
}

// SetBotStatus changes the bot's standing: "member", "administrator" (the
// bot then sees every message despite privacy mode), "left" or "kicked".
// The bot gets a my_chat_member update for the change.
func (g *Group) SetBotStatus(by *Person, status string) {
	s := g.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[g.id]
	old := c.members[s.bot.ID]
	if old == "" {
		old = "left"
	}
	if old == status {
		return
	}
	c.members[s.bot.ID] = status
	s.enqueueLocked(Update{MyChatMember: &ChatMemberUpdated{
		Chat:          c.chat,
		From:          by.user,
		Date:          s.date(),
		OldChatMember: memberOf(s.bot, old),
		NewChatMember: memberOf(s.bot, status),
	}})
	if old == "left" || old == "kicked" {
		if status == "member" || status == "administrator" {
			s.postLocked(by, c, Message{NewChatMembers: []User{s.bot}})
		}
	}
}

// SetMember sets a person's standing in the group: "creator",
// "administrator", "member", "restricted", "left" or "kicked". getChatMember
// reports it, which is how the bot checks who may act as a link worker.
func (g *Group) SetMember(p *Person, status string) {
	g.s.mu.Lock()
	defer g.s.mu.Unlock()
	g.s.chats[g.id].members[p.user.ID] = status
	g.s.notifyLocked()
}

// getChatMember reports a user's standing in a chat.
func (s *Server) getChatMember(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chatByIDLocked(p)
	if err != nil {
		return nil, err
	}
	userID := p.int64("user_id")
	if userID == s.bot.ID {
		status := "member"
		if c.isGroup() {
			status = c.members[s.bot.ID]
			if status == "" {
				status = "left"
			}
		} else if c.blocked {
			status = "kicked"
		}
		return memberOf(s.bot, status), nil
	}
	u, ok := s.users[userID]
	if !ok {
		return nil, badRequest("user not found")
	}
	if c.isGroup() {
		switch c.members[s.bot.ID] {
		case "member", "administrator", "creator":
		default:
			return nil, forbidden("bot is not a member of the " + c.chat.Type + " chat")
		}
		status := c.members[userID]
		if status == "" {
			status = "left"
		}
		return memberOf(*u, status), nil
	}
	if c.chat.ID != userID {
		return nil, badRequest("user not found")
	}
	return memberOf(*u, "member"), nil
}

// chatByIDLocked finds the chat a numeric chat_id names, as getChatMember
// and leaveChat read it: "chat not found" when there is none, and the
// migration error for a group that has become a supergroup.
func (s *Server) chatByIDLocked(p params) (*chatState, *apiError) {
	c, ok := s.chats[p.int64("chat_id")]
	if !ok {
		return nil, badRequest(msgChatNotFound)
	}
	if c.migratedTo != 0 {
		return nil, migrated(c.migratedTo)
	}
	return c, nil
}

// leaveChat takes the bot out of a group. Telegram sends the bot no
// my_chat_member update for its own leaving by this call, and neither does this.
func (s *Server) leaveChat(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chatByIDLocked(p)
	if err != nil {
		return nil, err
	}
	if !c.isGroup() {
		return nil, badRequest("chat member status can't be changed in private chats")
	}
	switch c.members[s.bot.ID] {
	case "member", "administrator", "creator":
	default:
		return nil, forbidden("bot is not a member of the " + c.chat.Type + " chat")
	}
	c.members[s.bot.ID] = "left"
	s.notifyLocked()
	return true, nil
}

// BotIsMember reports whether the bot is in the group now.
func (g *Group) BotIsMember() bool {
	g.s.mu.Lock()
	defer g.s.mu.Unlock()
	switch g.s.chats[g.id].members[g.s.bot.ID] {
	case "member", "administrator", "creator":
		return true
	}
	return false
}
