package bot

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"

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
		var u models.Update
		if err := json.Unmarshal(body, &u); err != nil || u.ID == 0 {
			http.Error(w, "not an update", http.StatusBadRequest)
			return
		}
		select {
		case err = <-b.intake.submit(&u):
		case <-r.Context().Done():
			return // Telegram gave up; it will send the update again
		}
		switch {
		case errors.Is(err, errStopping):
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
		case err != nil:
			http.Error(w, "not handled", http.StatusInternalServerError)
		default:
			w.WriteHeader(http.StatusOK)
		}
	})
}
