package browsertest

import (
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// page serves a small form that echoes what was typed, with a script that
// marks the page when it runs.
func page() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		r.ParseForm()
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test page</title>
<script src="/s.js" defer></script></head><body><main><h1>Hello</h1>
<p id="said">You said: %s</p><p id="js">no script ran</p>
<form method="post" action="/"><label for="t">Message</label> <input id="t" name="t"> <button id="go">Send</button></form>
%s</main></body></html>`, templateEscape(r.FormValue("t")), r.URL.Query().Get("extra"))
	})
	mux.HandleFunc("/s.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `document.getElementById('js').textContent = 'the script ran';`)
	})
	return mux
}

func templateEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func TestBrowser(t *testing.T) {
	b := Start(t)
	srv := httptest.NewServer(page())
	t.Cleanup(srv.Close)

	t.Run("type, click and read, with JavaScript", func(t *testing.T) {
		p := b.NewPage()
		p.Open(srv.URL)
		p.WaitText("#js", "the script ran")
		p.Type("#t", "kind words")
		p.Click("#go")
		if got := p.WaitText("#said", "kind words"); got != "You said: kind words" {
			t.Errorf("after the form: %q", got)
		}
		if n := p.Count("form"); n != 1 {
			t.Errorf("%d forms, want 1", n)
		}
		reqs := p.Requests()
		if len(reqs) < 3 || !strings.HasSuffix(reqs[1], "/s.js") {
			t.Errorf("requests recorded: %q", reqs)
		}
	})
	t.Run("without JavaScript the page's scripts do not run, forms still work", func(t *testing.T) {
		p := b.NewPage(WithoutJavaScript())
		p.Open(srv.URL)
		if got := p.Text("#js"); got != "no script ran" {
			t.Errorf("script marker: %q", got)
		}
		p.Type("#t", "hello")
		p.Click("#go")
		p.WaitText("#said", "hello")
		if vs := p.Axe(); len(vs) != 0 {
			t.Errorf("a clean page has violations: %v", vs)
		}
		if got := p.Text("#js"); got != "no script ran" {
			t.Errorf("the axe check ran the page's script: %q", got)
		}
	})
	t.Run("each page has its own cookies", func(t *testing.T) {
		a, c := b.NewPage(), b.NewPage()
		a.Open(srv.URL)
		c.Open(srv.URL)
		a.Eval(`document.cookie = "who=a"; true`, nil)
		var got string
		c.Eval(`document.cookie`, &got)
		if got != "" {
			t.Errorf("the second page sees the first one's cookie: %q", got)
		}
	})
	t.Run("axe-core finds what breaks WCAG", func(t *testing.T) {
		p := b.NewPage()
		p.Open(srv.URL + "/?extra=" + "%3Cimg%20src%3D%22%2Fs.js%22%3E%3Cp%20style%3D%22color%3A%23bbb%22%3Epale%3C%2Fp%3E")
		ids := map[string]bool{}
		for _, v := range p.Axe() {
			ids[v.ID] = true
		}
		for _, want := range []string{"image-alt", "color-contrast"} {
			if !ids[want] {
				t.Errorf("axe-core did not report %s; it reported %v", want, ids)
			}
		}
	})
	t.Run("screenshot", func(t *testing.T) {
		p := b.NewPage(Viewport(320, 640))
		p.Open(srv.URL)
		path := filepath.Join(t.TempDir(), "shot.png")
		p.Screenshot(path)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		if w := img.Bounds().Dx(); w != 320 {
			t.Errorf("screenshot %d pixels wide, want 320", w)
		}
	})
}
