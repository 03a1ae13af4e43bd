// Package webchat is the self-referral conversation as a web chat on the
// council's own site, for people who do not use Telegram: the same flows,
// content, languages, risk handling, suggestions, handoff and /forget,
// through the same runner, with state under the visitor's own keys and the
// same compare-and-set and outbox rules. Only rendering differs.
//
// Choices worth knowing:
//
//   - A visitor is 128 random bits in an HttpOnly cookie; their person id
//     is worked out from it (in flows' web range), so nothing is kept for
//     someone who never consents. Until they consent their place in the
//     conversation travels in a second, signed cookie (flows.HandleCarried);
//     the first answer given after consent is committed as a new session.
//   - Every outbox entry of a visitor is delivered here, not by the
//     Telegram sender: messages become lines of a transcript kept beside the
//     session (the page), effects run as the bot runs them, and the lines
//     are appended in the same atomic write that acknowledges the entries.
//   - It works without JavaScript: every message is a page, every button a
//     form (post, redirect, get). A small script makes it better: answers go
//     by fetch and new lines arrive through server-sent events, including a
//     link worker's message while the page is open, on whichever replica the
//     page is connected to (a Redis Pub/Sub wake-up).
//   - Pages are plain server-rendered HTML, CSS and one script, all from the
//     chat's own origin under a strict Content-Security-Policy (websec).
package webchat

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"signpost/content"
	"signpost/flows"
	"signpost/internal/websec"
)

// Runner steps a visitor's conversation; flows.Runner is one.
type Runner interface {
	HandleCarried(ctx context.Context, user int64, carried []byte, ev flows.Event, lease flows.Lease) (flows.Carried, error)
	Content() *content.Bundle
}

// Store is what the chat needs from storage; store.Store is one.
type Store interface {
	Claim(ctx context.Context, user int64, owner string, lease time.Duration, max int) ([][]byte, map[string]string, bool, error)
	WebFinish(ctx context.Context, user int64, owner string, n int, lease time.Duration, state map[string]string, lines [][]byte, max int) (int, error)
	WebTranscript(ctx context.Context, user int64) ([][]byte, map[string]string, error)
	Enqueue(ctx context.Context, user int64, entries [][]byte) error
	WebPendingUsers(ctx context.Context) ([]int64, error)
	WebUnindex(ctx context.Context, user int64) error
	WebWake(ctx context.Context, user int64) error
	WebWakes(ctx context.Context) (<-chan int64, error)
	WebCode(ctx context.Context, user int64, token string, ttl time.Duration, make func() string) (string, error)
	WebCodeToken(ctx context.Context, code string) (string, error)
	WebBindToken(ctx context.Context, user int64, ttl time.Duration, make func() string) (string, error)
	websec.Limiter
}

// Effects runs what a conversation sets in motion (a referral, an urgent
// flag), at least once per effect, as it does for the bot.
type Effects interface {
	Run(ctx context.Context, e flows.Effect) error
}

// Config of a Server. Zero values mean the documented defaults.
type Config struct {
	// Secret keys the visitors' signed cookies, CSRF tokens and the
	// pseudonyms rate limits are kept under. Required: at least 32 bytes,
	// the same on every replica (store.Store.Secret keeps one).
	Secret []byte
	// Name is the service's name in the page's header. Default "Social prescribing".
	Name string
	// Colour is the main colour, "#rrggbb"; white text on it must meet WCAG
	// AA (CheckColour). Default #1d5e3c, a dark green.
	Colour string
	// PrivacyURL is the council's privacy notice, linked from every page.
	PrivacyURL string
	// PublicURL is where the chat is reached ("https://chat.example.gov.uk");
	// an https address makes the cookies Secure and turns on HSTS.
	PublicURL string
	// FrameAncestors are the sites allowed to show the chat in an iframe.
	FrameAncestors []string
	// BotUsername is the Telegram bot's @username, for carrying on with
	// weekly messages in Telegram. Empty: the chat cannot offer it and says so.
	BotUsername string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// PerIP and PerVisitor are how many messages a minute one address and
	// one visitor may send. Defaults 300 (a library or an office may share
	// one address) and 40 (ticking several answers is quick). ResumePerIP
	// bounds tries of a resume code per address an hour. Default 10.
	PerIP, PerVisitor, ResumePerIP int
	// CodeTTL is how long a resume code and a Telegram link work. Default 30 days.
	CodeTTL time.Duration
	// Lease is how long a delivery may hold a visitor's outbox. Default 10s.
	Lease time.Duration
	// SweepEvery is how often outboxes a crash left are looked for. Default 30s.
	SweepEvery time.Duration
	// MaxLines is how many lines of a conversation are kept. Default 300.
	MaxLines int
	// Heartbeat is how often an open event stream is kept alive. Default 25s.
	Heartbeat time.Duration
	// Person, when set, sees what a visitor writes before their
	// conversation does (casework: words to the link worker who holds
	// their case, /status, /endcontact, /forget reaching their referrals)
	// and reports whether it dealt with it; mine shows the visitor's own
	// words first. service.Service.WebPerson is one.
	Person func(ctx context.Context, user int64, lang, text string, mine func(context.Context) error) (bool, error)
	// Receipt, when set, is told that a message asking for a receipt (a
	// link worker's) is on the visitor's page: in their transcript, seen as
	// soon as they open it. service.Service.WebReceipt is one.
	Receipt func(ctx context.Context, ref, id string)
	Logger  *slog.Logger

	secure bool
}

// Server serves the web chat under /chat.
type Server struct {
	cfg     Config
	runner  Runner
	store   Store
	effects Effects
	log     *slog.Logger
	csrf    *websec.CSRF
	sign    signer
	theme   []byte
	pages   *pages

	hub *hub

	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	owners  ownerSeq
}

// ErrNoSecret means Config.Secret is missing or too short.
var ErrNoSecret = errors.New("webchat: a secret of at least 32 bytes is needed")

// New returns the web chat. It checks the colour and makes the pages once.
func New(cfg Config, runner Runner, store Store, effects Effects) (*Server, error) {
	if len(cfg.Secret) < 32 {
		return nil, ErrNoSecret
	}
	if cfg.Name == "" {
		cfg.Name = "Social prescribing"
	}
	if cfg.Colour == "" {
		cfg.Colour = DefaultColour
	}
	if err := CheckColour(cfg.Colour); err != nil {
		return nil, err
	}
	if cfg.PerIP == 0 {
		cfg.PerIP = 300
	}
	if cfg.PerVisitor == 0 {
		cfg.PerVisitor = 40
	}
	if cfg.ResumePerIP == 0 {
		cfg.ResumePerIP = 10
	}
	if cfg.CodeTTL == 0 {
		cfg.CodeTTL = 30 * 24 * time.Hour
	}
	if cfg.Lease == 0 {
		cfg.Lease = 10 * time.Second
	}
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = 30 * time.Second
	}
	if cfg.MaxLines == 0 {
		cfg.MaxLines = 300
	}
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = 25 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Scheme == "https" {
		cfg.secure = true
	}
	cfg.BotUsername = strings.TrimPrefix(cfg.BotUsername, "@")
	s := &Server{
		cfg: cfg, runner: runner, store: store, effects: effects, log: cfg.Logger,
		csrf: websec.NewCSRF(cfg.Secret), sign: signer{key: cfg.Secret},
	}
	s.hub = newHub()
	s.theme = themeCSS(cfg.Colour)
	var err error
	if s.pages, err = newPages(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler serves the chat: /chat and everything under it.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /chat", s.getChat)
	mux.HandleFunc("POST /chat", s.postChat)
	mux.HandleFunc("GET /chat/events", s.events)
	mux.HandleFunc("POST /chat/code", s.postCode)
	mux.HandleFunc("GET /chat/resume", s.getResume)
	mux.HandleFunc("POST /chat/resume", s.postResume)
	mux.HandleFunc("GET /chat/theme.css", s.themeFile)
	mux.Handle("GET /chat/static/", staticFiles())
	policy := websec.Policy{FrameAncestors: s.cfg.FrameAncestors, HTTPS: s.cfg.secure}
	return websec.Headers(policy, websec.LimitBody(maxBody, s.recover(mux)))
}

// maxBody bounds what one request may send: a message of 1,000 characters
// and the form around it fit many times over.
const maxBody = 16 << 10

// recover turns a panic into a kind apology, so one bad request cannot
// stop the chat.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic in the web chat", "path", r.URL.Path, "panic", p)
				http.Error(w, "Sorry, something went wrong on our side. Please try again in a moment.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Start runs the chat's background work until ctx ends or Shutdown: the
// wake-ups from other replicas for open pages, and the sweep for outboxes
// a crash left undelivered.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return nil
	}
	ctx, s.cancel = context.WithCancel(ctx)
	wakes, err := s.store.WebWakes(ctx)
	if err != nil {
		s.cancel()
		return err
	}
	s.started = true
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		for id := range wakes {
			s.hub.wake(id)
		}
	}()
	go func() {
		defer s.wg.Done()
		s.sweep(ctx)
	}()
	return nil
}

// Shutdown stops the background work and closes open event streams.
func (s *Server) Shutdown() {
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	s.hub.closeAll()
	s.wg.Wait()
}

// sweep delivers the web visitors' outboxes that hold entries nobody is
// delivering: left by a crash, or written for a visitor whose page is not
// open (a link worker's message). It runs at start and every SweepEvery.
func (s *Server) sweep(ctx context.Context) {
	t := time.NewTicker(s.cfg.SweepEvery)
	defer t.Stop()
	for {
		users, err := s.store.WebPendingUsers(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Warn("web chat: sweep outboxes", "err", err)
		}
		for _, u := range users {
			if ctx.Err() != nil {
				break
			}
			if d, err := s.deliver(ctx, u, nil, nil); err != nil {
				s.log.Warn("web chat: deliver", "user", u, "err", err)
			} else if d.empty {
				if err := s.store.WebUnindex(ctx, u); err != nil {
					s.log.Warn("web chat: sweep", "user", u, "err", err)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Notify tells the chat that entries were added to a visitor's outbox
// outside their conversation (a link worker's message): they are delivered
// to the transcript at once and every open page of the visitor shows them.
// It is safe to call for anyone; non-visitors are ignored.
func (s *Server) Notify(ctx context.Context, user int64) error {
	if !flows.IsWeb(user) {
		return nil
	}
	_, err := s.deliver(ctx, user, nil, nil)
	return err
}

// Tell adds a message to a visitor's conversation from outside it, through
// their outbox, and shows it on their open pages.
func (s *Server) Tell(ctx context.Context, user int64, text string) error {
	if !flows.IsWeb(user) {
		return nil
	}
	if err := s.enqueue(ctx, user, flows.Out{ID: "web." + newToken(), Kind: flows.OutMessage, Text: text}); err != nil {
		return err
	}
	return s.Notify(ctx, user)
}

// enqueue appends an entry to a visitor's outbox.
func (s *Server) enqueue(ctx context.Context, user int64, o flows.Out) error {
	raw, err := jsonOut(o)
	if err != nil {
		return err
	}
	return s.store.Enqueue(ctx, user, [][]byte{raw})
}
