// Command echo is the baseline of the load benchmark: a bare go-telegram/bot
// webhook bot that answers every text message with one sendMessage carrying
// the same text, and does nothing else. No storage, no limits, no retries:
// what a Telegram bot costs on this machine before any of signpost's work.
//
// It reads the same settings as "signpost serve" where they overlap:
// TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL, HTTP_ADDR, WEBHOOK_URL and
// WEBHOOK_SECRET. Updates arrive at HTTP_ADDR on /telegram/webhook; /healthz
// answers once it listens. It stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// webhookPath is where updates arrive, as in signpost.
const webhookPath = "/telegram/webhook"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
}

func run() error {
	get := func(name string) (string, error) {
		v := strings.TrimSpace(os.Getenv(name))
		if v == "" {
			return "", fmt.Errorf("%s is not set", name)
		}
		return v, nil
	}
	var token, api, addr, hook, secret string
	for _, s := range []struct {
		name string
		dst  *string
	}{{"TELEGRAM_BOT_TOKEN", &token}, {"TELEGRAM_API_URL", &api}, {"HTTP_ADDR", &addr}, {"WEBHOOK_URL", &hook}, {"WEBHOOK_SECRET", &secret}} {
		v, err := get(s.name)
		if err != nil {
			return err
		}
		*s.dst = v
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	b, err := bot.New(token,
		bot.WithServerURL(api),
		bot.WithSkipGetMe(),
		bot.WithWebhookSecretToken(secret),
		bot.WithDefaultHandler(reply),
		bot.WithErrorsHandler(func(err error) { fmt.Fprintln(os.Stderr, "echo: telegram:", hide(err, token)) }),
	)
	if err != nil {
		return err
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.Handle(webhookPath, b.WebhookHandler())
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)

	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{
		URL:         strings.TrimRight(hook, "/") + webhookPath,
		SecretToken: secret,
	}); err != nil {
		return fmt.Errorf("set webhook: %s", hide(err, token))
	}
	b.StartWebhook(ctx) // returns when ctx ends

	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutCtx)
}

// reply echoes a text message back to its chat.
func reply(ctx context.Context, b *bot.Bot, u *models.Update) {
	if u.Message == nil || u.Message.Text == "" {
		return
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: u.Message.Text}); err != nil {
		fmt.Fprintln(os.Stderr, "echo: send:", hide(err, b.Token()))
	}
}

// hide keeps the bot token out of a logged error; request URLs carry it.
func hide(err error, token string) string {
	return strings.ReplaceAll(err.Error(), token, "<token>")
}
