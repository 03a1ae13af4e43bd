package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestProfile(t *testing.T) {
	tests := []struct {
		name string
		sets []map[string]string
		want map[string]string
	}{
		{name: "no profile", want: nil},
		{name: "no fields writes nothing", sets: []map[string]string{{}}, want: nil},
		{
			name: "fields are stored",
			sets: []map[string]string{{"lang": "en", "source": "gp"}},
			want: map[string]string{"lang": "en", "source": "gp"},
		},
		{
			name: "later writes merge and overwrite",
			sets: []map[string]string{
				{"lang": "en", "source": "gp"},
				{"lang": "cy", "age_band": "17-25"},
			},
			want: map[string]string{"lang": "cy", "source": "gp", "age_band": "17-25"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := setup(t, Config{})
			for _, f := range tt.sets {
				if err := s.SetProfile(ctx, 7, f); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Profile(ctx, 7)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Profile (-want +got):\n%s", diff)
			}
			if len(tt.want) > 0 {
				ttl, err := s.rdb.TTL(ctx, s.keys.profile(7)).Result()
				if err != nil {
					t.Fatal(err)
				}
				if ttl <= DefaultSessionTTL-10*time.Second || ttl > DefaultSessionTTL {
					t.Errorf("profile TTL = %v, want about %v", ttl, DefaultSessionTTL)
				}
			}
		})
	}
}
