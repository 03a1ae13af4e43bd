package directory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckDefault(t *testing.T) {
	d := Default()
	for _, p := range Check(d) {
		// Warnings ask a person to review national entries against their
		// sources; errors must never ship.
		if p.Severity == SeverityError {
			t.Errorf("%s", p)
		}
	}
	for _, p := range CheckMapping(DefaultMapping()) {
		t.Errorf("default mapping: %s", p)
	}
	var examples, inactive, careLeavers, ageLimited int
	for _, s := range d.Services {
		if s.Example {
			examples++
		}
		if s.Status == StatusInactive {
			inactive++
		}
		if s.Eligibility.CareLeaversOnly {
			careLeavers++
		}
		if s.Eligibility.MinAge > 0 || s.Eligibility.MaxAge > 0 {
			ageLimited++
		}
		if !s.Example && !strings.HasPrefix(s.Source, "https://") {
			t.Errorf("%s: source %q is not the organisation's page", s.ID, s.Source)
		}
	}
	if examples == 0 || inactive == 0 || careLeavers == 0 || ageLimited == 0 {
		t.Errorf("examples %d, inactive %d, care leavers only %d, age-limited %d: want each above 0",
			examples, inactive, careLeavers, ageLimited)
	}
}

func TestCheck(t *testing.T) {
	good := func() Service {
		return Service{
			ID: "svc", Name: "A service", Description: "Helps.", Needs: Needs,
			Cost: Cost{Free: true}, Join: Join{Web: "https://org.test/"},
			Status: StatusActive, LastReviewed: "2026-01-02", National: true, Source: "https://org.test/",
		}
	}
	tests := []struct {
		name string
		edit func(d *Directory)
		want []string
	}{
		{name: "good", edit: func(d *Directory) {}},
		{
			name: "duplicate and malformed ids",
			edit: func(d *Directory) {
				d.Services = append(d.Services, good(), good())
				d.Services[2].ID = "Bad Id"
			},
			want: []string{
				"error: svc: duplicate id",
				"error: Bad Id: id must be 1-48 bytes of a-z, 0-9 and -",
			},
		},
		{
			name: "dead fallback references",
			edit: func(d *Directory) {
				d.Fallback = map[string]string{"money": "gone"}
			},
			want: []string{`error: fallback for "money" names unknown service "gone"`},
		},
		{
			name: "fallback to an unknown need",
			edit: func(d *Directory) { d.Fallback = map[string]string{"debts": "svc"} },
			want: []string{`error: fallback names unknown need "debts"`},
		},
		{
			name: "texts too long for Telegram",
			edit: func(d *Directory) {
				d.Services[0].Name = strings.Repeat("n", 81)
				d.Services[0].Label = strings.Repeat("l", 33)
				d.Services[0].Description = strings.Repeat("d ", 2100)
			},
			want: []string{
				"error: svc: name is longer than 80 characters",
				"error: svc: label is longer than 32 characters",
				"error: svc: description is longer than 600 characters",
				"error: svc: detail view is longer than 4096 characters",
			},
		},
		{
			name: "required fields missing",
			edit: func(d *Directory) {
				s := &d.Services[0]
				s.Name, s.Description, s.Source, s.Join = "", "", "", Join{}
			},
			want: []string{
				"error: svc: name is missing",
				"error: svc: description is missing",
				"error: svc: source is missing",
				"error: svc: no way to join",
			},
		},
		{
			name: "inactive only service leaves every need uncovered",
			edit: func(d *Directory) { d.Services[0].Status = "closed" },
			want: append([]string{`error: svc: status "closed" is neither active nor inactive`}, needErrors("has no active service")...),
		},
		{
			name: "age-limited only service leaves needs without an answer for everyone",
			edit: func(d *Directory) { d.Services[0].Eligibility.MinAge = 18 },
			want: needErrors("has no active service open to everyone"),
		},
		{
			name: "example with real-looking contacts",
			edit: func(d *Directory) {
				ex := good()
				ex.ID, ex.Example, ex.Name = "ex", true, "Leyton club"
				ex.Join = Join{Phone: "020 8123 4567", Email: "club@gmail.com"}
				d.Services = append(d.Services, ex)
			},
			want: []string{
				`error: ex: example's name must start with "Example"`,
				`error: ex: example phone "020 8123 4567" is outside the drama range 020 7946 0xxx`,
				`error: ex: example email "club@gmail.com" is not at example.org`,
			},
		},
		{
			name: "bad values",
			edit: func(d *Directory) {
				s := &d.Services[0]
				s.Needs = append(s.Needs, "debts")
				s.Eligibility = Eligibility{MinAge: 30, MaxAge: 20}
				s.When.Days = []string{"monday"}
				s.Join.Web = "javascript:alert(1)"
				s.LastReviewed = "yesterday"
			},
			want: append([]string{
				`error: svc: unknown need "debts"`,
				"error: svc: age range 30-20 is impossible",
				`error: svc: day "monday" is not one of mon..sun`,
				`error: svc: web "javascript:alert(1)" is not an http(s) address`,
				`error: svc: last_reviewed "yesterday" is not a YYYY-MM-DD date`,
			}, needErrors("has no active service open to everyone")...),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &Directory{Version: "1", Services: []Service{good()}}
			tc.edit(d)
			var got []string
			for _, p := range Check(d) {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}

func needErrors(msg string) []string {
	var out []string
	for _, n := range Needs {
		out = append(out, `error: need "`+n+`" `+msg)
	}
	return out
}

func TestParseMappingRejectsUnknownNeeds(t *testing.T) {
	_, err := ParseMapping([]byte("needs:\n  debts: [Debt]\n"))
	if err == nil || !strings.Contains(err.Error(), `unknown need "debts"`) {
		t.Errorf("err = %v, want unknown need", err)
	}
}
