package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"signpost/store"
)

// newPseudonymsFor gives the pseudonyms a running serve uses.
func newPseudonymsFor(t *testing.T, b *bench) pseudonyms {
	t.Helper()
	key, err := store.New(b.rdb, store.Config{Prefix: b.prefix}).LogKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return pseudonyms{key: key}
}

func TestPseudonymsInLogs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := withPseudonyms(slog.New(slog.NewJSONHandler(&buf, nil)), []byte("k"))
	p := pseudonyms{key: []byte("k")}
	log.With("chat", int64(123456789)).Info("sent",
		"user", int64(987654321), "worker", 555666777, "group", int64(-1009999999999), "chat2", int64(42),
		"id", "ci:987654321:1767225600000", "err", errors.New("commit 987654321: refused"),
		"http", "127.0.0.1:45678", slog.Group("g", "user", int64(111222333)))
	log.Warn("load", "err", errors.New("load session 987654321: dial tcp 127.0.0.1:45678: refused"))
	got := buf.String()
	for _, leak := range []string{"123456789", "987654321", "555666777", "111222333"} {
		if strings.Contains(got, leak) {
			t.Errorf("an id is in the log: %s", got)
		}
	}
	for _, want := range []string{
		`"chat":"` + p.of(123456789) + `"`, `"user":"` + p.of(987654321) + `"`, `"worker":"` + p.of(555666777) + `"`,
		`"group":-1009999999999`, `"id":"ci:` + p.of(987654321) + `:1767225600000"`, `"err":"commit ` + p.of(987654321) + `: refused"`,
		`"http":"127.0.0.1:45678"`, `"err":"load session ` + p.of(987654321) + `: dial tcp 127.0.0.1:45678: refused"`, `"g":{"user":"` + p.of(111222333) + `"}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %s:\n%s", want, got)
		}
	}
	if p.of(1) == (pseudonyms{key: []byte("other")}).of(1) {
		t.Error("two deployments' keys give the same pseudonym")
	}
}
