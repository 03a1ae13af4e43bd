package bot

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/handoff"
)

func TestParseOutcome(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    handoff.Outcome
		note    string
		matched bool
	}{
		{"code", "connected_group", handoff.OutcomeConnectedGroup, "", true},
		{"words on the button", "Connected to a group", handoff.OutcomeConnectedGroup, "", true},
		{"short word and a note", "advice: benefits check booked", handoff.OutcomeAdvice, "benefits check booked", true},
		{"longest match wins", "no longer needed — moved away", handoff.OutcomeNotNeeded, "moved away", true},
		{"any case", "COULD NOT CONTACT", handoff.OutcomeNoContact, "", true},
		{"a word that only starts like one", "advicegiven", "", "advicegiven", false},
		{"none", "", "", "", false},
		{"unknown", "went well", "", "went well", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, note, ok := parseOutcome(tt.in, handoff.Outcomes)
			if diff := cmp.Diff([]any{tt.want, tt.note, tt.matched}, []any{got, note, ok}); diff != "" {
				t.Errorf("parseOutcome(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestCommandOf(t *testing.T) {
	lw := &LinkWorkers{username: "signpost_bot"} // known, so Telegram is not asked
	tests := []struct {
		name, in, cmd, args string
		ok                  bool
	}{
		{"plain", "/queue", "queue", "", true},
		{"with arguments", "/close R-7K3QX advice", "close", "R-7K3QX advice", true},
		{"addressed to us", "/case@Signpost_Bot R-7K3QX", "case", "R-7K3QX", true},
		{"addressed to another bot", "/case@other_bot R-7K3QX", "", "", false},
		{"a new line after the command", "/msg\nR-7K3QX hello", "msg", "R-7K3QX hello", true},
		{"no command", "hello", "", "", false},
		{"a slash alone", "/", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, args, ok := lw.commandOf(context.Background(), tt.in)
			if diff := cmp.Diff([]any{tt.cmd, tt.args, tt.ok}, []any{cmd, args, ok}); diff != "" {
				t.Errorf("commandOf(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestSplitRef(t *testing.T) {
	tests := []struct{ name, in, ref, rest string }{
		{"reference and text", "r-7k3qx call on Friday", "R-7K3QX", "call on Friday"},
		{"reference alone", "R-7K3QX", "R-7K3QX", ""},
		{"no reference", "call on Friday", "", "call on Friday"},
		{"too short", "R-7K3 hello", "", "R-7K3 hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, rest := splitRef(tt.in)
			if diff := cmp.Diff([]string{tt.ref, tt.rest}, []string{ref, rest}); diff != "" {
				t.Errorf("splitRef(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestLeadingRef: only a card or a person's relayed message sends a worker's
// reply on to the person; a reply to the bot's other words stays in the group.
func TestLeadingRef(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"card", "R-7K3QX · Link workers\nSam, 26 to 49", "R-7K3QX"},
		{"urgent card", "URGENT R-7K3QX · Link workers\n", "R-7K3QX"},
		{"relayed message", "R-7K3QX · message from Sam:\nhello", "R-7K3QX"},
		{"a notice", "R-7K3QX is now with Bob.", ""},
		{"closed prompt", "R-7K3QX closed by Bob: Advice given.", ""},
		{"urgent notice", "URGENT R-7K3QX: flagged as urgent. The card above shows why.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if m := leadingRef.FindStringSubmatch(tt.text); m != nil {
				got = m[1]
			}
			if got != tt.want {
				t.Errorf("leadingRef(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestCloseButtonsFit: every outcome button's data is within Telegram's 64 bytes.
func TestCloseButtonsFit(t *testing.T) {
	for _, o := range handoff.Outcomes {
		if data := closeData + "R-7K3QX:" + string(o); len(data) > 64 {
			t.Errorf("%q is %d bytes", data, len(data))
		}
	}
}
