package bot

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
)

const testToken = "123:secret-token"

// apiServer answers every call with status and body, and records the last
// request's path, content type and body.
func apiServer(t testing.TB, status int, body string) (*httptest.Server, *atomic.Value) {
	var last atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		last.Store(r.URL.Path + " " + r.Header.Get("Content-Type") + " " + string(b))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &last
}

func TestCallAnswers(t *testing.T) {
	cases := []struct {
		status int
		body   string
		dest   bool
		check  func(error) bool
		id     int
	}{
		{200, `{"ok":true,"result":{"message_id":42,"date":1,"chat":{"id":5,"type":"private"}}}`, true, func(err error) bool { return err == nil }, 42},
		{200, `{"ok":true,"result":{"date":1,"message_id":43}}`, true, func(err error) bool { return err == nil }, 43},
		{200, `{"ok":true,"result":true}`, false, func(err error) bool { return err == nil }, 0},
		{403, `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`, true,
			func(err error) bool { return errors.Is(err, tgbot.ErrorForbidden) }, 0},
		{400, `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded","parameters":{"migrate_to_chat_id":-100777}}`, false,
			func(err error) bool {
				var m *tgbot.MigrateError
				return errors.As(err, &m) && m.MigrateToChatID == -100777
			}, 0},
		{429, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`, false,
			func(err error) bool {
				var m *tgbot.TooManyRequestsError
				return errors.As(err, &m) && m.RetryAfter == 3
			}, 0},
		{502, `<html>bad gateway</html>`, false, func(err error) bool { return err != nil && strings.Contains(err.Error(), "decode response body") }, 0},
	}
	for _, c := range cases {
		srv, last := apiServer(t, c.status, c.body)
		api := newAPIClient(srv.URL, testToken, 5*time.Second, 2)
		var msg sent
		var dest any
		if c.dest {
			dest = &msg
		}
		body := appendSendMessage(nil, 5, "hi <you>", nil, postOpts{})
		err := api.call(context.Background(), "sendMessage", encodedParams(body), dest)
		if !c.check(err) {
			t.Errorf("%d %s: error %v", c.status, c.body, err)
		}
		if msg.ID != c.id {
			t.Errorf("%d %s: message id %d, want %d", c.status, c.body, msg.ID, c.id)
		}
		if got, want := last.Load(), "/bot"+testToken+"/sendMessage application/json "+string(body); got != want {
			t.Errorf("request %q, want %q", got, want)
		}
		// A method the client has no URL made for goes the same way.
		if err := api.call(context.Background(), "setMyName", map[string]string{"name": "x"}, nil); !c.check(err) {
			t.Errorf("%d: setMyName: error %v", c.status, err)
		}
		if got, want := last.Load(), "/bot"+testToken+`/setMyName application/json {"name":"x"}`; got != want {
			t.Errorf("request %q, want %q", got, want)
		}
	}
}

// stallingServer answers every call with what begin writes (nothing if
// begin is nil) and then stalls until the call gives up or the test ends.
func stallingServer(t *testing.T, begin func(http.ResponseWriter)) *httptest.Server {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if begin != nil {
			begin(w)
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv
}

// TestCallTimeout checks a call to a Bot API that does not answer ends
// after the client's timeout (or the context's, if sooner) with a timeout
// error that does not show the token, as http.Client's Timeout ended it.
func TestCallTimeout(t *testing.T) {
	srv := stallingServer(t, nil)
	api := newAPIClient(srv.URL, testToken, 300*time.Millisecond, 2)
	for _, ctxTimeout := range []time.Duration{0, 100 * time.Millisecond, time.Hour} {
		ctx := context.Background()
		if ctxTimeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, ctxTimeout)
			defer cancel()
		}
		start := time.Now()
		err := api.call(ctx, "sendMessage", encodedParams(`{"chat_id":1,"text":"x"}`), &sent{})
		took := time.Since(start)
		want := 300 * time.Millisecond
		if ctxTimeout > 0 && ctxTimeout < want {
			want = ctxTimeout
		}
		if err == nil || took < want || took > want+2*time.Second {
			t.Fatalf("ctx timeout %v: error %v after %v, want a timeout after %v", ctxTimeout, err, took, want)
		}
		var ue *url.Error
		if !errors.As(err, &ue) || !ue.Timeout() {
			t.Errorf("ctx timeout %v: %v is not a timeout", ctxTimeout, err)
		}
		if strings.Contains(err.Error(), "secret-token") {
			t.Errorf("the error shows the token: %v", err)
		}
	}
}

// TestCallTimeoutReadingBody checks the timeout bounds the answer's body
// too, as http.Client's does.
func TestCallTimeoutReadingBody(t *testing.T) {
	srv := stallingServer(t, func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"ok":true,"result":{"message_id":`)
		w.(http.Flusher).Flush()
	})
	api := newAPIClient(srv.URL, testToken, 300*time.Millisecond, 2)
	start := time.Now()
	err := api.call(context.Background(), "sendMessage", encodedParams(`{"chat_id":1,"text":"x"}`), &sent{})
	if took := time.Since(start); err == nil || took > 2*time.Second {
		t.Fatalf("error %v after %v, want a timeout after 300ms", err, took)
	}
}

func BenchmarkAPICall(b *testing.B) {
	srv, _ := apiServer(b, 200, `{"ok":true,"result":{"message_id":42,"from":{"id":1,"is_bot":true,"first_name":"signpost"},"chat":{"id":123456789,"first_name":"Sam","type":"private"},"date":1764560000,"text":"Thanks for telling me."}}`)
	api := newAPIClient(srv.URL, testToken, 5*time.Second, 2)
	body := appendSendMessage(nil, 123456789, "Thanks for telling me.", nil, postOpts{})
	ctx := context.Background()
	b.Run("sendMessage", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var msg sent
			if err := api.call(ctx, "sendMessage", encodedParams(body), &msg); err != nil || msg.ID != 42 {
				b.Fatal(err, msg)
			}
		}
	})
	b.Run("no-result", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := api.call(ctx, "editMessageText", encodedParams(body), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
