package store

import (
	"regexp"
	"strings"
	"testing"
)

func TestPseudonym(t *testing.T) {
	s, _ := setup(t, Config{})
	other, _ := setup(t, Config{})
	ctx := t.Context()
	const user = 5550123987
	a, err := s.Pseudonym(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := New(s.rdb, Config{Prefix: s.keys.prefix}).Pseudonym(ctx, user)
	someoneElse, _ := s.Pseudonym(ctx, user+1)
	elsewhere, _ := other.Pseudonym(ctx, user)
	if !regexp.MustCompile(`^[a-p]{16}$`).MatchString(a) {
		t.Errorf("pseudonym %q: want 16 letters a to p", a)
	}
	if again != a {
		t.Errorf("another replica names the person %q, this one %q", again, a)
	}
	if someoneElse == a || elsewhere == a {
		t.Errorf("pseudonyms %q (another person) and %q (another deployment) are the person's %q", someoneElse, elsewhere, a)
	}
}

func TestTallyMarkHoldsNoID(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	const id = "ci:5550123987:1780000000000"
	for range 2 {
		if err := s.Tally(ctx, id, "2026-03-02", "link_workers", "sent"); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := s.rdb.Keys(ctx, s.keys.prefix+":*").Result()
	if err != nil {
		t.Fatal(err)
	}
	marks := 0
	for _, k := range keys {
		if strings.Contains(k, "5550123987") {
			t.Errorf("key %s names the person", k)
		}
		if strings.Contains(k, ":counted:") {
			marks++
			if ttl := s.rdb.TTL(ctx, k).Val(); ttl <= 0 || ttl > countedTTL {
				t.Errorf("mark %s expires in %v, want within %v", k, ttl, countedTTL)
			}
		}
	}
	tallies, _ := s.CheckinTallies(ctx)
	if marks != 1 || len(tallies) != 1 || tallies[0].N != 1 {
		t.Errorf("%d marks and tallies %+v; want one mark and a count of 1", marks, tallies)
	}
}
