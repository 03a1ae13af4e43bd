package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"signpost/bot"
	"signpost/flows"
	"signpost/handoff"
)

// FlowFollowUp is the flow that asks the person for their follow-up
// wellbeing answers.
const FlowFollowUp = "followup"

// Deliver does what casework asked: a message to the person goes into their
// own outbox, in their language, and their channel's deliverer is woken, so
// that it reaches them whether they talk to signpost in Telegram or on the
// web; a request for follow-up answers starts that conversation; the rest is
// for link workers, and the bot shows it.
func (s *Service) Deliver(ctx context.Context, ns handoff.Notices) error {
	s.mu.Lock()
	lw := s.lw
	s.mu.Unlock()
	if lw != nil {
		// Everything for Telegram's outboxes (the person's, the workers',
		// the groups') is written in one round trip at the end, and each
		// outbox it can lease is delivered from there.
		gctx, flush := lw.Gather(ctx)
		if err := s.deliver(gctx, lw, ns); err != nil {
			return err
		}
		return flush()
	}
	return s.deliver(ctx, nil, ns)
}

func (s *Service) deliver(ctx context.Context, lw *bot.LinkWorkers, ns handoff.Notices) error {
	var team handoff.Notices
	for _, n := range ns {
		switch n.Kind {
		case handoff.NoticePerson:
			if err := s.toPerson(ctx, n); err != nil {
				return err
			}
		case handoff.NoticeFollowUp:
			if err := s.followUp(ctx, n); err != nil {
				return err
			}
		default:
			team = append(team, n)
		}
	}
	if len(team) == 0 {
		return nil
	}
	if lw == nil {
		return errNoBot
	}
	return lw.Render(ctx, team)
}

// toPerson puts a message for the person in their outbox and wakes their
// channel's deliverer.
func (s *Service) toPerson(ctx context.Context, n handoff.Notice) error {
	if n.User == 0 {
		return nil
	}
	text := n.Text
	if n.Key != "" {
		b := s.runner.Content()
		text = strings.ReplaceAll(b.Text(b.Lang(n.Lang), n.Key), "{ref}", n.Ref)
	}
	id := n.ID
	if id == "" {
		id = fmt.Sprintf("%d", time.Now().UnixNano())
	}
	o := flows.Out{ID: "cw." + n.Ref + "." + id, Kind: flows.OutMessage, Text: text, Ref: n.Ref, Receipt: n.ID}
	raw, err := json.Marshal(o)
	if err != nil {
		return err
	}
	s.mu.Lock()
	lw := s.lw
	s.mu.Unlock()
	if lw != nil && (n.Channel == "" || n.Channel == handoff.ChannelTelegram) && !flows.IsWeb(n.User) {
		// Written with the rest of what the operation asked for, and
		// delivered from that write.
		if err := lw.ToPerson(ctx, n.User, o); err != nil {
			return fmt.Errorf("message to the person of %s: %w", n.Ref, err)
		}
		return nil
	}
	if err := s.st.Enqueue(ctx, n.User, [][]byte{raw}); err != nil {
		return fmt.Errorf("message to the person of %s: %w", n.Ref, err)
	}
	s.wakeUp(n.Channel, n.User)
	return nil
}

// followUp starts the follow-up questions in the person's chat: with the
// loneliness scale when they answered it at the start, and a word first
// when it is the reminder.
func (s *Service) followUp(ctx context.Context, n handoff.Notice) error {
	ev := flows.Event{Kind: flows.EventStart, Text: FlowFollowUp, Lang: n.Lang, Vars: map[string]string{"followup_lonely": "no"}}
	if n.Lonely {
		ev.Vars["followup_lonely"] = "yes"
	}
	if n.Again {
		ev.Note = "followup_reminder"
	}
	outs, err := s.runner.Handle(ctx, n.User, ev)
	if err != nil {
		return fmt.Errorf("follow-up of %s: %w", n.Ref, err)
	}
	if len(outs) > 0 {
		s.wakeUp(n.Channel, n.User)
	}
	return nil
}

func (s *Service) wakeUp(ch handoff.Channel, user int64) {
	if ch == "" {
		ch = handoff.ChannelTelegram
	}
	s.mu.Lock()
	wake := s.wake[ch]
	s.mu.Unlock()
	if wake != nil {
		wake(user)
	}
}
