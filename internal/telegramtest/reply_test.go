package telegramtest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"signpost/internal/telegramtest"
)

// TestWebhookReplyAnswersAPress shows a method call in the webhook's answer
// made as Telegram makes it: the press it answers is answered, and the call
// is counted, once, as made in an answer. An answer that names no method,
// or an unknown one, makes no call and does not stop delivery.
func TestWebhookReplyAnswersAPress(t *testing.T) {
	srv := telegramtest.NewServer(t)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u telegramtest.Update
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
			t.Errorf("decode update: %v", err)
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case u.CallbackQuery != nil:
			json.NewEncoder(w).Encode(map[string]string{"method": "answerCallbackQuery", "callback_query_id": u.CallbackQuery.ID, "text": "Noted"})
		case u.Message != nil && u.Message.Text == "unknown":
			w.Write([]byte(`{"method":"noSuchMethod"}`))
		default:
			w.Write([]byte(`{"ok":true}`))
		}
	}))
	defer hook.Close()

	ctx := testCtx(t)
	b := newClient(t, srv)
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: hook.URL}); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	ann := srv.NewPerson("Ann")
	ann.Send("hello")
	ann.Send("unknown")
	if _, err := srv.WaitWebhookAttempts(ctx, 2); err != nil {
		t.Fatal(err)
	}
	u := ann.User()
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: "Pick one",
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Yes", CallbackData: "yes"}}}}}); err != nil {
		t.Fatal(err)
	}
	id, err := ann.PressButton("Yes")
	if err != nil {
		t.Fatal(err)
	}
	a, err := srv.WaitCallbackAnswer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Answered || a.Text != "Noted" {
		t.Errorf("the press was answered %+v, want with Noted", a)
	}
	if n, r := srv.Calls("answerCallbackQuery"), srv.WebhookReplies(); n != 1 || r != 1 {
		t.Errorf("answerCallbackQuery calls %d, in webhook answers %d; want 1 and 1", n, r)
	}
	if err := srv.WebhookReply("application/json", []byte(`{"method":"answerCallbackQuery","callback_query_id":"`+id+`"}`)); err == nil {
		t.Error("a second answer to the press was taken")
	}
}
