package telegramtest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"signpost/internal/telegramtest"
)

// BenchmarkSendMessage measures one sendMessage through go-telegram/bot,
// the floor under any benchmark of the bot's sender.
func BenchmarkSendMessage(b *testing.B) {
	srv := telegramtest.NewServer(b)
	client := newClient(b, srv)
	alice := srv.NewPerson("Alice")
	alice.Send("hi")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := send(ctx, client, alice.ID(), "Your weekly check-in"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConversationTurn measures a full turn: a person writes, the bot
// long-polls it and replies, the person sees the reply. Each turn has its
// own person so the transcript read stays the same size.
func BenchmarkConversationTurn(b *testing.B) {
	srv := telegramtest.NewServer(b)
	startBot(b, srv, func(ctx context.Context, bt *bot.Bot, u *models.Update) {
		if u.Message == nil {
			return
		}
		if _, err := bt.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "ok"}); err != nil {
			b.Error(err)
		}
	})
	ctx := context.Background()
	n := 0
	for b.Loop() {
		n++
		p := srv.NewPerson(fmt.Sprint("Person ", n))
		p.Send("hello")
		if _, err := p.WaitBotMessages(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
}
