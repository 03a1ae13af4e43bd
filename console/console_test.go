package console_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"signpost/console"
	"signpost/handoff"
)

func TestSignInByLink(t *testing.T) {
	e := setup(t)
	b := e.browser()
	if p := b.get("/console/queue"); p.Status != http.StatusSeeOther || p.Location != "/console/signin" {
		t.Fatalf("queue before signing in: %d %s", p.Status, p.Location)
	}
	if _, err := e.con.Link(t.Context(), eve); !errors.Is(err, handoff.ErrNotAuthorised) {
		t.Errorf("a link for someone in no team: %v", err)
	}
	link, err := e.con.Link(t.Context(), ana)
	if err != nil {
		t.Fatal(err)
	}
	// Opening the link does not use it: a chat app's preview must not.
	b.get(strings.TrimPrefix(link, e.srv.URL))
	p := b.useLink(link, http.StatusSeeOther)
	if p.Location != "/console/queue" {
		t.Errorf("after sign-in: %s", p.Location)
	}
	if p := b.get("/console/queue"); p.Status != http.StatusOK || !strings.Contains(p.Body, "Account: Ana Lee") {
		t.Errorf("queue after sign-in: %d", p.Status)
	}

	t.Run("a link works once", func(t *testing.T) {
		p := e.browser().useLink(link, http.StatusForbidden)
		if !strings.Contains(p.Body, "expired or has been used already") {
			t.Errorf("reused link:\n%s", p.Body)
		}
	})
	t.Run("a link works for ten minutes", func(t *testing.T) {
		old, err := e.con.Link(t.Context(), ben)
		if err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(console.LinkTTL + time.Second)
		e.browser().useLink(old, http.StatusForbidden)
	})
	t.Run("a made-up link", func(t *testing.T) {
		e.browser().useLink(e.srv.URL+"/console/signin/link?t=made-up", http.StatusForbidden)
	})
	t.Run("the cookie", func(t *testing.T) {
		other := e.browser()
		link, _ := e.con.Link(t.Context(), ben)
		u, _ := url.Parse(link)
		req, _ := http.NewRequest("POST", e.srv.URL+u.Path, strings.NewReader(url.Values{"t": {u.Query().Get("t")}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := other.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		var ck *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == "signpost_console" {
				ck = c
			}
		}
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/console" {
			t.Errorf("session cookie: %+v", ck)
		}
		if h := res.Header.Get("Content-Security-Policy"); !strings.Contains(h, "default-src 'none'") {
			t.Errorf("no strict CSP: %q", h)
		}
	})
}

func TestSecureCookieOverHTTPS(t *testing.T) {
	e := setup(t, func(c *console.Config) { c.PublicURL = "https://signpost.example.gov.uk" })
	link, _ := e.con.Link(t.Context(), ana)
	u, _ := url.Parse(link)
	req, _ := http.NewRequest("POST", e.srv.URL+u.Path, strings.NewReader(url.Values{"t": {u.Query().Get("t")}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := e.browser().c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cks := res.Cookies()
	if len(cks) != 1 || cks[0].Name != "__Secure-signpost_console" || !cks[0].Secure {
		t.Errorf("cookie over https: %+v", cks)
	}
	if !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age") {
		t.Error("no Strict-Transport-Security over https")
	}
}

func TestFormsNeedTheirToken(t *testing.T) {
	e := setup(t)
	r := e.refer(1, "run-1", resident("Sam"))
	b := e.browser()
	b.signIn(ana)
	b.get("/console/case/" + r.Ref)
	if p := b.post("/console/case/"+r.Ref+"/claim", url.Values{"csrf": {""}}); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Nothing was changed") {
		t.Errorf("a form without its token: %d", p.Status)
	}
	if p := b.post("/console/case/"+r.Ref+"/claim", url.Values{"csrf": {"forged"}}); p.Status != http.StatusForbidden {
		t.Errorf("a form with a forged token: %d", p.Status)
	}
	// Another worker's token is no good either.
	other := e.browser()
	other.signIn(ben)
	other.get("/console/queue")
	if p := b.post("/console/case/"+r.Ref+"/claim", url.Values{"csrf": {other.csrf}}); p.Status != http.StatusForbidden {
		t.Errorf("a form with another session's token: %d", p.Status)
	}
	// A form sent from another site, even with the token.
	req, _ := http.NewRequest("POST", e.srv.URL+"/console/case/"+r.Ref+"/claim", strings.NewReader(url.Values{"csrf": {b.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if p := b.do(req); p.Status != http.StatusForbidden {
		t.Errorf("a cross-site form: %d", p.Status)
	}
	if got, _ := e.desk.Referral(t.Context(), r.Ref); got.Status != handoff.StatusNew {
		t.Fatalf("a refused form changed the case: %s", got.Status)
	}
	if p := b.post("/console/case/"+r.Ref+"/claim", nil); p.Status != http.StatusSeeOther {
		t.Errorf("the console's own form: %d %s", p.Status, p.Body)
	}
	if got, _ := e.desk.Referral(t.Context(), r.Ref); got.Holder != ana {
		t.Errorf("after claiming: %+v", got.Holder)
	}
}

func TestCaseWork(t *testing.T) {
	e := setup(t)
	r := e.refer(1, "run-1", resident("Sam"))
	b := e.browser()
	b.signIn(ana)
	p := b.get("/console/case/" + r.Ref)
	for _, want := range []string{"Sam, 26 to 49", "What matters: Getting out more", "Wellbeing (ONS4, 0-10): life 3 (low)", "Claim this case", "No messages yet"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	steps := []struct {
		name, path string
		form       url.Values
		done       string
	}{
		{"claim", "claim", nil, "The case is yours."},
		{"message", "message", url.Values{"text": {"Hello Sam, I'm Ana."}}, "Your message is on its way"},
		{"note", "note", url.Values{"text": {"Prefers mornings"}}, "Note added."},
		{"a note that looks like markup", "note", url.Values{"text": {"<script>alert(1)</script>"}}, "Note added."},
		{"follow-up", "followup", nil, "asked for their follow-up answers"},
		{"close", "close", url.Values{"outcome": {"connected_group"}, "note": {"Walking group"}}, "The case is closed"},
	}
	for _, s := range steps {
		p := b.post("/console/case/"+r.Ref+"/"+s.path, s.form)
		if p.Status != http.StatusSeeOther || !strings.Contains(p.Location, "done=") {
			t.Fatalf("%s: %d %s\n%s", s.name, p.Status, p.Location, p.Body)
		}
		if p := b.get(p.Location); !strings.Contains(p.Body, s.done) {
			t.Errorf("after %s the page does not say %q", s.name, s.done)
		}
	}
	var kinds []handoff.NoticeKind
	for _, n := range e.notices {
		kinds = append(kinds, n.Kind)
	}
	want := "card person card follow_up card person" // a claim in the console sends no private copy
	var got []string
	for _, k := range kinds {
		got = append(got, string(k))
	}
	if strings.Join(got, " ") != want {
		t.Errorf("delivered %v, want %s", got, want)
	}
	p = b.get("/console/case/" + r.Ref)
	for _, want := range []string{"Hello Sam, I&#39;m Ana.", "Prefers mornings", "Closed: Connected to a group", "opened the case", "claimed it", "wrote to the person", "Console",
		"&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("case page after the work lacks %q", want)
		}
	}
	if strings.Contains(p.Body, "<script>alert") {
		t.Error("a note's markup reached the page unescaped")
	}
	if p := b.post("/console/case/"+r.Ref+"/close", url.Values{"outcome": {"advice"}}); !strings.Contains(p.Location, "error=closed") {
		t.Errorf("closing twice: %s", p.Location)
	}
	if p := b.post("/console/case/"+r.Ref+"/note", url.Values{"text": {"  "}}); !strings.Contains(p.Location, "error=empty") {
		t.Errorf("an empty note: %s", p.Location)
	}
}

func TestTeamsAndManagers(t *testing.T) {
	e := setup(t)
	leaver := e.refer(2, "run-2", map[string]string{"name": "Jo", "age": "17-25", "care_leaver": "yes", "needs": "befriending"})
	resident := e.refer(1, "run-1", resident("Sam"))
	ana := func() *browser { b := e.browser(); b.signIn(ana); return b }()
	if p := ana.get("/console/case/" + leaver.Ref); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "belongs to the leaving-care team") || strings.Contains(p.Body, "Jo") {
		t.Errorf("a link worker opening a leaving-care case: %d\n%s", p.Status, p.Body)
	}
	if p := ana.get("/console/queue"); strings.Contains(p.Body, leaver.Ref) || !strings.Contains(p.Body, resident.Ref) {
		t.Error("the link worker's queue shows the wrong team's cases")
	}
	if p := ana.get("/console/report"); p.Status != http.StatusForbidden {
		t.Errorf("a worker opening the figures: %d", p.Status)
	}
	if p := ana.post("/console/case/"+leaver.Ref+"/claim", nil); p.Status != http.StatusForbidden {
		t.Errorf("a link worker claiming a leaving-care case: %d", p.Status)
	}
	boss := e.browser()
	boss.signIn(max)
	if p := boss.get("/console/queue"); !strings.Contains(p.Body, leaver.Ref) || !strings.Contains(p.Body, resident.Ref) {
		t.Error("the manager does not see every team's cases")
	}
	// The same figures as the report command, small numbers withheld: two
	// referrals are "<5", and nothing of either person shows.
	p := boss.get("/console/report?team=")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Referrals by source") || !strings.Contains(p.Body, "<svg") || !strings.Contains(p.Body, "&lt;5") {
		t.Errorf("the manager's figures: %d\n%s", p.Status, p.Body)
	}
	for _, leak := range []string{"Sam", "Jo", leaver.Ref, resident.Ref} {
		if strings.Contains(p.Body, leak) {
			t.Errorf("the figures show %q", leak)
		}
	}
}

func TestQueueFiltersAndSearch(t *testing.T) {
	e := setup(t)
	a := e.refer(1, "run-1", resident("Sam"))
	e.clk.Advance(time.Minute)
	other := resident("Priya")
	other["needs"], other["postcode"], other["source"] = "housing", "E4", "friend"
	c := e.refer(2, "run-2", other)
	b := e.browser()
	b.signIn(ana)
	for _, tt := range []struct {
		query    string
		has, not string
	}{
		{"?need=housing", c.Ref, a.Ref},
		{"?source=gp", a.Ref, c.Ref},
		{"?status=claimed", "0 open cases match", a.Ref},
	} {
		p := b.get("/console/queue" + tt.query)
		if !strings.Contains(p.Body, tt.has) || strings.Contains(p.Body, tt.not) {
			t.Errorf("queue%s: want %s and not %s", tt.query, tt.has, tt.not)
		}
	}
	for _, tt := range []struct{ q, has, not string }{{"priya", c.Ref, a.Ref}, {"E17", a.Ref, c.Ref}, {a.Ref, a.Ref, c.Ref}} {
		p := b.get("/console/search?q=" + url.QueryEscape(tt.q))
		if !strings.Contains(p.Body, tt.has) || strings.Contains(p.Body, tt.not) {
			t.Errorf("search %q: want %s and not %s", tt.q, tt.has, tt.not)
		}
	}
}

func TestSignOutEverywhere(t *testing.T) {
	e := setup(t)
	phone, desk := e.browser(), e.browser()
	phone.signIn(ana)
	desk.signIn(ana)
	desk.get("/console/account")
	if p := desk.post("/console/signout/all", nil); p.Status != http.StatusOK || !strings.Contains(p.Body, "2 sessions ended") {
		t.Fatalf("sign out everywhere: %d\n%s", p.Status, p.Body)
	}
	for name, b := range map[string]*browser{"phone": phone, "desk": desk} {
		if p := b.get("/console/queue"); p.Status != http.StatusSeeOther {
			t.Errorf("%s still signed in: %d", name, p.Status)
		}
	}
	b := e.browser()
	b.signIn(ben)
	b.get("/console/account")
	if p := b.post("/console/signout", nil); p.Status != http.StatusOK {
		t.Errorf("sign out: %d", p.Status)
	}
	if p := b.get("/console/queue"); p.Status != http.StatusSeeOther {
		t.Errorf("signed out, still in: %d", p.Status)
	}
}

func TestSignInRateLimited(t *testing.T) {
	e := setup(t, func(c *console.Config) { c.SignInRate = 3 })
	b := e.browser()
	var last page
	for range 4 {
		last = b.post("/console/signin/link", url.Values{"t": {"guess"}})
	}
	if last.Status != http.StatusTooManyRequests || !strings.Contains(last.Body, "Too many attempts") {
		t.Errorf("the fourth guess in a minute: %d", last.Status)
	}
}

// TestHousingReferralBeforeClosing: a person who agreed to be referred to
// the housing options team, with no chat of that team set up, is a task on
// the case page; the case cannot close until a worker marks it done.
func TestHousingReferralBeforeClosing(t *testing.T) {
	e := setup(t)
	answers := resident("Sam")
	answers["needs"], answers["housing_urgent"], answers["housing_tonight"], answers["housing_refer"] = "housing", "yes", "yes", "yes"
	r := e.refer(1, "run-h", answers)
	b := e.browser()
	b.signIn(ana)
	p := b.get("/console/case/" + r.Ref)
	for _, want := range []string{"Housing options team", "To do before closing", "I have referred them", "Somewhere safe to sleep tonight: yes"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	b.post("/console/case/"+r.Ref+"/claim", nil)
	p = b.post("/console/case/"+r.Ref+"/close", url.Values{"outcome": {"advice"}})
	if !strings.Contains(p.Location, "error=housing_open") {
		t.Fatalf("closing before the housing referral: %s", p.Location)
	}
	if p := b.get(p.Location); !strings.Contains(p.Body, "Refer them and mark it done below before closing") {
		t.Error("the refusal is not explained")
	}
	if got, _ := e.desk.Referral(t.Context(), r.Ref); got.Status == handoff.StatusClosed {
		t.Fatal("closed anyway")
	}
	p = b.post("/console/case/"+r.Ref+"/housing", nil)
	if p := b.get(p.Location); !strings.Contains(p.Body, "Marked: the person has been referred") || strings.Contains(p.Body, "I have referred them") {
		t.Error("marking the housing referral done is not shown")
	}
	if p := b.post("/console/case/"+r.Ref+"/close", url.Values{"outcome": {"advice"}}); !strings.Contains(p.Location, "done=closed") {
		t.Errorf("closing after the housing referral: %s", p.Location)
	}
}
