package store

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/handoff"
)

// TestLearnedRisksStored: the kinds only the learned reader found are kept
// in a field of their own, and a referral written before that field existed
// loads with none, its kinds shown as a phrase's.
func TestLearnedRisksStored(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	// As a release before the mark wrote an urgent flag.
	s.rdb.HSet(ctx, s.keys.referral("R-OLD00"), map[string]any{
		"ref": "R-OLD00", "team": "link_workers", "status": "new", "urgent": "1", "priority": "urgent",
		"reasons": "crisis_words", "risks": "suicide,self_harm", "created": "1700000000000",
	})
	old, err := s.Referral(ctx, "R-OLD00")
	if err != nil {
		t.Fatal(err)
	}
	if old.LearnedRisks != nil || !strings.Contains(handoff.CardText(old), "Risk: suicidal thoughts, self-harm\n") {
		t.Errorf("an old referral: the model's alone %v, card:\n%s", old.LearnedRisks, handoff.CardText(old))
	}

	r := handoff.Referral{Ref: "R-NEW00", Team: handoff.TeamLinkWorkers, Status: handoff.StatusNew, Urgent: true,
		Risks: []string{"domestic_abuse", "suicide"}, LearnedRisks: []string{"suicide"}}
	if _, _, err := s.CreateReferral(ctx, r, handoff.Event{At: start, Kind: handoff.EventUrgent}); err != nil {
		t.Fatal(err)
	}
	if v := s.rdb.HGet(ctx, s.keys.referral("R-NEW00"), "risks_learned").Val(); v != "suicide" {
		t.Errorf("stored risks_learned %q, want suicide", v)
	}
	got, err := s.Referral(ctx, "R-NEW00")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r.LearnedRisks, got.LearnedRisks); diff != "" {
		t.Errorf("the model's alone, read back (-want +got):\n%s", diff)
	}
}
