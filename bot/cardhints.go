package bot

import (
	"encoding/json"
	"time"
)

// A group's card is read from the desk as it is sent, so that it shows the
// referral as it then stands. The sender remembers which referrals' cards
// it put in a group's outbox, oldest first, and reads them in the round
// trip that leases the outbox, which comes just before the send (the slot
// is waited for before): the card's own read then costs none. A hint that
// proves wrong (the entry claimed is another replica's, or no card) costs
// a read Redis makes for nothing, and the card reads its referral itself.

// cardHintAge is how long a hint is kept: longer than a group's outbox
// usually waits, short enough that hints for entries another replica sent
// do not pile up.
const cardHintAge = time.Minute

// maxCardHints bounds the hints kept for one group.
const maxCardHints = 16

// aheadOf is how many hints a claim reads: a group's claim takes one
// entry, so the oldest hint is almost always the one.
const aheadOf = 2

type cardHint struct {
	ref string
	at  time.Time
}

// readsCard reports whether an entry of kind reads its referral to be sent.
func readsCard(kind string) bool {
	switch kind {
	case outCard, outCardAgain, outCardRedraw, outCardRetire, outTakeDown, outHousing:
		return true
	}
	return false
}

// entryHead is what a hint needs of an outbox entry.
type entryHead struct {
	Kind string `json:"k"`
	Ref  string `json:"r"`
}

// hintCards remembers the referrals whose cards entries puts in chat's
// outbox, a group's.
func (s *sender) hintCards(chat int64, entries [][]byte) {
	if chat >= 0 {
		return
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, raw := range entries {
		var h entryHead
		if json.Unmarshal(raw, &h) != nil || h.Ref == "" || !readsCard(h.Kind) {
			continue
		}
		hs := s.cards[chat]
		if len(hs) >= maxCardHints {
			hs = hs[1:]
		}
		s.cards[chat] = append(hs, cardHint{ref: h.Ref, at: now})
	}
}

// cardsAhead are the referrals to read with a claim of chat's outbox.
func (s *sender) cardsAhead(chat int64) []string {
	if chat >= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	hs := s.cards[chat]
	for len(hs) > 0 && time.Since(hs[0].at) > cardHintAge {
		hs = hs[1:]
	}
	if len(hs) == 0 {
		delete(s.cards, chat)
		return nil
	}
	s.cards[chat] = hs
	var out []string
	for _, h := range hs {
		if len(out) == aheadOf {
			break
		}
		if len(out) == 0 || out[len(out)-1] != h.ref {
			out = append(out, h.ref)
		}
	}
	return out
}

// claimedCards forgets the hints of the card entries a claim took.
func (s *sender) claimedCards(chat int64, entries [][]byte) {
	if chat >= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, raw := range entries {
		var h entryHead
		if json.Unmarshal(raw, &h) != nil || !readsCard(h.Kind) {
			continue
		}
		hs := s.cards[chat]
		for i := range hs {
			if hs[i].ref == h.Ref {
				s.cards[chat] = append(hs[:i:i], hs[i+1:]...)
				break
			}
		}
	}
	if len(s.cards[chat]) == 0 {
		delete(s.cards, chat)
	}
}
