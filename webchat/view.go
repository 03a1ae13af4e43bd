package webchat

import (
	"encoding/json"
	"html"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"signpost/flows"
)

// Who said a line of the conversation.
const (
	whoBot = "bot"
	whoMe  = "me"
)

// line is one entry of a visitor's transcript, as stored (one JSON value
// an entry) and as shown.
type line struct {
	Seq  int64  `json:"i"`
	Who  string `json:"w"`
	Text string `json:"t"`
	// Link, when set, is shown under the text as a link to follow.
	Link *link `json:"l,omitempty"`
}

type link struct {
	Href  string `json:"h"`
	Label string `json:"x"`
}

// controls are the buttons of the question waiting for an answer.
type controls struct {
	Node    string           `json:"n"`
	Buttons [][]flows.Button `json:"b,omitempty"`
}

// Fields of the render hash the web chat keeps for a visitor.
const (
	stateSeq      = "ws" // the last line's number
	stateControls = "wq" // the open question's controls, JSON; "" when none
	stateLinked   = "wt" // "1" once the visitor carried on in Telegram
)

func decodeLines(raw [][]byte) []line {
	out := make([]line, 0, len(raw))
	for _, r := range raw {
		var l line
		if json.Unmarshal(r, &l) == nil {
			out = append(out, l)
		}
	}
	return out
}

func decodeControls(s string) *controls {
	if s == "" {
		return nil
	}
	var c controls
	if json.Unmarshal([]byte(s), &c) != nil || c.Node == "" {
		return nil
	}
	return &c
}

func stateSeqOf(state map[string]string) int64 {
	n, _ := strconv.ParseInt(state[stateSeq], 10, 64)
	return n
}

// callPattern finds a number to call in a message: "call 116 123",
// "Call NHS 111", "call 0800 1111". Such numbers become tel: links, so a
// person on a phone can call with one tap.
var callPattern = regexp.MustCompile(`(?i)(\bcall (?:NHS )?)(\d[\d ]{1,14}\d)`)

// textHTML renders a message: paragraphs at blank lines, lines starting
// with "• " as a list, other line breaks kept, numbers to call as links.
// Everything the text holds is escaped first.
func textHTML(text string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		rows := strings.Split(para, "\n")
		inList := false
		var plain []string
		flush := func() {
			if len(plain) > 0 {
				b.WriteString("<p>" + strings.Join(plain, "<br>") + "</p>")
				plain = nil
			}
		}
		for _, row := range rows {
			item, isItem := strings.CutPrefix(strings.TrimSpace(row), "• ")
			if isItem {
				flush()
				if !inList {
					b.WriteString("<ul>")
					inList = true
				}
				b.WriteString("<li>" + linkCalls(item) + "</li>")
				continue
			}
			if inList {
				b.WriteString("</ul>")
				inList = false
			}
			plain = append(plain, linkCalls(row))
		}
		flush()
		if inList {
			b.WriteString("</ul>")
		}
	}
	return template.HTML(b.String())
}

// linkCalls escapes s and turns numbers to call into tel: links.
func linkCalls(s string) string {
	s = html.EscapeString(s)
	return callPattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := callPattern.FindStringSubmatch(m)
		digits := strings.ReplaceAll(sub[2], " ", "")
		return sub[1] + `<a href="tel:` + digits + `">` + sub[2] + `</a>`
	})
}

// buttonRow is one row of a question's buttons as the page shows them.
type buttonRow struct {
	Buttons []pageButton
	Wide    bool // a row of one: the button takes the row
}

type pageButton struct {
	Label, Data string
	Pressed     bool // a ticked option of a several-choice question
}

func rowsOf(c *controls) []buttonRow {
	if c == nil {
		return nil
	}
	rows := make([]buttonRow, 0, len(c.Buttons))
	for _, r := range c.Buttons {
		row := buttonRow{Wide: len(r) == 1}
		for _, b := range r {
			label, ticked := strings.CutPrefix(b.Label, "✓ ")
			row.Buttons = append(row.Buttons, pageButton{Label: label, Data: b.Data, Pressed: ticked})
		}
		rows = append(rows, row)
	}
	return rows
}
