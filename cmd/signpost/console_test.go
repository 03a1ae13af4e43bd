package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"signpost/handoff"
	"signpost/internal/browsertest"
	"signpost/internal/telegramtest"
	"signpost/internal/testclock"
)

// linkPattern finds the console's sign-in link in the bot's answer.
var linkPattern = regexp.MustCompile(`http://\S+/console/signin/link\?t=\S+`)

// consoleLink asks the bot for a sign-in link as w would, in a private chat.
func consoleLink(t *testing.T, w *telegramtest.Person) string {
	t.Helper()
	n := len(w.BotMessages())
	w.Send("/console")
	msgs, err := w.WaitBotMessages(testCtx(t), n+1)
	if err != nil {
		t.Fatal(err)
	}
	link := linkPattern.FindString(msgs[len(msgs)-1].Text)
	if link == "" {
		t.Fatalf("no sign-in link in %q", msgs[len(msgs)-1].Text)
	}
	return link
}

// screenshot keeps a picture of the page: in docs/console when
// SIGNPOST_SCREENSHOTS is set (the README shows them), else in the test's
// own folder.
func screenshot(t *testing.T, p *browsertest.Page, name string) {
	t.Helper()
	dir := t.TempDir()
	if os.Getenv("SIGNPOST_SCREENSHOTS") != "" {
		dir = filepath.Join("..", "..", "docs", "console")
	}
	p.Screenshot(filepath.Join(dir, name+".png"))
}

// signInWith opens a one-time link in p and presses its button.
func signInWith(t *testing.T, p *browsertest.Page, link string) {
	t.Helper()
	p.Open(link)
	p.CheckAccessibility("the sign-in link's page")
	p.Click("main button[type=submit]")
}

// reloadUntil opens url again until the text of sel holds want.
func reloadUntil(t *testing.T, p *browsertest.Page, url, sel, want string) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		p.Open(url)
		var got string
		p.Eval(fmt.Sprintf("(document.querySelector(%q) || {}).textContent || ''", sel), &got)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed %q; it reads:\n%s", sel, want, got)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestConsoleInTheBrowser is a worker's day in the console, in a real
// headless Chromium: sign-in by a link from the bot (an expired link and a
// used one refused), the queue, a case, writing to the person and reading
// their reply, a form without its token refused, closing with an outcome,
// a worker of the other team refused, the figures for a manager, and
// signing out. Every page is checked with axe-core for WCAG 2.2 AA.
func TestConsoleInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	clock := testclock.New(time.Now())
	tg := telegramtest.NewServer(t)
	h := startHandoffWith(t, tg, map[string]string{"PUBLIC_URL": selfURL}, serveOptions{now: clock.Now})
	h.env["MANAGER_IDS"] = fmt.Sprint(h.alice.User().ID)
	h.restart()
	sam := tg.NewPerson("Sam")
	ref := selfRefer(t, tg, sam, false)
	waitCard(t, h.workers, ref, "the card", func(e telegramtest.Entry) bool { return hasButton(e, "Claim") })

	b := browsertest.Start(t)
	base := "http://" + h.addr + "/console"
	caseURL := base + "/case/" + ref

	// Before signing in: the way to sign in.
	anon := b.NewPage()
	anon.Open(base + "/queue")
	anon.WaitText("h1", "Sign in")
	anon.CheckAccessibility("the sign-in page")
	screenshot(t, anon, "signin")

	// Bob signs in with a link from the bot.
	link := consoleLink(t, h.bob)
	p := b.NewPage()
	signInWith(t, p, link)
	p.WaitText("h1", "Queue")
	p.WaitText("main", ref)
	p.CheckAccessibility("the queue")
	screenshot(t, p, "queue")

	t.Run("a link works once", func(t *testing.T) {
		again := b.NewPage()
		signInWith(t, again, link)
		again.WaitText("main", "has expired or has been used already")
		again.CheckAccessibility("a refused link")
	})
	t.Run("a link works for ten minutes", func(t *testing.T) {
		old := consoleLink(t, h.alice)
		clock.Advance(11 * time.Minute)
		late := b.NewPage()
		signInWith(t, late, old)
		late.WaitText("main", "has expired or has been used already")
	})

	// The case: claim it, write to the person, read their reply.
	p.Click(`a[href="/console/case/` + ref + `"]`)
	p.WaitText("h1", ref)
	p.WaitText("main", "Sam, 26 to 49")
	p.CheckAccessibility("a new case")
	p.Click(`form[action$="/claim"] button`)
	p.WaitText("#notice", "The case is yours")
	p.Type("#message-text", "Hello Sam, this is Bob from the link workers.")
	p.Click(`form.write button`)
	p.WaitText("#notice", "on its way")
	expect(t, sam, "Your link worker Bob says:\nHello Sam, this is Bob from the link workers.")
	sam.Send("Thanks Bob, Tuesday is good")
	reloadUntil(t, p, caseURL, ".messages", "Thanks Bob, Tuesday is good")
	p.WaitText(".messages", "Delivered")
	p.CheckAccessibility("a case in contact")
	screenshot(t, p, "case")

	t.Run("a form without its token changes nothing", func(t *testing.T) {
		p.Open(caseURL)
		p.Eval(`document.querySelector('form[action$="/note"] input[name=csrf]').remove(); true`, nil)
		p.Type("#note-text", "This note must not be kept")
		p.Click(`form[action$="/note"] button`)
		p.WaitText("main", "That form could not be accepted")
		p.CheckAccessibility("a refused form")
		desk, _ := h.desk()
		c, err := desk.Case(t.Context(), ref, handoff.Worker{})
		if err == nil {
			for _, e := range c.History {
				if strings.Contains(e.Text, "must not be kept") {
					t.Error("a form without its token added a note")
				}
			}
		}
	})

	// Close with an outcome: the person is told.
	p.Open(caseURL)
	p.Eval(`document.getElementById('outcome').value = 'connected_group'; true`, nil)
	p.Type("#close-note", "Joined the Tuesday walking group")
	p.Click(`form[action$="/close"] button`)
	p.WaitText("#notice", "The case is closed")
	p.WaitText("main", "Closed: Connected to a group")
	expect(t, sam, "has closed your referral "+ref)
	p.CheckAccessibility("a closed case")

	for _, page := range []struct{ path, heading string }{{"/mine", "My cases"}, {"/search?q=Sam", "Search"}, {"/account", "Account"}} {
		p.Open(base + page.path)
		p.WaitText("h1", page.heading)
		p.CheckAccessibility(page.heading)
	}
	p.Open(base + "/search?q=" + ref)
	p.WaitText("main", ref)

	t.Run("a worker of the other team is refused", func(t *testing.T) {
		c := b.NewPage(browsertest.WithoutJavaScript())
		signInWith(t, c, consoleLink(t, h.cara))
		c.WaitText("h1", "Queue")
		if strings.Contains(c.Text("main"), ref) {
			t.Error("the leaving-care team's queue shows a link workers' case")
		}
		c.Open(caseURL)
		c.WaitText("main", "That case belongs to the link workers")
		if strings.Contains(c.Text("main"), "Sam") {
			t.Error("a refused worker was shown the person")
		}
		c.CheckAccessibility("a case of another team")
	})

	t.Run("a manager sees the figures", func(t *testing.T) {
		m := b.NewPage()
		signInWith(t, m, consoleLink(t, h.alice))
		m.WaitText("h1", "Queue")
		m.Open(base + "/report")
		m.WaitText("main", "Referrals")
		m.CheckAccessibility("the figures")
		screenshot(t, m, "figures")
	})

	// Sign out: the console asks to sign in again.
	p.Open(base + "/account")
	p.Click(`form[action="/console/signout"] button`)
	p.WaitText("h1", "Signed out")
	p.CheckAccessibility("signed out")
	p.Open(base + "/queue")
	p.WaitText("h1", "Sign in")
}
