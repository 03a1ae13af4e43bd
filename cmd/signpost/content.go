package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"signpost/content"
	"signpost/content/directory"
)

// runContent implements "signpost content check [--directory FILE] [DIR]":
// the flows and messages, and the directory of local services they suggest from.
func runContent(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: signpost content check [--directory FILE] [DIR]")
		return 2
	}
	fs := flag.NewFlagSet("content check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dirFile := fs.String("directory", os.Getenv("DIRECTORY_FILE"), "a directory file written by \"signpost directory import\"; default the built-in one")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	b, err := loadContent(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "content check:", err)
		return 1
	}
	dir, err := directory.Load(*dirFile)
	if err != nil {
		fmt.Fprintln(stderr, "content check:", err)
		return 1
	}
	problems := b.Check()
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	contentWarnings := b.Warnings()
	for _, p := range contentWarnings {
		fmt.Fprintln(stdout, "warning:", p)
	}
	dirProblems := directory.Check(dir)
	warnings := len(contentWarnings)
	for _, p := range dirProblems {
		fmt.Fprintln(stdout, "directory:", p)
		if p.Severity != directory.SeverityError {
			warnings++
		}
	}
	if len(problems) > 0 || directory.HasErrors(dirProblems) {
		fmt.Fprintf(stdout, "%d problem(s) found\n", len(problems)+len(dirProblems)+len(contentWarnings)-warnings)
		return 1
	}
	fmt.Fprintf(stdout, "content %s is sound: %d flow(s), %d language(s), risk phrases in %d language(s); directory %s: %d service(s); %d warning(s)\n",
		b.Version, len(b.Flows), len(b.Messages), len(b.Risk.Languages), dir.Version, len(dir.Services), warnings)
	return 0
}

// defaultContent loads the built-in content. The package's tests, which run
// many commands in one process, have it hand out copies of one load.
var defaultContent = content.Default

// loadContent loads content from dir, or the built-in content when dir is empty.
func loadContent(dir string) (*content.Bundle, error) {
	if dir == "" {
		return defaultContent()
	}
	return content.LoadDir(dir)
}
