package telegramtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"signpost/internal/telegramtest"
)

// TestWebhookDeliveryRetriesUntil2xx points the webhook at a handler that
// fails twice, and shows the update arrives three times with the secret,
// then is confirmed.
func TestWebhookDeliveryRetriesUntil2xx(t *testing.T) {
	srv := telegramtest.NewServer(t)
	type delivery struct {
		Secret   string
		UpdateID int64
		Text     string
	}
	got := make(chan delivery, 10)
	var mu sync.Mutex
	failures := 2
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u telegramtest.Update
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
			t.Errorf("decode update: %v", err)
		}
		got <- delivery{r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), u.UpdateID, u.Message.Text}
		mu.Lock()
		defer mu.Unlock()
		if failures > 0 {
			failures--
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer hook.Close()

	ctx := testCtx(t)
	b := newClient(t, srv)
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: hook.URL + "/telegram", SecretToken: "s3cret_token-1"}); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	srv.NewPerson("Alice").Send("hello")

	want := delivery{"s3cret_token-1", 1, "hello"}
	for i := range 3 {
		select {
		case d := <-got:
			if diff := cmp.Diff(want, d); diff != "" {
				t.Errorf("delivery %d (-want +got):\n%s", i, diff)
			}
		case <-ctx.Done():
			t.Fatalf("delivery %d never came", i)
		}
	}
	attempts, err := srv.WaitWebhookAttempts(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	wantAttempts := []telegramtest.WebhookAttempt{{UpdateID: 1, Status: 500}, {UpdateID: 1, Status: 500}, {UpdateID: 1, Status: 200}}
	if diff := cmp.Diff(wantAttempts, attempts); diff != "" {
		t.Errorf("attempts (-want +got):\n%s", diff)
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.URL != hook.URL+"/telegram" || info.PendingUpdateCount != 0 ||
		info.LastErrorMessage != "Wrong response from the webhook: 500 Internal Server Error" {
		t.Errorf("webhook info = %+v", info)
	}
}

// TestClientInWebhookMode runs go-telegram/bot's own webhook handler behind
// the webhook and has it answer.
func TestClientInWebhookMode(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b, err := bot.New(srv.Token(),
		bot.WithServerURL(srv.URL()),
		bot.WithWebhookSecretToken("hook-secret"),
		bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
			if u.Message == nil {
				return
			}
			// The test ends, and cancels ctx, as soon as the server has the
			// reply, which may be before the client has read the answer.
			if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "Got it"}); err != nil && ctx.Err() == nil {
				t.Errorf("SendMessage: %v", err)
			}
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(testCtx(t))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		b.StartWebhook(ctx)
	}()
	defer func() {
		cancel()
		wg.Wait()
	}()
	hook := httptest.NewServer(b.WebhookHandler())
	defer hook.Close()
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: hook.URL, SecretToken: "hook-secret", DropPendingUpdates: true}); err != nil {
		t.Fatal(err)
	}

	alice := srv.NewPerson("Alice")
	alice.Send("hello")
	msgs, err := alice.WaitBotMessages(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Text != "Got it" {
		t.Errorf("reply = %q", msgs[0].Text)
	}
	if _, err := b.DeleteWebhook(ctx, &bot.DeleteWebhookParams{}); err != nil {
		t.Fatal(err)
	}
}
