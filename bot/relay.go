// A private chat seen from the casework side: a link worker's commands and
// replies, and the person's messages to their case, /status, /endcontact and
// their /forget reaching the cards.

package bot

import (
	"context"

	"github.com/go-telegram/bot/models"

	"signpost/handoff"
)

// Private sees a private message before the conversation does, and reports
// whether it dealt with it. A link worker's command, or their reply to a
// card or to the person's words the bot passed on, is theirs; /status and
// /endcontact are answered here; /forget erases the person's referrals and
// then goes on to the conversation, which erases the rest; anything else a
// person writes once their conversation is over reaches their case.
func (lw *LinkWorkers) Private(ctx context.Context, m *models.Message) (bool, error) {
	user := m.Chat.ID
	if name, args, ok := lw.commandOf(ctx, m.Text); ok {
		if done, err := lw.workerCommand(ctx, m, name, args); done || err != nil {
			return done, err
		}
		return lw.Command(ctx, user, m, name)
	}
	if done, err := lw.workerReply(ctx, m); done || err != nil {
		return done, err
	}
	return lw.Relay(ctx, user, m)
}

// workerCommand runs a link worker's command sent in a private chat. A
// command of a person who is no worker is left to the conversation, which
// knows no such command: nothing tells them what it would have done.
func (lw *LinkWorkers) workerCommand(ctx context.Context, m *models.Message, name, args string) (bool, error) {
	if (!workerCommands[name] && name != "help") || m.From == nil {
		return false, nil
	}
	w := worker(m.From)
	if _, err := lw.desk.Access(ctx, w); err != nil {
		return false, nil
	}
	if first, err := lw.firstTime(ctx); err != nil || !first {
		return true, err
	}
	ctx = handoff.WithVia(ctx, "telegram")
	p := place{chat: m.Chat.ID, private: true}
	if name == "help" {
		return true, lw.answer(ctx, p, "", groupHelp()+"\nAnything else you write here talks to me as a resident would.")
	}
	return true, lw.command(ctx, p, m, name, args)
}

// workerReply passes a worker's reply, in their private chat, to a card or
// to a person's message the bot passed on, to that person.
func (lw *LinkWorkers) workerReply(ctx context.Context, m *models.Message) (bool, error) {
	to := m.ReplyToMessage
	if to == nil || to.From == nil || to.From.ID != lw.b.ID() || m.From == nil || m.Text == "" {
		return false, nil
	}
	if leadingRef.FindStringSubmatch(to.Text) == nil {
		return false, nil
	}
	if _, err := lw.desk.Access(ctx, worker(m.From)); err != nil {
		return false, nil
	}
	if first, err := lw.firstTime(ctx); err != nil || !first {
		return true, err
	}
	ctx = handoff.WithVia(ctx, "telegram")
	return true, lw.replyToPerson(ctx, place{chat: m.Chat.ID, at: m.ID, private: true}, m)
}

// Relay passes a person's message to the case a link worker holds, once
// their conversation with the bot is over. A message that holds risk, or
// answers "are you safe right now?", reaches the case and, by reporting
// false, the conversation too, which answers it and flags it.
func (lw *LinkWorkers) Relay(ctx context.Context, user int64, m *models.Message) (bool, error) {
	ref, ok, err := lw.desk.OpenCaseOf(ctx, user)
	if err != nil || !ok {
		return false, err
	}
	r, err := lw.desk.Referral(ctx, ref)
	if err != nil || !r.Held() {
		return false, err
	}
	crisis := lw.cfg.Conversation != nil && lw.cfg.Conversation(ctx, user, r.Lang, m.Text)
	// Not firstTime: a mark made before the words are kept would lose them
	// if this try failed after it. The case knows the update it last took.
	relayed, ns, err := lw.desk.FromPerson(ctx, user, updateOf(ctx), m.Text)
	if err != nil || !relayed {
		return false, err
	}
	if err := lw.deliver(ctx, ns); err != nil {
		return false, err
	}
	return !crisis, nil
}

// Command handles a person's commands about their referral: /status and
// /endcontact are answered here; /forget erases the referrals first and
// then goes on to the conversation, which erases the rest.
func (lw *LinkWorkers) Command(ctx context.Context, user int64, m *models.Message, name string) (bool, error) {
	lang := ""
	if m.From != nil {
		lang = m.From.LanguageCode
	}
	switch name {
	case "forget":
		ns, err := lw.desk.Forget(ctx, user)
		if err != nil {
			return false, err
		}
		return false, lw.deliver(ctx, ns)
	case "status":
		// Status only reads, so it reads first: reading the person's
		// referrals marks the update for their case in the same round
		// trip, and asking whether it is new then costs none.
		ns, err := lw.desk.Status(ctx, user, lang, handoff.ChannelTelegram)
		if err != nil {
			return false, err
		}
		if first, err := lw.firstTime(ctx); err != nil || !first {
			return true, err
		}
		return true, lw.deliver(ctx, ns)
	case "endcontact":
		if first, err := lw.firstTime(ctx); err != nil || !first {
			return true, err
		}
		ns, err := lw.desk.EndContact(ctx, user, lang, handoff.ChannelTelegram)
		if err != nil {
			return false, err
		}
		return true, lw.deliver(ctx, ns)
	}
	return false, nil
}

// receipt records what became of a worker's message to the person, and
// shows what that calls for (the team told of a person who blocked the bot).
func (lw *LinkWorkers) receipt(ctx context.Context, ref, id string, how handoff.Delivery) {
	ns, err := lw.desk.Delivered(ctx, ref, id, how)
	if err == nil {
		err = lw.deliver(ctx, ns)
	}
	if err != nil {
		lw.log.WarnContext(ctx, "record a message's delivery", "ref", ref, "id", id, "err", err)
	}
}
