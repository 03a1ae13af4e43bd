// The person's side of a case: their messages relayed to it, /status,
// /endcontact, and their /forget reaching the cards.

package bot

import (
	"context"
	"errors"

	"github.com/go-telegram/bot/models"

	"signpost/handoff"
)

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
