package bot

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"signpost/flows"
)

// FuzzDecodeUpdate feeds arbitrary bytes through what the bot does with an
// update before any I/O: decoding, finding its chat, turning it into an event.
func FuzzDecodeUpdate(f *testing.F) {
	for _, seed := range []string{
		`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"A","language_code":"en-GB"},"text":"/start gp_F86001"}}`,
		`{"update_id":2,"callback_query":{"id":"q","from":{"id":5,"is_bot":false,"first_name":"A"},"message":{"message_id":3,"date":1,"chat":{"id":5,"type":"private"}},"data":"abc:consent:yes"}}`,
		`{"update_id":3,"callback_query":{"id":"q","from":{"id":5,"is_bot":false,"first_name":"A"},"message":{"message_id":3,"date":0,"chat":{"id":5,"type":"private"}},"data":"x"}}`,
		`{"update_id":4,"my_chat_member":{"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"A"},"date":1,"old_chat_member":{"status":"member","user":{"id":9,"is_bot":true,"first_name":"B"}},"new_chat_member":{"status":"kicked","user":{"id":9,"is_bot":true,"first_name":"B"},"until_date":0}}}`,
		`{"update_id":5,"edited_message":{"message_id":1,"date":1,"chat":{"id":-100,"type":"supergroup"},"sticker":{"file_id":"f"}}}`,
		`{"update_id":6,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"contact":{"phone_number":"1","first_name":"A"}}}`,
		`{}`, `null`, `[]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var u models.Update
		if err := json.Unmarshal(data, &u); err != nil {
			return
		}
		chat := chatOf(&u)
		for _, m := range []*models.Message{u.Message, u.EditedMessage} {
			if m == nil {
				continue
			}
			if chat != m.Chat.ID {
				t.Fatalf("chat %d, message in %d", chat, m.Chat.ID)
			}
			ev, kind := eventOf(u.ID, m, m == u.EditedMessage)
			if kind == "" || ev.UpdateID != u.ID {
				t.Fatalf("event %+v kind %q", ev, kind)
			}
			if ev.Kind == flows.EventText && ev.Text != m.Text {
				t.Fatal("text changed on the way in")
			}
		}
	})
}

// FuzzSplitText checks that long texts are cut within Telegram's limit
// without losing or breaking characters.
func FuzzSplitText(f *testing.F) {
	f.Add(strings.Repeat("word ", 2000), 4096)
	f.Add(strings.Repeat("é", 5000), 100)
	f.Add("one\n\ntwo\n\nthree", 5)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		if limit < 1 || limit > 5000 || !utf8.ValidString(text) {
			return
		}
		parts := splitText(text, limit)
		var kept int
		for _, p := range parts {
			if n := utf8.RuneCountInString(p); n > limit {
				t.Fatalf("part of %d characters, limit %d", n, limit)
			}
			if !utf8.ValidString(p) {
				t.Fatal("a part is not valid UTF-8")
			}
			kept += len(strings.Join(strings.Fields(p), ""))
		}
		if want := len(strings.Join(strings.Fields(text), "")); kept != want {
			t.Fatalf("kept %d bytes of text, want %d", kept, want)
		}
	})
}
