package telegramtest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/internal/telegramtest"
)

type entity = telegramtest.MessageEntity

func TestParseModes(t *testing.T) {
	srv := telegramtest.NewServer(t)
	alice := srv.NewPerson("Alice")
	alice.Send("hi")

	tests := []struct {
		name         string
		mode         string
		text         string
		wantText     string
		wantEntities []entity
		wantErr      string
	}{
		{name: "plain", text: "Hello", wantText: "Hello"},
		{name: "trimmed", text: "  Hello \n", wantText: "Hello"},
		{
			name: "HTML bold and nested italic", mode: "HTML", text: "<b>Hi <i>there</i></b>!",
			wantText:     "Hi there!",
			wantEntities: []entity{{Type: "bold", Offset: 0, Length: 8}, {Type: "italic", Offset: 3, Length: 5}},
		},
		{
			name: "HTML link and escapes", mode: "HTML", text: `Call &lt;111&gt; or <a href="https://www.nhs.uk/?a=1&amp;b=2">NHS</a>`,
			wantText:     "Call <111> or NHS",
			wantEntities: []entity{{Type: "text_link", Offset: 14, Length: 3, URL: "https://www.nhs.uk/?a=1&b=2"}},
		},
		{
			name: "HTML offsets count UTF-16 units", mode: "HTML", text: "🙂 <b>ok</b>",
			wantText:     "🙂 ok",
			wantEntities: []entity{{Type: "bold", Offset: 3, Length: 2}},
		},
		{
			name: "HTML pre with language", mode: "HTML", text: `<pre><code class="language-go">x := 1</code></pre>`,
			wantText:     "x := 1",
			wantEntities: []entity{{Type: "pre", Offset: 0, Length: 6, Language: "go"}},
		},
		{
			name: "HTML spoiler span", mode: "HTML", text: `<span class="tg-spoiler">secret</span>`,
			wantText:     "secret",
			wantEntities: []entity{{Type: "spoiler", Offset: 0, Length: 6}},
		},
		{name: "HTML unclosed tag", mode: "HTML", text: "<b>hi", wantErr: `Bad Request: can't parse entities: can't find end tag corresponding to start tag "b"`},
		{name: "HTML crossed tags", mode: "HTML", text: "<b><i>hi</b></i>", wantErr: `Bad Request: can't parse entities: unmatched end tag at byte offset 8, expected "</i>", found "</b>"`},
		{name: "HTML bare less-than", mode: "HTML", text: "1 < 2", wantErr: "Bad Request: can't parse entities: unclosed start tag at byte offset 2"},
		{
			name: "MarkdownV2 emphasis", mode: "MarkdownV2", text: `*bold* _italic_ __under__ ~gone~ ||hidden||`,
			wantText: "bold italic under gone hidden",
			wantEntities: []entity{
				{Type: "bold", Offset: 0, Length: 4}, {Type: "italic", Offset: 5, Length: 6},
				{Type: "underline", Offset: 12, Length: 5}, {Type: "strikethrough", Offset: 18, Length: 4},
				{Type: "spoiler", Offset: 23, Length: 6},
			},
		},
		{
			name: "MarkdownV2 escapes and link", mode: "MarkdownV2", text: `Call 111\. See [NHS](https://www.nhs.uk/\(x\))\!`,
			wantText:     "Call 111. See NHS!",
			wantEntities: []entity{{Type: "text_link", Offset: 14, Length: 3, URL: "https://www.nhs.uk/(x)"}},
		},
		{
			name: "MarkdownV2 code and pre", mode: "MarkdownV2", text: "`a.b` and ```go\nx := 1```",
			wantText:     "a.b and x := 1",
			wantEntities: []entity{{Type: "code", Offset: 0, Length: 3}, {Type: "pre", Offset: 8, Length: 6, Language: "go"}},
		},
		{
			name: "MarkdownV2 quote", mode: "MarkdownV2", text: ">quoted\nplain",
			wantText:     "quoted\nplain",
			wantEntities: []entity{{Type: "blockquote", Offset: 0, Length: 6}},
		},
		{name: "MarkdownV2 unescaped hyphen", mode: "MarkdownV2", text: "17-25", wantErr: `Bad Request: can't parse entities: character '-' is reserved and must be escaped with the preceding '\'`},
		{name: "MarkdownV2 unclosed bold", mode: "MarkdownV2", text: "*hi", wantErr: "Bad Request: can't parse entities: can't find end of Bold entity at byte offset 0"},
		{name: "legacy Markdown refused", mode: "Markdown", text: "*hi*", wantErr: "Bad Request: telegramtest supports parse_mode HTML and MarkdownV2, not legacy Markdown"},
		{name: "only markup is empty", mode: "HTML", text: "<b> </b>", wantErr: "Bad Request: message text is empty"},
		{name: "markup does not count toward the limit", mode: "HTML", text: "<b>" + strings.Repeat("a", 4096) + "</b>", wantText: strings.Repeat("a", 4096), wantEntities: []entity{{Type: "bold", Offset: 0, Length: 4096}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]string{"chat_id": fmt.Sprint(alice.ID()), "text": tt.text}
			if tt.mode != "" {
				params["parse_mode"] = tt.mode
			}
			_, resp := call(t, srv, "sendMessage", params)
			if diff := cmp.Diff(tt.wantErr, resp.Description); diff != "" {
				t.Fatalf("error (-want +got):\n%s", diff)
			}
			if tt.wantErr != "" {
				return
			}
			var m telegramtest.Message
			if err := json.Unmarshal(resp.Result, &m); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantText, m.Text); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantEntities, m.Entities); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
		})
	}
}
