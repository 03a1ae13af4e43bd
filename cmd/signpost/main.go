// Command signpost is the social prescribing bot: the Telegram bot itself,
// the same conversation in a terminal, and the tools around them.
//
//	signpost serve
//	signpost link --source SOURCE [--png FILE]
//	signpost chat [--user ID] [--lang LANG] [--content DIR] [--directory FILE]
//	signpost content check [--directory FILE] [DIR]
//	signpost risk eval [--content DIR] FILE
//	signpost risk explain [--content DIR] TEXT
//	signpost risk cv|train [--content DIR] [--folds N] [--repeats N] [--max-added-false-alarms F] [--out FILE] [SET...]
//	signpost directory import|check ...
//	signpost report [--from DATE] [--to DATE] [--team TEAM] [--format FORMAT] [--out PATH]
//	signpost demo [--people N] [--seed N] [--out-rdb FILE]
//	signpost export --practice CODE [--from DATE] [--to DATE] [--out FILE]
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
  signpost risk eval [--content DIR] FILE
      reads each message of a labelled set (a YAML list of {text, kind, lang})
      for risk; prints recall for each kind, the false-alarm rate and the misses
  signpost risk explain [--content DIR] TEXT
      which risk phrases, idioms and denials a message matches, the learned
      reader's top scores and the features behind them, and what signpost
      would answer
  signpost risk cv|train [--content DIR] [--folds N] [--repeats N] [--max-added-false-alarms F] [--out FILE] [SET...]
      cross-validates the learned reader of risk on labelled sets (default
      content/testdata/risk's training sets): recall a kind and false alarms
      for the phrases, the model and both; train also writes the model
      trained on every set (default content/data/risk/learned.bin.gz)
  signpost directory import [--out FILE] [--mapping FILE] [--previous FILE] FILE|URL
  signpost directory check [FILE]
      loads a council's Open Referral UK feed; checks a directory
  signpost report [--from DATE] [--to DATE] [--team TEAM] [--format text|csv|json|html] [--out PATH]
      the commissioners' figures for a period (default: the year to
      yesterday) from the Redis the settings name; small numbers withheld;
      csv with --out writes a folder, one file a table
  signpost demo [--people N] [--seed N] [--out-rdb FILE]
      fills the Redis the settings name (or an embedded one, saved to
      --out-rdb) with a year of made-up referrals, marked as synthetic
  signpost export --practice CODE [--from DATE] [--to DATE] [--out FILE]
      the referrals of one GP practice with their SNOMED CT codes, as CSV
      for the practice to import into its own record; sent nowhere
  signpost version
      prints the version, commit and build date
  signpost healthcheck
      asks the running serve's /healthz on HTTP_ADDR; exits 0 if healthy
  signpost logid ID...
      the pseudonyms under which the logs name these Telegram ids
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
	case "risk":
		return runRisk(args[1:], stdout, stderr)
	case "directory":
		return runDirectory(ctx, args[1:], stdout, stderr)
	case "report":
		return runReport(ctx, args[1:], stdout, stderr)
	case "demo":
		return runDemo(ctx, args[1:], stdout, stderr)
	case "export":
		return runExport(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		return runVersion(stdout)
	case "healthcheck":
		return runHealthcheck(ctx, os.Getenv, stderr)
	case "logid":
		return runLogID(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "signpost: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
