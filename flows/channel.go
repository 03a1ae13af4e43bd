package flows

// Channels a person reaches signpost through.
const (
	ChannelTelegram = "telegram"
	ChannelWeb      = "web"
)

// WebUserMin is the first id of a web chat visitor. A visitor is a person
// like any other to flows, the store and handoff: one id, a session and an
// outbox under their own keys, the same compare-and-set and outbox rules.
// They are told apart from Telegram people by the id alone, with no lookup:
// Telegram gives users ids of at most 52 significant bits and groups negative
// ids, so everything from 2^62 up is free for the web. The ids are never
// handed to a browser (a visitor is known by a random cookie) nor to a Lua
// number or a sorted-set score, where 62 bits would not survive.
const WebUserMin int64 = 1 << 62

// IsWeb reports whether user is a web chat visitor: someone whose outbox is
// shown on a page by the web chat, and must never be sent to Telegram.
func IsWeb(user int64) bool { return user >= WebUserMin }

// ChannelOf is the channel person user talks through.
func ChannelOf(user int64) string {
	if IsWeb(user) {
		return ChannelWeb
	}
	return ChannelTelegram
}
