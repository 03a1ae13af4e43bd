package store

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/flows"
)

func TestContent(t *testing.T) {
	tests := []struct {
		name    string
		stored  map[string]string // version → blob
		get     string
		want    []byte
		wantErr error
	}{
		{
			name:   "stored bundle comes back",
			stored: map[string]string{"v1": "flows: {}", "v2": "flows: []"},
			get:    "v1",
			want:   []byte("flows: {}"),
		},
		{
			name:    "unknown version",
			stored:  map[string]string{"v1": "flows: {}"},
			get:     "v2",
			wantErr: flows.ErrUnknownContent,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := setup(t, Config{})
			for v, blob := range tt.stored {
				if err := s.PutContent(ctx, v, []byte(blob)); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.GetContent(ctx, tt.get)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("GetContent error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GetContent (-want +got):\n%s", diff)
			}
		})
	}
}

// A version names one bundle for ever: a second deployment of the same
// version must not change what pinned sessions run on.
func TestContentFirstWriteWinsAndNeverExpires(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	for _, blob := range []string{"first", "second"} {
		if err := s.PutContent(ctx, "v1", []byte(blob)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.GetContent(ctx, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "first" {
		t.Errorf("GetContent = %q, want %q", got, "first")
	}
	if ttl, err := s.rdb.PTTL(ctx, s.keys.content("v1")).Result(); err != nil || ttl >= 0 {
		t.Errorf("content TTL = %v (err %v), want none", ttl, err)
	}
}
