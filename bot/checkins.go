package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"signpost/flows"
)

// Flows a check-in starts, and the message said before a check-in that
// follows a long silence. The content names them; content check knows the
// flows' actions.
const (
	FlowCheckin    = "checkin"
	FlowLoneliness = "loneliness"
	// NudgeNote is said before the check-in after three went unanswered.
	NudgeNote = "checkin_still_there"
)

// ErrBlocked is returned for a person who has blocked the bot: nothing can
// reach them, so their check-ins should wait until they unblock it.
var ErrBlocked = errors.New("bot: person has blocked the bot")

// CheckIn is one scheduled message to start in a person's chat.
type CheckIn struct {
	// ID is the same for every delivery of this item.
	ID string
	// At is the instant the item was scheduled for, a whole minute.
	At time.Time
	// Reminder asks the person who stopped halfway to carry on, instead of
	// starting a check-in.
	Reminder bool
	// Flow is the check-in flow to start (FlowCheckin or FlowLoneliness).
	Flow string
	// Nudge says NudgeNote first.
	Nudge bool
}

// Sessions reads a person's conversation without changing it; flows.Runner is one.
type Sessions interface {
	Session(ctx context.Context, user int64) (flows.Session, error)
}

// BlockedPeople says whether a person has blocked the bot; store.Store is one.
type BlockedPeople interface {
	Blocked(ctx context.Context, user int64) (bool, error)
}

// CheckIns starts scheduled check-ins and reminders through the bot's runner,
// so their messages leave through the outbox and its limits like any reply.
type CheckIns struct {
	b        *Bot
	sessions Sessions
	blocked  BlockedPeople
	say      func(lang, key string) string
}

// CheckIns returns the starter of scheduled messages. say gives a message of
// the content in a language; it words the nudge for a person whose earlier
// check-in is still open.
func (b *Bot) CheckIns(sessions Sessions, blocked BlockedPeople, say func(lang, key string) string) *CheckIns {
	return &CheckIns{b: b, sessions: sessions, blocked: blocked, say: say}
}

// Start puts c in the person's chat. It returns an error wrapping
// ErrBlocked for a person who blocked the bot.
//
// A check-in runs as its own conversation named by ci.At (the session's
// Checkin), so a repeat of ci is recognised and sends nothing new, and its
// answers name the check-in they answer. A person with a
// conversation under way is not interrupted: if it is an earlier check-in
// left open, its question is asked again (after NudgeNote for a nudge);
// anything else, such as a self-referral halfway through, means this
// check-in is passed over and nothing is said. Either way Start returns nil
// and the scheduler counts the check-in unanswered unless it is answered.
//
// A reminder asks the open question again, unless the person has been
// active (or reminded) since it fell due.
func (c *CheckIns) Start(ctx context.Context, user int64, ci CheckIn) error {
	blocked, err := c.blocked.Blocked(ctx, user)
	if err != nil {
		return fmt.Errorf("check-in %s: %w", ci.ID, err)
	}
	if blocked {
		return fmt.Errorf("check-in %s: %w", ci.ID, ErrBlocked)
	}
	s, err := c.sessions.Session(ctx, user)
	if err != nil {
		return fmt.Errorf("check-in %s: %w", ci.ID, err)
	}
	log := c.b.log.With("chat", user, "id", ci.ID)

	if ci.Reminder {
		if !s.Active() || s.Updated >= ci.At.Unix() {
			log.Info("reminder not needed")
			return nil
		}
		return c.step(ctx, user, flows.Event{Kind: flows.EventRemind}, "reminder sent")
	}

	switch {
	case s.Checkin == ci.At.UnixMilli():
		// Delivered before (a lease ran out mid-send): the outbox has it.
		c.b.sender.notify(user)
		log.Info("check-in already started")
		return nil
	case s.Active() && isCheckinFlow(s.Flow):
		if ci.Nudge {
			if err := c.note(ctx, user, s.Lang, ci.ID); err != nil {
				return err
			}
		}
		return c.step(ctx, user, flows.Event{Kind: flows.EventRemind}, "open check-in asked again")
	case s.Active():
		log.Info("check-in passed over: conversation under way")
		return nil
	}
	ev := flows.Event{Kind: flows.EventStart, Text: ci.Flow, Checkin: ci.At}
	if ci.Nudge {
		ev.Note = NudgeNote
	}
	return c.step(ctx, user, ev, "check-in started")
}

// step applies ev and wakes the sender for what it committed.
func (c *CheckIns) step(ctx context.Context, user int64, ev flows.Event, what string) error {
	outs, err := c.b.runner.Handle(ctx, user, ev)
	if err != nil {
		return fmt.Errorf("%s for %d: %w", ev.Kind, user, err)
	}
	if len(outs) == 0 {
		// Step said nothing: a conversation began between the read and the step.
		c.b.log.Info("check-in passed over: conversation under way", "chat", user)
		return nil
	}
	c.b.sender.notify(user)
	c.b.log.Info(what, "chat", user, "event", ev.Kind)
	return nil
}

// note queues the nudge on its own, before the open check-in is asked again.
func (c *CheckIns) note(ctx context.Context, user int64, lang, id string) error {
	text := c.say(lang, NudgeNote)
	if text == "" {
		return nil
	}
	entry, err := json.Marshal(flows.Out{ID: "nudge." + id, Kind: flows.OutMessage, Text: text})
	if err != nil {
		return err
	}
	if err := c.b.outbox.Enqueue(ctx, user, [][]byte{entry}); err != nil {
		return fmt.Errorf("nudge %s: %w", id, err)
	}
	return nil
}

func isCheckinFlow(id string) bool { return id == FlowCheckin || id == FlowLoneliness }
