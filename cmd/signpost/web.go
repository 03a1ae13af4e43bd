package main

import (
	"context"
	"log/slog"
	"time"

	"signpost/bot"
	"signpost/flows"
	"signpost/service"
	"signpost/store"
	"signpost/webchat"
)

// newWebChat builds the web chat of serve on the same runner, store and
// service as the bot. The bot's @username, for the links that carry a
// visitor on to Telegram, is BOT_USERNAME or else asked of Telegram.
func newWebChat(ctx context.Context, cfg *serveConfig, st *store.Store, runner *flows.Runner, svc *service.Service, b *bot.Bot, log *slog.Logger) (*webchat.Server, error) {
	secret, err := st.Secret(ctx, "web")
	if err != nil {
		return nil, err
	}
	name := cfg.Web.BotUsername
	if name == "" {
		askCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		name, err = b.Username(askCtx)
		cancel()
		if err != nil {
			log.Warn("the bot's username is unknown, so the web chat cannot offer weekly messages in Telegram; set BOT_USERNAME", "err", err)
		}
	}
	return webchat.New(webchat.Config{
		Secret:         secret,
		Name:           cfg.Web.Name,
		Colour:         cfg.Web.Colour,
		PrivacyURL:     cfg.Web.PrivacyURL,
		PublicURL:      cfg.Web.PublicURL,
		FrameAncestors: cfg.Web.EmbedOrigins,
		BotUsername:    name,
		TrustedProxies: cfg.Web.TrustedProxies,
		PerIP:          cfg.Web.PerIP,
		PerVisitor:     cfg.Web.PerVisitor,
		CodeTTL:        cfg.SessionTTL,
		Lease:          cfg.DeliveryLease,
		Person:         svc.WebPerson,
		Receipt:        svc.WebReceipt,
		Logger:         log,
	}, runner, st, svc.Effects())
}
