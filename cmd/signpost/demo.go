package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/handoff"
	"signpost/hours"
	"signpost/internal/demo"
	"signpost/internal/rdbfile"
	"signpost/internal/testclock"
	"signpost/store"
)

// runDemo implements "signpost demo": a year of synthetic referrals in the
// Redis the settings name, or in an embedded one saved as an RDB file.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	people := fs.Int("people", 1500, "how many people refer themselves in the year")
	seed := fs.Uint64("seed", 1, "the same seed makes the same year again")
	out := fs.String("out-rdb", "", "save the embedded Redis to this RDB file (a redis-server's dump.rdb)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *people < 1 || *people > 1_000_000 {
		fmt.Fprintln(stderr, "demo: --people must be from 1 to 1,000,000")
		return 2
	}
	s := newSettings(os.Getenv)
	_, cal, err := s.calendar()
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 2
	}
	switch given := s.redisSettingsGiven(); {
	case given && *out != "":
		fmt.Fprintln(stderr, "demo: --out-rdb saves the embedded Redis; with REDIS_URL (or a Sentinel set or Cluster) the data is in that Redis already: leave --out-rdb out")
		return 2
	case !given && *out == "":
		fmt.Fprintln(stderr, "demo: nothing would be kept: set REDIS_URL to fill a Redis, or give --out-rdb FILE to save an embedded one")
		return 2
	}
	rdb, closeRedis, err := chatRedis(ctx, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	defer closeRedis()
	st := store.New(rdb, store.Config{Prefix: s.get("REDIS_PREFIX", store.DefaultPrefix)})
	start := time.Now()
	stats, err := fillDemo(ctx, st, cal, demo.Options{People: *people, Seed: *seed, End: start})
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	fmt.Fprintf(stdout, "signpost demo: %d people, %d referrals (%d urgent, %d closed, %d follow-ups answered, %d erased) over the year to %s, made in %s. Marked as synthetic.\n",
		stats.People, stats.Referrals, stats.Urgent, stats.Closed, stats.FollowUps, stats.Erased, start.Format(time.DateOnly), time.Since(start).Round(10*time.Millisecond))
	if *out != "" {
		if err := saveRDB(ctx, rdb, *out); err != nil {
			fmt.Fprintln(stderr, "demo:", err)
			return 1
		}
		fmt.Fprintf(stdout, "Saved to %s: copy it as dump.rdb into a stopped redis-server's folder and start it.\n", *out)
	}
	return 0
}

// errNotDemo refuses to mix made-up referrals with real ones.
var errNotDemo = errors.New("this Redis holds referrals that are not synthetic: the demo fills only an empty Redis or an earlier demo's")

// fillDemo makes the demo's year in st through a casework desk of its own,
// whose clock walks through the year, and marks the data as synthetic.
func fillDemo(ctx context.Context, st *store.Store, cal *hours.Calendar, opts demo.Options) (demo.Stats, error) {
	synthetic, err := st.Synthetic(ctx)
	if err != nil {
		return demo.Stats{}, err
	}
	if !synthetic {
		n, err := st.ReferralCount(ctx)
		if err != nil {
			return demo.Stats{}, err
		}
		if n > 0 {
			return demo.Stats{}, errNotDemo
		}
	}
	if err := st.MarkSynthetic(ctx); err != nil {
		return demo.Stats{}, err
	}
	clk := testclock.New(opts.End.AddDate(-1, 0, 0))
	var ids []int64
	for _, w := range demo.Workers {
		ids = append(ids, w.ID)
	}
	desk := handoff.New(st, handoff.NewAuthoriser(handoff.AuthConfig{LinkWorkers: ids, LeavingCare: ids, SeparateLeavingCare: true}), handoff.Config{
		Now: clk.Now, Location: cal.Location(), Calendar: cal, Logger: slog.New(slog.DiscardHandler),
	})
	opts.Erase, opts.Count = st.Forget, st.Tally
	return demo.Make(ctx, desk, clk, cal, opts)
}

// saveRDB writes what rdb holds to the file path as an RDB file.
func saveRDB(ctx context.Context, rdb redis.UniversalClient, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rdbfile.Dump(ctx, rdb, f, time.Now()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
