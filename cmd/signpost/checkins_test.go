package main

import (
	"context"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/internal/redistest"
	"signpost/internal/telegramtest"
	"signpost/internal/testclock"
	"signpost/scheduler"
)

// checkinBench is serve with a link workers' group, the scheduler it built
// and the scheduler's clock.
type checkinBench struct {
	*bench
	sched   *scheduler.Scheduler
	clock   *testclock.Clock
	workers *telegramtest.Group
	worker  *telegramtest.Person // in LINKWORKER_IDS
	london  *time.Location
}

// startCheckins runs serve on a clock that starts on Monday 3 June 2030 at
// noon in London: every instant the tests reach lies ahead of the real
// clock, which the conversation itself keeps.
func startCheckins(t *testing.T, settings map[string]string) *checkinBench {
	t.Helper()
	return startCheckinsOn(t, redistest.SingleTopology(t), settings)
}

// startCheckinsOn is startCheckins on a Redis deployment of the test's choosing.
func startCheckinsOn(t *testing.T, tp *redistest.Topology, settings map[string]string) *checkinBench {
	t.Helper()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	clock := testclock.New(time.Date(2030, 6, 3, 12, 0, 0, 0, london))

	tg := telegramtest.NewServer(t)
	worker := tg.NewPerson("Lin")
	workers := tg.NewGroup("Link workers", worker)
	workers.AddBot(worker)
	env := map[string]string{
		"LINKWORKER_CHAT_ID": strconv.FormatInt(workers.ID(), 10),
		"LINKWORKER_IDS":     strconv.FormatInt(worker.User().ID, 10),
		// As on the handoff bench: the fake group takes messages as fast as
		// they come. At the default (20 a minute, Telegram's) each card,
		// redraw and reply waits up to 3 s for the group's slot, and a test
		// that waits on several in turn neared testCtx on a loaded machine.
		"GROUP_RATE_PER_MINUTE": "100000",
	}
	for k, v := range settings {
		env[k] = v
	}
	b := startBotOn(t, tp, tg, env, serveOptions{now: clock.Now})
	return &checkinBench{bench: b, sched: b.svc.Scheduler(), clock: clock, workers: workers, worker: worker, london: london}
}

// tick runs the scheduler at instant at, as cron would.
func (cb *checkinBench) tick(at time.Time) scheduler.Stats {
	cb.t.Helper()
	cb.clock.Set(at)
	st, err := cb.sched.Tick(context.Background(), at)
	if err != nil {
		cb.t.Fatal(err)
	}
	return st
}

// next is the person's next check-in; it fails the test if none is queued.
func (cb *checkinBench) next(user int64) time.Time {
	cb.t.Helper()
	_, next, err := cb.sched.Get(context.Background(), user)
	if err != nil || next.IsZero() {
		cb.t.Fatalf("no check-in queued for %d: %v", user, err)
	}
	return next
}

// flags waits for the link workers' group to hold n messages from the bot.
func (cb *checkinBench) flags(n int) {
	cb.t.Helper()
	if _, err := cb.workers.WaitBotMessages(testCtx(cb.t), n); err != nil {
		cb.t.Fatalf("waiting for flag %d in the link workers' group: %v\n%s", n, err, telegramtest.FormatTranscript(cb.workers.Transcript()))
	}
}

// noMoreFlags checks, after a moment, that the group holds n bot messages.
func (cb *checkinBench) noMoreFlags(n int) {
	cb.t.Helper()
	time.Sleep(300 * time.Millisecond)
	if got := len(cb.workers.BotMessages()); got != n {
		cb.t.Errorf("%d messages in the link workers' group, want %d:\n%s", got, n, telegramtest.FormatTranscript(cb.workers.Transcript()))
	}
}

// referForCheckins takes p through the self-referral with weekly check-ins and no
// link worker.
func referForCheckins(t *testing.T, tg *telegramtest.Server, p *telegramtest.Person, careLeaver bool) {
	t.Helper()
	p.Send("/start")
	expect(t, p, "Is it OK for us to keep your answers")
	press(t, tg, p, "Yes, that's OK")
	expect(t, p, "What would you like us to call you?")
	p.Send("Rae")
	expect(t, p, "How old are you?")
	if careLeaver {
		press(t, tg, p, "17 to 25")
		expect(t, p, "leaving care")
		press(t, tg, p, "Yes")
	} else {
		press(t, tg, p, "26 to 49")
	}
	expect(t, p, "What matters to you most")
	press(t, tg, p, "Skip")
	expect(t, p, "In the last two weeks")
	press(t, tg, p, "No")
	expect(t, p, "What would you like help with?")
	press(t, tg, p, "Feeling lonely")
	press(t, tg, p, "Done")
	expect(t, p, "How did you hear about us?")
	press(t, tg, p, "My GP or surgery")
	expect(t, p, "four short questions")
	press(t, tg, p, "Skip these")
	expect(t, p, "postcode")
	press(t, tg, p, "Skip")
	expect(t, p, "Would you like a link worker to get in touch")
	press(t, tg, p, "Not now")
	press(t, tg, p, "Yes please") // weekly messages
	expect(t, p, "three short questions about feeling lonely")
	press(t, tg, p, "Not now")
	expect(t, p, "Here is what you told us")
	press(t, tg, p, "Yes, that's right")
	tr, err := p.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool {
		last := lastBotEntry(tr)
		return buttonData(last, "Carry on") != "" || strings.Contains(last.Text, "We have not passed these answers")
	})
	if err != nil {
		t.Fatal(err)
	}
	if buttonData(lastBotEntry(tr), "Carry on") != "" {
		press(t, tg, p, "Carry on")
	}
	expect(t, p, "We have not passed these answers")
}

func lastBotEntry(tr []telegramtest.Entry) telegramtest.Entry {
	for i := len(tr) - 1; i >= 0; i-- {
		if tr[i].FromBot {
			return tr[i]
		}
	}
	return telegramtest.Entry{}
}

// enrolled waits until the effects of the end of the self-referral enrolled
// the person.
func (cb *checkinBench) enrolled(user int64) scheduler.Enrolment {
	cb.t.Helper()
	var e scheduler.Enrolment
	waitUntil(cb.t, func() bool {
		var err error
		e, _, err = cb.sched.Get(context.Background(), user)
		return err == nil
	}, "enrolled in check-ins")
	return e
}

func TestCareLeaverCheckInsAndFlags(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	tg := cb.tg
	rae := tg.NewPerson("Rae")
	user := rae.User().ID
	referForCheckins(t, tg, rae, true)

	e := cb.enrolled(user)
	if want := scheduler.DefaultEnrolment(); e != want {
		t.Errorf("enrolment %+v, want the default %+v", e, want)
	}
	first := cb.next(user)
	if l := first.In(cb.london); l.Weekday() != time.Tuesday || l.Hour() < 10 || l.Hour() >= 12 {
		t.Errorf("first check-in at %v, want Tuesday 10:00-12:00 London", l)
	}

	// The first check-in of June asks the three loneliness questions.
	cb.tick(first)
	for _, q := range []string{"lack companionship", "feel left out", "isolated from others"} {
		got := expect(t, rae, q)
		if buttonData(got, "Hardly ever or never") == "" || buttonData(got, "Often") == "" {
			t.Errorf("%q lacks its labelled answers", q)
		}
		press(t, tg, rae, map[string]string{"lack companionship": "Often", "feel left out": "Some of the time", "isolated from others": "Often"}[q])
	}
	expect(t, rae, "Thank you for answering")
	cb.flags(1) // 3 + 2 + 3 = 8: lonely

	// Then the weekly question: "not great" once is no flag, but offers a
	// link worker at once...
	cb.tick(cb.next(user))
	week := expect(t, rae, "How are things this week?")
	for _, label := range []string{"Good", "Okay", "Not great", "I'd like to talk to someone"} {
		if buttonData(week, label) == "" {
			t.Errorf("no %q button", label)
		}
	}
	press(t, tg, rae, "Not great")
	expect(t, rae, "anything you'd like to tell us")
	rae.Send("Rough week")
	expect(t, rae, "Would you like a link worker to get in touch?")
	press(t, tg, rae, "Not now")
	end := expect(t, rae, "I'm sorry things are hard")
	if !strings.Contains(end.Text, "/talk") || strings.Contains(end.Text, "/restart") {
		t.Errorf("the ending does not point to /talk: %q", end.Text)
	}
	cb.noMoreFlags(1)

	// ...twice in three weeks is flagged, and this time Rae says yes: a
	// high-priority request with how to reach her, not a crisis.
	cb.tick(cb.next(user))
	expect(t, rae, "How are things this week?")
	press(t, tg, rae, "Not great")
	press(t, tg, rae, "Skip")
	cb.flags(2)
	expect(t, rae, "Would you like a link worker to get in touch?")
	press(t, tg, rae, "Yes please")
	expect(t, rae, "How would you like them to contact you?")
	press(t, tg, rae, "Message me here")
	expect(t, rae, "When is a good time")
	press(t, tg, rae, "Any time")
	expect(t, rae, "let a link worker know")
	cb.flags(3)
	card := cb.workers.BotMessages()[0].Text
	for _, want := range []string{"Priority: high", `"not great" at two of the last three check-ins`, "asked for a link worker to get in touch", "lonely on the monthly"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, "URGENT") || strings.Contains(card, "Rae") {
		t.Errorf("card is urgent or names the person:\n%s", card)
	}

	// Asking to talk is flagged at once; how to reach her is known now.
	cb.tick(cb.next(user))
	expect(t, rae, "How are things this week?")
	press(t, tg, rae, "I'd like to talk to someone")
	press(t, tg, rae, "Skip")
	expect(t, rae, "let a link worker know")
	cb.flags(4)
	cb.noMoreFlags(4)

	hist, err := cb.sched.History(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hist {
		got = append(got, string(h.Status)+":"+string(h.Form)+":"+string(h.Mood)+":"+h.Text)
	}
	want := "answered:loneliness::|answered:weekly:not_great:Rough week|answered:weekly:not_great:|answered:weekly:talk:"
	if strings.Join(got, "|") != want {
		t.Errorf("history\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	if len(hist) > 0 && fmtInts(hist[0].Loneliness) != "3 2 3" {
		t.Errorf("loneliness scores %v, want [3 2 3]", hist[0].Loneliness)
	}
}

func fmtInts(xs []int) string {
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(x))
	}
	return b.String()
}

func TestThreeUnansweredCheckInsNudgeOnceAndFlag(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	sid := cb.tg.NewPerson("Sid")
	user := sid.User().ID
	referForCheckins(t, cb.tg, sid, false)
	cb.enrolled(user)

	// Five weeks of silence: the first check-in stays open and is asked
	// again; the fourth follows three unanswered and nudges.
	for week := 1; week <= 5; week++ {
		n := len(sid.BotMessages())
		cb.tick(cb.next(user))
		if _, err := sid.WaitBotMessages(testCtx(t), n+1); err != nil {
			t.Fatalf("week %d: %v", week, err)
		}
		expect(t, sid, "lack companionship")
	}
	cb.flags(1)
	cb.noMoreFlags(1)
	nudges := 0
	for _, m := range sid.BotMessages() {
		if strings.Contains(m.Text, "still there") {
			nudges++
		}
	}
	if nudges != 1 {
		t.Errorf("%d nudges, want 1:\n%s", nudges, telegramtest.FormatTranscript(sid.Transcript()))
	}
	hist, _ := cb.sched.History(context.Background(), user)
	unanswered := 0
	for _, h := range hist {
		if h.Status == scheduler.StatusUnanswered {
			unanswered++
		}
	}
	if unanswered != 4 {
		t.Errorf("%d check-ins unanswered, want 4 (the fifth awaits its answer): %+v", unanswered, hist)
	}
}

func TestBlockingPausesCheckIns(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	bo := cb.tg.NewPerson("Bo")
	user := bo.User().ID
	referForCheckins(t, cb.tg, bo, false)
	cb.enrolled(user)

	bo.Block()
	waitUntil(t, func() bool {
		e, next, err := cb.sched.Get(context.Background(), user)
		return err == nil && e.Blocked && next.IsZero()
	}, "check-ins held after blocking")
	bo.Unblock()
	waitUntil(t, func() bool {
		e, next, err := cb.sched.Get(context.Background(), user)
		return err == nil && !e.Blocked && !next.IsZero()
	}, "check-ins back after unblocking")
}

// TestCareLeaverWhoBlocksTheBot: Telegram answers a check-in with 403 (the
// person blocked the bot, and no update said so): the check-ins stop and
// the leaving-care team's group hears of it once, however often the block
// is seen again.
func TestCareLeaverWhoBlocksTheBot(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	kim := cb.tg.NewPerson("Kim")
	user := kim.User().ID
	referForCheckins(t, cb.tg, kim, true)
	cb.enrolled(user)

	cb.tg.AddFault(telegramtest.Fault{Method: "sendMessage", ChatID: user, Status: 403, Description: "Forbidden: bot was blocked by the user", Times: -1})
	cb.tick(cb.next(user))
	waitUntil(t, func() bool {
		e, next, err := cb.sched.Get(context.Background(), user)
		return err == nil && e.Blocked && next.IsZero()
	}, "check-ins held after a 403")
	cb.flags(1)
	card := cb.workers.BotMessages()[0].Text
	if !strings.Contains(card, "a care leaver blocked the bot") || !strings.Contains(card, "Priority: high") || strings.Contains(card, "Kim") {
		t.Errorf("card:\n%s", card)
	}
	// Telegram's own word of the block comes later: nothing more is raised.
	kim.Block()
	cb.tick(cb.clock.Now().Add(7 * 24 * time.Hour))
	if n := cb.rdb.ZCard(context.Background(), cb.prefix+":{handoff}:all").Val(); n != 1 {
		t.Errorf("%d referrals after a repeat of the flag, want the one", n)
	}
}

// TestTalk: /talk asks for a link worker at any point, without the
// questionnaire: from someone who never began (agreement and a name
// first), and from someone halfway through it, whose answers go with it.
func TestTalk(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	tg := cb.tg
	ann := tg.NewPerson("Ann")
	ann.Send("/talk")
	expect(t, ann, "we need to keep your name and how to reach you")
	press(t, tg, ann, "Yes, that's OK")
	expect(t, ann, "What would you like us to call you?")
	ann.Send("Ann")
	expect(t, ann, "How would you like them to contact you?")
	press(t, tg, ann, "Phone call")
	expect(t, ann, "What number should they use?")
	ann.Send("07700 900123")
	expect(t, ann, "When is a good time")
	press(t, tg, ann, "Mornings")
	expect(t, ann, "We have asked a link worker to get in touch")
	cb.flags(1)
	card := cb.workers.BotMessages()[0].Text
	if !strings.Contains(card, "Priority: high (asked for a link worker to get in touch)") || strings.Contains(card, "URGENT") || strings.Contains(card, "Ann") {
		t.Errorf("card:\n%s", card)
	}

	bea := tg.NewPerson("Bea")
	bea.Send("/start")
	expect(t, bea, "Is it OK for us to keep your answers")
	press(t, tg, bea, "Yes, that's OK")
	expect(t, bea, "What would you like us to call you?")
	bea.Send("Bea")
	expect(t, bea, "How old are you?")
	press(t, tg, bea, "50 to 64")
	expect(t, bea, "What matters to you most")
	bea.Send("/talk")
	expect(t, bea, "How would you like them to contact you?")
	press(t, tg, bea, "Message me here")
	expect(t, bea, "When is a good time")
	press(t, tg, bea, "Any time")
	expect(t, bea, "We have asked a link worker to get in touch")
	cb.flags(2)
	for _, m := range append(ann.BotMessages(), bea.BotMessages()...) {
		if strings.Contains(m.Text, "/restart") {
			t.Errorf("told to /restart: %q", m.Text)
		}
	}
}

// TestTriageEndToEnd: a care leaver's answers set off each triage rule;
// "no" to somewhere safe to sleep tonight gets its own response and an
// urgent card at once, before the conversation ends; the finished referral's
// card shows every reason, and nothing that says who the person is.
func TestTriageEndToEnd(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	tg := cb.tg
	tia := tg.NewPerson("Tia")
	tia.Send("/start")
	expect(t, tia, "Is it OK for us to keep your answers")
	press(t, tg, tia, "Yes, that's OK")
	expect(t, tia, "What would you like us to call you?")
	tia.Send("Tia")
	expect(t, tia, "How old are you?")
	press(t, tg, tia, "17 to 25")
	expect(t, tia, "leaving care")
	press(t, tg, tia, "Yes")
	expect(t, tia, "What matters to you most")
	press(t, tg, tia, "Skip")
	expect(t, tia, "better off dead")
	press(t, tg, tia, "No")
	expect(t, tia, "What would you like help with?")
	for _, need := range []string{"Money and debt", "Housing", "Feeling lonely", "Done"} {
		press(t, tg, tia, need)
	}
	expect(t, tia, "in the next eight weeks")
	press(t, tg, tia, "Yes")
	expect(t, tia, "Do you have somewhere safe to sleep tonight?")
	press(t, tg, tia, "No")
	expectSaid(t, tia, "0808 800 4444")
	cb.flags(1)
	if card := cb.workers.BotMessages()[0].Text; !strings.HasPrefix(card, "URGENT") || !strings.Contains(card, "nowhere safe to sleep tonight") {
		t.Errorf("card at once:\n%s", card)
	}
	expect(t, tia, "Are you safe right now?")
	press(t, tg, tia, "Yes")
	expect(t, tia, "housing options team")
	press(t, tg, tia, "Yes, please pass them on")
	expect(t, tia, "worried about right now")
	press(t, tg, tia, "Yes")
	expect(t, tia, "a letter from a court, or from bailiffs")
	press(t, tg, tia, "Yes")
	expect(t, tia, "How did you hear about us?")
	press(t, tg, tia, "My Personal Adviser or leaving-care team")
	expect(t, tia, "four short questions")
	press(t, tg, tia, "OK")
	for _, n := range []string{"1", "5", "5", "5"} {
		expect(t, tia, "Choose a number")
		press(t, tg, tia, n)
	}
	expect(t, tia, "postcode")
	press(t, tg, tia, "Skip")
	expect(t, tia, "Would you like a link worker to get in touch")
	press(t, tg, tia, "Yes please")
	press(t, tg, tia, "Message me here")
	press(t, tg, tia, "Any time")
	expect(t, tia, "short, friendly message each week")
	press(t, tg, tia, "No thanks")
	expect(t, tia, "Here is what you told us")
	press(t, tg, tia, "Yes, that's right")
	tr, err := tia.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool {
		last := lastBotEntry(tr)
		return buttonData(last, "Carry on") != "" || strings.Contains(last.Text, "We have sent your answers to")
	})
	if err != nil {
		t.Fatal(err)
	}
	if buttonData(lastBotEntry(tr), "Carry on") != "" {
		press(t, tg, tia, "Carry on")
	}
	expect(t, tia, "We have sent your answers to")
	want := []string{"Priority: urgent (", "could lose their home within 56 days", "nowhere safe to sleep tonight", "a care leaver who is lonely",
		"wellbeing answers at the worst end", "a debt with a court or bailiff letter"}
	has := func() bool {
		for _, w := range want {
			if !strings.Contains(cb.workers.BotMessages()[0].Text, w) {
				return false
			}
		}
		return true
	}
	waitUntil(t, has, "the card with every reason")
	if card := cb.workers.BotMessages()[0].Text; strings.Contains(card, "Tia") {
		t.Errorf("the card names the person:\n%s", card)
	}
}

func TestUnfinishedSelfReferralRemindedOnce(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	tg := cb.tg
	jo := tg.NewPerson("Jo")
	jo.Send("/start")
	expect(t, jo, "Is it OK")
	press(t, tg, jo, "Yes, that's OK")
	expect(t, jo, "What would you like us to call you?")
	jo.Send("Jo")
	expect(t, jo, "How old are you?")
	start := cb.clock.Now()
	n := len(jo.BotMessages())

	if st := cb.tick(start.Add(23 * time.Hour)); st.Reminded != 0 {
		t.Errorf("reminded after 23 hours: %+v", st)
	}
	cb.tick(start.Add(24*time.Hour + time.Minute))
	if _, err := jo.WaitBotMessages(testCtx(t), n+2); err != nil {
		t.Fatal(err)
	}
	got := jo.BotMessages()[n:]
	if !strings.Contains(got[0].Text, "Hello again") || !strings.Contains(got[1].Text, "How old are you?") {
		t.Errorf("reminder:\n%s", telegramtest.FormatTranscript(jo.Transcript()))
	}
	for _, d := range []time.Duration{48 * time.Hour, 72 * time.Hour, 8 * 24 * time.Hour} {
		if st := cb.tick(start.Add(d)); st.Reminded != 0 {
			t.Errorf("reminded again after %v: %+v", d, st)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if got := len(jo.BotMessages()); got != n+2 {
		t.Errorf("%d messages after the reminder, want %d", got, n+2)
	}
}

func TestCheckinsCommand(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	tg := cb.tg
	kim := tg.NewPerson("Kim")
	user := kim.User().ID
	referForCheckins(t, tg, kim, false)
	cb.enrolled(user)
	get := func() (scheduler.Enrolment, time.Time) {
		e, next, err := cb.sched.Get(context.Background(), user)
		if err != nil {
			t.Fatal(err)
		}
		return e, next
	}

	kim.Send("/checkins")
	expect(t, kim, "What would you like to do with your weekly messages?")
	press(t, tg, kim, "Change the day or time")
	expect(t, kim, "Which day")
	press(t, tg, kim, "Friday")
	expect(t, kim, "What time of day?")
	press(t, tg, kim, "Afternoon, 2pm to 4pm")
	expect(t, kim, "now come on Friday, Afternoon, 2pm to 4pm")
	waitUntil(t, func() bool { e, _ := get(); return e.Day == time.Friday }, "day changed")
	e, next := get()
	if e.Window != (scheduler.Window{From: scheduler.Clock(14, 0), To: scheduler.Clock(16, 0)}) {
		t.Errorf("window %v, want 14:00-16:00", e.Window)
	}
	if l := next.In(cb.london); l.Weekday() != time.Friday || l.Hour() < 14 || l.Hour() >= 16 {
		t.Errorf("next check-in %v, want a Friday afternoon", l)
	}

	kim.Send("/checkins")
	press(t, tg, kim, "Take a break for two weeks")
	expect(t, kim, "take a break for two weeks")
	waitUntil(t, func() bool { e, _ := get(); return !e.PausedUntil.IsZero() }, "paused")
	e, next = get()
	if want := cb.clock.Now().Add(14 * 24 * time.Hour); !e.PausedUntil.Equal(want) || next.Before(want) {
		t.Errorf("paused until %v with next %v, want until %v", e.PausedUntil, next, want)
	}

	kim.Send("/checkins")
	press(t, tg, kim, "Stop them")
	expect(t, kim, "won't send you weekly messages")
	waitUntil(t, func() bool { e, next := get(); return e.Stopped && next.IsZero() }, "stopped")

	kim.Send("/checkins")
	press(t, tg, kim, "Start them again")
	expect(t, kim, "start again on your usual day")
	waitUntil(t, func() bool { e, next := get(); return !e.Stopped && !next.IsZero() }, "started again")
}

// TestForgetRemovesScheduleAndHistory erases someone whose check-in was
// sent, answered and flagged: afterwards no key under the prefix names
// them or holds their Telegram id, the counts and marks of the figures
// included, and the figures still count the check-in once.
func TestForgetRemovesScheduleAndHistory(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	tg := cb.tg
	const user = 5550123987 // a Telegram id no time or count could hold
	fay := tg.AddPerson(telegramtest.User{ID: user, FirstName: "Fay"})
	referForCheckins(t, tg, fay, false)
	cb.enrolled(user)
	at := cb.next(user)
	cb.tick(at)
	for _, q := range []string{"lack companionship", "feel left out", "isolated from others"} {
		expect(t, fay, q)
		press(t, tg, fay, "Often")
	}
	expect(t, fay, "Thank you for answering")
	waitUntil(t, func() bool {
		h, _ := cb.sched.History(context.Background(), user)
		return len(h) == 1 && h[0].Status == scheduler.StatusAnswered
	}, "answer recorded")
	cb.flags(1)
	counts := func() map[string]string {
		m, err := cb.rdb.HGetAll(context.Background(), cb.prefix+":{figures}:checkins").Result()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	waitUntil(t, func() bool { return len(counts()) == 3 }, "sent, answered and flagged counted")
	before := counts()

	fay.Send("/forget")
	expect(t, fay, "We have deleted your details")
	waitUntil(t, func() bool {
		_, _, err := cb.sched.Get(context.Background(), user)
		return errors.Is(err, scheduler.ErrNotEnrolled)
	}, "schedule removed")
	if h, err := cb.sched.History(context.Background(), user); err != nil || len(h) != 0 {
		t.Errorf("history after /forget: %v, %v", h, err)
	}
	if st := cb.tick(cb.clock.Now().Add(7 * 24 * time.Hour)); st.Sent != 0 {
		t.Errorf("a check-in was sent after /forget: %+v", st)
	}
	cb.noTraces(t, user)

	// A repeat of the answer after the erasure (a retried effect) is
	// still known by its marks: it counts nothing again and flags nobody.
	if _, err := cb.sched.RecordAnswer(context.Background(), user, scheduler.Answer{
		At: at, Form: scheduler.FormLoneliness, Loneliness: []int{3, 3, 3},
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, counts()); diff != "" {
		t.Errorf("counts after a repeat (-before +after):\n%s", diff)
	}
	if n := cb.rdb.ZCard(context.Background(), cb.prefix+":{handoff}:all").Val(); n != 1 {
		t.Errorf("%d referrals after a repeat of the flag, want the one", n)
	}
}

// TestCheckinSendRate is the send run of the check-ins: many people due at
// once, sent through serve and its limits at a configured 1,000 messages a
// second to the fake Bot API. Every person must get their check-in exactly
// once (two messages: the loneliness questions' introduction and the first
// question), and the rate must hold within 5% of the one configured. By
// default a small run checks only the counts; SIGNPOST_SEND_RUN=N runs N
// people and checks the rate too.
func TestCheckinSendRate(t *testing.T) {
	people, full := 200, false
	if v := os.Getenv("SIGNPOST_SEND_RUN"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("SIGNPOST_SEND_RUN=%q: want a number of people", v)
		}
		people, full = n, true
	}
	const rate = 1000.0
	cb := startCheckins(t, map[string]string{"SEND_RATE": "1000", "CHAT_RATE": "1000", "LOG_LEVEL": "warn"})
	ctx := context.Background()

	// Telegram lets a bot write only to people who wrote first.
	ps := make([]*telegramtest.Person, people)
	for i := range ps {
		ps[i] = cb.tg.NewPerson("P" + strconv.Itoa(i))
		ps[i].Send("/help")
	}
	warm, cancel := context.WithTimeout(ctx, time.Duration(people)*10*time.Millisecond+30*time.Second)
	defer cancel()
	if err := cb.tg.WaitCalls(warm, "sendMessage", people); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	jobs := make(chan int64)
	for range 16 {
		wg.Go(func() {
			for user := range jobs {
				if err := cb.sched.Enrol(ctx, user, scheduler.DefaultEnrolment()); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for _, p := range ps {
		jobs <- p.User().ID
	}
	close(jobs)
	wg.Wait()

	// Every window of the week opens at 10:00 and is over by noon.
	start := time.Now()
	stats := cb.tick(time.Date(2030, 6, 4, 12, 0, 0, 0, cb.london))
	if stats.Sent != people {
		t.Errorf("tick sent %d check-ins, want %d: %+v", stats.Sent, people, stats)
	}
	claimed := time.Since(start)
	want := 2 * people
	done, cancel2 := context.WithTimeout(ctx, time.Duration(float64(want)/rate*1.5*float64(time.Second))+30*time.Second)
	defer cancel2()
	if err := cb.tg.WaitCalls(done, "sendMessage", people+want); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // anything sent twice would arrive now

	ours := map[int64]bool{}
	for _, p := range ps {
		ours[p.User().ID] = true
	}
	per := map[int64]int{}
	var times []time.Time
	for _, r := range cb.tg.Requests() {
		if r.Method == "sendMessage" && r.Status == 200 && ours[r.ChatID] && !r.At.Before(start) {
			per[r.ChatID]++
			times = append(times, r.At)
		}
	}
	dup, missed := 0, 0
	for user := range ours {
		switch n := per[user]; {
		case n > 2:
			dup += n - 2
		case n < 2:
			missed += 2 - n
		}
	}
	if dup != 0 || missed != 0 {
		t.Errorf("%d messages sent twice, %d missed", dup, missed)
	}
	if len(times) < 2 {
		t.Fatalf("%d messages seen", len(times))
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	span := times[len(times)-1].Sub(times[0])
	overall := float64(len(times)-1) / span.Seconds()
	// The limit lets a second's worth through at once; what holds after it
	// is the sustained rate.
	steady := overall
	if i := int(rate); len(times) > 2*i {
		steady = float64(len(times)-1-i) / times[len(times)-1].Sub(times[i]).Seconds()
	}
	t.Logf("people %d, messages %d, claimed and handed to the outbox in %v, sent in %v: %.0f/s overall, %.0f/s after the first %d; %d duplicates, %d missed",
		people, len(times), claimed.Round(time.Millisecond), span.Round(time.Millisecond), overall, steady, int(rate), dup, missed)
	if full {
		for name, got := range map[string]float64{"overall": overall, "sustained": steady} {
			if got < rate*0.95 || got > rate*1.05 {
				t.Errorf("%s rate %.0f/s is not within 5%% of %.0f/s", name, got, rate)
			}
		}
	}
}

// referForHousing takes p through the self-referral as someone who could
// lose their home, has somewhere safe tonight, agrees to be referred to the
// housing options team and wants no link worker.
func referForHousing(t *testing.T, tg *telegramtest.Server, p *telegramtest.Person) {
	t.Helper()
	p.Send("/start")
	expect(t, p, "Is it OK for us to keep your answers")
	press(t, tg, p, "Yes, that's OK")
	expect(t, p, "What would you like us to call you?")
	p.Send("Hal")
	expect(t, p, "How old are you?")
	press(t, tg, p, "26 to 49")
	expect(t, p, "What matters to you most")
	press(t, tg, p, "Skip")
	expect(t, p, "better off dead")
	press(t, tg, p, "No")
	expect(t, p, "What would you like help with?")
	press(t, tg, p, "Housing")
	press(t, tg, p, "Done")
	expect(t, p, "in the next eight weeks")
	press(t, tg, p, "Yes")
	expect(t, p, "somewhere safe to sleep tonight")
	press(t, tg, p, "Yes")
	expect(t, p, "housing options team")
	press(t, tg, p, "Yes, please pass them on")
	expect(t, p, "How did you hear about us?")
	press(t, tg, p, "Somewhere else")
	expect(t, p, "four short questions")
	press(t, tg, p, "Skip these")
	expect(t, p, "postcode")
	p.Send("E17")
	expect(t, p, "Would you like a link worker to get in touch")
	press(t, tg, p, "Not now")
	press(t, tg, p, "No thanks") // weekly messages
	expect(t, p, "Here is what you told us")
	press(t, tg, p, "Yes, that's right")
	tr, err := p.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool {
		last := lastBotEntry(tr)
		return buttonData(last, "Carry on") != "" || strings.Contains(last.Text, "housing options team, as you asked")
	})
	if err != nil {
		t.Fatal(err)
	}
	if buttonData(lastBotEntry(tr), "Carry on") != "" {
		press(t, tg, p, "Carry on")
	}
	expect(t, p, "We will pass your details to the council's housing options team")
}

// TestHousingReferralTask: with no housing options chat, the referral the
// person agreed to is a task on the card, and the case cannot be closed in
// Telegram until a worker marks it done.
func TestHousingReferralTask(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	tg := cb.tg
	referForHousing(t, tg, tg.NewPerson("Hal"))
	cb.flags(1)
	card := cb.workers.BotMessages()[0]
	ref, _, _ := strings.Cut(card.Text, " ")
	if !strings.Contains(card.Text, "Priority: high (could lose their home within 56 days)") || !strings.Contains(card.Text, "To do before closing") || !hasButton(card, "Housing referral done") {
		t.Fatalf("card:\n%s", card.Text)
	}
	pressIn(t, tg, cb.workers, cb.worker, "Claim")
	cb.worker.SendIn(cb.workers, "/close "+ref+" advice")
	waitGroupText(t, cb.workers, ref+" cannot close yet")
	if ans := pressIn(t, tg, cb.workers, cb.worker, "Housing referral done"); !strings.Contains(ans.Text, "referred to the housing options team") {
		t.Errorf("pressing Housing referral done: %q", ans.Text)
	}
	waitCard(t, cb.workers, ref, "the housing referral done", func(e telegramtest.Entry) bool {
		return strings.Contains(e.Text, "Referred to the council's housing options team") && !hasButton(e, "Housing referral done")
	})
	cb.worker.SendIn(cb.workers, "/close "+ref+" advice")
	waitCard(t, cb.workers, ref, "Closed", func(e telegramtest.Entry) bool { return strings.Contains(e.Text, "Closed: Advice given") })
}

// TestHousingReferralPosted: with HOUSING_OPTIONS_CHAT_ID the referral goes
// to the housing options team's chat, with what the duty to refer needs.
func TestHousingReferralPosted(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	lin := tg.NewPerson("Lin")
	workers := tg.NewGroup("Link workers", lin)
	workers.AddBot(lin)
	officer := tg.NewPerson("Olu")
	housing := tg.NewGroup("Housing options", officer)
	housing.AddBot(officer)
	startBotOn(t, redistest.SingleTopology(t), tg, map[string]string{
		"LINKWORKER_CHAT_ID":      strconv.FormatInt(workers.ID(), 10),
		"LINKWORKER_IDS":          strconv.FormatInt(lin.User().ID, 10),
		"HOUSING_OPTIONS_CHAT_ID": strconv.FormatInt(housing.ID(), 10),
	}, serveOptions{})
	referForHousing(t, tg, tg.NewPerson("Hal"))
	post := waitGroupText(t, housing, "Referral to the housing options team")
	for _, want := range []string{"duty to refer", "Name: Hal", "Could lose their home within 56 days: yes", "Somewhere safe to sleep tonight: yes", "Area: E17"} {
		if !strings.Contains(post.Text, want) {
			t.Errorf("housing post lacks %q:\n%s", want, post.Text)
		}
	}
	if !post.Protected {
		t.Error("the housing post can be forwarded")
	}
	ref, _, _ := strings.Cut(strings.TrimPrefix(post.Text, "Referral to the housing options team: "), "\n")
	waitCard(t, workers, ref, "passed on", func(e telegramtest.Entry) bool {
		return strings.Contains(e.Text, "Passed to the council's housing options team") && !hasButton(e, "Housing referral done")
	})
}
