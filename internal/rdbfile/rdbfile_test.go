package rdbfile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"signpost/internal/redistest"
)

// Redis's own check value of its CRC-64 (src/crc64.c).
func TestCRC64(t *testing.T) {
	if got := crc64(0, []byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Errorf("crc64 = %#x, want 0xe9c6d914c4b8d9ca", got)
	}
}

// What the embedded Redis holds, written as dump.rdb, is what a real
// redis-server holds after loading it.
func TestDumpLoadsIntoRedis(t *testing.T) {
	ctx := context.Background()
	mr := miniredis.RunT(t)
	src := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer src.Close()
	long := strings.Repeat("x", 20000) // a length over 14 bits
	src.Set(ctx, "sp:{r:R-7K3QX}:s", "hello", 0)
	src.Set(ctx, "sp:long", long, 0)
	src.Set(ctx, "sp:ttl", "goes", time.Hour)
	src.RPush(ctx, "sp:list", "a", "b", "c")
	src.SAdd(ctx, "sp:set", "x", "y")
	src.HSet(ctx, "sp:hash", "name", "Sam", "age", "26-49", "empty", "")
	src.ZAdd(ctx, "sp:zset", redis.Z{Score: 1779782400000, Member: "R-7K3QX"}, redis.Z{Score: -1.5, Member: "m"})
	var many []any
	for i := range 300 {
		many = append(many, i)
	}
	src.RPush(ctx, "sp:many", many...)

	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Dump(ctx, src, f, time.Now()); err != nil {
		t.Fatal(err)
	}
	f.Close()

	srv := redistest.StartPersistent(t, dir, false)
	opt, _ := redis.ParseURL(srv.URL())
	dst := redis.NewClient(opt)
	defer dst.Close()
	snapshot := func(c *redis.Client) map[string]any {
		out := map[string]any{}
		keys, _ := c.Keys(ctx, "*").Result()
		for _, k := range keys {
			switch c.Type(ctx, k).Val() {
			case "string":
				out[k] = c.Get(ctx, k).Val()
			case "list":
				out[k] = c.LRange(ctx, k, 0, -1).Val()
			case "set":
				out[k] = c.SMembers(ctx, k).Val()
			case "hash":
				out[k] = c.HGetAll(ctx, k).Val()
			case "zset":
				out[k] = c.ZRangeWithScores(ctx, k, 0, -1).Val()
			}
		}
		return out
	}
	want := snapshot(src)
	if len(want) != 8 {
		t.Fatalf("the source holds %d keys, want 8", len(want))
	}
	if diff := cmp.Diff(want, snapshot(dst), cmp.Transformer("sort", func(s []string) []string {
		c := append([]string(nil), s...)
		for i := range c {
			for j := i + 1; j < len(c); j++ {
				if c[j] < c[i] {
					c[i], c[j] = c[j], c[i]
				}
			}
		}
		return c
	})); diff != "" {
		t.Errorf("loaded (-want +got):\n%s", diff)
	}
	if ttl := dst.PTTL(ctx, "sp:ttl").Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("expiry after loading: %v", ttl)
	}
}
