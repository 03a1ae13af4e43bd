package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"signpost/handoff"
	"signpost/handoff/report"
	"signpost/hours"
	"signpost/store"
)

// runReport implements "signpost report": the commissioners' figures for a
// period, from the Redis the settings name.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the first day of the period, YYYY-MM-DD (default: a year before --to)")
	to := fs.String("to", "", "the last day of the period, included, YYYY-MM-DD (default: yesterday)")
	team := fs.String("team", "", "one team only: link_workers or leaving_care (default: all)")
	format := fs.String("format", "text", "text, csv, json or html")
	out := fs.String("out", "", "write to this file (for csv: this folder, one file a table) instead of standard output")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "report: unexpected %q; see signpost help\n", fs.Arg(0))
		return 2
	}
	if !validFormat(*format) {
		fmt.Fprintf(stderr, "report: --format %q: use %s\n", *format, strings.Join(report.Formats, ", "))
		return 2
	}
	desk, p, closeDesk, code := periodDesk(ctx, "report", *from, *to, *team, stderr)
	if code != 0 {
		return code
	}
	defer closeDesk()
	pub, err := desk.Figures(ctx, p)
	if err != nil {
		fmt.Fprintln(stderr, "report:", err)
		return 1
	}
	if err := writeReport(pub, *format, *out, stdout); err != nil {
		fmt.Fprintln(stderr, "report:", err)
		return 1
	}
	return 0
}

func validFormat(f string) bool {
	for _, ok := range report.Formats {
		if f == ok {
			return true
		}
	}
	return false
}

// periodDesk opens, for the command name, the period from to (with team)
// and a casework desk on the Redis the settings name, for figures and
// exports: no worker may act on it. code is the exit code when it cannot:
// 2 for a setting or argument at fault, 1 for Redis.
func periodDesk(ctx context.Context, name, from, to, team string, stderr io.Writer) (desk *handoff.Desk, p handoff.Period, closeDesk func(), code int) {
	s := newSettings(os.Getenv)
	fail := func(code int, err error) (*handoff.Desk, handoff.Period, func(), int) {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return nil, handoff.Period{}, nil, code
	}
	loc, cal, err := s.calendar()
	if err != nil {
		return fail(2, err)
	}
	if p, err = reportPeriod(from, to, team, time.Now().In(loc), loc); err != nil {
		return fail(2, err)
	}
	conn, err := s.redis("redis://localhost:6379/0")
	if err != nil {
		return fail(2, err)
	}
	rdb, err := store.Connect(ctx, conn, 5*time.Second)
	if err != nil {
		return fail(1, err)
	}
	st := store.New(rdb, store.Config{Prefix: s.get("REDIS_PREFIX", store.DefaultPrefix)})
	desk = handoff.New(st, handoff.Authoriser{}, handoff.Config{Location: loc, Calendar: cal, Synthetic: st.Synthetic})
	return desk, p, func() { rdb.Close() }, 0
}

// reportPeriod reads the period of a report: days in the service's time
// zone, the last one included.
func reportPeriod(from, to, team string, now time.Time, loc *time.Location) (handoff.Period, error) {
	var p handoff.Period
	day := func(name, s string) (time.Time, error) {
		t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("--%s %q is not a date: write it as 2026-01-31", name, s)
		}
		return t, nil
	}
	y, m, d := now.Date()
	p.To = time.Date(y, m, d, 0, 0, 0, 0, loc)
	if to != "" {
		last, err := day("to", to)
		if err != nil {
			return p, err
		}
		p.To = last.AddDate(0, 0, 1)
	}
	p.From = p.To.AddDate(-1, 0, 0)
	if from != "" {
		first, err := day("from", from)
		if err != nil {
			return p, err
		}
		p.From = first
	}
	if !p.From.Before(p.To) {
		return p, errors.New("--from must be on or before --to")
	}
	switch handoff.Team(team) {
	case "", handoff.TeamLinkWorkers, handoff.TeamLeavingCare, handoff.TeamChildren:
		p.Team = handoff.Team(team)
	default:
		return p, fmt.Errorf("--team %q: use link_workers, leaving_care or children", team)
	}
	return p, nil
}

// writeReport writes pub in format to out: a file, a folder of CSV files
// (one a table), or stdout when out is empty.
func writeReport(pub report.Published, format, out string, stdout io.Writer) error {
	if out == "" {
		return report.Write(stdout, pub, format)
	}
	if format == "csv" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		for _, f := range report.CSVFiles(pub) {
			if err := os.WriteFile(filepath.Join(out, f.Name), f.Data, 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := report.Write(f, pub, format); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// calendar reads the service's time zone (TIMEZONE) and working calendar
// (SERVICE_HOURS; the bank holidays of BANK_HOLIDAYS, a built-in region or
// "none", or of the file BANK_HOLIDAYS_FILE).
func (s settings) calendar() (*time.Location, *hours.Calendar, error) {
	loc, err := time.LoadLocation(s.get("TIMEZONE", "Europe/London"))
	if err != nil {
		return nil, nil, &configError{"TIMEZONE", "is not a known time zone"}
	}
	cal, err := hours.Load(s.get("SERVICE_HOURS", ""), s.get("BANK_HOLIDAYS", ""), s.get("BANK_HOLIDAYS_FILE", ""), loc)
	if err != nil {
		return nil, nil, &configError{"SERVICE_HOURS or BANK_HOLIDAYS", err.Error()}
	}
	return loc, cal, nil
}
