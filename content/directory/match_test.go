package directory

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func loadTestDir(t testing.TB, path string) *Directory {
	t.Helper()
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// brief renders suggestions as "id: reason", with "[fallback]" when the
// service was offered because nothing local fitted.
func brief(ss []Suggestion) []string {
	var out []string
	for _, s := range ss {
		line := s.Service.ID + ": " + s.Reason
		if s.Fallback {
			line += " [fallback]"
		}
		out = append(out, line)
	}
	return out
}

func TestSuggest(t *testing.T) {
	dir := loadTestDir(t, "testdata/match.yaml")
	const (
		cookCL    = "cl-cook: Free, Thursdays in Walthamstow, for healthy eating and cooking (for care leavers)"
		eatOnly   = "nat-eat: Free, online, for healthy eating and cooking"
		eatFall   = eatOnly + " [fallback]"
		listenFB  = "nat-listen: Free, by phone, for feeling less alone [fallback]"
		youngLine = "nat-young: Free, by phone, for feeling less alone"
	)
	tests := []struct {
		name   string
		person Person
		want   []string
	}{
		{
			name:   "local money help first, nearest district before same borough before national",
			person: Person{Needs: []string{NeedMoney}, Age: 40, District: "E11"},
			want: []string{
				"loc-money-e11: Free, Tuesdays in Leytonstone, for money worries",
				"loc-money-e17: £2 a session, Mondays and Thursdays in Walthamstow, for money worries",
				"nat-advice: Free, online, for money worries",
				"nat-debt: Free, by phone or online, for money worries",
			},
		},
		{
			name:   "urgent money worry lifts advice services above everything else",
			person: Person{Needs: []string{NeedLonely}, Age: 40, District: "E11", Flags: []string{FlagMoneyUrgent}},
			want: []string{
				"loc-money-e11: Free, Tuesdays in Leytonstone, for money worries",
				"nat-advice: Free, online, for money worries",
				"nat-debt: Free, by phone or online, for money worries",
				"loc-money-e17: £2 a session, Mondays and Thursdays in Walthamstow, for money worries",
				listenFB,
			},
		},
		{
			name:   "urgent housing worry alone is a need",
			person: Person{Age: 40, District: "E17", Flags: []string{FlagHousingUrgent}},
			want:   []string{"nat-housing: Free, by phone, for housing problems [fallback]"},
		},
		{
			name:   "care leaver aged 16 is too young for the care leavers' group",
			person: Person{Needs: []string{NeedEating}, Age: 16, CareLeaver: true, District: "E17"},
			want:   []string{eatFall},
		},
		{
			name:   "care leaver aged 17 may join",
			person: Person{Needs: []string{NeedEating}, Age: 17, CareLeaver: true, District: "E17"},
			want:   []string{cookCL, eatOnly},
		},
		{
			name:   "care leaver aged 25 may still join",
			person: Person{Needs: []string{NeedEating}, Age: 25, CareLeaver: true, District: "E17"},
			want:   []string{cookCL, eatOnly},
		},
		{
			name:   "care leaver aged 26 is too old",
			person: Person{Needs: []string{NeedEating}, Age: 26, CareLeaver: true, District: "E17"},
			want:   []string{eatFall},
		},
		{
			name:   "care leaver known by band 17-25 fits a 17 to 25 group",
			person: Person{Needs: []string{NeedEating}, Band: Band17to25, CareLeaver: true, District: "E17"},
			want:   []string{cookCL, eatOnly},
		},
		{
			name:   "care leaver of unknown age is not offered an age-limited group",
			person: Person{Needs: []string{NeedEating}, CareLeaver: true, District: "E17"},
			want:   []string{eatFall},
		},
		{
			name:   "someone who is not a care leaver never sees the care leavers' group",
			person: Person{Needs: []string{NeedEating}, Age: 20, District: "E17"},
			want:   []string{eatFall},
		},
		{
			name:   "care leaver living outside the borough",
			person: Person{Needs: []string{NeedEating}, Age: 20, CareLeaver: true, District: "N17"},
			want:   []string{eatFall},
		},
		{
			name:   "age 25 fits a service for 25 and under",
			person: Person{Needs: []string{NeedLonely}, Age: 25, District: "N17"},
			want:   []string{listenFB, youngLine},
		},
		{
			name:   "age 26 does not",
			person: Person{Needs: []string{NeedLonely}, Age: 26, District: "N17"},
			want:   []string{listenFB},
		},
		{
			name:   "band 17-25 fits a service for 25 and under",
			person: Person{Needs: []string{NeedLonely}, Band: Band17to25},
			want:   []string{listenFB, youngLine},
		},
		{
			name:   "band 50-64 does not fit a service for 65 and over",
			person: Person{Needs: []string{NeedLonely}, Band: Band50to64},
			want:   []string{listenFB},
		},
		{
			name:   "band 65plus does",
			person: Person{Needs: []string{NeedLonely}, Band: Band65plus},
			want:   []string{listenFB, "nat-older: Free, by phone, for feeling less alone"},
		},
		{
			name:   "band 17-25 is not all over 18, so no adults-only art club",
			person: Person{Needs: []string{NeedArts}, Band: Band17to25, District: "E11"},
			want:   []string{"nat-arts: Free, online, for art [fallback]"},
		},
		{
			name:   "age 18 may join the art club",
			person: Person{Needs: []string{NeedArts}, Age: 18, District: "E11"},
			want: []string{
				"loc-art-18: £3, Wednesdays in Leytonstone, for art",
				"nat-arts: Free, online, for art",
			},
		},
		{
			name:   "inactive services and unknown statuses are never offered",
			person: Person{Needs: []string{NeedLonely}, Age: 40, District: "E10"},
			want:   []string{listenFB},
		},
		{
			name:   "no local match gives the national fallback",
			person: Person{Needs: []string{NeedGardening}, Age: 40, District: "N17"},
			want:   []string{"nat-garden: Free, online, for gardening [fallback]"},
		},
		{
			name:   "a local match in the same district",
			person: Person{Needs: []string{NeedGardening}, Age: 40, District: "E4 7AB"},
			want: []string{
				"loc-garden-e4: Free, Saturdays in Chingford, for gardening",
				"nat-garden: Free, online, for gardening",
			},
		},
		{
			name:   "unknown postcode: open local groups rank below national ones, borough-only groups are left out",
			person: Person{Needs: []string{NeedMoney}, Age: 40},
			want: []string{
				"nat-advice: Free, online, for money worries",
				"nat-debt: Free, by phone or online, for money worries",
				"loc-money-e17: £2 a session, Mondays and Thursdays in Walthamstow, for money worries",
			},
		},
		{
			name:   "a service meeting two needs says so",
			person: Person{Needs: []string{NeedBenefits, NeedMoney}, Age: 40, District: "E11"},
			want: []string{
				"loc-money-e11: Free, Tuesdays in Leytonstone, for money worries and help with benefits",
				"nat-advice: Free, online, for money worries and help with benefits",
				"loc-money-e17: £2 a session, Mondays and Thursdays in Walthamstow, for money worries",
				"nat-debt: Free, by phone or online, for money worries",
			},
		},
		{
			name:   "no needs, no suggestions",
			person: Person{Age: 40, District: "E11"},
			want:   nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := brief(Suggest(dir, tc.person, SuggestOptions{}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Suggest (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSuggestLimit(t *testing.T) {
	dir := loadTestDir(t, "testdata/match.yaml")
	p := Person{Needs: Needs, Age: 40, District: "E11"}
	tests := []struct {
		name  string
		limit int
	}{
		{name: "limit below the number of needs still covers every need", limit: 1},
		{name: "default limit", limit: 0},
		{name: "generous limit", limit: 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Suggest(dir, p, SuggestOptions{Limit: tc.limit})
			covered := map[string]bool{}
			for _, s := range got {
				for _, n := range s.Needs {
					covered[n] = true
				}
			}
			var missing []string
			for _, n := range Needs {
				if !covered[n] {
					missing = append(missing, n)
				}
			}
			if diff := cmp.Diff([]string(nil), missing); diff != "" {
				t.Errorf("needs without a suggestion (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSuggestDefaultNeverEmptyNeverIneligible walks every need, band,
// care-leaver status and district over the shipped directory.
func TestSuggestDefaultNeverEmptyNeverIneligible(t *testing.T) {
	dir := Default()
	bands := []string{BandUnder17, Band17to25, Band26to49, Band50to64, Band65plus, ""}
	for _, need := range Needs {
		for _, band := range bands {
			for _, cl := range []bool{false, true} {
				for _, district := range []string{"E4", "E10", "E11", "E17", "N17", ""} {
					p := Person{Needs: []string{need}, Band: band, CareLeaver: cl, District: district}
					t.Run(fmt.Sprintf("%s/%s/%v/%s", need, band, cl, district), func(t *testing.T) {
						got := Suggest(dir, p, SuggestOptions{})
						if len(got) == 0 {
							t.Fatal("no suggestion")
						}
						for _, s := range got {
							if why := ineligible(s.Service, p); why != "" {
								t.Errorf("%s offered although %s", s.Service.ID, why)
							}
						}
					})
				}
			}
		}
	}
}

// ineligible restates the eligibility rules independently of Suggest.
func ineligible(s Service, p Person) string {
	if s.Status != StatusActive {
		return "inactive"
	}
	e := s.Eligibility
	if e.CareLeaversOnly && !p.CareLeaver {
		return "care leavers only"
	}
	if e.MinAge > 0 || e.MaxAge > 0 {
		lo, hi, ok := bandRange(p.Band)
		if p.Age > 0 {
			lo, hi, ok = p.Age, p.Age, true
		}
		if !ok || lo < e.MinAge || (e.MaxAge > 0 && hi > e.MaxAge) {
			return "age"
		}
	}
	if len(e.Areas) > 0 && p.District == "" {
		return "area unknown"
	}
	return ""
}
