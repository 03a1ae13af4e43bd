package telegramtest_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/internal/telegramtest"
)

func TestAnswerCallbackQuery(t *testing.T) {
	const tooOld = "Bad Request: query is too old and response timeout expired or query ID is invalid"
	tests := []struct {
		name string
		// before runs between the press and the answer under test.
		before     func(srv *telegramtest.Server, clock *fakeClock, id string)
		text       string
		wantStatus int
		wantDesc   string
		want       telegramtest.CallbackAnswer
	}{
		{name: "answered", text: "Saved", wantStatus: 200, want: telegramtest.CallbackAnswer{Answered: true, Text: "Saved"}},
		{name: "200 characters", text: strings.Repeat("a", 200), wantStatus: 200, want: telegramtest.CallbackAnswer{Answered: true, Text: strings.Repeat("a", 200)}},
		{name: "201 characters", text: strings.Repeat("a", 201), wantStatus: 400, wantDesc: "Bad Request: MESSAGE_TOO_LONG"},
		{
			name: "answered twice",
			before: func(srv *telegramtest.Server, _ *fakeClock, id string) {
				call(t, srv, "answerCallbackQuery", map[string]string{"callback_query_id": id, "text": "first"})
			},
			wantStatus: 400, wantDesc: tooOld,
			want: telegramtest.CallbackAnswer{Answered: true, Text: "first"},
		},
		{
			name:       "too late",
			before:     func(_ *telegramtest.Server, clock *fakeClock, _ string) { clock.Advance(16 * time.Second) },
			wantStatus: 400, wantDesc: tooOld,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			srv := telegramtest.NewServer(t, telegramtest.WithClock(clock.Now))
			alice := srv.NewPerson("Alice")
			alice.Send("hi")
			call(t, srv, "sendMessage", map[string]string{"chat_id": fmt.Sprint(alice.ID()), "text": "Consent?", "reply_markup": keyboard(1, 2, "consent:yes")})
			id, err := alice.PressButton("b0.1")
			if err != nil {
				t.Fatal(err)
			}
			if tt.before != nil {
				tt.before(srv, clock, id)
			}
			status, resp := call(t, srv, "answerCallbackQuery", map[string]string{"callback_query_id": id, "text": tt.text})
			if diff := cmp.Diff([2]any{tt.wantStatus, tt.wantDesc}, [2]any{status, resp.Description}); diff != "" {
				t.Errorf("status and description (-want +got):\n%s", diff)
			}
			got, ok := srv.CallbackAnswer(id)
			if !ok {
				t.Fatal("press not recorded")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPressCarriesMessageAndData(t *testing.T) {
	srv := telegramtest.NewServer(t)
	alice := srv.NewPerson("Alice")
	alice.Send("hi")
	call(t, srv, "sendMessage", map[string]string{"chat_id": fmt.Sprint(alice.ID()), "text": "Pick", "reply_markup": keyboard(1, 1, "n:1")})
	first, _ := alice.Press(2, "n:1")
	second, _ := alice.Press(2, "n:1")
	if first == second || first == "" {
		t.Errorf("press ids %q and %q: each press needs a fresh id", first, second)
	}
	if _, err := alice.Press(2, "n:2"); err == nil {
		t.Error("pressed a button that is not there")
	}
	ups := srv.PendingUpdates()
	q := ups[len(ups)-1].CallbackQuery
	if q == nil || q.Data != "n:1" || q.Message == nil || q.Message.MessageID != 2 || q.Message.Text != "Pick" || q.From.ID != alice.ID() || q.ChatInstance == "" {
		t.Errorf("callback query = %+v", q)
	}
}
