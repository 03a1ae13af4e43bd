package bot

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"signpost/flows"
)

// librarySendMessage is the body post built before it wrote its own: the
// library's params through encoding/json.
func librarySendMessage(t testing.TB, chat int64, text string, buttons [][]flows.Button, opt postOpts) []byte {
	params := &tgbot.SendMessageParams{ChatID: chat, Text: text, ProtectContent: opt.protect}
	if opt.worker {
		off := true
		params.LinkPreviewOptions = &models.LinkPreviewOptions{IsDisabled: &off}
	}
	if len(buttons) > 0 {
		params.ReplyMarkup = keyboard(buttons)
	}
	if opt.reply != 0 {
		params.ReplyParameters = &models.ReplyParameters{MessageID: opt.reply, AllowSendingWithoutReply: true}
	}
	b, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSendMessageBodyMatchesEncodingJSON(t *testing.T) {
	texts := []string{
		"", "hello", "Hi <b>&</b> \"quoted\" \\ back", "line\nbreak\ttab\r\b\f\x00\x1f\x7f",
		"café ☕ 👋", "bad \xff utf8 \xc3", "sep \u2028 and \u2029", "\xed\xa0\x80 surrogate",
	}
	opts := []postOpts{{}, {reply: 42}, {protect: true, worker: true}, {protect: true, reply: -7, worker: true}}
	keyboards := [][][]flows.Button{
		nil,
		{{{Label: "Yes", Data: "y"}, {Label: "No <thanks>", Data: "n&1"}}},
		{{{Label: "Open", URL: "https://example.org/?a=1&b=<2>"}}, {}, {{Label: "", Data: ""}}},
	}
	for _, text := range texts {
		for _, opt := range opts {
			for _, kb := range keyboards {
				for _, chat := range []int64{0, 12345, -1001234567890} {
					got := appendSendMessage(nil, chat, text, kb, opt)
					want := librarySendMessage(t, chat, text, kb, opt)
					if !bytes.Equal(got, want) {
						t.Fatalf("text %q opt %+v buttons %v:\n got %s\nwant %s", text, opt, kb, got, want)
					}
				}
			}
		}
	}
}

// libraryEdits are the bodies of the edits and the answer to a press as
// they were built before they were written directly: the library's params
// through encoding/json.
func libraryEdits(t testing.TB, chat int64, id int, text string, buttons [][]flows.Button) (editText, editMarkup, answer []byte) {
	params := &tgbot.EditMessageTextParams{ChatID: chat, MessageID: id, Text: text}
	if len(buttons) > 0 {
		params.ReplyMarkup = keyboard(buttons)
	}
	var err error
	if editText, err = json.Marshal(params); err != nil {
		t.Fatal(err)
	}
	if editMarkup, err = json.Marshal(&tgbot.EditMessageReplyMarkupParams{ChatID: chat, MessageID: id, ReplyMarkup: keyboard(buttons)}); err != nil {
		t.Fatal(err)
	}
	if answer, err = json.Marshal(&tgbot.AnswerCallbackQueryParams{CallbackQueryID: text + "q", Text: text}); err != nil {
		t.Fatal(err)
	}
	return editText, editMarkup, answer
}

// checkEdits compares the bodies written with libraryEdits'.
func checkEdits(t testing.TB, chat int64, id int, text string, kb [][]flows.Button) {
	wantText, wantMarkup, wantAnswer := libraryEdits(t, chat, id, text, kb)
	if got := appendEditMessageText(nil, chat, id, text, kb); !bytes.Equal(got, wantText) {
		t.Fatalf("editMessageText chat %d id %d text %q buttons %v:\n got %s\nwant %s", chat, id, text, kb, got, wantText)
	}
	if got := appendEditMessageReplyMarkup(nil, chat, id, kb); !bytes.Equal(got, wantMarkup) {
		t.Fatalf("editMessageReplyMarkup chat %d id %d buttons %v:\n got %s\nwant %s", chat, id, kb, got, wantMarkup)
	}
	if got := appendAnswerCallbackQuery(nil, text+"q", text); !bytes.Equal(got, wantAnswer) {
		t.Fatalf("answerCallbackQuery text %q:\n got %s\nwant %s", text, got, wantAnswer)
	}
}

func TestEditBodiesMatchEncodingJSON(t *testing.T) {
	texts := []string{
		"", "hello", "Hi <b>&</b> \"quoted\" \\ back", "line\nbreak\ttab\r\b\f\x00\x1f\x7f",
		"café ☕ 👋", "bad \xff utf8 \xc3", "sep \u2028 and \u2029", "✓ Yes\n\n" + strings.Repeat("long ", 900),
	}
	keyboards := [][][]flows.Button{
		nil,
		{},
		{{{Label: "Yes", Data: "y"}, {Label: "No <thanks>", Data: "n&1"}}},
		{{{Label: "Open", URL: "https://example.org/?a=1&b=<2>"}}, {}, nil, {{Label: "", Data: ""}}},
	}
	for _, text := range texts {
		for _, kb := range keyboards {
			for _, chat := range []int64{0, 12345, -1001234567890} {
				for _, id := range []int{0, 1, 987654321, -3} {
					checkEdits(t, chat, id, text, kb)
				}
			}
		}
	}
}

func FuzzEditBodies(f *testing.F) {
	f.Add(int64(5), 7, "hi", "label", "data", "")
	f.Add(int64(-100), 0, "a\u2028<&>\xff", "l\x01", "", "https://x")
	f.Fuzz(func(t *testing.T, chat int64, id int, text, label, data, url string) {
		var kb [][]flows.Button
		if label != "" || data != "" || url != "" {
			kb = [][]flows.Button{{{Label: label, Data: data, URL: url}, {Label: text}}, {{Label: url, Data: label}}}
		}
		checkEdits(t, chat, id, text, kb)
	})
}

func FuzzSendMessageBody(f *testing.F) {
	f.Add(int64(5), "hi", "label", "data", "", 0, false)
	f.Add(int64(-100), "a\u2028<&>\xff", "l\x01", "", "https://x", 3, true)
	f.Fuzz(func(t *testing.T, chat int64, text, label, data, url string, reply int, flag bool) {
		var kb [][]flows.Button
		if label != "" || data != "" || url != "" {
			kb = [][]flows.Button{{{Label: label, Data: data, URL: url}}}
		}
		opt := postOpts{reply: reply, protect: flag, worker: !flag}
		got := appendSendMessage(nil, chat, text, kb, opt)
		if want := librarySendMessage(t, chat, text, kb, opt); !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

func BenchmarkSendMessageBody(b *testing.B) {
	kb := [][]flows.Button{{{Label: "Yes, I'd like that", Data: "n:yes"}, {Label: "Not now", Data: "n:no"}}}
	text := "Thanks for telling me. Would you like me to pass your details to a link worker?"
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			librarySendMessage(b, 123456789, text, kb, postOpts{reply: 17})
		}
	})
	b.Run("written", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			appendSendMessage(make([]byte, 0, 256+len(text)), 123456789, text, kb, postOpts{reply: 17})
		}
	})
}

func BenchmarkEditMessageTextBody(b *testing.B) {
	text := "Overall, how happy did you feel yesterday?\n\n✓ 7"
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.Marshal(&tgbot.EditMessageTextParams{ChatID: int64(123456789), MessageID: 4242, Text: text})
		}
	})
	b.Run("written", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			appendEditMessageText(make([]byte, 0, 96+len(text)), 123456789, 4242, text, nil)
		}
	})
}
