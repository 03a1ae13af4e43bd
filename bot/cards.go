// Cards and notices in the link workers' groups, and what the person is
// told: everything goes out through the outbox and the one sender.

package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"signpost/flows"
	"signpost/handoff"
)

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
