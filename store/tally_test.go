package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/handoff"
)

func TestTallyCountsEachEventOnce(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	for _, c := range []struct{ id, day, team, measure string }{
		{"a", "2026-03-02", "link_workers", "sent"},
		{"a", "2026-03-02", "link_workers", "sent"}, // a repeat
		{"b", "2026-03-02", "link_workers", "sent"},
		{"c", "2026-03-03", "leaving_care", "flag:talk"},
	} {
		if err := s.Tally(ctx, c.id, c.day, c.team, c.measure); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.CheckinTallies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[handoff.Tally]bool{
		{Day: "2026-03-02", Team: "link_workers", Measure: "sent", N: 2}:      true,
		{Day: "2026-03-03", Team: "leaving_care", Measure: "flag:talk", N: 1}: true,
	}
	gotSet := map[handoff.Tally]bool{}
	for _, tl := range got {
		gotSet[tl] = true
	}
	if diff := cmp.Diff(want, gotSet); diff != "" {
		t.Errorf("tallies (-want +got):\n%s", diff)
	}
	if n, err := s.DropTallies(ctx, "2026-03-03"); err != nil || n != 1 {
		t.Errorf("DropTallies = %d, %v; want 1", n, err)
	}
}

func TestClaimRunOncePerDay(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	first, err := s.ClaimRun(ctx, "retention", "2026-03-02")
	second, err2 := s.ClaimRun(ctx, "retention", "2026-03-02")
	next, err3 := s.ClaimRun(ctx, "retention", "2026-03-03")
	if err != nil || err2 != nil || err3 != nil || !first || second || !next {
		t.Errorf("claims %v %v %v (%v %v %v); want true false true", first, second, next, err, err2, err3)
	}
}
