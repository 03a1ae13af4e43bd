package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// conformance checks decoded JSON against a Bot API type of the embedded
// description: no field the type lacks, every required field present, and
// the same for nested objects. A type with subtypes (ChatMember,
// MaybeInaccessibleMessage) passes if one subtype does.
type conformance struct{ spec *apiSpec }

func (c conformance) check(typ string, v any, path string) []string {
	switch {
	case strings.HasPrefix(typ, "Array of "):
		arr, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an array for %s", path, typ)}
		}
		var errs []string
		for i, x := range arr {
			errs = append(errs, c.check(strings.TrimPrefix(typ, "Array of "), x, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return errs
	case typ == "Boolean" || typ == "True":
		if _, ok := v.(bool); !ok {
			return []string{fmt.Sprintf("%s: want a boolean", path)}
		}
		return nil
	}
	ti, ok := c.spec.Types[typ]
	if !ok {
		return nil // a scalar: Integer, String, Float
	}
	if len(ti.Subtypes) > 0 {
		var all []string
		for _, sub := range ti.Subtypes {
			errs := c.check(sub, v, path)
			if len(errs) == 0 {
				return nil
			}
			all = append(all, errs...)
		}
		return append([]string{fmt.Sprintf("%s: matches no subtype of %s", path, typ)}, all...)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: want a %s object", path, typ)}
	}
	var errs []string
	for key := range obj {
		if !slices.ContainsFunc(ti.Fields, func(f specField) bool { return f.Name == key }) {
			errs = append(errs, fmt.Sprintf("%s: %s has no field %q", path, typ, key))
		}
	}
	for _, f := range ti.Fields {
		val, present := obj[f.Name]
		if !present {
			if f.Required {
				errs = append(errs, fmt.Sprintf("%s: %s lacks required %q", path, typ, f.Name))
			}
			continue
		}
		if f.Name == "status" && strings.HasPrefix(typ, "ChatMember") {
			// Subtypes of ChatMember differ by the value of status.
			want := map[string]string{"ChatMemberOwner": "creator", "ChatMemberAdministrator": "administrator",
				"ChatMemberMember": "member", "ChatMemberRestricted": "restricted", "ChatMemberLeft": "left", "ChatMemberBanned": "kicked"}[typ]
			if val != want {
				errs = append(errs, fmt.Sprintf("%s: status %v is not %s's", path, val, typ))
			}
		}
		if f.Name == "type" && strings.HasPrefix(typ, "MessageOrigin") && val != strings.ToLower(strings.TrimPrefix(typ, "MessageOrigin")) &&
			!(typ == "MessageOriginHiddenUser" && val == "hidden_user") {
			errs = append(errs, fmt.Sprintf("%s: type %v is not %s's", path, val, typ))
		}
		if len(f.Types) == 1 {
			errs = append(errs, c.check(f.Types[0], val, path+"."+f.Name)...)
		}
	}
	return errs
}

// TestResponsesMatchTheSpec drives every kind of update and result the
// server makes and checks each against the Bot API description.
func TestResponsesMatchTheSpec(t *testing.T) {
	srv := NewServer(t)
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	alice := srv.NewPerson("Alice")
	bob := srv.AddPerson(User{FirstName: "Bob", LastName: "Jones", Username: "bobj", LanguageCode: "en"})
	alice.Send("/start gp_F86001")
	alice.SendSticker("🙂")
	alice.SendPhoto("my letter")
	alice.SendVoice(4 * time.Second)
	alice.SendVideo(9*time.Second, "")
	alice.SendDocument("letter.pdf", "application/pdf", "")
	alice.SendLocation(51.5886, -0.0118)
	alice.SendContact(Contact{PhoneNumber: "+447700900123", FirstName: "Alice", UserID: alice.ID()})
	alice.SendPoll("Which day?", "Monday", "Tuesday")
	alice.Forward("forwarded", &bob.user, "")
	alice.Forward("hidden", nil, "Someone")
	alice.Edit(1, "/start gp_F86002")
	g := srv.NewGroup("Link workers", bob, alice)
	g.AddBot(bob)
	bob.SendIn(g, "/claim 12")
	alice.Block()
	alice.Unblock()

	chat := fmt.Sprint(alice.ID())
	results := []struct{ method, returns string }{}
	get := func(method string, params url.Values) any {
		t.Helper()
		resp, err := http.PostForm(srv.URL()+"/bot"+srv.Token()+"/"+method, params)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		var env struct {
			OK     bool `json:"ok"`
			Result any  `json:"result"`
		}
		if err := json.Unmarshal(data, &env); err != nil || !env.OK {
			t.Fatalf("%s: %s", method, data)
		}
		m, _ := spec.method(method)
		results = append(results, struct{ method, returns string }{method, m.Returns[0]})
		return env.Result
	}
	kb := `{"inline_keyboard":[[{"text":"Yes","callback_data":"y"},{"text":"Read more","url":"https://www.nhs.uk"}]]}`
	checks := map[string]any{}
	checks["sendMessage"] = get("sendMessage", url.Values{"chat_id": {chat}, "text": {"<b>Hi</b>"}, "parse_mode": {"HTML"}, "reply_markup": {kb}})
	id, err := alice.PressButton("Yes")
	if err != nil {
		t.Fatal(err)
	}
	checks["answerCallbackQuery"] = get("answerCallbackQuery", url.Values{"callback_query_id": {id}})
	last, _ := alice.Last()
	checks["editMessageText"] = get("editMessageText", url.Values{"chat_id": {chat}, "message_id": {fmt.Sprint(last.MessageID)}, "text": {"Bye"}})
	checks["getUpdates"] = get("getUpdates", url.Values{"allowed_updates": {`[]`}})
	checks["getMe"] = get("getMe", nil)
	checks["getWebhookInfo"] = get("getWebhookInfo", nil)
	checks["getChatMember"] = get("getChatMember", url.Values{"chat_id": {fmt.Sprint(g.ID())}, "user_id": {fmt.Sprint(bob.ID())}})
	checks["setMyCommands"] = get("setMyCommands", url.Values{"commands": {`[{"command":"start","description":"Begin"}]`}})
	checks["getMyCommands"] = get("getMyCommands", nil)

	c := conformance{spec}
	for _, r := range results {
		for _, e := range c.check(r.returns, checks[r.method], r.method) {
			t.Error(e)
		}
	}
	if n := len(checks["getUpdates"].([]any)); n < 15 {
		t.Errorf("got %d updates, want every kind sent above", n)
	}
}

// TestConformanceCatchesMistakes makes sure the checker above would fail.
func TestConformanceCatchesMistakes(t *testing.T) {
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	c := conformance{spec}
	tests := []struct {
		name    string
		typ     string
		json    string
		wantErr bool
	}{
		{"good user", "User", `{"id":1,"is_bot":false,"first_name":"A"}`, false},
		{"unknown field", "User", `{"id":1,"is_bot":false,"first_name":"A","nickname":"x"}`, true},
		{"missing required", "User", `{"id":1,"is_bot":false}`, true},
		{"nested mistake", "Message", `{"message_id":1,"date":0,"chat":{"id":1,"type":"private","colour":"red"}}`, true},
		{"member status", "ChatMember", `{"status":"member","user":{"id":1,"is_bot":false,"first_name":"A"}}`, false},
		{"unknown status", "ChatMember", `{"status":"boss","user":{"id":1,"is_bot":false,"first_name":"A"}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tt.json), &v); err != nil {
				t.Fatal(err)
			}
			if errs := c.check(tt.typ, v, tt.typ); (len(errs) > 0) != tt.wantErr {
				t.Errorf("errors = %q, want some: %v", errs, tt.wantErr)
			}
		})
	}
}

// TestSpecKnowsImplementedMethods guards the handler table against a
// method name the Bot API does not have.
func TestSpecKnowsImplementedMethods(t *testing.T) {
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	if spec.Version != "Bot API 9.4" {
		t.Errorf("version = %q", spec.Version)
	}
	for name := range handlers {
		if _, ok := spec.Methods[name]; !ok {
			t.Errorf("handler for %s, which Bot API 9.4 does not have", name)
		}
	}
}
