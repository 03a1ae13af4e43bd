package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"signpost/flows"
	"signpost/handoff"
	"signpost/internal/roundtrip"
)

// outLeave is an outbox entry of the bot's own: leave the group it is in.
const outLeave = "leave"

// answeredMark starts the answer shown under a question once it is answered.
const answeredMark = "✓ "

// Render state fields, kept per chat in Redis between deliveries.
const (
	stateNode = "q" // the last question sent
	stateMsg  = "m" // its message id
	stateText = "t" // its text, to show the answer under it
	stateKeys = "k" // "1" while it still shows buttons
)

// render shows one outbox entry in Telegram and records in state what a
// later edit needs.
func (b *Bot) render(ctx context.Context, chat int64, o flows.Out, state map[string]string) (sendOutcome, time.Duration) {
	switch o.Kind {
	case flows.OutMessage:
		if o.Receipt != "" {
			return b.sendReceipted(ctx, chat, o)
		}
		return b.sendMessage(ctx, chat, o, state)
	case flows.OutUpdate:
		if state[stateNode] != o.Node || state[stateMsg] == "" {
			return b.sendMessage(ctx, chat, o, state)
		}
		id, _ := strconv.Atoi(state[stateMsg])
		outcome, retry, err := b.call(ctx, chat, "editMessageReplyMarkup", true, func() error {
			return b.http.call(ctx, "editMessageReplyMarkup", encodedParams(appendEditMessageReplyMarkup(make([]byte, 0, 96+bodySize(o.Buttons)), chat, id, o.Buttons)), nil)
		})
		return b.logged(outcome, err, chat, "edit keyboard", true), retry
	case flows.OutClose:
		if state[stateNode] != o.Node || state[stateKeys] != "1" {
			return sendOK, 0 // a typed answer to a question without buttons shows itself
		}
		id, _ := strconv.Atoi(state[stateMsg])
		text := state[stateText] + "\n\n" + answeredMark + o.Text
		if len([]rune(text)) > MaxText {
			text = answeredMark + o.Text
		}
		outcome, retry := b.edit(ctx, chat, id, text, nil) // no buttons: they go
		if outcome == sendOK {
			state[stateKeys] = "0"
		}
		return outcome, retry
	case flows.OutEffect:
		if o.Effect == nil || b.effects == nil {
			return sendOK, 0
		}
		// What the effect reads is read once, and a referral it read is
		// changed by compare-and-set on what was read (see roundtrip). In
		// a delivery, that is the delivery's work: what it read before
		// (what the update that committed the effect read ahead for it)
		// is not read again, an acknowledgement it holds goes with the
		// effect's first round trip, and what the effect holds to write
		// goes with the delivery's next.
		ectx, work := ctx, roundtrip.Of(ctx)
		flush := func() {}
		if work == nil || leaseOf(ctx) == nil {
			ectx, work = roundtrip.With(ctx)
			flush = b.deferWrites(ectx, work, "effect")
		}
		err := b.effects.Run(context.WithValue(ectx, effectKey{}, &effectInHand{chat: chat, out: o}), *o.Effect)
		flush()
		if err != nil {
			b.log.Warn("effect failed; will retry", "chat", chat, "effect", o.Effect.Kind, "key", o.Effect.Key, "err", err)
			return sendRetryLater, retryLater
		}
		b.m.effects.WithLabelValues(o.Effect.Kind).Inc()
		return sendOK, 0
	case outCard, outCardAgain, outCardRedraw, outCardRetire, outReply, outEdit, outTakeDown, outHousing, outAlert:
		// A card read to be posted is then recorded with the desk by
		// compare-and-set on what was read, without reading it again.
		// A group's claim may have read the card's referral already
		// (cardhints.go): its work is the card's.
		gctx, work := ctx, roundtrip.Of(ctx)
		if work == nil {
			gctx, work = roundtrip.With(ctx)
		}
		if leaseOf(ctx) == nil {
			defer b.deferWrites(gctx, work, "card")()
		} // else the delivery's next round trip takes what it holds
		return b.renderGroup(gctx, chat, o, state)
	case outLeave:
		outcome, retry, err := b.call(ctx, chat, "leaveChat", false, func() error {
			_, err := b.api.LeaveChat(ctx, &tgbot.LeaveChatParams{ChatID: chat})
			return err
		})
		return b.logged(outcome, err, chat, "leave group", false), retry
	}
	return sendOK, 0 // toasts are answered with the button press
}

// sendMessage sends o, in parts when it is longer than Telegram allows; the
// buttons go with the last part.
func (b *Bot) sendMessage(ctx context.Context, chat int64, o flows.Out, state map[string]string) (sendOutcome, time.Duration) {
	parts := splitText(o.Text, MaxText)
	for i, part := range parts {
		last := i == len(parts)-1
		var buttons [][]flows.Button
		if last {
			buttons = o.Buttons
		}
		id, outcome, retry := b.post(ctx, chat, part, buttons, postOpts{})
		if outcome != sendOK || id == 0 {
			// A part refused for good is dropped with the rest of the message.
			return outcome, retry
		}
		if last && o.Node != "" {
			state[stateNode] = o.Node
			state[stateMsg] = strconv.Itoa(id)
			state[stateText] = part
			state[stateKeys] = "0"
			if len(o.Buttons) > 0 {
				state[stateKeys] = "1"
			}
		}
	}
	return sendOK, 0
}

// postOpts are how a message is posted.
type postOpts struct {
	// reply is the message it answers, 0 for none.
	reply int
	// protect keeps it from being forwarded or saved: link workers' posts.
	protect bool
	// worker says the chat is a group or a worker's, not a person's: a 403
	// there does not mean a person blocked the bot.
	worker bool
	// keep is the outbox entry being sent when it must not be lost (a card,
	// an alert for link workers): refused, it is kept and tried again, or
	// follows its group to the supergroup it became (see refused).
	keep *flows.Out
}

// post sends one message to chat and returns its id (0 if it was refused).
func (b *Bot) post(ctx context.Context, chat int64, text string, buttons [][]flows.Button, opt postOpts) (int, sendOutcome, time.Duration) {
	params := encodedParams(appendSendMessage(make([]byte, 0, 160+len(text)+bodySize(buttons)), chat, text, buttons, opt))
	var msg sent
	outcome, retry, err := b.call(ctx, chat, "sendMessage", true, func() error {
		return b.http.call(ctx, "sendMessage", params, &msg)
	})
	if err != nil && opt.keep != nil && outcome != sendRetryLater {
		outcome, retry = b.refused(ctx, chat, *opt.keep, err)
		return 0, outcome, retry
	}
	outcome = b.logged(outcome, err, chat, "send message", !opt.worker)
	if err != nil {
		return 0, outcome, retry
	}
	return msg.ID, outcome, retry
}

// edit changes a message of the bot's; no buttons removes them.
func (b *Bot) edit(ctx context.Context, chat int64, id int, text string, buttons [][]flows.Button) (sendOutcome, time.Duration) {
	if id == 0 {
		return sendOK, 0
	}
	params := encodedParams(appendEditMessageText(make([]byte, 0, 96+len(text)+bodySize(buttons)), chat, id, text, buttons))
	outcome, retry, err := b.call(ctx, chat, "editMessageText", true, func() error {
		return b.http.call(ctx, "editMessageText", params, nil)
	})
	return b.logged(outcome, err, chat, "edit message", false), retry
}

// logged records what went wrong with a call and passes its outcome on. A
// person (not a group, not a link worker's private chat) who blocked the bot
// is marked so, and their check-ins stop.
func (b *Bot) logged(outcome sendOutcome, err error, chat int64, what string, person bool) sendOutcome {
	if err == nil {
		return outcome
	}
	switch {
	case outcome == sendBlocked && !person:
		// A worker who never opened a private chat with the bot, or a group
		// that removed it: nothing to mark, nothing more to send there now.
		b.log.Warn(what+": refused", "chat", chat, "err", redact(err, b.cfg.Token))
	case outcome == sendBlocked:
		ctx := context.Background()
		if e := b.outbox.SetBlocked(ctx, chat, true); e != nil {
			b.log.Warn("mark blocked", "chat", chat, "err", e)
		}
		if b.cfg.OnBlocked != nil {
			b.cfg.OnBlocked(ctx, chat, true)
		}
		b.log.Info("person has blocked the bot", "chat", chat)
	case isHarmlessEdit(err):
	default:
		b.log.Warn(what, "chat", chat, "err", redact(err, b.cfg.Token))
	}
	return outcome
}

// isHarmlessEdit is an edit Telegram refused because there is nothing to
// change or the message is gone: the person's screen is as good as it gets.
func isHarmlessEdit(err error) bool {
	if !errors.Is(err, tgbot.ErrorBadRequest) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "message is not modified") || strings.Contains(msg, "message to edit not found") || strings.Contains(msg, "message can't be edited")
}

func keyboard(rows [][]flows.Button) *models.InlineKeyboardMarkup {
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	for _, r := range rows {
		row := make([]models.InlineKeyboardButton, len(r))
		for i, btn := range r {
			row[i] = models.InlineKeyboardButton{Text: btn.Label, CallbackData: btn.Data, URL: btn.URL}
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, row)
	}
	return kb
}

// sendReceipted sends a message that asked for a receipt (a link worker's
// message to the person, which fits one message) and reports what became of
// it to the casework side; one to be tried again reports nothing yet.
func (b *Bot) sendReceipted(ctx context.Context, chat int64, o flows.Out) (sendOutcome, time.Duration) {
	id, outcome, retry := b.post(ctx, chat, o.Text, o.Buttons, postOpts{})
	switch {
	case outcome == sendRetryLater:
	case outcome == sendBlocked:
		b.receipt(ctx, o, handoff.DeliveryBlocked)
	case id == 0:
		b.receipt(ctx, o, handoff.DeliveryFailed)
	default:
		b.receipt(ctx, o, handoff.DeliverySent)
	}
	return outcome, retry
}

// receipt reports the fate of o to the casework side.
func (b *Bot) receipt(ctx context.Context, o flows.Out, how handoff.Delivery) {
	if o.Receipt == "" || o.Ref == "" || b.lw == nil {
		return
	}
	b.lw.receipt(ctx, o.Ref, o.Receipt, how)
}

// deferWrites lets work hold writes that need not go at once (a worker
// seen, an audit entry, an effect remembered, a card's index and post),
// and returns what writes those still held at the end of the work. A
// failure is logged: none of them is what a person or a worker is sent.
func (b *Bot) deferWrites(ctx context.Context, work *roundtrip.Work, what string) func() {
	work.DeferWrites()
	return func() {
		if err := b.outbox.Flush(context.WithoutCancel(ctx)); err != nil {
			b.log.Warn("held writes", "work", what, "err", err)
		}
	}
}
