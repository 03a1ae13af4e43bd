package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDomainImportsNoAdapter keeps the layout honest: the domain packages
// (the conversation, casework, check-ins, content) import none of the
// adapters (Telegram, Redis, the web console) nor what runs them.
func TestDomainImportsNoAdapter(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	domain := []string{"signpost/flows", "signpost/handoff", "signpost/scheduler", "signpost/content", "signpost/content/directory"}
	adapters := []string{"signpost/bot", "signpost/store", "signpost/console", "signpost/webchat", "signpost/service", "signpost/cmd/signpost",
		"github.com/go-telegram/bot", "github.com/redis/go-redis/v9"}
	for _, pkg := range domain {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		deps := strings.Fields(string(out))
		for _, a := range adapters {
			if slices.Contains(deps, a) {
				t.Errorf("%s imports %s", pkg, a)
			}
		}
	}
}
