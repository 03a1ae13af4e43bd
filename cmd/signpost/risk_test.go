package main

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"signpost/content/risk"
	"signpost/handoff"
	"signpost/internal/telegramtest"
)

// riskMessages are disclosures of each kind of risk as people write them.
var riskMessages = []struct {
	kind risk.Kind
	text string
}{
	{risk.Overdose, "i took 20 paracetamol an hour ago"},
	{risk.DangerNow, "he's outside the door with a knife and i'm not safe right now"},
	{risk.Suicide, "honestly I just want to die"},
	{risk.SelfHarm, "i've been cutting myself again"},
	{risk.SexualViolence, "I was raped last year"},
	{risk.ChildAbuse, "my dad beats me"},
	{risk.DomesticAbuse, "my boyfriend chokes me when he's angry"},
	{risk.Exploitation, "they make me carry drugs for them"},
	{risk.NowhereTonight, "I'm sleeping on the street tonight"},
	{risk.SomeoneElse, "my friend wants to kill herself"},
}

// riskPlaces bring a person to a point of the conversation and say what
// they wrote there: each returns what the bot asks once "are you safe right
// now?" is answered ("" when nothing more), and whether the words are kept
// as the answer to the question they were written at.
var riskPlaces = []struct {
	name string
	at   func(t *testing.T, tg *telegramtest.Server, p *telegramtest.Person, text string)
	next string
	kept string // the answer the words are kept as; "" for none
}{
	{name: "at the consent question", at: func(t *testing.T, tg *telegramtest.Server, p *telegramtest.Person, text string) {
		p.Send("/start")
		expect(t, p, "Is it OK for us to keep your answers")
		p.Send(text)
	}, next: "Is it OK for us to keep your answers"},
	{name: "mid-conversation", at: func(t *testing.T, tg *telegramtest.Server, p *telegramtest.Person, text string) {
		startReferral(t, tg, p)
		expect(t, p, "What matters to you most")
		p.Send(text)
	}, next: "What would you like help with?", kept: "what_matters"},
	{name: "after the end", at: func(t *testing.T, tg *telegramtest.Server, p *telegramtest.Person, text string) {
		referForCheckins(t, tg, p, false)
		p.Send(text)
	}},
	{name: "in an edited message", at: func(t *testing.T, tg *telegramtest.Server, p *telegramtest.Person, text string) {
		startReferral(t, tg, p)
		expect(t, p, "What matters to you most")
		m := p.Send("Company")
		expect(t, p, "In the last two weeks")
		if _, err := p.Edit(m.MessageID, text); err != nil {
			t.Fatal(err)
		}
	}, next: "In the last two weeks"},
	{name: "in a caption", at: func(t *testing.T, tg *telegramtest.Server, p *telegramtest.Person, text string) {
		startReferral(t, tg, p)
		expect(t, p, "What matters to you most")
		p.SendPhoto(text)
	}, next: "What matters to you most"},
}

// startReferral consents and gives a name and an age band.
func startReferral(t *testing.T, tg *telegramtest.Server, p *telegramtest.Person) {
	t.Helper()
	p.Send("/start")
	expect(t, p, "Is it OK for us to keep your answers")
	press(t, tg, p, "Yes, that's OK")
	expect(t, p, "What would you like us to call you?")
	p.Send("Rae")
	expect(t, p, "How old are you?")
	press(t, tg, p, "26 to 49")
}

// TestRiskEverywhere: a disclosure of each kind, wherever it is written, gets
// the response for its kind, "are you safe right now?" and a flag with the
// kind on it; then the conversation carries on where it was, never with
// "sorry" or the welcome again. "No" brings 999 first and a flag saying so.
func TestRiskEverywhere(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	bundle := builtinContent(t)
	for _, m := range riskMessages {
		if got := bundle.Assess("en", m.text).Lead(); got != m.kind {
			t.Fatalf("%q reads as %q, want %q", m.text, got, m.kind)
		}
		for i, place := range riskPlaces {
			t.Run(string(m.kind)+"/"+place.name, func(t *testing.T) {
				t.Parallel()
				p := cb.tg.NewPerson("Rae")
				place.at(t, cb.tg, p, m.text)
				response := firstLine(bundle.RiskResponse("en", m.kind, false, nil))
				expectSaid(t, p, response)
				expect(t, p, "Are you safe right now?")
				safe := []string{"Yes", "No", "I'd rather not say"}[i%3]
				press(t, cb.tg, p, safe)
				if safe == "No" {
					expectSaid(t, p, "Please call 999 now")
				}
				if place.next != "" {
					expect(t, p, place.next)
				}
				checkNoSorry(t, p)
				r := flagOf(t, cb.bench, p.User().ID, m.kind)
				if safe == "No" {
					waitUntil(t, func() bool {
						r = flagOf(t, cb.bench, p.User().ID, m.kind)
						return slices.Contains(r.Reasons, handoff.ReasonNotSafe)
					}, "the flag to say they are not safe now")
				}
				if place.kept != "" {
					if got := cb.session(p.User().ID).Answers[place.kept]; got != m.text {
						t.Errorf("%s = %q, want what they wrote", place.kept, got)
					}
				}
				card := handoff.CardText(r)
				if !strings.Contains(card, "Risk: "+handoff.RiskWords(string(m.kind))) {
					t.Errorf("the card does not name the risk:\n%s", card)
				}
			})
		}
	}
}

// firstLine is the first line of s.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// checkNoSorry fails when the bot answered anything with "sorry, I didn't
// catch that" or the welcome more than once.
func checkNoSorry(t *testing.T, p *telegramtest.Person) {
	t.Helper()
	welcomes := 0
	for _, e := range p.BotMessages() {
		if strings.Contains(e.Text, "didn't catch that") || strings.Contains(e.Text, "You have finished") {
			t.Errorf("the bot said %q", e.Text)
		}
		if strings.Contains(e.Text, "Hello, and welcome") {
			welcomes++
		}
	}
	if welcomes > 1 {
		t.Errorf("welcomed %d times", welcomes)
	}
}

// flagOf waits for the person's urgent referral to name kind, and returns it.
func flagOf(t *testing.T, b *bench, user int64, kind risk.Kind) handoff.Referral {
	t.Helper()
	desk := b.svc.Desk()
	var r handoff.Referral
	waitUntil(t, func() bool {
		ref, ok, err := desk.OpenCaseOf(context.Background(), user)
		if err != nil || !ok {
			return false
		}
		r, err = desk.Referral(context.Background(), ref)
		return err == nil && r.Urgent && slices.Contains(r.Risks, string(kind))
	}, "an urgent flag naming "+string(kind))
	return r
}

// TestRiskInCheckins: a disclosure in a check-in, instead of an answer or
// as the few words after one, is answered and flagged as anywhere else, and
// the check-in carries on.
func TestRiskInCheckins(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	bundle := builtinContent(t)
	type person struct {
		p    *telegramtest.Person
		kind risk.Kind
		text string
	}
	var people []person
	for _, m := range riskMessages {
		people = append(people, person{cb.tg.NewPerson("Rae"), m.kind, m.text})
	}
	t.Run("enrol", func(t *testing.T) {
		for _, x := range people {
			t.Run(string(x.kind), func(t *testing.T) {
				t.Parallel()
				referForCheckins(t, cb.tg, x.p, false)
				cb.enrolled(x.p.User().ID)
			})
		}
	})
	var last time.Time
	for _, x := range people {
		if n := cb.next(x.p.User().ID); n.After(last) {
			last = n
		}
	}
	cb.tick(last)
	for _, x := range people {
		t.Run(string(x.kind), func(t *testing.T) {
			t.Parallel()
			first := expect(t, x.p, "?")
			x.p.Send(x.text)
			expectSaid(t, x.p, firstLine(bundle.RiskResponse("en", x.kind, false, nil)))
			expect(t, x.p, "Are you safe right now?")
			press(t, cb.tg, x.p, "Yes")
			expect(t, x.p, first.Text)
			checkNoSorry(t, x.p)
			flagOf(t, cb.bench, x.p.User().ID, x.kind)
		})
	}
}

// TestRiskUnder17: a young person who ended the conversation as under 17 and
// then tells of harm gets Childline and the council's children's services,
// and the flag goes to the children's safeguarding group marked under 17,
// keeping nothing else of theirs; they are never welcomed again.
func TestRiskUnder17(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	safeguarder := tg.NewPerson("Kim")
	children := tg.NewGroup("Children's safeguarding", safeguarder)
	children.AddBot(safeguarder)
	worker := tg.NewPerson("Lin")
	workers := tg.NewGroup("Link workers", worker)
	workers.AddBot(worker)
	b := startBot(t, tg, map[string]string{
		"LINKWORKER_CHAT_ID":            strconv.FormatInt(workers.ID(), 10),
		"CHILDREN_SAFEGUARDING_CHAT_ID": strconv.FormatInt(children.ID(), 10),
		"CHILDREN_FRONT_DOOR_PHONE":     "020 8496 5000",
	})
	p := tg.NewPerson("Robin")
	p.Send("/start")
	expect(t, p, "Is it OK for us to keep your answers")
	press(t, tg, p, "Yes, that's OK")
	expect(t, p, "What would you like us to call you?")
	p.Send("Robin")
	expect(t, p, "How old are you?")
	press(t, tg, p, "Under 17")
	expect(t, p, "This service is for people aged 17 and over")

	p.Send("my dad beats me and I want to die")
	expectSaid(t, p, "Childline")
	expectSaid(t, p, "020 8496 5000")
	expect(t, p, "Are you safe right now?")
	press(t, tg, p, "Yes")
	if _, err := children.WaitBotMessages(testCtx(t), 1); err != nil {
		t.Fatalf("no flag in the children's safeguarding group: %v", err)
	}
	card := children.BotMessages()[0].Text
	if !strings.Contains(card, "Under 17") || !strings.Contains(card, "Risk:") {
		t.Errorf("the children's group got:\n%s", card)
	}
	if strings.Contains(card, "Robin") || strings.Contains(card, "beats") {
		t.Errorf("the flag keeps what the young person wrote or their name:\n%s", card)
	}
	if n := len(workers.BotMessages()); n != 0 {
		t.Errorf("%d messages in the link workers' group, want the flag only with the children's team", n)
	}
	ref, ok, err := b.svc.Desk().OpenCaseOf(context.Background(), p.User().ID)
	if err != nil || !ok {
		t.Fatalf("no flag for the young person: %v", err)
	}
	r, err := b.svc.Desk().Referral(context.Background(), ref)
	if err != nil || r.Team != handoff.TeamChildren || !r.Young() || r.Name != "" || r.UrgentText != "" {
		t.Errorf("referral %+v, %v: want the children's team, under 17, nothing of theirs", r, err)
	}

	p.Send("hello?")
	expect(t, p, "This service is for people aged 17 and over")
	checkNoSorry(t, p)
	if s := b.session(p.User().ID); !s.Young || len(s.Answers) != 0 {
		t.Errorf("session %+v: want only the under-17 mark", s)
	}
}

// TestDirectQuestionByButtons: someone who only presses buttons is asked
// about risk directly; "Yes" brings the response for suicidal thoughts and
// self-harm, "are you safe", and an urgent flag; then the conversation
// carries on.
func TestDirectQuestionByButtons(t *testing.T) {
	t.Parallel()
	cb := startCheckins(t, nil)
	p := cb.tg.NewPerson("Rae")
	startReferral(t, cb.tg, p)
	expect(t, p, "What matters to you most")
	press(t, cb.tg, p, "Skip")
	expect(t, p, "In the last two weeks, have you had thoughts that you would be better off dead, or of hurting yourself?")
	press(t, cb.tg, p, "Yes")
	bundle := builtinContent(t)
	expectSaid(t, p, firstLine(bundle.RiskResponse("en", risk.Suicide, false, nil)))
	expect(t, p, "Are you safe right now?")
	press(t, cb.tg, p, "Yes")
	expect(t, p, "What would you like help with?")
	r := flagOf(t, cb.bench, p.User().ID, risk.Suicide)
	if !slices.Contains(r.Risks, string(risk.SelfHarm)) {
		t.Errorf("risks %v, want self-harm too", r.Risks)
	}
}
