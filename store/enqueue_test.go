package store

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"signpost/flows"
)

// An entry put under a once id reaches the chat's outbox once however
// often it is put within the dedupe window, whether the outbox is leased
// with the write (a worker's chat) or not (a group's); entries without one
// are put every time; after the window the id is forgotten.
func TestEnqueueOnce(t *testing.T) {
	s, clk := setup(t, Config{DedupeWindow: time.Hour})
	ctx := t.Context()
	worker, group := int64(101), int64(-500)
	lease := flows.Lease{Owner: "test.i1", TTL: time.Second, Max: 8}
	put := func(entry, once string) {
		t.Helper()
		chats := []int64{worker, group}
		entries := [][][]byte{{[]byte(entry)}, {[]byte(entry)}}
		ids := [][]string{{once}, {once}}
		if _, err := s.EnqueueClaim(ctx, chats, entries, []flows.Lease{lease, {}}, []int{1, 1}, ids); err != nil {
			t.Fatal(err)
		}
	}
	put("words", "from.R-1.41")
	put("words", "from.R-1.41") // the same update again
	put("more", "")
	put("more", "")
	clk.Advance(2 * time.Hour)
	put("words", "from.R-1.41")
	want := []string{"words", "more", "more", "words"}
	for _, chat := range []int64{worker, group} {
		raw, err := s.Pending(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range raw {
			got = append(got, string(e))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("outbox of %d (-want +got):\n%s", chat, diff)
		}
	}
	if ttl := s.rdb.PTTL(ctx, s.keys.once(worker)).Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("once ids of the worker's chat expire in %v, want within the window", ttl)
	}
}

// Enqueued entries mark each chat's outbox in its own index: a web
// visitor's in the web chat's, a Telegram chat's in the sender's, never
// the other.
func TestEnqueueMarksEachChannelsIndex(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	web, tg := flows.WebUserMin+7, int64(42)
	if err := s.EnqueueAll(ctx, []int64{web, tg}, [][][]byte{entries("to the web"), entries("to telegram")}); err != nil {
		t.Fatal(err)
	}
	members := func(key string) []string {
		t.Helper()
		got, err := s.rdb.ZRange(ctx, key, 0, -1).Result()
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if diff := cmp.Diff([]string{"42"}, members(s.keys.pending())); diff != "" {
		t.Errorf("Telegram index (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{strconv.FormatInt(web, 10)}, members(s.keys.webPending())); diff != "" {
		t.Errorf("web index (-want +got):\n%s", diff)
	}
}

// A Store knows its topology from its client: only a Cluster client
// spreads a person's keys and the shared ones over several slots, so
// only there are held writes sent at once and limits booked apart.
func TestStoreKnowsCluster(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rdb     redis.UniversalClient
		cluster bool
	}{
		{"single", redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}), false},
		{"sentinel", redis.NewFailoverClient(&redis.FailoverOptions{MasterName: "m", SentinelAddrs: []string{"127.0.0.1:1"}}), false},
		{"cluster", redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}}), true},
	} {
		t.Cleanup(func() { tc.rdb.Close() })
		s := New(tc.rdb, Config{})
		if s.cluster != tc.cluster || s.ordered() == tc.cluster || s.Schedules().cluster != tc.cluster {
			t.Errorf("%s: cluster %v, ordered %v, schedules' cluster %v; want cluster %v",
				tc.name, s.cluster, s.ordered(), s.Schedules().cluster, tc.cluster)
		}
	}
}
