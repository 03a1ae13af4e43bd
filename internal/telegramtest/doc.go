// Package telegramtest is a Telegram Bot API server that runs inside a test,
// a benchmark or a demo, so the bot can be exercised end to end without the
// network or a real account.
//
// The bot side speaks HTTP as api.telegram.org does: POST (or GET) to
// /bot{token}/{method} with a multipart, JSON or URL-encoded body, answered
// with {"ok":true,"result":...} or Telegram's error shape. Every request is
// checked against the embedded Bot API description (spec/, see its
// NOTICE.md): a parameter the method does not have, or a missing required
// one, is refused with 400 as a typo would be refused in production. The
// methods the bot uses are implemented with Telegram's limits and
// descriptions: getMe, getUpdates (long polling, offsets, 409 on a second
// poller), setWebhook/deleteWebhook/getWebhookInfo (delivery with the secret
// header and retries), setMyCommands/getMyCommands/deleteMyCommands,
// sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage,
// sendChatAction, answerCallbackQuery, getChatMember and leaveChat.
//
// The user side is Go: NewPerson and NewGroup make people and chats; a
// Person sends text, commands, media, edits and forwards, presses inline
// buttons and blocks the bot; Transcript and WaitFor read what a chat shows
// after edits. Faults on demand (AddFault, TooManyRequests, FailNext,
// DelayNext, DropNext) and optional rate limits (RateLimits) make the
// server misbehave as Telegram sometimes does, and Requests and SendTimes
// record what the bot did so a test can check it waited and kept its rate.
//
// A typical test:
//
//	srv := telegramtest.NewServer(t)
//	b, _ := bot.New(srv.Token(), bot.WithServerURL(srv.URL()), ...)
//	go b.Start(ctx)
//	alice := srv.NewPerson("Alice")
//	alice.Send("/start gp_F86001")
//	msgs, err := alice.WaitBotMessages(ctx, 1)
//
// Where Telegram is vaguer than a test can be (how long a callback query
// may wait for its answer, when a burst becomes a flood) the server picks a
// documented default that Config can change.
package telegramtest
