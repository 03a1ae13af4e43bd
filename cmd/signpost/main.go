// Command signpost is the social prescribing bot: the Telegram bot itself,
// the same conversation in a terminal, and the tools around them.
//
//	signpost serve
//	signpost link --source SOURCE [--png FILE]
//	signpost chat [--user ID] [--lang LANG] [--content DIR] [--directory FILE]
//	signpost content check [--directory FILE] [DIR]
//	signpost directory import|check ...
//
// It is the only package that knows every concrete type and wires them.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `signpost: a social prescribing bot

Usage:
  signpost serve
      the Telegram bot; settings come from the environment (see .env.example)
  signpost link --source SOURCE [--png FILE] [--bot NAME]
      prints the t.me link that starts the bot with a referral source, and
      writes it as a QR code for a surgery's poster
  signpost chat [--user ID] [--lang LANG] [--content DIR] [--directory FILE]
      the self-referral conversation in this terminal: one message a line
      on standard input; uses the Redis the settings name (REDIS_URL, a
      Sentinel set or a Cluster, as for serve), or an embedded one
  signpost content check [--directory FILE] [DIR]
      checks the content in DIR (default: the content built in) and the
      directory of local services, and lists every problem found
  signpost directory import [--out FILE] [--mapping FILE] [--previous FILE] FILE|URL
  signpost directory check [FILE]
      loads a council's Open Referral UK feed; checks a directory
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "chat":
		return runChat(ctx, args[1:], stdin, stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "link":
		return runLink(ctx, args[1:], stdout, stderr)
	case "content":
		return runContent(args[1:], stdout, stderr)
	case "directory":
		return runDirectory(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "signpost: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
