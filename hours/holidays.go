package hours

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Regions with bank holidays built in.
const (
	EnglandAndWales = "england-and-wales"
	Scotland        = "scotland"
	NorthernIreland = "northern-ireland"
)

// Regions lists the regions with bank holidays built in.
var Regions = []string{EnglandAndWales, Scotland, NorthernIreland}

//go:embed data/*.yaml
var data embed.FS

// Holidays is a list of bank holidays: the days a service's team is not at
// work whatever its week says.
type Holidays struct {
	// Region names where they are kept (england-and-wales), or the file.
	Region string
	Days   []Holiday
}

// Holiday is one bank holiday.
type Holiday struct {
	Date string // 2026-12-25
	Name string
	day  date
}

// Last is the last day the list knows of, or "" when it is empty.
func (h *Holidays) Last() string {
	if len(h.Days) == 0 {
		return ""
	}
	return h.Days[len(h.Days)-1].Date
}

// file is the form the built-in data and a council's own file are written in.
type file struct {
	Region   string `yaml:"region"`
	Source   string `yaml:"source"`
	Holidays []struct {
		Date string `yaml:"date"`
		Name string `yaml:"name"`
	} `yaml:"holidays"`
}

// Builtin returns the bank holidays built in for region (england-and-wales,
// scotland or northern-ireland).
func Builtin(region string) (*Holidays, error) {
	blob, err := data.ReadFile("data/" + region + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no bank holidays are built in for %q: choose %s, or give a file", region, strings.Join(Regions, ", "))
	}
	return parseYAML(blob, region)
}

// ReadFile reads bank holidays from a file: either this package's YAML form
//
//	region: england-and-wales
//	holidays:
//	  - {date: 2026-12-25, name: Christmas Day}
//
// or the JSON the UK government publishes for all three regions, from which
// region is taken (england-and-wales when region is empty).
func ReadFile(path, region string) (*Holidays, error) {
	blob, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if trimmed := strings.TrimSpace(string(blob)); strings.HasPrefix(trimmed, "{") {
		return parseGovJSON(blob, region)
	}
	return parseYAML(blob, path)
}

func parseYAML(blob []byte, name string) (*Holidays, error) {
	var f file
	if err := yaml.Unmarshal(blob, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	h := &Holidays{Region: f.Region}
	if h.Region == "" {
		h.Region = name
	}
	for _, d := range f.Holidays {
		if err := h.add(d.Date, d.Name); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	h.sort()
	return h, nil
}

// parseGovJSON reads the published form: an object by region, each with a
// list of events holding a title and a date.
func parseGovJSON(blob []byte, region string) (*Holidays, error) {
	if region == "" {
		region = EnglandAndWales
	}
	var all map[string]struct {
		Events []struct {
			Title string `json:"title"`
			Date  string `json:"date"`
		} `json:"events"`
	}
	if err := json.Unmarshal(blob, &all); err != nil {
		return nil, fmt.Errorf("bank holidays: %w", err)
	}
	r, ok := all[region]
	if !ok {
		return nil, fmt.Errorf("bank holidays: the file has no region %q", region)
	}
	h := &Holidays{Region: region}
	for _, e := range r.Events {
		if err := h.add(e.Date, e.Title); err != nil {
			return nil, fmt.Errorf("bank holidays: %w", err)
		}
	}
	h.sort()
	return h, nil
}

func (h *Holidays) add(day, name string) error {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return fmt.Errorf("%q is not a date like 2026-12-25", day)
	}
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("the holiday on %s has no name", day)
	}
	h.Days = append(h.Days, Holiday{Date: day, Name: name, day: dateOf(t)})
	return nil
}

func (h *Holidays) sort() {
	sort.Slice(h.Days, func(i, j int) bool { return h.Days[i].Date < h.Days[j].Date })
}

// Load builds the calendar from a service's settings: the working week as
// ParseWeek reads it (DefaultHours when empty), the bank holidays of a
// built-in region ("none" for no holidays) or of a file (which wins), and
// the time zone.
func Load(week, region, file string, loc *time.Location) (*Calendar, error) {
	if strings.TrimSpace(week) == "" {
		week = DefaultHours
	}
	w, err := ParseWeek(week)
	if err != nil {
		return nil, err
	}
	var h *Holidays
	switch {
	case file != "":
		h, err = ReadFile(file, region)
	case region == "none":
	default:
		if region == "" {
			region = EnglandAndWales
		}
		h, err = Builtin(region)
	}
	if err != nil {
		return nil, err
	}
	return New(w, h, loc), nil
}
