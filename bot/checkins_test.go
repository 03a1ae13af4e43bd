package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"signpost/content"
	"signpost/flows"
	"signpost/internal/redistest"
	"signpost/internal/telegramtest"
	"signpost/store"
)

type checkinBot struct {
	b      *Bot
	tg     *telegramtest.Server
	st     *store.Store
	runner *flows.Runner
	c      *CheckIns
}

func newCheckinBot(t *testing.T) *checkinBot {
	t.Helper()
	tg := telegramtest.NewServer(t)
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	bundle, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	runner := flows.NewRunner(st, bundle, flows.Config{})
	b, err := New(Config{Token: tg.Token(), APIURL: tg.URL(), Limits: Limits{Global: 1000, PerChat: 100}}, runner, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Poll(ctx) }()
	t.Cleanup(func() { cancel(); <-done; b.Shutdown(context.Background()) })
	say := func(lang, key string) string { return bundle.Text(bundle.Lang(lang), key) }
	return &checkinBot{b: b, tg: tg, st: st, runner: runner, c: b.CheckIns(runner, st, say)}
}

// lastBotText waits for the bot's latest message to contain want.
func lastBotText(t *testing.T, p *telegramtest.Person, want string) {
	t.Helper()
	if _, err := p.WaitFor(waitCtx(t), func(tr []telegramtest.Entry) bool {
		for i := len(tr) - 1; i >= 0; i-- {
			if tr[i].FromBot {
				return strings.Contains(tr[i].Text, want)
			}
		}
		return false
	}); err != nil {
		t.Fatalf("waiting for %q: %v\n%s", want, err, telegramtest.FormatTranscript(p.Transcript()))
	}
}

// settle gives the sender time to send anything it wrongly queued.
func settle(t *testing.T, cb *checkinBot, p *telegramtest.Person, want int) {
	t.Helper()
	time.Sleep(200 * time.Millisecond)
	if got := len(p.BotMessages()); got != want {
		t.Errorf("%d bot messages, want %d:\n%s", got, want, telegramtest.FormatTranscript(p.Transcript()))
	}
}

func TestCheckInStartsOnceAndAnswersNameIt(t *testing.T) {
	cb := newCheckinBot(t)
	ctx := waitCtx(t)
	p := cb.tg.NewPerson("Ash")
	p.Send("/help")
	lastBotText(t, p, "I help you find support")
	user := p.User().ID
	at := time.Now().Truncate(time.Minute)
	ci := CheckIn{ID: "ci:1", At: at, Flow: FlowCheckin}

	if err := cb.c.Start(ctx, user, ci); err != nil {
		t.Fatal(err)
	}
	lastBotText(t, p, "How are things this week?")
	msgs := p.BotMessages()
	last := msgs[len(msgs)-1]
	var labels []string
	for _, row := range last.Buttons {
		for _, btn := range row {
			labels = append(labels, btn.Text)
		}
	}
	if got := strings.Join(labels, "|"); got != "Good|Okay|Not great|I'd like to talk to someone" {
		t.Errorf("buttons %q", got)
	}
	// A repeat of the same item, as after a lease ran out, says nothing new.
	if err := cb.c.Start(ctx, user, ci); err != nil {
		t.Fatal(err)
	}
	settle(t, cb, p, len(msgs))
	s, err := cb.runner.Session(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	if s.Checkin != at.UnixMilli() {
		t.Errorf("the check-in's run names %v; want %v", time.UnixMilli(s.Checkin), at)
	}
}

func TestCheckInLeavesAConversationUndisturbed(t *testing.T) {
	cb := newCheckinBot(t)
	ctx := waitCtx(t)
	p := cb.tg.NewPerson("Bo")
	p.Send("hello")
	lastBotText(t, p, "Is it OK")
	n := len(p.BotMessages())
	at := time.Now().Truncate(time.Minute)
	if err := cb.c.Start(ctx, p.User().ID, CheckIn{ID: "ci:2", At: at, Flow: FlowCheckin, Nudge: true}); err != nil {
		t.Fatal(err)
	}
	settle(t, cb, p, n)
	if s, _ := cb.runner.Session(ctx, p.User().ID); s.Flow != "selfreferral" {
		t.Errorf("flow %q after a check-in fell due mid-conversation", s.Flow)
	}
}

func TestCheckInAsksAnOpenCheckInAgain(t *testing.T) {
	cb := newCheckinBot(t)
	ctx := waitCtx(t)
	p := cb.tg.NewPerson("Cy")
	p.Send("/help")
	lastBotText(t, p, "I help you")
	user := p.User().ID
	week1 := time.Now().Add(-14 * 24 * time.Hour).Truncate(time.Minute)
	if err := cb.c.Start(ctx, user, CheckIn{ID: "ci:w1", At: week1, Flow: FlowLoneliness}); err != nil {
		t.Fatal(err)
	}
	lastBotText(t, p, "lack companionship")
	n := len(p.BotMessages())
	if err := cb.c.Start(ctx, user, CheckIn{ID: "ci:w3", At: week1.Add(14 * 24 * time.Hour), Flow: FlowCheckin, Nudge: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitBotMessages(ctx, n+3); err != nil {
		t.Fatal(err)
	}
	got := p.BotMessages()[n:]
	if len(got) != 3 || !strings.Contains(got[0].Text, "still there") || !strings.Contains(got[1].Text, "Hello again") {
		t.Errorf("after a nudge over an open check-in:\n%s", telegramtest.FormatTranscript(p.Transcript()))
	}
	// The answer still names the check-in asked first.
	s, _ := cb.runner.Session(ctx, user)
	if s.Checkin != week1.UnixMilli() {
		t.Errorf("open run names %v; want %v", time.UnixMilli(s.Checkin), week1)
	}
}

func TestReminderOnceAndNotToTheBlocked(t *testing.T) {
	cb := newCheckinBot(t)
	ctx := waitCtx(t)
	p := cb.tg.NewPerson("Di")
	p.Send("hello")
	lastBotText(t, p, "Is it OK")
	user := p.User().ID
	before := len(p.BotMessages())
	// It falls due after the person's last word, whole seconds apart as
	// sessions count time.
	due := time.Now().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(due))
	rm := CheckIn{ID: "rm:1", At: due, Reminder: true}
	if err := cb.c.Start(ctx, user, rm); err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitBotMessages(ctx, before+2); err != nil {
		t.Fatal(err)
	}
	n := len(p.BotMessages())
	if !strings.Contains(p.BotMessages()[n-2].Text, "Hello again") {
		t.Errorf("reminder:\n%s", telegramtest.FormatTranscript(p.Transcript()))
	}
	if err := cb.c.Start(ctx, user, rm); err != nil {
		t.Fatal(err)
	}
	settle(t, cb, p, n)

	if err := cb.st.SetBlocked(ctx, user, true); err != nil {
		t.Fatal(err)
	}
	err := cb.c.Start(ctx, user, CheckIn{ID: "ci:3", At: due, Flow: FlowCheckin})
	if !errors.Is(err, ErrBlocked) {
		t.Errorf("check-in to a person who blocked the bot: %v, want ErrBlocked", err)
	}
}
