package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"signpost/content"
	"signpost/content/directory"
	"signpost/flows"
	"signpost/store"
)

// runChat implements "signpost chat": the self-referral conversation in the
// terminal, through the same runner and store as the Telegram bot.
func runChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.Int64("user", 1, "the person's id; different ids are different people in one Redis")
	lang := fs.String("lang", "", "the person's language code, as Telegram would report it")
	dir := fs.String("content", "", "a content folder to use instead of the built-in content")
	dirFile := fs.String("directory", os.Getenv("DIRECTORY_FILE"), "a directory of local services written by \"signpost directory import\"")
	echo := fs.Bool("echo", !isTerminal(stdin), "print each input line, as when input is piped")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	b, err := loadContent(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 1
	}
	services, err := directory.Load(*dirFile)
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 1
	}
	rdb, closeRedis, err := chatRedis(ctx, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 1
	}
	defer closeRedis()

	local, err := localNumbers(os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 1
	}
	_, cal, err := newSettings(os.Getenv).calendar()
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 1
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st := store.New(rdb, store.Config{})
	c := &chat{
		runner:   flows.NewRunner(st, b, flows.Config{Contents: st, Logger: logger, Directory: services, Local: local, Hours: cal.Promise}),
		profiles: st,
		user:     *user,
		lang:     *lang,
		w:        stdout,
		echo:     *echo,
		log:      logger,
	}
	if !*echo {
		fmt.Fprintln(stderr, "Type a message to start, or /start PAYLOAD. Choose a button by its number or label. Ctrl-D ends.")
	}
	if err := c.run(ctx, stdin); err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 1
	}
	return 0
}

// chatRedis connects to the Redis the settings name (REDIS_URL, a
// Sentinel set or a Cluster, as for serve), or starts an embedded in-memory
// Redis when none is named, so the conversation can be tried with nothing
// installed.
func chatRedis(ctx context.Context, getenv func(string) string) (redis.UniversalClient, func(), error) {
	s := newSettings(getenv)
	if s.redisSettingsGiven() {
		conn, err := s.redis("")
		if err != nil {
			return nil, nil, err
		}
		rdb, err := store.Connect(ctx, conn, 5*time.Second)
		if err != nil {
			return nil, nil, err
		}
		return rdb, func() { rdb.Close() }, nil
	}
	mr, err := miniredis.Run()
	if err != nil {
		return nil, nil, fmt.Errorf("embedded redis: %w", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	return rdb, func() { rdb.Close(); mr.Close() }, nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// profileSetter records lasting facts of a person; store.Store is one.
type profileSetter interface {
	SetProfile(ctx context.Context, user int64, fields map[string]string) error
}

// chat renders the conversation as text: bot messages as paragraphs,
// buttons as "[1] Label" lines, chosen by number or label.
type chat struct {
	runner   *flows.Runner
	profiles profileSetter
	user     int64
	lang     string
	w        io.Writer
	echo     bool
	log      *slog.Logger

	rows    [][]flows.Button // the open question's keyboard
	buttons []flows.Button   // the same, in reading order
}

func (c *chat) run(ctx context.Context, in io.Reader) error {
	// Replies committed by an earlier process that died before showing them come first.
	if err := c.deliver(ctx); err != nil {
		return err
	}
	s, err := c.runner.Session(ctx, c.user)
	if err != nil {
		return err
	}
	if s.Active() {
		c.handle(ctx, flows.Event{Kind: flows.EventResume, Lang: c.lang})
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if c.echo {
			fmt.Fprintf(c.w, "> %s\n\n", line)
		}
		c.handle(ctx, c.event(line))
		if ctx.Err() != nil {
			return nil
		}
	}
	return sc.Err()
}

// event turns a typed line into an event: a button when it names one of
// the open question's buttons, otherwise text.
func (c *chat) event(line string) flows.Event {
	ev := flows.Event{Kind: flows.EventText, Text: line, Lang: c.lang}
	if strings.HasPrefix(line, "/") {
		return ev
	}
	numbered := !numericLabels(c.buttons)
	for i, b := range c.buttons {
		label := strings.TrimPrefix(b.Label, "✓ ")
		if (numbered && line == strconv.Itoa(i+1)) || strings.EqualFold(line, label) {
			return flows.Event{Kind: flows.EventButton, Text: b.Data, Lang: c.lang}
		}
	}
	return ev
}

func (c *chat) handle(ctx context.Context, ev flows.Event) {
	if _, err := c.runner.Handle(ctx, c.user, ev); err != nil && !errors.Is(err, flows.ErrDuplicate) {
		c.log.Error("handle event", "user", c.user, "event", ev.Kind, "err", err)
		fmt.Fprintln(c.w, "Sorry, something went wrong on our side. Please try again.")
		fmt.Fprintln(c.w)
		return
	}
	if err := c.deliver(ctx); err != nil {
		c.log.Error("deliver", "user", c.user, "err", err)
	}
}

// deliver shows every committed outbox entry, runs its effects, and then
// acknowledges them; a crash in between shows them again, never loses them.
func (c *chat) deliver(ctx context.Context) error {
	outs, err := c.runner.Pending(ctx, c.user)
	if err != nil || len(outs) == 0 {
		return err
	}
	for _, o := range outs {
		if err := c.render(ctx, o); err != nil {
			return err
		}
	}
	return c.runner.Ack(ctx, c.user, len(outs))
}

func (c *chat) render(ctx context.Context, o flows.Out) error {
	switch o.Kind {
	case flows.OutMessage, flows.OutUpdate:
		if o.Kind == flows.OutMessage {
			fmt.Fprintln(c.w, o.Text)
			fmt.Fprintln(c.w)
		}
		if o.Node != "" {
			c.rows, c.buttons = o.Buttons, flattenButtons(o.Buttons)
			if len(c.buttons) > 0 {
				c.printButtons()
			}
		}
	case flows.OutToast:
		fmt.Fprintf(c.w, "(%s)\n\n", o.Text)
	case flows.OutEffect:
		return c.effect(ctx, o.Effect)
	}
	return nil
}

// printButtons shows a keyboard: "[1] Label" a line, or a number scale a
// row a line, "[0] [1] [2] ...", chosen by the numbers themselves.
func (c *chat) printButtons() {
	if !numericLabels(c.buttons) {
		for i, b := range c.buttons {
			fmt.Fprintf(c.w, "  [%d] %s\n", i+1, b.Label)
		}
		fmt.Fprintln(c.w)
		return
	}
	for _, row := range c.rows {
		labels := make([]string, len(row))
		for i, b := range row {
			labels[i] = "[" + b.Label + "]"
		}
		fmt.Fprintf(c.w, "  %s\n", strings.Join(labels, " "))
	}
	fmt.Fprintln(c.w)
}

// effect runs what the terminal can of an effect and says what happened, so
// that a demo shows every referral and flag exactly when it is made.
func (c *chat) effect(ctx context.Context, e *flows.Effect) error {
	if e == nil {
		return nil
	}
	var note string
	switch e.Kind {
	case flows.EffectProfile:
		fields := map[string]string{"lang": e.Lang, "updated": time.Now().UTC().Format(time.RFC3339)}
		for k, v := range e.Answers {
			fields[k] = v
		}
		return c.profiles.SetProfile(ctx, e.User, fields)
	case flows.EffectRemindLater, flows.EffectFinished, flows.EffectErased:
		return nil // a reminder to carry on needs the scheduler of "serve"
	case flows.EffectUrgent:
		note = "urgent flag raised for the link workers"
	case content.ActionReferral:
		note = "referral " + e.Ref + " sent to the link workers"
		if e.Answers["care_leaver"] == "yes" {
			note = "referral " + e.Ref + " sent to the leaving-care team"
		}
		if len(e.Services) > 0 {
			note += ", asking to be referred to " + strings.Join(e.Services, ", ")
		}
	case content.ActionCheckins:
		note = "weekly check-ins switched on"
	case flows.EffectAddServices:
		note = "services added to referral " + e.Ref + ": " + strings.Join(e.Services, ", ")
	default:
		note = e.Kind
	}
	fmt.Fprintf(c.w, "[signpost: %s]\n\n", note)
	return nil
}

func flattenButtons(rows [][]flows.Button) []flows.Button {
	var out []flows.Button
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// numericLabels reports whether the buttons are a number scale, which the
// terminal shows as the numbers themselves: [0] … [10].
func numericLabels(bs []flows.Button) bool {
	for _, b := range bs {
		if _, err := strconv.Atoi(b.Label); err == nil {
			return true
		}
	}
	return false
}
