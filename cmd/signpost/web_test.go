package main

import (
	"strings"
	"testing"

	"signpost/internal/browsertest"
	"signpost/internal/telegramtest"
	"signpost/webchat/webchattest"
)

// TestWebChatToLinkWorker runs the web chat inside serve: a resident
// refers themselves on the web, the card says where they came from, a link
// worker writes back from Telegram and the open page shows it at once, and
// the resident's answer reaches the worker's case.
func TestWebChatToLinkWorker(t *testing.T) {
	tg := telegramtest.NewServer(t)
	h := startHandoff(t, tg, map[string]string{"COUNCIL_NAME": "Example Council"})
	b := browsertest.Start(t)
	p := b.NewPage()
	p.Open("http://" + h.addr + "/chat?src=gp_F86001")
	ref := webchattest.Walk(t, p)

	card := waitCard(t, h.workers, ref, "the card", func(e telegramtest.Entry) bool { return hasButton(e, "Claim") })
	if !strings.Contains(card.Text, "Came through the web chat") {
		t.Errorf("the card does not say the referral came through the web chat:\n%s", card.Text)
	}
	pressIn(t, tg, h.workers, h.bob, "Claim")
	h.bob.SendIn(h.workers, "/msg "+ref+" Hello Sam, I'm Bob. Are mornings good for you?")
	p.WaitText("#log", "Are mornings good for you?")

	p.Type("#t", "Yes, mornings are best")
	p.ClickButton("Send")
	p.WaitText("#log", "Yes, mornings are best")
	waitGroupText(t, h.workers, ref+": the person has written to Bob")
}

// TestWebChatOnToTelegram: a visitor who asked for weekly messages on the
// web opens the one-time link in Telegram; the bot has their answers and
// starts their check-ins, the page says so, and the link works once.
func TestWebChatOnToTelegram(t *testing.T) {
	tg := telegramtest.NewServer(t)
	h := startHandoff(t, tg, nil)
	b := browsertest.Start(t)
	p := b.NewPage()
	p.Open("http://" + h.addr + "/chat?src=pa")
	webchattest.Walk(t, p)
	p.WaitText("#log", "Get weekly messages on Telegram")
	var href string
	p.Eval(`document.querySelector('a.button[href*="start=web_"]').getAttribute('href')`, &href)
	_, token, ok := strings.Cut(href, "?start=")
	if !ok || !strings.HasPrefix(token, "web_") {
		t.Fatalf("the link to Telegram is %q", href)
	}

	sam := tg.NewPerson("Sam")
	sam.Send("/start " + token)
	expect(t, sam, "Hello Sam, it's signpost. We have your answers from the website")
	p.WaitText("#log", "Your weekly messages will come on Telegram now.")
	if s := h.session(sam.User().ID); !s.Consent || s.Answers["checkins"] != "yes" || s.Answers["name"] != "Sam" {
		t.Errorf("the Telegram session after the link: %+v", s)
	}

	other := tg.NewPerson("Kim")
	other.Send("/start " + token)
	expect(t, other, "that link has been used already")
}
