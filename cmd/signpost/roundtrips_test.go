package main

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"signpost/internal/telegramtest"
	"signpost/store"
)

// maxStepTrips is the most Redis round trips one step of the conversation
// may cost on the real content, everything it sets off included: its
// intake, its commit with its sending slots, and the delivery of what it
// committed. A step that sends several messages acknowledges each as it
// goes, one round trip a message after the first (see perMessage).
const maxStepTrips = 4

// perMessage is what each message of a step after the first adds: its
// acknowledgement, made before anything more is sent, so that a delivery
// cut short never sends it twice (it rides with the next round trip the
// delivery makes for something else, when there is one). It holds for the
// messages of one chat and for those of several, and a card redrawn in the
// link workers' group counts as a message: it takes a sending slot of the
// group's own, which a delivery waits for without holding the group's
// outbox (a worker's claim redraws the card in the group and tells the
// worker; the group's message is leased with what puts it there, as a
// person's is, when its slot is free). A question's buttons closed in a
// person's chat go with the message after them and count for nothing.
const perMessage = 1

// maxCommitTrips is the most round trips any step may make up to its
// commit (the update's own, its delivery and what that sets off apart).
const maxCommitTrips = 4

// Every step is held to maxStepTrips, with perMessage for each further
// message: those that run effects from the person's outbox too (the
// referral made, with the card in the group; words of crisis, with the
// urgent flag, the card redrawn and the alert), with no exception.
// README's performance table says what each costs.

// stepTrips reads, from /metrics, the round trips counted for every update
// handled so far up to its commit, and how many updates that is.
func stepTrips(t *testing.T, addr string) (trips, updates float64) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, v, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		switch {
		case err != nil:
		case name == "signpost_update_redis_round_trips_sum":
			trips = f
		case name == "signpost_update_redis_round_trips_count":
			updates = f
		}
	}
	return trips, updates
}

// background are the round trips of the process's own loops, which may
// fall within a step's measurement by chance: the minute's check-in tick
// and the web chat's sweep of its outboxes (every 30 s, within reach of
// the test's length on a loaded machine). The test switches the others
// (the Telegram outbox sweep, reminders, follow-ups) off. A new pooled
// connection's setup (HELLO, then CLIENT SETINFO twice) is the pool
// growing, not the step: it happens when the step's work overlaps other
// work, as it does more often on a loaded machine. It is left out of the
// count up to the commit too (store.RoundTrips does not charge it to the
// update), so both counts are the same whatever the pool held.
var background = map[string]bool{"schedule_claim": true, "pending": true, "HELLO": true, "pipeline: CLIENT CLIENT": true}

// quiet is how long the process must send nothing to Redis for a step,
// and everything it set off, to be taken as over.
const quiet = 400 * time.Millisecond

// wholeStep runs do, which makes the bot handle one update, waits until
// everything the update set off is over, and returns the round trips the
// process made meanwhile (but for its own loops'), what each sent, and how
// many of them came before the update's commit.
func wholeStep(t *testing.T, rt *store.RoundTrips, addr, what string, do func()) (n int, sent, aside []string, upTo int) {
	t.Helper()
	// What came before may still be finishing: a reply can reach the
	// person before the update that made it is counted as handled.
	settle(t, rt, what)
	before, updates := stepTrips(t, addr)
	rt.Record()
	do()
	settle(t, rt, what)
	for _, s := range rt.Recorded() {
		if background[s] {
			aside = append(aside, s)
		} else {
			sent = append(sent, s)
		}
	}
	after, n2 := stepTrips(t, addr)
	if n2 != updates+1 {
		t.Fatalf("%s: %v updates handled, want 1", what, n2-updates)
	}
	return len(sent), sent, aside, int(after - before)
}

// settle waits until the process has sent nothing to Redis for quiet.
func settle(t *testing.T, rt *store.RoundTrips, what string) {
	t.Helper()
	last, since := rt.Trips(), time.Now()
	for deadline := time.Now().Add(10 * time.Second); time.Since(since) < quiet; time.Sleep(20 * time.Millisecond) {
		if now := rt.Trips(); now != last {
			last, since = now, time.Now()
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the process never went quiet", what)
		}
	}
}

// TestRoundTripsAStep counts every Redis round trip each step of the real
// content causes, all it sets off included (deliveries, cards, notices,
// bookings), with the link workers' group set up as in a real deployment:
// each step of the self-referral, /status, a worker's claim and a message
// to an open case, the referral made and words of crisis are held to
// maxStepTrips (and perMessage for each further message a step sends);
// every step to maxCommitTrips up to its commit.
func TestRoundTripsAStep(t *testing.T) {
	tg := telegramtest.NewServer(t)
	var rt *store.RoundTrips
	h := startHandoffWith(t, tg, nil, serveOptions{
		roundTrips:    func(r *store.RoundTrips) { rt = r },
		reminderEvery: time.Hour,
		followUpSpec:  "@every 1h",
		sweepEvery:    time.Hour,
	})
	sam := tg.AddPerson(telegramtest.User{FirstName: "Sam", LastName: "Smith"})

	// The groups' membership updates at start are handled first.
	for last := -1.0; ; time.Sleep(300 * time.Millisecond) {
		if _, n := stepTrips(t, h.addr); n == last {
			break
		} else {
			last = n
		}
	}
	check := func(what string, most int, do func()) {
		t.Helper()
		n, sent, aside, upTo := wholeStep(t, rt, h.addr, what, do)
		if n > most || upTo > maxCommitTrips {
			t.Errorf("%s took %d Redis round trips (%d up to its commit), want at most %d (%d); it sent:\n%s\nand, not counted: %s",
				what, n, upTo, most, maxCommitTrips, strings.Join(sent, "\n"), strings.Join(aside, "; "))
			return
		}
		t.Logf("%s: %d Redis round trips, %d up to its commit: %s", what, n, upTo, strings.Join(sent, "; "))
		if len(aside) > 0 {
			t.Logf("%s: not counted: %s", what, strings.Join(aside, "; "))
		}
	}
	say := func(what, text, want string) {
		t.Helper()
		most := maxStepTrips
		if text == "/start" {
			most += 2 * perMessage // the welcome, what is kept, and the consent question
		}
		check(what, most, func() {
			sam.Send(text)
			expect(t, sam, want)
		})
	}
	choose := func(what, label, want string) {
		t.Helper()
		check(what, maxStepTrips, func() {
			press(t, tg, sam, label)
			expect(t, sam, want)
		})
	}

	say("a new conversation (/start)", "/start", "Is it OK for us to keep your answers")
	choose("a pressed button (consent)", "Yes, that's OK", "call you?")
	say("a typed answer (name)", "Sam", "How old are you?")
	choose("a choice (age)", "26 to 49", "What matters to you most")
	say("a typed answer (what matters)", "Getting out of the house more", "In the last two weeks")
	choose("the direct question", "No", "What would you like help with?")
	choose("a multiple choice, one ticked", "Feeling lonely", "What would you like help with?")
	choose("a multiple choice, done", "Done", "How did you hear about us?")
	choose("how they heard", "A friend or family", "Would you like to answer them?")
	choose("the wellbeing scale skipped", "Skip these", "postcode")
	say("a postcode", "E17", "Would you like a link worker to get in touch")
	choose("asking for a link worker", "Yes please", "How would you like them to contact you?")
	choose("how to be contacted", "Message me here", "When is a good time")
	choose("when", "Evenings", "friendly message")
	choose("check-ins refused", "No thanks", "Here is what you told us")
	choose("the summary confirmed", "Yes, that's right", "Here are some groups")
	var ref string
	// The person told their reference, and the card posted in the group.
	check("the referral made", maxStepTrips+perMessage, func() {
		press(t, tg, sam, "Carry on")
		ref = refIn.FindString(expect(t, sam, "Your reference is R-").Text)
		waitCard(t, h.workers, ref, "the card with Claim", func(e telegramtest.Entry) bool { return hasButton(e, "Claim") })
	})
	check("a new conversation (a first word)", maxStepTrips+2*perMessage, func() {
		kim := tg.NewPerson("Kim")
		kim.Send("hello")
		expect(t, kim, "Is it OK for us to keep your answers")
	})

	h.opensChat(h.bob)
	// The card redrawn in the group and the case told to the worker.
	check("a worker's claim", maxStepTrips+perMessage, func() {
		pressIn(t, tg, h.workers, h.bob, "Claim")
		expect(t, h.bob, "Sam, 26 to 49")
	})
	check("/status with an open case", maxStepTrips, func() {
		sam.Send("/status")
		expect(t, sam, "Bob from our link workers is looking after your referral")
	})
	// The first in an hour tells the group too.
	check("a message to an open case", maxStepTrips+perMessage, func() {
		sam.Send("Thursday evening is good")
		expect(t, h.bob, ref+" · message from Sam:\nThursday evening is good")
	})
	check("a second message to the open case", maxStepTrips, func() {
		sam.Send("or Friday")
		expect(t, h.bob, ref+" · message from Sam:\nor Friday")
	})
	// Words of crisis reach the case and the conversation, which
	// signposts help: two steps in one. Seven messages: the words to the
	// worker, four to the person (the help, and whether they are safe),
	// the card redrawn and the alert in the group, which go as a pair:
	// one claim, once the alert's slot is due, and one acknowledgement.
	check("words of crisis to an open case", maxStepTrips+6*perMessage, func() {
		sam.Send("I want to die")
		expect(t, h.bob, ref+" · message from Sam:\nI want to die")
		expectSaid(t, sam, "116 123")
	})
}
