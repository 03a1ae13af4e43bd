package handoff_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/handoff"
)

func TestDueReminders(t *testing.T) {
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 3, d, hh, mm, 0, 0, london) }
	type tick struct {
		at      time.Time
		want    int       // referrals returned
		next    time.Time // the referral's next reminder after the tick
		claimAt bool      // claim the referral before this tick
	}
	tests := []struct {
		name    string
		created time.Time
		urgent  bool
		ticks   []tick
	}{
		{
			name:    "normal: same time next working day",
			created: at(3, 14, 0),
			ticks: []tick{
				{at: at(4, 13, 59), want: 0, next: at(4, 14, 0)},
				{at: at(4, 14, 0), want: 1, next: at(5, 14, 0)},
				{at: at(4, 14, 1), want: 0, next: at(5, 14, 0)},
				{at: at(5, 14, 0), want: 1, next: at(6, 14, 0)},
			},
		},
		{
			name:    "normal: Friday to Monday",
			created: at(6, 14, 0),
			ticks: []tick{
				{at: at(7, 14, 0), want: 0, next: at(9, 14, 0)},
				{at: at(9, 14, 0), want: 1, next: at(10, 14, 0)},
			},
		},
		{
			name:    "normal: a desk down for days reminds once",
			created: at(2, 10, 0),
			ticks: []tick{
				{at: at(6, 12, 0), want: 1, next: at(9, 10, 0)},
			},
		},
		{
			name:    "urgent on a Saturday night: nothing to the empty office, then once at the opening",
			created: at(7, 23, 0),
			urgent:  true,
			ticks: []tick{
				{at: at(7, 23, 15), want: 0, next: at(9, 9, 0)},
				{at: at(8, 12, 0), want: 0, next: at(9, 9, 0)},
				{at: at(9, 8, 59), want: 0, next: at(9, 9, 0)},
				{at: at(9, 9, 0), want: 1, next: at(10, 9, 0)},
				{at: at(9, 9, 15), want: 0, next: at(10, 9, 0)},
				{at: at(10, 9, 0), want: 0, claimAt: true},
			},
		},
		{
			name:    "urgent in hours: posted again once after 15 minutes, then each morning",
			created: at(9, 10, 0),
			urgent:  true,
			ticks: []tick{
				{at: at(9, 10, 14), want: 0, next: at(9, 10, 15)},
				{at: at(9, 10, 15), want: 1, next: at(10, 9, 0)},
				{at: at(9, 10, 30), want: 0, next: at(10, 9, 0)},
				{at: at(9, 16, 59), want: 0, next: at(10, 9, 0)},
				{at: at(10, 9, 0), want: 1, next: at(11, 9, 0)},
			},
		},
		{
			name:    "urgent just before the close: the repost waits for the morning",
			created: at(9, 16, 50),
			urgent:  true,
			ticks: []tick{
				{at: at(9, 17, 5), want: 0, next: at(10, 9, 0)},
				{at: at(10, 9, 0), want: 1, next: at(11, 9, 0)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, handoff.Config{})
			e.clk.Set(tt.created)
			var ref string
			if tt.urgent {
				r, _, err := e.desk.Flag(t.Context(), urgentEffect(4, "run-u"))
				if err != nil {
					t.Fatal(err)
				}
				ref = r.Ref
			} else {
				ref = mustCreate(t, e, referralEffect(4, "run-n", resident())).Ref
			}
			reminded := 0
			for _, tk := range tt.ticks {
				e.clk.Set(tk.at)
				if tk.claimAt {
					if _, _, err := e.desk.Claim(t.Context(), ref, ana); err != nil {
						t.Fatal(err)
					}
				}
				got, err := e.desk.DueReminders(t.Context(), tk.at)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != tk.want {
					t.Fatalf("at %v: %d due, want %d", tk.at, len(got), tk.want)
				}
				reminded += len(got)
				r, err := e.st.Referral(t.Context(), ref)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tk.next.Format(time.RFC3339), r.NextReminder.In(london).Format(time.RFC3339)); !tk.next.IsZero() && diff != "" {
					t.Errorf("at %v: next reminder (-want +got):\n%s", tk.at, diff)
				}
				if tk.next.IsZero() && !r.NextReminder.IsZero() {
					t.Errorf("at %v: next reminder %v, want none", tk.at, r.NextReminder)
				}
				if r.Reminders != reminded {
					t.Errorf("at %v: %d reminders recorded, want %d", tk.at, r.Reminders, reminded)
				}
			}
			if tt.ticks[len(tt.ticks)-1].claimAt {
				n, _ := e.rdb.ZCard(t.Context(), e.prefix+":{handoff}:reminders").Result()
				if n != 0 {
					t.Errorf("a claimed referral is still scheduled (%d entries)", n)
				}
			}
		})
	}
}

func TestDueRemindersConcurrent(t *testing.T) {
	e := setup(t, handoff.Config{})
	const n = 60
	var want []string
	for i := range n {
		r, _, err := e.desk.Flag(t.Context(), urgentEffect(int64(1000+i), "run-"+itoa(int64(i))))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r.Ref)
	}
	// Flagged in hours: posted again once after 15 minutes, then at the
	// opening of each working day.
	rounds := []time.Time{start.Add(15 * time.Minute), start.AddDate(0, 0, 1).Add(-30 * time.Minute), start.AddDate(0, 0, 2).Add(-30 * time.Minute)}
	for round, now := range rounds {
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			got  []string
			gate = make(chan struct{})
		)
		for range 4 {
			wg.Go(func() {
				<-gate
				rs, err := e.desk.DueReminders(t.Context(), now)
				if err != nil {
					t.Errorf("DueReminders: %v", err)
				}
				mu.Lock()
				defer mu.Unlock()
				for _, r := range rs {
					got = append(got, r.Ref)
				}
			})
		}
		close(gate)
		wg.Wait()
		slices.Sort(got)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("round %d: referrals reminded, each once (-want +got):\n%s", round, diff)
		}
	}
}
