package store

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
)

// TestMigratePseudonymisesEventIDs writes what builds before version 3 left
// of a check-in flag (the effect key with a referral, the mark that the
// effect was applied, the mark that the flag was counted), all holding the
// person's Telegram id, and migrates: none holds it after, and each still
// stops a repeat under the id the scheduler now gives the same event.
func TestMigratePseudonymisesEventIDs(t *testing.T) {
	ctx := t.Context()
	s, _ := setup(t, Config{})
	const ref = "R-ABCDE"
	old := "ci:5550123987:1780000000000:lonely"
	s.rdb.HSet(ctx, s.keys.referral(ref), fRef, ref, fEffects, `["R-run:talk","checkin:`+old+`"]`)
	s.rdb.ZAdd(ctx, s.keys.allReferrals(), redis.Z{Score: 1, Member: ref})
	s.rdb.Set(ctx, s.keys.effect("checkin:"+old), ref, time.Hour)
	s.rdb.Set(ctx, s.keys.counted(old), "1", time.Hour)
	s.rdb.Set(ctx, s.keys.schema(), 2, 0)

	if from, err := s.Migrate(ctx); err != nil || from != 2 {
		t.Fatalf("Migrate = %d, %v; want from 2", from, err)
	}
	name, err := s.Pseudonym(ctx, 5550123987)
	if err != nil {
		t.Fatal(err)
	}
	now := "ci:" + name + ":1780000000000:lonely"
	r, err := s.Referral(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"R-run:talk", "checkin:" + now}, r.Effects); diff != "" {
		t.Errorf("effects (-want +got):\n%s", diff)
	}
	if got, _ := s.EffectRef(ctx, "checkin:"+now, 0); got != ref {
		t.Errorf("the flag's effect under its new key leads to %q, want %s", got, ref)
	}
	if ttl := s.rdb.TTL(ctx, s.keys.effect("checkin:"+now)).Val(); ttl <= 0 {
		t.Errorf("renamed effect mark expires in %v", ttl)
	}
	if err := s.Tally(ctx, now, "2026-03-02", "link_workers", "flag:lonely"); err != nil {
		t.Fatal(err)
	}
	if tallies, _ := s.CheckinTallies(ctx); len(tallies) != 0 {
		t.Errorf("a repeat of a flag counted before the upgrade counted again: %+v", tallies)
	}
	keys, _ := s.rdb.Keys(ctx, s.keys.prefix+":*").Result()
	for _, k := range keys {
		for _, v := range []string{k, s.rdb.HGet(ctx, k, fEffects).Val()} {
			if rawEventID.MatchString(v) {
				t.Errorf("%s still holds a Telegram id: %s", k, v)
			}
		}
	}
	if from, err := s.Migrate(ctx); err != nil || from != SchemaVersion {
		t.Errorf("second Migrate = %d, %v; want nothing to do", from, err)
	}
}
