// Cards and notices for link workers, in their groups and private chats:
// everything goes out through the outbox and the one sender.

package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"

	"signpost/flows"
	"signpost/handoff"
	"signpost/internal/roundtrip"
)

// takeDownAge is how old a message may be for the bot to delete it: Telegram
// lets a bot delete its own messages for 48 hours. A little is kept in hand
// for the time the delete waits in the outbox; an older one is redrawn.
const takeDownAge = 47 * time.Hour

// enqueue hands entries for chat to the outbox and has them delivered;
// while Render gathers what a casework operation calls for, to its batch.
func (lw *LinkWorkers) enqueue(ctx context.Context, chat int64, outs ...flows.Out) error {
	return lw.enqueueOnce(ctx, chat, "", outs...)
}

// enqueueOnce is enqueue of entries that reach chat once however often
// they are put, under the once id once (with the entry's place after it
// when there are several), or enqueue when once is "".
func (lw *LinkWorkers) enqueueOnce(ctx context.Context, chat int64, once string, outs ...flows.Out) error {
	if chat == 0 {
		return nil
	}
	entries := make([][]byte, 0, len(outs))
	ptrs := make([]*flows.Out, len(outs))
	var ids []string
	for i := range outs {
		raw, err := flows.EncodeOut(&outs[i])
		if err != nil {
			return err
		}
		entries = append(entries, raw)
		ptrs[i] = &outs[i]
		if once != "" {
			id := once
			if len(outs) > 1 {
				id += "." + strconv.Itoa(i)
			}
			ids = append(ids, id)
		}
	}
	if once == "" {
		ids = make([]string, len(entries))
	}
	if b, ok := ctx.Value(batchKey{}).(*noticeBatch); ok {
		b.add(chat, entries, ids, sends(ptrs))
		return nil
	}
	return lw.b.put(ctx, []int64{chat}, [][][]byte{entries}, [][]string{ids}, []int{sends(ptrs)})
}

// noticeBatch is what one Render puts in the outboxes: written at the end, every
// chat's entries in one round trip, and only then are the deliveries woken.
type noticeBatch struct {
	chats   []int64
	entries [][][]byte
	once    [][]string // the once id of each entry, "" for none
	sends   []int      // the sending slots each chat's entries take
}

type batchKey struct{}

func (b *noticeBatch) add(chat int64, entries [][]byte, once []string, n int) {
	for i, c := range b.chats {
		if c == chat {
			b.entries[i] = append(b.entries[i], entries...)
			b.once[i] = append(b.once[i], once...)
			b.sends[i] += n
			return
		}
	}
	b.chats = append(b.chats, chat)
	b.entries = append(b.entries, entries)
	b.once = append(b.once, once)
	b.sends = append(b.sends, n)
}

// flush writes the batch and has it delivered.
func (lw *LinkWorkers) flush(ctx context.Context, b *noticeBatch) error {
	if len(b.chats) == 0 {
		return nil
	}
	return lw.b.put(ctx, b.chats, b.entries, b.once, b.sends)
}

// Gather returns a context in which Render and ToPerson gather what they
// put in outboxes rather than writing it, and the function that writes it
// all in one round trip and has it delivered. Within an existing
// gathering, both are that one's.
func (lw *LinkWorkers) Gather(ctx context.Context) (context.Context, func() error) {
	if _, ok := ctx.Value(batchKey{}).(*noticeBatch); ok {
		return ctx, func() error { return nil }
	}
	b := &noticeBatch{}
	return context.WithValue(ctx, batchKey{}, b), func() error { return lw.flush(ctx, b) }
}

// ToPerson puts o in a person's outbox in Telegram and has it delivered
// (gathered, in a Gather context).
func (lw *LinkWorkers) ToPerson(ctx context.Context, user int64, o flows.Out) error {
	return lw.enqueue(ctx, user, o)
}

// put writes entries[i] to chats[i]'s outbox, all in one round trip, and
// has them delivered. The outbox of a person or of a worker's private chat
// is leased in that round trip, with its sending slots booked, and handed
// to a delivery at once, as a step's commit does; a group's slots are
// booked in that round trip too. A group whose next slot this replica
// expects to be free now is leased in it as well, and delivered from there
// if its first slot is indeed now; any other group's sender is woken to
// wait for its slots before it leases the outbox (see handOffGroup).
//
// once[i][k], when not "", puts entries[i][k] once however often it is put
// (see store.EnqueueClaim); once may be nil.
func (b *Bot) put(ctx context.Context, chats []int64, entries [][][]byte, once [][]string, sends []int) error {
	owner := b.sender.inlineOwner()
	leases := make([]flows.Lease, len(chats))
	paired := make([]bool, len(chats))
	for i, chat := range chats {
		switch {
		case !b.sender.started.Load():
			// Not delivering yet (a command, or before the start): the
			// entries wait in the outbox for the sender's first sweep.
		case chat < 0 && b.pairable(entries[i]):
			// A card's edit and the message after it: booked as a pair,
			// whose slot is never now (see keepPair).
			if !slices.Contains(paired, true) {
				sends = slices.Clone(sends)
			}
			paired[i], sends[i] = true, pairSlots
			leases[i] = flows.Lease{Book: b.groupSlots}
		case chat > 0 && !flows.IsWeb(chat):
			leases[i] = flows.Lease{Owner: owner, TTL: b.cfg.Lease, Max: batch, Book: b.slots}
		case chat < 0 && b.sender.groupFree(chat):
			leases[i] = flows.Lease{Owner: owner, TTL: b.cfg.Lease, Max: 1, Book: b.groupSlots}
		case chat < 0:
			leases[i] = flows.Lease{Book: b.groupSlots} // booked, not leased
		}
	}
	// Within an update or a delivery, the write goes with the work's next
	// round trip (the commit, an acknowledgement), before it.
	if b.outbox.EnqueueClaimLater(ctx, chats, entries, leases, sends, once, func(claimed []flows.Claimed, since time.Time, err error) {
		if err != nil {
			b.heldFailed(ctx, err)
			return
		}
		b.handOffPut(ctx, chats, entries, owner, leases, paired, claimed, since)
	}) {
		return nil
	}
	since := time.Now()
	claimed, err := b.outbox.EnqueueClaim(ctx, chats, entries, leases, sends, once)
	if err != nil {
		return err
	}
	b.handOffPut(ctx, chats, entries, owner, leases, paired, claimed, since)
	return nil
}

// heldFailed deals with a write of outboxes that went with a later round
// trip of the work and failed. In a delivery's effect, the effect is put
// back at the end of the person's outbox, to run again (it was
// acknowledged with the same round trip); in an update, the update fails,
// and Telegram sends it again.
func (b *Bot) heldFailed(ctx context.Context, err error) {
	if e, ok := ctx.Value(effectKey{}).(*effectInHand); ok {
		raw, merr := flows.EncodeOut(&e.out)
		if merr == nil {
			merr = b.outbox.Enqueue(roundtrip.WithWork(context.WithoutCancel(ctx), nil), e.chat, [][]byte{raw})
		}
		if merr != nil {
			b.log.Error("an effect's notices were not written and the effect could not be put back", "chat", e.chat, "effect", e.out.Effect.Kind, "key", e.out.Effect.Key, "err", err, "put_back", merr)
			return
		}
		b.log.Warn("an effect's notices were not written; the effect runs again", "chat", e.chat, "effect", e.out.Effect.Kind, "key", e.out.Effect.Key, "err", err)
		b.sender.notify(e.chat)
		return
	}
	b.log.Warn("write of outboxes held for the next round trip", "err", err)
	roundtrip.Of(ctx).Fail(err)
}

// effectKey holds, in the context of an effect being run by a delivery, the
// effect and its chat (see heldFailed).
type effectKey struct{}

type effectInHand struct {
	chat int64
	out  flows.Out
}

// handOffPut hands what put wrote to deliveries.
func (b *Bot) handOffPut(ctx context.Context, chats []int64, entries [][][]byte, owner string, leases []flows.Lease, paired []bool, claimed []flows.Claimed, since time.Time) {
	for i, chat := range chats {
		b.sender.hintCards(chat, entries[i])
	}
	for i, chat := range chats {
		if chat < 0 {
			b.sender.bookedGroup(chat, claimed[i].Booked)
		}
		if paired[i] {
			b.sender.keepPair(chat, claimed[i].Booked)
			b.sender.notify(chat)
			continue
		}
		if leases[i].Owner == "" || len(entries[i]) == 0 {
			b.sender.keepSlots(chat, claimed[i].Booked) // a group's
			b.sender.notify(chat)
			continue
		}
		if chat < 0 {
			b.sender.handOffGroup(ctx, chat, owner, since, claimed[i])
			continue
		}
		if !claimed[i].OK {
			// The delivery holding the outbox sends these too: it may
			// take their slots rather than book its own.
			b.sender.keepSlots(chat, claimed[i].Booked)
		}
		b.sender.handOff(chat, owner, since, claimed[i], nil)
	}
}

// entryID is unique for an entry made now.
func entryID(kind, ref string) string {
	return fmt.Sprintf("lw.%s.%s.%d", kind, ref, time.Now().UnixNano())
}

// say sends text to chat, a group or a worker's private chat, as a reply to
// message reply when it is not zero. ref names the referral it is about, if
// any, so that the person's erasure can take it down.
func (lw *LinkWorkers) say(ctx context.Context, chat int64, reply int, ref, text string) error {
	return lw.sayOnce(ctx, chat, reply, ref, text, "")
}

// sayOnce is say of a message that reaches chat once however often it is
// said under the once id once ("": say).
func (lw *LinkWorkers) sayOnce(ctx context.Context, chat int64, reply int, ref, text, once string) error {
	node := ""
	if reply != 0 {
		node = strconv.Itoa(reply)
	}
	return lw.enqueueOnce(ctx, chat, once, flows.Out{ID: entryID(outReply, ref), Kind: outReply, Node: node, Text: text, Ref: ref})
}

// Render shows in Telegram what a casework operation asked the team and its
// workers to see. Messages to the person are not its business: they go
// through the person's own outbox (LinkWorkersConfig.Deliver).
func (lw *LinkWorkers) Render(ctx context.Context, ns handoff.Notices) error {
	if _, ok := ctx.Value(batchKey{}).(*noticeBatch); !ok {
		b := &noticeBatch{}
		if err := lw.Render(context.WithValue(ctx, batchKey{}, b), ns); err != nil {
			return err
		}
		return lw.flush(ctx, b)
	}
	for _, n := range ns {
		var err error
		switch n.Kind {
		case handoff.NoticeCard:
			err = lw.showCard(ctx, n.Ref, n.Team)
		case handoff.NoticeRepost:
			err = lw.repost(ctx, n.Ref, n.Team)
		case handoff.NoticeAlert, handoff.NoticeTeam:
			err = lw.besideCard(ctx, n.Ref, n.Team, n.Text)
		case handoff.NoticeWorker:
			err = lw.sayOnce(ctx, n.To.ID, 0, n.Ref, n.Text, n.Once)
		case handoff.NoticeErased:
			err = lw.takeDown(ctx, n)
		case handoff.NoticeHousing:
			err = lw.enqueue(ctx, lw.cfg.HousingChat, flows.Out{ID: entryID(outHousing, n.Ref), Kind: outHousing, Ref: n.Ref})
		case handoff.NoticeOnCall:
			err = lw.alert(ctx, lw.cfg.OnCall, n)
		case handoff.NoticeEscalate:
			err = lw.alert(ctx, lw.cfg.Escalate, n)
		}
		if err != nil {
			return fmt.Errorf("render %s of %s: %w", n.Kind, n.Ref, err)
		}
	}
	return nil
}

// showCard brings ref's card up to date: redrawn in place once it has been
// posted, posted otherwise. Posting is done once per referral and group
// however often it is asked, so a repeated effect makes no second card.
func (lw *LinkWorkers) showCard(ctx context.Context, ref string, team handoff.Team) error {
	r, err := lw.desk.Referral(ctx, ref)
	if err != nil {
		return err
	}
	chat := lw.cardChat(r)
	if chat == 0 {
		lw.log.WarnContext(ctx, "no group for referral; set LINKWORKER_CHAT_ID", "ref", ref, "team", string(team))
		return nil
	}
	kind := outCard
	if r.Card.Message != 0 {
		kind = outCardRedraw
	}
	return lw.enqueue(ctx, chat, flows.Out{ID: entryID(kind, ref), Kind: kind, Ref: ref})
}

// alert sends an on-call or escalation alert to chat, with the button that
// acknowledges it. With no such chat there is nobody to tell: the log says
// so, and the team's card stands.
func (lw *LinkWorkers) alert(ctx context.Context, chat int64, n handoff.Notice) error {
	if chat == 0 {
		lw.log.WarnContext(ctx, "no chat for an on-call alert", "ref", n.Ref, "kind", string(n.Kind))
		return nil
	}
	buttons := [][]flows.Button{{{Label: "Acknowledge", Data: handoff.AckData + n.Ref}}}
	return lw.enqueue(ctx, lw.follow(chat), flows.Out{ID: entryID(outAlert, n.Ref), Kind: outAlert, Text: n.Text, Ref: n.Ref, Buttons: buttons})
}

// besideCard says text to ref's team, under its card when it has one.
func (lw *LinkWorkers) besideCard(ctx context.Context, ref string, team handoff.Team, text string) error {
	r, err := lw.desk.Referral(ctx, ref)
	if err != nil {
		return err
	}
	return lw.say(ctx, lw.cardChat(r), int(r.Card.Message), ref, text)
}

// repost posts ref's card again because nobody has claimed it; the older card
// loses its button so that the group has one place to claim it.
func (lw *LinkWorkers) repost(ctx context.Context, ref string, team handoff.Team) error {
	r, err := lw.desk.Referral(ctx, ref)
	if err != nil {
		return err
	}
	chat := lw.cardChat(r)
	if chat == 0 {
		return nil
	}
	var outs []flows.Out
	if r.Card.Message != 0 && r.Card.Chat == chat {
		outs = append(outs, lw.retire(ref, r.Card.Message))
	}
	outs = append(outs, flows.Out{ID: entryID(outCardAgain, ref), Kind: outCardAgain, Ref: ref})
	return lw.enqueue(ctx, chat, outs...)
}

// retire is the entry that takes the button off an older card of ref.
func (lw *LinkWorkers) retire(ref string, message int64) flows.Out {
	return flows.Out{ID: entryID(outCardRetire, ref), Kind: outCardRetire, Node: strconv.FormatInt(message, 10), Ref: ref}
}

// takeDown deletes what the bot showed about an erased person where Telegram
// still allows it, and redraws the rest to say the person asked for it.
func (lw *LinkWorkers) takeDown(ctx context.Context, n handoff.Notice) error {
	byChat := map[int64][]flows.Out{}
	var chats []int64
	for _, p := range n.Posts {
		if _, ok := byChat[p.Chat]; !ok {
			chats = append(chats, p.Chat)
		}
		byChat[p.Chat] = append(byChat[p.Chat], flows.Out{
			ID: entryID(outTakeDown, n.Ref), Kind: outTakeDown, Ref: n.Ref,
			Node: strconv.FormatInt(p.Message, 10), Text: strconv.FormatInt(p.At.UnixMilli(), 10),
		})
	}
	for _, chat := range chats {
		if err := lw.enqueue(ctx, chat, byChat[chat]...); err != nil {
			return err
		}
	}
	return nil
}

// cardChat is where r's card is, or goes.
func (lw *LinkWorkers) cardChat(r handoff.Referral) int64 {
	if r.Card.Chat != 0 {
		return lw.follow(r.Card.Chat)
	}
	return lw.groupOf(r.Team)
}

// cardOf is the card of ref as it stands: its text and, while it waits, the
// Claim button; and a link to the case in the console.
func (lw *LinkWorkers) cardOf(ctx context.Context, ref string) (handoff.Referral, string, [][]flows.Button, error) {
	r, err := lw.desk.Referral(ctx, ref)
	if err != nil {
		return r, "", nil, err
	}
	text := handoff.CardText(r)
	var row []flows.Button
	if r.Status == handoff.StatusNew && !r.IsErased() {
		row = append(row, flows.Button{Label: "Claim", Data: claimData + r.Ref})
	}
	if r.Housing == handoff.HousingToDo && r.Open() && !r.IsErased() {
		row = append(row, flows.Button{Label: "Housing referral done", Data: housingData + r.Ref})
	}
	if link := lw.caseLink(r.Ref); link != "" && !r.IsErased() {
		if strings.HasPrefix(link, "https://") {
			row = append(row, flows.Button{Label: "Open in the console", URL: link})
		} else {
			// Telegram takes only https links on buttons.
			text = text + "\nConsole: " + link
		}
	}
	var buttons [][]flows.Button
	if len(row) > 0 {
		buttons = [][]flows.Button{row}
	}
	return r, text, buttons, nil
}

// caseLink is ref's case in the console, "" when there is no console.
func (lw *LinkWorkers) caseLink(ref string) string {
	if lw.cfg.Console == "" {
		return ""
	}
	return strings.TrimRight(lw.cfg.Console, "/") + "/case/" + ref
}

// renderGroup shows the bot's own entries for link workers. Cards are read
// from the desk at the moment they are sent. Everything it posts about a
// referral is protected from forwarding and recorded with the desk.
func (b *Bot) renderGroup(ctx context.Context, chat int64, o flows.Out, state map[string]string) (sendOutcome, time.Duration) {
	lw := b.lw
	switch o.Kind {
	case outReply, outAlert:
		reply, _ := strconv.Atoi(o.Node)
		opts := postOpts{reply: reply, protect: true, worker: true}
		if chat < 0 || o.Kind == outAlert {
			opts.keep = &o // words for a team about a case, an alert: never dropped
		}
		id, outcome, retry := b.post(ctx, chat, o.Text, o.Buttons, opts)
		if outcome == sendOK && id != 0 && o.Ref != "" && lw != nil {
			if l := leaseOf(ctx); l != nil {
				// Recorded with the message's acknowledgement, which follows
				// at once: no round trip of its own.
				l.record(lw.desk.PostOf(o.Ref, chat, int64(id)))
			} else if err := lw.desk.Posted(ctx, o.Ref, chat, int64(id)); err != nil {
				b.log.Warn("record a post; it cannot be taken down on erasure", "chat", chat, "ref", o.Ref, "err", err)
			}
		}
		return outcome, retry
	case outEdit:
		id, _ := strconv.Atoi(o.Node)
		return b.edit(ctx, chat, id, o.Text, o.Buttons)
	}
	if lw == nil {
		return sendOK, 0
	}
	r, text, buttons, err := lw.cardOf(ctx, o.Ref)
	if errors.Is(err, handoff.ErrNotFound) {
		b.log.Warn("card of an unknown referral dropped", "chat", chat, "ref", o.Ref)
		return sendOK, 0
	}
	if err != nil {
		b.log.Warn("read referral for its card; will retry", "chat", chat, "ref", o.Ref, "err", err)
		return sendRetryLater, retryLater
	}
	ref := o.Ref
	switch o.Kind {
	case outHousing:
		return b.postHousing(ctx, chat, r)
	case outCardRedraw:
		if r.Card.Chat != chat || r.Card.Message == 0 {
			return sendOK, 0 // not posted yet: the post will show it as it is
		}
		return b.edit(ctx, chat, int(r.Card.Message), text, buttons)
	case outCardRetire:
		id, _ := strconv.Atoi(o.Node)
		return b.edit(ctx, chat, id, text+"\n"+retiredWords, nil)
	case outTakeDown:
		id, _ := strconv.Atoi(o.Node)
		at, _ := strconv.ParseInt(o.Text, 10, 64)
		return b.takeDown(ctx, chat, id, time.UnixMilli(at), r, text)
	case outCard, outCardAgain:
		var id int
		pending, pendingID, _ := strings.Cut(state[statePendingCard], "@")
		switch {
		case pending == ref:
			id, _ = strconv.Atoi(pendingID) // posted before a failure to record it
		case o.Kind == outCard && r.Card.Message != 0 && r.Card.Chat == chat:
			// A repeated effect, or a change made while the card was on its
			// way: it is up already, so bring it up to date in place.
			return b.edit(ctx, chat, int(r.Card.Message), text, buttons)
		case o.Kind == outCard && r.Card.Message != 0:
			return sendOK, 0 // up in another group already
		default:
			var outcome sendOutcome
			var retry time.Duration
			id, outcome, retry = b.post(ctx, chat, text, buttons, postOpts{protect: true, worker: true, keep: &o})
			if outcome != sendOK || id == 0 {
				return outcome, retry
			}
			if l := leaseOf(ctx); l != nil && roundtrip.Of(ctx) != nil {
				// Acknowledged in the round trip that records it, which
				// follows at once: should the record fail, it is tried
				// once more, the long way, as the card is not posted again.
				l.oweCurrent()
				if _, err := lw.desk.SetCard(ctx, ref, chat, int64(id)); err != nil {
					if _, err := lw.desk.SetCard(ctx, ref, chat, int64(id)); err != nil {
						b.log.Error("card posted but not recorded", "chat", chat, "ref", ref, "message", id, "err", err)
					}
				}
				b.m.effects.WithLabelValues("card_posted").Inc()
				return sendOK, 0
			}
			state[statePendingCard] = ref + "@" + strconv.Itoa(id)
		}
		if _, err := lw.desk.SetCard(ctx, ref, chat, int64(id)); err != nil {
			b.log.Warn("record card; will retry", "chat", chat, "ref", ref, "err", err)
			return sendRetryLater, retryLater
		}
		state[statePendingCard] = ""
		b.m.effects.WithLabelValues("card_posted").Inc()
		return sendOK, 0
	}
	return sendOK, 0
}

// postHousing posts r's referral in the housing options team's chat, once:
// a referral already passed on (or erased) is not posted again. The desk is
// told, so that the card says so and erasure can take the post down.
func (b *Bot) postHousing(ctx context.Context, chat int64, r handoff.Referral) (sendOutcome, time.Duration) {
	if r.Housing != handoff.HousingSending || r.IsErased() {
		return sendOK, 0
	}
	id, outcome, retry := b.post(ctx, chat, handoff.HousingText(r), nil, postOpts{protect: true, worker: true})
	if outcome != sendOK || id == 0 {
		return outcome, retry
	}
	_, ns, err := b.lw.desk.HousingPosted(ctx, r.Ref, chat, int64(id))
	if err == nil {
		err = b.lw.Render(ctx, ns)
	}
	if err != nil {
		b.log.Warn("record the housing referral's post", "chat", chat, "ref", r.Ref, "err", err)
	}
	return sendOK, 0
}

// refused deals with an entry that must not be lost (keep) which Telegram
// refused. A group upgraded to a supergroup is followed: the new id is kept
// (LinkWorkersConfig.OnMoved) and the entry goes to the supergroup's
// outbox, where it is sent next. Any other refusal (403: the bot was removed
// from the group; 400) leaves the entry at the head of the chat's outbox, to
// be tried again after Config.RefusedRetry, logged at ERROR and counted, so
// that someone puts the bot back rather than a card being lost.
func (b *Bot) refused(ctx context.Context, chat int64, o flows.Out, err error) (sendOutcome, time.Duration) {
	var moved *tgbot.MigrateError
	if errors.As(err, &moved) && moved.MigrateToChatID != 0 && b.lw != nil {
		to := int64(moved.MigrateToChatID)
		b.m.refused.WithLabelValues("migrated").Inc()
		if err := b.lw.moveGroup(ctx, chat, to); err != nil {
			b.log.Warn("follow a group to its supergroup; will retry", "chat", chat, "to", to, "err", err)
			return sendRetryLater, retryLater
		}
		if err := b.lw.enqueue(ctx, to, o); err != nil {
			b.log.Warn("move an entry to the supergroup; will retry", "chat", chat, "to", to, "err", err)
			return sendRetryLater, retryLater
		}
		return sendOK, 0
	}
	reason := "bad_request"
	if errors.Is(err, tgbot.ErrorForbidden) {
		reason = "forbidden"
	}
	b.m.refused.WithLabelValues(reason).Inc()
	b.log.Error("Telegram refused a message for link workers; it is kept and tried again (is the bot still in the group?)",
		"chat", chat, "ref", o.Ref, "entry", o.Kind, "retry_in", b.cfg.RefusedRetry.String(), "err", redact(err, b.cfg.Token))
	return sendRetryLater, b.cfg.RefusedRetry
}

// takeDown deletes message id, posted at at about r's erased person, if
// Telegram still allows it, and otherwise redraws it: the card as it now
// stands (it says the person asked to be erased), any other message as
// removed at their request.
func (b *Bot) takeDown(ctx context.Context, chat int64, id int, at time.Time, r handoff.Referral, card string) (sendOutcome, time.Duration) {
	redraw := func() (sendOutcome, time.Duration) {
		if r.Card.Chat == chat && r.Card.Message == int64(id) {
			return b.edit(ctx, chat, id, card, nil)
		}
		return b.edit(ctx, chat, id, r.Ref+": "+handoff.RemovedWords(r), nil)
	}
	if time.Since(at) >= takeDownAge {
		return redraw()
	}
	outcome, retry, err := b.call(ctx, chat, "deleteMessage", false, func() error {
		_, err := b.api.DeleteMessage(ctx, &tgbot.DeleteMessageParams{ChatID: chat, MessageID: id})
		return err
	})
	if err != nil && outcome == sendOK {
		// Refused (too old after all, or gone): redraw what can be.
		return redraw()
	}
	return b.logged(outcome, err, chat, "delete message", false), retry
}
