package telegramtest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"signpost/internal/telegramtest"
)

func TestCommandEntities(t *testing.T) {
	srv := telegramtest.NewServer(t)
	alice := srv.NewPerson("Alice")
	tests := []struct {
		text string
		want []telegramtest.MessageEntity
	}{
		{"/start gp_F86001", []telegramtest.MessageEntity{{Type: "bot_command", Offset: 0, Length: 6}}},
		{"/claim@signpost_test_bot 12", []telegramtest.MessageEntity{{Type: "bot_command", Offset: 0, Length: 24}}},
		{"🙂 /help", []telegramtest.MessageEntity{{Type: "bot_command", Offset: 3, Length: 5}}},
		{"and/or", nil},
		{"just words", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			m := alice.Send(tt.text)
			if diff := cmp.Diff(tt.want, m.Entities); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEveryKindOfMessageReachesTheBot sends each kind and checks the bot
// sees it through go-telegram/bot's models.
func TestEveryKindOfMessageReachesTheBot(t *testing.T) {
	srv := telegramtest.NewServer(t)
	seen := make(chan string, 20)
	startBot(t, srv, func(_ context.Context, _ *bot.Bot, u *models.Update) {
		switch m := u.Message; {
		case u.EditedMessage != nil:
			seen <- "edited:" + u.EditedMessage.Text
		case m == nil:
		case m.Sticker != nil:
			seen <- "sticker:" + m.Sticker.Emoji
		case len(m.Photo) > 0:
			seen <- "photo:" + m.Caption
		case m.Voice != nil:
			seen <- fmt.Sprint("voice:", m.Voice.Duration)
		case m.Video != nil:
			seen <- fmt.Sprint("video:", m.Video.Duration)
		case m.Document != nil:
			seen <- "document:" + m.Document.FileName
		case m.Location != nil:
			seen <- fmt.Sprintf("location:%.4f,%.4f", m.Location.Latitude, m.Location.Longitude)
		case m.Contact != nil:
			seen <- "contact:" + m.Contact.PhoneNumber
		case m.Poll != nil:
			seen <- "poll:" + m.Poll.Question
		case m.ForwardOrigin != nil && m.ForwardOrigin.MessageOriginHiddenUser != nil:
			seen <- "forward:" + m.ForwardOrigin.MessageOriginHiddenUser.SenderUserName
		default:
			seen <- "text:" + m.Text
		}
	})
	alice := srv.NewPerson("Alice")
	first := alice.Send("hello")
	alice.SendSticker("👍")
	alice.SendPhoto("my letter")
	alice.SendVoice(12 * time.Second)
	alice.SendVideo(30*time.Second, "")
	alice.SendDocument("letter.pdf", "application/pdf", "")
	alice.SendLocation(51.5886, -0.0118)
	alice.SendContact(telegramtest.Contact{PhoneNumber: "+447700900123", FirstName: "Alice", UserID: alice.ID()})
	alice.SendPoll("Which day suits?", "Monday", "Tuesday")
	alice.Forward("from my friend", nil, "Jo")
	if _, err := alice.Edit(first.MessageID, "hello again"); err != nil {
		t.Fatal(err)
	}

	want := []string{
		"text:hello", "sticker:👍", "photo:my letter", "voice:12", "video:30", "document:letter.pdf",
		"location:51.5886,-0.0118", "contact:+447700900123", "poll:Which day suits?", "forward:Jo", "edited:hello again",
	}
	var got []string
	ctx := testCtx(t)
	for range want {
		select {
		case s := <-seen:
			got = append(got, s)
		case <-ctx.Done():
			t.Fatalf("bot saw only %q", got)
		}
	}
	// Handlers run concurrently in go-telegram/bot, so compare as sets.
	if diff := cmp.Diff(want, got, cmpSortStrings); diff != "" {
		t.Errorf("updates seen (-want +got):\n%s", diff)
	}
}

// TestGroupMembershipAndPrivacy adds the bot to the link workers' group,
// checks privacy mode, and reads membership with getChatMember.
func TestGroupMembershipAndPrivacy(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newClient(t, srv)
	ctx := testCtx(t)
	lead := srv.NewPerson("Lead")
	sam := srv.NewPerson("Sam")
	outsider := srv.NewPerson("Out")
	g := srv.NewGroup("Link workers", lead, sam)

	if err := send(ctx, b, g.ID(), "hello"); err == nil {
		t.Error("sent to a group the bot is not in")
	}
	g.AddBot(lead)
	sam.SendIn(g, "chat among ourselves")
	sam.SendIn(g, "/claim 12")
	g.SetMember(outsider, "kicked")

	var kinds []string
	for _, u := range srv.PendingUpdates() {
		switch {
		case u.MyChatMember != nil:
			kinds = append(kinds, "my_chat_member:"+u.MyChatMember.NewChatMember.Status)
		case u.Message != nil && u.Message.NewChatMembers != nil:
			kinds = append(kinds, "joined")
		case u.Message != nil:
			kinds = append(kinds, "message:"+u.Message.Text)
		}
	}
	// Privacy mode: a member bot sees commands, not the chatter.
	if diff := cmp.Diff([]string{"my_chat_member:member", "joined", "message:/claim 12"}, kinds); diff != "" {
		t.Errorf("updates (-want +got):\n%s", diff)
	}
	if err := send(ctx, b, g.ID(), "Referral 12 claimed by Sam"); err != nil {
		t.Errorf("send to the group: %v", err)
	}

	tests := []struct {
		person *telegramtest.Person
		want   models.ChatMemberType
	}{
		{lead, models.ChatMemberTypeOwner},
		{sam, models.ChatMemberTypeMember},
		{outsider, models.ChatMemberTypeBanned},
		{srv.NewPerson("Never"), models.ChatMemberTypeLeft},
	}
	for _, tt := range tests {
		t.Run(tt.person.User().FirstName, func(t *testing.T) {
			m, err := b.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: g.ID(), UserID: tt.person.ID()})
			if err != nil {
				t.Fatal(err)
			}
			if m.Type != tt.want {
				t.Errorf("status = %q, want %q", m.Type, tt.want)
			}
		})
	}
}

func TestTranscriptAfterDeleteAndActions(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newClient(t, srv)
	ctx := testCtx(t)
	alice := srv.NewPerson("Alice")
	alice.Send("/start")
	if _, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: alice.ID(), Action: models.ChatActionTyping}); err != nil {
		t.Fatal(err)
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: "Yes", CallbackData: "consent:yes"}, {Text: "Privacy notice", URL: "https://example.org/privacy"},
	}}}
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID(), Text: "May we store your answers?", ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	temp, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID(), Text: "one moment"})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: alice.ID(), MessageID: temp.ID}); !ok || err != nil {
		t.Fatalf("DeleteMessage: %v %v", ok, err)
	}
	if _, err := alice.Press(m.ID, "consent:yes"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: alice.ID(), MessageID: m.ID}); err != nil {
		t.Fatal(err)
	}

	want := "Alice: /start\n" +
		"bot (edited): May we store your answers?\n"
	if diff := cmp.Diff(want, telegramtest.FormatTranscript(alice.Transcript())); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"typing"}, alice.ChatActions()); diff != "" {
		t.Errorf("chat actions (-want +got):\n%s", diff)
	}
}

func TestFormatTranscript(t *testing.T) {
	entries := []telegramtest.Entry{
		{From: "Alice", Kind: "text", Text: "/start gp_F86001"},
		{From: "bot", FromBot: true, Kind: "text", Text: "Hello.\nWhat matters to you?", Buttons: [][]telegramtest.Button{
			{{Text: "Money", Data: "need:money"}, {Text: "More", URL: "https://example.org"}},
		}},
		{From: "Alice", Kind: "voice"},
		{From: "bot", FromBot: true, Kind: "text", Text: "Share your number?", ReplyKeyboard: [][]string{{"Share"}}},
	}
	want := "Alice: /start gp_F86001\n" +
		"bot: Hello.\n  What matters to you?\n" +
		"  [Money|need:money] [More|https://example.org]\n" +
		"Alice (voice): \n" +
		"bot: Share your number?\n" +
		"  keyboard: (Share)\n"
	if diff := cmp.Diff(want, telegramtest.FormatTranscript(entries)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// cmpSortStrings compares string slices as multisets.
var cmpSortStrings = cmpopts.SortSlices(func(a, b string) bool { return a < b })
