package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKeyNames(t *testing.T) {
	k := New(nil, Config{}).keys
	got := []string{
		k.session(123),
		k.outbox(123),
		k.seen(123),
		k.profile(123),
		k.personPattern(-5),
		k.content("2026-03-01.1"),
	}
	want := []string{
		"sp:{u:123}:session",
		"sp:{u:123}:outbox",
		"sp:{u:123}:seen",
		"sp:{u:123}:profile",
		"sp:{u:-5}:*",
		"sp:content:2026-03-01.1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

func TestGlobEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "sp", want: "sp"},
		{name: "star and question", in: "a*b?", want: `a\*b\?`},
		{name: "class and backslash", in: `[x]\`, want: `\[x\]\\`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := globEscape(tt.in); got != tt.want {
				t.Errorf("globEscape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNewRefusesBracesInPrefix(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New with a brace in the prefix did not panic")
		}
	}()
	New(nil, Config{Prefix: "sp{x}"})
}
