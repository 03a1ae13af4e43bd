package console_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"signpost/console"
	"signpost/flows"
	"signpost/handoff"
	"signpost/internal/redistest"
	"signpost/internal/testclock"
	"signpost/store"
)

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

// Workers of the tests: ana and ben are link workers, cat is of the
// leaving-care team, max is a manager, eve is nobody.
var (
	ana = handoff.Worker{ID: 101, Name: "Ana Lee"}
	ben = handoff.Worker{ID: 102, Name: "Ben Jones"}
	cat = handoff.Worker{ID: 103, Name: "Cat Park"}
	max = handoff.Worker{ID: 104, Name: "Max Hill"}
	eve = handoff.Worker{ID: 999, Name: "Eve"}
)

// env is a console on real Redis behind an httptest server.
type env struct {
	t       testing.TB
	desk    *handoff.Desk
	st      *store.Store
	con     *console.Console
	srv     *httptest.Server
	clk     *testclock.Clock
	mu      sync.Mutex
	notices handoff.Notices
}

type option func(*console.Config)

func setup(t testing.TB, opts ...option) *env {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	clk := testclock.New(time.Now())
	st := store.New(rdb, store.Config{Prefix: prefix})
	log := slog.New(slog.DiscardHandler)
	desk := handoff.New(st, handoff.NewAuthoriser(handoff.AuthConfig{
		LinkWorkers: []int64{ana.ID, ben.ID}, LeavingCare: []int64{cat.ID}, Managers: []int64{max.ID}, SeparateLeavingCare: true,
	}), handoff.Config{Now: clk.Now, Logger: log})
	e := &env{t: t, desk: desk, st: st, clk: clk}
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	t.Cleanup(srv.Close)
	cfg := console.Config{
		PublicURL: srv.URL, Desk: desk, Store: st, Now: clk.Now, Logger: log,
		Deliver: func(_ context.Context, ns handoff.Notices) error {
			e.mu.Lock()
			e.notices = append(e.notices, ns...)
			e.mu.Unlock()
			return nil
		},
	}
	for _, o := range opts {
		o(&cfg)
	}
	con, err := console.New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = con.Handler()
	e.con, e.srv = con, srv
	return e
}

// refer makes a referral of a resident, as the conversation would.
func (e *env) refer(user int64, run string, answers map[string]string) handoff.Referral {
	e.t.Helper()
	r, _, err := e.desk.Create(e.t.Context(), flows.Effect{
		Kind: "create_referral", Key: run + ":referral", User: user, Run: run, Ref: flows.Ref(run), Lang: "en", Consent: true, Answers: answers,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func resident(name string) map[string]string {
	return map[string]string{"name": name, "age": "26-49", "what_matters": "Getting out more", "needs": "lonely,money",
		"source": "gp_F86001", "postcode": "E17", "contact": "yes", "contact_how": "telegram", "ons_life": "3"}
}

// browser is one person's HTTP client with its own cookies, which does not
// follow redirects so that tests see them.
type browser struct {
	t    testing.TB
	e    *env
	c    *http.Client
	csrf string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is an answer: its status, where it sends the browser, its body.
type page struct {
	Status   int
	Location string
	Body     string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfField.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return page{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(body)}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.e.srv.URL+path, nil)
	return b.do(req)
}

// post sends a form as the console's own page would: with its token unless
// form sets "csrf", and from the console's own origin.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok && b.csrf != "" {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// signIn signs w in through a one-time link, as the bot would give it.
func (b *browser) signIn(w handoff.Worker) {
	b.t.Helper()
	link, err := b.e.con.Link(b.t.Context(), w)
	if err != nil {
		b.t.Fatal(err)
	}
	b.useLink(link, http.StatusSeeOther)
}

// useLink follows a sign-in link and presses its button; want is the answer's status.
func (b *browser) useLink(link string, want int) page {
	b.t.Helper()
	u, _ := url.Parse(link)
	if p := b.get(u.Path + "?" + u.RawQuery); p.Status != http.StatusOK || !strings.Contains(p.Body, "Sign in") {
		b.t.Fatalf("link page: %d\n%s", p.Status, p.Body)
	}
	p := b.post(u.Path, url.Values{"t": {u.Query().Get("t")}})
	if p.Status != want {
		b.t.Fatalf("using the link answered %d, want %d:\n%s", p.Status, want, p.Body)
	}
	return p
}
