package service

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"signpost/content"
	"signpost/flows"
	"signpost/handoff"
	"signpost/internal/redistest"
	"signpost/store"
)

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

func newService(t *testing.T) (*Service, *store.Store) {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	bundle, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(Config{}, st, flows.NewRunner(st, bundle, flows.Config{}))
	if err != nil {
		t.Fatal(err)
	}
	return svc, st
}

// TestDeliverToPeople: a message for a person goes into their own outbox,
// in their language, with its receipt, and wakes the deliverer of their
// channel only: a web visitor's is never handed to Telegram.
func TestDeliverToPeople(t *testing.T) {
	svc, st := newService(t)
	var mu sync.Mutex
	woken := map[handoff.Channel][]int64{}
	for _, ch := range []handoff.Channel{handoff.ChannelTelegram, handoff.ChannelWeb} {
		svc.SetWaker(ch, func(user int64) { mu.Lock(); woken[ch] = append(woken[ch], user); mu.Unlock() })
	}
	visitor := flows.WebUserMin + 7
	ns := handoff.Notices{
		{Kind: handoff.NoticePerson, Ref: "R-7K3QX", User: 42, Lang: "en", Channel: handoff.ChannelTelegram, Text: "Your link worker Ana says:\nHello", ID: "m1"},
		{Kind: handoff.NoticePerson, Ref: "R-22222", User: visitor, Lang: "en", Channel: handoff.ChannelWeb, Key: handoff.KeyNewRef},
	}
	if err := svc.Deliver(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	out := func(user int64) flows.Out {
		t.Helper()
		raw, err := st.Pending(context.Background(), user)
		if err != nil || len(raw) != 1 {
			t.Fatalf("outbox of %d: %d entries, %v", user, len(raw), err)
		}
		var o flows.Out
		if err := json.Unmarshal(raw[0], &o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	if o := out(42); o.Kind != flows.OutMessage || o.Text != "Your link worker Ana says:\nHello" || o.Receipt != "m1" || o.Ref != "R-7K3QX" {
		t.Errorf("the Telegram person's entry: %+v", o)
	}
	if o := out(visitor); !strings.Contains(o.Text, "R-22222") || strings.Contains(o.Text, "{ref}") || o.Receipt != "" {
		t.Errorf("the visitor's entry: %+v", o)
	}
	if !slices.Equal(woken[handoff.ChannelTelegram], []int64{42}) || !slices.Equal(woken[handoff.ChannelWeb], []int64{visitor}) {
		t.Errorf("woken: %v", woken)
	}
	// Notices for the team need the bot.
	if err := svc.Deliver(context.Background(), handoff.Notices{{Kind: handoff.NoticeCard, Ref: "R-7K3QX"}}); err != errNoBot {
		t.Errorf("a card with no bot attached: %v", err)
	}
}

// TestMemberCache: Telegram's yes is trusted for a while, its no never.
func TestMemberCache(t *testing.T) {
	now := time.Now()
	asked := 0
	m := &memberCache{ttl: time.Minute, now: func() time.Time { return now }, until: map[int64]memberEntry{}}
	m.setAsk(func(_ context.Context, user int64) ([]handoff.Team, error) {
		asked++
		if user == 1 {
			return []handoff.Team{handoff.TeamLinkWorkers}, nil
		}
		return nil, nil
	})
	ctx := context.Background()
	for range 3 {
		if teams, _ := m.teams(ctx, 1); !slices.Equal(teams, []handoff.Team{handoff.TeamLinkWorkers}) {
			t.Fatalf("member's teams: %v", teams)
		}
		m.teams(ctx, 2)
	}
	if asked != 4 {
		t.Errorf("asked Telegram %d times, want 4: once for the member, every time for the other", asked)
	}
	now = now.Add(2 * time.Minute)
	m.teams(ctx, 1)
	if asked != 5 {
		t.Errorf("a yes was trusted past its minute")
	}
}
