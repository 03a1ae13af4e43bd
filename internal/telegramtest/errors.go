package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is an unsuccessful Bot API answer. Its JSON is what Telegram
// sends: {"ok":false,"error_code":N,"description":"...","parameters":{...}}.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int // seconds; sent as parameters.retry_after when positive
	// MigrateTo is the supergroup a group became; sent as
	// parameters.migrate_to_chat_id when set.
	MigrateTo int64
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Description) }

// The constructors below prefix the description the way Telegram does, so
// a test can match the whole string a production log would show.

func badRequest(msg string) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + msg}
}

func forbidden(msg string) *apiError {
	return &apiError{Code: http.StatusForbidden, Description: "Forbidden: " + msg}
}

// migrated is Telegram's answer to a call naming a group that was upgraded
// to the supergroup to.
func migrated(to int64) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + msgUpgraded, MigrateTo: to}
}

func conflict(msg string) *apiError {
	return &apiError{Code: http.StatusConflict, Description: "Conflict: " + msg}
}

func tooManyRequests(retryAfter int) *apiError {
	if retryAfter < 1 {
		retryAfter = 1
	}
	return &apiError{
		Code:        http.StatusTooManyRequests,
		Description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		RetryAfter:  retryAfter,
	}
}

var (
	errUnauthorized = &apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"}
	errNotFound     = &apiError{Code: http.StatusNotFound, Description: "Not Found"}
)

// Descriptions Telegram gives for common refusals, shared by several methods.
const (
	msgChatNotFound      = "chat not found"
	msgUpgraded          = "group chat was upgraded to a supergroup chat"
	msgBlocked           = "bot was blocked by the user"
	msgCantInitiate      = "bot can't initiate conversation with a user"
	msgTextTooLong       = "message is too long"
	msgButtonDataInvalid = "BUTTON_DATA_INVALID"
	msgMarkupTooLong     = "reply markup is too long"
	msgQueryTooOld       = "query is too old and response timeout expired or query ID is invalid"
	msgNotModified       = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
	msgEditNotFound      = "message to edit not found"
	msgDeleteNotFound    = "message to delete not found"
	msgWebhookActive     = "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
	msgOtherGetUpdates   = "terminated by other getUpdates request; make sure that only one bot instance is running"
)

// defaultDescription is used for an injected fault that names no text.
func defaultDescription(code int) string {
	switch code {
	case http.StatusBadRequest:
		return "Bad Request: injected fault"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusForbidden:
		return "Forbidden: " + msgBlocked
	case http.StatusNotFound:
		return "Not Found"
	case http.StatusConflict:
		return "Conflict: " + msgOtherGetUpdates
	case http.StatusTooManyRequests:
		return "Too Many Requests: retry after 1"
	case http.StatusBadGateway:
		return "Bad Gateway"
	case http.StatusServiceUnavailable:
		return "Service Unavailable"
	default:
		return http.StatusText(code)
	}
}

type okResponse struct {
	OK     bool `json:"ok"`
	Result any  `json:"result"`
}

type errorResponse struct {
	OK          bool            `json:"ok"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *responseParams `json:"parameters,omitempty"`
}

type responseParams struct {
	RetryAfter      int   `json:"retry_after,omitempty"`
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
}

func writeResult(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, okResponse{OK: true, Result: result})
}

func writeError(w http.ResponseWriter, e *apiError) {
	resp := errorResponse{ErrorCode: e.Code, Description: e.Description}
	if e.RetryAfter > 0 {
		resp.Parameters = &responseParams{RetryAfter: e.RetryAfter}
		w.Header().Set("Retry-After", fmt.Sprint(e.RetryAfter))
	}
	if e.MigrateTo != 0 {
		resp.Parameters = &responseParams{MigrateToChatID: e.MigrateTo}
	}
	writeJSON(w, e.Code, resp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		data = []byte(`{"ok":false,"error_code":500,"description":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
