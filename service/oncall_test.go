package service

import (
	"strings"
	"testing"
	"time"

	"signpost/internal/telegramtest"
)

// alerts are the bot's messages in chat that carry an Acknowledge button
// for ref.
func alerts(c interface{ BotMessages() []telegramtest.Entry }, ref string) []telegramtest.Entry {
	var out []telegramtest.Entry
	for _, e := range c.BotMessages() {
		if strings.Contains(e.Text, ref) && strings.HasPrefix(e.Text, "On call") || strings.HasPrefix(e.Text, "Escalation") && strings.Contains(e.Text, ref) {
			out = append(out, e)
		}
	}
	return out
}

// flaggedOnCall is a rig with on-call and its clock at start, in which Sam
// has just been flagged as urgent; it returns the rig and Sam's reference.
func flaggedOnCall(t *testing.T, start time.Time) (*rig, string) {
	t.Helper()
	r := newRig(t, start, rigOptions{onCall: true})
	sam := r.person("Sam")
	r.flag(sam)
	return r, r.refOf(sam)
}

// onCallAlert waits for the one alert for ref in the on-call chat, and
// returns it.
func (r *rig) onCallAlert(ref string) telegramtest.Entry {
	r.t.Helper()
	r.waitFor("the alert in the on-call chat", func() bool { return len(alerts(r.dan, ref)) == 1 })
	return alerts(r.dan, ref)[0]
}

// TestUrgentSaturdayNight: an urgent flag at 22:00 on a Saturday reaches the
// on-call chat at once with an Acknowledge button; unacknowledged, it goes
// to the escalation group at 22:30; the team's group gets the card and
// nothing more until Monday 09:00, then one repost.
func TestUrgentSaturdayNight(t *testing.T) {
	loc := london(t)
	r, ref := flaggedOnCall(t, time.Date(2026, 11, 28, 22, 0, 0, 0, loc))
	a := r.onCallAlert(ref)
	r.waitFor("the card in the team's group", func() bool { return len(cards(r.workers, ref)) == 1 })
	if len(a.Buttons) != 1 || a.Buttons[0][0].Text != "Acknowledge" || !strings.Contains(a.Text, "Mon 30 Nov 09:00") {
		t.Errorf("on-call alert %q with buttons %v: want when the team is back and an Acknowledge button", a.Text, a.Buttons)
	}

	r.set(time.Date(2026, 11, 28, 22, 29, 0, 0, loc))
	if n := len(alerts(r.managers, ref)); n != 0 {
		t.Fatalf("escalated after 29 minutes")
	}
	r.clock.Set(time.Date(2026, 11, 28, 22, 30, 0, 0, loc))
	r.waitFor("the escalation", func() bool { return len(alerts(r.managers, ref)) == 1 })

	for _, at := range []time.Time{
		time.Date(2026, 11, 29, 3, 0, 0, 0, loc),
		time.Date(2026, 11, 29, 14, 0, 0, 0, loc),
		time.Date(2026, 11, 30, 8, 59, 0, 0, loc),
	} {
		r.set(at)
		if n := len(cards(r.workers, ref)); n != 1 {
			t.Fatalf("%d cards in the team's group at %s; the office is empty", n, at.Format("Mon 15:04"))
		}
	}
	if got := r.gauges(); got["signpost_oldest_unclaimed_urgent_seconds"] != (34*time.Hour+59*time.Minute).Seconds() || got["signpost_referrals_waiting{priority=urgent,team=link_workers}"] != 1 {
		t.Errorf("metrics on Monday at 08:59: %v", got)
	}
	r.clock.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, loc))
	r.waitFor("one repost at the opening", func() bool { return len(cards(r.workers, ref)) == 2 })
	r.set(time.Date(2026, 11, 30, 9, 30, 0, 0, loc))
	if n := len(cards(r.workers, ref)); n != 2 {
		t.Errorf("%d cards in the team's group by 09:30 on Monday, want the first and one repost", n)
	}
	if n := len(alerts(r.dan, ref)) + len(alerts(r.managers, ref)); n != 2 {
		t.Errorf("%d on-call alerts in all, want one to on-call and one escalation", n)
	}
}

// TestOnCallAcknowledges: the person on call acknowledges the alert: it
// says so there and to the team, and nothing escalates.
func TestOnCallAcknowledges(t *testing.T) {
	loc := london(t)
	r, ref := flaggedOnCall(t, time.Date(2026, 11, 28, 22, 0, 0, 0, loc))
	r.onCallAlert(ref)
	r.clock.Set(time.Date(2026, 11, 28, 22, 10, 0, 0, loc))
	if _, err := r.dan.PressButton("Acknowledge"); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the alert marked acknowledged", func() bool {
		for _, e := range r.dan.BotMessages() {
			if strings.Contains(e.Text, ref+" acknowledged on call by Dan") && len(e.Buttons) == 0 {
				return true
			}
		}
		return false
	})
	r.waitFor("the team told", func() bool {
		for _, e := range r.workers.BotMessages() {
			if strings.Contains(e.Text, "acknowledged on call by Dan") {
				return true
			}
		}
		return false
	})
	r.set(time.Date(2026, 11, 28, 23, 0, 0, 0, loc))
	if n := len(alerts(r.managers, ref)); n != 0 {
		t.Errorf("escalated although acknowledged")
	}
	rr, err := r.svc.Desk().Referral(r.ctx, ref)
	if err != nil || rr.AckedBy.Name != "Dan" {
		t.Errorf("acknowledged by %+v (%v)", rr.AckedBy, err)
	}
}

// TestUrgentBankHolidayMonday: flagged on the Saturday before the spring
// bank holiday, the card is posted again on Tuesday at 09:00, not Monday.
func TestUrgentBankHolidayMonday(t *testing.T) {
	loc := london(t)
	r, ref := flaggedOnCall(t, time.Date(2027, 5, 29, 22, 0, 0, 0, loc))
	if a := r.onCallAlert(ref); !strings.Contains(a.Text, "Tue 1 Jun 09:00") {
		t.Errorf("on-call alert %q: want the team back on Tuesday", a.Text)
	}
	r.set(time.Date(2027, 5, 31, 9, 0, 0, 0, loc))
	r.set(time.Date(2027, 5, 31, 12, 0, 0, 0, loc))
	if n := len(cards(r.workers, ref)); n != 1 {
		t.Fatalf("%d cards on the bank holiday, want only the first", n)
	}
	r.clock.Set(time.Date(2027, 6, 1, 9, 0, 0, 0, loc))
	r.waitFor("one repost on Tuesday morning", func() bool { return len(cards(r.workers, ref)) == 2 })
}

// TestUrgentInHours: flagged on a Monday morning, the card goes to the team
// only; unclaimed 15 minutes later it is posted again, once, and sent to
// on-call too.
func TestUrgentInHours(t *testing.T) {
	loc := london(t)
	r, ref := flaggedOnCall(t, time.Date(2026, 11, 30, 10, 0, 0, 0, loc))
	r.waitFor("the card", func() bool { return len(cards(r.workers, ref)) == 1 })
	r.set(time.Date(2026, 11, 30, 10, 14, 0, 0, loc))
	if n := len(alerts(r.dan, ref)); n != 0 {
		t.Fatalf("on call told in hours before the quarter hour")
	}
	r.clock.Set(time.Date(2026, 11, 30, 10, 15, 0, 0, loc))
	r.waitFor("the repost and the on-call alert", func() bool {
		return len(cards(r.workers, ref)) == 2 && len(alerts(r.dan, ref)) == 1
	})
	r.set(time.Date(2026, 11, 30, 10, 31, 0, 0, loc))
	if n := len(cards(r.workers, ref)); n != 2 {
		t.Errorf("%d cards by 10:31, want the card and one repost", n)
	}
}

// TestPersonToldWhenTheTeamOpens: crisis words at 22:00 on a Saturday are
// answered with the 24/7 lines and when the team opens, and reach on-call;
// on a Monday morning the person is told a link worker will see it today.
func TestPersonToldWhenTheTeamOpens(t *testing.T) {
	loc := london(t)
	r := newRig(t, time.Date(2026, 11, 28, 22, 0, 0, 0, loc), rigOptions{onCall: true})
	said := func(p *telegramtest.Person, words string) func() bool {
		return func() bool {
			for _, e := range p.BotMessages() {
				if strings.Contains(e.Text, words) {
					return true
				}
			}
			return false
		}
	}
	sam := r.person("Sam")
	sam.Send("I want to die")
	r.waitFor("the 24/7 lines", said(sam, "116 123"))
	r.waitFor("when the team opens", said(sam, "Our team is closed until 9am on Monday"))
	if said(sam, "will see this today")() {
		t.Errorf("promised today on a Saturday night")
	}
	r.onCallAlert(r.refOf(sam))

	r.clock.Set(time.Date(2026, 11, 30, 10, 0, 0, 0, loc))
	kim := r.person("Kim")
	kim.Send("I want to die")
	r.waitFor("today's promise", said(kim, "A link worker will see this today."))
	if said(kim, "closed until")() {
		t.Errorf("told the team is closed on a Monday morning")
	}
}
