package bot

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"signpost/content"
	"signpost/flows"
	"signpost/internal/redistest"
	"signpost/internal/telegramtest"
	"signpost/store"
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
	at, ok := s.takeSlot(group, staleSlot)
	if !ok || !at.Equal(start.Add(iv)) {
		t.Fatalf("kept slot %v (%v), want the middle one, %v", at, ok, start.Add(iv))
	}
	if n := s.callsAt(group, at); n != 2 {
		t.Errorf("the pair's slot is for %d calls, want 2", n)
	}
	if _, ok := s.takeSlot(group, staleSlot); ok {
		t.Error("a slot kept beside the pair's")
	}
	// Fewer slots booked than a pair takes: kept as they are, one call each.
	s.keepPair(group, flows.Booked{N: 1, At: start})
	if at, ok := s.takeSlot(group, staleSlot); !ok || s.callsAt(group, at) != 1 {
		t.Error("a single slot not kept for one call")
	}
}

// TestLateSlotKeptInLine: a group's slot kept for an entry, which its
// sender wakes for well after its time (a busy machine), is used at once:
// the entry keeps its place in line rather than booking a slot at the back
// of the group's queue, behind the slots booked for what came after it.
func TestLateSlotKeptInLine(t *testing.T) {
	tg := telegramtest.NewServer(t, telegramtest.WithRateLimits(telegramtest.TelegramRateLimits()))
	alice := tg.NewPerson("Alice")
	group := tg.NewGroup("Link workers", alice)
	group.AddBot(alice)
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	bundle, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{Token: tg.Token(), APIURL: tg.URL(), Limits: Limits{Global: 30, PerChat: 1, PerGroupMinute: 20}},
		flows.NewRunner(st, bundle, flows.Config{}), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := b.sender
	s.ctx, s.cancel = context.WithCancel(context.Background())
	t.Cleanup(s.cancel)
	ctx := waitCtx(t)
	chat := group.ID()

	// Four slots booked in a row: the first went to an earlier message, the
	// second is kept for the alert, the last two are booked for messages
	// put in the outbox after it.
	chatOff, chatIv, globOff, globIv, err := b.reserve(ctx, chat, 4)
	if err != nil {
		t.Fatal(err)
	}
	booked := flows.Booked{N: 4, At: time.Now(), ChatOffset: chatOff, ChatInterval: chatIv, GlobalOffset: globOff, GlobalInterval: globIv}
	_, rest := splitBooked(booked)
	kept, _ := splitBooked(rest)
	s.keepSlots(chat, kept)
	if err := st.Enqueue(ctx, chat, [][]byte{[]byte(`{"id":"g.1","k":"message","t":"URGENT: flagged as urgent"}`)}); err != nil {
		t.Fatal(err)
	}
	const late = 2 * time.Second
	time.Sleep(time.Until(slotAt(kept, 0).Add(late)))

	woke := time.Now()
	s.deliver(chat, "test", false)
	var sent time.Time
	for _, r := range tg.Requests() {
		if r.ChatID != chat {
			continue
		}
		if r.Status != http.StatusOK {
			t.Errorf("%s to the group answered %d", r.Method, r.Status)
		}
		if r.Method == "sendMessage" {
			sent = r.At
		}
	}
	if sent.IsZero() {
		t.Fatal("the alert was not sent")
	}
	t.Logf("slot interval %v; the sender woke %v after the kept slot; the alert went %v after it woke", chatIv, late, sent.Sub(woke).Round(time.Millisecond))
	if d := sent.Sub(woke); d > time.Second {
		t.Errorf("the alert went %v after its sender woke, %v late, for its kept slot: the slot was dropped and one booked at the back", d.Round(time.Millisecond), late)
	}
}

// TestGroupWindow: a group's call waits while the calls made to it from
// here would make more than its rate in some minute, as after a slot used
// late; on time, the booked slots never make it wait.
func TestGroupWindow(t *testing.T) {
	const group = -100
	rate := 20 * rateMargin
	iv := time.Duration(float64(time.Minute) / rate) // the booked slots' spacing
	for _, late := range []time.Duration{0, 2 * time.Second} {
		s := newSender(&Bot{cfg: Config{Limits: Limits{PerGroupMinute: 20}}}, 1, 1)
		// Slot k is 20 slots before now; the calls of slots k-19 to k+19
		// were made on time, but slot k's late.
		k := time.Now().Add(-20 * iv)
		for j := -19; j < 20; j++ {
			at := k.Add(time.Duration(j) * iv)
			if j == 0 {
				at = at.Add(late)
			}
			s.calledGroup(group, at)
		}
		want := max(0, time.Until(k.Add(late+time.Minute+windowGuard)))
		if d := s.windowWait(group, 1); d < want-50*time.Millisecond || d > want+50*time.Millisecond {
			t.Errorf("slot k %v late: the call in slot k+20 waits %v, want %v", late, d, want)
		}
		if late > 0 && want < 500*time.Millisecond {
			t.Errorf("slot k %v late: the call in slot k+20 need not wait (%v)", late, want)
		}
	}
	// A pair's two calls in a slot on time, with the slot before it empty:
	// no wait.
	s := newSender(&Bot{cfg: Config{Limits: Limits{PerGroupMinute: 20}}}, 1, 1)
	now := time.Now()
	for j := 20; j >= 2; j-- {
		s.calledGroup(group, now.Add(-time.Duration(j)*iv))
	}
	if d := s.windowWait(group, 2); d > 0 {
		t.Errorf("a pair on time waits %v", d)
	}
	// Groups at rates too high for Telegram are not counted.
	fast := newSender(&Bot{cfg: Config{Limits: Limits{PerGroupMinute: 1e5}}}, 1, 1)
	for range 200 {
		fast.calledGroup(group, now)
	}
	if d := fast.windowWait(group, 1); d != 0 || len(fast.groupCalls) != 0 {
		t.Errorf("a group at 100000 a minute waits %v, with %d calls kept", d, len(fast.groupCalls))
	}
}
