// Package directory is the local directory of services a link worker would
// signpost people to: its model, the default data embedded in the binary, the
// Open Referral UK (HSDS 3.0) importer that refreshes it from a council feed,
// the matching of a person's needs to services, and the checks that keep it
// safe to show in Telegram.
//
// The directory is data, not code: the default is a YAML file that a
// coordinator can edit without Go, and an imported directory is written as a
// YAML or JSON file that the bot loads with Load. Every service states where
// its contact details come from (Source), and placeholder local groups are
// marked Example so that nobody mistakes them for real ones.
package directory

import (
	"strings"
	"sync"
)

// Service is one thing a person can be signposted to: a national helpline, a
// local group, an advice service.
type Service struct {
	// ID is stable across refreshes; it travels in button data, so it is
	// short ASCII (see Check).
	ID           string `yaml:"id" json:"id"`
	Name         string `yaml:"name" json:"name"`
	Organisation string `yaml:"organisation,omitempty" json:"organisation,omitempty"`
	// Label is an optional short name for a button; Name is used when empty.
	Label string `yaml:"label,omitempty" json:"label,omitempty"`
	// Description is plain text, a few sentences at most.
	Description string   `yaml:"description" json:"description"`
	Needs       []string `yaml:"needs" json:"needs"`
	// Advice marks services that give advice on a problem (money, benefits,
	// housing) rather than an activity; urgent worries lift them.
	Advice      bool        `yaml:"advice,omitempty" json:"advice,omitempty"`
	Eligibility Eligibility `yaml:"eligibility,omitempty" json:"eligibility,omitempty"`
	Where       Place       `yaml:"where,omitempty" json:"where,omitempty"`
	When        Schedule    `yaml:"when,omitempty" json:"when,omitempty"`
	Cost        Cost        `yaml:"cost" json:"cost"`
	Join        Join        `yaml:"join" json:"join"`
	Languages   []string    `yaml:"languages,omitempty" json:"languages,omitempty"`
	// Accessibility is plain text: step-free access, hearing loop, ...
	Accessibility string `yaml:"accessibility,omitempty" json:"accessibility,omitempty"`
	// Status is StatusActive or StatusInactive; anything else counts as
	// inactive, so a typo never shows a closed service.
	Status string `yaml:"status" json:"status"`
	// LastReviewed is the date (YYYY-MM-DD) the details were last checked.
	LastReviewed string `yaml:"last_reviewed,omitempty" json:"last_reviewed,omitempty"`
	// National services can be used from anywhere in the UK.
	National bool `yaml:"national,omitempty" json:"national,omitempty"`
	// Example marks a placeholder local group with made-up contacts.
	Example bool `yaml:"example,omitempty" json:"example,omitempty"`
	// Source cites where the contact details come from: the organisation's
	// own page, or the feed a record was imported from.
	Source string `yaml:"source" json:"source"`
	// SourceID is the record's id in the feed it was imported from; it is
	// what keeps ID stable when the feed is imported again.
	SourceID string `yaml:"source_id,omitempty" json:"source_id,omitempty"`
}

// Eligibility says who may use a service. Zero values mean no limit.
type Eligibility struct {
	MinAge int `yaml:"min_age,omitempty" json:"min_age,omitempty"`
	// MaxAge is inclusive: 25 means people aged 25 may still come.
	MaxAge          int  `yaml:"max_age,omitempty" json:"max_age,omitempty"`
	CareLeaversOnly bool `yaml:"care_leavers_only,omitempty" json:"care_leavers_only,omitempty"`
	// Areas are postcode districts ("E17") or borough names ("Waltham
	// Forest") whose residents may come; empty means anyone.
	Areas []string `yaml:"areas,omitempty" json:"areas,omitempty"`
}

// Place is where a service meets. National services usually leave it empty.
type Place struct {
	Address  string `yaml:"address,omitempty" json:"address,omitempty"`
	Postcode string `yaml:"postcode,omitempty" json:"postcode,omitempty"`
	// AreaName is what people call the place ("Leytonstone"); it reads
	// better in a reason line than a postcode.
	AreaName string `yaml:"area_name,omitempty" json:"area_name,omitempty"`
}

// Schedule is when a service runs, weekly.
type Schedule struct {
	// Days are three-letter lowercase day names: mon, tue, ... sun.
	Days []string `yaml:"days,omitempty" json:"days,omitempty"`
	// Times is "10:00-12:00" or empty.
	Times string `yaml:"times,omitempty" json:"times,omitempty"`
	// Text is the human-readable version shown to people.
	Text string `yaml:"text,omitempty" json:"text,omitempty"`
}

// Cost says what a service costs. Free services rank first.
type Cost struct {
	Free bool `yaml:"free" json:"free"`
	// Text is the amount or the conditions ("£2 a session, free for
	// carers"); empty when Free says all.
	Text string `yaml:"text,omitempty" json:"text,omitempty"`
}

// Join says how to take part.
type Join struct {
	Phone  string `yaml:"phone,omitempty" json:"phone,omitempty"`
	Email  string `yaml:"email,omitempty" json:"email,omitempty"`
	Web    string `yaml:"web,omitempty" json:"web,omitempty"`
	DropIn bool   `yaml:"drop_in,omitempty" json:"drop_in,omitempty"`
	// LinkWorkerReferral allows "ask my link worker to refer me".
	LinkWorkerReferral bool `yaml:"link_worker_referral,omitempty" json:"link_worker_referral,omitempty"`
	// Text adds anything else a person should know before going.
	Text string `yaml:"text,omitempty" json:"text,omitempty"`
}

// Area names a postcode district and the borough it belongs to, so that
// matching can tell "same borough" from "far away".
type Area struct {
	District string `yaml:"district" json:"district"`
	Name     string `yaml:"name,omitempty" json:"name,omitempty"`
	Borough  string `yaml:"borough" json:"borough"`
}

// Service statuses.
const (
	StatusActive   = "active"
	StatusInactive = "inactive"
)

// Directory is one version of the whole directory. Load, Parse and Default
// return it ready to use; a Directory built by hand works too, since its
// lookup index is built on first use. Do not change it after first use.
type Directory struct {
	Version string `yaml:"version" json:"version"`
	Areas   []Area `yaml:"areas,omitempty" json:"areas,omitempty"`
	// Fallback names, for a need, the national service to offer when
	// nothing local fits.
	Fallback map[string]string `yaml:"fallback,omitempty" json:"fallback,omitempty"`
	Services []Service         `yaml:"services" json:"services"`

	once sync.Once
	idx  *lookup
}

// lookup is what matching needs precomputed so that a 5,000-service
// directory is searched in well under a millisecond.
type lookup struct {
	byID     map[string]int
	borough  map[string]string // district -> borough, both upper-cased
	areaName map[string]string // district -> area name
	entries  []entry           // parallel to Services
}

type entry struct {
	needs    needSet
	active   bool
	district string // the service's own postcode district, upper-cased
	areas    []string
}

func (d *Directory) lookup() *lookup {
	d.once.Do(func() {
		ix := &lookup{
			byID:     make(map[string]int, len(d.Services)),
			borough:  make(map[string]string, len(d.Areas)),
			areaName: make(map[string]string, len(d.Areas)),
			entries:  make([]entry, len(d.Services)),
		}
		for _, a := range d.Areas {
			k := strings.ToUpper(strings.TrimSpace(a.District))
			ix.borough[k] = strings.ToUpper(strings.TrimSpace(a.Borough))
			ix.areaName[k] = a.Name
		}
		for i := range d.Services {
			s := &d.Services[i]
			if _, dup := ix.byID[s.ID]; !dup {
				ix.byID[s.ID] = i
			}
			e := entry{
				needs:    needsOf(s.Needs),
				active:   s.Status == StatusActive,
				district: District(s.Where.Postcode),
			}
			for _, a := range s.Eligibility.Areas {
				e.areas = append(e.areas, strings.ToUpper(strings.TrimSpace(a)))
			}
			ix.entries[i] = e
		}
		d.idx = ix
	})
	return d.idx
}

// ByID returns the service with the given id. With duplicate ids (which
// Check reports) the first one wins.
func (d *Directory) ByID(id string) (Service, bool) {
	i, ok := d.lookup().byID[id]
	if !ok {
		return Service{}, false
	}
	return d.Services[i], true
}

// Borough returns the borough of a postcode district ("E17" -> "WALTHAM
// FOREST", upper-cased), or "" when the directory does not know it.
func (d *Directory) Borough(district string) string {
	return d.lookup().borough[strings.ToUpper(strings.TrimSpace(district))]
}

// District returns the outward code of a UK postcode ("e17 4jf" -> "E17");
// given an outward code alone it returns it upper-cased. It returns "" for
// anything that does not look like one.
func District(postcode string) string {
	p := strings.ToUpper(strings.TrimSpace(postcode))
	if p == "" {
		return ""
	}
	if f := strings.Fields(p); len(f) > 1 {
		p = f[0]
	} else if len(p) >= 5 {
		// A full postcode written without its space: the inward code is
		// always digit + two letters.
		p = p[:len(p)-3]
	}
	if !validDistrict(p) {
		return ""
	}
	return p
}

// validDistrict accepts the outward-code shapes A9, A99, AA9, AA99, A9A, AA9A.
func validDistrict(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	i := 0
	for i < len(s) && i < 2 && isLetter(s[i]) {
		i++
	}
	if i == 0 || i == len(s) || !isDigit(s[i]) {
		return false
	}
	rest := s[i+1:]
	switch len(rest) {
	case 0:
		return true
	case 1:
		return isDigit(rest[0]) || isLetter(rest[0])
	}
	return false
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
