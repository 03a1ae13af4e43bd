package store

import (
	"context"
	"testing"
)

func TestPreload(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := context.Background()
	if err := s.Preload(ctx); err != nil {
		t.Fatal(err)
	}
	var hashes []string
	for _, sc := range scripts() {
		hashes = append(hashes, sc.Hash())
	}
	exists, err := s.rdb.ScriptExists(ctx, hashes...).Result()
	if err != nil {
		t.Fatal(err)
	}
	for i, ok := range exists {
		if !ok {
			t.Errorf("script %d not loaded", i)
		}
	}
}
