package telegramtest_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/internal/telegramtest"
)

// getUpdates polls and returns the update ids and texts it got.
func getUpdates(t testing.TB, srv *telegramtest.Server, params map[string]string) (int, apiResponse, []telegramtest.Update) {
	t.Helper()
	status, resp := call(t, srv, "getUpdates", params)
	var ups []telegramtest.Update
	if resp.OK {
		if err := json.Unmarshal(resp.Result, &ups); err != nil {
			t.Fatal(err)
		}
	}
	return status, resp, ups
}

func ids(ups []telegramtest.Update) []int64 {
	var out []int64
	for _, u := range ups {
		out = append(out, u.UpdateID)
	}
	return out
}

func TestGetUpdatesOffsetAndLimit(t *testing.T) {
	srv := telegramtest.NewServer(t)
	alice := srv.NewPerson("Alice")
	for i := range 5 {
		alice.Send(fmt.Sprint("message ", i))
	}
	tests := []struct {
		name   string
		params map[string]string
		want   []int64
	}{
		{"everything waiting", map[string]string{}, []int64{1, 2, 3, 4, 5}},
		{"limit", map[string]string{"limit": "2"}, []int64{1, 2}},
		{"offset confirms earlier ones", map[string]string{"offset": "3"}, []int64{3, 4, 5}},
		{"confirmed ones stay gone", map[string]string{"offset": "0"}, []int64{3, 4, 5}},
		{"negative offset keeps the last", map[string]string{"offset": "-1"}, []int64{5}},
		{"nothing past the end", map[string]string{"offset": "6"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, resp, ups := getUpdates(t, srv, tt.params)
			if status != 200 {
				t.Fatalf("status %d: %s", status, resp.Description)
			}
			if diff := cmp.Diff(tt.want, ids(ups)); diff != "" {
				t.Errorf("update ids (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLongPollAnswersWhenAnUpdateArrives holds a poll open and shows it
// returns as soon as a person writes, well before its timeout.
func TestLongPollAnswersWhenAnUpdateArrives(t *testing.T) {
	srv := telegramtest.NewServer(t)
	alice := srv.NewPerson("Alice")
	type result struct {
		ups     []telegramtest.Update
		elapsed time.Duration
	}
	done := make(chan result)
	go func() {
		start := time.Now()
		_, _, ups := getUpdates(t, srv, map[string]string{"timeout": "30"})
		done <- result{ups, time.Since(start)}
	}()
	if err := srv.WaitPolling(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	alice.Send("hello")
	r := <-done
	if len(r.ups) != 1 || r.ups[0].Message == nil || r.ups[0].Message.Text != "hello" {
		t.Fatalf("updates = %+v", r.ups)
	}
	if r.elapsed > 10*time.Second {
		t.Errorf("long poll took %v; it should answer when the update arrives", r.elapsed)
	}
}

// TestSecondGetUpdatesConflicts shows Telegram's rule of one poller per
// token: when a second getUpdates arrives, the one already waiting ends
// with 409 and the newer one carries on.
func TestSecondGetUpdatesConflicts(t *testing.T) {
	srv := telegramtest.NewServer(t)
	type answer struct {
		status int
		resp   apiResponse
	}
	first := make(chan answer)
	go func() {
		status, resp, _ := getUpdates(t, srv, map[string]string{"timeout": "30"})
		first <- answer{status, resp}
	}()
	if err := srv.WaitPolling(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	status, resp, _ := getUpdates(t, srv, map[string]string{"timeout": "0"})
	if status != 200 {
		t.Errorf("second getUpdates: status %d %s", status, resp.Description)
	}
	got := <-first
	want := answer{409, apiResponse{ErrorCode: 409, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(answer{})); diff != "" {
		t.Errorf("first getUpdates (-want +got):\n%s", diff)
	}
}

func TestGetUpdatesWhileWebhookIsSetConflicts(t *testing.T) {
	srv := telegramtest.NewServer(t)
	if status, resp := call(t, srv, "setWebhook", map[string]string{"url": "http://127.0.0.1:9/hook"}); status != 200 {
		t.Fatalf("setWebhook: %d %s", status, resp.Description)
	}
	status, resp, _ := getUpdates(t, srv, nil)
	if status != 409 || resp.Description != "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" {
		t.Errorf("getUpdates with a webhook: %d %q", status, resp.Description)
	}
	call(t, srv, "deleteWebhook", nil)
	if status, resp, _ := getUpdates(t, srv, nil); status != 200 {
		t.Errorf("getUpdates after deleteWebhook: %d %q", status, resp.Description)
	}
}

func TestAllowedUpdatesFiltersNewUpdates(t *testing.T) {
	srv := telegramtest.NewServer(t)
	alice := srv.NewPerson("Alice")
	getUpdates(t, srv, map[string]string{"allowed_updates": `["callback_query"]`})
	alice.Send("not wanted")
	call(t, srv, "sendMessage", map[string]string{"chat_id": fmt.Sprint(alice.ID()), "text": "pick", "reply_markup": keyboard(1, 1, "yes")})
	if _, err := alice.Press(2, "yes"); err != nil {
		t.Fatal(err)
	}
	_, _, ups := getUpdates(t, srv, nil)
	if len(ups) != 1 || ups[0].CallbackQuery == nil || ups[0].CallbackQuery.Data != "yes" {
		t.Errorf("updates = %+v, want the callback query only", ups)
	}
}
