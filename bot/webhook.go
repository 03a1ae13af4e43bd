package bot

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// maxUpdateBytes bounds a webhook body; real updates are far smaller.
const maxUpdateBytes = 1 << 20

// WebhookHandler receives updates from Telegram. It answers 401 to a wrong
// secret token and 400 to a body that is no update, and 200 only once the
// update is handled and its outcome committed to Redis, so that Telegram
// sends again whatever was not; a repeat is recognised by its update_id.
func (b *Bot) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if b.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(b.cfg.WebhookSecret)) != 1 {
			b.m.updates.WithLabelValues("refused").Inc()
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateBytes))
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		u, err := decodeUpdate(body)
		if err != nil || u.ID == 0 {
			http.Error(w, "not an update", http.StatusBadRequest)
			return
		}
		reply := &webhookReply{}
		select {
		case err = <-b.intake.submit(u, reply):
		case <-r.Context().Done():
			// Telegram gave up; it will send the update again. An answer
			// to a press is made with a call of its own meanwhile.
			reply.close(0)
			return
		}
		switch {
		case errors.Is(err, errStopping):
			reply.close(0)
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
		case err != nil:
			reply.close(0)
			http.Error(w, "not handled", http.StatusInternalServerError)
		default:
			// A press's answer goes in this answer once its delivery is
			// over, if that is soon.
			body := reply.close(replyWait)
			if body == nil {
				w.WriteHeader(http.StatusOK)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			w.Write(body)
		}
	})
}

// pressUpdate is the part of a callback_query update the bot reads: of the
// message the button is under, only its id, date and chat. Telegram sends
// the whole message, text and keyboard, which the full decoding of
// models.Update reads twice (MaybeInaccessibleMessage decodes it once to
// tell an inaccessible one apart, then again); most updates are presses.
type pressUpdate struct {
	ID            int64 `json:"update_id"`
	CallbackQuery *struct {
		ID      string      `json:"id"`
		From    models.User `json:"from"`
		Message *struct {
			ID   int         `json:"message_id"`
			Date int         `json:"date"`
			Chat models.Chat `json:"chat"`
		} `json:"message"`
		InlineMessageID string `json:"inline_message_id"`
		ChatInstance    string `json:"chat_instance"`
		Data            string `json:"data"`
		GameShortName   string `json:"game_short_name"`
	} `json:"callback_query"`
}

// decodeUpdate reads an update: a button press into the few fields the bot
// reads of it, anything else in full.
func decodeUpdate(body []byte) (*models.Update, error) {
	if bytes.Contains(body, []byte(`"callback_query"`)) {
		var p pressUpdate
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, err
		}
		if q := p.CallbackQuery; q != nil {
			cq := &models.CallbackQuery{ID: q.ID, From: q.From, InlineMessageID: q.InlineMessageID,
				ChatInstance: q.ChatInstance, Data: q.Data, GameShortName: q.GameShortName}
			if m := q.Message; m != nil {
				// A message of date 0 is one the bot can no longer reach.
				if m.Date == 0 {
					cq.Message = models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeInaccessibleMessage,
						InaccessibleMessage: &models.InaccessibleMessage{Chat: m.Chat, MessageID: m.ID}}
				} else {
					cq.Message = models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
						Message: &models.Message{ID: m.ID, Date: m.Date, Chat: m.Chat}}
				}
			}
			return &models.Update{ID: p.ID, CallbackQuery: cq}, nil
		}
	}
	var u models.Update
	if err := json.Unmarshal(body, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// replyWait is how long the webhook's answer to a button press waits for
// the delivery of what the press set off, to answer the press in it: the
// button's spinner then stops as the next question appears, and no call of
// its own is made. A delivery that takes longer (a slow or hanging Bot
// API) has the press answered with a call of its own once it is over, and
// the webhook answered at once: it must never wait long.
const replyWait = 300 * time.Millisecond

// webhookReply is the one Bot API call a webhook's answer may carry, which
// Telegram makes as if the bot had: here, the answer to a pressed button.
// It saves the bot a call of its own for most updates, since most are
// presses. Telegram says nothing of how such a call went, which an answer
// to a press can bear: at worst the button's spinner runs until Telegram's
// own timeout, if the webhook's answer was written but lost on its way.
// An update answered other than 200, or one Telegram gave up waiting for,
// carries none: the press is answered with a call of its own (a repeat of
// the update answers nothing, as by long polling).
type webhookReply struct {
	mu        sync.Mutex
	set       bool
	queryID   string
	queryText string
	// ready is closed once the answer is set, when one is awaited
	// (expect); closed says the webhook has answered, so too late.
	ready  chan struct{}
	closed bool
}

type replyKey struct{}

// replyOf is the webhook answer of the update being handled, nil when it
// did not come by webhook.
func replyOf(ctx context.Context) *webhookReply {
	r, _ := ctx.Value(replyKey{}).(*webhookReply)
	return r
}

// expect says an answer will come once a delivery is over, for close to
// wait for.
func (r *webhookReply) expect() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ready == nil {
		r.ready = make(chan struct{})
	}
}

// answer has the webhook's answer answer the callback query id with
// text, and reports whether it will: only one call fits, and only while
// the webhook has not answered yet.
func (r *webhookReply) answer(id, text string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set || r.closed {
		return false
	}
	r.set, r.queryID, r.queryText = true, id, text
	if r.ready != nil {
		close(r.ready)
	}
	return true
}

// close waits up to wait for an answer expected and not yet set, then
// ends the answer's chance and returns the webhook answer's JSON, nil for
// an empty answer.
func (r *webhookReply) close(wait time.Duration) []byte {
	r.mu.Lock()
	if ready := r.ready; ready != nil && !r.set {
		r.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ready:
		case <-t.C:
		}
		t.Stop()
		r.mu.Lock()
	}
	defer r.mu.Unlock()
	r.closed = true
	if !r.set {
		return nil
	}
	b, _ := json.Marshal(struct {
		Method string `json:"method"`
		ID     string `json:"callback_query_id"`
		Text   string `json:"text,omitempty"`
	}{"answerCallbackQuery", r.queryID, r.queryText})
	return b
}
