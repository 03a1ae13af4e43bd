package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"signpost/content/directory"
)

const directoryUsage = `usage:
  signpost directory import [--out FILE] [--mapping FILE] [--previous FILE] [--per-page N] FILE|URL
      reads an Open Referral UK (HSDS 3.0) /services feed, page by page, and
      writes the directory the bot loads (YAML, or JSON when FILE ends in
      .json). Without --out nothing is written. --previous defaults to the
      --out file when it exists, so ids stay stable from one run to the next.
  signpost directory check [FILE]
      checks a directory file (default: the one built in)
`

// runDirectory implements "signpost directory import|check". It returns
// 0 on success, 1 when the import or the check fails, 2 on a usage error.
func runDirectory(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, directoryUsage)
		return 2
	}
	switch args[0] {
	case "import":
		return directoryImport(ctx, args[1:], stdout, stderr)
	case "check":
		return directoryCheck(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "signpost directory: unknown command %q\n%s", args[0], directoryUsage)
	return 2
}

func directoryImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("directory import", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "", "write the directory to `FILE` (.yaml or .json)")
	mappingPath := fl.String("mapping", "", "taxonomy-to-needs mapping `FILE` (default: built in)")
	previousPath := fl.String("previous", "", "directory `FILE` from the last import, to keep ids and report changes")
	perPage := fl.Int("per-page", 0, "ask the feed for `N` services a page")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 1 {
		fmt.Fprint(stderr, directoryUsage)
		return 2
	}
	src := fl.Arg(0)

	mapping, err := directory.LoadMapping(*mappingPath)
	if err != nil {
		fmt.Fprintln(stderr, "directory import:", err)
		return 1
	}
	opts := directory.ImportOptions{Mapping: mapping, PerPage: *perPage}
	prevPath := *previousPath
	if prevPath == "" && *out != "" {
		if _, err := os.Stat(*out); err == nil {
			prevPath = *out
		}
	}
	if prevPath != "" {
		prev, err := directory.Load(prevPath)
		if err != nil && !(errors.Is(err, fs.ErrNotExist) && *previousPath == "") {
			fmt.Fprintln(stderr, "directory import:", err)
			return 1
		}
		opts.Previous = prev
	}

	res, err := directory.Import(ctx, src, opts)
	if err != nil {
		fmt.Fprintln(stderr, "directory import:", err)
		return 1
	}
	printImport(stdout, res)

	problems := directory.Check(res.Directory)
	if directory.HasErrors(problems) {
		for _, p := range problems {
			if p.Severity == directory.SeverityError {
				fmt.Fprintln(stderr, p)
			}
		}
		fmt.Fprintln(stderr, "directory import: the result fails its check; nothing written")
		return 1
	}
	if *out == "" {
		fmt.Fprintln(stdout, "not written: give --out FILE to save it")
		return 0
	}
	if err := directory.Save(*out, res.Directory); err != nil {
		fmt.Fprintln(stderr, "directory import:", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s (version %s, %d services)\n", *out, res.Directory.Version, len(res.Directory.Services))
	return 0
}

// printImport writes the summary a coordinator reads after an import:
// counts, every skipped record with its reason, and what changed.
func printImport(w io.Writer, res directory.Result) {
	fmt.Fprintf(w, "imported %d of %d records from %d page(s); skipped %d\n",
		res.Imported, res.Records, res.Pages, len(res.Skipped))
	if len(res.Skipped) > 0 {
		byReason := map[string]int{}
		for _, s := range res.Skipped {
			byReason[s.Reason]++
		}
		reasons := make([]string, 0, len(byReason))
		for r := range byReason {
			reasons = append(reasons, r)
		}
		slices.Sort(reasons)
		fmt.Fprintln(w, "skipped, by reason:")
		for _, r := range reasons {
			fmt.Fprintf(w, "  %5d  %s\n", byReason[r], r)
		}
		fmt.Fprintln(w, "skipped records:")
		for _, s := range res.Skipped {
			fmt.Fprintln(w, "  "+s.String())
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	fmt.Fprintf(w, "added %d, changed %d, removed %d\n", len(res.Added), len(res.Changed), len(res.Removed))
	for _, l := range []struct {
		name string
		ids  []string
	}{{"added", res.Added}, {"changed", res.Changed}, {"removed", res.Removed}} {
		if len(l.ids) > 0 && len(l.ids) <= 50 {
			fmt.Fprintf(w, "  %s: %s\n", l.name, strings.Join(l.ids, ", "))
		}
	}
}

func directoryCheck(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("directory check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	if err := fl.Parse(args); err != nil || fl.NArg() > 1 {
		fmt.Fprint(stderr, directoryUsage)
		return 2
	}
	d, err := directory.Load(fl.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "directory check:", err)
		return 1
	}
	problems := directory.Check(d)
	errs := 0
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
		if p.Severity == directory.SeverityError {
			errs++
		}
	}
	active := 0
	for _, s := range d.Services {
		if s.Status == directory.StatusActive {
			active++
		}
	}
	fmt.Fprintf(stdout, "directory %s: %d services (%d active), %d error(s), %d warning(s)\n",
		d.Version, len(d.Services), active, errs, len(problems)-errs)
	if errs > 0 {
		return 1
	}
	return 0
}
