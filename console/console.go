// Package console is the link workers' web console: the queue of open
// referrals, a worker's own cases, each case with its history, notes, the
// conversation with the person and an audit trail of every view and action,
// and the forms that act on it (claim, write to the person, note, reassign,
// close with an outcome, ask for follow-up answers), search, and for managers
// the figures.
//
// Every rule is the handoff.Desk's: the console reads cases through it and
// acts through it, and what an action asks for (a message to the person, a
// card redrawn in Telegram) is delivered by whoever wired the console, as
// the bot delivers the same notices. The pages are server-rendered HTML with
// one embedded stylesheet and one small script, usable without JavaScript
// and written for WCAG 2.2 AA.
//
// Sign-in needs no password: a worker sends /console to the bot in a
// private chat and follows the one-time link it gives (10 minutes, once), or,
// where a council sets it up, signs in with its OpenID Connect provider once
// their account is linked to their worker identity. Sessions live in Redis
// (8 hours idle), in a cookie that is HttpOnly, SameSite=Strict and Secure
// over https; every form carries a CSRF token; sign-in is rate-limited.
package console

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"signpost/handoff"
	"signpost/internal/websec"
)

// Defaults and limits.
const (
	// Prefix is where the console lives on the service's address.
	Prefix = "/console"
	// LinkTTL is how long a one-time sign-in link works.
	LinkTTL = 10 * time.Minute
	// IdleTTL is how long a session lasts without a request.
	IdleTTL = 8 * time.Hour
	// DefaultSignInRate is how many sign-in attempts an address may make a minute.
	DefaultSignInRate = 10
	// PageSize is how many cases a page of the queue shows.
	PageSize = 50
	// maxForm bounds what a form may send.
	maxForm = 64 << 10
)

// Session is a signed-in worker.
type Session struct {
	Worker  handoff.Worker `json:"w"`
	Created time.Time      `json:"c"`
	// Via is how they signed in: "link" or "oidc".
	Via string `json:"v"`
}

// Link is a one-time sign-in link as stored.
type Link struct {
	Worker  handoff.Worker `json:"w"`
	Expires time.Time      `json:"e"`
}

// Store keeps the console's sessions, links and linked council accounts;
// store.Store is one. Ids and tokens are stored hashed.
type Store interface {
	PutSession(ctx context.Context, id string, s Session, idle time.Duration) error
	// Session returns a live session and gives it idle again.
	Session(ctx context.Context, id string, idle time.Duration) (Session, bool, error)
	DeleteSession(ctx context.Context, id string, worker int64) error
	DeleteWorkerSessions(ctx context.Context, worker int64) (int, error)
	PutLink(ctx context.Context, token string, l Link, ttl time.Duration) error
	// TakeLink returns a link once; a second take finds nothing.
	TakeLink(ctx context.Context, token string) (Link, bool, error)
	PutOIDCWorker(ctx context.Context, subject string, worker int64) error
	OIDCWorker(ctx context.Context, subject string) (int64, bool, error)
	websec.Limiter
	Secret(ctx context.Context, name string) ([]byte, error)
}

// Config of a Console. Zero values mean the documented defaults.
type Config struct {
	// PublicURL is the service's address as people reach it (PUBLIC_URL);
	// the console is at PublicURL/console. https makes cookies Secure.
	PublicURL string
	Desk      *handoff.Desk
	Store     Store
	// Deliver delivers what an action asks for: the message to the person,
	// the card redrawn in the team's group.
	Deliver func(ctx context.Context, ns handoff.Notices) error
	// OIDC, when set, offers sign-in with the council's provider.
	OIDC *OIDCConfig
	// Service is the name the pages carry. Default "Social prescribing".
	Service string
	// TrustedProxies are the proxies whose X-Forwarded-For is believed,
	// for the sign-in limit.
	TrustedProxies []netip.Prefix
	// SignInRate is how many sign-in attempts an address may make a minute.
	// Default 10.
	SignInRate int
	// Now is the clock. Default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Console serves the pages. Build it with New.
type Console struct {
	cfg    Config
	log    *slog.Logger
	csrf   *websec.CSRF
	pseudo []byte
	secure bool
	pages  *pages
	oidc   *oidcClient
	mux    *http.ServeMux
}

// New returns the console. It reads the service's CSRF key from the store,
// made the first time any replica asks.
func New(ctx context.Context, cfg Config) (*Console, error) {
	if cfg.Desk == nil || cfg.Store == nil {
		return nil, errors.New("console: a desk and a store are needed")
	}
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("console: PUBLIC_URL %q is not an http(s) address", cfg.PublicURL)
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SignInRate <= 0 {
		cfg.SignInRate = DefaultSignInRate
	}
	if cfg.Service == "" {
		cfg.Service = "Social prescribing"
	}
	key, err := cfg.Store.Secret(ctx, "console-csrf")
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	pseudo, err := cfg.Store.Secret(ctx, "console-pseudonyms")
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	p, err := newPages(cfg.Desk.Location())
	if err != nil {
		return nil, err
	}
	c := &Console{cfg: cfg, log: cfg.Logger, csrf: websec.NewCSRF(key), pseudo: pseudo, secure: u.Scheme == "https", pages: p}
	if cfg.OIDC != nil {
		c.oidc = newOIDC(*cfg.OIDC, cfg.PublicURL+Prefix+"/signin/oidc/callback")
	}
	c.routes()
	return c, nil
}

// Handler serves everything under Prefix.
func (c *Console) Handler() http.Handler {
	return websec.Headers(websec.Policy{HTTPS: c.secure}, websec.LimitBody(maxForm, c.recovered(c.mux)))
}

// Link makes a one-time sign-in link for w, valid for LinkTTL and once: the
// bot gives it to a worker who sends /console. It refuses someone who is no
// worker of any team.
func (c *Console) Link(ctx context.Context, w handoff.Worker) (string, error) {
	if _, err := c.cfg.Desk.Access(ctx, w); err != nil {
		return "", err
	}
	token := randomToken()
	if err := c.cfg.Store.PutLink(ctx, token, Link{Worker: w, Expires: c.cfg.Now().Add(LinkTTL)}, LinkTTL); err != nil {
		return "", err
	}
	c.log.InfoContext(ctx, "console sign-in link made", "worker", w.ID)
	return c.cfg.PublicURL + Prefix + "/signin/link?t=" + token, nil
}

func (c *Console) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET "+Prefix+"/{$}", c.home)
	m.HandleFunc("GET "+Prefix, c.home)
	m.HandleFunc("GET "+Prefix+"/static/{file}", c.static)
	m.HandleFunc("GET "+Prefix+"/signin", c.signInPage)
	m.HandleFunc("GET "+Prefix+"/signin/link", c.linkPage)
	m.HandleFunc("POST "+Prefix+"/signin/link", c.useLink)
	m.HandleFunc("GET "+Prefix+"/signin/oidc", c.oidcStart)
	m.HandleFunc("GET "+Prefix+"/signin/oidc/callback", c.oidcCallback)
	m.HandleFunc("GET "+Prefix+"/queue", c.signedIn(c.queue))
	m.HandleFunc("GET "+Prefix+"/mine", c.signedIn(c.mine))
	m.HandleFunc("GET "+Prefix+"/search", c.signedIn(c.search))
	m.HandleFunc("GET "+Prefix+"/case/{ref}", c.signedIn(c.casePage))
	m.HandleFunc("GET "+Prefix+"/account", c.signedIn(c.account))
	m.HandleFunc("GET "+Prefix+"/report", c.signedIn(c.report))
	m.HandleFunc("POST "+Prefix+"/case/{ref}/{action}", c.signedIn(c.act))
	m.HandleFunc("POST "+Prefix+"/account/oidc", c.signedIn(c.oidcLinkStart))
	m.HandleFunc("POST "+Prefix+"/signout", c.signedIn(c.signOut))
	m.HandleFunc("POST "+Prefix+"/signout/all", c.signedIn(c.signOutAll))
	m.HandleFunc(Prefix+"/", c.notFound)
	c.mux = m
}

// recovered turns a panic in a handler into a kind error page.
func (c *Console) recovered(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				c.log.Error("console: panic", "path", r.URL.Path, "panic", fmt.Sprint(p))
				c.fail(w, r, nil, http.StatusInternalServerError, msgSorry)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func randomToken() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}
