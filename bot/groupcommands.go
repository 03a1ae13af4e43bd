// What link workers do with the bot, in their group or in a private chat:
// commands, replies that reach the person, the Claim and outcome buttons.
// Each is checked by the desk against who may act, and for which team.

package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"signpost/flows"
	"signpost/handoff"
)

// worker is the link worker a Telegram user is: their id and the name the
// team knows them by. The person is only ever shown the first name.
func worker(u *models.User) handoff.Worker {
	return handoff.Worker{ID: u.ID, Name: strings.TrimSpace(u.FirstName + " " + u.LastName)}
}

// see records a user seen in a team's group as a worker, with their
// @username, so that /reassign and the console can name them.
func (lw *LinkWorkers) see(ctx context.Context, u *models.User) {
	if u == nil || u.IsBot {
		return
	}
	if err := lw.desk.SeeWorker(ctx, worker(u), u.Username); err != nil {
		lw.log.WarnContext(ctx, "record a worker", "worker", u.ID, "err", err)
	}
}

// botName is the bot's @username, asked of Telegram once.
func (lw *LinkWorkers) botName(ctx context.Context) string {
	lw.mu.Lock()
	name := lw.username
	lw.mu.Unlock()
	if name != "" {
		return name
	}
	name, err := lw.b.Username(ctx)
	if err != nil {
		return ""
	}
	lw.mu.Lock()
	lw.username = name
	lw.mu.Unlock()
	return name
}

// commandOf splits "/close@signpost_bot R-7K3QX advice" into "close" and
// "R-7K3QX advice". ok is false for text that is no command, or a command
// meant for another bot.
func (lw *LinkWorkers) commandOf(ctx context.Context, text string) (name, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, args, _ := strings.Cut(text, " ")
	args = strings.TrimSpace(args)
	if nl := strings.IndexByte(head, '\n'); nl >= 0 {
		head, args = head[:nl], strings.TrimSpace(head[nl:]+" "+args)
	}
	name, to, addressed := strings.Cut(strings.TrimPrefix(head, "/"), "@")
	if addressed {
		if own := lw.botName(ctx); own != "" && !strings.EqualFold(to, own) {
			return "", "", false
		}
	}
	return strings.ToLower(name), args, name != ""
}

// workerCommands are the commands a worker may send; needRef those that
// name a referral.
var (
	workerCommands = map[string]bool{"queue": true, "mine": true, "case": true, "note": true, "msg": true, "close": true, "reassign": true, "console": true}
	needRef        = map[string]bool{"case": true, "note": true, "close": true, "reassign": true, "msg": true}
)

// place is where a worker's command came from and its answer goes.
type place struct {
	chat    int64
	at      int // the message answered
	private bool
}

func (lw *LinkWorkers) answer(ctx context.Context, p place, ref, text string) error {
	return lw.say(ctx, p.chat, p.at, ref, text)
}

// Message handles a message in a link workers' group: a command, or a
// worker's reply to a card, which goes to the person.
func (lw *LinkWorkers) Message(ctx context.Context, m *models.Message) error {
	if m.From == nil || m.From.IsBot {
		return nil
	}
	ctx = handoff.WithVia(ctx, "telegram")
	lw.see(ctx, m.From)
	p := place{chat: m.Chat.ID, at: m.ID}
	name, args, ok := lw.commandOf(ctx, m.Text)
	if !ok {
		if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == lw.b.ID() && m.Text != "" {
			return lw.replyToPerson(ctx, p, m)
		}
		return nil
	}
	if name == "help" {
		return lw.answer(ctx, p, "", groupHelp())
	}
	if !workerCommands[name] {
		return nil // another bot's command, or none of ours
	}
	return lw.command(ctx, p, m, name, args)
}

// command runs a worker's command from p.
func (lw *LinkWorkers) command(ctx context.Context, p place, m *models.Message, name, args string) error {
	w := worker(m.From)
	fail := func(ref string, err error) error { return lw.answer(ctx, p, ref, lw.explain(ctx, ref, err)) }
	ref, rest := splitRef(args)
	if needRef[name] && ref == "" {
		// Say nothing of referrals to someone who may not see them.
		if _, err := lw.desk.Access(ctx, w); err != nil {
			return fail("", err)
		}
		return lw.answer(ctx, p, "", needRefText)
	}
	switch name {
	case "console":
		return lw.console(ctx, p, w)
	case "queue":
		acc, err := lw.desk.Access(ctx, w)
		if err != nil {
			return fail("", err)
		}
		teams := acc.Teams
		if !p.private {
			teams = lw.teamsOf(p.chat)
		}
		var texts []string
		for _, team := range teams {
			if !acc.Can(team) {
				continue
			}
			rs, err := lw.desk.Queue(ctx, team, w)
			if err != nil {
				return fail("", err)
			}
			texts = append(texts, lw.desk.QueueText(team, rs))
		}
		if len(texts) == 0 {
			return fail("", handoff.ErrNotAuthorised)
		}
		return lw.answer(ctx, p, "", strings.Join(texts, "\n\n"))
	case "mine":
		rs, err := lw.desk.Mine(ctx, w)
		if err != nil {
			return fail("", err)
		}
		return lw.answer(ctx, p, "", lw.desk.MineText(rs))
	case "case":
		return lw.showCase(ctx, p, ref, w)
	case "note":
		if rest == "" {
			return lw.answer(ctx, p, ref, "Write the note after the reference: /note "+ref+" text")
		}
		if _, _, err := lw.desk.Note(ctx, ref, w, rest); err != nil {
			return fail(ref, err)
		}
		return lw.answer(ctx, p, ref, "Note added to "+ref+".")
	case "msg":
		if rest == "" {
			return lw.answer(ctx, p, ref, "Write the message after the reference: /msg "+ref+" text")
		}
		return lw.toPerson(ctx, p, ref, w, rest)
	case "close":
		return lw.closeCommand(ctx, p, ref, w, rest)
	case "reassign":
		return lw.reassign(ctx, p, m, ref, w, rest)
	}
	return nil
}

// showCase answers /case: the whole case in a private chat, where only the
// worker reads it (and the view is audited); in a group only the card, with
// the way to the rest.
func (lw *LinkWorkers) showCase(ctx context.Context, p place, ref string, w handoff.Worker) error {
	if p.private {
		c, err := lw.desk.Case(ctx, ref, w)
		if err != nil {
			return lw.answer(ctx, p, ref, lw.explain(ctx, ref, err))
		}
		return lw.answer(ctx, p, ref, lw.desk.CaseText(c))
	}
	r, err := lw.desk.CardFor(ctx, ref, w)
	if err != nil {
		return lw.answer(ctx, p, ref, lw.explain(ctx, ref, err))
	}
	where := "send /case " + ref + " to me in a private chat"
	if link := lw.caseLink(ref); link != "" {
		where = "open it in the console (" + link + ") or " + where
	}
	return lw.answer(ctx, p, ref, handoff.CardText(r)+"\n\nThe whole case is not shown here: "+where+".")
}

// console answers /console with a one-time sign-in link, only in a private
// chat: a link in a group could be used by anyone who reads it first.
func (lw *LinkWorkers) console(ctx context.Context, p place, w handoff.Worker) error {
	if lw.cfg.ConsoleLink == nil {
		if _, err := lw.desk.Access(ctx, w); err != nil {
			return lw.answer(ctx, p, "", lw.explain(ctx, "", err))
		}
		return lw.answer(ctx, p, "", "The console is not set up for this service (PUBLIC_URL).")
	}
	if !p.private {
		if _, err := lw.desk.Access(ctx, w); err != nil {
			return lw.answer(ctx, p, "", lw.explain(ctx, "", err))
		}
		return lw.answer(ctx, p, "", "Send /console to me in a private chat and I will give you a sign-in link there.")
	}
	link, err := lw.cfg.ConsoleLink(ctx, w)
	if err != nil {
		return lw.answer(ctx, p, "", lw.explain(ctx, "", err))
	}
	return lw.answer(ctx, p, "", "Your link to sign in to the console. It works once, for 10 minutes; do not pass it on:\n"+link)
}

// splitRef reads a reference at the start of args.
func splitRef(args string) (ref, rest string) {
	head, rest, _ := strings.Cut(args, " ")
	if !refPattern.MatchString(head) {
		return "", args
	}
	return strings.ToUpper(head), strings.TrimSpace(rest)
}

// explain turns a desk error into words for a worker, and logs what is no
// one's mistake.
func (lw *LinkWorkers) explain(ctx context.Context, ref string, err error) string {
	var claimed *handoff.ClaimedError
	var other *handoff.OtherTeamError
	switch {
	case errors.As(err, &other) && ref != "":
		return ref + " is for the " + strings.ToLower(other.Team.Words()) + "."
	case errors.Is(err, handoff.ErrNotAuthorised):
		return refusedText
	case errors.As(err, &claimed):
		return ref + " is already claimed by " + claimed.Holder.Name + "."
	case errors.Is(err, handoff.ErrNotFound):
		return "There is no referral " + ref + "."
	case errors.Is(err, handoff.ErrErased):
		return "The person of " + ref + " asked for their data to be erased, so nothing more can be done with it."
	case errors.Is(err, handoff.ErrClosed):
		return ref + " is closed."
	case errors.Is(err, handoff.ErrNotClaimed):
		return "Nobody has claimed " + ref + " yet: claim it first."
	case errors.Is(err, handoff.ErrHousingOpen):
		return ref + " cannot close yet: the person agreed to be referred to the council's housing options team. Refer them, press Housing referral done on the card (or mark it in the console), then close it."
	case errors.Is(err, handoff.ErrBadOutcome):
		return "That is not an outcome I know."
	case errors.Is(err, handoff.ErrEmpty):
		return "There is nothing to send."
	}
	lw.log.ErrorContext(ctx, "link workers' command", "ref", ref, "err", err)
	return sorryText
}

// toPerson sends a worker's words to the person of ref, through the desk,
// which records them first.
func (lw *LinkWorkers) toPerson(ctx context.Context, p place, ref string, w handoff.Worker, text string) error {
	_, ns, err := lw.desk.Message(ctx, ref, w, text)
	if err != nil {
		return lw.answer(ctx, p, ref, lw.explain(ctx, ref, err))
	}
	return lw.deliver(ctx, ns)
}

// replyToPerson passes a worker's reply to a card, or to a person's message
// the bot showed them, to that person.
func (lw *LinkWorkers) replyToPerson(ctx context.Context, p place, m *models.Message) error {
	to := m.ReplyToMessage
	ref, ok, err := lw.desk.RefByCard(ctx, m.Chat.ID, int64(to.ID))
	if err != nil {
		return lw.answer(ctx, p, "", lw.explain(ctx, "", err))
	}
	if !ok {
		sub := leadingRef.FindStringSubmatch(to.Text)
		if sub == nil {
			return nil // a reply to something else the bot said
		}
		ref = sub[1]
	}
	return lw.toPerson(ctx, p, ref, worker(m.From), m.Text)
}

// outcomeWords are the ways a worker may type an outcome, besides its code
// and its words on the button.
var outcomeWords = map[handoff.Outcome][]string{
	handoff.OutcomeConnectedGroup:  {"connected", "group"},
	handoff.OutcomeReferredService: {"referred", "service"},
	handoff.OutcomeAdvice:          {"advice"},
	handoff.OutcomeNotNeeded:       {"not needed", "not_needed", "no longer needed"},
	handoff.OutcomeNoContact:       {"no contact", "no_contact", "could not contact"},
	handoff.OutcomeOther:           {"other"},
}

// parseOutcome reads the outcome at the start of s, of those offered, the
// longest match winning, and returns the note after it.
func parseOutcome(s string, offered []handoff.Outcome) (handoff.Outcome, string, bool) {
	var best handoff.Outcome
	bestLen := 0
	for _, o := range offered {
		for _, w := range append([]string{string(o), o.Words()}, outcomeWords[o]...) {
			if len(w) <= bestLen || len(s) < len(w) || !strings.EqualFold(s[:len(w)], w) {
				continue
			}
			if len(s) > len(w) && !strings.ContainsRune(" :,.-—\n", rune(s[len(w)])) {
				continue
			}
			best, bestLen = o, len(w)
		}
	}
	if bestLen == 0 {
		return "", s, false
	}
	return best, strings.TrimLeft(s[bestLen:], " :,.-—\n"), true
}

// closeCommand closes ref with the outcome typed, or offers the outcomes as
// buttons when none was.
func (lw *LinkWorkers) closeCommand(ctx context.Context, p place, ref string, w handoff.Worker, rest string) error {
	outcome, note, ok := parseOutcome(rest, lw.desk.Outcomes())
	if !ok {
		// Check first: the buttons are for someone who may close it.
		r, err := lw.desk.CardFor(ctx, ref, w)
		if err == nil && r.IsErased() {
			err = handoff.ErrErased
		} else if err == nil && r.Status == handoff.StatusClosed {
			err = handoff.ErrClosed
		}
		if err != nil {
			return lw.answer(ctx, p, ref, lw.explain(ctx, ref, err))
		}
		var rows [][]flows.Button
		for i, o := range lw.desk.Outcomes() {
			b := flows.Button{Label: o.Words(), Data: closeData + ref + ":" + string(o)}
			if i%2 == 0 {
				rows = append(rows, []flows.Button{b})
			} else {
				rows[len(rows)-1] = append(rows[len(rows)-1], b)
			}
		}
		return lw.enqueue(ctx, p.chat, flows.Out{ID: entryID(outReply, ref), Kind: outReply, Node: strconv.Itoa(p.at), Text: "How did " + ref + " end?", Buttons: rows, Ref: ref})
	}
	_, ns, err := lw.desk.Close(ctx, ref, w, outcome, note)
	if err != nil {
		return lw.answer(ctx, p, ref, lw.explain(ctx, ref, err))
	}
	return lw.deliver(ctx, ns)
}

// reassign passes ref to the worker named in rest: a mention the app made
// from a name, a numeric id, or an @username the desk has seen.
func (lw *LinkWorkers) reassign(ctx context.Context, p place, m *models.Message, ref string, from handoff.Worker, rest string) error {
	var to handoff.Worker
	for _, e := range m.Entities {
		if e.Type == models.MessageEntityTypeTextMention && e.User != nil {
			to = worker(e.User)
		}
	}
	target, _, _ := strings.Cut(rest, " ")
	if to.ID == 0 {
		if id, err := strconv.ParseInt(target, 10, 64); err == nil && id > 0 {
			to = lw.memberWorker(ctx, id)
		} else if strings.HasPrefix(target, "@") {
			// Check first: only a link worker learns who is known.
			if _, err := lw.desk.Access(ctx, from); err != nil {
				return lw.answer(ctx, p, ref, lw.explain(ctx, ref, err))
			}
			known, ok, err := lw.desk.WorkerByHandle(ctx, target)
			if err != nil {
				return lw.answer(ctx, p, ref, lw.explain(ctx, ref, err))
			}
			if !ok {
				return lw.answer(ctx, p, ref, "I do not know "+target+" yet. Ask them to send /mine in the group once, or use their numeric id.")
			}
			to = known
		}
	}
	if to.ID == 0 {
		return lw.answer(ctx, p, ref, "Who to? /reassign "+ref+" @name (or their numeric id)")
	}
	_, ns, err := lw.desk.Reassign(ctx, ref, from, to)
	if err != nil {
		return lw.answer(ctx, p, ref, lw.explain(ctx, ref, err))
	}
	if err := lw.deliver(ctx, ns); err != nil {
		return err
	}
	return lw.answer(ctx, p, ref, ref+" is now with "+to.Name+".")
}

// memberWorker names the user with id as a team's group knows them.
func (lw *LinkWorkers) memberWorker(ctx context.Context, id int64) handoff.Worker {
	w := handoff.Worker{ID: id, Name: strconv.FormatInt(id, 10)}
	if known, ok, err := lw.desk.Worker(ctx, id); err == nil && ok {
		w = known.Worker
	}
	for _, chat := range lw.groupChats() {
		cm, err := lw.b.api.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: chat, UserID: id})
		if err != nil {
			continue
		}
		var u *models.User
		switch {
		case cm.Owner != nil:
			u = cm.Owner.User
		case cm.Administrator != nil:
			u = &cm.Administrator.User
		case cm.Member != nil:
			u = cm.Member.User
		case cm.Restricted != nil:
			u = cm.Restricted.User
		}
		if u != nil && u.FirstName != "" {
			return worker(u)
		}
	}
	return w
}

// groupChats are the teams' groups, each once.
func (lw *LinkWorkers) groupChats() []int64 {
	var out []int64
	for _, t := range handoff.Teams {
		if c := lw.groupOf(t); c != 0 && (len(out) == 0 || out[0] != c) {
			out = append(out, c)
		}
	}
	return out
}

// Callback handles a button on a card (Claim), under /close (an outcome),
// or on an on-call alert (Acknowledge, only in the on-call and escalation
// chats), in a group or in a worker's private chat.
func (lw *LinkWorkers) Callback(ctx context.Context, q *models.CallbackQuery) (string, error) {
	ctx = handoff.WithVia(ctx, "telegram")
	lw.see(ctx, &q.From)
	w := worker(&q.From)
	var pressed, chat int64
	if m := q.Message.Message; m != nil {
		pressed, chat = int64(m.ID), m.Chat.ID
	}
	switch {
	case strings.HasPrefix(q.Data, claimData):
		ref := strings.TrimPrefix(q.Data, claimData)
		r, ns, err := lw.desk.ClaimCard(ctx, ref, w, handoff.Card{Chat: chat, Message: pressed})
		if err != nil {
			return clip200(lw.explain(ctx, ref, err)), nil
		}
		if err := lw.deliver(ctx, ns); err != nil {
			return sorryText, err
		}
		if pressed != 0 && (pressed != r.Card.Message || chat != r.Card.Chat) {
			// An older card of the same referral: it gives up its button too.
			lw.enqueue(ctx, chat, lw.retire(ref, pressed))
		}
		return clip200(ref + " is yours. Reply to its card to write to the person; their replies come to you privately and in the console."), nil
	case strings.HasPrefix(q.Data, housingData):
		ref := strings.TrimPrefix(q.Data, housingData)
		_, ns, err := lw.desk.HousingDone(ctx, ref, w)
		if err != nil {
			return clip200(lw.explain(ctx, ref, err)), nil
		}
		if err := lw.deliver(ctx, ns); err != nil {
			return sorryText, err
		}
		return clip200(ref + ": marked referred to the housing options team."), nil
	case strings.HasPrefix(q.Data, handoff.AckData):
		ref := strings.TrimPrefix(q.Data, handoff.AckData)
		if !lw.onCallChat(chat) {
			return refusedText, nil
		}
		r, ns, err := lw.desk.Acknowledge(ctx, ref, w)
		if err != nil {
			return clip200(lw.explain(ctx, ref, err)), nil
		}
		if err := lw.deliver(ctx, ns); err != nil {
			return sorryText, err
		}
		if pressed != 0 {
			lw.enqueue(ctx, chat, flows.Out{ID: entryID(outEdit, ref), Kind: outEdit, Node: strconv.FormatInt(pressed, 10), Text: lw.desk.AckedText(r), Ref: ref})
		}
		if r.AckedBy.ID != w.ID {
			return clip200(lw.desk.AckedText(r)), nil
		}
		return clip200(ref + " acknowledged. It stays in the team's queue until someone claims it."), nil
	case strings.HasPrefix(q.Data, closeData):
		ref, code, _ := strings.Cut(strings.TrimPrefix(q.Data, closeData), ":")
		outcome := handoff.Outcome(code)
		_, ns, err := lw.desk.Close(ctx, ref, w, outcome, "")
		if err != nil {
			return clip200(lw.explain(ctx, ref, err)), nil
		}
		if err := lw.deliver(ctx, ns); err != nil {
			return sorryText, err
		}
		if pressed != 0 {
			text := ref + " closed by " + w.Name + ": " + outcome.Words() + "."
			lw.enqueue(ctx, chat, flows.Out{ID: entryID(outEdit, ref), Kind: outEdit, Node: strconv.FormatInt(pressed, 10), Text: text, Ref: ref})
		}
		return clip200(ref + " is closed."), nil
	}
	return "", nil
}

// isCaseButton reports whether a pressed button's data is one of the link
// workers' (Claim, an outcome), which the conversation never makes: its
// buttons start with a run id of eight characters.
func isCaseButton(data string) bool {
	return strings.HasPrefix(data, claimData) || strings.HasPrefix(data, closeData) || strings.HasPrefix(data, housingData) || strings.HasPrefix(data, handoff.AckData)
}

// caseRef is the referral a link workers' button is about, as a list of
// one (none for another button).
func caseRef(data string) []string {
	for _, prefix := range []string{claimData, housingData, handoff.AckData} {
		if ref, ok := strings.CutPrefix(data, prefix); ok {
			return []string{ref}
		}
	}
	if rest, ok := strings.CutPrefix(data, closeData); ok {
		ref, _, _ := strings.Cut(rest, ":")
		return []string{ref}
	}
	return nil
}

func clip200(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:199]) + "…"
	}
	return s
}
