package store

import (
	"strconv"
	"strings"
)

// keyspace builds every Redis key the store uses; no other file spells a key.
//
// Keys of one person share the hash tag {u:ID}, so that one Lua script may
// touch all of them on Redis Cluster, and so that a SCAN for
// "<prefix>:{u:ID}:*" finds every key of the person, including keys that other
// features add later under the same tag.
type keyspace struct {
	prefix string
}

// person is the part common to all keys of one person: "<prefix>:{u:ID}:".
func (k keyspace) person(user int64) string {
	return k.prefix + ":{u:" + strconv.FormatInt(user, 10) + "}:"
}

// session is a STRING: "<version>:<encoded session>". The version rides in
// the value, not in a HASH field beside it, because a HASH whose data is longer
// than 64 bytes leaves the compact listpack encoding and costs about 180 bytes
// more per person. Expires after the idle TTL.
func (k keyspace) session(user int64) string { return k.person(user) + "session" }

// outbox is a LIST of encoded outbox entries, oldest first, appended by
// Commit and trimmed from the head by Ack. Expires after the idle TTL.
func (k keyspace) outbox(user int64) string { return k.person(user) + "outbox" }

// seen is a ZSET of the update ids applied recently: member the update id in
// decimal, score the Unix time in milliseconds when it was applied. Entries
// older than the dedupe window are dropped; the key expires one window after
// the last commit that carried an update id.
func (k keyspace) seen(user int64) string { return k.person(user) + "seen" }

// once is a ZSET of the ids of entries put in the chat's outbox that must
// go there once only however often they are put (a casework notice that a
// repeated update puts again): member the id, score the Unix time in
// milliseconds when it was put. Ids older than the dedupe window are
// dropped; the key expires a window after the last.
func (k keyspace) once(chat int64) string { return k.person(chat) + "once" }

// profile is a HASH of what the person chose to tell about themselves
// (field → value). Expires after the idle TTL.
func (k keyspace) profile(user int64) string { return k.person(user) + "profile" }

// personPattern is the SCAN MATCH pattern of every key of the person.
func (k keyspace) personPattern(user int64) string {
	return globEscape(k.prefix) + ":{u:" + strconv.FormatInt(user, 10) + "}:*"
}

// content is a STRING holding one content bundle, named by its version. It
// never expires: a session pinned to a version must be able to finish on it.
// It carries no person's tag and is only ever used alone.
func (k keyspace) content(version string) string { return k.prefix + ":content:" + version }

// globEscape quotes the characters that are special in a Redis MATCH pattern,
// so that an unusual prefix cannot widen a SCAN to other people's keys.
func globEscape(s string) string {
	if !strings.ContainsAny(s, `*?[]\^`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\', '^':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lease is a STRING naming the sender that is delivering the person's
// outbox, with a short expiry, so that one replica at a time sends a person's
// messages and their order holds.
func (k keyspace) lease(user int64) string { return k.person(user) + "lease" }

// render is a HASH of what the sender needs to edit the last question it
// showed the person: q (question node), m (message id), t (its text).
// Expires after the idle TTL.
func (k keyspace) render(user int64) string { return k.person(user) + "render" }

// chatRate is a STRING: the theoretical arrival time, in Unix milliseconds,
// of the next message to a chat under the per-chat rate limit (GCRA). It
// holds nothing about the person, expires within seconds of the last
// message, and so stays out of the person's keys: a goodbye after /forget
// leaves nothing of them behind.
func (k keyspace) chatRate(chat int64) string {
	return k.prefix + ":rate:c" + strconv.FormatInt(chat, 10)
}

// rate is a STRING like chatRate for a limit that is not a person's: the
// bot's overall sending rate, or one group's.
func (k keyspace) rate(name string) string { return k.prefix + ":rate:" + name }

// blocked is a SET of the ids of people who blocked the bot, for the count a
// commissioner and the metrics see; the person's own flag is in their profile.
func (k keyspace) blocked() string { return k.prefix + ":blocked" }

// update is a STRING remembering for a day an update that concerns no
// person's session (a link workers' group message, a membership change).
func (k keyspace) update(id int64) string { return k.prefix + ":upd:" + strconv.FormatInt(id, 10) }

// pending is a ZSET indexing the outboxes that may hold entries: member a
// chat's id in decimal, score the Redis time, in Unix milliseconds, when
// entries were last added. The sweep reads it instead of the keyspace. It
// lives in one slot of its own, apart from the outboxes it indexes, so it
// is written beside them rather than with them (see Commit and Unindex).
func (k keyspace) pending() string { return k.prefix + ":pending" }

// webPending is a ZSET like pending for web visitors' outboxes, which the
// web chat delivers and sweeps itself.
func (k keyspace) webPending() string { return k.prefix + ":pending:web" }

// limit is a STRING like rate for a limit on requests to the web pages: the
// theoretical arrival time of the next request under it, in Unix
// milliseconds. name holds no personal data (a pseudonym of an address or a
// visitor); the key expires once the limit has nothing left to remember.
func (k keyspace) limit(name string) string { return k.prefix + ":rl:" + name }

// secret is a STRING of random bytes shared by every replica, named for what
// it keys (CSRF tokens, pseudonyms). It never expires.
func (k keyspace) secret(name string) string { return k.prefix + ":secret:" + name }

// transcript is a LIST of a web visitor's conversation as their page shows
// it, one JSON line an entry, oldest first, capped in length. Written with
// the acknowledgement of the outbox entries it shows; expires after the
// idle TTL and goes with the visitor.
func (k keyspace) transcript(user int64) string { return k.person(user) + "web" }

// webWake is the Pub/Sub channel that tells every replica a web visitor's
// page has news; messages are the visitor's id.
func (k keyspace) webWake() string { return k.prefix + ":web:wake" }

// webCode is a STRING: the cookie token of the web visitor a resume code
// names. It lives outside the visitor's tag (it is looked up by code), so
// the visitor's render hash points to it and an erasure removes it.
func (k keyspace) webCode(code string) string { return k.prefix + ":web:code:" + code }

// webBind is a STRING: the web visitor (decimal id) a one-time link to
// Telegram was made for. Used once; pointed to like webCode.
func (k keyspace) webBind(token string) string { return k.prefix + ":web:bind:" + token }

// logKey is a STRING: the deployment's key for the pseudonyms of people's
// ids in the logs, made once by the first replica to start.
func (k keyspace) logKey() string { return k.prefix + ":logkey" }

// schema is a STRING: the version of the layout of the data under the
// prefix (see SchemaVersion); schemaLock a STRING held by the replica
// migrating it.
func (k keyspace) schema() string     { return k.prefix + ":schema" }
func (k keyspace) schemaLock() string { return k.prefix + ":schema:lock" }

// outboxPattern is the SCAN MATCH pattern of every person's outbox, for
// the migration that indexes them.
func (k keyspace) outboxPattern() string { return globEscape(k.prefix) + ":{u:*}:outbox" }

// movedChats is a HASH of the groups Telegram upgraded to supergroups: field
// the old chat id in decimal, value the new one. Cards for the old id go to
// the new one, after a restart too. It holds no person's data and never
// expires.
func (k keyspace) movedChats() string { return k.prefix + ":chats:moved" }
