package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"

	"signpost/flows"
	"signpost/handoff"
	"signpost/store"
)

// linkWeb carries a web visitor on in Telegram: the person who opened the
// one-time link gets the visitor's answers (they consented on the web) and
// their weekly check-ins, and the visitor's page says so. A link used
// already, or unknown, gets a kind word instead. It is safe to run twice:
// the event carries an id made from the effect's key, and the token is used
// up only once the Telegram side has what it carried.
func (s *Service) linkWeb(ctx context.Context, eff flows.Effect) error {
	visitor, err := s.st.PeekWebBind(ctx, eff.Text)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var answers map[string]string
	if err == nil {
		sess, err := s.runner.Session(ctx, visitor)
		if err != nil {
			return err
		}
		if sess.Consent {
			answers = sess.Answers
		}
	}
	ev := flows.Event{Kind: flows.EventLinked, Answers: answers, Lang: eff.Lang, UpdateID: keyID(eff.Key)}
	if _, err := s.runner.Handle(ctx, eff.User, ev); err != nil && !errors.Is(err, flows.ErrDuplicate) {
		return err
	}
	if answers == nil {
		return nil
	}
	if _, err := s.st.TakeWebBind(ctx, eff.Text); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	s.log.Info("web visitor carried on in Telegram", "user", eff.User)
	b := s.runner.Content()
	text := b.TextIn(flows.ChannelWeb, b.Lang(eff.Lang), "web_telegram_done")
	raw, err := json.Marshal(flows.Out{ID: "linked." + eff.Key, Kind: flows.OutMessage, Text: text})
	if err != nil {
		return err
	}
	if err := s.st.Enqueue(ctx, visitor, [][]byte{raw}); err != nil {
		return fmt.Errorf("tell the web visitor: %w", err)
	}
	s.wakeUp(handoff.ChannelWeb, visitor)
	return nil
}

// keyID turns an effect's key into an update id for the event it causes,
// so that running the effect again applies the event once.
func keyID(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte("effect:" + key))
	return int64(h.Sum64()&(1<<62-1)) | 1
}

// WebPerson is the casework side of what a web visitor writes, before their
// conversation sees it, as the bot's private-chat handling is for Telegram:
// once the conversation is over, words to a case a link worker holds go to
// that worker; /status and /endcontact are answered from the case; /forget
// erases the visitor's referrals and then goes on to the conversation,
// which erases the rest. It reports whether it dealt with the message.
// mine is called before anything is said back, so that the visitor's own
// words come first on their page. Words that hold risk, or answer "are you
// safe right now?", reach the case and the conversation both
// (ForConversation), which answers them and flags them.
func (s *Service) WebPerson(ctx context.Context, user int64, lang, text string, mine func(context.Context) error) (bool, error) {
	if name, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(text)), "/"); ok {
		name, _, _ = strings.Cut(name, " ")
		var ns handoff.Notices
		var err error
		switch name {
		case "forget":
			ns, err = s.desk.Forget(ctx, user)
			if err == nil {
				err = s.Deliver(ctx, ns)
			}
			return false, err
		case "status":
			ns, err = s.desk.Status(ctx, user, lang, handoff.ChannelWeb)
		case "endcontact":
			ns, err = s.desk.EndContact(ctx, user, lang, handoff.ChannelWeb)
		default:
			return false, nil
		}
		if err == nil {
			err = mine(ctx)
		}
		if err == nil {
			err = s.Deliver(ctx, ns)
		}
		return err == nil, err
	}
	crisis := s.ForConversation(ctx, user, lang, text)
	relayed, ns, err := s.desk.FromPerson(ctx, user, 0, text)
	if err != nil || !relayed {
		return false, err
	}
	if !crisis {
		if err := mine(ctx); err != nil {
			return false, err
		}
	}
	if err := s.Deliver(ctx, ns); err != nil {
		return false, err
	}
	return !crisis, nil
}

// WebReceipt records that a link worker's message is on a web visitor's
// page, as the bot records one handed to Telegram, and shows what that
// calls for.
func (s *Service) WebReceipt(ctx context.Context, ref, id string) {
	ns, err := s.desk.Delivered(ctx, ref, id, handoff.DeliverySent)
	if err == nil {
		err = s.Deliver(ctx, ns)
	}
	if err != nil {
		s.log.WarnContext(ctx, "record a message's delivery to the web", "ref", ref, "id", id, "err", err)
	}
}

// ForConversation reports whether a person's message to the case a link
// worker holds goes to their conversation too: it holds risk, which the
// conversation answers and flags, or the conversation waits for the answer
// to "are you safe right now?". Either way the case sees it as well.
func (s *Service) ForConversation(ctx context.Context, user int64, lang, text string) bool {
	b := s.runner.Content()
	if b.Assess(b.Lang(lang), text).Risk() {
		return true
	}
	sess, err := s.session(ctx, user)
	return err == nil && sess.Safety
}
