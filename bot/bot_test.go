package bot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"signpost/content"
	"signpost/flows"
	"signpost/internal/redistest"
	"signpost/internal/telegramtest"
	"signpost/store"
)

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

// hookedRunner is the real runner with a hook before each event, so a test
// can make one event panic or hold it in flight.
type hookedRunner struct {
	*flows.Runner
	before func(ev flows.Event)
}

func (h *hookedRunner) Handle(ctx context.Context, user int64, ev flows.Event) ([]flows.Out, error) {
	h.before(ev)
	return h.Runner.Handle(ctx, user, ev)
}

func (h *hookedRunner) HandleClaim(ctx context.Context, user int64, ev flows.Event, lease flows.Lease) ([]flows.Out, flows.Claimed, error) {
	h.before(ev)
	return h.Runner.HandleClaim(ctx, user, ev, lease)
}

func newTestBot(t *testing.T, tg *telegramtest.Server, before func(flows.Event)) *Bot {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	bundle, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	runner := &hookedRunner{Runner: flows.NewRunner(st, bundle, flows.Config{}), before: before}
	b, err := New(Config{Token: tg.Token(), APIURL: tg.URL(), Limits: Limits{Global: 1000, PerChat: 100}}, runner, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestPanicInOneUpdateDoesNotStopTheBot(t *testing.T) {
	tg := telegramtest.NewServer(t)
	b := newTestBot(t, tg, func(ev flows.Event) {
		if ev.Text == "boom" {
			panic("boom")
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Poll(ctx) }()
	t.Cleanup(func() { cancel(); <-done; b.Shutdown(context.Background()) })

	p := tg.NewPerson("Pat")
	p.Send("boom")
	p.Send("hello")
	if _, err := p.WaitFor(waitCtx(t), func(tr []telegramtest.Entry) bool {
		return len(tr) > 0 && strings.Contains(tr[len(tr)-1].Text, "Is it OK")
	}); err != nil {
		t.Fatal(err)
	}
	if got := testCounter(b.m.panics); got != 1 {
		t.Errorf("panics counted: %v, want 1", got)
	}
}

// TestShutdownFinishesInFlight holds an update in the middle of its step,
// starts shutting down, then lets it go: the update is committed and its
// reply sent before Shutdown returns.
func TestShutdownFinishesInFlight(t *testing.T) {
	tg := telegramtest.NewServer(t)
	entered := make(chan struct{})
	release := make(chan struct{})
	b := newTestBot(t, tg, func(ev flows.Event) {
		if ev.Text == "slow" {
			close(entered)
			<-release
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	polled := make(chan error, 1)
	go func() { polled <- b.Poll(ctx) }()

	p := tg.NewPerson("Sol")
	p.Send("slow")
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the update never reached the runner")
	}
	cancel()
	<-polled
	stopped := make(chan error, 1)
	go func() { stopped <- b.Shutdown(context.Background()) }()
	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned (%v) with an update in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	tr := p.Transcript()
	if len(tr) < 2 || !strings.Contains(tr[len(tr)-1].Text, "Is it OK") {
		t.Errorf("the reply to the update in flight was not sent before shutdown ended:\n%s", telegramtest.FormatTranscript(tr))
	}
	if errors.Is(ctx.Err(), context.Canceled) && len(b.sender.queued) != 0 {
		t.Errorf("chats left queued: %v", b.sender.queued)
	}
}

// TestWebVisitorOutboxIsNotSent: a web visitor's outbox is the web chat's
// to show; the Telegram sender leaves it untouched, even when notified.
func TestWebVisitorOutboxIsNotSent(t *testing.T) {
	tg := telegramtest.NewServer(t)
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	bundle, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{Token: tg.Token(), APIURL: tg.URL()}, flows.NewRunner(st, bundle, flows.Config{}), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := waitCtx(t)
	visitor := flows.WebUserMin + 42
	if err := st.Enqueue(ctx, visitor, [][]byte{[]byte(`{"id":"w.1","k":"message","t":"hello"}`)}); err != nil {
		t.Fatal(err)
	}
	b.sender.deliver(visitor, "test", true)
	pending, err := st.Pending(ctx, visitor)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 {
		t.Fatalf("the web visitor's outbox holds %d entries after a Telegram delivery, want the 1 left for the web chat", len(pending))
	}
}

// TestUpdatesQueuedBeforeStart: updates that reached the intake before the
// bot started (a webhook call taken before Serve) are handled and answered
// once it starts, each delivery handed to a sender already running.
func TestUpdatesQueuedBeforeStart(t *testing.T) {
	tg := telegramtest.NewServer(t)
	var b *Bot
	var early atomic.Int32
	b = newTestBot(t, tg, func(flows.Event) {
		if !b.sender.started.Load() {
			early.Add(1) // handled before the sender could take its delivery
		}
	})
	var dones []<-chan error
	var people []*telegramtest.Person
	for i := range 8 {
		p := tg.NewPerson(fmt.Sprintf("Early%d", i))
		p.Send("hello") // the person has started the bot; nobody polls for this copy
		u := p.User()
		m := &models.Message{ID: 1, Date: int(time.Now().Unix()), Text: "hello",
			Chat: models.Chat{ID: u.ID, Type: models.ChatTypePrivate, FirstName: u.FirstName},
			From: &models.User{ID: u.ID, FirstName: u.FirstName}}
		dones = append(dones, b.intake.submit(&models.Update{ID: int64(100 + i), Message: m}, nil))
		people = append(people, p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() { b.Serve(ctx); close(served) }()
	t.Cleanup(func() { cancel(); <-served; b.Shutdown(context.Background()) })
	for _, done := range dones {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := early.Load(); n > 0 {
		t.Errorf("%d updates handled before the sender started", n)
	}
	for _, p := range people {
		if _, err := p.WaitFor(waitCtx(t), func(tr []telegramtest.Entry) bool {
			return len(tr) > 0 && strings.Contains(tr[len(tr)-1].Text, "Is it OK")
		}); err != nil {
			t.Fatalf("%s: %v", p.User().FirstName, err)
		}
	}
}
