package directory

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

// synthTerms are the taxonomy terms synthetic services carry, one need each
// (plus one that maps to nothing).
var synthTerms = []struct{ vocab, name string }{
	{"esdNeeds", "Debt"},
	{"esdServiceTypes", "Welfare benefits advice"},
	{"esdNeeds", "Housing"},
	{"openEligibility", "Loneliness"},
	{"openEligibility", "Food"},
	{"esdNeeds", "Confidence"},
	{"esdServiceTypes", "Befriending"},
	{"esdServiceTypes", "Volunteering opportunities"},
	{"esdServiceTypes", "Art classes"},
	{"esdServiceTypes", "Community gardens"},
	{"esdServiceTypes", "Information and advice"},
	{"esdServiceTypes", "Parking permits"},
}

var synthDistricts = []string{"E4 6AA", "E10 5BB", "E11 3CC", "E17 4DD", "N17 8EE"}

// synthRecord returns the i-th service of a synthetic council feed. Every
// 500th record has one of several faults, so a run of 5,000 holds ten of
// each.
func synthRecord(i int) any {
	t := synthTerms[i%len(synthTerms)]
	s := map[string]any{
		"id":          fmt.Sprintf("svc-%05d", i),
		"name":        fmt.Sprintf("Community group %d", i),
		"description": fmt.Sprintf("<p>A <b>friendly</b> group, number %d &amp; growing.</p>", i),
		"status":      "active",
		"url":         fmt.Sprintf("https://council.test/services/%d", i),
		"phones":      []any{map[string]any{"number": fmt.Sprintf("020 8496 %04d", i%10000)}},
		"attributes":  []any{map[string]any{"taxonomy_term": map[string]any{"name": t.name, "taxonomy": t.vocab}}},
		"schedules": []any{map[string]any{
			"freq": "WEEKLY", "byday": []string{"MO", "TU,TH", "WE", "FR", "SA"}[i%5],
			"opens_at": "10:00:00", "closes_at": "12:30:00",
		}},
		"service_at_locations": []any{map[string]any{"location": map[string]any{
			"name":      "Hall",
			"addresses": []any{map[string]any{"address_1": fmt.Sprintf("%d High Road", i%300+1), "city": "London", "postal_code": synthDistricts[i%len(synthDistricts)], "address_type": "physical"}},
		}}},
	}
	switch i % 7 {
	case 1:
		s["minimum_age"], s["maximum_age"] = 18, 100
	case 2:
		s["minimum_age"], s["maximum_age"] = "17", "25"
	case 3:
		s["cost_options"] = []any{map[string]any{"amount": 2.5, "currency": "GBP", "amount_description": "a session"}}
	case 4:
		s["fees_description"] = "Free to attend"
	}
	switch i % 500 {
	case 7:
		return "not an object"
	case 13:
		delete(s, "id")
	case 21:
		s["status"] = "inactive"
	case 33:
		s["name"] = "   "
	case 42:
		s["minimum_age"] = "twelve"
	case 55:
		s["phones"], s["url"] = "0", "javascript:alert(1)"
	case 77:
		s["attributes"] = 17 // wrong type: the record has no terms at all
	case 99:
		s["phones"] = map[string]any{"number": "020 8496 0000"} // an object, not a list: tolerated
		s["schedules"] = "every day"
	}
	return s
}

// synthFeed serves n synthetic services as a paged /services endpoint,
// counting the requests it answers. Pages are marshalled once, so that a
// benchmark measures the importer rather than the server.
type synthFeed struct {
	*httptest.Server
	n       int
	records []json.RawMessage

	mu       sync.Mutex
	requests []string
	// failPage, when above 0, answers that page with 500.
	failPage int
}

func newSynthFeed(t testing.TB, n int) *synthFeed {
	t.Helper()
	f := &synthFeed{n: n, records: make([]json.RawMessage, n)}
	for i := range n {
		b, err := json.Marshal(synthRecord(i))
		if err != nil {
			t.Fatal(err)
		}
		f.records[i] = b
	}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *synthFeed) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/services" {
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, r.URL.RawQuery)
	fail := f.failPage
	f.mu.Unlock()
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	size, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if size < 1 || size > 1000 {
		size = 100
	}
	if page == fail {
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	}
	pages := (f.n + size - 1) / size
	lo, hi := min((page-1)*size, f.n), min(page*size, f.n)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"total_items": f.n, "total_pages": pages, "page_number": page, "size": size,
		"first_page": page == 1, "last_page": page >= pages, "empty": lo == hi,
		"contents": f.records[lo:hi],
	})
}

func (f *synthFeed) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}
