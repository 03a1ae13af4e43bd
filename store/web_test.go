package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"signpost/flows"
)

func TestWebFinishAndTranscript(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	user := flows.WebUserMin + 9
	if err := s.Enqueue(ctx, user, [][]byte{[]byte("e1"), []byte("e2"), []byte("e3")}); err != nil {
		t.Fatal(err)
	}
	entries, _, ok, err := s.Claim(ctx, user, "a", time.Minute, 2)
	if err != nil || !ok || len(entries) != 2 {
		t.Fatalf("claim: %d entries, ok %v, %v", len(entries), ok, err)
	}
	if _, err := s.WebFinish(ctx, user, "someone else", 2, time.Minute, nil, [][]byte{[]byte("x")}, 10); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("finishing without the lease: %v, want ErrLeaseLost", err)
	}
	left, err := s.WebFinish(ctx, user, "a", 2, time.Minute, map[string]string{"ws": "3"}, [][]byte{[]byte("l1"), []byte("l2"), []byte("l3")}, 2)
	if err != nil || left != 1 {
		t.Fatalf("finish: %d left, %v", left, err)
	}
	lines, state, err := s.WebTranscript(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || string(lines[0]) != "l2" || string(lines[1]) != "l3" || state["ws"] != "3" {
		t.Errorf("transcript %q, state %v: want the last two lines kept", lines, state)
	}
}

func TestWebCodesAndLinksGoWithTheVisitor(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	user := flows.WebUserMin + 11
	if _, err := s.Commit(ctx, flows.Commit{User: user, Session: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	n := 0
	mk := func() string { n++; return "CODE-000" + string(rune('0'+n)) }
	code, err := s.WebCode(ctx, user, "token-a", time.Hour, mk)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := s.WebCode(ctx, user, "token-a", time.Hour, mk); again != code {
		t.Errorf("asking twice gave %s then %s", code, again)
	}
	if tok, _ := s.WebCodeToken(ctx, code); tok != "token-a" {
		t.Errorf("the code names %q", tok)
	}
	if tok, err := s.WebCodeToken(ctx, "NOPE-NOPE"); tok != "" || err != nil {
		t.Errorf("an unknown code: %q, %v", tok, err)
	}
	link, err := s.WebBindToken(ctx, user, time.Hour, func() string { return "link1" })
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.PeekWebBind(ctx, link); got != user || err != nil {
		t.Errorf("peek: %d, %v", got, err)
	}
	if got, err := s.TakeWebBind(ctx, link); got != user || err != nil {
		t.Errorf("take: %d, %v", got, err)
	}
	if _, err := s.TakeWebBind(ctx, link); !errors.Is(err, ErrNotFound) {
		t.Errorf("a second use: %v, want ErrNotFound", err)
	}
	// Erasure removes the code kept outside the visitor's own keys.
	if _, err := s.Commit(ctx, flows.Commit{User: user, Version: 0, Session: nil}); err != nil && !errors.Is(err, flows.ErrConflict) {
		t.Fatal(err)
	}
	if err := s.Forget(ctx, user); err != nil {
		t.Fatal(err)
	}
	if tok, _ := s.WebCodeToken(ctx, code); tok != "" {
		t.Errorf("the resume code outlived the visitor's erasure: it still names %q", tok)
	}
}
