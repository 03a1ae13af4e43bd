// What link workers do in their group: commands, replies to cards, the
// Claim and outcome buttons; each one checked against who may act.

package bot

import (
	"context"
	"errors"
	"fmt"
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

// learn remembers a user's @username, so that /reassign can name them.
func (lw *LinkWorkers) learn(u *models.User) {
	if u == nil || u.Username == "" || u.IsBot {
		return
	}
	lw.mu.Lock()
	lw.handles[strings.ToLower(u.Username)] = worker(u)
	lw.mu.Unlock()
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

// teamsOf are the teams whose cards go to chat.
func (lw *LinkWorkers) teamsOf(chat int64) []handoff.Team {
	var teams []handoff.Team
	for _, t := range []handoff.Team{handoff.TeamLinkWorkers, handoff.TeamLeavingCare} {
		if lw.desk.Chat(t) == chat {
			teams = append(teams, t)
		}
	}
	return teams
}

// Message handles a message in a link workers' group: a command, or a
// worker's reply to a card or to a person's message, which goes to the person.
func (lw *LinkWorkers) Message(ctx context.Context, m *models.Message) error {
	if m.From == nil || m.From.IsBot {
		return nil
	}
	lw.learn(m.From)
	name, args, ok := lw.commandOf(ctx, m.Text)
	if !ok {
		if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == lw.b.ID() && m.Text != "" {
			return lw.replyToPerson(ctx, m)
		}
		return nil
	}
	w := worker(m.From)
	chat, at := m.Chat.ID, m.ID
	answer := func(text string) error { return lw.say(ctx, chat, at, text) }
	fail := func(ref string, err error) error { return answer(lw.explain(ctx, ref, err)) }

	ref, rest := splitRef(args)
	needRef := map[string]bool{"case": true, "note": true, "close": true, "reassign": true, "msg": true}
	if needRef[name] && ref == "" {
		// Say nothing of referrals to someone who may not see them.
		if _, err := lw.desk.Mine(ctx, w); err != nil {
			return fail("", err)
		}
		return answer(needRefText)
	}
	switch name {
	case "help":
		return answer(groupHelp)
	case "queue":
		var texts []string
		for _, team := range lw.teamsOf(chat) {
			rs, err := lw.desk.Queue(ctx, team, w)
			if err != nil {
				return fail("", err)
			}
			texts = append(texts, lw.desk.QueueText(team, rs))
		}
		if len(texts) == 0 {
			return nil
		}
		return answer(strings.Join(texts, "\n\n"))
	case "mine":
		rs, err := lw.desk.Mine(ctx, w)
		if err != nil {
			return fail("", err)
		}
		return answer(lw.desk.MineText(rs))
	case "case":
		c, err := lw.desk.Case(ctx, ref, w)
		if err != nil {
			return fail(ref, err)
		}
		return answer(lw.desk.CaseText(c))
	case "note":
		if rest == "" {
			return answer("Write the note after the reference: /note " + ref + " text")
		}
		if _, err := lw.desk.Note(ctx, ref, w, rest); err != nil {
			return fail(ref, err)
		}
		return answer("Note added to " + ref + ".")
	case "msg":
		if rest == "" {
			return answer("Write the message after the reference: /msg " + ref + " text")
		}
		return lw.toPerson(ctx, chat, at, ref, w, rest)
	case "close":
		return lw.closeCommand(ctx, chat, at, ref, w, rest)
	case "reassign":
		return lw.reassign(ctx, m, ref, w, rest)
	}
	return nil // another bot's command, or none of ours
}

// splitRef reads a reference at the start of args.
func splitRef(args string) (ref, rest string) {
	head, rest, _ := strings.Cut(args, " ")
	if !refPattern.MatchString(head) {
		return "", args
	}
	return strings.ToUpper(head), strings.TrimSpace(rest)
}

// explain turns a desk error into words for the group, and logs what is no
// one's mistake.
func (lw *LinkWorkers) explain(ctx context.Context, ref string, err error) string {
	var claimed *handoff.ClaimedError
	switch {
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
	case errors.Is(err, handoff.ErrBadOutcome):
		return "That is not an outcome I know."
	}
	lw.log.ErrorContext(ctx, "link workers' command", "ref", ref, "err", err)
	return sorryText
}

// toPerson sends a worker's words to the person of ref, recording first that
// they were sent.
func (lw *LinkWorkers) toPerson(ctx context.Context, chat int64, at int, ref string, w handoff.Worker, text string) error {
	before, _ := lw.referral(ctx, ref) // only to notice the first contact
	r, err := lw.desk.RecordToPerson(ctx, ref, w)
	if err != nil {
		return lw.say(ctx, chat, at, lw.explain(ctx, ref, err))
	}
	if r.User == 0 {
		return lw.say(ctx, chat, at, lw.explain(ctx, ref, handoff.ErrErased))
	}
	if err := lw.tellText(ctx, r.User, handoff.FromWorker(w, text)); err != nil {
		return err
	}
	if before.Status != r.Status {
		return lw.Show(ctx, r) // the card now says they are in contact
	}
	return nil
}

// replyToPerson passes a worker's reply to a card, or to a person's message
// the bot showed, to that person.
func (lw *LinkWorkers) replyToPerson(ctx context.Context, m *models.Message) error {
	to := m.ReplyToMessage
	ref, ok, err := lw.desk.RefByCard(ctx, m.Chat.ID, int64(to.ID))
	if err != nil {
		return lw.say(ctx, m.Chat.ID, m.ID, lw.explain(ctx, "", err))
	}
	if !ok {
		sub := leadingRef.FindStringSubmatch(to.Text)
		if sub == nil {
			return nil // a reply to something else the bot said
		}
		ref = sub[1]
	}
	return lw.toPerson(ctx, m.Chat.ID, m.ID, ref, worker(m.From), m.Text)
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

// parseOutcome reads the outcome at the start of s, the longest match
// winning, and returns the note after it.
func parseOutcome(s string) (handoff.Outcome, string, bool) {
	var best handoff.Outcome
	bestLen := 0
	for _, o := range handoff.Outcomes {
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
func (lw *LinkWorkers) closeCommand(ctx context.Context, chat int64, at int, ref string, w handoff.Worker, rest string) error {
	outcome, note, ok := parseOutcome(rest)
	if !ok {
		// Check first: the buttons are for someone who may close it.
		c, err := lw.desk.Case(ctx, ref, w)
		if err == nil && c.Referral.IsErased() {
			err = handoff.ErrErased
		} else if err == nil && c.Referral.Status == handoff.StatusClosed {
			err = handoff.ErrClosed
		}
		if err != nil {
			return lw.say(ctx, chat, at, lw.explain(ctx, ref, err))
		}
		var rows [][]flows.Button
		for i, o := range handoff.Outcomes {
			b := flows.Button{Label: o.Words(), Data: closeData + ref + ":" + string(o)}
			if i%2 == 0 {
				rows = append(rows, []flows.Button{b})
			} else {
				rows[len(rows)-1] = append(rows[len(rows)-1], b)
			}
		}
		return lw.enqueue(ctx, chat, flows.Out{ID: entryID(outReply, ref), Kind: outReply, Node: strconv.Itoa(at), Text: "How did " + ref + " end?", Buttons: rows})
	}
	if _, err := lw.close(ctx, ref, w, outcome, note); err != nil {
		return lw.say(ctx, chat, at, lw.explain(ctx, ref, err))
	}
	return nil
}

// close closes ref, redraws its card and tells the person.
func (lw *LinkWorkers) close(ctx context.Context, ref string, w handoff.Worker, outcome handoff.Outcome, note string) (handoff.Referral, error) {
	r, err := lw.desk.Close(ctx, ref, w, outcome, note)
	if err != nil {
		return r, err
	}
	if err := lw.Show(ctx, r); err != nil {
		return r, err
	}
	return r, lw.tellText(ctx, r.User, handoff.ClosedText(r))
}

// reassign passes ref to the worker named in rest: a mention the app made
// from a name, a numeric id, or an @username seen in the groups.
func (lw *LinkWorkers) reassign(ctx context.Context, m *models.Message, ref string, from handoff.Worker, rest string) error {
	chat, at := m.Chat.ID, m.ID
	var to handoff.Worker
	for _, e := range m.Entities {
		if e.Type == models.MessageEntityTypeTextMention && e.User != nil {
			to = worker(e.User)
		}
	}
	target, _, _ := strings.Cut(rest, " ")
	if to.ID == 0 {
		if id, err := strconv.ParseInt(target, 10, 64); err == nil && id > 0 {
			to = lw.memberWorker(ctx, chat, id)
		} else if strings.HasPrefix(target, "@") {
			lw.mu.Lock()
			to = lw.handles[strings.ToLower(strings.TrimPrefix(target, "@"))]
			lw.mu.Unlock()
			if to.ID == 0 {
				// Check first: only a link worker learns who is known.
				if _, err := lw.desk.Mine(ctx, from); err != nil {
					return lw.say(ctx, chat, at, lw.explain(ctx, ref, err))
				}
				return lw.say(ctx, chat, at, "I do not know "+target+" yet. Ask them to send /mine here once, or use their numeric id.")
			}
		}
	}
	if to.ID == 0 {
		return lw.say(ctx, chat, at, "Who to? /reassign "+ref+" @name (or their numeric id)")
	}
	r, err := lw.desk.Reassign(ctx, ref, from, to)
	if err != nil {
		return lw.say(ctx, chat, at, lw.explain(ctx, ref, err))
	}
	if err := lw.Show(ctx, r); err != nil {
		return err
	}
	return lw.say(ctx, chat, at, ref+" is now with "+to.Name+".")
}

// memberWorker names the user with id as the group knows them.
func (lw *LinkWorkers) memberWorker(ctx context.Context, chat, id int64) handoff.Worker {
	w := handoff.Worker{ID: id, Name: strconv.FormatInt(id, 10)}
	cm, err := lw.b.api.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: chat, UserID: id})
	if err != nil {
		return w
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
		w = worker(u)
	}
	return w
}

// Callback handles a button on a card (Claim) or under /close (an outcome).
func (lw *LinkWorkers) Callback(ctx context.Context, q *models.CallbackQuery) (string, error) {
	lw.learn(&q.From)
	w := worker(&q.From)
	var pressed, chat int64
	if m := q.Message.Message; m != nil {
		pressed, chat = int64(m.ID), m.Chat.ID
	}
	switch {
	case strings.HasPrefix(q.Data, claimData):
		ref := strings.TrimPrefix(q.Data, claimData)
		r, err := lw.desk.Claim(ctx, ref, w)
		if err != nil {
			return clip200(lw.explain(ctx, ref, err)), nil
		}
		if err := lw.Show(ctx, r); err != nil {
			return sorryText, err
		}
		if pressed != 0 && (pressed != r.Card.Message || chat != r.Card.Chat) {
			// An older card of the same referral: it gives up its button too.
			lw.enqueue(ctx, chat, flows.Out{ID: entryID(outCardRetire, ref), Kind: outCardRetire, Node: fmt.Sprintf("%s@%d", ref, pressed)})
		}
		return clip200(ref + " is yours. Reply to its card to write to the person."), nil
	case strings.HasPrefix(q.Data, closeData):
		ref, code, _ := strings.Cut(strings.TrimPrefix(q.Data, closeData), ":")
		outcome := handoff.Outcome(code)
		r, err := lw.close(ctx, ref, w, outcome, "")
		if err != nil {
			return clip200(lw.explain(ctx, ref, err)), nil
		}
		if pressed != 0 {
			text := r.Ref + " closed by " + w.Name + ": " + outcome.Words() + "."
			lw.enqueue(ctx, chat, flows.Out{ID: entryID(outEdit, ref), Kind: outEdit, Node: strconv.FormatInt(pressed, 10), Text: text})
		}
		return clip200(ref + " is closed."), nil
	}
	return "", nil
}

func clip200(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:199]) + "…"
	}
	return s
}
