package main

import (
	"context"
	"fmt"
	"io"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "export: not yet")
	return 2
}
