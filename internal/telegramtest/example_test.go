package telegramtest_test

import (
	"context"
	"fmt"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"signpost/internal/telegramtest"
)

// New suits a demo binary, which has no testing.TB; tests use NewServer.
func ExampleNew() {
	srv, err := telegramtest.New(telegramtest.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	b, err := bot.New(srv.Token(), bot.WithServerURL(srv.URL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	alice := srv.NewPerson("Alice")
	alice.Send("/start gp_F86001")

	ctx := context.Background()
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{
		ChatID: alice.ID(),
		Text:   "Hello Alice. Would you like to talk about what matters to you?",
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
			{Text: "Yes", CallbackData: "consent:yes"},
			{Text: "Not now", CallbackData: "consent:no"},
		}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(telegramtest.FormatTranscript(alice.Transcript()))
	// Output:
	// Alice: /start gp_F86001
	// bot: Hello Alice. Would you like to talk about what matters to you?
	//   [Yes|consent:yes] [Not now|consent:no]
}
