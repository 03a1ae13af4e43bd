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

// maxStepTrips is the most Redis round trips one update may cost, from its
// arrival to its commit, on the real content.
const maxStepTrips = 4

// stepTrips reads, from /metrics, the round trips counted for every update
// handled so far and how many updates that is.
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

// costOf runs do, which makes the bot handle one update, and returns the
// Redis round trips that update took.
func costOf(t *testing.T, addr, what string, do func()) int {
	t.Helper()
	trips, updates := stepTrips(t, addr)
	do()
	deadline := time.Now().Add(10 * time.Second)
	for {
		after, n := stepTrips(t, addr)
		if n == updates+1 {
			return int(after - trips)
		}
		if n > updates+1 || time.Now().After(deadline) {
			t.Fatalf("%s: %v updates handled, want 1", what, n-updates)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRoundTripsAStep holds every kind of update on the real content to at
// most maxStepTrips Redis round trips: a new conversation, a typed answer,
// a pressed button, and a message passed on to an open case, with the link
// workers' group set up as in a real deployment.
func TestRoundTripsAStep(t *testing.T) {
	tg := telegramtest.NewServer(t)
	var rt *store.RoundTrips
	h := startHandoffWith(t, tg, nil, serveOptions{roundTrips: func(r *store.RoundTrips) { rt = r }})
	sam := tg.AddPerson(telegramtest.User{FirstName: "Sam", LastName: "Smith"})
	alex := tg.NewPerson("Alex")

	// The groups' membership updates at start are handled first.
	for last := -1.0; ; time.Sleep(300 * time.Millisecond) {
		if _, n := stepTrips(t, h.addr); n == last {
			break
		} else {
			last = n
		}
	}
	check := func(what string, do func()) {
		t.Helper()
		rt.Record()
		if n := costOf(t, h.addr, what, do); n > maxStepTrips {
			t.Errorf("%s took %d Redis round trips, want at most %d; the process sent meanwhile (its deliveries too):\n%s",
				what, n, maxStepTrips, strings.Join(rt.Recorded(), "\n"))
		} else {
			t.Logf("%s: %d Redis round trips", what, n)
		}
	}
	check("a new conversation (/start)", func() {
		alex.Send("/start")
		expect(t, alex, "Is it OK for us to keep your answers")
	})
	check("a pressed button", func() { press(t, tg, alex, "Yes, that's OK") })
	expect(t, alex, "call you?")
	check("a typed answer", func() {
		alex.Send("Alex")
		expect(t, alex, "How old are you?")
	})
	check("a new conversation (a first word)", func() {
		tg.NewPerson("Kim").Send("hello")
	})

	ref := selfRefer(t, tg, sam, false)
	waitCard(t, h.workers, ref, "the card with Claim", func(e telegramtest.Entry) bool { return hasButton(e, "Claim") })
	h.opensChat(h.bob)
	pressIn(t, tg, h.workers, h.bob, "Claim")
	expect(t, h.bob, "Sam, 26 to 49")
	check("a message to an open case", func() {
		sam.Send("Thursday evening is good")
		expect(t, h.bob, ref+" · message from Sam:\nThursday evening is good")
	})
	check("a second message to the open case", func() {
		sam.Send("or Friday")
		expect(t, h.bob, ref+" · message from Sam:\nor Friday")
	})
	// Words of crisis reach the case and the conversation, which
	// signposts help: the one update allowed a fifth round trip, its
	// commit, since it is two steps in one.
	rt.Record()
	if n := costOf(t, h.addr, "words of crisis to an open case", func() {
		sam.Send("I want to die")
		expect(t, h.bob, ref+" · message from Sam:\nI want to die")
		expectSaid(t, sam, "116 123")
	}); n > maxStepTrips+1 {
		t.Errorf("words of crisis to an open case took %d Redis round trips, want at most %d:\n%s", n, maxStepTrips+1, strings.Join(rt.Recorded(), "\n"))
	} else {
		t.Logf("words of crisis to an open case: %d Redis round trips", n)
	}
	check("/status with an open case", func() {
		sam.Send("/status")
		expect(t, sam, "Bob from our link workers is looking after your referral")
	})
}
