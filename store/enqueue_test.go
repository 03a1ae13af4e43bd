package store

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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
