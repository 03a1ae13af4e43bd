package store

import (
	"bytes"
	"context"
	"testing"
	"time"
)

func TestAllow(t *testing.T) {
	ctx := context.Background()
	s, clk := setup(t, Config{})
	// Three a minute: a burst of three, then one every 20 seconds.
	for i := 0; i < 3; i++ {
		ok, _, err := s.Allow(ctx, "ip:a", 3, time.Minute)
		if err != nil || !ok {
			t.Fatalf("request %d of the burst refused (%v)", i+1, err)
		}
	}
	ok, wait, err := s.Allow(ctx, "ip:a", 3, time.Minute)
	if err != nil || ok {
		t.Fatalf("the fourth request at once was allowed (%v)", err)
	}
	if wait <= 19*time.Second || wait > 20*time.Second {
		t.Errorf("told to wait %v, want about 20s", wait)
	}
	if ok, _, _ := s.Allow(ctx, "ip:b", 3, time.Minute); !ok {
		t.Error("another limit's first request was refused")
	}
	// A refused request costs nothing: after the wait, one more goes.
	clk.Advance(wait)
	if ok, _, _ := s.Allow(ctx, "ip:a", 3, time.Minute); !ok {
		t.Error("refused after waiting as told")
	}
	if ok, _, _ := s.Allow(ctx, "ip:a", 3, time.Minute); ok {
		t.Error("allowed a second request right after the wait")
	}
	if ok, _, err := s.Allow(ctx, "ip:c", 0, time.Minute); !ok || err != nil {
		t.Error("a limit of zero refused a request")
	}
}

func TestSecret(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	a, err := s.Secret(ctx, "csrf")
	if err != nil || len(a) != 32 {
		t.Fatalf("secret: %x, %v", a, err)
	}
	again, _ := s.Secret(ctx, "csrf")
	other, _ := s.Secret(ctx, "pseudonyms")
	if !bytes.Equal(a, again) {
		t.Error("a second replica asking for the secret got another one")
	}
	if bytes.Equal(a, other) {
		t.Error("two secrets of different names are the same")
	}
}
