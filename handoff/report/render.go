package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Formats the report can be written in.
var Formats = []string{"text", "csv", "json", "html"}

// Write renders p in format (text, csv, json or html) to w. CSV writes every
// table one after another, each headed by a line "# table: ID"; CSVFiles
// gives them as separate files.
func Write(w io.Writer, p Published, format string) error {
	switch format {
	case "text", "":
		return writeText(w, p)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	case "csv":
		for i, f := range CSVFiles(p) {
			if i > 0 {
				io.WriteString(w, "\n")
			}
			fmt.Fprintf(w, "# table: %s\n", strings.TrimSuffix(f.Name, ".csv"))
			if _, err := w.Write(f.Data); err != nil {
				return err
			}
		}
		return nil
	case "html":
		return writeHTML(w, p)
	}
	return fmt.Errorf("no such format %q: use %s", format, strings.Join(Formats, ", "))
}

func period(p Published) string {
	s := fmt.Sprintf("%s to %s", p.From, p.To)
	if p.Team != "" {
		s += ", team " + teamLabel(p.Team)
	}
	return s
}

const syntheticNote = "SYNTHETIC DATA: made up for a demonstration; these are not real people."

func writeText(w io.Writer, p Published) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "%s\n%s\n", p.Title, period(p))
	if p.Synthetic {
		fmt.Fprintln(b, syntheticNote)
	}
	fmt.Fprintf(b, "\nPeople: %s. Referrals: %s.\n", p.People.Shown, p.Referrals.Shown)
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	table := func(t Table) {
		fmt.Fprintf(tw, "\n%s\n", t.Title)
		for _, r := range t.Rows {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Label, r.Count.Shown, r.Share.Shown)
		}
		if t.Multi {
			fmt.Fprintf(tw, "  (a referral may count in several rows; %s referrals)\t\t\n", t.Total.Shown)
		} else {
			fmt.Fprintf(tw, "  Total\t%s\t\n", t.Total.Shown)
		}
		tw.Flush()
	}
	for _, t := range p.Tables {
		table(t)
	}
	fmt.Fprintf(b, "\nWaiting times\n")
	for _, wt := range p.Waits {
		fmt.Fprintf(tw, "  %s (%s referrals)\tmedian %s\t90%% within %s\n", wt.Title, wt.N.Shown, wt.Median.Shown, wt.P90.Shown)
		if wt.WorkingTime {
			fmt.Fprintf(tw, "  %s, working time only\tmedian %s\t90%% within %s\n", wt.Title, wt.WorkMedian.Shown, wt.WorkP90.Shown)
		}
	}
	tw.Flush()
	fmt.Fprintf(b, "\nCheck-ins: %s sent, %s answered.\n", p.Checkins.Sent.Shown, p.Checkins.Answered.Shown)
	if len(p.Checkins.Flags.Rows) > 0 {
		table(p.Checkins.Flags)
	}
	fmt.Fprintf(b, "\nWellbeing: change from the first answers to the follow-up\n")
	for _, c := range p.Wellbeing {
		fmt.Fprintf(tw, "  %s\t%s people\tmean %s → %s\tchange %s (95%% interval %s to %s)\timproved %s %s\n",
			c.Title, c.N.Shown, c.Baseline.Shown, c.FollowUp.Shown, c.Mean.Shown, c.Low.Shown, c.High.Shown, c.Improved.Shown, paren(c.ImprovedShare.Shown))
	}
	tw.Flush()
	fmt.Fprintf(b, "\nDefinitions\n")
	for _, d := range p.Definitions {
		fmt.Fprintf(b, "  %s: %s\n", d.Term, d.Meaning)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

// File is one named output file.
type File struct {
	Name string
	Data []byte
}

// CSVFiles gives one tidy table a figure: the breakdowns, the waits, the
// check-ins, the wellbeing changes and their distributions, and the
// definitions. Withheld numbers are empty in their value column and show
// why in the shown column.
func CSVFiles(p Published) []File {
	var files []File
	add := func(name string, header []string, rows [][]string) {
		var b strings.Builder
		cw := csv.NewWriter(&b)
		cw.Write(header)
		cw.WriteAll(rows)
		files = append(files, File{Name: name + ".csv", Data: []byte(b.String())})
	}
	num := func(v Value) string {
		if v.N == nil {
			return ""
		}
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", *v.N), "0"), ".")
	}
	add("summary", []string{"from", "to", "team", "synthetic", "measure", "value", "shown"}, [][]string{
		{p.From, p.To, p.Team, fmt.Sprint(p.Synthetic), "people", num(p.People), p.People.Shown},
		{p.From, p.To, p.Team, fmt.Sprint(p.Synthetic), "referrals", num(p.Referrals), p.Referrals.Shown},
	})
	tables := append(append([]Table{}, p.Tables...), p.Checkins.Flags)
	for _, t := range tables {
		var rows [][]string
		for _, r := range t.Rows {
			rows = append(rows, []string{r.Key, r.Label, num(r.Count), r.Count.Shown, num(r.Share)})
		}
		rows = append(rows, []string{"total", "Total", num(t.Total), t.Total.Shown, ""})
		add(t.ID, []string{"key", "label", t.Unit, "shown", "share_percent"}, rows)
	}
	var waits [][]string
	for _, w := range p.Waits {
		waits = append(waits, []string{w.ID, w.Title, num(w.N), num(w.Median), num(w.P90), num(w.WorkMedian), num(w.WorkP90), w.Median.Shown})
	}
	add("waits", []string{"id", "title", "referrals", "median_hours", "p90_hours", "working_median_hours", "working_p90_hours", "shown"}, waits)
	add("checkins", []string{"measure", "value", "shown"}, [][]string{
		{"sent", num(p.Checkins.Sent), p.Checkins.Sent.Shown},
		{"answered", num(p.Checkins.Answered), p.Checkins.Answered.Shown},
	})
	var changes, dist [][]string
	for _, c := range p.Wellbeing {
		changes = append(changes, []string{c.ID, c.Title, num(c.N), num(c.Baseline), num(c.FollowUp), num(c.Mean), num(c.Low), num(c.High), num(c.Improved), num(c.ImprovedShare), fmt.Sprint(c.LowerIsBetter), c.N.Shown})
		for _, d := range c.Distribution {
			dist = append(dist, []string{c.ID, d.Key, num(d.Count), d.Count.Shown})
		}
	}
	add("wellbeing", []string{"item", "title", "people", "baseline_mean", "follow_up_mean", "mean_change", "ci95_low", "ci95_high", "improved", "improved_percent", "lower_is_better", "shown"}, changes)
	add("wellbeing_distribution", []string{"item", "change", "people", "shown"}, dist)
	var defs [][]string
	for _, d := range p.Definitions {
		defs = append(defs, []string{d.Term, d.Meaning})
	}
	add("definitions", []string{"term", "meaning"}, defs)
	return files
}
