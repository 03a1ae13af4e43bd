package telegramtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the token a server accepts when Config.Token is empty. Its
// shape, digits, a colon and a secret, matches a real token so clients that
// parse the bot id out of it keep working.
const DefaultToken = "7000000001:AAtelegramtest-signpost-local-token"

// Config sets up a Server. The zero value is usable: every field documents
// its default.
type Config struct {
	// Token is the only token the server accepts. Default DefaultToken.
	Token string
	// BotUsername is the bot's @username, without the @. Default
	// "signpost_test_bot".
	BotUsername string
	// BotFirstName is the bot's display name. Default "Signpost".
	BotFirstName string
	// Addr is the address to listen on. Default "127.0.0.1:0", a free
	// loopback port.
	Addr string
	// Now is the clock for message dates, rate limits and callback query
	// expiry. Default time.Now.
	Now func() time.Time
	// RateLimits, when Enabled, refuses sends over Telegram's limits with
	// 429. Default off.
	RateLimits RateLimits
	// CallbackQueryTimeout is how long after a press answerCallbackQuery is
	// still accepted. Telegram does not publish the figure; default 15s.
	CallbackQueryTimeout time.Duration
	// WebhookRetryMin and WebhookRetryMax bound the back-off between
	// webhook delivery attempts after a non-2xx answer. Defaults 50ms and
	// 2s, far shorter than Telegram's so tests stay fast.
	WebhookRetryMin, WebhookRetryMax time.Duration
	// AllowRemoteWebhooks lets setWebhook name a host that is not loopback.
	// Default false: a test server never posts updates off the machine.
	AllowRemoteWebhooks bool
	// Logger receives webhook delivery failures. Default: discarded.
	Logger *slog.Logger
	// OnBotMessage, when set, is told of every message the bot sends and
	// every edit of one, as the chat now shows it, for a caller that
	// follows many chats at once (a load test) without reading each
	// transcript. It is called with the server's lock held: it must not
	// call the server and should return at once.
	OnBotMessage func(chatID int64, e Entry)
}

// Option adjusts the Config that NewServer builds on.
type Option func(*Config)

// WithConfig replaces the whole Config.
func WithConfig(cfg Config) Option { return func(c *Config) { *c = cfg } }

// WithRateLimits turns on Telegram's rate limits with the given figures.
func WithRateLimits(r RateLimits) Option {
	return func(c *Config) { r.Enabled = true; c.RateLimits = r }
}

// WithClock sets the clock used for dates, rate limits and expiry.
func WithClock(now func() time.Time) Option { return func(c *Config) { c.Now = now } }

// WithToken sets the accepted token.
func WithToken(token string) Option { return func(c *Config) { c.Token = token } }

func (c *Config) setDefaults() {
	if c.Token == "" {
		c.Token = DefaultToken
	}
	if c.BotUsername == "" {
		c.BotUsername = "signpost_test_bot"
	}
	if c.BotFirstName == "" {
		c.BotFirstName = "Signpost"
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.CallbackQueryTimeout <= 0 {
		c.CallbackQueryTimeout = 15 * time.Second
	}
	if c.WebhookRetryMin <= 0 {
		c.WebhookRetryMin = 50 * time.Millisecond
	}
	if c.WebhookRetryMax < c.WebhookRetryMin {
		c.WebhookRetryMax = max(2*time.Second, c.WebhookRetryMin)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c.RateLimits.setDefaults()
}

// Server is an in-process Telegram Bot API server for one bot. It is safe
// for concurrent use; every piece of state sits behind one mutex, which is
// simple and fast enough for tests and benchmarks.
type Server struct {
	cfg  Config
	http *httptest.Server
	bot  User

	// done is closed by Close so long polls, delays and webhook delivery end.
	done      chan struct{}
	closeOnce sync.Once
	// delivering counts webhook delivery goroutines, awaited by Close.
	delivering sync.WaitGroup

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	state
}

// New starts a server on cfg.Addr. It fails only if it cannot listen.
// Call Close when done.
func New(cfg Config) (*Server, error) {
	cfg.setDefaults()
	if _, err := loadSpec(); err != nil {
		return nil, err
	}
	botID, err := strconv.ParseInt(strings.SplitN(cfg.Token, ":", 2)[0], 10, 64)
	if err != nil || !strings.Contains(cfg.Token, ":") {
		return nil, fmt.Errorf("telegramtest: Config.Token is not of the form <bot id>:<secret>")
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("telegramtest: listen on %s: %w", cfg.Addr, err)
	}
	s := &Server{
		cfg:     cfg,
		done:    make(chan struct{}),
		changed: make(chan struct{}),
		bot: User{
			ID:            botID,
			IsBot:         true,
			FirstName:     cfg.BotFirstName,
			Username:      cfg.BotUsername,
			CanJoinGroups: true,
		},
	}
	s.state.init()
	s.http = httptest.NewUnstartedServer(s)
	s.http.Listener = ln
	s.http.Start()
	return s, nil
}

// NewServer starts a server for a test or benchmark and closes it when the
// test ends. It fails the test if the server cannot start.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	var cfg Config
	for _, o := range opts {
		o(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		tb.Fatalf("start telegramtest server: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// URL is the server's base URL, for bot.WithServerURL.
func (s *Server) URL() string { return s.http.URL }

// Token is the token the server accepts.
func (s *Server) Token() string { return s.cfg.Token }

// Bot is the bot's own user, as getMe returns it.
func (s *Server) Bot() User { return s.bot }

// Close ends long polls and webhook delivery, then stops the listener and
// waits for requests in flight. It may be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.mu.Lock()
		s.stopWebhookLocked()
		s.notifyLocked()
		s.mu.Unlock()
		s.delivering.Wait()
		s.http.CloseClientConnections()
		s.http.Close()
	})
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// notifyLocked wakes everyone waiting for a change: long polls, webhook
// delivery and tests waiting on a chat. The caller holds s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Changed returns a channel closed at the server's next change of state: a
// message, an edit, an update queued or confirmed, an answer, a call. For
// waits that WaitFor and the other Wait methods do not cover, read the
// state again after it closes, then ask for a new channel.
func (s *Server) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// waitChange blocks until check (run under the lock) returns true, ctx ends
// or the server closes. Waiting on the change channel, not polling, keeps
// tests free of sleeps.
func (s *Server) waitChange(ctx context.Context, check func() bool) error {
	for {
		s.mu.Lock()
		ok := check()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return fmt.Errorf("telegramtest: server closed")
		}
	}
}

// handler answers one Bot API method. It returns the result to send or an
// error in Telegram's shape.
type handler func(s *Server, r *http.Request, p params) (any, *apiError)

// handlers lists the methods the server implements, by canonical name. It
// is filled in init: a handler may lead back to serve (setWebhook's
// delivery acts on what the webhook answers), which reads it.
var handlers map[string]handler

func init() { handlers = methodHandlers() }

func methodHandlers() map[string]handler {
	return map[string]handler{
		"getMe":                  (*Server).getMe,
		"getUpdates":             (*Server).getUpdates,
		"setWebhook":             (*Server).setWebhook,
		"deleteWebhook":          (*Server).deleteWebhook,
		"getWebhookInfo":         (*Server).getWebhookInfo,
		"setMyCommands":          (*Server).setMyCommands,
		"getMyCommands":          (*Server).getMyCommands,
		"deleteMyCommands":       (*Server).deleteMyCommands,
		"setMyDescription":       (*Server).setMyDescription,
		"getMyDescription":       (*Server).getMyDescription,
		"setMyShortDescription":  (*Server).setMyShortDescription,
		"getMyShortDescription":  (*Server).getMyShortDescription,
		"sendMessage":            (*Server).sendMessage,
		"editMessageText":        (*Server).editMessageText,
		"editMessageReplyMarkup": (*Server).editMessageReplyMarkup,
		"deleteMessage":          (*Server).deleteMessage,
		"sendChatAction":         (*Server).sendChatAction,
		"answerCallbackQuery":    (*Server).answerCallbackQuery,
		"getChatMember":          (*Server).getChatMember,
		"leaveChat":              (*Server).leaveChat,
	}
}

// ServeHTTP answers POST or GET /bot{token}/{method}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, name, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || name == "" || strings.Contains(name, "/") {
		writeError(w, errNotFound)
		return
	}
	if token != s.cfg.Token {
		writeError(w, errUnauthorized)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		writeError(w, errNotFound)
		return
	}
	spec, _ := loadSpec()
	m, ok := spec.method(name)
	if !ok {
		writeError(w, errNotFound)
		return
	}
	p, err := readParams(r)
	chatID := p.int64("chat_id")
	s.countCall(m.Name)
	if s.applyFault(w, r, m.Name, chatID) {
		return
	}
	result, apiErr := s.serve(r, m, p, err)
	s.logRequest(m.Name, chatID, apiErr)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeResult(w, result)
}

func (s *Server) serve(r *http.Request, m specMethod, p params, readErr error) (any, *apiError) {
	if readErr != nil {
		return nil, badRequest(readErr.Error())
	}
	if e := m.validate(p); e != nil {
		return nil, e
	}
	h, ok := handlers[m.Name]
	if !ok {
		return nil, &apiError{Code: http.StatusNotImplemented,
			Description: "Not Implemented: telegramtest does not implement " + m.Name}
	}
	return h(s, r, p)
}

func (s *Server) getMe(_ *http.Request, _ params) (any, *apiError) {
	return s.bot, nil
}
