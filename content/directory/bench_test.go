package directory

import (
	"context"
	"fmt"
	"testing"
)

// bigDirectory is the default directory plus n local services spread over
// the borough's districts and a neighbouring one, with every kind of
// eligibility limit.
func bigDirectory(tb testing.TB, n int) *Directory {
	tb.Helper()
	base := Default()
	d := &Directory{Version: "bench", Areas: base.Areas, Fallback: base.Fallback}
	d.Services = append(d.Services, base.Services...)
	days := []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	for i := range n {
		s := Service{
			ID:          fmt.Sprintf("bench-%05d", i),
			Name:        fmt.Sprintf("Group %05d", i),
			Description: "A local group.",
			Needs:       []string{Needs[i%len(Needs)], Needs[(i/3)%len(Needs)]},
			Where:       Place{Postcode: synthDistricts[i%len(synthDistricts)]},
			When:        Schedule{Days: []string{days[i%7]}},
			Cost:        Cost{Free: i%2 == 0, Text: "£1"},
			Join:        Join{Phone: "020 7946 0999"},
			Status:      StatusActive,
			Source:      "bench",
		}
		switch i % 6 {
		case 1:
			s.Eligibility.MinAge = 18
		case 2:
			s.Eligibility = Eligibility{MinAge: 17, MaxAge: 25, CareLeaversOnly: true}
		case 3:
			s.Eligibility.Areas = []string{"Waltham Forest"}
		case 4:
			s.Status = StatusInactive
		}
		d.Services = append(d.Services, s)
	}
	return d
}

func BenchmarkSuggest5000(b *testing.B) {
	dir := bigDirectory(b, 5000)
	p := Person{
		Needs: []string{NeedMoney, NeedLonely, NeedArts}, Band: Band26to49,
		District: "E17", Flags: []string{FlagMoneyUrgent},
	}
	if got := Suggest(dir, p, SuggestOptions{}); len(got) == 0 {
		b.Fatal("no suggestions")
	}
	b.ReportAllocs()
	for b.Loop() {
		Suggest(dir, p, SuggestOptions{})
	}
}

// BenchmarkImport5000 imports the synthetic 5,000-service feed page by page
// from a loopback server, 200 services a page.
func BenchmarkImport5000(b *testing.B) {
	feed := newSynthFeed(b, 5000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := Import(ctx, feed.URL+"/services", ImportOptions{PerPage: 200, Now: fixedNow})
		if err != nil {
			b.Fatal(err)
		}
		if res.Imported != 4520 {
			b.Fatalf("imported %d", res.Imported)
		}
	}
}
