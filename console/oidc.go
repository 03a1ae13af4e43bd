package console

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"signpost/handoff"
	"signpost/internal/websec"
)

// OIDCConfig sets up sign-in with a council's OpenID Connect provider. Who
// may sign in is decided twice: the provider's account must have a verified
// e-mail address in one of Domains or a group in Groups, and it must be
// linked to a worker (a worker links it once, signed in by a link from the
// bot), so that it maps to the same worker and the same teams as in Telegram.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// Name is the provider as the sign-in button names it. Default "your
	// council account".
	Name string
	// Domains are the e-mail domains allowed ("example.gov.uk").
	Domains []string
	// Groups are the values of GroupClaim allowed.
	Groups []string
	// GroupClaim is the ID token's claim that lists groups. Default "groups".
	GroupClaim string
}

// Check reports a configuration that would let nobody, or anybody, in.
func (o OIDCConfig) Check() error {
	switch {
	case o.Issuer == "" || o.ClientID == "" || o.ClientSecret == "":
		return errors.New("the issuer, client id and client secret are all needed")
	case len(o.Domains) == 0 && len(o.Groups) == 0:
		return errors.New("an allowed e-mail domain or group is needed, or any account of the provider could be linked")
	}
	return nil
}

// oidcClient talks to the provider, found through its discovery document
// the first time it is needed.
type oidcClient struct {
	cfg      OIDCConfig
	redirect string

	mu       sync.Mutex
	provider *oidc.Provider
}

func newOIDC(cfg OIDCConfig, redirect string) *oidcClient {
	if cfg.Name == "" {
		cfg.Name = "your council account"
	}
	if cfg.GroupClaim == "" {
		cfg.GroupClaim = "groups"
	}
	return &oidcClient{cfg: cfg, redirect: redirect}
}

func (o *oidcClient) setup(ctx context.Context) (*oidc.Provider, *oauth2.Config, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		p, err := oidc.NewProvider(ctx, o.cfg.Issuer)
		if err != nil {
			return nil, nil, fmt.Errorf("discover %s: %w", o.cfg.Issuer, err)
		}
		o.provider = p
	}
	scopes := []string{oidc.ScopeOpenID, "email"}
	if len(o.cfg.Groups) > 0 {
		scopes = append(scopes, "groups")
	}
	return o.provider, &oauth2.Config{
		ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.redirect,
		Endpoint: o.provider.Endpoint(), Scopes: scopes,
	}, nil
}

// flight is what the browser carries from the start of a sign-in to its
// return from the provider, signed so it cannot be forged.
type flight struct {
	State    string         `json:"s"`
	Nonce    string         `json:"n"`
	Verifier string         `json:"v"`
	Link     handoff.Worker `json:"l"` // set when a signed-in worker links their account
	Expires  int64          `json:"e"`
}

const flightCookie = "signpost_console_oidc"

func (c *Console) oidcName() string {
	if c.oidc == nil {
		return ""
	}
	return c.oidc.cfg.Name
}

// sign and unsign keep a flight honest: an HMAC under the CSRF key.
func (c *Console) sign(f flight) string {
	b, _ := json.Marshal(f)
	m := hmac.New(sha256.New, c.pseudo)
	m.Write(b)
	return base64.RawURLEncoding.EncodeToString(b) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (c *Console) unsign(v string) (flight, bool) {
	body, mac, ok := strings.Cut(v, ".")
	if !ok {
		return flight{}, false
	}
	b, err1 := base64.RawURLEncoding.DecodeString(body)
	got, err2 := base64.RawURLEncoding.DecodeString(mac)
	if err1 != nil || err2 != nil {
		return flight{}, false
	}
	m := hmac.New(sha256.New, c.pseudo)
	m.Write(b)
	if !hmac.Equal(got, m.Sum(nil)) {
		return flight{}, false
	}
	var f flight
	if json.Unmarshal(b, &f) != nil || c.cfg.Now().Unix() > f.Expires {
		return flight{}, false
	}
	return f, true
}

// oidcBegin sends the browser to the provider. The flight cookie is
// SameSite=Lax: it must come back with the provider's redirect.
func (c *Console) oidcBegin(w http.ResponseWriter, r *http.Request, link handoff.Worker) {
	if c.oidc == nil {
		c.fail(w, r, nil, http.StatusNotFound, msgNoOIDC)
		return
	}
	_, oc, err := c.oidc.setup(r.Context())
	if err != nil {
		c.log.Error("console: OpenID provider", "err", err)
		c.fail(w, r, nil, http.StatusBadGateway, msgOIDCDown)
		return
	}
	f := flight{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(), Link: link,
		Expires: c.cfg.Now().Add(LinkTTL).Unix()}
	http.SetCookie(w, &http.Cookie{
		Name: flightCookie, Value: c.sign(f), Path: Prefix + "/signin/oidc", MaxAge: int(LinkTTL / time.Second),
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, oc.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusSeeOther)
}

func (c *Console) oidcStart(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	if c.limited(w, r) {
		return
	}
	c.oidcBegin(w, r, handoff.Worker{})
}

// oidcLinkStart begins linking the signed-in worker's council account.
func (c *Console) oidcLinkStart(w http.ResponseWriter, r *http.Request, v *viewer) {
	if v.Via != "link" {
		// Only a sign-in proven through Telegram may link an account.
		c.fail(w, r, v, http.StatusForbidden, msgLinkFromBot)
		return
	}
	c.oidcBegin(w, r, v.Worker)
}

// oidcCallback finishes a sign-in, or a linking, on the provider's return.
func (c *Console) oidcCallback(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	if c.oidc == nil {
		c.fail(w, r, nil, http.StatusNotFound, msgNoOIDC)
		return
	}
	ck, err := r.Cookie(flightCookie)
	var f flight
	ok := err == nil
	if ok {
		f, ok = c.unsign(ck.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: flightCookie, Value: "", Path: Prefix + "/signin/oidc", MaxAge: -1, HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode})
	if !ok || r.URL.Query().Get("state") != f.State || r.URL.Query().Get("code") == "" {
		c.fail(w, r, nil, http.StatusForbidden, msgOIDCFailed)
		return
	}
	ctx := r.Context()
	p, oc, err := c.oidc.setup(ctx)
	if err != nil {
		c.fail(w, r, nil, http.StatusBadGateway, msgOIDCDown)
		return
	}
	tok, err := oc.Exchange(ctx, r.URL.Query().Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		c.log.Warn("console: OpenID code exchange", "err", err)
		c.fail(w, r, nil, http.StatusForbidden, msgOIDCFailed)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.VerifierContext(ctx, &oidc.Config{ClientID: c.oidc.cfg.ClientID, Now: c.cfg.Now}).Verify(ctx, raw)
	if err != nil || idt.Nonce != f.Nonce {
		c.log.Warn("console: OpenID token refused", "err", err)
		c.fail(w, r, nil, http.StatusForbidden, msgOIDCFailed)
		return
	}
	if !c.oidcAllowed(idt) {
		c.fail(w, r, nil, http.StatusForbidden, msgOIDCNotAllowed)
		return
	}
	subject := idt.Issuer + "|" + idt.Subject
	if f.Link.ID != 0 {
		if err := c.cfg.Store.PutOIDCWorker(ctx, subject, f.Link.ID); err != nil {
			c.fail(w, r, nil, http.StatusServiceUnavailable, msgSorry)
			return
		}
		c.log.InfoContext(ctx, "console: council account linked", "worker", f.Link.ID)
		c.render(w, r, http.StatusOK, "continue", nil, map[string]any{"Linked": true, "Name": c.oidc.cfg.Name})
		return
	}
	id, ok, err := c.cfg.Store.OIDCWorker(ctx, subject)
	if err != nil {
		c.fail(w, r, nil, http.StatusServiceUnavailable, msgSorry)
		return
	}
	if !ok {
		c.fail(w, r, nil, http.StatusForbidden, msgNotLinked)
		return
	}
	worker := handoff.Worker{ID: id, Name: "Link worker"}
	if known, ok, err := c.cfg.Desk.Worker(ctx, id); err == nil && ok {
		worker = known.Worker
	}
	if _, err := c.cfg.Desk.Access(ctx, worker); err != nil {
		c.fail(w, r, nil, http.StatusForbidden, msgNoTeam)
		return
	}
	if err := c.startSession(ctx, w, worker, "oidc"); err != nil {
		c.fail(w, r, nil, http.StatusServiceUnavailable, msgSorry)
		return
	}
	// A page, not a redirect: the session cookie is SameSite=Strict, and the
	// browser sends it only on a navigation that starts from this site.
	c.render(w, r, http.StatusOK, "continue", nil, map[string]any{"Linked": false})
}

// oidcAllowed applies the allowed domains and groups to an ID token.
func (c *Console) oidcAllowed(idt *oidc.IDToken) bool {
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return false
	}
	cfg := c.oidc.cfg
	if email, _ := claims["email"].(string); email != "" && claims["email_verified"] == true {
		_, domain, _ := strings.Cut(strings.ToLower(email), "@")
		for _, d := range cfg.Domains {
			if domain == strings.ToLower(strings.TrimPrefix(d, "@")) {
				return true
			}
		}
	}
	if gs, ok := claims[cfg.GroupClaim].([]any); ok {
		for _, g := range gs {
			if s, ok := g.(string); ok && slices.Contains(cfg.Groups, s) {
				return true
			}
		}
	}
	return false
}
