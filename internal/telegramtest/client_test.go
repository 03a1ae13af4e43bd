package telegramtest_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"signpost/internal/telegramtest"
)

// testCtx is a context that ends with the test or after a generous bound,
// so a broken wait fails instead of hanging.
func testCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// startBot runs a go-telegram/bot client against srv with handler for
// every update, and stops it when the test ends. go-telegram/bot does not
// wait for its handlers on shutdown, so startBot does: a handler cut off
// mid-request would report a spurious error.
func startBot(t testing.TB, srv *telegramtest.Server, handler bot.HandlerFunc, opts ...bot.Option) *bot.Bot {
	t.Helper()
	var handlers sync.WaitGroup
	tracked := func(ctx context.Context, b *bot.Bot, u *models.Update) {
		handlers.Add(1)
		defer handlers.Done()
		handler(ctx, b, u)
	}
	opts = append([]bot.Option{
		bot.WithServerURL(srv.URL()),
		bot.WithDefaultHandler(tracked),
		bot.WithErrorsHandler(func(err error) { t.Logf("bot client: %v", err) }),
	}, opts...)
	b, err := bot.New(srv.Token(), opts...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		b.Start(ctx)
	}()
	t.Cleanup(func() {
		handlers.Wait()
		cancel()
		wg.Wait()
	})
	if err := srv.WaitPolling(testCtx(t)); err != nil {
		t.Fatalf("bot never polled: %v", err)
	}
	return b
}

func TestClientReceivesMessageAndReplies(t *testing.T) {
	srv := telegramtest.NewServer(t)
	startBot(t, srv, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		if u.Message == nil {
			return
		}
		var payload string
		for _, e := range u.Message.Entities {
			if e.Type == models.MessageEntityTypeBotCommand && e.Offset == 0 {
				payload = strings.TrimSpace(u.Message.Text[e.Length:])
			}
		}
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{
			ChatID: u.Message.Chat.ID,
			Text:   "Hello " + u.Message.From.FirstName + ", referred by " + payload,
		})
		if err != nil {
			t.Errorf("SendMessage: %v", err)
		}
	})

	alice := srv.NewPerson("Alice")
	alice.Send("/start gp_F86001")
	got, err := alice.WaitBotMessages(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []telegramtest.Entry{{MessageID: 2, From: "bot", FromBot: true, Kind: "text", Text: "Hello Alice, referred by gp_F86001"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bot messages (-want +got):\n%s", diff)
	}
	if n := srv.Calls("getMe"); n != 1 {
		t.Errorf("getMe calls = %d, want 1 (bot.New checks the token)", n)
	}
}

func TestClientCallbackRoundTripAndEdit(t *testing.T) {
	srv := telegramtest.NewServer(t)
	startBot(t, srv, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		switch {
		case u.Message != nil:
			_, err := b.SendMessage(ctx, &bot.SendMessageParams{
				ChatID: u.Message.Chat.ID,
				Text:   "What would help most?",
				ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
					{Text: "Money advice", CallbackData: "need:money"},
					{Text: "Meeting people", CallbackData: "need:lonely"},
				}}},
			})
			if err != nil {
				t.Errorf("SendMessage: %v", err)
			}
		case u.CallbackQuery != nil:
			q := u.CallbackQuery
			if _, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: "Noted"}); err != nil {
				t.Errorf("AnswerCallbackQuery: %v", err)
			}
			_, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{
				ChatID:    q.Message.Message.Chat.ID,
				MessageID: q.Message.Message.ID,
				Text:      "You chose: " + q.Data,
			})
			if err != nil {
				t.Errorf("EditMessageText: %v", err)
			}
		}
	})

	ctx := testCtx(t)
	alice := srv.NewPerson("Alice")
	alice.Send("hi")
	if _, err := alice.WaitBotMessages(ctx, 1); err != nil {
		t.Fatal(err)
	}
	id, err := alice.PressButton("Meeting people")
	if err != nil {
		t.Fatal(err)
	}
	answer, err := srv.WaitCallbackAnswer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(telegramtest.CallbackAnswer{Answered: true, Text: "Noted"}, answer); diff != "" {
		t.Errorf("callback answer (-want +got):\n%s", diff)
	}
	got, err := alice.WaitFor(ctx, func(t []telegramtest.Entry) bool {
		return len(t) == 2 && t[1].Edited
	})
	if err != nil {
		t.Fatal(err)
	}
	// The edit left reply_markup out, so Telegram removes the keyboard.
	want := []telegramtest.Entry{
		{MessageID: 1, From: "Alice", Kind: "text", Text: "hi"},
		{MessageID: 2, From: "bot", FromBot: true, Kind: "text", Text: "You chose: need:lonely", Edited: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
	if _, err := alice.PressButton("Meeting people"); err == nil {
		t.Error("pressing a removed button succeeded")
	}
}

func TestClientSetsAndReadsCommands(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b, err := bot.New(srv.Token(), bot.WithServerURL(srv.URL()), bot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	cmds := []models.BotCommand{{Command: "start", Description: "Begin"}, {Command: "forget", Description: "Delete my data"}}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: cmds}); err != nil {
		t.Fatalf("SetMyCommands: %v", err)
	}
	got, err := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{})
	if err != nil {
		t.Fatalf("GetMyCommands: %v", err)
	}
	if diff := cmp.Diff(cmds, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	me, err := b.GetMe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != b.ID() || !me.IsBot || me.Username != srv.Bot().Username {
		t.Errorf("getMe = %+v, want the bot of token %d", me, b.ID())
	}
}
