package console_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"signpost/handoff"
)

// signedInRequest returns a GET of path with a session cookie of w's.
func (e *env) signedInRequest(b testing.TB, w handoff.Worker, path string) *http.Request {
	br := e.browser()
	br.signIn(w)
	u, _ := http.NewRequest("GET", e.srv.URL+"/console/", nil)
	req := httptest.NewRequest("GET", path, nil)
	for _, c := range br.c.Jar.Cookies(u.URL) {
		req.AddCookie(c)
	}
	return req
}

// BenchmarkQueuePage renders the first page of a queue of 10,000 open
// referrals, through the whole handler: the session, the worker's teams,
// every open case read and sorted, and the page. Target: under 50 ms.
func BenchmarkQueuePage(b *testing.B) {
	e := setup(b)
	const n = 10000
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range 16 {
		wg.Go(func() {
			for i := range jobs {
				a := resident(fmt.Sprintf("Person %d", i))
				if i%7 == 0 {
					a["needs"] = "housing"
				}
				e.refer(int64(1000+i), fmt.Sprintf("run-%d", i), a)
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	h := e.con.Handler()
	for _, bb := range []struct{ name, query, want string }{
		{"first page", "", "10000 open cases"},
		{"filtered by need", "?need=housing", "1429 open cases match"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			req := e.signedInRequest(b, ana, "/console/queue"+bb.query)
			check := httptest.NewRecorder()
			h.ServeHTTP(check, req)
			if body := check.Body.String(); check.Code != http.StatusOK || !strings.Contains(body, bb.want) {
				b.Fatalf("queue page: %d\n%.500s", check.Code, body)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
			}
		})
	}
}

// BenchmarkCasePage renders a case with 500 events in its history, through
// the whole handler, which also records the view in the audit trail.
// Target: under 20 ms.
func BenchmarkCasePage(b *testing.B) {
	e := setup(b)
	r := e.refer(1, "run-1", resident("Sam"))
	ctx := b.Context()
	if _, _, err := e.desk.Claim(ctx, r.Ref, ana); err != nil {
		b.Fatal(err)
	}
	for i := 0; len(historyOf(b, e, r.Ref)) < 500; i++ {
		var err error
		switch i % 3 {
		case 0:
			_, _, err = e.desk.Message(ctx, r.Ref, ana, fmt.Sprintf("Message %d: how did the group go this week?", i))
		case 1:
			_, _, err = e.desk.FromPerson(ctx, 1, 0, fmt.Sprintf("Reply %d: it was good, thank you", i))
		default:
			_, _, err = e.desk.Note(ctx, r.Ref, ana, fmt.Sprintf("Note %d: called, left a message", i))
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	req := e.signedInRequest(b, ana, "/console/case/"+r.Ref)
	h := e.con.Handler()
	check := httptest.NewRecorder()
	h.ServeHTTP(check, req)
	if check.Code != http.StatusOK || !strings.Contains(check.Body.String(), "Note 497") {
		b.Fatalf("case page: %d", check.Code)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
}

func historyOf(b testing.TB, e *env, ref string) []handoff.Event {
	h, err := e.st.History(b.Context(), ref)
	if err != nil {
		b.Fatal(err)
	}
	return h
}
