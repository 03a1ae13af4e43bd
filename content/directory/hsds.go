package directory

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// The types below read HSDS 3.0 / Open Referral UK JSON as untrusted input:
// a field of the wrong type is treated as missing instead of failing the
// whole record, so one council's odd export of one field never loses the
// rest of a service. Only the fields the directory uses are read.

// text accepts a JSON string, number or boolean; anything else is "".
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	*t = ""
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var s string
		if json.Unmarshal(b, &s) == nil {
			*t = text(s)
		}
	case 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		*t = text(b)
	}
	return nil
}

func (t text) String() string { return strings.TrimSpace(string(t)) }

// number accepts a JSON number or a numeric string. Set says a value was
// present; Bad says it was present but not a number.
type number struct {
	V        float64
	Set, Bad bool
}

func (n *number) UnmarshalJSON(b []byte) error {
	*n = number{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	n.Set = true
	s := string(b)
	if b[0] == '"' {
		if json.Unmarshal(b, &s) != nil {
			n.Bad = true
			return nil
		}
		s = strings.TrimSpace(s)
		if s == "" {
			n.Set = false
			return nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		n.Bad = true
		return nil
	}
	n.V = v
	return nil
}

// flag accepts true/false, "true"/"false" and 1/0.
type flag bool

func (f *flag) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(strings.Trim(string(bytes.TrimSpace(b)), `"`)) {
	case "true", "1", "yes":
		*f = true
	default:
		*f = false
	}
	return nil
}

// list reads a JSON array element by element, dropping elements of the
// wrong shape; a lone object is read as a list of one, anything else as
// empty.
type list[T any] []T

func (l *list[T]) UnmarshalJSON(b []byte) error {
	*l = nil
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '[':
		var raws []json.RawMessage
		if json.Unmarshal(b, &raws) != nil {
			return nil
		}
		for _, r := range raws {
			r = bytes.TrimSpace(r)
			if len(r) == 0 || r[0] != '{' {
				continue
			}
			var v T
			if json.Unmarshal(r, &v) == nil {
				*l = append(*l, v)
			}
		}
	case '{':
		var v T
		if json.Unmarshal(b, &v) == nil {
			*l = list[T]{v}
		}
	}
	return nil
}

// object reads a JSON object, or leaves Set false for anything else.
type object[T any] struct {
	V   T
	Set bool
}

func (o *object[T]) UnmarshalJSON(b []byte) error {
	*o = object[T]{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	if json.Unmarshal(b, &o.V) == nil {
		o.Set = true
	}
	return nil
}

// hsdsService is an HSDS 3.0 service, with the Open Referral UK 1.x names
// of taxonomy links (service_taxonomys) read too, since feeds of both
// generations are live.
type hsdsService struct {
	ID                 text                      `json:"id"`
	Name               text                      `json:"name"`
	AlternateName      text                      `json:"alternate_name"`
	Description        text                      `json:"description"`
	URL                text                      `json:"url"`
	Email              text                      `json:"email"`
	Status             text                      `json:"status"`
	FeesDescription    text                      `json:"fees_description"`
	Fees               text                      `json:"fees"`
	MinimumAge         number                    `json:"minimum_age"`
	MaximumAge         number                    `json:"maximum_age"`
	AssuredDate        text                      `json:"assured_date"`
	LastModified       text                      `json:"last_modified"`
	Organization       object[hsdsOrganization]  `json:"organization"`
	Phones             list[hsdsPhone]           `json:"phones"`
	Contacts           list[hsdsContact]         `json:"contacts"`
	Schedules          list[hsdsSchedule]        `json:"schedules"`
	ServiceAreas       list[hsdsServiceArea]     `json:"service_areas"`
	ServiceAtLocations list[hsdsServiceAtLoc]    `json:"service_at_locations"`
	Languages          list[hsdsLanguage]        `json:"languages"`
	CostOptions        list[hsdsCostOption]      `json:"cost_options"`
	Attributes         list[hsdsAttribute]       `json:"attributes"`
	TaxonomyTerms      list[hsdsTerm]            `json:"taxonomy_terms"`
	ServiceTaxonomys   list[hsdsServiceTaxonomy] `json:"service_taxonomys"`
}

type hsdsOrganization struct {
	Name    text `json:"name"`
	Website text `json:"website"`
	Email   text `json:"email"`
}

type hsdsPhone struct {
	Number text `json:"number"`
}

type hsdsContact struct {
	Email  text            `json:"email"`
	Phones list[hsdsPhone] `json:"phones"`
}

type hsdsSchedule struct {
	Freq        text `json:"freq"`
	ByDay       text `json:"byday"`
	OpensAt     text `json:"opens_at"`
	ClosesAt    text `json:"closes_at"`
	Description text `json:"description"`
}

type hsdsServiceArea struct {
	Name text `json:"name"`
}

type hsdsServiceAtLoc struct {
	Location  object[hsdsLocation] `json:"location"`
	Schedules list[hsdsSchedule]   `json:"schedules"`
	Phones    list[hsdsPhone]      `json:"phones"`
}

type hsdsLocation struct {
	Name          text                    `json:"name"`
	Addresses     list[hsdsAddress]       `json:"addresses"`
	Accessibility list[hsdsAccessibility] `json:"accessibility"`
	Schedules     list[hsdsSchedule]      `json:"schedules"`
	Phones        list[hsdsPhone]         `json:"phones"`
}

type hsdsAddress struct {
	Address1    text `json:"address_1"`
	Address2    text `json:"address_2"`
	City        text `json:"city"`
	PostalCode  text `json:"postal_code"`
	AddressType text `json:"address_type"`
}

type hsdsAccessibility struct {
	Description text `json:"description"`
}

type hsdsLanguage struct {
	Name text `json:"name"`
	Code text `json:"code"`
}

type hsdsCostOption struct {
	Option            text   `json:"option"`
	Amount            number `json:"amount"`
	AmountDescription text   `json:"amount_description"`
	Currency          text   `json:"currency"`
}

type hsdsAttribute struct {
	TaxonomyTerm object[hsdsTerm] `json:"taxonomy_term"`
}

type hsdsServiceTaxonomy struct {
	Taxonomy object[hsdsTerm] `json:"taxonomy"`
}

type hsdsTerm struct {
	ID             text                    `json:"id"`
	Code           text                    `json:"code"`
	Name           text                    `json:"name"`
	Taxonomy       text                    `json:"taxonomy"`
	Vocabulary     text                    `json:"vocabulary"`
	TaxonomyDetail object[hsdsTaxonomyRef] `json:"taxonomy_detail"`
}

type hsdsTaxonomyRef struct {
	Name text `json:"name"`
}

// terms gathers the taxonomy terms linked to a service, wherever the feed
// put them.
func (s *hsdsService) terms() []term {
	var out []term
	add := func(t hsdsTerm) {
		vocab := t.Vocabulary.String()
		if vocab == "" {
			vocab = t.Taxonomy.String()
		}
		if vocab == "" && t.TaxonomyDetail.Set {
			vocab = t.TaxonomyDetail.V.Name.String()
		}
		name := plainText(t.Name.String(), 100)
		if isPlaceholder(name, "name") {
			name = ""
		}
		code := t.Code.String()
		if isPlaceholder(code, "code") {
			code = ""
		}
		if name == "" && code == "" {
			return
		}
		out = append(out, term{vocab: vocab, name: name, code: code})
	}
	for _, a := range s.Attributes {
		if a.TaxonomyTerm.Set {
			add(a.TaxonomyTerm.V)
		}
	}
	for _, t := range s.TaxonomyTerms {
		add(t)
	}
	for _, st := range s.ServiceTaxonomys {
		if st.Taxonomy.Set {
			add(st.Taxonomy.V)
		}
	}
	return out
}
