package telegramtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
)

// A bot may answer a webhook call with one Bot API method call in the body
// of its 2xx response: a JSON object naming it in "method", with its
// parameters beside it. Telegram makes that call as if the bot had made a
// request, and tells the bot nothing of how it went. (Bot API, "Making
// requests when getting updates".)

// WebhookReply acts on the body of a 2xx answer to a webhook call, as
// Telegram does: when it is a JSON object with a "method", that method is
// called with the other fields as its parameters. It is counted in Calls
// and CallCounts under the method's name, and in WebhookReplies. An empty
// body, or one that is not such an object, is no call. The error says why
// a call was refused; Telegram would keep it to itself.
//
// The server calls it for the updates it delivers to a webhook itself; a
// load tool that posts updates to the bot on Telegram's behalf calls it with
// each answer's body.
func (s *Server) WebhookReply(contentType string, body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" {
		return nil
	}
	var head struct {
		Method string `json:"method"`
	}
	if json.Unmarshal(body, &head) != nil || head.Method == "" {
		return nil
	}
	spec, _ := loadSpec()
	m, ok := spec.method(head.Method)
	if !ok {
		return fmt.Errorf("telegramtest: webhook reply: no method %q", head.Method)
	}
	p := newParams()
	if err := readJSON(bytes.NewReader(body), p); err != nil {
		return fmt.Errorf("telegramtest: webhook reply: %w", err)
	}
	delete(p.values, "method")
	chatID := p.int64("chat_id")
	s.countCall(m.Name)
	s.mu.Lock()
	s.calls.replies++
	s.mu.Unlock()
	_, apiErr := s.serve(&http.Request{Method: http.MethodPost}, m, p, nil)
	s.logRequest(m.Name, chatID, apiErr)
	if apiErr != nil {
		return errors.New("telegramtest: webhook reply: " + apiErr.Description)
	}
	return nil
}

// WebhookReplies counts the method calls made from webhook answers
// (WebhookReply), which Calls counts too.
func (s *Server) WebhookReplies() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls.replies
}
