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

// Outbox entries of the bot's own for the link workers' groups. A card entry
// names only its referral: the sender reads the referral as it stands when
// it sends, so a card never shows what was true a moment ago, and an outbox
// waiting in Redis holds nothing of the person.
const (
	outCard       = "card"        // post the card of referral Node, unless it is posted already
	outCardAgain  = "card_again"  // post the card of referral Node again: a reminder
	outCardRedraw = "card_redraw" // redraw the referral's latest card in place
	outCardRetire = "card_retire" // "R-XXXXX@message": an older card loses its button
	outReply      = "reply"       // Text, in reply to message Node when set
	outEdit       = "edit"        // message Node now reads Text, with Buttons if any
)

// Callback data of group buttons, well within Telegram's 64 bytes:
// "claim:R-7K3QX" and "close:R-7K3QX:connected_group".
const (
	claimData = "claim:"
	closeData = "close:"
)

// Words of the bot in the groups. They never hold case details for someone
// who may not see them.
const (
	refusedText  = "Sorry, only the service's link workers can do that here."
	sorryText    = "Sorry, something went wrong. Please try again."
	groupHelp    = "Link worker commands:\n/queue — referrals waiting, oldest first\n/mine — your open referrals\n/case R-XXXXX — a referral and its history\n/note R-XXXXX text — add a note\n/msg R-XXXXX text — write to the person (or reply to their card)\n/close R-XXXXX [outcome] [note] — close it\n/reassign R-XXXXX @name or id — pass it on"
	needRefText  = "Which referral? Write it like R-7K3QX."
	retiredWords = "Posted again below."
)

// Person-facing message keys (content messages) the link workers' side says.
const (
	keyContactEnded = "lw_contact_ended"
	keyNoCase       = "lw_no_case"
	keyNewRef       = "lw_new_ref"
)

// refPattern finds a referral's reference as people type it.
var refPattern = regexp.MustCompile(`(?i)^R-[0-9A-Z]{5}$`)

// leadingRef finds the reference a card or a relayed message starts with
// ("R-7K3QX · Link workers", "R-7K3QX · message from Sam"); the bot's other
// messages about a referral do not match, so a reply to them stays in the group.
var leadingRef = regexp.MustCompile(`^(?:URGENT )?(R-[0-9A-Z]{5}) · `)

// statePendingCard is the render state of a group that holds "R-XXXXX@id"
// while a card is posted but not yet recorded with the desk: a retry records
// it without posting it again. One field, however many cards.
const statePendingCard = "pc"

// LinkWorkersConfig tunes LinkWorkers. Nil funcs mean the documented defaults.
type LinkWorkersConfig struct {
	// Active reports whether the person is in the middle of a conversation
	// with the bot; what they type then belongs to it, not to their case.
	// Nil: never.
	Active func(ctx context.Context, user int64) (bool, error)
	// Crisis reports whether text holds risk words. Such a message reaches
	// the case and also the conversation, which signposts help and flags it
	// urgent. Nil: never.
	Crisis func(lang, text string) bool
	// Text returns the message key in the person's language; {ref} in it
	// is replaced. Nil: the key itself.
	Text   func(lang, key string) string
	Logger *slog.Logger
}

// LinkWorkers is the bot's Groups: referral cards, commands and buttons in
// the link workers' groups, and the relay between a worker and a person,
// all on a handoff.Desk. Pass it to New, which attaches the bot to it.
//
// Choices worth knowing:
//   - Every message it causes goes through the outbox and the one sender;
//     only the answer to a pressed button is immediate.
//   - A card entry in the outbox names its referral only. The sender reads
//     the referral when it sends, so the card is never stale and a waiting
//     outbox holds nothing of the person; it posts a referral's first card
//     once however often the effect runs, and records the message id with
//     the desk (SetCard) once Telegram has given it.
//   - A worker's reply reaches the person when it answers a card (found by
//     the desk's card index) or a message the bot relayed from the person
//     (found by the reference it starts with). Telegram delivers replies to
//     the bot's own messages even in privacy mode.
//   - The bot acts as a worker of its own (Self) to read a referral for its
//     card and to close one at the person's word (/endcontact), so the
//     desk's authoriser must allow the bot's own id.
//   - @usernames for /reassign are learned from the groups since the bot
//     started; a numeric id or a mention made from a name always works.
type LinkWorkers struct {
	desk *handoff.Desk
	cfg  LinkWorkersConfig
	log  *slog.Logger
	b    *Bot

	mu       sync.Mutex
	username string                    // the bot's @username, once known
	handles  map[string]handoff.Worker // @username → worker, learned in the groups
}

// NewLinkWorkers returns the groups' side of the bot on desk.
func NewLinkWorkers(desk *handoff.Desk, cfg LinkWorkersConfig) *LinkWorkers {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Text == nil {
		cfg.Text = func(_, key string) string { return key }
	}
	return &LinkWorkers{desk: desk, cfg: cfg, log: cfg.Logger, handles: map[string]handoff.Worker{}}
}

// Self is the worker the bot acts as when a person, not a link worker,
// changes their referral (ending contact) or when the bot must read one to
// redraw its card. Its id is the bot's own, which no person can have; the
// desk's authoriser must allow it.
func (lw *LinkWorkers) Self() handoff.Worker {
	return handoff.Worker{ID: lw.b.ID(), Name: "the person"}
}

// ID is the bot's own Telegram user id: the number its token starts with.
func (b *Bot) ID() int64 {
	id, _ := strconv.ParseInt(strings.SplitN(b.cfg.Token, ":", 2)[0], 10, 64)
	return id
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
