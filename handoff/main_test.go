package handoff_test

import (
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
	"signpost/handoff"
	"signpost/handoff/report"
	"signpost/internal/redistest"
	"signpost/internal/testclock"
	"signpost/store"
)

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

var london = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// start is Monday 2 March 2026, 09:30 in London, when every test begins.
var start = time.Date(2026, 3, 2, 9, 30, 0, 0, london)

// Workers the tests use; ana, ben and cat are authorised, eve is not.
var (
	ana = handoff.Worker{ID: 101, Name: "Ana"}
	ben = handoff.Worker{ID: 102, Name: "Ben Jones"}
	cat = handoff.Worker{ID: 103, Name: "Cat"}
	eve = handoff.Worker{ID: 999, Name: "Eve"}
)

// linkChat is the link workers' group of the tests' cards.
const linkChat = -1001

// env is a Desk on a Store of the test's own, with the raw client for
// checking what Redis holds.
type env struct {
	desk   *handoff.Desk
	st     *store.Store
	rdb    *redis.Client
	prefix string
	clk    *testclock.Clock
}

// setup returns a Desk on real Redis, its clock at start, where ana, ben and
// cat are link workers who also take care leavers. cfg.Now is overwritten.
func setup(t testing.TB, cfg handoff.Config) env {
	t.Helper()
	return setupAuth(t, cfg, handoff.AuthConfig{LinkWorkers: []int64{ana.ID, ben.ID, cat.ID}})
}

// setupAuth is setup with the teams of ac.
func setupAuth(t testing.TB, cfg handoff.Config, ac handoff.AuthConfig) env {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	clk := testclock.New(start)
	st := store.New(rdb, store.Config{Prefix: prefix, Now: clk.Now})
	cfg.Now = clk.Now
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return env{desk: handoff.New(st, handoff.NewAuthoriser(ac), cfg), st: st, rdb: rdb, prefix: prefix, clk: clk}
}

// resident is the answers of a resident who finished the conversation.
func resident() map[string]string {
	return map[string]string{
		"name": "Sam", "age": "26-49", "what_matters": "Getting out of the flat more",
		"needs": "money,lonely", "money_urgent": "yes", "source": "gp_F86001",
		"ons_life": "3", "ons_worth": "5", "ons_happy": "", "ons_anxious": "7",
		"postcode": "e17", "contact": "yes", "contact_how": "phone", "phone": "07700 900123",
		"contact_when": "morning", "checkins": "no",
	}
}

// careLeaver is the answers of a care leaver.
func careLeaver() map[string]string {
	return map[string]string{
		"name": "Jo", "age": "17-25", "care_leaver": "yes", "needs": "befriending,volunteering",
		"source": "pa", "contact": "yes", "contact_how": "telegram", "contact_when": "any", "checkins": "yes",
	}
}

// referralEffect is the create_referral effect of a run.
func referralEffect(user int64, run string, answers map[string]string) flows.Effect {
	return flows.Effect{
		Kind: "create_referral", Key: run + ":referral", User: user, Run: run,
		Ref: flows.Ref(run), Lang: "en", Consent: true, Answers: answers,
	}
}

// mustCreate creates a referral and fails the test if it cannot.
func mustCreate(t testing.TB, e env, eff flows.Effect) handoff.Referral {
	t.Helper()
	r, _, err := e.desk.CreateReporting(t.Context(), eff)
	if err != nil {
		t.Fatalf("Create(%s): %v", eff.Key, err)
	}
	return r
}

// kinds lists the kinds of a referral's history.
func kinds(t testing.TB, e env, ref string) []handoff.EventKind {
	t.Helper()
	h, err := e.st.History(t.Context(), ref)
	if err != nil {
		t.Fatalf("History(%s): %v", ref, err)
	}
	var out []handoff.EventKind
	for _, ev := range h {
		out = append(out, ev.Kind)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// records are the figures' records of the referrals created in [from, to).
func records(t testing.TB, e env, from, to time.Time) []report.Record {
	t.Helper()
	var out []report.Record
	if err := e.st.EachCreated(t.Context(), from, to, func(r handoff.Referral) error {
		out = append(out, handoff.RecordOf(r))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
