package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"signpost/flows"
	"signpost/internal/roundtrip"
)

// updateTimeout bounds the handling of one update, which runs on its own
// context so that shutting down lets it finish rather than cutting it off.
const updateTimeout = 30 * time.Second

// groupNotice is said, once, in a group the bot was added to by someone who
// is not running the service there; then the bot leaves.
const groupNotice = "Hello. I talk with people one to one, in private chats, so I will leave this group. To talk to me, open a private chat with me."

// intake keeps each chat's updates in order and handles different chats in
// parallel: a chat always goes to the same shard, and each shard handles
// its updates one at a time. Groups have shards of their own, after the
// people's, so that a team's busy moment (a run of claims, a burst of
// commands) holds up no resident.
type intake struct {
	b      *Bot
	shards []chan job
	people int // the first people shards are for private chats
	wg     sync.WaitGroup
	mu     sync.RWMutex
	closed bool
}

type job struct {
	u    *models.Update
	done chan error // nil when nobody waits
	// reply, for an update that came by webhook, may carry one Bot API
	// call for the webhook's answer to make (see webhookReply).
	reply *webhookReply
}

func newIntake(b *Bot, n int) *intake {
	in := &intake{b: b, shards: make([]chan job, n+max(1, n/8)), people: n}
	for i := range in.shards {
		in.shards[i] = make(chan job, 256)
	}
	return in
}

func (in *intake) start() {
	for _, ch := range in.shards {
		in.wg.Add(1)
		go func(ch chan job) {
			defer in.wg.Done()
			for j := range ch {
				err := in.b.process(j.u, j.reply)
				if j.done != nil {
					j.done <- err
				}
			}
		}(ch)
	}
}

// errStopping refuses updates once shutdown began: Telegram will send them again.
var errStopping = errors.New("bot: shutting down")

// submit queues u on its chat's shard. The returned channel yields the
// result once the update is handled. reply, when not nil, may be given a
// call for the webhook's answer to make.
func (in *intake) submit(u *models.Update, reply *webhookReply) <-chan error {
	done := make(chan error, 1)
	in.mu.RLock()
	defer in.mu.RUnlock()
	if in.closed {
		done <- errStopping
		return done
	}
	chat := chatOf(u)
	shard := 0
	if chat < 0 {
		shard = in.people + int(-chat%int64(len(in.shards)-in.people))
	} else {
		shard = int(chat % int64(in.people))
	}
	in.shards[shard] <- job{u: u, done: done, reply: reply}
	in.b.m.queueDepth.Inc()
	return done
}

// stop refuses new updates and waits for those queued to be handled.
func (in *intake) stop() {
	in.mu.Lock()
	if !in.closed {
		in.closed = true
		for _, ch := range in.shards {
			close(ch)
		}
	}
	in.mu.Unlock()
	in.wg.Wait()
}

// chatOf is the chat an update belongs to, for ordering.
func chatOf(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		if m := u.CallbackQuery.Message.Message; m != nil {
			return m.Chat.ID
		}
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

// process handles one update; a panic is logged and becomes an error, so one
// bad update cannot stop the bot.
func (b *Bot) process(u *models.Update, reply *webhookReply) (err error) {
	b.m.queueDepth.Dec()
	ctx, cancel := context.WithTimeout(context.Background(), updateTimeout)
	defer cancel()
	if reply != nil {
		ctx = context.WithValue(ctx, replyKey{}, reply)
	}
	// Every Redis round trip made for the update, up to its commit, counts
	// towards it (its delivery runs on contexts of its own), and what the
	// store reads for it is read once.
	ctx, work := roundtrip.With(ctx)
	work.SetUpdate(u.ID)
	defer func() { b.m.stepTrips.Observe(float64(work.N())) }()
	// Writes that need not go at once (a worker seen, an audit entry, the
	// outboxes casework writes) ride with the update's next round trip;
	// what is left goes at the end. An outbox so written that failed is
	// the update's failure.
	work.DeferWrites()
	defer func() {
		if ferr := b.outbox.Flush(context.WithoutCancel(ctx)); ferr != nil {
			b.log.Warn("held writes", "work", "update", "err", ferr)
		}
		if err == nil {
			err = work.Err()
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			b.m.panics.Inc()
			b.log.Error("panic handling update", "update", u.ID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic handling update %d", u.ID)
		}
	}()
	switch {
	case u.Message != nil:
		return b.message(ctx, u.ID, u.Message, false)
	case u.EditedMessage != nil:
		return b.message(ctx, u.ID, u.EditedMessage, true)
	case u.CallbackQuery != nil:
		return b.callback(ctx, u.ID, u.CallbackQuery)
	case u.MyChatMember != nil:
		return b.membership(ctx, u.ID, u.MyChatMember)
	}
	b.m.updates.WithLabelValues("other").Inc()
	return nil
}

// eventOf turns a private message into a conversation event. Only typed text
// can be an answer; anything else gets a kind explanation and is not kept,
// but the words in it (an edit, a forward, a caption) are read for risk.
// What cannot be read at all (a voice note, a video, a photo without words)
// is answered with where to find help now.
func eventOf(id int64, m *models.Message, edited bool) (flows.Event, string) {
	ev := flows.Event{Kind: flows.EventOther, UpdateID: id}
	if m.From != nil {
		ev.Lang = m.From.LanguageCode
	}
	ev.Said = m.Text
	if ev.Said == "" {
		ev.Said = m.Caption
	}
	var kind string
	switch {
	case edited:
		kind, ev.Text = "edited", "edited"
	case m.ForwardOrigin != nil:
		kind, ev.Text = "forwarded", "forwarded"
	case m.Contact != nil:
		kind, ev.Text = "contact", "shared_contact"
	case m.Location != nil || m.Venue != nil:
		kind, ev.Text = "location", "shared_location"
	case m.Text != "":
		kind, ev.Kind, ev.Text, ev.Said = "text", flows.EventText, m.Text, ""
		if strings.HasPrefix(m.Text, "/") {
			kind = "command"
		}
	case m.Caption != "":
		kind, ev.Text = "caption", "not_text"
	case m.Voice != nil || m.VideoNote != nil || m.Video != nil || m.Audio != nil || len(m.Photo) > 0 || m.Document != nil || m.Animation != nil:
		kind, ev.Text = "media", "media_unread"
	default:
		kind, ev.Text = "media", "not_text"
	}
	return ev, kind
}

func (b *Bot) message(ctx context.Context, id int64, m *models.Message, edited bool) error {
	if m.Chat.Type != models.ChatTypePrivate {
		b.m.updates.WithLabelValues("group").Inc()
		if !b.isGroup(m.Chat.ID) || b.lw == nil || edited {
			return nil
		}
		if seen, err := b.outbox.SeenUpdate(ctx, id); err != nil || seen {
			return err
		}
		if m.MigrateToChatID != 0 {
			// The group became a supergroup: its cards go there from now on.
			return b.lw.moveGroup(ctx, m.Chat.ID, m.MigrateToChatID)
		}
		return b.lw.Message(ctx, m)
	}
	ev, kind := eventOf(id, m, edited)
	b.m.updates.WithLabelValues(kind).Inc()
	if (kind == "text" || kind == "command") && b.lw != nil {
		// A link worker's command or reply, or a person's message to their
		// case or command about it, before the conversation sees it.
		done, err := b.lw.Private(withUpdate(ctx, id), m)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
	_, err := b.handle(ctx, m.Chat.ID, ev, nil)
	if errors.Is(err, errRepeat) {
		return nil
	}
	return err
}

// errRepeat is an update handled before: handle has done nothing, and
// nothing it would have set off (then) runs.
var errRepeat = errors.New("bot: a repeat of an update handled before")

// handle steps the person's conversation, showing "typing…" if it is slow,
// and hands what it committed to a delivery of its own; then, if not nil,
// runs once that delivery is over, off the chat's shard.
func (b *Bot) handle(ctx context.Context, chat int64, ev flows.Event, then func(outs []flows.Out)) ([]flows.Out, error) {
	typing := time.AfterFunc(b.cfg.TypingAfter, func() {
		b.api.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: chat, Action: models.ChatActionTyping})
	})
	start := time.Now()
	// The commit also leases the outbox to a delivery of its own, so what
	// it committed is delivered without another round trip to claim it.
	owner := b.sender.inlineOwner()
	outs, claimed, err := b.runner.HandleClaim(ctx, chat, ev, flows.Lease{Owner: owner, TTL: b.cfg.Lease, Max: batch, Book: b.slots})
	typing.Stop()
	b.m.stepSeconds.Observe(time.Since(start).Seconds())
	if errors.Is(err, flows.ErrDuplicate) {
		b.m.duplicates.Inc()
		return nil, errRepeat
	}
	if err != nil {
		b.log.Error("handle update", "chat", chat, "event", ev.Kind, "update", ev.UpdateID, "err", err)
		return nil, err
	}
	// Deliver at once, off this chat's shard: the update is answered as
	// soon as it is committed, and a slow Bot API holds up no other chat.
	var after func()
	if then != nil {
		after = func() { then(outs) }
	}
	// The delivery knows what the update read (and what its commit read
	// ahead for the effects it committed), so that its effects need not
	// read it again.
	b.sender.handOffWork(chat, owner, start, claimed, after, roundtrip.Of(ctx).Fork())
	return outs, nil
}

// sorry is the notice for a pressed button whose press could not be handled.
const sorry = "Sorry, something went wrong. Please try again."

func (b *Bot) callback(ctx context.Context, id int64, q *models.CallbackQuery) error {
	b.m.updates.WithLabelValues("button").Inc()
	var chat int64
	if q.Message.Message != nil {
		chat = q.Message.Message.Chat.ID
	}
	if (chat != q.From.ID && chat != 0) || (isCaseButton(q.Data) && b.lw != nil) {
		// A button in a group (only link workers' cards have them), or a
		// link worker's in their private chat.
		if (!b.isGroup(chat) && chat != q.From.ID) || b.lw == nil {
			return b.answered(ctx, q.ID, "")
		}
		// The referral the button is about is read in the same round trip.
		seen, err := b.outbox.SeenUpdate(ctx, id, caseRef(q.Data)...)
		if err != nil {
			b.answer(ctx, q.ID, "")
			return err
		}
		if seen {
			// A repeat: the first delivery of the press answers it (by a
			// call of its own if Telegram gave up on the webhook's answer).
			return nil
		}
		toast, err := b.lw.Callback(ctx, q)
		if err != nil {
			b.answer(ctx, q.ID, sorry)
			return err
		}
		return b.answered(ctx, q.ID, toast)
	}
	ev := flows.Event{Kind: flows.EventButton, Text: q.Data, UpdateID: id, Lang: q.From.LanguageCode}
	// The press is answered once what it set off has been delivered, so the
	// button's spinner stops as the next question appears: by webhook, in
	// the webhook's answer, which waits a little for the delivery (see
	// webhookReply); when it cannot wait longer, or by long polling, with
	// a call of its own.
	r := replyOf(ctx)
	if r != nil {
		r.expect()
	}
	_, err := b.handle(ctx, q.From.ID, ev, func(outs []flows.Out) {
		if r == nil || !r.answer(q.ID, toastOf(outs)) {
			b.answerNow(ctx, q.ID, toastOf(outs))
		}
	})
	if errors.Is(err, errRepeat) {
		return nil // the first delivery of the press answers it
	}
	if err != nil {
		b.answer(ctx, q.ID, sorry)
		return err
	}
	return nil
}

// toastOf is the notice a step shows on the pressed button, "" for none.
func toastOf(outs []flows.Out) string {
	toast := ""
	for _, o := range outs {
		if o.Kind == flows.OutToast {
			toast = o.Text
		}
	}
	return toast
}

// answered answers a callback query for an update being handled without
// error: in the webhook's answer when it came by webhook, else at once.
func (b *Bot) answered(ctx context.Context, id, text string) error {
	if r := replyOf(ctx); r != nil && r.answer(id, text) {
		return nil
	}
	return b.answer(ctx, id, text)
}

// answer answers a callback query at once, as Telegram expects within
// seconds: it is no message, so it does not wait in the outbox. It is made
// off the chat's shard, like a delivery, so that a slow Bot API holds up
// neither the update's answer nor the chat's next update.
func (b *Bot) answer(ctx context.Context, id, text string) error {
	b.sender.acquire()
	go func() {
		defer b.sender.release()
		b.answerNow(ctx, id, text)
	}()
	return nil
}

// answerNow answers a callback query from the caller's goroutine.
func (b *Bot) answerNow(ctx context.Context, id, text string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.cfg.SendTimeout)
	defer cancel()
	err := b.http.call(ctx, "answerCallbackQuery", encodedParams(appendAnswerCallbackQuery(make([]byte, 0, 48+len(id)+len(text)), id, text)), nil)
	if err != nil {
		b.log.Warn("answer callback", "err", redact(err, b.cfg.Token))
	}
}

func (b *Bot) membership(ctx context.Context, id int64, cm *models.ChatMemberUpdated) error {
	b.m.updates.WithLabelValues("membership").Inc()
	if seen, err := b.outbox.SeenUpdate(ctx, id); err != nil || seen {
		return err
	}
	status := cm.NewChatMember.Type
	if cm.Chat.Type == models.ChatTypePrivate {
		blocked := status == models.ChatMemberTypeBanned
		if !blocked && status != models.ChatMemberTypeMember {
			return nil
		}
		if err := b.outbox.SetBlocked(ctx, cm.Chat.ID, blocked); err != nil {
			return err
		}
		b.log.Info("person blocked the bot", "chat", cm.Chat.ID, "blocked", blocked)
		if b.cfg.OnBlocked != nil {
			b.cfg.OnBlocked(ctx, cm.Chat.ID, blocked)
		}
		return nil
	}
	added := status == models.ChatMemberTypeMember || status == models.ChatMemberTypeAdministrator
	if !added || b.isGroup(cm.Chat.ID) {
		return nil
	}
	// Added to a group nobody set up: say why, then leave. Nothing is kept.
	b.log.Info("added to an unknown group; leaving", "chat", cm.Chat.ID)
	notice, _ := json.Marshal(flows.Out{ID: fmt.Sprintf("group.%d", id), Kind: flows.OutMessage, Text: groupNotice})
	leave, _ := json.Marshal(flows.Out{ID: fmt.Sprintf("leave.%d", id), Kind: outLeave})
	if err := b.outbox.Enqueue(ctx, cm.Chat.ID, [][]byte{notice, leave}); err != nil {
		return err
	}
	b.sender.notify(cm.Chat.ID)
	return nil
}
