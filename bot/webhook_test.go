package bot

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
)

// TestDecodeUpdateAsTheLibraryDoes holds the slim reading of a press to what
// go-telegram/bot's full decoding gives in every field the bot reads, and
// any other update to the full decoding itself.
func TestDecodeUpdateAsTheLibraryDoes(t *testing.T) {
	keyboard := `"reply_markup":{"inline_keyboard":[[{"text":"Yes","callback_data":"yes:abc"}]]}`
	tests := []struct {
		name, body string
	}{
		{"a press under a message", `{"update_id":7,"callback_query":{"id":"q1","from":{"id":5,"is_bot":false,"first_name":"Ann","language_code":"cy"},"message":{"message_id":12,"date":1764064800,"chat":{"id":5,"type":"private","first_name":"Ann"},"text":"Is it OK?",` + keyboard + `},"chat_instance":"ci","data":"yes:abc"}}`},
		{"a press in a group", `{"update_id":8,"callback_query":{"id":"q2","from":{"id":6,"is_bot":false,"first_name":"Bob","last_name":"B","username":"bob"},"message":{"message_id":40,"date":1764064800,"chat":{"id":-100,"type":"supergroup","title":"Team"},"text":"R-ABCDE",` + keyboard + `},"chat_instance":"ci","data":"claim:R-ABCDE"}}`},
		{"a press under a message too old to reach", `{"update_id":9,"callback_query":{"id":"q3","from":{"id":5,"is_bot":false,"first_name":"Ann"},"message":{"message_id":3,"date":0,"chat":{"id":5,"type":"private"}},"chat_instance":"ci","data":"x"}}`},
		{"a press of an inline message", `{"update_id":10,"callback_query":{"id":"q4","from":{"id":5,"is_bot":false,"first_name":"Ann"},"inline_message_id":"im","chat_instance":"ci","data":"x"}}`},
		{"a message that speaks of callback_query", `{"update_id":11,"message":{"message_id":4,"date":1764064800,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"Ann"},"text":"what is \"callback_query\"?"}}`},
		{"a message", `{"update_id":12,"message":{"message_id":5,"date":1764064800,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"Ann"},"text":"hello"}}`},
	}
	// read is what the bot reads of an update.
	type read struct {
		ID                                  int64
		Query, Data, Instance, Inline, Game string
		From                                models.User
		Kind                                models.MaybeInaccessibleMessageType
		Message                             *models.Message
		Gone                                *models.InaccessibleMessage
		Text                                string
	}
	readOf := func(u *models.Update) read {
		r := read{ID: u.ID}
		if u.Message != nil {
			r.Text = u.Message.Text
		}
		if q := u.CallbackQuery; q != nil {
			r.Query, r.Data, r.Instance, r.Inline, r.Game, r.From = q.ID, q.Data, q.ChatInstance, q.InlineMessageID, q.GameShortName, q.From
			r.Kind, r.Gone = q.Message.Type, q.Message.InaccessibleMessage
			if m := q.Message.Message; m != nil {
				r.Message = &models.Message{ID: m.ID, Date: m.Date, Chat: m.Chat}
			}
		}
		return r
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want models.Update
			if err := json.Unmarshal([]byte(tt.body), &want); err != nil {
				t.Fatal(err)
			}
			got, err := decodeUpdate([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(readOf(&want), readOf(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := decodeUpdate([]byte(`{"update_id":1,"callback_query":`)); err == nil {
		t.Error("a cut-off press was read")
	}
}

// TestWebhookReply holds the webhook's answer to its rules: one call, the
// answer to a press awaited a little when one is expected, and none taken
// once the webhook has answered, so that the caller makes its own call.
func TestWebhookReply(t *testing.T) {
	body := func(id, text string) string {
		b, _ := json.Marshal(map[string]string{"method": "answerCallbackQuery", "callback_query_id": id, "text": text})
		return string(b)
	}
	t.Run("nothing to answer", func(t *testing.T) {
		if got := (&webhookReply{}).close(time.Second); got != nil {
			t.Errorf("answer %s, want none", got)
		}
	})
	t.Run("answered before the webhook answers", func(t *testing.T) {
		r := &webhookReply{}
		r.expect()
		go func() {
			time.Sleep(10 * time.Millisecond)
			if !r.answer("q1", "Noted") {
				t.Error("the answer was not taken")
			}
		}()
		got := r.close(5 * time.Second)
		var gotMap, wantMap map[string]string
		json.Unmarshal(got, &gotMap)
		json.Unmarshal([]byte(body("q1", "Noted")), &wantMap)
		if diff := cmp.Diff(wantMap, gotMap); diff != "" {
			t.Errorf("answer (-want +got):\n%s", diff)
		}
		if r.answer("q1", "again") {
			t.Error("a second answer was taken")
		}
	})
	t.Run("too late", func(t *testing.T) {
		r := &webhookReply{}
		r.expect()
		start := time.Now()
		if got := r.close(20 * time.Millisecond); got != nil {
			t.Errorf("answer %s, want none", got)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("waited %s for an answer that never came", d)
		}
		if r.answer("q1", "") {
			t.Error("an answer was taken after the webhook answered: nobody would make it")
		}
	})
}
