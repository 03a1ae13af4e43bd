package telegramtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/internal/telegramtest"
)

// apiResponse is Telegram's envelope, as a test reads it.
type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call posts params to method as multipart/form-data, the way
// go-telegram/bot does, and decodes the answer.
func call(t testing.TB, srv *telegramtest.Server, method string, params map[string]string) (int, apiResponse) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range params {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return do(t, srv.URL()+"/bot"+srv.Token()+"/"+method, w.FormDataContentType(), &body)
}

func do(t testing.TB, u, contentType string, body io.Reader) (int, apiResponse) {
	t.Helper()
	method := http.MethodPost
	if body == nil {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	var r apiResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("decode answer: %v", err)
	}
	return resp.StatusCode, r
}

// keyboard builds an inline keyboard of rows×cols buttons, all with data.
func keyboard(rows, cols int, data string) string {
	var kb [][]map[string]string
	for r := range rows {
		var row []map[string]string
		for c := range cols {
			row = append(row, map[string]string{"text": fmt.Sprintf("b%d.%d", r, c), "callback_data": data})
		}
		kb = append(kb, row)
	}
	out, _ := json.Marshal(map[string]any{"inline_keyboard": kb})
	return string(out)
}

func TestValidation(t *testing.T) {
	srv := telegramtest.NewServer(t)
	alice := srv.NewPerson("Alice")
	alice.Send("/start")
	stranger := srv.NewPerson("Stranger") // never wrote to the bot
	chat := fmt.Sprint(alice.ID())
	_, sent := call(t, srv, "sendMessage", map[string]string{"chat_id": chat, "text": "first"})
	var first telegramtest.Message
	if err := json.Unmarshal(sent.Result, &first); err != nil {
		t.Fatal(err)
	}
	msgID := fmt.Sprint(first.MessageID)

	tests := []struct {
		name       string
		method     string
		params     map[string]string
		wantStatus int
		wantDesc   string
	}{
		{"text of spaces", "sendMessage", map[string]string{"chat_id": chat, "text": "  \n "}, 400, "Bad Request: message text is empty"},
		{"text missing", "sendMessage", map[string]string{"chat_id": chat}, 400, "Bad Request: message text is empty"},
		{"text 4097 characters", "sendMessage", map[string]string{"chat_id": chat, "text": strings.Repeat("a", 4097)}, 400, "Bad Request: message is too long"},
		{"text 4096 characters", "sendMessage", map[string]string{"chat_id": chat, "text": strings.Repeat("é", 4096)}, 200, ""},
		{"chat_id missing", "sendMessage", map[string]string{"text": "hi"}, 400, "Bad Request: chat_id is empty"},
		{"unknown parameter", "sendMessage", map[string]string{"chat_id": chat, "text": "hi", "colour": "red"}, 400, `Bad Request: unknown parameter "colour" for method sendMessage`},
		{"chat not found", "sendMessage", map[string]string{"chat_id": "424242", "text": "hi"}, 400, "Bad Request: chat not found"},
		{"person never wrote", "sendMessage", map[string]string{"chat_id": fmt.Sprint(stranger.ID()), "text": "hi"}, 403, "Forbidden: bot can't initiate conversation with a user"},
		{"callback_data 65 bytes", "sendMessage", map[string]string{"chat_id": chat, "text": "pick", "reply_markup": keyboard(1, 1, strings.Repeat("x", 65))}, 400, "Bad Request: BUTTON_DATA_INVALID"},
		{"callback_data 64 bytes of emoji", "sendMessage", map[string]string{"chat_id": chat, "text": "pick", "reply_markup": keyboard(1, 1, strings.Repeat("🙂", 16))}, 200, ""},
		{"callback_data 17 emoji is 68 bytes", "sendMessage", map[string]string{"chat_id": chat, "text": "pick", "reply_markup": keyboard(1, 1, strings.Repeat("🙂", 17))}, 400, "Bad Request: BUTTON_DATA_INVALID"},
		{"8 buttons a row", "sendMessage", map[string]string{"chat_id": chat, "text": "pick", "reply_markup": keyboard(1, 8, "d")}, 200, ""},
		{"9 buttons a row", "sendMessage", map[string]string{"chat_id": chat, "text": "pick", "reply_markup": keyboard(1, 9, "d")}, 400, "Bad Request: reply markup is too long"},
		{"104 buttons in all", "sendMessage", map[string]string{"chat_id": chat, "text": "pick", "reply_markup": keyboard(13, 8, "d")}, 400, "Bad Request: reply markup is too long"},
		{"button without action", "sendMessage", map[string]string{"chat_id": chat, "text": "pick", "reply_markup": `{"inline_keyboard":[[{"text":"Yes"}]]}`}, 400, "Bad Request: text buttons are unallowed in the inline keyboard"},
		{"button without text", "sendMessage", map[string]string{"chat_id": chat, "text": "pick", "reply_markup": `{"inline_keyboard":[[{"text":"","callback_data":"y"}]]}`}, 400, "Bad Request: inline keyboard button text is empty"},
		{"reply_markup not JSON", "sendMessage", map[string]string{"chat_id": chat, "text": "pick", "reply_markup": `[[`}, 400, "Bad Request: can't parse reply_markup JSON object"},
		{"reply keyboard", "sendMessage", map[string]string{"chat_id": chat, "text": "pick", "reply_markup": `{"keyboard":[["Yes","No"]]}`}, 200, ""},
		{"unknown parse_mode", "sendMessage", map[string]string{"chat_id": chat, "text": "hi", "parse_mode": "BBCode"}, 400, "Bad Request: unsupported parse_mode"},
		{"HTML unknown tag", "sendMessage", map[string]string{"chat_id": chat, "text": "<div>hi</div>", "parse_mode": "HTML"}, 400, `Bad Request: can't parse entities: unsupported start tag "div" at byte offset 0`},
		{"MarkdownV2 unescaped dot", "sendMessage", map[string]string{"chat_id": chat, "text": "Thanks.", "parse_mode": "MarkdownV2"}, 400, `Bad Request: can't parse entities: character '.' is reserved and must be escaped with the preceding '\'`},
		{"user_id not a number", "getChatMember", map[string]string{"chat_id": chat, "user_id": "me"}, 400, "Bad Request: invalid user_id: expected an Integer"},
		{"edit unknown message", "editMessageText", map[string]string{"chat_id": chat, "message_id": "9999", "text": "x"}, 400, "Bad Request: message to edit not found"},
		{"edit not modified", "editMessageText", map[string]string{"chat_id": chat, "message_id": msgID, "text": "first"}, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"},
		{"edit person's message", "editMessageText", map[string]string{"chat_id": chat, "message_id": "1", "text": "x"}, 400, "Bad Request: message can't be edited"},
		{"edit text empty", "editMessageText", map[string]string{"chat_id": chat, "message_id": msgID, "text": ""}, 400, "Bad Request: message text is empty"},
		{"delete unknown message", "deleteMessage", map[string]string{"chat_id": chat, "message_id": "9999"}, 400, "Bad Request: message to delete not found"},
		{"answer unknown query", "answerCallbackQuery", map[string]string{"callback_query_id": "12345"}, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid"},
		{"chat action unknown", "sendChatAction", map[string]string{"chat_id": chat, "action": "dancing"}, 400, "Bad Request: wrong parameter action in request"},
		{"command with capitals", "setMyCommands", map[string]string{"commands": `[{"command":"Start","description":"Begin"}]`}, 400, "Bad Request: BOT_COMMAND_INVALID"},
		{"command 33 characters", "setMyCommands", map[string]string{"commands": `[{"command":"` + strings.Repeat("a", 33) + `","description":"x"}]`}, 400, "Bad Request: BOT_COMMAND_INVALID"},
		{"101 commands", "setMyCommands", map[string]string{"commands": manyCommands(101)}, 400, "Bad Request: too many commands specified"},
		{"100 commands", "setMyCommands", map[string]string{"commands": manyCommands(100)}, 200, ""},
		{"command description empty", "setMyCommands", map[string]string{"commands": `[{"command":"start","description":""}]`}, 400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"},
		{"webhook off loopback", "setWebhook", map[string]string{"url": "https://example.org/hook"}, 400, "Bad Request: bad webhook: telegramtest delivers only to loopback addresses"},
		{"webhook bad secret", "setWebhook", map[string]string{"url": "http://127.0.0.1:1/hook", "secret_token": "not secret!"}, 400, "Bad Request: secret token contains unallowed characters"},
		{"method without handler", "sendDice", map[string]string{"chat_id": chat}, 501, "Not Implemented: telegramtest does not implement sendDice"},
		{"unknown method", "sendTelegram", nil, 404, "Not Found"},
		{"method name in any case", "GETME", nil, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got := call(t, srv, tt.method, tt.params)
			if diff := cmp.Diff([2]any{tt.wantStatus, tt.wantDesc}, [2]any{status, got.Description}); diff != "" {
				t.Errorf("status and description (-want +got):\n%s", diff)
			}
			if got.OK != (tt.wantStatus == 200) || (!got.OK && got.ErrorCode != status) {
				t.Errorf("ok = %v, error_code = %d with HTTP status %d", got.OK, got.ErrorCode, status)
			}
		})
	}
}

func TestWrongTokenIsUnauthorized(t *testing.T) {
	srv := telegramtest.NewServer(t)
	status, got := do(t, srv.URL()+"/bot123:wrong/getMe", "", nil)
	want := apiResponse{ErrorCode: 401, Description: "Unauthorized"}
	if diff := cmp.Diff(want, got); diff != "" || status != 401 {
		t.Errorf("status %d, answer (-want +got):\n%s", status, diff)
	}
}

// TestEncodings sends the same message in each body encoding Telegram
// accepts, and as a GET query.
func TestEncodings(t *testing.T) {
	srv := telegramtest.NewServer(t)
	alice := srv.NewPerson("Alice")
	alice.Send("hi")
	base := srv.URL() + "/bot" + srv.Token() + "/sendMessage"
	markup := `{"inline_keyboard":[[{"text":"Yes","callback_data":"y"}]]}`
	form := url.Values{"chat_id": {fmt.Sprint(alice.ID())}, "text": {"hello"}, "reply_markup": {markup}}
	jsonBody := fmt.Sprintf(`{"chat_id":%d,"text":"hello","reply_markup":%s,"disable_notification":true}`, alice.ID(), markup)

	tests := []struct {
		name        string
		url         string
		contentType string
		body        io.Reader
	}{
		{"json", base, "application/json", strings.NewReader(jsonBody)},
		{"urlencoded", base, "application/x-www-form-urlencoded", strings.NewReader(form.Encode())},
		{"query", base + "?" + form.Encode(), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got := do(t, tt.url, tt.contentType, tt.body)
			if status != 200 {
				t.Fatalf("status %d: %s", status, got.Description)
			}
			var m telegramtest.Message
			if err := json.Unmarshal(got.Result, &m); err != nil {
				t.Fatal(err)
			}
			if m.Text != "hello" || m.ReplyMarkup == nil || m.From == nil || !m.From.IsBot || m.Chat.ID != alice.ID() {
				t.Errorf("message = %+v", m)
			}
		})
	}
	last, _ := alice.Last()
	if last.MessageID != 4 {
		t.Errorf("last message id = %d, want 4: ids increase by one per chat", last.MessageID)
	}
}

func manyCommands(n int) string {
	var cmds []map[string]string
	for i := range n {
		cmds = append(cmds, map[string]string{"command": fmt.Sprintf("c%d", i), "description": "d"})
	}
	out, _ := json.Marshal(cmds)
	return string(out)
}
