package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"signpost/flows"
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

// --- what goes out ---

// enqueue hands entries for chat to the outbox and wakes the sender.
func (lw *LinkWorkers) enqueue(ctx context.Context, chat int64, outs ...flows.Out) error {
	if chat == 0 {
		return nil
	}
	entries := make([][]byte, 0, len(outs))
	for _, o := range outs {
		raw, err := json.Marshal(o)
		if err != nil {
			return err
		}
		entries = append(entries, raw)
	}
	if err := lw.b.outbox.Enqueue(ctx, chat, entries); err != nil {
		return err
	}
	lw.b.sender.notify(chat)
	return nil
}

// entryID is unique for an entry made now.
func entryID(kind, ref string) string {
	return fmt.Sprintf("lw.%s.%s.%d", kind, ref, time.Now().UnixNano())
}

// say sends text to chat, as a reply to message reply when it is not zero.
func (lw *LinkWorkers) say(ctx context.Context, chat int64, reply int, text string) error {
	node := ""
	if reply != 0 {
		node = strconv.Itoa(reply)
	}
	return lw.enqueue(ctx, chat, flows.Out{ID: entryID(outReply, ""), Kind: outReply, Node: node, Text: text})
}

// tell sends the person a message of their own language by key.
func (lw *LinkWorkers) tell(ctx context.Context, user int64, lang, key, ref string) error {
	text := strings.ReplaceAll(lw.cfg.Text(lang, key), "{ref}", ref)
	return lw.tellText(ctx, user, text)
}

func (lw *LinkWorkers) tellText(ctx context.Context, user int64, text string) error {
	if user == 0 {
		return nil
	}
	return lw.enqueue(ctx, user, flows.Out{ID: entryID("person", ""), Kind: flows.OutMessage, Text: text})
}

// cardChat is where r's card is, or goes.
func (lw *LinkWorkers) cardChat(r handoff.Referral) int64 {
	if r.Card.Chat != 0 {
		return r.Card.Chat
	}
	return lw.desk.Chat(r.Team)
}

// Show brings r's card up to date: redrawn in place once it has been
// posted, posted otherwise. Posting is done once per referral and group
// however often Show is called, so a repeated effect makes no second card.
func (lw *LinkWorkers) Show(ctx context.Context, r handoff.Referral) error {
	chat := lw.cardChat(r)
	if chat == 0 {
		lw.log.WarnContext(ctx, "no group for referral; set LINKWORKER_CHAT_ID", "ref", r.Ref, "team", string(r.Team))
		return nil
	}
	kind := outCard
	if r.Card.Message != 0 {
		kind = outCardRedraw
	}
	return lw.enqueue(ctx, chat, flows.Out{ID: entryID(kind, r.Ref), Kind: kind, Node: r.Ref})
}

// Urgent shows that r was flagged urgent: the card, and, for a card already
// in the group, a new message under it, since an edit alerts nobody.
func (lw *LinkWorkers) Urgent(ctx context.Context, r handoff.Referral) error {
	if err := lw.Show(ctx, r); err != nil {
		return err
	}
	if r.Card.Message == 0 {
		return nil
	}
	// Crisis words or a worrying check-in: the card says which.
	text := "URGENT " + r.Ref + ": flagged as urgent. The card above shows why."
	return lw.say(ctx, r.Card.Chat, int(r.Card.Message), text)
}

// Remind posts r's card again because nobody has claimed it; the older card
// loses its button so that the group has one place to claim it.
func (lw *LinkWorkers) Remind(ctx context.Context, r handoff.Referral) error {
	chat := lw.cardChat(r)
	if chat == 0 {
		return nil
	}
	var outs []flows.Out
	if r.Card.Message != 0 && r.Card.Chat == chat {
		outs = append(outs, flows.Out{ID: entryID(outCardRetire, r.Ref), Kind: outCardRetire, Node: fmt.Sprintf("%s@%d", r.Ref, r.Card.Message)})
	}
	outs = append(outs, flows.Out{ID: entryID(outCardAgain, r.Ref), Kind: outCardAgain, Node: r.Ref})
	return lw.enqueue(ctx, chat, outs...)
}

// NewRef tells the person the reference their referral got, when it is not
// the one the conversation told them.
func (lw *LinkWorkers) NewRef(ctx context.Context, r handoff.Referral) error {
	return lw.tell(ctx, r.User, r.Lang, keyNewRef, r.Ref)
}

// referral reads a referral as the bot itself.
func (lw *LinkWorkers) referral(ctx context.Context, ref string) (handoff.Referral, error) {
	c, err := lw.desk.Case(ctx, ref, lw.Self())
	return c.Referral, err
}

// cardOf is the card of ref as it stands: its text and, while it waits, the
// Claim button.
func (lw *LinkWorkers) cardOf(ctx context.Context, ref string) (handoff.Referral, string, [][]flows.Button, error) {
	r, err := lw.referral(ctx, ref)
	if err != nil {
		return r, "", nil, err
	}
	var buttons [][]flows.Button
	if r.Status == handoff.StatusNew && !r.IsErased() {
		buttons = [][]flows.Button{{{Label: "Claim", Data: claimData + r.Ref}}}
	}
	return r, handoff.CardText(r), buttons, nil
}

// renderGroup shows the bot's own group entries. Cards are read from the
// desk at the moment they are sent.
func (b *Bot) renderGroup(ctx context.Context, chat int64, o flows.Out, state map[string]string) (sendOutcome, time.Duration) {
	lw, _ := b.groups.(*LinkWorkers)
	switch o.Kind {
	case outReply:
		reply, _ := strconv.Atoi(o.Node)
		_, outcome, retry := b.post(ctx, chat, o.Text, o.Buttons, reply)
		return outcome, retry
	case outEdit:
		id, _ := strconv.Atoi(o.Node)
		return b.edit(ctx, chat, id, o.Text, o.Buttons)
	}
	if lw == nil {
		return sendOK, 0
	}
	ref, msg, _ := strings.Cut(o.Node, "@")
	r, text, buttons, err := lw.cardOf(ctx, ref)
	if errors.Is(err, handoff.ErrNotFound) {
		b.log.Warn("card of an unknown referral dropped", "chat", chat, "ref", ref)
		return sendOK, 0
	}
	if err != nil {
		b.log.Warn("read referral for its card; will retry", "chat", chat, "ref", ref, "err", err)
		return sendRetryLater, retryLater
	}
	switch o.Kind {
	case outCardRedraw:
		if r.Card.Chat != chat || r.Card.Message == 0 {
			return sendOK, 0 // not posted yet: the post will show it as it is
		}
		return b.edit(ctx, chat, int(r.Card.Message), text, buttons)
	case outCardRetire:
		id, _ := strconv.Atoi(msg)
		return b.edit(ctx, chat, id, text+"\n"+retiredWords, nil)
	case outCard, outCardAgain:
		var id int
		pending, pendingID, _ := strings.Cut(state[statePendingCard], "@")
		switch {
		case pending == ref:
			id, _ = strconv.Atoi(pendingID) // posted before a failure to record it
		case o.Kind == outCard && r.Card.Message != 0:
			return sendOK, 0 // a repeated effect: the card is up already
		default:
			var outcome sendOutcome
			var retry time.Duration
			id, outcome, retry = b.post(ctx, chat, text, buttons, 0)
			if outcome != sendOK || id == 0 {
				return outcome, retry
			}
			state[statePendingCard] = ref + "@" + strconv.Itoa(id)
		}
		if _, err := lw.desk.SetCard(ctx, ref, chat, int64(id)); err != nil {
			b.log.Warn("record card; will retry", "chat", chat, "ref", ref, "err", err)
			return sendRetryLater, retryLater
		}
		state[statePendingCard] = ""
		b.m.effects.WithLabelValues("card_posted").Inc()
		return sendOK, 0
	}
	return sendOK, 0
}

// post sends one message to chat and returns its id (0 if it was refused).
func (b *Bot) post(ctx context.Context, chat int64, text string, buttons [][]flows.Button, reply int) (int, sendOutcome, time.Duration) {
	params := &tgbot.SendMessageParams{ChatID: chat, Text: text}
	if len(buttons) > 0 {
		params.ReplyMarkup = keyboard(buttons)
	}
	if reply != 0 {
		params.ReplyParameters = &models.ReplyParameters{MessageID: reply, AllowSendingWithoutReply: true}
	}
	var sent *models.Message
	outcome, retry, err := b.call(ctx, chat, "sendMessage", true, func() error {
		var err error
		sent, err = b.api.SendMessage(ctx, params)
		return err
	})
	outcome = b.logged(outcome, err, chat, "send group message")
	if err != nil || sent == nil {
		return 0, outcome, retry
	}
	return sent.ID, outcome, retry
}

// edit changes a message of the bot's; no buttons removes them.
func (b *Bot) edit(ctx context.Context, chat int64, id int, text string, buttons [][]flows.Button) (sendOutcome, time.Duration) {
	if id == 0 {
		return sendOK, 0
	}
	params := &tgbot.EditMessageTextParams{ChatID: chat, MessageID: id, Text: text}
	if len(buttons) > 0 {
		params.ReplyMarkup = keyboard(buttons)
	}
	outcome, retry, err := b.call(ctx, chat, "editMessageText", true, func() error {
		_, err := b.api.EditMessageText(ctx, params)
		return err
	})
	return b.logged(outcome, err, chat, "edit group message"), retry
}

// --- in the groups ---

// worker is the link worker a Telegram user is: their id and the name the
// team knows them by. The person is only ever shown the first name.
func worker(u *models.User) handoff.Worker {
	return handoff.Worker{ID: u.ID, Name: strings.TrimSpace(u.FirstName + " " + u.LastName)}
}

// learn remembers a user's @username, so that /reassign can name them.
func (lw *LinkWorkers) learn(u *models.User) {
	if u == nil || u.Username == "" || u.IsBot {
		return
	}
	lw.mu.Lock()
	lw.handles[strings.ToLower(u.Username)] = worker(u)
	lw.mu.Unlock()
}

// botName is the bot's @username, asked of Telegram once.
func (lw *LinkWorkers) botName(ctx context.Context) string {
	lw.mu.Lock()
	name := lw.username
	lw.mu.Unlock()
	if name != "" {
		return name
	}
	name, err := lw.b.Username(ctx)
	if err != nil {
		return ""
	}
	lw.mu.Lock()
	lw.username = name
	lw.mu.Unlock()
	return name
}

// commandOf splits "/close@signpost_bot R-7K3QX advice" into "close" and
// "R-7K3QX advice". ok is false for text that is no command, or a command
// meant for another bot.
func (lw *LinkWorkers) commandOf(ctx context.Context, text string) (name, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, args, _ := strings.Cut(text, " ")
	args = strings.TrimSpace(args)
	if nl := strings.IndexByte(head, '\n'); nl >= 0 {
		head, args = head[:nl], strings.TrimSpace(head[nl:]+" "+args)
	}
	name, to, addressed := strings.Cut(strings.TrimPrefix(head, "/"), "@")
	if addressed {
		if own := lw.botName(ctx); own != "" && !strings.EqualFold(to, own) {
			return "", "", false
		}
	}
	return strings.ToLower(name), args, name != ""
}

// teamsOf are the teams whose cards go to chat.
func (lw *LinkWorkers) teamsOf(chat int64) []handoff.Team {
	var teams []handoff.Team
	for _, t := range []handoff.Team{handoff.TeamLinkWorkers, handoff.TeamLeavingCare} {
		if lw.desk.Chat(t) == chat {
			teams = append(teams, t)
		}
	}
	return teams
}

// Message handles a message in a link workers' group: a command, or a
// worker's reply to a card or to a person's message, which goes to the person.
func (lw *LinkWorkers) Message(ctx context.Context, m *models.Message) error {
	if m.From == nil || m.From.IsBot {
		return nil
	}
	lw.learn(m.From)
	name, args, ok := lw.commandOf(ctx, m.Text)
	if !ok {
		if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == lw.b.ID() && m.Text != "" {
			return lw.replyToPerson(ctx, m)
		}
		return nil
	}
	w := worker(m.From)
	chat, at := m.Chat.ID, m.ID
	answer := func(text string) error { return lw.say(ctx, chat, at, text) }
	fail := func(ref string, err error) error { return answer(lw.explain(ctx, ref, err)) }

	ref, rest := splitRef(args)
	needRef := map[string]bool{"case": true, "note": true, "close": true, "reassign": true, "msg": true}
	if needRef[name] && ref == "" {
		// Say nothing of referrals to someone who may not see them.
		if _, err := lw.desk.Mine(ctx, w); err != nil {
			return fail("", err)
		}
		return answer(needRefText)
	}
	switch name {
	case "help":
		return answer(groupHelp)
	case "queue":
		var texts []string
		for _, team := range lw.teamsOf(chat) {
			rs, err := lw.desk.Queue(ctx, team, w)
			if err != nil {
				return fail("", err)
			}
			texts = append(texts, lw.desk.QueueText(team, rs))
		}
		if len(texts) == 0 {
			return nil
		}
		return answer(strings.Join(texts, "\n\n"))
	case "mine":
		rs, err := lw.desk.Mine(ctx, w)
		if err != nil {
			return fail("", err)
		}
		return answer(lw.desk.MineText(rs))
	case "case":
		c, err := lw.desk.Case(ctx, ref, w)
		if err != nil {
			return fail(ref, err)
		}
		return answer(lw.desk.CaseText(c))
	case "note":
		if rest == "" {
			return answer("Write the note after the reference: /note " + ref + " text")
		}
		if _, err := lw.desk.Note(ctx, ref, w, rest); err != nil {
			return fail(ref, err)
		}
		return answer("Note added to " + ref + ".")
	case "msg":
		if rest == "" {
			return answer("Write the message after the reference: /msg " + ref + " text")
		}
		return lw.toPerson(ctx, chat, at, ref, w, rest)
	case "close":
		return lw.closeCommand(ctx, chat, at, ref, w, rest)
	case "reassign":
		return lw.reassign(ctx, m, ref, w, rest)
	}
	return nil // another bot's command, or none of ours
}

// splitRef reads a reference at the start of args.
func splitRef(args string) (ref, rest string) {
	head, rest, _ := strings.Cut(args, " ")
	if !refPattern.MatchString(head) {
		return "", args
	}
	return strings.ToUpper(head), strings.TrimSpace(rest)
}

// explain turns a desk error into words for the group, and logs what is no
// one's mistake.
func (lw *LinkWorkers) explain(ctx context.Context, ref string, err error) string {
	var claimed *handoff.ClaimedError
	switch {
	case errors.Is(err, handoff.ErrNotAuthorised):
		return refusedText
	case errors.As(err, &claimed):
		return ref + " is already claimed by " + claimed.Holder.Name + "."
	case errors.Is(err, handoff.ErrNotFound):
		return "There is no referral " + ref + "."
	case errors.Is(err, handoff.ErrErased):
		return "The person of " + ref + " asked for their data to be erased, so nothing more can be done with it."
	case errors.Is(err, handoff.ErrClosed):
		return ref + " is closed."
	case errors.Is(err, handoff.ErrNotClaimed):
		return "Nobody has claimed " + ref + " yet: claim it first."
	case errors.Is(err, handoff.ErrBadOutcome):
		return "That is not an outcome I know."
	}
	lw.log.ErrorContext(ctx, "link workers' command", "ref", ref, "err", err)
	return sorryText
}

// toPerson sends a worker's words to the person of ref, recording first that
// they were sent.
func (lw *LinkWorkers) toPerson(ctx context.Context, chat int64, at int, ref string, w handoff.Worker, text string) error {
	before, _ := lw.referral(ctx, ref) // only to notice the first contact
	r, err := lw.desk.RecordToPerson(ctx, ref, w)
	if err != nil {
		return lw.say(ctx, chat, at, lw.explain(ctx, ref, err))
	}
	if r.User == 0 {
		return lw.say(ctx, chat, at, lw.explain(ctx, ref, handoff.ErrErased))
	}
	if err := lw.tellText(ctx, r.User, handoff.FromWorker(w, text)); err != nil {
		return err
	}
	if before.Status != r.Status {
		return lw.Show(ctx, r) // the card now says they are in contact
	}
	return nil
}

// replyToPerson passes a worker's reply to a card, or to a person's message
// the bot showed, to that person.
func (lw *LinkWorkers) replyToPerson(ctx context.Context, m *models.Message) error {
	to := m.ReplyToMessage
	ref, ok, err := lw.desk.RefByCard(ctx, m.Chat.ID, int64(to.ID))
	if err != nil {
		return lw.say(ctx, m.Chat.ID, m.ID, lw.explain(ctx, "", err))
	}
	if !ok {
		sub := leadingRef.FindStringSubmatch(to.Text)
		if sub == nil {
			return nil // a reply to something else the bot said
		}
		ref = sub[1]
	}
	return lw.toPerson(ctx, m.Chat.ID, m.ID, ref, worker(m.From), m.Text)
}

// outcomeWords are the ways a worker may type an outcome, besides its code
// and its words on the button.
var outcomeWords = map[handoff.Outcome][]string{
	handoff.OutcomeConnectedGroup:  {"connected", "group"},
	handoff.OutcomeReferredService: {"referred", "service"},
	handoff.OutcomeAdvice:          {"advice"},
	handoff.OutcomeNotNeeded:       {"not needed", "not_needed", "no longer needed"},
	handoff.OutcomeNoContact:       {"no contact", "no_contact", "could not contact"},
	handoff.OutcomeOther:           {"other"},
}

// parseOutcome reads the outcome at the start of s, the longest match
// winning, and returns the note after it.
func parseOutcome(s string) (handoff.Outcome, string, bool) {
	var best handoff.Outcome
	bestLen := 0
	for _, o := range handoff.Outcomes {
		for _, w := range append([]string{string(o), o.Words()}, outcomeWords[o]...) {
			if len(w) <= bestLen || len(s) < len(w) || !strings.EqualFold(s[:len(w)], w) {
				continue
			}
			if len(s) > len(w) && !strings.ContainsRune(" :,.-—\n", rune(s[len(w)])) {
				continue
			}
			best, bestLen = o, len(w)
		}
	}
	if bestLen == 0 {
		return "", s, false
	}
	return best, strings.TrimLeft(s[bestLen:], " :,.-—\n"), true
}

// closeCommand closes ref with the outcome typed, or offers the outcomes as
// buttons when none was.
func (lw *LinkWorkers) closeCommand(ctx context.Context, chat int64, at int, ref string, w handoff.Worker, rest string) error {
	outcome, note, ok := parseOutcome(rest)
	if !ok {
		// Check first: the buttons are for someone who may close it.
		c, err := lw.desk.Case(ctx, ref, w)
		if err == nil && c.Referral.IsErased() {
			err = handoff.ErrErased
		} else if err == nil && c.Referral.Status == handoff.StatusClosed {
			err = handoff.ErrClosed
		}
		if err != nil {
			return lw.say(ctx, chat, at, lw.explain(ctx, ref, err))
		}
		var rows [][]flows.Button
		for i, o := range handoff.Outcomes {
			b := flows.Button{Label: o.Words(), Data: closeData + ref + ":" + string(o)}
			if i%2 == 0 {
				rows = append(rows, []flows.Button{b})
			} else {
				rows[len(rows)-1] = append(rows[len(rows)-1], b)
			}
		}
		return lw.enqueue(ctx, chat, flows.Out{ID: entryID(outReply, ref), Kind: outReply, Node: strconv.Itoa(at), Text: "How did " + ref + " end?", Buttons: rows})
	}
	if _, err := lw.close(ctx, ref, w, outcome, note); err != nil {
		return lw.say(ctx, chat, at, lw.explain(ctx, ref, err))
	}
	return nil
}

// close closes ref, redraws its card and tells the person.
func (lw *LinkWorkers) close(ctx context.Context, ref string, w handoff.Worker, outcome handoff.Outcome, note string) (handoff.Referral, error) {
	r, err := lw.desk.Close(ctx, ref, w, outcome, note)
	if err != nil {
		return r, err
	}
	if err := lw.Show(ctx, r); err != nil {
		return r, err
	}
	return r, lw.tellText(ctx, r.User, handoff.ClosedText(r))
}

// reassign passes ref to the worker named in rest: a mention the app made
// from a name, a numeric id, or an @username seen in the groups.
func (lw *LinkWorkers) reassign(ctx context.Context, m *models.Message, ref string, from handoff.Worker, rest string) error {
	chat, at := m.Chat.ID, m.ID
	var to handoff.Worker
	for _, e := range m.Entities {
		if e.Type == models.MessageEntityTypeTextMention && e.User != nil {
			to = worker(e.User)
		}
	}
	target, _, _ := strings.Cut(rest, " ")
	if to.ID == 0 {
		if id, err := strconv.ParseInt(target, 10, 64); err == nil && id > 0 {
			to = lw.memberWorker(ctx, chat, id)
		} else if strings.HasPrefix(target, "@") {
			lw.mu.Lock()
			to = lw.handles[strings.ToLower(strings.TrimPrefix(target, "@"))]
			lw.mu.Unlock()
			if to.ID == 0 {
				// Check first: only a link worker learns who is known.
				if _, err := lw.desk.Mine(ctx, from); err != nil {
					return lw.say(ctx, chat, at, lw.explain(ctx, ref, err))
				}
				return lw.say(ctx, chat, at, "I do not know "+target+" yet. Ask them to send /mine here once, or use their numeric id.")
			}
		}
	}
	if to.ID == 0 {
		return lw.say(ctx, chat, at, "Who to? /reassign "+ref+" @name (or their numeric id)")
	}
	r, err := lw.desk.Reassign(ctx, ref, from, to)
	if err != nil {
		return lw.say(ctx, chat, at, lw.explain(ctx, ref, err))
	}
	if err := lw.Show(ctx, r); err != nil {
		return err
	}
	return lw.say(ctx, chat, at, ref+" is now with "+to.Name+".")
}

// memberWorker names the user with id as the group knows them.
func (lw *LinkWorkers) memberWorker(ctx context.Context, chat, id int64) handoff.Worker {
	w := handoff.Worker{ID: id, Name: strconv.FormatInt(id, 10)}
	cm, err := lw.b.api.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: chat, UserID: id})
	if err != nil {
		return w
	}
	var u *models.User
	switch {
	case cm.Owner != nil:
		u = cm.Owner.User
	case cm.Administrator != nil:
		u = &cm.Administrator.User
	case cm.Member != nil:
		u = cm.Member.User
	case cm.Restricted != nil:
		u = cm.Restricted.User
	}
	if u != nil && u.FirstName != "" {
		w = worker(u)
	}
	return w
}

// Callback handles a button on a card (Claim) or under /close (an outcome).
func (lw *LinkWorkers) Callback(ctx context.Context, q *models.CallbackQuery) (string, error) {
	lw.learn(&q.From)
	w := worker(&q.From)
	var pressed, chat int64
	if m := q.Message.Message; m != nil {
		pressed, chat = int64(m.ID), m.Chat.ID
	}
	switch {
	case strings.HasPrefix(q.Data, claimData):
		ref := strings.TrimPrefix(q.Data, claimData)
		r, err := lw.desk.Claim(ctx, ref, w)
		if err != nil {
			return clip200(lw.explain(ctx, ref, err)), nil
		}
		if err := lw.Show(ctx, r); err != nil {
			return sorryText, err
		}
		if pressed != 0 && (pressed != r.Card.Message || chat != r.Card.Chat) {
			// An older card of the same referral: it gives up its button too.
			lw.enqueue(ctx, chat, flows.Out{ID: entryID(outCardRetire, ref), Kind: outCardRetire, Node: fmt.Sprintf("%s@%d", ref, pressed)})
		}
		return clip200(ref + " is yours. Reply to its card to write to the person."), nil
	case strings.HasPrefix(q.Data, closeData):
		ref, code, _ := strings.Cut(strings.TrimPrefix(q.Data, closeData), ":")
		outcome := handoff.Outcome(code)
		r, err := lw.close(ctx, ref, w, outcome, "")
		if err != nil {
			return clip200(lw.explain(ctx, ref, err)), nil
		}
		if pressed != 0 {
			text := r.Ref + " closed by " + w.Name + ": " + outcome.Words() + "."
			lw.enqueue(ctx, chat, flows.Out{ID: entryID(outEdit, ref), Kind: outEdit, Node: strconv.FormatInt(pressed, 10), Text: text})
		}
		return clip200(ref + " is closed."), nil
	}
	return "", nil
}

func clip200(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:199]) + "…"
	}
	return s
}

// --- the person's side ---

// Relay passes a person's message to the case a link worker holds, once
// their conversation with the bot is over. Words of crisis reach the case
// and, by reporting false, the conversation too, which signposts help.
func (lw *LinkWorkers) Relay(ctx context.Context, user int64, m *models.Message) (bool, error) {
	ref, ok, err := lw.desk.OpenCaseOf(ctx, user)
	if err != nil || !ok {
		return false, err
	}
	r, err := lw.referral(ctx, ref)
	if err != nil || !r.Held() {
		return false, err
	}
	if lw.cfg.Active != nil {
		if busy, err := lw.cfg.Active(ctx, user); err != nil || busy {
			return false, err
		}
	}
	crisis := lw.cfg.Crisis != nil && lw.cfg.Crisis(r.Lang, m.Text)
	if first, err := lw.firstTime(ctx); err != nil || !first {
		return !crisis, err
	}
	if r, err = lw.desk.RecordFromPerson(ctx, ref); err != nil {
		return false, err
	}
	chat := lw.cardChat(r)
	if err := lw.say(ctx, chat, int(r.Card.Message), handoff.FromPerson(r, m.Text)); err != nil {
		return false, err
	}
	return !crisis, nil
}

// Command handles a person's commands about their referral, before the
// conversation: /status and /endcontact are answered here; /forget erases
// the referrals first and then goes on to the conversation, which erases
// the rest.
func (lw *LinkWorkers) Command(ctx context.Context, user int64, m *models.Message) (bool, error) {
	name, _, ok := lw.commandOf(ctx, m.Text)
	if !ok {
		return false, nil
	}
	lang := ""
	if m.From != nil {
		lang = m.From.LanguageCode
	}
	switch name {
	case "forget":
		return false, lw.forget(ctx, user)
	case "status":
		if first, err := lw.firstTime(ctx); err != nil || !first {
			return true, err
		}
		text, err := lw.desk.Status(ctx, user)
		if err != nil {
			return false, err
		}
		return true, lw.tellText(ctx, user, text)
	case "endcontact":
		if first, err := lw.firstTime(ctx); err != nil || !first {
			return true, err
		}
		return true, lw.endContact(ctx, user, lang)
	}
	return false, nil
}

// endContact closes the person's open referral at their word: nothing more
// passes between them and a link worker.
func (lw *LinkWorkers) endContact(ctx context.Context, user int64, lang string) error {
	ref, ok, err := lw.desk.OpenCaseOf(ctx, user)
	if err != nil {
		return err
	}
	if !ok {
		return lw.tell(ctx, user, lang, keyNoCase, "")
	}
	r, err := lw.desk.Close(ctx, ref, lw.Self(), handoff.OutcomeNotNeeded, "the person ended contact")
	if errors.Is(err, handoff.ErrClosed) || errors.Is(err, handoff.ErrErased) {
		return lw.tell(ctx, user, lang, keyNoCase, "")
	}
	if err != nil {
		return err
	}
	lw.log.InfoContext(ctx, "person ended contact", "ref", ref)
	if err := lw.Show(ctx, r); err != nil {
		return err
	}
	if r.Card.Message != 0 {
		if err := lw.say(ctx, r.Card.Chat, int(r.Card.Message), ref+": the person has ended contact, so it is closed. Nothing more will reach them."); err != nil {
			return err
		}
	}
	if r.Lang != "" {
		lang = r.Lang
	}
	return lw.tell(ctx, user, lang, keyContactEnded, ref)
}

// forget erases the person's referrals, keeping their anonymous counts, and
// redraws their cards to say so. It runs before the conversation erases the
// person's own keys, where the desk finds their referrals.
func (lw *LinkWorkers) forget(ctx context.Context, user int64) error {
	refs, err := lw.desk.Forget(ctx, user)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		r, err := lw.referral(ctx, ref)
		if err != nil {
			return err
		}
		if err := lw.Show(ctx, r); err != nil {
			return err
		}
	}
	return nil
}
