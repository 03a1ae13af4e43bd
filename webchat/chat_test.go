package webchat

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"signpost/flows"
	"signpost/internal/browsertest"
	"signpost/webchat/webchattest"
)

// crisisWords are recognised by the content's risk model.
const crisisWords = "I want to die"

func TestCrisis(t *testing.T) {
	c := newChat(t, Config{})
	b := browsertest.Shared(t)
	p := b.NewPage()
	p.Open(c.http.URL + "/chat")

	// Before consent: the help lines at once, an urgent flag, nothing kept.
	p.Type("#t", crisisWords)
	p.ClickButton("Send")
	p.WaitText("#log", "Samaritans: call 116 123")
	p.WaitText("#log", "We have not kept what you wrote")
	p.WaitText("#log", crisisWords)
	waitFor(t, func() bool { return slices.Contains(c.effects.kinds(), flows.EffectUrgent) })
	c.effects.mu.Lock()
	flag := c.effects.effects[len(c.effects.effects)-1]
	c.effects.mu.Unlock()
	if flag.Text != "" {
		t.Errorf("the flag of a visitor who has not consented carries their words %q", flag.Text)
	}
	if keys := c.keys(t, ":{u:*"); len(keys) != 0 {
		t.Errorf("keys kept for a visitor who has not consented: %v", keys)
	}
	if got := p.Count(`a[href="tel:116123"]`); got == 0 {
		t.Error("Samaritans' number is not a link to call")
	}
	p.WaitText("#log", "Are you safe right now?")
	p.CheckAccessibility("the crisis response")

	// Once they say whether they are safe, the conversation begins.
	p.ClickButton("Yes")
	p.WaitText("#log", "Is it OK for us to keep your answers")

	// After consent: the same help, and the flag carries their words.
	p.ClickButton("Yes, that's OK")
	p.WaitText("#log", "What would you like us to call you")
	p.Type("#t", "Things are bad and I want to die")
	p.ClickButton("Send")
	p.WaitText("#log", "they will see what you wrote")
	waitFor(t, func() bool {
		c.effects.mu.Lock()
		defer c.effects.mu.Unlock()
		for _, e := range c.effects.effects {
			if e.Kind == flows.EffectUrgent && e.Text == "Things are bad and I want to die" {
				return true
			}
		}
		return false
	})
	// Not safe: 999 first; then the question is asked again, so the person
	// can carry on.
	p.WaitText("#log", "Are you safe right now?")
	p.ClickButton("No")
	p.WaitText("#log", "Please call 999 now")
	p.WaitText("#log > li:last-child", "What would you like us to call you")
	if got := p.Text("#log > li:last-child"); !strings.Contains(got, "What would you like us to call you") {
		t.Errorf("after the crisis lines the last message reads %q", got)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// visitorOfPage is the person id of the page's visitor, from its cookie.
func visitorOfPage(t *testing.T, p *browsertest.Page, base string) int64 {
	t.Helper()
	var cookies []struct {
		Name, Value string
	}
	raw := p.Cookies(base + "/chat")
	if err := json.Unmarshal(raw, &cookies); err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		if c.Name == visitorCookie {
			return visitorID(c.Value)
		}
	}
	t.Fatal("the page has no visitor cookie")
	return 0
}

// linkWorkerSays puts a link worker's message in the visitor's outbox, as
// casework does, and tells the chat.
func linkWorkerSays(t *testing.T, c *chat, user int64, text string, notify bool) {
	t.Helper()
	raw, _ := json.Marshal(flows.Out{ID: "lw." + strconv.FormatInt(time.Now().UnixNano(), 10), Kind: flows.OutMessage, Text: text})
	ctx := context.Background()
	if err := c.store.Enqueue(ctx, user, [][]byte{raw}); err != nil {
		t.Fatal(err)
	}
	if notify {
		if err := c.srv.Notify(ctx, user); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLinkWorkerMessage(t *testing.T) {
	c := newChat(t, Config{SweepEvery: time.Hour})
	b := browsertest.Shared(t)
	p := b.NewPage()
	p.Open(c.http.URL + "/chat")
	webchattest.Begin(t, p, "Sam")
	user := visitorOfPage(t, p, c.http.URL)

	t.Run("appears in the open page", func(t *testing.T) {
		before := p.Requests()
		linkWorkerSays(t, c, user, "Your link worker Priya says:\nHello Sam, I have your referral.", true)
		p.WaitText("#log", "Hello Sam, I have your referral.")
		for _, u := range p.Requests()[len(before):] {
			if strings.HasSuffix(u, "/chat") {
				t.Errorf("the page was loaded again (%s) to show the message", u)
			}
		}
	})
	t.Run("waits for the page to open", func(t *testing.T) {
		q := b.NewPage()
		q.Open(c.http.URL + "/chat/static/icon.svg") // the same visitor, another tab, not the chat
		p.Open("about:blank")
		linkWorkerSays(t, c, user, "Your link worker Priya says:\nAre mornings good for a call?", false)
		p.Open(c.http.URL + "/chat")
		p.WaitText("#log", "Are mornings good for a call?")
	})
}

func TestResumeCodeFromASecondBrowser(t *testing.T) {
	c := newChat(t, Config{})
	b := browsertest.Shared(t)
	first := b.NewPage()
	first.Open(c.http.URL + "/chat")
	webchattest.Begin(t, first, "Robin")
	first.ClickButton("Carry on from another device")
	log := first.WaitText("#log", "Your code to carry on from another device is")
	code := regexp.MustCompile(`is ([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\.`).FindStringSubmatch(log)
	if code == nil {
		t.Fatalf("no code in %q", log)
	}

	second := b.NewPage(browsertest.WithoutJavaScript())
	second.Open(c.http.URL + "/chat")
	second.WaitText("#log", "Is it OK for us to keep your answers")
	second.ClickButton("I have a code")
	second.WaitText("main", "type the code you saved there")
	second.CheckAccessibility("the resume page")
	second.Type("#code", "zzzz-zzzz")
	second.ClickButton("Carry on")
	second.WaitText(".notice", "that code does not match")
	second.Type("#code", strings.ToLower(code[1]))
	second.ClickButton("Carry on")
	second.WaitText("#log", "Thank you, Robin. How old are you?")
	second.ClickButton("50 to 64")
	first.WaitText("#log", "What matters to you most right now") // the first page sees it too
}

func TestForget(t *testing.T) {
	c := newChat(t, Config{})
	b := browsertest.Shared(t)
	p := b.NewPage()
	p.Open(c.http.URL + "/chat")
	webchattest.Begin(t, p, "Alex")
	p.ClickButton("Carry on from another device")
	p.WaitText("#log", "Your code to carry on")
	user := visitorOfPage(t, p, c.http.URL)
	if len(c.keys(t, ":{u:"+strconv.FormatInt(user, 10)+"}:*")) == 0 {
		t.Fatal("nothing kept after consent")
	}
	p.ClickButton("Delete everything")
	p.WaitText("#log", "We have deleted your details")
	waitFor(t, func() bool { return slices.Contains(c.effects.kinds(), flows.EffectErased) })
	if keys := c.keys(t, ":*"); len(keys) > 0 {
		var left []string
		for _, k := range keys {
			// Rate limits hold no one's data; the index of pending
			// outboxes drops the visitor at its next sweep.
			if !strings.Contains(k, ":rl:") && !strings.Contains(k, ":content:") && !strings.HasSuffix(k, ":pending:web") {
				left = append(left, k)
			}
		}
		if len(left) > 0 {
			t.Errorf("keys left after /forget: %v", left)
		}
	}
	p.Open(c.http.URL + "/chat")
	p.WaitText("#log", "Is it OK for us to keep your answers")
	if strings.Contains(p.Text("#log"), "Alex") {
		t.Error("the page still shows the erased conversation")
	}
}

// client is a browser without a browser: cookies, and forms posted by hand.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.hc.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	body := readBody(resp)
	if m := csrfPattern.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	return resp.StatusCode, body
}

func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, readBody(resp)
}

func readBody(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestNothingKeptBeforeConsent(t *testing.T) {
	c := newChat(t, Config{})
	v := newClient(t, c.http.URL)
	v.get("/chat?src=gp_F86001")
	v.post("/chat", url.Values{"t": {"hello"}, "f": {"1"}})
	v.post("/chat", url.Values{"cmd": {"help"}, "f": {"2"}})
	if code, body := v.post("/chat", url.Values{"cmd": {"privacy"}, "f": {"3"}}); code != 200 || !strings.Contains(body, "How we look after what you tell us") {
		t.Errorf("before consent a command answers %d:\n%s", code, body)
	}
	for _, k := range c.keys(t, ":*") {
		if !strings.Contains(k, ":rl:") && !strings.Contains(k, ":content:") {
			t.Errorf("kept before consent: %s", k)
		}
	}
	// Refusing consent keeps nothing either, and says goodbye once.
	code, body := v.post("/chat", url.Values{"b": {buttonData(t, body(v), "No thanks")}, "f": {"4"}})
	if code != 200 || !strings.Contains(body, "We have not kept anything you told us") {
		t.Errorf("refusing consent: %d\n%s", code, body)
	}
	for _, k := range c.keys(t, ":*") {
		if !strings.Contains(k, ":rl:") && !strings.Contains(k, ":content:") {
			t.Errorf("kept after consent was refused: %s", k)
		}
	}
}

// body is the visitor's page now.
func body(v *client) string {
	_, b := v.get("/chat")
	return b
}

// buttonData finds the data of the button labelled label in a page.
func buttonData(t *testing.T, page, label string) string {
	t.Helper()
	m := regexp.MustCompile(`<button name="b" value="([^"]+)"[^>]*>` + regexp.QuoteMeta(strings.ReplaceAll(label, "'", "&#39;")) + `</button>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no button %q in the page", label)
	}
	return strings.ReplaceAll(m[1], "&#43;", "+")
}

func TestRateLimit(t *testing.T) {
	c := newChat(t, Config{PerVisitor: 3})
	v := newClient(t, c.http.URL)
	v.get("/chat")
	v.post("/chat", url.Values{"b": {buttonData(t, body(v), "Yes, that's OK")}, "f": {"a"}})
	v.post("/chat", url.Values{"t": {"Jo"}, "f": {"b"}})
	v.post("/chat", url.Values{"cmd": {"help"}, "f": {"c"}})
	code, page := v.post("/chat", url.Values{"t": {"words I do not want to lose"}, "f": {"d"}})
	if code != http.StatusTooManyRequests {
		t.Fatalf("the fourth message in a moment answered %d, want 429", code)
	}
	if !strings.Contains(page, "faster than we can read them") || !strings.Contains(page, "words I do not want to lose</textarea>") {
		t.Errorf("the limited page does not say why or lost the message:\n%s", page)
	}
}

func TestFormsNeedTheirToken(t *testing.T) {
	c := newChat(t, Config{})
	v := newClient(t, c.http.URL)
	v.get("/chat")
	code, page := v.post("/chat", url.Values{"t": {"hello"}, "csrf": {"forged"}})
	if code != http.StatusForbidden || !strings.Contains(page, "hello</textarea>") {
		t.Errorf("a form with a forged token: %d", code)
	}
	req, _ := http.NewRequest("POST", c.http.URL+"/chat", strings.NewReader("t=hi&csrf="+v.csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := v.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a post from another site: %d", resp.StatusCode)
	}
	big := strings.Repeat("x", 20<<10)
	code, _ = v.post("/chat", url.Values{"t": {big}})
	if code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 20 KB post: %d, want 413", code)
	}
}
