package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"signpost/internal/redistest"
	"signpost/internal/telegramtest"
	"signpost/scheduler"
)

// TestEndToEndOnEveryTopology runs serve on one Redis, on a Sentinel set
// and on a three-master Cluster: a full self-referral, its card claimed in
// the link workers' group, a check-in sent by a scheduler tick and
// answered, and /forget, after which no key of the person is left on any
// node. The rest of the suite runs on one Redis only: this is what shows
// that the same code holds on the other two.
func TestEndToEndOnEveryTopology(t *testing.T) {
	t.Parallel()
	for _, tp := range redistest.Topologies(t) {
		t.Run(tp.Name, func(t *testing.T) {
			cb := startCheckinsOn(t, tp, nil)
			tg := cb.tg
			worker := cb.worker
			sam := tg.NewPerson("Sam")
			user := sam.User().ID

			sam.Send("/start gp_F86001")
			expect(t, sam, "Is it OK for us to keep your answers")
			press(t, tg, sam, "Yes, that's OK")
			expect(t, sam, "call you?")
			sam.Send("Sam")
			expect(t, sam, "How old are you?")
			press(t, tg, sam, "26 to 49")
			expect(t, sam, "What matters to you most")
			sam.Send("Getting out of the house more")
			expect(t, sam, "In the last two weeks")
			press(t, tg, sam, "No")
			expect(t, sam, "What would you like help with?")
			press(t, tg, sam, "Feeling lonely")
			press(t, tg, sam, "Done")
			expect(t, sam, "Would you like to answer them?")
			press(t, tg, sam, "Skip these")
			expect(t, sam, "postcode")
			sam.Send("E17")
			expect(t, sam, "Would you like a link worker to get in touch")
			press(t, tg, sam, "Yes please")
			press(t, tg, sam, "Message me here")
			expect(t, sam, "When is a good time")
			press(t, tg, sam, "Evenings")
			expect(t, sam, "friendly message")
			press(t, tg, sam, "Yes please")
			expect(t, sam, "three short questions about feeling lonely")
			press(t, tg, sam, "Not now")
			expect(t, sam, "Here is what you told us")
			press(t, tg, sam, "Yes, that's right")
			press(t, tg, sam, "Carry on")
			ref := refIn.FindString(expect(t, sam, "Your reference is R-").Text)

			waitCard(t, cb.workers, ref, "the card with Claim", func(e telegramtest.Entry) bool { return hasButton(e, "Claim") })
			if ans := pressIn(t, tg, cb.workers, worker, "Claim"); !strings.Contains(ans.Text, ref+" is yours") {
				t.Errorf("claim answered %q", ans.Text)
			}

			cb.enrolled(user)
			cb.tick(cb.next(user))
			expect(t, sam, "lack companionship")
			press(t, tg, sam, "Hardly ever or never")

			sam.Send("/forget")
			expect(t, sam, "We have deleted your details")
			waitUntil(t, func() bool {
				_, _, err := cb.sched.Get(context.Background(), user)
				return errors.Is(err, scheduler.ErrNotEnrolled) && len(cb.keysOf(user)) == 0
			}, "no key of the person on any node")

			// The whole run's log names nobody and holds nothing they wrote.
			cb.stop()
			logs := cb.logs.String()
			for _, secret := range []string{fmt.Sprint(user), fmt.Sprint(worker.User().ID), "Getting out of the house more", "E17", `"Sam"`, "gp_F86001"} {
				if strings.Contains(logs, secret) {
					t.Errorf("the log holds %q", secret)
				}
			}
			if !strings.Contains(logs, newPseudonymsFor(t, cb.bench).of(user)) {
				t.Error("the log never names the person by pseudonym: nothing was checked")
			}
		})
	}
}
