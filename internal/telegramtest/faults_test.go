package telegramtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/google/go-cmp/cmp"

	"signpost/internal/telegramtest"
)

// newClient makes a go-telegram/bot client that does not poll, for tests
// that only send.
func newClient(t testing.TB, srv *telegramtest.Server) *bot.Bot {
	t.Helper()
	b, err := bot.New(srv.Token(), bot.WithServerURL(srv.URL()), bot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func send(ctx context.Context, b *bot.Bot, chatID int64, text string) error {
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chatID, Text: text})
	return err
}

func TestInjectedTooManyRequests(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newClient(t, srv)
	ctx := testCtx(t)
	alice := srv.NewPerson("Alice")
	alice.Send("hi")

	srv.TooManyRequests("sendMessage", 2, 7)
	for i := range 2 {
		err := send(ctx, b, alice.ID(), "hello")
		var tooMany *bot.TooManyRequestsError
		if !errors.As(err, &tooMany) || tooMany.RetryAfter != 7 {
			t.Fatalf("send %d: err = %v, want *bot.TooManyRequestsError with RetryAfter 7", i, err)
		}
	}
	if err := send(ctx, b, alice.ID(), "hello"); err != nil {
		t.Fatalf("third send: %v; the fault covered two calls", err)
	}
	var statuses []int
	for _, r := range srv.Requests() {
		statuses = append(statuses, r.Status)
	}
	if diff := cmp.Diff([]int{429, 429, 200}, statuses); diff != "" {
		t.Errorf("request statuses (-want +got):\n%s", diff)
	}
}

func TestBlockedPersonIsForbidden(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newClient(t, srv)
	ctx := testCtx(t)
	alice := srv.NewPerson("Alice")
	alice.Send("/start")
	alice.Block()

	err := send(ctx, b, alice.ID(), "Your weekly check-in")
	if !errors.Is(err, bot.ErrorForbidden) {
		t.Fatalf("send to a blocked person: err = %v, want bot.ErrorForbidden", err)
	}
	_, resp := call(t, srv, "sendChatAction", map[string]string{"chat_id": fmt.Sprint(alice.ID()), "action": "typing"})
	if resp.Description != "Forbidden: bot was blocked by the user" {
		t.Errorf("description = %q", resp.Description)
	}

	alice.Unblock()
	if err := send(ctx, b, alice.ID(), "Welcome back"); err != nil {
		t.Errorf("send after unblock: %v", err)
	}
	var statuses []string
	for _, u := range srv.PendingUpdates() {
		if u.MyChatMember != nil {
			m := u.MyChatMember
			statuses = append(statuses, m.OldChatMember.Status+"->"+m.NewChatMember.Status)
		}
	}
	if diff := cmp.Diff([]string{"member->kicked", "kicked->member"}, statuses); diff != "" {
		t.Errorf("my_chat_member updates (-want +got):\n%s", diff)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		fault     telegramtest.Fault
		wantErr   func(error) bool
		wantCalls int
	}{
		{
			name:    "500 for all methods",
			fault:   telegramtest.Fault{Status: http.StatusInternalServerError},
			wantErr: func(err error) bool { return err != nil && !errors.Is(err, bot.ErrorBadRequest) },
		},
		{
			name:    "403 with its own text",
			fault:   telegramtest.Fault{Method: "sendmessage", Status: 403, Description: "Forbidden: user is deactivated"},
			wantErr: func(err error) bool { return errors.Is(err, bot.ErrorForbidden) },
		},
		{
			name:    "dropped connection",
			fault:   telegramtest.Fault{Method: "sendMessage", Drop: true},
			wantErr: func(err error) bool { return err != nil },
		},
		{
			name:    "fault for another chat leaves this one alone",
			fault:   telegramtest.Fault{ChatID: 1, Status: 500},
			wantErr: func(err error) bool { return err == nil },
		},
		{
			name:    "fault for another method leaves this one alone",
			fault:   telegramtest.Fault{Method: "editMessageText", Status: 500},
			wantErr: func(err error) bool { return err == nil },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := telegramtest.NewServer(t)
			b := newClient(t, srv)
			alice := srv.NewPerson("Alice")
			alice.Send("hi")
			srv.AddFault(tt.fault)
			if err := send(testCtx(t), b, alice.ID(), "hello"); !tt.wantErr(err) {
				t.Errorf("err = %v", err)
			}
			if n := srv.Calls("sendMessage"); n != 1 {
				t.Errorf("sendMessage calls = %d, want 1", n)
			}
		})
	}
}

func TestDelayedAnswerHitsClientTimeout(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newClient(t, srv)
	alice := srv.NewPerson("Alice")
	alice.Send("hi")
	srv.DelayNext("sendMessage", 1, time.Minute)
	ctx, cancel := context.WithTimeout(testCtx(t), 50*time.Millisecond)
	defer cancel()
	if err := send(ctx, b, alice.ID(), "hello"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the client's deadline", err)
	}
	if got := len(alice.BotMessages()); got != 0 {
		t.Errorf("bot messages = %d; a call cut off by a delay must not be sent", got)
	}
	srv.DelayNext("sendMessage", 1, 10*time.Millisecond)
	if err := send(testCtx(t), b, alice.ID(), "hello"); err != nil {
		t.Errorf("short delay: %v", err)
	}
}

// TestRetryAfterRespected shows how a test checks a sender waited
// retry_after: the request log has the refusal and the retry, with times.
// This test's own sender does the waiting; it is the one sleep in this
// package, standing in for the code under test.
func TestRetryAfterRespected(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newClient(t, srv)
	ctx := testCtx(t)
	alice := srv.NewPerson("Alice")
	alice.Send("hi")
	srv.TooManyRequests("sendMessage", 1, 1)

	for {
		err := send(ctx, b, alice.ID(), "hello")
		var tooMany *bot.TooManyRequestsError
		if !errors.As(err, &tooMany) {
			if err != nil {
				t.Fatal(err)
			}
			break
		}
		time.Sleep(time.Duration(tooMany.RetryAfter) * time.Second)
	}

	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].Status != 200 {
		t.Fatalf("requests = %+v", reqs)
	}
	if gap := reqs[1].At.Sub(reqs[0].At); gap < time.Duration(reqs[0].RetryAfter)*time.Second {
		t.Errorf("retried after %v, before retry_after %ds", gap, reqs[0].RetryAfter)
	}
}

// TestGroupRefusals: a group that removed the bot refuses with 403, and a
// basic group upgraded to a supergroup refuses its old id with 400 naming
// the new one, which go-telegram/bot reads as *bot.MigrateError; the
// supergroup takes the message.
func TestGroupRefusals(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newClient(t, srv)
	ctx := testCtx(t)
	alice := srv.NewPerson("Alice")

	g := srv.NewGroup("Link workers", alice)
	g.AddBot(alice)
	g.SetBotStatus(alice, "kicked")
	err := send(ctx, b, g.ID(), "card")
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "bot was kicked from the supergroup chat") {
		t.Errorf("send to a group that removed the bot: %v, want 403 bot was kicked", err)
	}

	basic := srv.NewBasicGroup("Leaving care", alice)
	basic.AddBot(alice)
	if err := send(ctx, b, basic.ID(), "before"); err != nil {
		t.Fatalf("send to the basic group: %v", err)
	}
	super := basic.Migrate(alice)
	err = send(ctx, b, basic.ID(), "after")
	var moved *bot.MigrateError
	if !errors.As(err, &moved) || int64(moved.MigrateToChatID) != super.ID() || !strings.Contains(err.Error(), "group chat was upgraded to a supergroup chat") {
		t.Fatalf("send to the old id: %v, want 400 naming %d", err, super.ID())
	}
	if _, err := b.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: basic.ID(), UserID: alice.ID()}); !errors.As(err, &moved) {
		t.Errorf("getChatMember of the old id: %v, want the migration", err)
	}
	if err := send(ctx, b, super.ID(), "after"); err != nil {
		t.Fatalf("send to the supergroup: %v", err)
	}
	if !super.BotIsMember() || super.ID() >= -1000000000000 || basic.ID() < -1000000000000 {
		t.Errorf("ids: basic %d, supergroup %d; the bot a member of the supergroup: %v", basic.ID(), super.ID(), super.BotIsMember())
	}
	var service []string
	for _, e := range append(basic.Transcript(), super.Transcript()...) {
		if e.Kind == "service" && strings.HasPrefix(e.Text, "migrate_") {
			service = append(service, e.Text)
		}
	}
	want := []string{fmt.Sprintf("migrate_to_chat_id %d", super.ID()), fmt.Sprintf("migrate_from_chat_id %d", basic.ID())}
	if diff := cmp.Diff(want, service); diff != "" {
		t.Errorf("service messages of the upgrade (-want +got):\n%s", diff)
	}
}
