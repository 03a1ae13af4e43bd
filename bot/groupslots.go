package bot

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"signpost/flows"
	"signpost/internal/roundtrip"
)

// A group takes one message every few seconds (GROUP_RATE_PER_MINUTE), and
// its delivery never waits for a slot holding the group's lease. Most of
// the time a team's group is quiet and its next slot free at once: then
// what casework puts there is leased in the same round trip, as a
// person's is, and sent from there, rather than leased again by a sender
// woken for it. The replica knows the slots it booked itself; a slot
// another replica booked shows in the booking's answer, and the lease is
// then let go at once (one round trip more, on that rare path) and the
// group's sender waits for its slot without it.

// slotSlack is how far ahead a slot may be and still count as free: a
// wait this short, against a lease of seconds, holds nothing up.
const slotSlack = 20 * time.Millisecond

// groupFree reports whether chat's next slot is expected to be free now:
// no slot kept for it and none booked here still ahead.
func (s *sender) groupFree(chat int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.groupAt[chat]) == 0 && !time.Now().Before(s.groupNext[chat])
}

// groupFreeAt records that chat's next slot is not free before at.
func (s *sender) groupFreeAt(chat int64, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if at.After(s.groupNext[chat]) {
		s.groupNext[chat] = at
	}
}

// bookedGroup records slots booked for a group with what was put there.
func (s *sender) bookedGroup(chat int64, b flows.Booked) {
	if b.N <= 0 {
		return
	}
	s.groupFreeAt(chat, slotAt(b, b.N-1).Add(b.ChatInterval))
}

// slotAt is when slot i of b may be used.
func slotAt(b flows.Booked, i int) time.Time {
	d := time.Duration(i)
	return b.At.Add(max(b.ChatOffset+d*b.ChatInterval, b.GlobalOffset+d*b.GlobalInterval))
}

// splitBooked splits b into its first slot and the rest.
func splitBooked(b flows.Booked) (first, rest flows.Booked) {
	if b.N <= 0 {
		return b, flows.Booked{}
	}
	first = flows.Booked{N: 1, At: b.At, ChatOffset: b.ChatOffset, ChatInterval: b.ChatInterval, GlobalOffset: b.GlobalOffset, GlobalInterval: b.GlobalInterval}
	rest = flows.Booked{N: b.N - 1, At: b.At, ChatOffset: b.ChatOffset + b.ChatInterval, ChatInterval: b.ChatInterval,
		GlobalOffset: b.GlobalOffset + b.GlobalInterval, GlobalInterval: b.GlobalInterval}
	return first, rest
}

// handOffGroup delivers what put leased of a group's outbox (one entry)
// in its first booked slot if that slot is now, in a work that knows what
// the writer read (the referral a card shows, as just written); otherwise
// it lets the lease go and leaves the entries to the group's sender, which
// waits for the slots without it.
func (s *sender) handOffGroup(ctx context.Context, chat int64, owner string, since time.Time, c flows.Claimed) {
	if !c.OK {
		// Another sender holds the outbox and delivers these too.
		s.keepSlots(chat, c.Booked)
		s.notify(chat)
		return
	}
	first, rest := splitBooked(c.Booked)
	if first.N == 0 || time.Until(slotAt(first, 0)) > slotSlack || s.windowWait(chat, 1) > slotSlack {
		if _, err := s.b.outbox.Finish(context.WithoutCancel(ctx), chat, owner, 0, 0, nil); err != nil {
			// It lapses on its own; the sender then takes over.
			s.b.log.Warn("let a group's outbox go", "chat", chat, "err", err)
		}
		s.keepSlots(chat, c.Booked)
		s.notify(chat)
		return
	}
	c.Booked = first
	s.keepSlots(chat, rest)
	s.claimedCards(chat, c.Entries) // read with the write already
	s.handOffWork(chat, owner, since, c, nil, roundtrip.Of(ctx).Fork())
}

// An edit of a card followed by one message for the same group (the card
// redrawn for an urgent flag, then the alert under it; an older card's
// button taken off, then the card posted again) goes as a pair: both
// calls in the slot of the message, one claim and one acknowledgement,
// rather than the edit in a slot of its own and the message leased again
// after the wait for the next. The edit notifies nobody, and the message,
// which does, goes when it would have gone anyway. A pair books three
// slots and sends in the middle one: the slot before it, left empty, makes
// up for the third's call going early, so no stretch of a minute holds
// more calls than the group's rate allows.
const pairSlots = 3

// pairMaxInterval is the longest slot interval a pair is made at: the
// three slots must fit well within Telegram's minute.
const pairMaxInterval = 20 * time.Second

// pairable reports whether entries, all that one write puts in a group's
// outbox, are a card's edit and then a message, and the group's rate lets
// them go as a pair.
func (b *Bot) pairable(entries [][]byte) bool {
	if len(entries) != 2 {
		return false
	}
	if r := b.groupSlots.ChatRate; r > 0 && time.Duration(float64(time.Minute)/r) > pairMaxInterval {
		return false
	}
	var first, second flows.Out
	if json.Unmarshal(entries[0], &first) != nil || json.Unmarshal(entries[1], &second) != nil {
		return false
	}
	edit := first.Kind == outCardRedraw || first.Kind == outCardRetire
	message := second.Kind == outReply || second.Kind == outCardAgain
	return edit && message
}

// keepPair keeps, of the slots b booked for a pair put in chat's outbox,
// the middle one, marked as the slot of two calls; with fewer booked it
// keeps them as they are.
func (s *sender) keepPair(chat int64, b flows.Booked) {
	if b.N < pairSlots {
		s.keepSlots(chat, b)
		return
	}
	at := slotAt(b, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.groupAt[chat]) >= maxKeptSlots {
		return
	}
	s.groupAt[chat] = append(s.groupAt[chat], at)
	s.pairAt[chat] = append(s.pairAt[chat], at)
}

// callsAt says how many calls the kept slot at of chat is for: two for a
// pair's, else one. It forgets the pair's mark, and those too late to use.
func (s *sender) callsAt(chat int64, at time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 1
	var kept []time.Time
	for _, p := range s.pairAt[chat] {
		switch {
		case p.Equal(at) && n == 1:
			n = 2
		case time.Since(p) <= lateSlot:
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		delete(s.pairAt, chat)
	} else {
		s.pairAt[chat] = kept
	}
	return n
}

// A slot kept for a group's entry is its place in the group's line: the
// slots after it were booked for what came after it. A sender that wakes
// for it late (the machine busy, every worker sending) uses it at once
// rather than dropping it and booking a slot at the back of the line,
// which could hold an alert up by as many slots as the line is long. Used
// late, a slot no longer fits the spacing the booking gave it, so the
// group's calls are also held to Telegram's own rule: no more than the
// group's rate in any minute. Each replica remembers when it called each
// group, the last of them as many as that rule allows; a call that would
// make one too many in some minute waits until the oldest drops out of it.
// On time, the booked slots keep 2% more apart than that rule needs, so the
// check waits only after a slot used late.

// lateSlot is how long past its time a group's kept slot is still used at
// once. One older than that is from a minute whose calls are all past: its
// entry went some other way (another replica's delivery), and it is dropped.
const lateSlot = time.Minute

// windowGuard is added to the minute a group's calls are counted over, for
// the jitter between a call and its arrival.
const windowGuard = 250 * time.Millisecond

// maxWindowCalls is the highest group rate whose calls are remembered; at
// higher rates (settings for tests and benchmarks, never Telegram's) a slot
// more than staleSlot late is dropped as it was before.
const maxWindowCalls = 120

// windowCalls is how many calls a group may have in any minute, or 0 when
// they are not counted.
func (b *Bot) windowCalls() int {
	n := int(b.cfg.Limits.PerGroupMinute)
	if n < 1 || n > maxWindowCalls {
		return 0
	}
	return n
}

// groupLate is how late a group's kept slot may be used.
func (b *Bot) groupLate() time.Duration {
	if b.windowCalls() == 0 {
		return staleSlot
	}
	return lateSlot
}

// windowWait is how long from now n more calls to chat must wait so that no
// minute holds more than the group's rate of calls made from here.
func (s *sender) windowWait(chat int64, n int) time.Duration {
	limit := s.b.windowCalls()
	if chat >= 0 || limit == 0 || n <= 0 {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	made := s.groupCalls[chat]
	// The calls already made that may share a minute with the n: those
	// after the (limit-n+1)th latest.
	i := len(made) - (limit - n + 1)
	if i < 0 {
		return 0
	}
	return max(0, time.Until(made[i].Add(time.Minute+windowGuard)))
}

// calledGroup records a call to chat made at at, keeping the latest as
// many as the group's rate allows in a minute.
func (s *sender) calledGroup(chat int64, at time.Time) {
	limit := s.b.windowCalls()
	if chat >= 0 || limit == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	made := append(s.groupCalls[chat], at)
	if len(made) > limit {
		made = append(made[:0], made[len(made)-limit:]...)
	}
	s.groupCalls[chat] = made
}

// errLeftToOthers: a group's delivery found no slot kept for it while
// another delivery here waits for one, and leaves the outbox to that one.
var errLeftToOthers = errors.New("bot: a group's outbox left to the delivery waiting for its slot")

// Several deliveries of one group may wait at once, each for a slot kept
// for it (every write to the group's outbox wakes its sender). Each claims
// what is at the head of the outbox when its slot comes, and goes on with
// the next entries. A delivery that finds no slot kept while another waits
// leaves the rest to that one rather than book a slot of its own: a slot
// booked at the back of the line would push back every slot booked after
// it, the pair of an alert among them, and often find the outbox empty.

// waitingGroup counts a delivery of chat beginning (1) or ending (-1) its
// wait for a kept slot.
func (s *sender) waitingGroup(chat int64, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groupWaiting[chat] += n
	if s.groupWaiting[chat] <= 0 {
		delete(s.groupWaiting, chat)
	}
}

// groupWaited reports whether a delivery of chat waits for a kept slot.
func (s *sender) groupWaited(chat int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.groupWaiting[chat] > 0
}
