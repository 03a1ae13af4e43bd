// Package webchattest drives the web chat in a real browser for tests: the
// answers a resident gives on the way through the self-referral.
package webchattest

import (
	"regexp"
	"testing"

	"signpost/internal/browsertest"
)

// Walk completes the self-referral in a page opened at the chat from a
// referrer's link (/chat?src=...: the question of how they heard of the
// service is not asked), waiting
// for each question before answering it, and returns the referral's
// reference. The resident is Sam, 26 to 49, lonely and wanting to meet
// people, in E17, to be written to on the page, with weekly messages on
// Telegram. It checks accessibility at a several-choice question.
func Walk(t testing.TB, p *browsertest.Page) string {
	t.Helper()
	Begin(t, p, "Sam")
	p.ClickButton("26 to 49")
	p.WaitText("#log", "What matters to you most right now")
	p.Type("#t", "Getting out of the house more")
	p.ClickButton("Send")
	p.WaitText("#log", "In the last two weeks, have you had thoughts")
	p.ClickButton("No")
	p.WaitText("#log", "What would you like help with")
	p.ClickButton("Feeling lonely")
	p.WaitText("#answer", "✓")
	p.CheckAccessibility("a several-choice question with one ticked")
	p.ClickButton("Meeting people")
	p.WaitText("#answer", "Meeting people")
	p.ClickButton("Done")
	p.WaitText("#log", "four short questions")
	p.ClickButton("Skip these")
	p.WaitText("#log", "first part of your postcode")
	p.Type("#t", "E17")
	p.ClickButton("Send")
	p.WaitText("#log", "Would you like a link worker to get in touch")
	p.ClickButton("Yes please")
	p.WaitText("#log", "How would you like them to contact you")
	p.ClickButton("Message me on this page")
	p.WaitText("#log", "When is a good time")
	p.ClickButton("Any time")
	p.WaitText("#log", "This website cannot send messages, so they come on Telegram")
	p.ClickButton("Yes, on Telegram")
	p.WaitText("#log", "three short questions about feeling lonely")
	p.ClickButton("Not now")
	p.WaitText("#log", "Is this right?")
	p.ClickButton("Yes, that's right")
	p.WaitText("#log", "could help you")
	p.ClickButton("Carry on")
	log := p.WaitText("#log", "We have sent your answers to a link worker")
	m := regexp.MustCompile(`Your reference is (R-[0-9A-Z]{5})`).FindStringSubmatch(log)
	if m == nil {
		t.Fatalf("no reference in the end of the conversation:\n%s", log)
	}
	return m[1]
}

// Begin consents in a page opened at the chat and gives name, and waits
// for the next question.
func Begin(t testing.TB, p *browsertest.Page, name string) {
	t.Helper()
	p.WaitText("#log", "Is it OK for us to keep your answers")
	p.ClickButton("Yes, that's OK")
	p.WaitText("#log", "What would you like us to call you")
	p.Type("#t", name)
	p.ClickButton("Send")
	p.WaitText("#log", "Thank you, "+name+". How old are you?")
}
