package bot

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"signpost/handoff"
)

// Outbox entries of the bot's own for the link workers. A card entry names
// only its referral: the sender reads the referral as it stands when it
// sends, so a card never shows what was true a moment ago, and an outbox
// waiting in Redis holds nothing of the person.
const (
	outCard       = "card"        // post the card of referral Ref, unless it is posted already
	outCardAgain  = "card_again"  // post the card of referral Ref again: a reminder
	outCardRedraw = "card_redraw" // redraw the referral's latest card in place
	outCardRetire = "card_retire" // message Node, an older card of Ref, loses its button
	outReply      = "reply"       // Text, in reply to message Node when set; a group's or a worker's
	outEdit       = "edit"        // message Node now reads Text, with Buttons if any
	outTakeDown   = "take_down"   // message Node, about Ref's erased person: deleted, or redrawn if too old
	outHousing    = "housing"     // post Ref's referral to the housing options team, unless it is posted already
	outAlert      = "alert"       // Text about Ref for the on-call or escalation chat, with Buttons; never dropped
)

// Callback data of group buttons, well within Telegram's 64 bytes:
// "claim:R-7K3QX" and "close:R-7K3QX:connected_group".
const (
	claimData   = "claim:"
	closeData   = "close:"
	housingData = "housing:"
)

// Words of the bot to link workers. In a group they never hold anything of
// the person: everyone in the group reads them.
const (
	refusedText  = "Sorry, only the service's link workers can do that here."
	sorryText    = "Sorry, something went wrong. Please try again."
	needRefText  = "Which referral? Write it like R-7K3QX."
	retiredWords = "Posted again below."
)

// groupCommands are the link workers' commands, for /help and the menu set
// in their groups.
var groupCommands = []Command{
	{"queue", "Referrals waiting, most pressing first"},
	{"mine", "Your open referrals"},
	{"case", "R-XXXXX: a referral (the whole case comes privately)"},
	{"note", "R-XXXXX text: add a note"},
	{"msg", "R-XXXXX text: write to the person (or reply to their card)"},
	{"close", "R-XXXXX [outcome] [note]: close it"},
	{"reassign", "R-XXXXX @name or id: pass it on"},
	{"console", "A sign-in link for the console (in a private chat)"},
	{"help", "These commands"},
}

// groupHelp is /help in a group or a worker's private chat.
func groupHelp() string {
	var b strings.Builder
	b.WriteString("Link worker commands:")
	for _, c := range groupCommands {
		b.WriteString("\n/" + c.Name + " — " + c.Description)
	}
	b.WriteString("\nThe person's own words, their answers and scores come only to the worker who holds the case: in the console, or here in a private chat with me.")
	return b.String()
}

// refPattern finds a referral's reference as people type it.
var refPattern = regexp.MustCompile(`(?i)^R-[0-9A-Z]{5}$`)

// leadingRef finds the reference a card or a relayed message starts with
// ("R-7K3QX · Link workers", "R-7K3QX · message from Sam"); the bot's other
// messages about a referral do not match, so a reply to them stays put.
var leadingRef = regexp.MustCompile(`^(?:URGENT )?(R-[0-9A-Z]{5}) · `)

// statePendingCard is the render state of a group that holds "R-XXXXX@id"
// while a card is posted but not yet recorded with the desk: a retry records
// it without posting it again. One field, however many cards.
const statePendingCard = "pc"

// LinkWorkersConfig tunes LinkWorkers. Zero values mean the documented defaults.
type LinkWorkersConfig struct {
	// Groups is each team's group; a team without one shares the link
	// workers' group (LINKWORKER_CHAT_ID).
	Groups map[handoff.Team]int64
	// Conversation reports whether a person's message to their case goes
	// to the conversation too: it holds risk (the conversation answers it
	// and flags it urgent), or the conversation waits for the answer to
	// "are you safe right now?". Nil: never.
	Conversation func(ctx context.Context, user int64, lang, text string) bool
	// Deliver delivers what casework asks for: messages to people through
	// their own outbox, whatever their channel, and the rest through Render.
	// Nil: Render alone, and messages to people are dropped with a warning.
	Deliver func(ctx context.Context, ns handoff.Notices) error
	// OnCall is the on-call chat (ONCALL_CHAT_ID): a duty worker's private
	// chat with the bot or a group. Escalate is the escalation chat
	// (ONCALL_ESCALATE_CHAT_ID). Alerts there carry an Acknowledge button,
	// which anyone in that chat may press. Zero: none.
	OnCall, Escalate int64
	// OnMoved is told that the group old became the supergroup to, so that
	// the new id is kept across restarts (the service gives the ones kept
	// back with Follow). Nil: kept in memory only.
	OnMoved func(ctx context.Context, old, to int64) error
	// Console is the console's address (PUBLIC_URL and /console), for links
	// on cards; empty: none.
	Console string
	// ConsoleLink returns a one-time sign-in link for a worker, for
	// /console in a private chat; nil: the command is not offered.
	ConsoleLink func(ctx context.Context, w handoff.Worker) (string, error)
	// HousingChat is the council's housing options team's chat
	// (HOUSING_OPTIONS_CHAT_ID), where referrals the person agreed to are
	// posted; zero: none, and a worker makes them.
	HousingChat int64
	Logger      *slog.Logger
}

// LinkWorkers is the Telegram side of casework: cards, commands and buttons
// in the link workers' groups, the workers' private chats with the bot, and
// the person's own commands about their case. Every rule lives in the
// handoff.Desk; LinkWorkers turns what it asks for into Telegram messages.
//
// Choices worth knowing:
//   - Every message it causes goes through the outbox and the one sender;
//     only the answer to a pressed button is immediate.
//   - A card entry in the outbox names its referral only. The sender reads
//     the referral when it sends, so the card is never stale and a waiting
//     outbox holds nothing of the person; it posts a referral's first card
//     once however often the effect runs, and records the message id with
//     the desk (SetCard) once Telegram has given it.
//   - The group sees what a group should: the card (reference, team,
//     priority, needs, status). The person's words and answers reach the
//     worker who holds the case privately, and the console. Every post about
//     a referral is protected from forwarding and recorded with the desk, so
//     that the person's erasure can take it down.
//   - A worker's reply reaches the person when it answers a card (found by
//     the desk's card index) or a message the bot passed on from the person
//     (found by the reference it starts with).
//   - @usernames for /reassign are kept with the desk (in Redis) as workers
//     are seen; a numeric id or a mention made from a name always works.
type LinkWorkers struct {
	desk *handoff.Desk
	cfg  LinkWorkersConfig
	log  *slog.Logger
	b    *Bot

	mu       sync.Mutex
	username string // the bot's @username, once known

	moved sync.Map // int64 old group → int64 the supergroup it became
}

// LinkWorkers returns the bot's casework side on desk. Call it once, before
// the bot starts.
func (b *Bot) LinkWorkers(desk *handoff.Desk, cfg LinkWorkersConfig) *LinkWorkers {
	if cfg.Logger == nil {
		cfg.Logger = b.log
	}
	lw := &LinkWorkers{desk: desk, cfg: cfg, log: cfg.Logger, b: b}
	b.lw = lw
	return lw
}

// groupOf is the group a team's cards go to.
func (lw *LinkWorkers) groupOf(team handoff.Team) int64 {
	if g := lw.cfg.Groups[team]; g != 0 {
		return lw.follow(g)
	}
	return lw.follow(lw.cfg.Groups[handoff.TeamLinkWorkers])
}

// onCallChat reports whether chat is the on-call or the escalation chat.
func (lw *LinkWorkers) onCallChat(chat int64) bool {
	return chat != 0 && (chat == lw.follow(lw.cfg.OnCall) || chat == lw.follow(lw.cfg.Escalate))
}

// Follow records that the group old is now the supergroup to: what was for
// old goes to to.
func (lw *LinkWorkers) Follow(old, to int64) {
	if old != 0 && to != 0 && old != to {
		lw.moved.Store(old, to)
	}
}

// follow is the chat that chat has become: itself unless it was upgraded.
func (lw *LinkWorkers) follow(chat int64) int64 {
	for range 8 { // a group is upgraded once; the bound only guards a loop
		to, ok := lw.moved.Load(chat)
		if !ok {
			return chat
		}
		chat = to.(int64)
	}
	return chat
}

// moveGroup follows the group old to the supergroup to, from now on and,
// through OnMoved, after a restart.
func (lw *LinkWorkers) moveGroup(ctx context.Context, old, to int64) error {
	if lw.follow(old) == to {
		return nil
	}
	if lw.cfg.OnMoved != nil {
		if err := lw.cfg.OnMoved(ctx, old, to); err != nil {
			return err
		}
	}
	lw.Follow(old, to)
	lw.log.ErrorContext(ctx, "a link workers' group became a supergroup with a new id: its cards go there now; put the new id in the setting that names the group", "chat", old, "to", to)
	return nil
}

// teamsOf are the teams whose cards go to chat.
func (lw *LinkWorkers) teamsOf(chat int64) []handoff.Team {
	var teams []handoff.Team
	for _, t := range handoff.Teams {
		if lw.groupOf(t) == chat {
			teams = append(teams, t)
		}
	}
	return teams
}

// Member reports the teams whose group user belongs to now, as Telegram's
// getChatMember says; the desk's authoriser asks it.
func (lw *LinkWorkers) Member(ctx context.Context, user int64) ([]handoff.Team, error) {
	var teams []handoff.Team
	var firstErr error
	asked := map[int64]bool{}
	for _, t := range handoff.Teams {
		chat := lw.follow(lw.cfg.Groups[t])
		if chat == 0 {
			continue
		}
		member, ok := asked[chat]
		if !ok {
			var err error
			member, err = lw.b.IsMember(ctx, chat, user)
			if err != nil {
				// A failure to ask about one group (the bot not in it yet)
				// does not keep out a member of the other.
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			asked[chat] = member
		}
		if member {
			teams = append(teams, t)
		}
	}
	if len(teams) == 0 {
		return nil, firstErr
	}
	return teams, nil
}

// IsMember reports whether user belongs to the group chat now, as
// Telegram's getChatMember says. A user Telegram does not know there is no
// member.
func (b *Bot) IsMember(ctx context.Context, chat, user int64) (bool, error) {
	cm, err := b.api.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: chat, UserID: user})
	if errors.Is(err, tgbot.ErrorBadRequest) {
		return false, nil
	}
	if err != nil {
		return false, redact(err, b.cfg.Token)
	}
	switch cm.Type {
	case models.ChatMemberTypeOwner, models.ChatMemberTypeAdministrator, models.ChatMemberTypeMember:
		return true, nil
	case models.ChatMemberTypeRestricted:
		return cm.Restricted != nil && cm.Restricted.IsMember, nil
	}
	return false, nil
}

// ID is the bot's own Telegram user id: the number its token starts with.
func (b *Bot) ID() int64 {
	id, _ := strconv.ParseInt(strings.SplitN(b.cfg.Token, ":", 2)[0], 10, 64)
	return id
}

// SetMenus sets the link workers' commands as the menu of each team's group.
func (lw *LinkWorkers) SetMenus(ctx context.Context) error {
	seen := map[int64]bool{}
	for _, t := range handoff.Teams {
		chat := lw.groupOf(t)
		if chat == 0 || seen[chat] {
			continue
		}
		seen[chat] = true
		if err := lw.b.setCommands(ctx, groupCommands, &models.BotCommandScopeChat{ChatID: chat}); err != nil {
			return err
		}
	}
	return nil
}

// deliver hands notices to whoever delivers them.
func (lw *LinkWorkers) deliver(ctx context.Context, ns handoff.Notices) error {
	if len(ns) == 0 {
		return nil
	}
	if lw.cfg.Deliver != nil {
		return lw.cfg.Deliver(ctx, ns)
	}
	for _, n := range ns {
		if n.Kind == handoff.NoticePerson || n.Kind == handoff.NoticeFollowUp {
			lw.log.WarnContext(ctx, "no deliverer for a message to a person; dropped", "ref", n.Ref)
		}
	}
	return lw.Render(ctx, ns)
}

// updateKey carries the update id to the handlers, which need it to drop a
// repeated delivery before passing anything on.
type updateKey struct{}

func withUpdate(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, updateKey{}, id)
}

func updateOf(ctx context.Context) int64 {
	id, _ := ctx.Value(updateKey{}).(int64)
	return id
}

// firstTime reports whether the update in hand is seen for the first time;
// without an id it is taken to be.
func (lw *LinkWorkers) firstTime(ctx context.Context) (bool, error) {
	id := updateOf(ctx)
	if id == 0 {
		return true, nil
	}
	seen, err := lw.b.outbox.SeenUpdate(ctx, id)
	return !seen, err
}
