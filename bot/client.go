package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// apiClient is the HTTP client of the Bot API calls the bot makes. It keeps
// enough idle connections for every sender and shard, so calls reuse them
// instead of dialling anew, and it sends each request body in one piece:
// go-telegram/bot streams its multipart bodies through a pipe, which would
// otherwise go out in many small chunks.
type apiClient struct {
	http    *http.Client
	rt      http.RoundTripper // http's transport, which call uses directly
	timeout time.Duration     // of a call, as http's
	base    string            // the API's URL up to the method's name
	token   string
	// urls are the URLs of the methods the sender calls, made once.
	urls map[string]string
}

// jsonHeader is the header of every call's request. It is shared and never
// written: a RoundTripper does not change the request it is given.
var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// readBufs are the buffers answers are read into.
var readBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func newAPIClient(apiURL, token string, timeout time.Duration, conns int) *apiClient {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conns * 2
	t.MaxIdleConnsPerHost = conns
	t.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	c := &apiClient{http: &http.Client{Timeout: timeout, Transport: t}, rt: t, timeout: timeout,
		base: strings.TrimRight(apiURL, "/") + "/bot" + token + "/", token: token, urls: map[string]string{}}
	for _, m := range []string{"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "deleteMessage"} {
		c.urls[m] = c.base + m
	}
	return c
}

// apiAnswer is the Bot API's answer to every method.
type apiAnswer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	Description string          `json:"description"`
	ErrorCode   int             `json:"error_code"`
	Parameters  struct {
		RetryAfter      int `json:"retry_after"`
		MigrateToChatID int `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// sent is the part of a message sent that the sender keeps.
type sent struct {
	ID int `json:"message_id"`
}

// call makes one Bot API call with params as a JSON body and decodes its
// result into dest (nil: not read). The calls the sender makes for every
// step (sendMessage, the edits, answerCallbackQuery) go this way rather
// than through go-telegram/bot, which builds each request as multipart form
// data through a pipe and a goroutine, by reflection, and decodes the whole
// message sent back: several times the work of a small JSON body, on both
// sides of the connection. Errors are go-telegram/bot's own, as it would
// return them (tgbot.ErrorForbidden, *tgbot.TooManyRequestsError,
// *tgbot.MigrateError, ...), so callers tell them apart the same way.
func (c *apiClient) call(ctx context.Context, method string, params, dest any) error {
	body, ok := params.(encodedParams)
	if !ok {
		var err error
		if body, err = json.Marshal(params); err != nil {
			return fmt.Errorf("encode %s: %w", method, err)
		}
	}
	// The call is bounded as the http.Client's Timeout bounds a request,
	// from its start to the end of its answer's body, unless ctx ends
	// sooner; the request goes to the transport directly, without the
	// client's redirects and copies of headers (the Bot API redirects no
	// call).
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > c.timeout {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	u, ok := c.urls[method]
	if !ok {
		u = c.base + method
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("request %s: %w", method, err)
	}
	req.Header = jsonHeader
	resp, err := c.rt.RoundTrip(req)
	if err != nil {
		// Worded as http.Client words it, without the token.
		err = &url.Error{Op: "Post", URL: strings.ReplaceAll(u, c.token, "***"), Err: err}
		return fmt.Errorf("error do request for method %s, %w", method, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && dest == nil {
		// The Bot API answers a refusal with its error code as the HTTP
		// status, so a 200 is "ok": with no result wanted, nothing in the
		// body needs reading. The connection is kept for the next call.
		_, err := io.Copy(io.Discard, resp.Body)
		if err != nil {
			return fmt.Errorf("error read response body for method %s, %w", method, err)
		}
		return nil
	}
	buf := readBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 64<<10 {
			buf.Reset()
			readBufs.Put(buf)
		}
	}()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return fmt.Errorf("error read response body for method %s, %w", method, err)
	}
	raw := buf.Bytes()
	if s, ok := dest.(*sent); ok && resp.StatusCode == http.StatusOK {
		if id, ok := sentID(raw); ok {
			s.ID = id
			return nil
		}
		// The one result the sender reads, in one pass over the body.
		var a struct {
			OK     bool `json:"ok"`
			Result sent `json:"result"`
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			return fmt.Errorf("error decode response body for method %s, %w", method, err)
		}
		if a.OK {
			*s = a.Result
			return nil
		}
	}
	var a apiAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		return fmt.Errorf("error decode response body for method %s, %w", method, err)
	}
	if !a.OK {
		return answerError(method, a)
	}
	if dest != nil {
		if err := json.Unmarshal(a.Result, dest); err != nil {
			return fmt.Errorf("error decode response result for method %s, %w", method, err)
		}
	}
	return nil
}

// sentPrefix is how the Bot API begins its answer to a message sent: the
// message's id is the first field of its result.
const sentPrefix = `{"ok":true,"result":{"message_id":`

// sentID reads the id of the message sent from an answer that begins as
// the Bot API's do, without decoding the message that follows it (the
// answer is only checked to be JSON); ok is false for any other answer, to
// be decoded in full.
func sentID(raw []byte) (id int, ok bool) {
	rest, found := bytes.CutPrefix(raw, []byte(sentPrefix))
	if !found {
		return 0, false
	}
	n := 0
	for n < len(rest) && n < 18 && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if n == 0 || n == len(rest) || (rest[n] != ',' && rest[n] != '}') || (rest[0] == '0' && n > 1) {
		return 0, false
	}
	for _, c := range rest[:n] {
		id = id*10 + int(c-'0')
	}
	return id, json.Valid(raw) // a body that would not decode is not taken
}

// answerError is the error a refusal means, as go-telegram/bot words it.
func answerError(method string, a apiAnswer) error {
	switch a.ErrorCode {
	case http.StatusForbidden:
		return fmt.Errorf("%w, %s", tgbot.ErrorForbidden, a.Description)
	case http.StatusBadRequest:
		if a.Parameters.MigrateToChatID != 0 {
			return &tgbot.MigrateError{Message: fmt.Sprintf("%s: %s", tgbot.ErrorBadRequest, a.Description), MigrateToChatID: a.Parameters.MigrateToChatID}
		}
		return fmt.Errorf("%w, %s", tgbot.ErrorBadRequest, a.Description)
	case http.StatusUnauthorized:
		return fmt.Errorf("%w, %s", tgbot.ErrorUnauthorized, a.Description)
	case http.StatusNotFound:
		return fmt.Errorf("%w, %s", tgbot.ErrorNotFound, a.Description)
	case http.StatusConflict:
		return fmt.Errorf("%w, %s", tgbot.ErrorConflict, a.Description)
	case http.StatusTooManyRequests:
		return &tgbot.TooManyRequestsError{Message: fmt.Sprintf("%s, %s", tgbot.ErrorTooManyRequests, a.Description), RetryAfter: a.Parameters.RetryAfter}
	}
	return fmt.Errorf("error response from telegram for method %s, %d %s", method, a.ErrorCode, a.Description)
}

// Do reads the request body into memory, so the request carries a
// Content-Length, then sends it.
func (c *apiClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.ContentLength <= 0 {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return c.http.Do(req)
}
