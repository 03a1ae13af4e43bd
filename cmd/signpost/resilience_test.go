package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"signpost/internal/redistest"
	"signpost/internal/telegramtest"
)

// TestKilledAndRestarted runs the real binary, makes Telegram fail so that
// replies are committed but not delivered, kills the bot with SIGKILL, and
// starts it again: the committed replies arrive and the conversation goes on.
func TestKilledAndRestarted(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	_, prefix := redistest.Setup(t)
	env := append(env(redistest.URL()),
		"TELEGRAM_BOT_TOKEN="+tg.Token(),
		"TELEGRAM_API_URL="+tg.URL(),
		"REDIS_PREFIX="+prefix,
		"HTTP_ADDR=127.0.0.1:0",
		"DELIVERY_LEASE=1s",
		"SEND_TIMEOUT=500ms",
		"LOG_LEVEL=warn",
		"DEMO=1",
	)
	startBinary := func() *exec.Cmd {
		cmd := exec.Command(binary(t), "serve")
		cmd.Env = env
		var logs bytes.Buffer
		cmd.Stderr = &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
		})
		return cmd
	}
	first := startBinary()
	p := tg.NewPerson("Rae")
	p.Send("hello")
	expect(t, p, "Is it OK")
	press(t, tg, p, "Yes, that's OK")
	expect(t, p, "call you?")

	tg.FailNext("sendMessage", 1000, 500)
	p.Send("Rae")
	b := &bench{t: t, prefix: prefix}
	b.rdb, _ = redistest.Setup(t)
	waitUntil(t, func() bool {
		n, _ := b.rdb.LLen(context.Background(), fmt.Sprintf("%s:{u:%d}:outbox", prefix, p.User().ID)).Result()
		return n > 0 && b.session(p.User().ID).Node == "age"
	}, "the answer committed with its replies waiting")
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	tg.ClearFaults()

	startBinary()
	expect(t, p, "How old are you?") // committed before the kill, delivered after
	press(t, tg, p, "26 to 49")
	expect(t, p, "What matters to you most")
	if got := b.session(p.User().ID).Answers["name"]; got != "Rae" {
		t.Errorf("name = %q, want Rae", got)
	}
}

// Test429Storm runs several conversations against a Bot API that enforces
// Telegram's limits and also answers 429 on purpose: every message arrives,
// each retry_after is waited out, and the bot itself never trips a limit.
func Test429Storm(t *testing.T) {
	tg := telegramtest.NewServer(t, telegramtest.WithRateLimits(telegramtest.TelegramRateLimits()))
	startBot(t, tg, map[string]string{"SEND_RATE": "30", "CHAT_RATE": "1"})
	tg.TooManyRequests("sendMessage", 6, 1)
	people := make([]*telegramtest.Person, 4)
	for i := range people {
		people[i] = tg.NewPerson(fmt.Sprintf("P%d", i))
	}
	var wg sync.WaitGroup
	for _, p := range people {
		wg.Add(1)
		go func(p *telegramtest.Person) {
			defer wg.Done()
			p.Send("hello")
			p.Send("/help")
			p.Send("/privacy")
		}(p)
	}
	wg.Wait()
	for _, p := range people {
		// welcome, privacy, consent; help and the question again; privacy and the question again
		if _, err := p.WaitBotMessages(testCtx(t), 7); err != nil {
			t.Fatal(err)
		}
	}
	reqs := tg.Requests()
	last429 := map[int64]time.Time{}
	for _, r := range reqs {
		if r.Method != "sendMessage" {
			continue
		}
		if r.Status == 429 && !r.Fault {
			t.Errorf("the bot went over Telegram's limit for chat %d at %v", r.ChatID, r.At)
		}
		if at, ok := last429[r.ChatID]; ok {
			if r.At.Sub(at) < time.Second {
				t.Errorf("chat %d: sent again %v after a 429 asking for 1s", r.ChatID, r.At.Sub(at))
			}
			delete(last429, r.ChatID)
		}
		if r.Status == 429 {
			last429[r.ChatID] = r.At
		}
	}
	for _, p := range people {
		if n := telegramtest.MaxRate(tg.SendTimes(p.User().ID), time.Second); n > 4 {
			t.Errorf("chat %d got %d messages within a second; the limit is 1/s with bursts of 3", p.User().ID, n)
		}
	}
}

func TestSettingsNamedWhenWrong(t *testing.T) {
	t.Parallel()
	good := map[string]string{"TELEGRAM_BOT_TOKEN": telegramtest.DefaultToken, "LINKWORKER_CHAT_ID": "-1001234"}
	tests := []struct {
		name  string
		set   map[string]string
		unset string
		want  string
	}{
		{name: "no token", unset: "TELEGRAM_BOT_TOKEN", want: "TELEGRAM_BOT_TOKEN is not set"},
		{name: "bad token", set: map[string]string{"TELEGRAM_BOT_TOKEN": "abc"}, want: "TELEGRAM_BOT_TOKEN is malformed"},
		{name: "bad redis", set: map[string]string{"REDIS_URL": "mysql://x"}, want: "REDIS_URL is malformed"},
		{name: "webhook without secret", set: map[string]string{"WEBHOOK_URL": "https://bot.example.org"}, want: "WEBHOOK_SECRET is not set"},
		{name: "bad secret", set: map[string]string{"WEBHOOK_URL": "https://bot.example.org", "WEBHOOK_SECRET": "has space"}, want: "WEBHOOK_SECRET is malformed"},
		{name: "nowhere for referrals", unset: "LINKWORKER_CHAT_ID", want: "LINKWORKER_CHAT_ID is not set: referrals and urgent flags would reach nobody"},
		{name: "demo neither on nor off", set: map[string]string{"DEMO": "yes"}, want: "DEMO must be 1 or 0"},
		{name: "escalation without on-call", set: map[string]string{"ONCALL_ESCALATE_CHAT_ID": "-1009"}, want: "ONCALL_ESCALATE_CHAT_ID is set without ONCALL_CHAT_ID"},
		{name: "bad on-call chat", set: map[string]string{"ONCALL_CHAT_ID": "duty"}, want: "ONCALL_CHAT_ID must be a chat id"},
		{name: "bad acknowledgement time", set: map[string]string{"ONCALL_CHAT_ID": "42", "ONCALL_ACK_MINUTES": "0"}, want: "ONCALL_ACK_MINUTES"},
		{name: "bad group", set: map[string]string{"LINKWORKER_CHAT_ID": "12"}, want: "LINKWORKER_CHAT_ID must be a group's chat id"},
		{name: "bad worker ids", set: map[string]string{"LINKWORKER_IDS": "1,two"}, want: `LINKWORKER_IDS holds "two"`},
		{name: "bad rate", set: map[string]string{"SEND_RATE": "0"}, want: "SEND_RATE must be a number above 0"},
		{name: "bad zone", set: map[string]string{"TIMEZONE": "Mars/Olympus"}, want: "TIMEZONE is not a known time zone"},
		{name: "bad ttl", set: map[string]string{"SESSION_TTL": "forever"}, want: "SESSION_TTL must be a duration"},
		{name: "lease shorter than a call", set: map[string]string{"DELIVERY_LEASE": "15s"}, want: "DELIVERY_LEASE must be at least twice SEND_TIMEOUT (10s)"},
		{name: "bad send timeout", set: map[string]string{"SEND_TIMEOUT": "0"}, want: "SEND_TIMEOUT must be a duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range good {
				env[k] = v
			}
			for k, v := range tt.set {
				env[k] = v
			}
			delete(env, tt.unset)
			_, err := loadServeConfig(func(k string) string { return env[k] })
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %v, want one line starting %q", err, tt.want)
			}
		})
	}
	cfg, err := loadServeConfig(func(k string) string { return good[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.APIURL != "https://api.telegram.org" || cfg.Redis.URL != "redis://localhost:6379/0" || cfg.Location.String() != "Europe/London" {
		t.Errorf("defaults: %+v", cfg)
	}
}

func TestServeRefusesToStartWithOneLine(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(env(""), "TELEGRAM_BOT_TOKEN=")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("serve started without a token")
	}
	if got := strings.TrimSpace(string(out)); strings.Count(got, "\n") != 0 || !strings.Contains(got, "TELEGRAM_BOT_TOKEN") {
		t.Errorf("output %q, want one line naming TELEGRAM_BOT_TOKEN", got)
	}
	// Nowhere for referrals to go is a start-up error too.
	cmd = exec.Command(binary(t), "serve")
	cmd.Env = append(env(""), "TELEGRAM_BOT_TOKEN="+telegramtest.DefaultToken, "LINKWORKER_CHAT_ID=", "DEMO=")
	out, err = cmd.CombinedOutput()
	if err == nil {
		t.Fatal("serve started without LINKWORKER_CHAT_ID")
	}
	if got := strings.TrimSpace(string(out)); strings.Count(got, "\n") != 0 || !strings.Contains(got, "LINKWORKER_CHAT_ID is not set") {
		t.Errorf("output %q, want one line naming LINKWORKER_CHAT_ID", got)
	}
}

func TestLinkCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "poster.png")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"link", "--source", "gp_F86001", "--bot", "signpost_demo_bot", "--png", file}, strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if got := strings.TrimSpace(out.String()); got != "https://t.me/signpost_demo_bot?start=gp_F86001" {
		t.Errorf("link = %q", got)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("QR code is no PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("QR code is %v, want 512x512", b)
	}
	for _, bad := range [][]string{{"link", "--source", "gp F86001", "--bot", "signpost_demo_bot"}, {"link", "--source", strings.Repeat("x", 65), "--bot", "signpost_demo_bot"}} {
		if code := run(context.Background(), bad, strings.NewReader(""), &out, &errOut); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
	// With no name given, it asks the Bot API.
	tg := telegramtest.NewServer(t)
	t.Setenv("BOT_USERNAME", "")
	t.Setenv("TELEGRAM_BOT_TOKEN", tg.Token())
	t.Setenv("TELEGRAM_API_URL", tg.URL())
	out.Reset()
	if code := run(context.Background(), []string{"link", "--source", "pa"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if want := "https://t.me/" + tg.Bot().Username + "?start=pa"; strings.TrimSpace(out.String()) != want {
		t.Errorf("link = %q, want %q", out.String(), want)
	}
}

func TestTypingShownForSlowSteps(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	startBot(t, tg, map[string]string{"TYPING_AFTER": "1ns"})
	p := tg.NewPerson("Tia")
	typing := func() bool {
		for _, a := range p.ChatActions() {
			if a == "typing" {
				return true
			}
		}
		return false
	}
	// Each step races its indicator's timer; with a timer of a nanosecond
	// the indicator wins nearly always, and one of a few steps surely.
	p.Send("hello")
	expect(t, p, "Is it OK")
	for i := 0; i < 10 && !typing(); i++ {
		p.Send("/help")
		expect(t, p, "Is it OK")
	}
	waitUntil(t, typing, "typing shown")
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	b := startBot(t, tg, nil)
	p := tg.NewPerson("Mo")
	p.Send("hello")
	expect(t, p, "Is it OK")
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + b.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz %d", code)
	}
	if code, body := get("/readyz"); code != 200 {
		t.Errorf("/readyz %d %s", code, body)
	}
	code, body := get("/metrics")
	if code != 200 {
		t.Fatalf("/metrics %d", code)
	}
	for _, want := range []string{`signpost_updates_total{kind="text"} 1`, `signpost_sends_total{method="sendMessage",result="ok"} 3`, "signpost_step_seconds_count 1", "signpost_blocked_people 0", "signpost_telegram_429_total 0"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "hello") {
		t.Error("/metrics holds what a person wrote")
	}
	if strings.Contains(b.logs.String(), `"hello"`) || strings.Contains(b.logs.String(), tg.Token()) {
		t.Error("the logs hold message text or the token")
	}
}
