package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"signpost/handoff"
)

// runExport implements "signpost export": one GP practice's referrals with
// the SNOMED CT concepts to code them with, as CSV for the practice to
// import into its own record. It writes a file or standard output and sends
// nothing anywhere.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	practice := fs.String("practice", "", "the practice's code, as in its links (gp_F86001 is F86001)")
	from := fs.String("from", "", "the first day, YYYY-MM-DD (default: a year before --to)")
	to := fs.String("to", "", "the last day, included, YYYY-MM-DD (default: yesterday)")
	out := fs.String("out", "", "write to this file instead of standard output")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *practice == "" {
		fmt.Fprintln(stderr, "export: --practice is needed: the code of the practice whose patients to list, such as F86001")
		return 2
	}
	desk, p, closeDesk, code := periodDesk(ctx, "export", *from, *to, "", stderr)
	if code != 0 {
		return code
	}
	defer closeDesk()
	rows, err := desk.PracticeExport(ctx, *practice, p)
	if err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	w := stdout
	if *out != "" {
		f, err := os.OpenFile(*out, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600) // personal data: the owner alone
		if err != nil {
			fmt.Fprintln(stderr, "export:", err)
			return 1
		}
		defer f.Close()
		w = f
	}
	if err := writeCoded(w, rows, desk.Location()); err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	fmt.Fprintf(stderr, "export: %d line(s) for practice %s, %s to %s\n", len(rows), *practice, p.From.Format(time.DateOnly), p.To.AddDate(0, 0, -1).Format(time.DateOnly))
	return 0
}

// writeCoded writes the export as CSV, one line a referral.
func writeCoded(w io.Writer, rows []handoff.Coded, loc *time.Location) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"practice", "reference", "date", "snomed_ct", "term", "name", "age_band", "postcode_district", "phone", "outcome"})
	for _, r := range rows {
		cw.Write([]string{r.Practice, r.Ref, r.Date.In(loc).Format(time.DateOnly), r.Code, r.Term, r.Name, r.AgeBand, r.Postcode, r.Phone, r.Outcome})
	}
	cw.Flush()
	return cw.Error()
}
