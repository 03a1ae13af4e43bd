package handoff_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/flows"
	"signpost/handoff"
)

func TestClaimRace(t *testing.T) {
	e := setup(t, handoff.Config{})
	workers := []handoff.Worker{ana, ben, cat}
	for round := range 20 {
		r := mustCreate(t, e, referralEffect(int64(100+round), "run-race-"+itoa(int64(round)), resident()))
		var (
			wg      sync.WaitGroup
			gate    = make(chan struct{})
			mu      sync.Mutex
			winners []handoff.Worker
			holders []handoff.Worker
		)
		for _, w := range workers {
			wg.Go(func() {
				<-gate
				_, _, err := e.desk.Claim(t.Context(), r.Ref, w)
				mu.Lock()
				defer mu.Unlock()
				var ce *handoff.ClaimedError
				switch {
				case err == nil:
					winners = append(winners, w)
				case errors.As(err, &ce) && errors.Is(err, handoff.ErrAlreadyClaimed):
					holders = append(holders, ce.Holder)
				default:
					t.Errorf("Claim by %s: %v", w.Name, err)
				}
			})
		}
		close(gate)
		wg.Wait()
		if len(winners) != 1 {
			t.Fatalf("round %d: %d winners, want exactly 1", round, len(winners))
		}
		for _, h := range holders {
			if h != winners[0] {
				t.Errorf("round %d: loser told %v has it, winner was %v", round, h, winners[0])
			}
		}
		if diff := cmp.Diff([]handoff.EventKind{handoff.EventCreated, handoff.EventClaimed}, kinds(t, e, r.Ref)); diff != "" {
			t.Errorf("round %d history mismatch (-want +got):\n%s", round, diff)
		}
	}
}

func TestCaseload(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	old := mustCreate(t, e, referralEffect(1, "run-1", resident()))
	e.clk.Advance(time.Minute)
	leaver := mustCreate(t, e, referralEffect(2, "run-2", careLeaver()))
	e.clk.Advance(time.Minute)
	newer := mustCreate(t, e, referralEffect(3, "run-3", resident()))
	e.clk.Advance(time.Minute)
	urgent, _, err := e.desk.Flag(ctx, urgentEffect(4, "run-4"))
	if err != nil {
		t.Fatal(err)
	}

	queue := func(team handoff.Team) []string {
		t.Helper()
		rs, err := e.desk.Queue(ctx, team, ana)
		if err != nil {
			t.Fatalf("Queue(%s): %v", team, err)
		}
		var refs []string
		for _, r := range rs {
			refs = append(refs, r.Ref)
		}
		return refs
	}
	if diff := cmp.Diff([]string{urgent.Ref, old.Ref, newer.Ref}, queue(handoff.TeamLinkWorkers)); diff != "" {
		t.Errorf("link workers' queue (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{leaver.Ref}, queue(handoff.TeamLeavingCare)); diff != "" {
		t.Errorf("leaving-care queue (-want +got):\n%s", diff)
	}

	// The card, and a reply to it, lead back to the referral.
	if _, err := e.desk.SetCard(ctx, old.Ref, linkChat, 55); err != nil {
		t.Fatal(err)
	}
	if ref, ok, err := e.desk.RefByCard(ctx, linkChat, 55); err != nil || !ok || ref != old.Ref {
		t.Errorf("RefByCard = %q %v %v, want %s", ref, ok, err, old.Ref)
	}
	if _, ok, _ := e.desk.RefByCard(ctx, linkChat, 56); ok {
		t.Error("RefByCard found a message that is no card")
	}

	e.clk.Advance(10 * time.Minute)
	if _, _, err := e.desk.Message(ctx, old.Ref, ana, "Hello, it is your link worker"); !errors.Is(err, handoff.ErrNotClaimed) {
		t.Errorf("message before claim: %v, want ErrNotClaimed", err)
	}
	if _, _, err := e.desk.Claim(ctx, old.Ref, ana); err != nil {
		t.Fatal(err)
	}
	claimedAt := e.clk.Now()
	if _, _, err := e.desk.Claim(ctx, old.Ref, ana); err != nil {
		t.Errorf("claiming one's own referral again: %v", err)
	}
	if diff := cmp.Diff([]string{urgent.Ref, newer.Ref}, queue(handoff.TeamLinkWorkers)); diff != "" {
		t.Errorf("queue after claim (-want +got):\n%s", diff)
	}
	e.clk.Advance(time.Hour)
	firstContact := e.clk.Now()
	for range 2 {
		if _, _, err := e.desk.Message(ctx, old.Ref, ana, "Hello, it is your link worker"); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(time.Minute)
	}
	if ref, ok, err := e.desk.OpenCaseOf(ctx, 1); err != nil || !ok || ref != old.Ref {
		t.Errorf("OpenCaseOf(1) = %q %v %v", ref, ok, err)
	}
	relayed, ns, err := e.desk.FromPerson(ctx, 1, 41, "Thursday is good")
	if err != nil || !relayed {
		t.Fatalf("FromPerson = %v, %v; want relayed", relayed, err)
	}
	if len(ns) != 2 || ns[0].Kind != handoff.NoticeWorker || ns[0].To != ana || !strings.Contains(ns[0].Text, "Thursday is good") ||
		ns[1].Kind != handoff.NoticeTeam || strings.Contains(ns[1].Text, "Thursday") {
		t.Errorf("FromPerson notices: the words must go to the holder alone, the team told without them: %+v", ns)
	}
	once := ns[0].Once
	if once == "" {
		t.Errorf("the words for the holder carry no once key: %+v", ns[0])
	}
	// Telegram sends update 41 again (its answer was lost, or the notice was
	// never written): the case has its words already, so nothing is kept
	// twice, and the words for the holder are asked for again under the
	// same once key, for the adapter to put in their chat once. Update 42
	// is new.
	relayed, ns, err = e.desk.FromPerson(ctx, 1, 41, "Thursday is good")
	if err != nil || !relayed || len(ns) != 1 || ns[0].Kind != handoff.NoticeWorker || ns[0].Once != once || !strings.Contains(ns[0].Text, "Thursday is good") {
		t.Errorf("the same update again: relayed %v, notices %+v, err %v; want relayed with the holder's notice again, once key %q", relayed, ns, err, once)
	}
	if h, err := e.st.History(ctx, old.Ref); err == nil {
		n := 0
		for _, ev := range h {
			if ev.Kind == handoff.EventFromPerson {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d messages from the person in the history, want 1", n)
		}
	}
	relayed, ns, err = e.desk.FromPerson(ctx, 1, 42, "or Friday")
	if err != nil || !relayed || len(ns) != 1 || ns[0].Kind != handoff.NoticeWorker || ns[0].Once == once {
		t.Errorf("a new update: relayed %v, notices %+v, err %v; want it passed to the holder under a key of its own", relayed, ns, err)
	}
	if _, _, err := e.desk.Note(ctx, old.Ref, ana, "Booked into the Tuesday walking group"); err != nil {
		t.Fatal(err)
	}
	mine := func(w handoff.Worker) []string {
		t.Helper()
		rs, err := e.desk.Mine(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, r := range rs {
			refs = append(refs, r.Ref)
		}
		return refs
	}
	if diff := cmp.Diff([]string{old.Ref}, mine(ana)); diff != "" {
		t.Errorf("Mine(ana) (-want +got):\n%s", diff)
	}
	if _, _, err := e.desk.Reassign(ctx, old.Ref, ana, ben); err != nil {
		t.Fatal(err)
	}
	if got := mine(ana); len(got) != 0 {
		t.Errorf("Mine(ana) after reassign = %v, want none", got)
	}
	if diff := cmp.Diff([]string{old.Ref}, mine(ben)); diff != "" {
		t.Errorf("Mine(ben) (-want +got):\n%s", diff)
	}
	if _, _, err := e.desk.Close(ctx, old.Ref, ben, "sorted", ""); !errors.Is(err, handoff.ErrBadOutcome) {
		t.Errorf("Close with a bad outcome: %v", err)
	}
	closed, _, err := e.desk.Close(ctx, old.Ref, ben, handoff.OutcomeConnectedGroup, "Walking group")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Close(ctx, old.Ref, ben, handoff.OutcomeAdvice, ""); !errors.Is(err, handoff.ErrClosed) {
		t.Errorf("closing twice: %v, want ErrClosed", err)
	}
	if _, _, err := e.desk.Claim(ctx, old.Ref, cat); !errors.Is(err, handoff.ErrClosed) {
		t.Errorf("claiming a closed referral: %v, want ErrClosed", err)
	}
	if got := mine(ben); len(got) != 0 {
		t.Errorf("Mine(ben) after close = %v", got)
	}
	if _, ok, _ := e.desk.OpenCaseOf(ctx, 1); ok {
		t.Error("OpenCaseOf found a closed referral")
	}

	want := handoff.Referral{Status: handoff.StatusClosed, Outcome: handoff.OutcomeConnectedGroup, Holder: ben}
	got := handoff.Referral{Status: closed.Status, Outcome: closed.Outcome, Holder: closed.Holder}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("closed referral (-want +got):\n%s", diff)
	}
	if !closed.Claimed.Equal(claimedAt) || !closed.FirstContact.Equal(firstContact) || !closed.NextReminder.IsZero() {
		t.Errorf("claimed %v first contact %v next reminder %v; want %v, %v, none",
			closed.Claimed, closed.FirstContact, closed.NextReminder, claimedAt, firstContact)
	}

	c, err := e.desk.Case(ctx, old.Ref, cat)
	if err != nil {
		t.Fatal(err)
	}
	var history []string
	for _, ev := range c.History {
		history = append(history, string(ev.Kind)+" "+ev.Actor.Name+" "+ev.Text)
	}
	wantHistory := []string{
		"created  ", "posted  ", "claimed Ana ", "message_to_person Ana Hello, it is your link worker",
		"message_to_person Ana Hello, it is your link worker",
		"message_from_person  Thursday is good", "message_from_person  or Friday",
		"note Ana Booked into the Tuesday walking group", "reassigned Ana Ben Jones",
		"closed Ben Jones connected_group: Walking group",
	}
	if diff := cmp.Diff(wantHistory, history); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}

// urgentEffect is an urgent flag without consent.
func urgentEffect(user int64, run string) flows.Effect {
	return flows.Effect{Kind: "urgent_flag", Key: run + ":urgent:1", User: user, Run: run}
}

func TestUnauthorised(t *testing.T) {
	e := setup(t, handoff.Config{})
	r := mustCreate(t, e, referralEffect(1, "run-1", resident()))
	held := mustCreate(t, e, referralEffect(2, "run-2", resident()))
	if _, _, err := e.desk.Claim(t.Context(), held.Ref, ana); err != nil {
		t.Fatal(err)
	}
	ops := []struct {
		name string
		op   func(context.Context) (any, error)
	}{
		{"claim", func(ctx context.Context) (any, error) { return drop(e.desk.Claim(ctx, r.Ref, eve)) }},
		{"queue", func(ctx context.Context) (any, error) { return e.desk.Queue(ctx, handoff.TeamLinkWorkers, eve) }},
		{"mine", func(ctx context.Context) (any, error) { return e.desk.Mine(ctx, eve) }},
		{"case", func(ctx context.Context) (any, error) { return e.desk.Case(ctx, r.Ref, eve) }},
		{"case of an unknown reference", func(ctx context.Context) (any, error) { return e.desk.Case(ctx, "R-ZZZZZ", eve) }},
		{"note", func(ctx context.Context) (any, error) { return drop(e.desk.Note(ctx, r.Ref, eve, "x")) }},
		{"close", func(ctx context.Context) (any, error) {
			return drop(e.desk.Close(ctx, r.Ref, eve, handoff.OutcomeAdvice, ""))
		}},
		{"reassign by a stranger", func(ctx context.Context) (any, error) { return drop(e.desk.Reassign(ctx, held.Ref, eve, ben)) }},
		{"reassign to a stranger", func(ctx context.Context) (any, error) { return drop(e.desk.Reassign(ctx, held.Ref, ana, eve)) }},
		{"message to the person", func(ctx context.Context) (any, error) {
			return drop(e.desk.Message(ctx, held.Ref, eve, "Hello, it is your link worker"))
		}},
		{"cases", func(ctx context.Context) (any, error) {
			ss, _, err := e.desk.Cases(ctx, eve, handoff.Filter{}, 0, 50)
			return ss, err
		}},
		{"search", func(ctx context.Context) (any, error) { return e.desk.Search(ctx, eve, "Sam") }},
	}
	for _, tt := range ops {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.op(t.Context())
			if !errors.Is(err, handoff.ErrNotAuthorised) {
				t.Fatalf("error = %v, want ErrNotAuthorised", err)
			}
			if !isZero(got) {
				t.Errorf("a refused caller got %+v, want nothing", got)
			}
		})
	}
	for _, ref := range []string{r.Ref, held.Ref} {
		if n := len(kinds(t, e, ref)); n > 2 {
			t.Errorf("%s changed by refused callers: %v", ref, kinds(t, e, ref))
		}
	}
}

func TestAuthoriserTeams(t *testing.T) {
	member := func(_ context.Context, user int64) ([]handoff.Team, error) {
		switch user {
		case 500:
			return nil, errors.New("telegram unavailable")
		case 400:
			return []handoff.Team{handoff.TeamLinkWorkers}, nil
		case 402:
			return []handoff.Team{handoff.TeamLeavingCare}, nil
		}
		return nil, nil
	}
	lc, lw := handoff.TeamLeavingCare, handoff.TeamLinkWorkers
	tests := []struct {
		name     string
		separate bool
		user     int64
		want     []handoff.Team
		manager  bool
	}{
		{"listed", true, ana.ID, []handoff.Team{lw}, false},
		{"listed, no separate leaving-care team", false, ana.ID, []handoff.Team{lc, lw}, false},
		{"listed for leaving care", true, cat.ID, []handoff.Team{lc}, false},
		{"member of the link workers' group", true, 400, []handoff.Team{lw}, false},
		{"member of the leaving-care group", true, 402, []handoff.Team{lc}, false},
		{"manager", true, 700, []handoff.Team{handoff.TeamChildren, lc, lw}, true},
		{"neither", true, 401, nil, false},
		{"membership check fails", true, 500, nil, false},
		{"no user", true, 0, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := handoff.NewAuthoriser(handoff.AuthConfig{
				LinkWorkers: []int64{ana.ID}, LeavingCare: []int64{cat.ID}, Managers: []int64{700},
				SeparateLeavingCare: tt.separate, Member: member,
			})
			acc, err := a.Access(t.Context(), handoff.Worker{ID: tt.user})
			if tt.want == nil {
				if !errors.Is(err, handoff.ErrNotAuthorised) {
					t.Errorf("Access(%d) = %+v, %v; want ErrNotAuthorised", tt.user, acc, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, acc.Teams); diff != "" || acc.Manager != tt.manager {
				t.Errorf("Access(%d) teams (-want +got):\n%s manager %v", tt.user, diff, acc.Manager)
			}
		})
	}
	if _, err := (handoff.Authoriser{}).Access(t.Context(), ana); err == nil {
		t.Error("the zero Authoriser allowed someone")
	}
}

// TestOtherTeamRefused: a worker of one team neither sees nor touches the
// other team's cases.
func TestOtherTeamRefused(t *testing.T) {
	e := setupAuth(t, handoff.Config{}, handoff.AuthConfig{LinkWorkers: []int64{ana.ID}, LeavingCare: []int64{cat.ID}, SeparateLeavingCare: true})
	ctx := t.Context()
	leaver := mustCreate(t, e, referralEffect(2, "run-2", careLeaver()))
	if _, _, err := e.desk.Claim(ctx, leaver.Ref, ana); !errors.Is(err, handoff.ErrNotAuthorised) {
		t.Errorf("a link worker claimed a leaving-care case: %v", err)
	}
	if _, err := e.desk.Case(ctx, leaver.Ref, ana); !errors.Is(err, handoff.ErrNotAuthorised) {
		t.Errorf("a link worker opened a leaving-care case: %v", err)
	}
	if ss, _, err := e.desk.Cases(ctx, ana, handoff.Filter{}, 0, 50); err != nil || len(ss) != 0 {
		t.Errorf("a link worker's cases: %v, %v; want none", ss, err)
	}
	if ss, _, err := e.desk.Cases(ctx, cat, handoff.Filter{}, 0, 50); err != nil || len(ss) != 1 {
		t.Errorf("the leaving-care worker's cases: %v, %v; want the one", ss, err)
	}
	if _, _, err := e.desk.Claim(ctx, leaver.Ref, cat); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Reassign(ctx, leaver.Ref, cat, ana); !errors.Is(err, handoff.ErrNotAuthorised) {
		t.Errorf("reassigned to a worker of another team: %v", err)
	}
}

// drop keeps a result and its error and leaves the notices out.
func drop[T any](v T, _ handoff.Notices, err error) (any, error) { return v, err }

// isZero reports whether a refused operation returned an empty result.
func isZero(v any) bool {
	switch v := v.(type) {
	case handoff.Referral:
		return v.Ref == ""
	case []handoff.Referral:
		return len(v) == 0
	case handoff.CaseFile:
		return v.Referral.Ref == "" && len(v.History) == 0
	case []handoff.Summary:
		return len(v) == 0
	}
	return false
}

// The person's every message reaches the worker who holds their case; the
// team's group is told they wrote once an hour at most.
func TestTeamToldOnceAnHourThatThePersonWrote(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	r := mustCreate(t, e, referralEffect(1, "run-1", resident()))
	if _, _, err := e.desk.Claim(ctx, r.Ref, ana); err != nil {
		t.Fatal(err)
	}
	kinds := func(ns handoff.Notices) []handoff.NoticeKind {
		var out []handoff.NoticeKind
		for _, n := range ns {
			out = append(out, n.Kind)
		}
		return out
	}
	both := []handoff.NoticeKind{handoff.NoticeWorker, handoff.NoticeTeam}
	for _, step := range []struct {
		after time.Duration
		want  []handoff.NoticeKind
	}{
		{0, both},
		{59 * time.Minute, []handoff.NoticeKind{handoff.NoticeWorker}},
		{time.Hour, both},
	} {
		e.clk.Advance(step.after)
		relayed, ns, err := e.desk.FromPerson(ctx, 1, 0, "hello")
		if err != nil || !relayed {
			t.Fatalf("FromPerson = %v, %v", relayed, err)
		}
		if diff := cmp.Diff(step.want, kinds(ns)); diff != "" {
			t.Errorf("%s after the last: notices (-want +got):\n%s", step.after, diff)
		}
	}
}

// TestClaimCardPressedBeforeItIsRecorded: a card claimed in the moment
// between its post and its record becomes the referral's card, once; a
// card already on record is kept.
func TestClaimCardPressedBeforeItIsRecorded(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	r := mustCreate(t, e, referralEffect(1, "run-1", resident()))
	pressed := handoff.Card{Chat: -100, Message: 7}
	got, _, err := e.desk.ClaimCard(ctx, r.Ref, ana, pressed)
	if err != nil {
		t.Fatal(err)
	}
	if got.Card != pressed || got.Posted.IsZero() {
		t.Errorf("card %+v posted %v, want %+v and a time", got.Card, got.Posted, pressed)
	}
	// The adapter's own record, when it comes, changes nothing.
	if _, err := e.desk.SetCard(ctx, r.Ref, pressed.Chat, pressed.Message); err != nil {
		t.Fatal(err)
	}
	want := []handoff.EventKind{handoff.EventCreated, handoff.EventPosted, handoff.EventClaimed}
	if diff := cmp.Diff(want, kinds(t, e, r.Ref)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}

	// A card on record stays the card whatever was pressed.
	other := mustCreate(t, e, referralEffect(2, "run-2", resident()))
	if _, err := e.desk.SetCard(ctx, other.Ref, -100, 9); err != nil {
		t.Fatal(err)
	}
	got, _, err = e.desk.ClaimCard(ctx, other.Ref, ben, handoff.Card{Chat: -100, Message: 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := (handoff.Card{Chat: -100, Message: 9}); got.Card != want {
		t.Errorf("card %+v, want %+v kept", got.Card, want)
	}
}
