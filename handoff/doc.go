// Package handoff is casework: it turns a finished conversation, crisis words
// or a worrying check-in into a referral that a real person takes, routes it
// to the link workers or the leaving-care team, and keeps the caseload —
// claim, notes, messages between the worker and the person with their
// delivery, reassignment, reminders, close with an outcome, follow-up,
// erasure on request, who may see which team's cases, the audit trail of
// every view and action, and the anonymous figures commissioners read.
//
// Every operation returns what must be shown or sent (Notices), as
// flows.Step returns its outbox: the bot turns them into Telegram messages,
// the console into pages, and a message to the person goes through their own
// outbox whatever their channel. It knows nothing of Telegram, the web or
// Redis; storage is the Store interface declared here and implemented by
// package store.
//
// Choices worth knowing:
//
//   - A referral's reference comes from the conversation run (flows.Ref), so
//     every repeat of the run's effect names the same referral. If that
//     reference already belongs to another run, the next candidate is derived
//     from the effect's key and an attempt number: deterministic, so two
//     repeats of one effect racing each other still agree on one referral.
//   - The stored referral is the truth; queues, worker lists and the reminder
//     schedule are indexes the store keeps beside it and readers check
//     against it. Every change to a referral is one compare-and-set, so two
//     link workers pressing Claim at once cannot both win.
//   - Working time is Monday to Friday, 09:00 to 17:00 in Config.Location
//     (Europe/London by default). Bank holidays are not known here.
//   - Forget keeps an anonymous record of each referral (team, needs,
//     source, care-leaver flag, urgency, outcome, times) so the figures stay
//     whole, and removes everything that is the person's: their chat id,
//     name, age, answers, what they wrote, contact details, and the text of
//     every note and message in the history. It must run before the person's
//     own keys are erased, because it finds their referrals through an index
//     kept with those keys; if that index is already gone it falls back to
//     checking the owner of every referral, which is slower but complete.
package handoff
