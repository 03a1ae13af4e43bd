package directory

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var fixedNow = func() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) }

func mustMapping(t testing.TB, path string) *Mapping {
	t.Helper()
	m, err := LoadMapping(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func reasons(ss []Skipped) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.String())
	}
	return out
}

func TestImportHSDSExamples(t *testing.T) {
	const counselling = "ac148810-d857-441c-9679-408f346de14b (Community Counselling)"
	tests := []struct {
		name         string
		file         string
		mapping      string
		wantImported int
		wantSkipped  []string
		wantNotes    []string
	}{
		{
			name:        "full service: its only term is a placeholder, so no need maps",
			file:        "service_full.json",
			wantSkipped: []string{"page 1: " + counselling + ": no mappable need (no taxonomy terms)"},
		},
		{
			name:         "full service with a keyword mapping from a file",
			file:         "service_full.json",
			mapping:      "testdata/mapping_keywords.yaml",
			wantImported: 1,
		},
		{
			name:        "list page read as a file: one page of ten, noted; its summary has no contacts",
			file:        "service_list.json",
			mapping:     "testdata/mapping_keywords.yaml",
			wantSkipped: []string{"page 1: " + counselling + ": no usable phone, email or web address"},
			wantNotes:   []string{"the file holds page 1 of 10; only it was imported"},
		},
		{
			name:         "organization with its services",
			file:         "organization_full.json",
			mapping:      "testdata/mapping_keywords.yaml",
			wantImported: 1,
		},
		{
			name:        "taxonomy term list is not a list of services",
			file:        "taxonomy_term_list.json",
			wantSkipped: []string{"page 1: 3f7b145d-84af-42d7-8fae-eaca714b02b2 (name): no name"},
			wantNotes:   []string{"the file holds page 1 of 10; only it was imported"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Import(context.Background(), filepath.Join("testdata", "hsds", tc.file),
				ImportOptions{Mapping: mustMapping(t, tc.mapping), Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if res.Imported != tc.wantImported {
				t.Errorf("Imported = %d, want %d", res.Imported, tc.wantImported)
			}
			if diff := cmp.Diff(tc.wantSkipped, reasons(res.Skipped)); diff != "" {
				t.Errorf("Skipped (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantNotes, res.Notes); diff != "" {
				t.Errorf("Notes (-want +got):\n%s", diff)
			}
			if HasErrors(Check(res.Directory)) {
				t.Errorf("imported directory fails Check: %v", Check(res.Directory))
			}
		})
	}
}

func TestImportHSDSServiceFields(t *testing.T) {
	res, err := Import(context.Background(), "testdata/hsds/service_full.json",
		ImportOptions{Mapping: mustMapping(t, "testdata/mapping_keywords.yaml"), Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	got, ok := res.Directory.ByID("or-ac148810-d857-441c-9679-408f346de14b")
	if !ok {
		t.Fatalf("imported service missing; added %v", res.Added)
	}
	want := Service{
		ID:           "or-ac148810-d857-441c-9679-408f346de14b",
		SourceID:     "ac148810-d857-441c-9679-408f346de14b",
		Name:         "Community Counselling",
		Organisation: "Example Organization Inc.",
		Description:  "Counselling Services provided by trained professionals. Suitable for people with mental health conditions such as anxiety, depression, or eating disorders as well as people experiencing difficult life events and circumstances.",
		Needs:        []string{NeedOther},
		// 100 is read as "no upper limit".
		Eligibility: Eligibility{MinAge: 12},
		// Its only address is postal, not where the service meets.
		Where: Place{},
		When: Schedule{
			Days: []string{"thu", "fri"}, Times: "10:00-18:00",
			Text: "The service is available from 10 am to 6pm weekdays. The service is not available on public holidays.",
		},
		Cost: Cost{Text: "£35 per 1 hour session Non-NHS patients are expected to pay for their counselling sessions. We charge a flat rate per hour of counselling. The current rate is £50 per hour. Please see our website…"},
		// The quoted number is unquoted; example.com addresses are dropped
		// as placeholders.
		Join:          Join{Phone: "+44 1234 234567"},
		Languages:     []string{"Urdu"},
		Accessibility: "The building is equipped with induction loops for hearing aids. Wheelchair access is possible on all levels.",
		Status:        StatusActive,
		LastReviewed:  "2005-01-01",
		Source:        "service_full.json (record ac148810-d857-441c-9679-408f346de14b)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("imported service (-want +got):\n%s", diff)
	}
}

func TestImportMalformed(t *testing.T) {
	res, err := Import(context.Background(), "testdata/malformed.json", ImportOptions{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	wantSkipped := []string{
		"page 1: record 0: malformed record: not a JSON object",
		"page 1: record 1: malformed record: not a JSON object",
		"page 1: record 2: malformed record: not a JSON object",
		"page 1: record 3 (No id here): no id",
		"page 1: n1 (n/a): no name",
		`page 1: n2 (Closed debt clinic): inactive (status "defunct")`,
		`page 1: n3 (Odd status): unknown status "maybe"`,
		"page 1: n4 (Parking): no mappable need (terms: Parking permits)",
		"page 1: n5 (Bad ages): malformed age limits",
		"page 1: n6 (Upside-down ages): minimum age 30 above maximum age 20",
		"page 1: n7 (No contact): no usable phone, email or web address",
		"page 1: ok-1 (Duplicate of ok-1): duplicate id in the feed",
	}
	if diff := cmp.Diff(wantSkipped, reasons(res.Skipped)); diff != "" {
		t.Errorf("Skipped (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"or-ok-1", "or-ok-2"}, res.Added); diff != "" {
		t.Errorf("Added (-want +got):\n%s", diff)
	}
	got, _ := res.Directory.ByID("or-ok-1")
	want := Service{
		ID: "or-ok-1", SourceID: "ok-1",
		Name:        "Money & debt café",
		Description: "x Help with bills .",
		Needs:       []string{NeedMoney},
		Advice:      true,
		Eligibility: Eligibility{MinAge: 18, CareLeaversOnly: true, Areas: []string{"E11", "Waltham Forest"}},
		Where:       Place{Address: "1 High Road", Postcode: "E113AA", AreaName: "Leytonstone"},
		When:        Schedule{Days: []string{"mon", "tue"}, Times: "09:30-11:00"},
		Cost:        Cost{Free: true},
		Join:        Join{Email: "help@council.test", Web: "https://council.test/ok-1"},
		Status:      StatusActive,
		Source:      "malformed.json (record ok-1)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cleaned service (-want +got):\n%s", diff)
	}
	if ps := Check(res.Directory); HasErrors(ps) {
		t.Errorf("imported directory fails Check: %v", ps)
	}
}

func TestImportPagedFeed(t *testing.T) {
	feed := newSynthFeed(t, 5000)
	res, err := Import(context.Background(), feed.URL+"/services", ImportOptions{PerPage: 200, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	type counts struct{ Pages, Records, Imported, Skipped, Added int }
	got := counts{res.Pages, res.Records, res.Imported, len(res.Skipped), len(res.Added)}
	want := counts{Pages: 25, Records: 5000, Imported: 4520, Skipped: 480, Added: 4520}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	byReason := map[string]int{}
	for _, s := range res.Skipped {
		byReason[s.Reason]++
	}
	wantReasons := map[string]int{
		"malformed record: not a JSON object":       10,
		"no id":                                     10,
		`inactive (status "inactive")`:              10,
		"no name":                                   10,
		"malformed age limits":                      10,
		"no usable phone, email or web address":     7, // three of the ten fail earlier
		"no mappable need (no taxonomy terms)":      10,
		"no mappable need (terms: Parking permits)": 413,
	}
	if diff := cmp.Diff(wantReasons, byReason); diff != "" {
		t.Errorf("skip reasons (-want +got):\n%s", diff)
	}
	reqs := feed.seen()
	if len(reqs) != 25 || reqs[0] != "per_page=200" || reqs[24] != "page=25&per_page=200" {
		t.Errorf("requests = %d, first %q, last %q", len(reqs), reqs[0], reqs[len(reqs)-1])
	}
	if ps := Check(res.Directory); HasErrors(ps) {
		t.Errorf("imported directory fails Check: %v", ps[:min(len(ps), 5)])
	}
	// The imported directory is usable at once.
	ss := Suggest(res.Directory, Person{Needs: []string{NeedGardening}, Age: 30, District: "E17"}, SuggestOptions{})
	if len(ss) == 0 || ss[0].Service.SourceID == "" || !strings.Contains(ss[0].Reason, "in Walthamstow") {
		t.Errorf("first suggestion %+v, want a local imported garden in Walthamstow", ss)
	}
}

func TestImportRefreshKeepsIDs(t *testing.T) {
	ctx := context.Background()
	first, err := Import(ctx, "testdata/malformed.json", ImportOptions{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	// Save and load the first result, as the command does between runs.
	path := filepath.Join(t.TempDir(), "dir.yaml")
	if err := Save(path, first.Directory); err != nil {
		t.Fatal(err)
	}
	prev, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// Pretend ok-2 was given a different id by hand last time: it must
	// keep it.
	for i := range prev.Services {
		if prev.Services[i].SourceID == "ok-2" {
			prev.Services[i].ID = "garden-kept"
		}
	}
	prev = mustReparse(t, prev)
	tests := []struct {
		name                                string
		file                                string
		wantAdded, wantChanged, wantRemoved []string
		wantIDs                             []string
	}{
		{
			name:    "same feed again: nothing changes",
			file:    "testdata/malformed.json",
			wantIDs: []string{"or-ok-1", "garden-kept"},
		},
		{
			name:        "one changed, one removed, one added",
			file:        "testdata/refresh.json",
			wantAdded:   []string{"or-ok-3"},
			wantChanged: []string{"garden-kept"},
			wantRemoved: []string{"or-ok-1"},
			wantIDs:     []string{"garden-kept", "or-ok-3"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Import(ctx, tc.file, ImportOptions{Previous: prev, Now: fixedNow, Source: "malformed.json"})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range res.Directory.Services {
				if s.SourceID != "" {
					ids = append(ids, s.ID)
				}
			}
			got := [][]string{res.Added, res.Changed, res.Removed, ids}
			want := [][]string{tc.wantAdded, tc.wantChanged, tc.wantRemoved, tc.wantIDs}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("added, changed, removed, ids (-want +got):\n%s", diff)
			}
		})
	}
}

// mustReparse round-trips a directory edited in a test, so that its lookup
// index is rebuilt.
func mustReparse(t testing.TB, d *Directory) *Directory {
	t.Helper()
	var b strings.Builder
	if err := Encode(&b, d, FormatYAML); err != nil {
		t.Fatal(err)
	}
	out, err := Parse([]byte(b.String()), FormatYAML)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportErrors(t *testing.T) {
	feed := newSynthFeed(t, 1000)
	feed.failPage = 3
	odd := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/html":
			fmt.Fprint(w, "<html>not json</html>")
		case "/stuck":
			// Ignores ?page and always answers page 1 of 5.
			fmt.Fprint(w, `{"total_pages": 5, "page_number": 1, "last_page": false, "contents": [{"id": "a"}]}`)
		case "/big":
			fmt.Fprintf(w, `{"contents": [%q]}`, strings.Repeat("x", 2000))
		case "/neither":
			fmt.Fprint(w, `{"hello": "world"}`)
		}
	}))
	t.Cleanup(odd.Close)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		src  string
		opts ImportOptions
		want string
	}{
		{name: "a page fails", src: feed.URL + "/services", want: "import page 3: " + feed.URL + "/services answered 500"},
		{name: "not json", src: odd.URL + "/html", want: "not a JSON object or array"},
		{name: "server ignores paging", src: odd.URL + "/stuck", want: "asked for page 2, got page 1"},
		{name: "page too large", src: odd.URL + "/big", opts: ImportOptions{MaxPageBytes: 1000}, want: "page larger than 1000 bytes"},
		{name: "neither a page nor a service", src: odd.URL + "/neither", want: "neither a page of services nor a service"},
		{name: "too many pages", src: feed.URL + "/services", opts: ImportOptions{MaxPages: 2}, want: "more than 2 pages"},
		{name: "missing file", src: "testdata/nope.json", want: "no such file"},
		{name: "cancelled", ctx: cancelled, src: feed.URL + "/services", want: "context canceled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			_, err := Import(ctx, tc.src, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Import error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
