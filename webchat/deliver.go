package webchat

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"signpost/content"
	"signpost/flows"
)

// batch is how many outbox entries one delivery reads at most: a step
// rarely makes more than a dozen.
const batch = 64

// outSaid is an outbox entry of the web chat's own: the visitor's words, to
// show in order with what is said back (a message to their link worker).
const outSaid = "said"

// ownerSeq names deliveries apart: each holds a visitor's outbox under a
// name of its own, so two never deliver one visitor at once.
type ownerSeq struct {
	instance string
	n        atomic.Int64
}

func (s *Server) newOwner() string {
	if s.owners.instance == "" {
		s.mu.Lock()
		if s.owners.instance == "" {
			s.owners.instance = newToken()[:10]
		}
		s.mu.Unlock()
	}
	return "web." + s.owners.instance + "." + strconv.FormatInt(s.owners.n.Add(1), 10)
}

func jsonOut(o flows.Out) ([]byte, error) { return json.Marshal(o) }

// delivery is what a delivery did.
type delivery struct {
	// Gone are the messages of a step that erased the visitor (/forget):
	// shown once, kept nowhere.
	Gone []string
	// Added is how many lines were added to the transcript.
	Added int
	// empty is true when the outbox was seen empty at the end.
	empty bool
}

// deliver delivers a visitor's outbox, starting from first (what the
// commit of their step leased to owner) or from a fresh claim. prefix are
// lines to show before the first batch's: the visitor's own words. Messages
// become lines of the transcript, questions set the controls, effects run;
// then one atomic write appends the lines and acknowledges the entries. An
// effect that fails stops the delivery there: the rest waits in Redis for
// the sweep, and the effect runs again.
func (s *Server) deliver(ctx context.Context, user int64, first *flows.Claimed, prefix []line) (delivery, error) {
	return s.deliverAs(ctx, user, s.newOwner(), first, prefix)
}

func (s *Server) deliverAs(ctx context.Context, user int64, owner string, first *flows.Claimed, prefix []line) (delivery, error) {
	ctx = context.WithoutCancel(ctx) // a batch in hand is finished
	var done delivery
	defer func() {
		if done.Added > 0 {
			s.hub.wake(user)
			if err := s.store.WebWake(ctx, user); err != nil {
				s.log.Warn("web chat: wake", "user", user, "err", err)
			}
		}
	}()
	for attempt := 0; ; attempt++ {
		var (
			entries [][]byte
			state   map[string]string
			ok      bool
			err     error
		)
		if first != nil {
			entries, state, ok = first.Entries, first.State, first.OK
			first = nil
		} else {
			entries, state, ok, err = s.store.Claim(ctx, user, owner, s.cfg.Lease, batch)
			if err != nil {
				return done, err
			}
		}
		if !ok {
			// Another delivery holds the outbox and shows what is in it;
			// wait a moment if this one has words of the visitor to add.
			if len(prefix) == 0 || attempt > 100 {
				return done, nil
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if len(entries) == 0 {
			done.empty = true
			return done, nil
		}
		b := s.build(ctx, user, entries, state, prefix)
		prefix = nil
		lease := s.cfg.Lease
		if b.failed {
			lease = 0 // set aside for the sweep
		}
		raw := make([][]byte, len(b.lines))
		for i, l := range b.lines {
			raw[i], _ = json.Marshal(l)
		}
		var st map[string]string
		if !b.erased && (len(b.lines) > 0 || state[stateSeq] != "") {
			// Nothing is written for a visitor with nothing kept: the
			// effects of a step before consent leave no key behind.
			st = b.state
		}
		left, err := s.store.WebFinish(ctx, user, owner, b.n, lease, st, raw, s.cfg.MaxLines)
		if err != nil {
			return done, err
		}
		done.Gone = append(done.Gone, b.gone...)
		done.Added += len(b.lines)
		if s.cfg.Receipt != nil && !b.erased {
			for _, r := range b.receipts {
				s.cfg.Receipt(ctx, r[0], r[1])
			}
		}
		if b.failed {
			return done, fmt.Errorf("an effect failed; the sweep will try again")
		}
		if left == 0 {
			done.empty = true
			return done, nil
		}
	}
}

// built is one batch made ready to finish.
type built struct {
	n        int         // entries handled
	receipts [][2]string // reference and id of messages that asked for one
	lines    []line
	state    map[string]string
	gone     []string
	erased   bool
	failed   bool
}

func (s *Server) build(ctx context.Context, user int64, entries [][]byte, state map[string]string, prefix []line) built {
	seq := stateSeqOf(state)
	ctl := decodeControls(state[stateControls])
	out := built{state: map[string]string{}}
	lines := append([]line(nil), prefix...)
	say := func(who, text string) {
		if text != "" {
			lines = append(lines, line{Who: who, Text: text})
		}
	}
	for i, raw := range entries {
		var o flows.Out
		if err := json.Unmarshal(raw, &o); err != nil {
			s.log.Error("web chat: unreadable outbox entry dropped", "user", user, "err", err)
			out.n = i + 1
			continue
		}
		switch o.Kind {
		case flows.OutMessage, flows.OutToast:
			say(whoBot, o.Text)
			if o.Node != "" {
				ctl = &controls{Node: o.Node, Buttons: o.Buttons}
			}
			if o.Receipt != "" && o.Ref != "" {
				out.receipts = append(out.receipts, [2]string{o.Ref, o.Receipt})
			}
		case flows.OutUpdate:
			if ctl == nil || ctl.Node != o.Node {
				say(whoBot, o.Text)
			}
			ctl = &controls{Node: o.Node, Buttons: o.Buttons}
		case outSaid:
			say(whoMe, o.Text)
		case flows.OutClose:
			if ctl != nil && ctl.Node == o.Node {
				ctl = nil
			}
			// A typed answer is on the page already, in the visitor's words.
			if len(lines) == 0 || lines[len(lines)-1].Who != whoMe {
				say(whoMe, o.Text)
			}
		case flows.OutEffect:
			if o.Effect == nil {
				break
			}
			l, err := s.runEffect(ctx, user, *o.Effect)
			if err != nil {
				s.log.Warn("web chat: effect failed; will retry", "user", user, "effect", o.Effect.Kind, "key", o.Effect.Key, "err", err)
				out.failed = true
			}
			if out.failed {
				break
			}
			if l != nil {
				lines = append(lines, *l)
			}
			if o.Effect.Kind == flows.EffectErased {
				// Everything shown so far belongs to the person just
				// erased: show it once, keep none of it.
				for _, l := range lines {
					if l.Who == whoBot {
						out.gone = append(out.gone, l.Text)
					}
				}
				lines, ctl, seq, out.erased = nil, nil, 0, true
			}
		}
		if out.failed {
			break
		}
		out.n = i + 1
	}
	if out.erased {
		// A new conversation begun after the erasure, in the same batch,
		// shows on the next page; nothing of the old one is written.
		lines = nil
	}
	for i := range lines {
		seq++
		lines[i].Seq = seq
	}
	out.lines = lines
	out.state[stateSeq] = strconv.FormatInt(seq, 10)
	out.state[stateControls] = ""
	if ctl != nil {
		b, _ := json.Marshal(ctl)
		out.state[stateControls] = string(b)
	}
	return out
}

// runEffect runs an effect of a visitor's conversation. Weekly check-ins
// cannot be sent by a web page: the visitor is given a one-time link to
// carry on in Telegram instead, and never enrolled here; nor is a web
// visitor reminded to finish, having no channel to be reminded on.
func (s *Server) runEffect(ctx context.Context, user int64, e flows.Effect) (*line, error) {
	switch e.Kind {
	case content.ActionCheckins:
		if !e.Consent {
			return nil, nil
		}
		return s.telegramLine(ctx, user, e.Lang)
	case flows.EffectRemindLater:
		return nil, nil
	}
	if s.effects == nil {
		return nil, nil
	}
	return nil, s.effects.Run(ctx, e)
}

// telegramLine is the line that offers weekly messages in Telegram, with
// the visitor's one-time link.
func (s *Server) telegramLine(ctx context.Context, user int64, lang string) (*line, error) {
	words := s.words(lang)
	if s.cfg.BotUsername == "" {
		return &line{Who: whoBot, Text: words("web_telegram_none")}, nil
	}
	tok, err := s.store.WebBindToken(ctx, user, s.cfg.CodeTTL, newToken)
	if err != nil {
		return nil, err
	}
	href := "https://t.me/" + s.cfg.BotUsername + "?start=" + flows.WebLinkPrefix + tok
	return &line{Who: whoBot, Text: words("web_telegram"), Link: &link{Href: href, Label: words("web_telegram_open")}}, nil
}
