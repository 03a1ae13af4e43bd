package service

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"signpost/bot"
	"signpost/content"
	"signpost/flows"
	"signpost/handoff"
	"signpost/hours"
	"signpost/internal/redistest"
	"signpost/internal/telegramtest"
	"signpost/internal/testclock"
	"signpost/store"
)

// rig is the service with its Telegram bot on the fake Bot API, a settable
// clock and a link workers' group, for end-to-end tests that stay in this
// package: faster than starting serve.
type rig struct {
	t       *testing.T
	ctx     context.Context
	tg      *telegramtest.Server
	st      *store.Store
	svc     *Service
	b       *bot.Bot
	clock   *testclock.Clock
	alice   *telegramtest.Person // a link worker
	workers *telegramtest.Group
	// dan is on call; eve is a duty manager in the escalation group.
	dan, eve *telegramtest.Person
	managers *telegramtest.Group
	logs     *logBuffer
	n        int
}

// rigOptions change what newRig builds.
type rigOptions struct {
	// workers is the link workers' group; nil: a fresh supergroup with the
	// bot in it.
	workers func(tg *telegramtest.Server, alice *telegramtest.Person) *telegramtest.Group
	// config adjusts the service's settings.
	config func(*Config)
	// onCall gives the service an on-call chat (Dan's private chat with the
	// bot) and an escalation group (the duty managers', Eve in it).
	onCall bool
}

func newRig(t *testing.T, start time.Time, opt rigOptions) *rig {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	bundle, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	clock := testclock.New(start)
	tg := telegramtest.NewServer(t)
	alice := tg.AddPerson(telegramtest.User{FirstName: "Alice", Username: "alice_lw"})
	var workers *telegramtest.Group
	if opt.workers != nil {
		workers = opt.workers(tg, alice)
	} else {
		workers = tg.NewGroup("Link workers", alice)
		workers.AddBot(alice)
	}
	cal, err := hours.Load("", "", "", start.Location())
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	cfg := Config{
		Groups:        map[handoff.Team]int64{handoff.TeamLinkWorkers: workers.ID()},
		Teams:         handoff.AuthConfig{LinkWorkers: []int64{alice.User().ID}},
		Location:      start.Location(),
		Calendar:      cal,
		Now:           clock.Now,
		ReminderEvery: 20 * time.Millisecond,
		Logger:        log,
	}
	groups := []int64{workers.ID()}
	var dan, eve *telegramtest.Person
	var managers *telegramtest.Group
	if opt.onCall {
		dan, eve = tg.NewPerson("Dan"), tg.NewPerson("Eve")
		dan.Send("/help")
		managers = tg.NewGroup("Duty managers", eve)
		managers.AddBot(eve)
		cfg.OnCall, cfg.Escalate = dan.ID(), managers.ID()
		groups = append(groups, managers.ID())
	}
	if opt.config != nil {
		opt.config(&cfg)
	}
	runner := flows.NewRunner(st, bundle, flows.Config{Now: clock.Now, Hours: cal.Promise, Logger: log})
	svc, err := New(cfg, st, runner)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Config{
		Token: tg.Token(), APIURL: tg.URL(), Groups: groups,
		Limits:       bot.Limits{Global: 1000, PerChat: 100, ChatBurst: 100, PerGroupMinute: 100000},
		SendTimeout:  2 * time.Second,
		SweepEvery:   100 * time.Millisecond,
		RefusedRetry: 100 * time.Millisecond,
		Logger:       log,
	}, runner, st, svc.Effects())
	if err != nil {
		t.Fatal(err)
	}
	svc.Attach(b, bot.LinkWorkersConfig{Conversation: svc.ForConversation})
	ctx, cancel := context.WithCancel(context.Background())
	svc.Start(ctx)
	polled := make(chan error, 1)
	go func() { polled <- b.Poll(ctx) }()
	r := &rig{t: t, ctx: ctx, tg: tg, st: st, svc: svc, b: b, clock: clock, alice: alice, workers: workers, logs: logs, dan: dan, eve: eve, managers: managers}
	t.Cleanup(func() {
		cancel()
		stop, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		_ = svc.Shutdown(stop)
		<-polled
		_ = b.Shutdown(stop)
		if t.Failed() {
			t.Logf("log:\n%s", logs.String())
		}
	})
	return r
}

// logBuffer is a log the service's loops write while the test reads it.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// person is someone who has started a chat with the bot.
func (r *rig) person(name string) *telegramtest.Person {
	p := r.tg.NewPerson(name)
	p.Send("/start")
	return p
}

// referral makes a referral for p, as the end of the questionnaire does.
func (r *rig) referral(p *telegramtest.Person, answers map[string]string) string {
	r.t.Helper()
	r.n++
	run := fmt.Sprintf("run%05d", r.n)
	eff := flows.Effect{Kind: content.ActionReferral, Key: run + ":referral", User: p.ID(), Run: run, Ref: flows.Ref(run), Lang: "en", Consent: true, Answers: answers}
	if err := r.svc.Effects().Run(r.ctx, eff); err != nil {
		r.t.Fatal(err)
	}
	return flows.Ref(run)
}

// flag raises an urgent flag for p, as crisis words do.
func (r *rig) flag(p *telegramtest.Person) {
	r.t.Helper()
	r.n++
	run := fmt.Sprintf("run%05d", r.n)
	eff := flows.Effect{Kind: flows.EffectUrgent, Key: run + ":urgent:1", User: p.ID(), Run: run, Ref: flows.Ref(run), Lang: "en", Consent: true, Text: "I can't go on", Answers: map[string]string{"name": "Sam"}}
	if err := r.svc.Effects().Run(r.ctx, eff); err != nil {
		r.t.Fatal(err)
	}
}

// refOf is the reference of p's open referral.
func (r *rig) refOf(p *telegramtest.Person) string {
	r.t.Helper()
	var ref string
	var ok bool
	var err error
	// The person may be answered before the effect that makes the
	// referral has run.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ref, ok, err = r.svc.Desk().OpenCaseOf(r.ctx, p.ID()); err != nil || ok {
			break
		}
	}
	if err != nil || !ok {
		r.t.Fatalf("no open referral for %d: %v", p.ID(), err)
	}
	return ref
}

// cards are the bot's messages in g that show ref, oldest first.
func cards(g *telegramtest.Group, ref string) []telegramtest.Entry {
	var out []telegramtest.Entry
	for _, e := range g.BotMessages() {
		if strings.Contains(e.Text, ref) && strings.Contains(e.Text, " · ") {
			out = append(out, e)
		}
	}
	return out
}

// waitFor waits up to a few seconds for cond.
func (r *rig) waitFor(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			r.t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// set moves the clock to t and gives the loops a moment to act on it.
func (r *rig) set(t time.Time) {
	r.clock.Set(t)
	r.settle()
}

// gauges are the service's queue metrics as a scrape would read them:
// name{label=value,...} to value.
func (r *rig) gauges() map[string]float64 {
	r.t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(r.svc.Collector())
	mfs, err := reg.Gather()
	if err != nil {
		r.t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			name := mf.GetName()
			if len(m.GetLabel()) > 0 {
				var ls []string
				for _, l := range m.GetLabel() {
					ls = append(ls, l.GetName()+"="+l.GetValue())
				}
				name += "{" + strings.Join(ls, ",") + "}"
			}
			out[name] = m.GetGauge().GetValue()
		}
	}
	return out
}

// settle gives the loops a moment to act (or not) on the clock as it is.
func (r *rig) settle() { time.Sleep(150 * time.Millisecond) }
