package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMovedChatsKept(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	if got, err := s.MovedChats(ctx); err != nil || len(got) != 0 {
		t.Fatalf("before any move: %v, %v", got, err)
	}
	if err := s.MoveChat(ctx, -4001, -1001234); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveChat(ctx, -4002, -1005678); err != nil {
		t.Fatal(err)
	}
	got, err := s.MovedChats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int64]int64{-4001: -1001234, -4002: -1005678}, got); diff != "" {
		t.Errorf("moved groups (-want +got):\n%s", diff)
	}
}
