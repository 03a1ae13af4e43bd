package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"signpost/console"
)

// TestOpenIDConnect signs in with a council's provider, played by an OpenID
// Connect server on loopback: an account is linked once by a worker signed
// in through the bot, then signs in as that worker; an account not linked,
// or outside the allowed domain, is refused.
func TestOpenIDConnect(t *testing.T) {
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	e := setup(t, func(c *console.Config) {
		c.OIDC = &console.OIDCConfig{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret,
			Name: "Example Council", Domains: []string{"example.gov.uk"}}
	})
	// provider plays the browser's trip to the provider and back: the
	// provider answers at once for the user queued.
	provider := func(b *browser, start page, u *mockoidc.MockUser) page {
		t.Helper()
		if start.Status != http.StatusSeeOther || !strings.HasPrefix(start.Location, m.Issuer()) {
			t.Fatalf("not sent to the provider: %d %s\n%s", start.Status, start.Location, start.Body)
		}
		m.QueueUser(u)
		res, err := b.c.Get(start.Location)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		back := res.Header.Get("Location")
		if !strings.HasPrefix(back, e.srv.URL+"/console/signin/oidc/callback") {
			t.Fatalf("the provider sent the browser to %s", back)
		}
		return b.get(strings.TrimPrefix(back, e.srv.URL))
	}
	anaAccount := &mockoidc.MockUser{Subject: "ana-at-council", Email: "ana.lee@example.gov.uk", EmailVerified: true}

	t.Run("an account not linked yet is refused", func(t *testing.T) {
		b := e.browser()
		p := provider(b, b.get("/console/signin/oidc"), anaAccount)
		if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "not linked to a link worker yet") {
			t.Errorf("unlinked account: %d\n%s", p.Status, p.Body)
		}
	})

	// Ana links her council account, signed in with a link from the bot.
	b := e.browser()
	b.signIn(ana)
	if p := b.get("/console/account"); !strings.Contains(p.Body, "Link Example Council") {
		t.Fatal("the account page offers no linking")
	}
	if p := provider(b, b.post("/console/account/oidc", nil), anaAccount); p.Status != http.StatusOK || !strings.Contains(p.Body, "Account linked") {
		t.Fatalf("linking: %d\n%s", p.Status, p.Body)
	}

	t.Run("the linked account signs in as its worker", func(t *testing.T) {
		b := e.browser()
		p := provider(b, b.get("/console/signin/oidc"), anaAccount)
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "Continue to the queue") {
			t.Fatalf("sign-in: %d\n%s", p.Status, p.Body)
		}
		if p := b.get("/console/account"); p.Status != http.StatusOK || !strings.Contains(p.Body, "Ana Lee") || !strings.Contains(p.Body, "with Example Council") {
			t.Errorf("signed in as: %d\n%s", p.Status, p.Body)
		}
		// Only a sign-in proven through Telegram may link an account.
		if p := b.post("/console/account/oidc", nil); p.Status != http.StatusForbidden {
			t.Errorf("linking from a provider's sign-in: %d", p.Status)
		}
	})
	t.Run("an account outside the allowed domains is refused", func(t *testing.T) {
		b := e.browser()
		p := provider(b, b.get("/console/signin/oidc"), &mockoidc.MockUser{Subject: "ana-at-council", Email: "ana@mail.example.com", EmailVerified: true})
		if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "may not sign in") {
			t.Errorf("other domain: %d\n%s", p.Status, p.Body)
		}
	})
	t.Run("a forged return is refused", func(t *testing.T) {
		b := e.browser()
		if p := b.get("/console/signin/oidc/callback?code=x&state=y"); p.Status != http.StatusForbidden {
			t.Errorf("callback without a flight: %d", p.Status)
		}
	})
}
