package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"signpost/internal/telegramtest"
)

// deliveryRun is what people and the link workers' group were sent in one
// run of deliveryScenario: each person's bot messages in order, and the
// cards in the group, with references replaced so that runs compare.
type deliveryRun struct {
	people [][]string
	cards  []string
}

// deliveryScenario has n people start the conversation and agree to it;
// then fault is armed (it returns once the fault is over), and meanwhile
// each person gives a name and writes words of crisis, which makes an
// urgent card in the group. It waits until each person has had want[i]
// bot messages and the group has want cards (or, with no want, until
// everything went quiet) and returns what was sent.
func deliveryScenario(t *testing.T, settings map[string]string, n int, fault func(h *handoffBench), want *deliveryRun) deliveryRun {
	t.Helper()
	tg := telegramtest.NewServer(t, telegramtest.WithRateLimits(telegramtest.TelegramRateLimits()))
	env := map[string]string{"SEND_RATE": "30", "CHAT_RATE": "1"}
	for k, v := range settings {
		env[k] = v
	}
	h := startHandoff(t, tg, env)
	people := make([]*telegramtest.Person, n)
	for i := range people {
		people[i] = tg.NewPerson(fmt.Sprintf("P%d", i))
		people[i].Send("/start")
	}
	for _, p := range people {
		expect(t, p, "Is it OK for us to keep your answers")
		press(t, tg, p, "Yes, that's OK")
		expect(t, p, "call you?")
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		fault(h)
	}()
	for i, p := range people {
		p.Send(fmt.Sprintf("Name%d", i))
		p.Send("I want to die")
	}
	wg.Wait()
	if want != nil {
		for i, p := range people {
			if _, err := p.WaitBotMessages(longCtx(t), len(want.people[i])); err != nil {
				t.Fatalf("person %d: %v", i, err)
			}
		}
		if _, err := h.workers.WaitBotMessages(longCtx(t), len(want.cards)); err != nil {
			t.Fatalf("cards: %v", err)
		}
	} else {
		for _, p := range people {
			expectSaid(t, p, "116 123")
		}
		if _, err := h.workers.WaitBotMessages(longCtx(t), n); err != nil {
			t.Fatalf("cards: %v", err)
		}
	}
	// Wait until nothing more comes: anything sent twice would come now.
	count := func() int {
		c := len(h.workers.BotMessages())
		for _, p := range people {
			c += len(p.BotMessages())
		}
		return c
	}
	for last := -1; ; {
		c := count()
		if c == last {
			break
		}
		last = c
		time.Sleep(2 * time.Second)
	}
	var run deliveryRun
	for _, p := range people {
		var texts []string
		for _, e := range p.BotMessages() {
			texts = append(texts, refIn.ReplaceAllString(e.Text, "R-?"))
		}
		run.people = append(run.people, texts)
	}
	for _, e := range h.workers.BotMessages() {
		card := refIn.ReplaceAllString(e.Text, "R-?")
		if hasButton(e, "Claim") {
			card += " [Claim]"
		}
		run.cards = append(run.cards, card)
	}
	for _, a := range tg.WebhookAttempts() {
		if a.Status != http.StatusOK {
			t.Errorf("the webhook answered update %d with %d (%s)", a.UpdateID, a.Status, a.Err)
		}
	}
	return run
}

// longCtx allows for a minute of faults.
func longCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// checkSameRun compares a run under faults with the run without them:
// every message and card sent exactly once, in the same order.
func checkSameRun(t *testing.T, want, got deliveryRun) {
	t.Helper()
	for i := range want.people {
		if diff := cmp.Diff(want.people[i], got.people[i]); diff != "" {
			t.Errorf("person %d's messages under faults (-without +with):\n%s", i, diff)
		}
	}
	if diff := cmp.Diff(want.cards, got.cards, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("cards under faults (-without +with):\n%s", diff)
	}
}

// TestBotAPIHangsThirtySeconds: every call to the Bot API hangs for 30
// seconds, longer than a call may take and than a delivery lease lasts
// unrenewed. The webhook still answers at once, since an update is answered
// once committed; and once the Bot API is back every message and card
// arrives exactly once, in order. "At once" is held to half SEND_TIMEOUT
// (10 s), the least a webhook waiting on a hung call would take: at rest it
// answers in milliseconds, but under the race detector on a loaded machine
// one commit has taken over a second.
func TestBotAPIHangsThirtySeconds(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("takes 40 seconds")
	}
	const n = 3
	want := deliveryScenario(t, nil, n, func(*handoffBench) {}, nil)
	got := deliveryScenario(t, nil, n, func(h *handoffBench) {
		h.tg.AddFault(telegramtest.Fault{Times: -1, Delay: 30 * time.Second})
		hung := time.Now()
		// While it hangs: a webhook call is answered at once, twice over.
		for i := range 2 {
			time.Sleep(2 * time.Second)
			start := time.Now()
			code := postUpdate(t, h.addr, hookSecret, webhookUpdate(int64(990000+i), int64(880000+i), "hello"))
			took := time.Since(start)
			t.Logf("while the Bot API hangs, the webhook answered %d after %v", code, took)
			if code != http.StatusOK || took >= 5*time.Second {
				t.Errorf("while the Bot API hangs, the webhook answered %d after %v; want 200 well within SEND_TIMEOUT (10s)", code, took)
			}
		}
		time.Sleep(time.Until(hung.Add(30 * time.Second)))
		h.tg.ClearFaults()
	}, &want)
	checkSameRun(t, want, got)
}

// TestBotAPIAnswers429And500InTurn: sendMessage is refused with 429 and
// 500 by turns: each message still arrives once, in order.
func TestBotAPIAnswers429And500InTurn(t *testing.T) {
	t.Parallel()
	const n = 3
	want := deliveryScenario(t, nil, n, func(*handoffBench) {}, nil)
	got := deliveryScenario(t, nil, n, func(h *handoffBench) {
		for range 4 {
			h.tg.TooManyRequests("sendMessage", 1, 1)
			h.tg.FailNext("sendMessage", 1, http.StatusInternalServerError)
		}
	}, &want)
	checkSameRun(t, want, got)
}

// TestGroupSlotWaitLongerThanLease: the group may take a message every
// three seconds and a delivery lease lasts one: each card still reaches the
// group once, with one Claim button, since a group's message waits for its
// slot before its outbox is leased.
func TestGroupSlotWaitLongerThanLease(t *testing.T) {
	t.Parallel()
	const n = 4
	settings := map[string]string{"GROUP_RATE_PER_MINUTE": "20", "SEND_TIMEOUT": "500ms", "DELIVERY_LEASE": "1s"}
	got := deliveryScenario(t, settings, n, func(*handoffBench) {}, nil)
	claims := 0
	for _, c := range got.cards {
		if strings.HasSuffix(c, "[Claim]") {
			claims++
		}
	}
	if len(got.cards) != n || claims != n {
		t.Errorf("%d cards with %d Claim buttons for %d urgent referrals, want one each:\n%s", len(got.cards), claims, n, strings.Join(got.cards, "\n---\n"))
	}
}
