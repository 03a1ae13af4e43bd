package bot

import (
	"encoding/json"
	"testing"
	"time"

	"signpost/flows"
)

// TestPairs: a card's edit and one message after it, put in a group's
// outbox in one write, are a pair; the pair's middle slot is kept for two
// calls, and the slots either side of it for none.
func TestPairs(t *testing.T) {
	entry := func(kind string) []byte {
		raw, err := json.Marshal(flows.Out{Kind: kind, Ref: "R-7K3QX"})
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	b := &Bot{groupSlots: &flows.Booking{ChatRate: 20 * rateMargin}}
	for _, c := range []struct {
		kinds []string
		want  bool
	}{
		{[]string{outCardRedraw, outReply}, true},
		{[]string{outCardRetire, outCardAgain}, true},
		{[]string{outReply, outCardRedraw}, false},
		{[]string{outCardRedraw, outReply, outReply}, false},
		{[]string{outCard, outReply}, false},
		{[]string{outCardRedraw}, false},
	} {
		var entries [][]byte
		for _, k := range c.kinds {
			entries = append(entries, entry(k))
		}
		if got := b.pairable(entries); got != c.want {
			t.Errorf("pairable(%v) = %v, want %v", c.kinds, got, c.want)
		}
	}
	slow := &Bot{groupSlots: &flows.Booking{ChatRate: 2}}
	if slow.pairable([][]byte{entry(outCardRedraw), entry(outReply)}) {
		t.Error("a pair made at 2 messages a minute")
	}

	s := &sender{groupAt: map[int64][]time.Time{}, pairAt: map[int64][]time.Time{}}
	const group = -100
	start := time.Now().Add(time.Second)
	iv := 3 * time.Second
	s.keepPair(group, flows.Booked{N: pairSlots, At: start, ChatInterval: iv})
	at, ok := s.takeSlot(group)
	if !ok || !at.Equal(start.Add(iv)) {
		t.Fatalf("kept slot %v (%v), want the middle one, %v", at, ok, start.Add(iv))
	}
	if n := s.callsAt(group, at); n != 2 {
		t.Errorf("the pair's slot is for %d calls, want 2", n)
	}
	if _, ok := s.takeSlot(group); ok {
		t.Error("a slot kept beside the pair's")
	}
	// Fewer slots booked than a pair takes: kept as they are, one call each.
	s.keepPair(group, flows.Booked{N: 1, At: start})
	if at, ok := s.takeSlot(group); !ok || s.callsAt(group, at) != 1 {
		t.Error("a single slot not kept for one call")
	}
}
