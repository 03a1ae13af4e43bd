package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"signpost/bot"
)

// sourcePattern is what Telegram allows in a /start deep-link payload.
var sourcePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// botNamePattern is a Telegram bot username.
var botNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{3,31}$`)

// runLink implements "signpost link": the deep link and QR code a referrer
// hands out, which start the bot with the referral source filled in.
func runLink(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("link", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", "", "where people come from, such as gp_F86001 (a GP practice code), pa or qr_library")
	png := fs.String("png", "", "write the link as a QR code PNG to this file")
	size := fs.Int("size", 512, "the QR code's width in pixels")
	name := fs.String("bot", os.Getenv("BOT_USERNAME"), "the bot's username; default BOT_USERNAME, else asked of Telegram")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if !sourcePattern.MatchString(*source) {
		fmt.Fprintln(stderr, "link: --source must be 1-64 letters, digits, _ or - (Telegram's rule for /start links), such as gp_F86001")
		return 2
	}
	username := *name
	if username == "" {
		var err error
		if username, err = askUsername(ctx); err != nil {
			fmt.Fprintln(stderr, "link:", err)
			return 1
		}
	}
	if !botNamePattern.MatchString(username) {
		fmt.Fprintf(stderr, "link: %q is not a bot username\n", username)
		return 2
	}
	link := "https://t.me/" + username + "?start=" + *source
	fmt.Fprintln(stdout, link)
	if *png != "" {
		if err := qrcode.WriteFile(link, qrcode.Medium, *size, *png); err != nil {
			fmt.Fprintln(stderr, "link: write QR code:", err)
			return 1
		}
		fmt.Fprintf(stderr, "QR code written to %s\n", *png)
	}
	return 0
}

// askUsername asks the Bot API for the bot's username, with the serve settings.
func askUsername(ctx context.Context) (string, error) {
	token, api := os.Getenv("TELEGRAM_BOT_TOKEN"), os.Getenv("TELEGRAM_API_URL")
	if token == "" {
		return "", errNoBotName
	}
	b, err := bot.New(bot.Config{Token: token, APIURL: api}, nil, nil, nil)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return b.Username(ctx)
}
