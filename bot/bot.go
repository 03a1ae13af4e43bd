// Package bot puts the conversation into Telegram. It is the only package
// that calls go-telegram/bot: updates come in by long polling or through its
// own webhook handler, are dropped if repeated, and are handled in order per
// chat and in parallel across chats; everything the bot says leaves through
// one sender that reads the outbox in Redis, keeps Telegram's limits across
// replicas, retries what can be retried and notices who blocked the bot.
package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"signpost/flows"
	"signpost/handoff"
)

// Runner applies an event to a person's conversation and commits the
// outcome with its outbox; flows.Runner is one.
type Runner interface {
	Handle(ctx context.Context, user int64, ev flows.Event) ([]flows.Out, error)
	// HandleClaim is Handle that also leases the person's outbox to
	// lease.Owner in the same write and returns what it leased.
	HandleClaim(ctx context.Context, user int64, ev flows.Event, lease flows.Lease) ([]flows.Out, flows.Claimed, error)
}

// Outbox is what the bot needs from storage besides the conversation;
// store.Store is one.
type Outbox interface {
	// ClaimAhead leases chat's outbox to owner and reads up to max entries
	// and the chat's state; the referrals named by ahead, which the
	// entries are likely about, are read in the same round trip and kept
	// for the work of ctx.
	ClaimAhead(ctx context.Context, chat int64, owner string, lease time.Duration, max, ack int, ahead []string) ([][]byte, map[string]string, bool, error)
	// Finish acknowledges n entries and records posts, the messages the
	// delivery showed about referrals, in the same round trip.
	Finish(ctx context.Context, chat int64, owner string, n int, lease time.Duration, state map[string]string, posts ...handoff.RefPost) (int, error)
	// FinishLater holds what Finish would do for the next round trip of
	// the work of ctx, whatever that is for; args gives its arguments
	// then, and done is told its answer. False: the work holds no writes.
	FinishLater(ctx context.Context, chat int64, owner string, args func() (n int, lease time.Duration, state map[string]string, posts []handoff.RefPost), done func(left int, err error)) bool
	// Renew extends owner's lease on chat's outbox and reports whether
	// owner still held it.
	Renew(ctx context.Context, chat int64, owner string, lease time.Duration) (bool, error)
	// PendingUsers lists the chats whose outbox may hold entries nobody is
	// delivering (with fresh, also those written just now); Unindex drops
	// chat from that list if its outbox is empty and has been for a while.
	PendingUsers(ctx context.Context, fresh bool) ([]int64, error)
	Unindex(ctx context.Context, chat int64) error
	Enqueue(ctx context.Context, chat int64, entries [][]byte) error
	// EnqueueAll is Enqueue for several chats in one round trip:
	// entries[i] for chats[i].
	EnqueueAll(ctx context.Context, chats []int64, entries [][][]byte) error
	// EnqueueClaim is EnqueueAll that also leases the outbox of each chat
	// i whose leases[i] names an owner (a person's or a worker's, never a
	// group's) and books sends[i] slots with it, in the same round trip,
	// returning what each lease took.
	// once[i][k], when not "", puts entries[i][k] once however often it
	// is put under that id (within the dedupe window); once may be nil.
	EnqueueClaim(ctx context.Context, chats []int64, entries [][][]byte, leases []flows.Lease, sends []int, once [][]string) ([]flows.Claimed, error)
	// EnqueueClaimLater holds what EnqueueClaim does for the next round
	// trip of the work of ctx, and tells done its answer and when that
	// round trip was made. False: the work holds no writes.
	EnqueueClaimLater(ctx context.Context, chats []int64, entries [][][]byte, leases []flows.Lease, sends []int, once [][]string, done func(claimed []flows.Claimed, since time.Time, err error)) bool
	// ReserveBoth books n sending slots under the chat's limit (per minute
	// for a group, a negative id) and the overall one, in one round trip;
	// slot i may be used max(0, offset + i*interval) after the call.
	ReserveBoth(ctx context.Context, chat int64, chatRate float64, chatBurst int, globalRate float64, globalBurst, n int) (chatOff, chatIv, globOff, globIv time.Duration, err error)
	// SeenUpdate remembers an update that concerns no person's session and
	// reports whether it was seen before; the referrals named by ahead,
	// which the update is about, are read in the same round trip and kept
	// for the rest of its work.
	SeenUpdate(ctx context.Context, id int64, ahead ...string) (bool, error)
	// Flush writes what the work of ctx held for its next round trip (see
	// roundtrip.Work.DeferWrites).
	Flush(ctx context.Context) error
	SetBlocked(ctx context.Context, user int64, blocked bool) error
	BlockedCount(ctx context.Context) (int64, error)
}

// Effects runs the work a conversation sets in motion (a referral, check-ins,
// an urgent flag). It is called at least once per effect; effects carry a
// key so that a repeat is a no-op.
type Effects interface {
	Run(ctx context.Context, e flows.Effect) error
}

// Limits of the sender, shared by every replica through Redis.
type Limits struct {
	// Global is messages a second in all. Default 30.
	Global float64
	// PerChat is messages a second to one person, with bursts of up to
	// ChatBurst. Default 1 and 3.
	PerChat   float64
	ChatBurst int
	// PerGroupMinute is messages a minute to one group. Default 20.
	PerGroupMinute float64
}

// Config of a Bot. Zero values mean the documented defaults.
type Config struct {
	Token string
	// APIURL is the Bot API server. Default https://api.telegram.org.
	APIURL string
	// WebhookSecret, when set, is checked on every webhook call.
	WebhookSecret string
	// Groups lists the chats where the bot works with link workers; added to
	// any other group, it says so and leaves.
	Groups []int64
	// Limits of sending. See Limits for defaults.
	Limits Limits
	// Shards is how many private chats are handled at once. Default 64.
	// Groups have an eighth as many shards again, of their own.
	Shards int
	// Senders is how many chats set aside or found by the sweep are
	// delivered to at once. Default 16.
	Senders int
	// Deliveries is how many deliveries of just-committed updates may be
	// in flight at once; past it, updates wait to be taken in. Default 256.
	Deliveries int
	// TypingAfter is how long a step may take before the person is shown
	// "typing…". Default 400ms.
	TypingAfter time.Duration
	// SendTimeout bounds one call to the Bot API. Default 10s.
	SendTimeout time.Duration
	// SweepEvery is how often the sender looks for outboxes a crash left
	// behind. Default 15s.
	SweepEvery time.Duration
	// Lease is how long a sender holds a chat's outbox between renewals
	// (it renews every third of it while it works); after a crash, another
	// replica takes the chat over once it lapses. It must be at least twice
	// SendTimeout: a call is made only while the lease is sure to outlast
	// it. Default twice SendTimeout.
	Lease time.Duration
	// OnBlocked is told when a person blocks or unblocks the bot (check-ins pause).
	OnBlocked func(ctx context.Context, user int64, blocked bool)
	// RefusedRetry is how long a card or alert for link workers that
	// Telegram refused (the bot removed from the group, any 400 or 403)
	// waits before it is tried again; it is kept until it goes. Default a
	// minute.
	RefusedRetry time.Duration
	Logger       *slog.Logger
	Metrics      *Metrics
}

// Bot is the Telegram side of signpost.
type Bot struct {
	cfg     Config
	api     *tgbot.Bot // sends, with a short timeout
	http    *apiClient // the sender's calls, as JSON (see apiClient.call)
	runner  Runner
	outbox  Outbox
	effects Effects
	lw      *LinkWorkers // nil until LinkWorkers is called: groups are then ignored
	log     *slog.Logger
	m       *Metrics

	intake *intake
	sender *sender
	owner  string
	// slots asks each step's commit to book its sending slots;
	// groupSlots books a group's with what is put in its outbox.
	slots, groupSlots *flows.Booking

	startOnce sync.Once
}

// New returns a bot. It makes no call to Telegram. Call LinkWorkers to give it
// its casework side before it starts.
func New(cfg Config, runner Runner, outbox Outbox, effects Effects) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("bot: no token")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = "https://api.telegram.org"
	}
	if cfg.Shards <= 0 {
		cfg.Shards = 64
	}
	if cfg.Senders <= 0 {
		cfg.Senders = 16
	}
	if cfg.Deliveries <= 0 {
		cfg.Deliveries = 256
	}
	if cfg.TypingAfter == 0 {
		cfg.TypingAfter = 400 * time.Millisecond
	}
	if cfg.SendTimeout == 0 {
		cfg.SendTimeout = 10 * time.Second
	}
	if cfg.RefusedRetry <= 0 {
		cfg.RefusedRetry = time.Minute
	}
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = 15 * time.Second
	}
	if cfg.Lease == 0 {
		cfg.Lease = 2 * cfg.SendTimeout
	}
	if cfg.Lease < 2*cfg.SendTimeout {
		return nil, fmt.Errorf("bot: a delivery lease of %s is shorter than twice the send timeout of %s, so a call could outlast it", cfg.Lease, cfg.SendTimeout)
	}
	l := &cfg.Limits
	if l.Global == 0 {
		l.Global = 30
	}
	if l.PerChat == 0 {
		l.PerChat = 1
	}
	if l.ChatBurst == 0 {
		l.ChatBurst = 3
	}
	if l.PerGroupMinute == 0 {
		l.PerGroupMinute = 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics(nil)
	}
	b := &Bot{cfg: cfg, runner: runner, outbox: outbox, effects: effects, log: cfg.Logger, m: cfg.Metrics}
	b.http = newAPIClient(cfg.APIURL, cfg.Token, cfg.SendTimeout, cfg.Shards+cfg.Senders)
	api, err := tgbot.New(cfg.Token,
		tgbot.WithServerURL(cfg.APIURL),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(cfg.SendTimeout, b.http),
		tgbot.WithErrorsHandler(func(err error) { b.log.Warn("telegram client", "err", redact(err, cfg.Token)) }),
	)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	b.api = api
	var id [6]byte
	rand.Read(id[:])
	b.owner = hex.EncodeToString(id[:])
	b.slots = b.booking()
	b.groupSlots = &flows.Booking{
		ChatRate: l.PerGroupMinute * rateMargin, ChatBurst: 1,
		GlobalRate: l.Global * rateMargin, GlobalBurst: max(1, int(l.Global)),
	}
	b.intake = newIntake(b, cfg.Shards)
	b.sender = newSender(b, cfg.Senders, cfg.Deliveries)
	return b, nil
}

// start launches the sender, then the intake shards, once. The sender goes
// first: updates may be queued before the start (the webhook's server can
// take a call before Serve), and the first of them is handled as soon as
// its shard runs; its delivery is handed to the sender, which must have
// its context by then.
func (b *Bot) start(ctx context.Context) {
	b.startOnce.Do(func() {
		b.sender.start(ctx)
		b.intake.start()
	})
}

// Poll receives updates by long polling until ctx ends, then finishes the
// updates in hand and returns. Webhook mode uses WebhookHandler instead.
//
// go-telegram/bot confirms a batch of updates when it asks for the next
// one, so an update being handled at the instant of a hard crash may be
// lost; in webhook mode an update is acknowledged only once committed.
func (b *Bot) Poll(ctx context.Context) error {
	b.start(ctx)
	if _, err := b.api.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
		return fmt.Errorf("delete webhook: %w", redact(err, b.cfg.Token))
	}
	poller, err := tgbot.New(b.cfg.Token,
		tgbot.WithServerURL(b.cfg.APIURL),
		tgbot.WithSkipGetMe(),
		tgbot.WithDefaultHandler(func(ctx context.Context, _ *tgbot.Bot, u *models.Update) { b.intake.submit(u, nil) }),
		// One worker, run in turn: updates reach the shards in the order
		// Telegram gave them, so each chat keeps its order.
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithWorkers(1),
		tgbot.WithAllowedUpdates(tgbot.AllowedUpdates{"message", "edited_message", "callback_query", "my_chat_member"}),
		tgbot.WithErrorsHandler(func(err error) { b.log.Warn("telegram polling", "err", redact(err, b.cfg.Token)) }),
	)
	if err != nil {
		return fmt.Errorf("bot: %w", err)
	}
	poller.Start(ctx)
	return nil
}

// Serve starts handling without polling (webhook mode) and returns once ctx
// ends and the updates in hand are finished.
func (b *Bot) Serve(ctx context.Context) {
	b.start(ctx)
	<-ctx.Done()
}

// Shutdown finishes the updates in hand and stops the sender after the
// batches it is delivering; what is left stays in Redis for the next start.
func (b *Bot) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		b.intake.stop()
		b.sender.stop()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Ready checks that the Bot API answers.
func (b *Bot) Ready(ctx context.Context) error {
	_, err := b.api.GetMe(ctx)
	return redact(err, b.cfg.Token)
}

// Username asks Telegram for the bot's @username, for deep links.
func (b *Bot) Username(ctx context.Context) (string, error) {
	me, err := b.api.GetMe(ctx)
	if err != nil {
		return "", redact(err, b.cfg.Token)
	}
	return me.Username, nil
}

// Command is one entry of the commands menu: a name without the slash, and
// what it does.
type Command struct {
	Name, Description string
}

// SetCommands publishes the commands menu people see.
func (b *Bot) SetCommands(ctx context.Context, cmds []Command) error {
	return b.setCommands(ctx, cmds, nil)
}

// setCommands publishes a menu for scope; nil is the default scope.
func (b *Bot) setCommands(ctx context.Context, cmds []Command, scope models.BotCommandScope) error {
	menu := make([]models.BotCommand, len(cmds))
	for i, c := range cmds {
		menu[i] = models.BotCommand{Command: c.Name, Description: c.Description}
	}
	_, err := b.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: menu, Scope: scope})
	return redact(err, b.cfg.Token)
}

// Notify asks for the chat's outbox to be delivered now: entries another
// part of signpost put there, such as a link worker's message to a person.
func (b *Bot) Notify(chat int64) { b.sender.notify(chat) }

// SetDescriptions sets the bot's description (what a person reads before
// pressing Start) and its short description (the profile's about text),
// for the default language when lang is "", else for lang.
func (b *Bot) SetDescriptions(ctx context.Context, lang, description, about string) error {
	if _, err := b.api.SetMyDescription(ctx, &tgbot.SetMyDescriptionParams{Description: description, LanguageCode: lang}); err != nil {
		return redact(err, b.cfg.Token)
	}
	_, err := b.api.SetMyShortDescription(ctx, &tgbot.SetMyShortDescriptionParams{ShortDescription: about, LanguageCode: lang})
	return redact(err, b.cfg.Token)
}

// SetWebhook asks Telegram to send updates to url with the secret token.
func (b *Bot) SetWebhook(ctx context.Context, url string, maxConnections int) error {
	_, err := b.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
		URL:            url,
		SecretToken:    b.cfg.WebhookSecret,
		MaxConnections: maxConnections,
		AllowedUpdates: []string{"message", "edited_message", "callback_query", "my_chat_member"},
	})
	return redact(err, b.cfg.Token)
}

// isGroup reports whether chat is one of the link workers' groups, or the
// supergroup one of them became.
func (b *Bot) isGroup(chat int64) bool {
	for _, g := range b.cfg.Groups {
		if g == chat || (b.lw != nil && b.lw.follow(g) == chat) {
			return true
		}
	}
	return false
}

// redactedError hides the bot token, which go-telegram/bot may put in URLs of errors.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redact(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	msg := err.Error()
	if !containsToken(msg, token) {
		return err
	}
	return &redactedError{msg: replaceToken(msg, token), err: err}
}
