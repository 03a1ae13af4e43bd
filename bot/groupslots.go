package bot

import (
	"context"
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
	if first.N == 0 || time.Until(slotAt(first, 0)) > slotSlack {
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
