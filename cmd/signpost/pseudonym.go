package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"signpost/store"
)

// logIDKey is LOG_ID_KEY, or else the key kept in Redis for every replica.
func logIDKey(ctx context.Context, configured string, st *store.Store) ([]byte, error) {
	if configured != "" {
		return []byte(configured), nil
	}
	return st.LogKey(ctx)
}

// runLogID implements "signpost logid ID...": the pseudonyms under which
// the logs name those people, with the deployment's key.
func runLogID(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: signpost logid TELEGRAM_ID...")
		return 2
	}
	s := newSettings(os.Getenv)
	configured, err := s.secret("LOG_ID_KEY")
	if err != nil {
		fmt.Fprintln(stderr, "logid:", err)
		return 2
	}
	var key []byte
	if configured != "" {
		key = []byte(configured)
	} else {
		conn, err := s.redis("redis://localhost:6379/0")
		if err != nil {
			fmt.Fprintln(stderr, "logid:", err)
			return 2
		}
		rdb, err := store.Connect(ctx, conn, 5*time.Second)
		if err != nil {
			fmt.Fprintln(stderr, "logid:", err)
			return 1
		}
		defer rdb.Close()
		if key, err = store.New(rdb, store.Config{Prefix: s.get("REDIS_PREFIX", store.DefaultPrefix)}).LogKey(ctx); err != nil {
			fmt.Fprintln(stderr, "logid:", err)
			return 1
		}
	}
	p := pseudonyms{key: key}
	for _, a := range args {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			fmt.Fprintf(stderr, "logid: %q is not an id\n", a)
			return 2
		}
		fmt.Fprintf(stdout, "%d %s\n", id, p.of(id))
	}
	return 0
}

// pseudonyms keeps Telegram ids out of the logs: each becomes "p-" and ten
// hex digits of an HMAC under a key of the deployment's own (LOG_ID_KEY,
// or one kept in Redis), so that one person's lines can still be followed
// and found ("signpost logid ID"), but an id cannot be read back without
// the key. Group chats, whose ids are negative, are no person and stay.
type pseudonyms struct{ key []byte }

// idAttrs are the attributes that hold a person's id; textAttrs those
// whose text may hold one.
var (
	idAttrs   = map[string]bool{"user": true, "chat": true, "worker": true, "to": true, "from": true}
	textAttrs = map[string]bool{"id": true, "key": true, "run": true, "err": true, "user": true, "chat": true}
)

// idInText finds ids inside strings (a check-in's "ci:ID:instant", an
// error naming a user): runs of 5 to 12 digits, which Telegram's user ids
// are and Unix times in milliseconds are not.
var idInText = regexp.MustCompile(`(^|[^0-9-])([0-9]{5,12})($|[^0-9])`)

func (p pseudonyms) of(id int64) string {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(strconv.FormatInt(id, 10)))
	return "p-" + hex.EncodeToString(m.Sum(nil))[:10]
}

func (p pseudonyms) text(s string) string {
	ms := idInText.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		start, end := m[4], m[5] // the digits
		if hostPort.MatchString(s[:start]) {
			continue // a port, as in "dial tcp 127.0.0.1:45678"
		}
		id, _ := strconv.ParseInt(s[start:end], 10, 64)
		b.WriteString(s[last:start])
		b.WriteString(p.of(id))
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// hostPort matches text ending in a host and the colon before a port.
var hostPort = regexp.MustCompile(`([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+|\]|localhost|[a-z0-9-]+\.[a-z]{2,}):$`)

// attr rewrites one attribute.
func (p pseudonyms) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindInt64:
		if idAttrs[a.Key] && v.Int64() > 0 {
			return slog.String(a.Key, p.of(v.Int64()))
		}
	case slog.KindUint64:
		if idAttrs[a.Key] {
			return slog.String(a.Key, p.of(int64(v.Uint64())))
		}
	case slog.KindString:
		if textAttrs[a.Key] {
			return slog.String(a.Key, p.text(v.String()))
		}
	case slog.KindGroup:
		attrs := v.Group()
		out := make([]any, len(attrs))
		for i, g := range attrs {
			out[i] = p.attr(g)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok && textAttrs[a.Key] {
			return slog.String(a.Key, p.text(err.Error()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// pseudonymHandler applies pseudonyms to every attribute before the
// handler it wraps sees it.
type pseudonymHandler struct {
	p    pseudonyms
	next slog.Handler
}

func withPseudonyms(log *slog.Logger, key []byte) *slog.Logger {
	return slog.New(&pseudonymHandler{p: pseudonyms{key: key}, next: log.Handler()})
}

func (h *pseudonymHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *pseudonymHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.p.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *pseudonymHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = h.p.attr(a)
	}
	return &pseudonymHandler{p: h.p, next: h.next.WithAttrs(out)}
}

func (h *pseudonymHandler) WithGroup(name string) slog.Handler {
	return &pseudonymHandler{p: h.p, next: h.next.WithGroup(name)}
}
