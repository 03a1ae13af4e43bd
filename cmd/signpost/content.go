package main

import (
	"flag"
	"fmt"
	"io"

	"signpost/content"
)

// runContent implements "signpost content check [DIR]".
func runContent(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: signpost content check [DIR]")
		return 2
	}
	fs := flag.NewFlagSet("content check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	b, err := loadContent(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "content check:", err)
		return 1
	}
	problems := b.Check()
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(stdout, "%d problem(s) found\n", len(problems))
		return 1
	}
	fmt.Fprintf(stdout, "content %s is sound: %d flow(s), %d language(s)\n", b.Version, len(b.Flows), len(b.Messages))
	return 0
}

// loadContent loads content from dir, or the built-in content when dir is empty.
func loadContent(dir string) (*content.Bundle, error) {
	if dir == "" {
		return content.Default()
	}
	return content.LoadDir(dir)
}
