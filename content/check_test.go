package content_test

import (
	"path/filepath"
	"strings"
	"testing"

	"signpost/content"
)

func TestDefaultContentIsSound(t *testing.T) {
	b := builtin(t)
	if problems := b.Check(); len(problems) != 0 {
		t.Errorf("the built-in content has problems:\n%v", problems)
	}
	if b.Main() == nil {
		t.Fatal("no main flow")
	}
}

// TestCheckFindsEachFault loads a broken copy of a small sound fixture for
// each kind of fault and expects Check to name it.
func TestCheckFindsEachFault(t *testing.T) {
	good, err := content.LoadDir(filepath.Join("testdata", "good"))
	if err != nil {
		t.Fatal(err)
	}
	if problems := good.Check(); len(problems) != 0 {
		t.Fatalf("the sound fixture has problems: %v", problems)
	}
	tests := []struct {
		name string
		want string
	}{
		{name: "unreachable", want: "node orphan: no path from the start reaches it"},
		{name: "missing_node", want: `next node "nowhere" does not exist`},
		{name: "unknown_variable", want: "unknown variable {nope}"},
		{name: "missing_message", want: `messages/cy: message "q_note" is missing`},
		{name: "too_long", want: "is 4097 characters; Telegram allows 4096"},
		{name: "too_many_in_a_row", want: "9 buttons a row; Telegram allows 8"},
		{name: "too_many_buttons", want: "121 buttons; Telegram allows 100"},
		{name: "callback_data", want: "is 73 bytes; Telegram allows 64"},
		{name: "silent_loop", want: "a loop through got never asks anything"},
		{name: "label_too_long", want: `label "often" is 119 characters`},
		{name: "risk_no_response", want: "risk/en.yaml, kind exploitation: no response"},
		{name: "risk_unapproved_number", want: `names the number "0800 123 4567", which is not in the approved services`},
		{name: "risk_missing_kind", want: "risk/pl.yaml, kind danger_now: no phrases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := content.LoadDir(filepath.Join("testdata", "broken", tt.name))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range b.Check() {
				got = append(got, p.String())
			}
			if !strings.Contains(strings.Join(got, "\n"), tt.want) {
				t.Errorf("Check() = %q, want a problem saying %q", got, tt.want)
			}
		})
	}
}

func TestLoadRejectsUnknownFields(t *testing.T) {
	_, err := content.LoadDir(filepath.Join("testdata", "unknown_field"))
	if err == nil || !strings.Contains(err.Error(), "field nxt not found") {
		t.Errorf("Load() error = %v, want the unknown field named", err)
	}
}

func TestEncodeDecodeKeepsVersion(t *testing.T) {
	b := builtin(t)
	blob, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	d, err := content.Decode(blob)
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != b.Version {
		t.Errorf("decoded version %s, want %s", d.Version, b.Version)
	}
	if d.Main().Node("consent") == nil {
		t.Error("decoded bundle lost its nodes")
	}
}

func TestIsCrisis(t *testing.T) {
	b := builtin(t)
	tests := []struct {
		text string
		want bool
	}{
		{"I can't go on", true},
		{"i cant go on anymore", true},
		{"I CAN’T GO ON", true},
		{"thinking of self-harm", true},
		{"he hits me", true},
		{"Suicidal.", true},
		{"I see a therapist", false},
		{"I can go on the bus", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := b.IsCrisis("en", tt.text); got != tt.want {
			t.Errorf("IsCrisis(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
