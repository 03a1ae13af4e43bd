package store

import (
	"regexp"
	"strconv"
)

// Keys of referrals and the link workers' caseload.
//
// A referral's own keys carry the tag {r:REF}, not the person's {u:ID}: they
// must outlive the person's erasure as an anonymous record, and the store's
// erasure deletes everything under the person's tag. The person's index of
// their referrals is under their tag, so it goes with them.
//
// The caseload indexes (queues, held lists, the reminder schedule, every
// referral by creation, cards, effects applied) share the tag {handoff}: they
// are written together after a referral changes, and the reminder schedule is
// taken with WATCH on one key.

// refPattern is what a reference looks like. A reference is checked before it
// goes into a key, so that text typed after /case cannot name another key or
// move a key to another hash tag.
var refPattern = regexp.MustCompile(`^R-[0-9A-Z]{4,8}$`)

func validRef(ref string) bool { return refPattern.MatchString(ref) }

// referral is a HASH of the referral's fields (see encodeReferral). It never
// expires; Forget strips it to its anonymous fields.
func (k keyspace) referral(ref string) string { return k.prefix + ":{r:" + ref + "}:referral" }

// referralHistory is a LIST of JSON events, oldest first.
func (k keyspace) referralHistory(ref string) string { return k.prefix + ":{r:" + ref + "}:history" }

// personReferrals is a ZSET of the person's references scored by creation,
// Unix milliseconds. It has no expiry of its own and is deleted with the
// person's other keys.
func (k keyspace) personReferrals(user int64) string { return k.person(user) + "referrals" }

// caseload is the part common to the caseload indexes.
func (k keyspace) caseload() string { return k.prefix + ":{handoff}:" }

// queue is a ZSET of a team's unclaimed references scored by creation, Unix ms.
func (k keyspace) queue(team string) string { return k.caseload() + "queue:" + team }

// held is a ZSET of the references a worker holds, scored by claim, Unix ms.
func (k keyspace) held(worker int64) string {
	return k.caseload() + "held:" + strconv.FormatInt(worker, 10)
}

// reminders is a ZSET of unclaimed references scored by their next reminder, Unix ms.
func (k keyspace) reminders() string { return k.caseload() + "reminders" }

// followUps is a ZSET of the references whose follow-up or its reminder is
// due, scored by when (the referral's FollowUpNext), Unix ms; a reference
// taken to be asked is scored at the end of its lease meanwhile.
func (k keyspace) followUps() string { return k.caseload() + "followups" }

// allReferrals is a ZSET of every reference scored by creation, Unix ms, for
// the figures. It holds references only, nothing of any person.
func (k keyspace) allReferrals() string { return k.caseload() + "all" }

// card is a STRING: the reference a card message in a group shows.
func (k keyspace) card(chat, message int64) string {
	return k.caseload() + "card:" + strconv.FormatInt(chat, 10) + ":" + strconv.FormatInt(message, 10)
}

// effect is a STRING: the reference an effect was applied to. It expires
// after effectTTL, long after any repeat of the effect could arrive.
func (k keyspace) effect(key string) string { return k.caseload() + "effect:" + key }

// referralPosts is a LIST of JSON posts, oldest first: every message shown
// about the referral in a team's group or a worker's private chat, so that
// the person's erasure can take them down. It holds chat and message ids and
// times, nothing of the person.
func (k keyspace) referralPosts(ref string) string { return k.prefix + ":{r:" + ref + "}:posts" }

// referralAudit is a LIST of JSON audit entries, oldest first: who viewed
// or acted on the case, when and how. It holds nothing of the person, so it
// outlives their erasure.
func (k keyspace) referralAudit(ref string) string { return k.prefix + ":{r:" + ref + "}:audit" }

// open is a HASH of a team's open referrals: field the reference, value its
// summary (encodeSummary), so that a queue of thousands is one HGETALL. It
// holds the name and postcode district of open cases only; a referral closed
// or erased leaves it.
func (k keyspace) open(team string) string { return k.caseload() + "open:" + team }

// openOrder is a ZSET of a team's open referrals scored by priority, then
// creation (SummaryScore), so that the first page of a queue of thousands,
// most pressing first, is read without reading the rest.
func (k keyspace) openOrder(team string) string { return k.caseload() + "openorder:" + team }

// workers is a HASH of the workers seen: field the Telegram user id, value
// a JSON KnownWorker.
func (k keyspace) workers() string { return k.caseload() + "workers" }

// handles is a HASH of @usernames, lower case and without the @, to the
// worker's Telegram user id.
func (k keyspace) handles() string { return k.caseload() + "handles" }
