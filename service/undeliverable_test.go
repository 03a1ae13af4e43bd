package service

import (
	"strings"
	"testing"
	"time"

	"signpost/handoff"
	"signpost/internal/telegramtest"
)

// A card the group refuses is kept, said at ERROR, and sent once the bot is
// back; nothing behind it in the group's outbox is lost either.
func TestCardKeptWhileTheBotIsOutOfTheGroup(t *testing.T) {
	r := newRig(t, time.Date(2026, 12, 1, 10, 0, 0, 0, london(t)), rigOptions{})
	r.workers.SetBotStatus(r.alice, "kicked")
	sam, kim := r.person("Sam"), r.person("Kim")
	first := r.referral(sam, map[string]string{"name": "Sam"})
	second := r.referral(kim, map[string]string{"name": "Kim"})
	r.waitFor("the refusal said at ERROR", func() bool {
		return strings.Contains(r.logs.String(), "level=ERROR") && strings.Contains(r.logs.String(), "kept and tried again")
	})
	r.settle()
	if n := len(r.workers.BotMessages()); n != 0 {
		t.Fatalf("%d messages in a group the bot is not in", n)
	}
	r.clock.Set(r.clock.Now().Add(2 * time.Minute))
	if got := r.gauges(); got["signpost_cards_undelivered"] != 2 || got["signpost_referrals_waiting{priority=routine,team=link_workers}"] != 2 {
		t.Errorf("metrics while the bot is out of the group: %v", got)
	}
	r.workers.SetBotStatus(r.alice, "member")
	r.waitFor("both cards in the group once the bot is back", func() bool {
		return len(cards(r.workers, first)) == 1 && len(cards(r.workers, second)) == 1
	})
	// A card is recorded once Telegram has answered its post, a moment
	// after the group shows it.
	r.waitFor("both cards recorded", func() bool {
		for _, ref := range []string{first, second} {
			if rr, err := r.svc.Desk().Referral(r.ctx, ref); err != nil || rr.Card.Message == 0 {
				return false
			}
		}
		return true
	})
	if got := r.gauges(); got["signpost_cards_undelivered"] != 0 {
		t.Errorf("undelivered cards once delivered: %v", got["signpost_cards_undelivered"])
	}
	for _, ref := range []string{first, second} {
		rr, err := r.svc.Desk().Referral(r.ctx, ref)
		if err != nil || rr.Card.Chat != r.workers.ID() || rr.Card.Message == 0 {
			t.Errorf("%s: card recorded at %+v (%v)", ref, rr.Card, err)
		}
	}
}

// A basic group upgraded to a supergroup: the card refused at the old id
// goes to the new one, which is kept for later cards and after a restart.
func TestCardFollowsTheGroupToItsSupergroup(t *testing.T) {
	var basic *telegramtest.Group
	r := newRig(t, time.Date(2026, 12, 1, 10, 0, 0, 0, london(t)), rigOptions{
		workers: func(tg *telegramtest.Server, alice *telegramtest.Person) *telegramtest.Group {
			basic = tg.NewBasicGroup("Link workers", alice)
			basic.AddBot(alice)
			return basic
		},
	})
	sam, kim := r.person("Sam"), r.person("Kim")
	first := r.referral(sam, map[string]string{"name": "Sam"})
	r.waitFor("the first card in the basic group", func() bool { return len(cards(basic, first)) == 1 })
	super := basic.Migrate(r.alice)
	second := r.referral(kim, map[string]string{"name": "Kim"})
	r.waitFor("the second card in the supergroup", func() bool { return len(cards(super, second)) == 1 })
	var rr handoff.Referral
	var err error
	r.waitFor("the second card recorded", func() bool {
		rr, err = r.svc.Desk().Referral(r.ctx, second)
		return err != nil || rr.Card.Chat != 0
	})
	if err != nil || rr.Card.Chat != super.ID() {
		t.Errorf("card of %s recorded in %d (%v), want the supergroup %d", second, rr.Card.Chat, err, super.ID())
	}
	moved, err := r.st.MovedChats(r.ctx)
	if err != nil || moved[basic.ID()] != super.ID() {
		t.Errorf("groups kept as moved: %v (%v)", moved, err)
	}
	// A worker claims the second card in the supergroup: it is a team group.
	if _, err := r.alice.PressButtonIn(super, "Claim"); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the claim", func() bool {
		rr, _ := r.svc.Desk().Referral(r.ctx, second)
		return rr.Holder.ID == r.alice.User().ID
	})
	if len(cards(basic, second)) != 0 {
		t.Errorf("a card went to the old group after the upgrade")
	}
}

func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
