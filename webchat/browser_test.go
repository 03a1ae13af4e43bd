package webchat

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"signpost/content"
	"signpost/flows"
	"signpost/internal/browsertest"
	"signpost/webchat/webchattest"
)

var screenshots = flag.Bool("screenshots", false, "write the README's screenshot of the web chat to docs/ (go test ./webchat -run TestSelfReferral -args -screenshots)")

// sameOrigin fails the test for any request the page made elsewhere.
func sameOrigin(t *testing.T, base string, p *browsertest.Page) {
	t.Helper()
	for _, u := range p.Requests() {
		if !strings.HasPrefix(u, base+"/") {
			t.Errorf("the page asked for %s, not from its own origin %s", u, base)
		}
	}
}

func TestSelfReferral(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := "with JavaScript"
		if !js {
			name = "without JavaScript"
		}
		t.Run(name, func(t *testing.T) {
			c := newChat(t, Config{Name: "Waltham Forest social prescribing"})
			b := browsertest.Shared(t)
			var opts []browsertest.PageOption
			if !js {
				opts = append(opts, browsertest.WithoutJavaScript())
			}
			p := b.NewPage(append(opts, browsertest.Viewport(320, 640))...)
			p.Open(c.http.URL + "/chat?src=gp_F86001")
			p.CheckAccessibility("the first page")
			if *screenshots && js {
				p.Screenshot(filepath.Join("..", "docs", "webchat-start.png"))
			}
			webchattest.Walk(t, p)
			p.WaitText("#log", "Get weekly messages on Telegram")
			p.CheckAccessibility("the end of the conversation")
			sameOrigin(t, c.http.URL, p)

			// The referral, with the answers and the source of the deep link.
			var ref *flows.Effect
			c.effects.mu.Lock()
			for i, e := range c.effects.effects {
				if e.Kind == content.ActionReferral {
					ref = &c.effects.effects[i]
				}
			}
			c.effects.mu.Unlock()
			if ref == nil {
				t.Fatalf("no referral among the effects %v", c.effects.kinds())
			}
			if !flows.IsWeb(ref.User) || ref.Answers["name"] != "Sam" || ref.Answers["source"] != "gp_F86001" || ref.Answers["contact_how"] != "telegram" {
				t.Errorf("referral user %d, answers %v", ref.User, ref.Answers)
			}
			if slices.Contains(c.effects.kinds(), content.ActionCheckins) {
				t.Error("a web visitor was enrolled for check-ins the web cannot send")
			}
			// A reload shows the same conversation: nothing is lost.
			p.Open(c.http.URL + "/chat")
			p.WaitText("#log", "Thank you, Sam. How old are you?")
			p.WaitText("#log", "We have sent your answers to a link worker")
		})
	}
}

func TestSecurityHeadersAndSize(t *testing.T) {
	c := newChat(t, Config{})
	resp, err := http.Get(c.http.URL + "/chat")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy: %q", csp)
	}
	var first int64
	for _, path := range []string{"/chat", "/chat/theme.css", "/chat/static/chat.css", "/chat/static/chat.js", "/chat/static/icon.svg"} {
		r, err := http.Get(c.http.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io_Copy(r)
		if r.StatusCode != 200 {
			t.Errorf("%s: %d", path, r.StatusCode)
		}
		first += n
	}
	t.Logf("first page with everything it loads: %d bytes", first)
	if first > 50_000 {
		t.Errorf("the first page weighs %d bytes with what it loads; it must stay under 50 KB", first)
	}
	_ = json.Valid
	_ = context.Background
	_ = time.Second
}
