package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"
)

// webhookState is the bot's webhook, if set, and how delivery is going.
type webhookState struct {
	url            string
	secret         string
	maxConnections int
	lastErrorDate  int64
	lastErrorMsg   string
	stop           chan struct{} // closed to end the delivery goroutine
	attempts       []WebhookAttempt
}

// WebhookAttempt is one POST of an update to the webhook.
type WebhookAttempt struct {
	UpdateID int64
	// Status is the HTTP status the webhook answered; 0 if the request
	// failed.
	Status int
	Err    string
}

var secretTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(_ *http.Request, p params) (any, *apiError) {
	raw := p.str("url")
	if raw == "" {
		return s.deleteWebhook(nil, p)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, badRequest("bad webhook: invalid URL")
	}
	loopback := isLoopback(u.Hostname())
	switch {
	case !loopback && !s.cfg.AllowRemoteWebhooks:
		return nil, badRequest("bad webhook: telegramtest delivers only to loopback addresses")
	case u.Scheme != "https" && !(u.Scheme == "http" && loopback):
		// Telegram insists on HTTPS; plain HTTP to loopback is allowed here
		// because that is what httptest.NewServer gives.
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := p.str("secret_token")
	if p.has("secret_token") && !secretTokenPattern.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	var allowed []string
	if p.has("allowed_updates") {
		if err := p.decode("allowed_updates", &allowed); err != nil {
			return nil, badRequest(err.Error())
		}
	}
	maxConn := 40
	if p.has("max_connections") {
		maxConn = min(max(int(p.int64("max_connections")), 1), 100)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopWebhookLocked()
	if p.bool("drop_pending_updates") {
		s.updates.queue = nil
	}
	if p.has("allowed_updates") {
		s.updates.allowed = allowed
	}
	w := &s.updates.webhook
	w.url, w.secret, w.maxConnections = raw, secret, maxConn
	w.lastErrorDate, w.lastErrorMsg = 0, ""
	w.stop = make(chan struct{})
	s.delivering.Add(1)
	go s.deliver(w.stop, raw, secret)
	s.notifyLocked() // a waiting getUpdates now answers 409
	return true, nil
}

func (s *Server) deleteWebhook(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopWebhookLocked()
	s.updates.webhook.url, s.updates.webhook.secret = "", ""
	if p.bool("drop_pending_updates") {
		s.updates.queue = nil
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) getWebhookInfo(_ *http.Request, _ params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := &s.updates.webhook
	info := WebhookInfo{URL: w.url, PendingUpdateCount: len(s.updates.queue)}
	if w.url != "" {
		info.MaxConnections = w.maxConnections
		info.LastErrorDate, info.LastErrorMessage = w.lastErrorDate, w.lastErrorMsg
		info.AllowedUpdates = slices.Clone(s.updates.allowed)
	}
	return info, nil
}

// stopWebhookLocked ends delivery to the current webhook, if any.
func (s *Server) stopWebhookLocked() {
	if w := &s.updates.webhook; w.stop != nil {
		close(w.stop)
		w.stop = nil
	}
}

// WebhookAttempts lists every delivery attempt so far, oldest first.
func (s *Server) WebhookAttempts() []WebhookAttempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.updates.webhook.attempts)
}

// WaitWebhookAttempts blocks until at least n delivery attempts have
// finished, and returns them all.
func (s *Server) WaitWebhookAttempts(ctx context.Context, n int) ([]WebhookAttempt, error) {
	var out []WebhookAttempt
	err := s.waitChange(ctx, func() bool {
		out = slices.Clone(s.updates.webhook.attempts)
		return len(out) >= n
	})
	if err != nil {
		return out, fmt.Errorf("wait for %d webhook attempts: %w", n, err)
	}
	return out, nil
}

// deliver posts queued updates to the webhook one at a time, in order,
// and keeps retrying the oldest with growing pauses until it gets a 2xx.
// One connection at a time keeps the order a test can rely on; Telegram
// may use up to max_connections.
func (s *Server) deliver(stop chan struct{}, target, secret string) {
	defer s.delivering.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-stop:
		case <-s.done:
		}
		cancel()
	}()
	client := &http.Client{Timeout: 30 * time.Second}
	pause := s.cfg.WebhookRetryMin
	for {
		var next Update
		err := s.waitChange(ctx, func() bool {
			if len(s.updates.queue) == 0 {
				return false
			}
			next = s.updates.queue[0]
			return true
		})
		if err != nil {
			return
		}
		status, ct, reply, postErr := post(ctx, client, target, secret, next)
		if ctx.Err() != nil {
			return
		}
		ok := postErr == nil && status >= 200 && status < 300
		if ok {
			// A method call in the answer is made, and its fate kept from
			// the bot, as Telegram does.
			_ = s.WebhookReply(ct, reply)
		}

		s.mu.Lock()
		w := &s.updates.webhook
		a := WebhookAttempt{UpdateID: next.UpdateID, Status: status}
		if postErr != nil {
			a.Err = postErr.Error()
		}
		w.attempts = capped(append(w.attempts, a))
		if ok {
			if q := s.updates.queue; len(q) > 0 && q[0].UpdateID == next.UpdateID {
				s.updates.queue = q[1:]
			}
			pause = s.cfg.WebhookRetryMin
		} else {
			w.lastErrorDate = s.date()
			w.lastErrorMsg = fmt.Sprintf("Wrong response from the webhook: %d %s", status, http.StatusText(status))
			if postErr != nil {
				w.lastErrorMsg = "Connection refused"
			}
		}
		s.notifyLocked()
		s.mu.Unlock()

		if !ok {
			t := time.NewTimer(pause)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return
			}
			pause = min(2*pause, s.cfg.WebhookRetryMax)
		}
	}
}

// maxReplyBytes bounds the answer body read from a webhook.
const maxReplyBytes = 1 << 20

// post sends one update as Telegram does: a JSON body and, when set, the
// secret in X-Telegram-Bot-Api-Secret-Token. It returns the answer's
// status, Content-Type and body.
func post(ctx context.Context, client *http.Client, target, secret string, u Update) (int, string, []byte, error) {
	body, err := json.Marshal(u)
	if err != nil {
		return 0, "", nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, "", nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), reply, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
