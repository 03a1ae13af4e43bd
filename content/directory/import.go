package directory

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ImportOptions tune Import. The zero value gives the documented defaults.
type ImportOptions struct {
	// Mapping turns taxonomy terms into needs; default DefaultMapping.
	Mapping *Mapping
	// Base supplies the areas, the fallbacks and the services kept beside
	// the imported ones (every service of Base that is not an example and
	// was not imported); default Default.
	Base *Directory
	// Previous is the directory from the last import, if any: services
	// keep their ids, and the result reports what was added, changed and
	// removed.
	Previous *Directory
	// PerPage, when above 0, asks the server for that many services a page.
	PerPage int
	// MaxPages stops a feed that never ends; default 1000.
	MaxPages int
	// MaxPageBytes refuses a page larger than this; default 32 MiB.
	MaxPageBytes int64
	// Client fetches http(s) sources; default a client with a 30 s timeout.
	Client *http.Client
	// Source is cited on imported services; default the source given to
	// Import (a URL, or the file's base name).
	Source string
	// Now stamps the directory's version; default time.Now.
	Now func() time.Time
}

// Result is what an import made and what it left out.
type Result struct {
	Directory *Directory
	// Pages fetched and Records seen in them.
	Pages, Records int
	// Imported is the number of services taken from the feed.
	Imported int
	Skipped  []Skipped
	// Added, Changed and Removed are service ids, compared with Previous.
	Added, Changed, Removed []string
	// Notes are remarks on the feed as a whole.
	Notes []string
}

// Skipped is one record left out and why.
type Skipped struct {
	Page  int // 1 for a file
	Index int // position in the page, from 0
	// SourceID and Name are as far as they could be read.
	SourceID, Name string
	Reason         string
}

func (s Skipped) String() string {
	who := s.SourceID
	if who == "" {
		who = fmt.Sprintf("record %d", s.Index)
	}
	if s.Name != "" {
		who += " (" + s.Name + ")"
	}
	return fmt.Sprintf("page %d: %s: %s", s.Page, who, s.Reason)
}

// Import reads services from an Open Referral UK / HSDS 3.0 source: a
// file or http(s) URL holding a /services page (following a URL's pages
// with ?page=N to the last one), a bare JSON array of services, or one
// service object. Every record is untrusted: records that cannot be shown
// safely are skipped and reported in Result.Skipped, never fatal. Import
// fails only when the source as a whole cannot be read (unreachable, not
// JSON, a page missing), since a partial feed would wrongly report
// services as removed. The result is not checked; run Check on it.
func Import(ctx context.Context, src string, opts ImportOptions) (Result, error) {
	im := newImporter(src, opts)
	res := Result{}
	page, loc := 1, im.firstURL()
	for {
		if res.Pages >= im.opts.MaxPages {
			return res, fmt.Errorf("import: more than %d pages; raise the limit if this is right", im.opts.MaxPages)
		}
		data, err := im.fetch(ctx, loc)
		if err != nil {
			return res, fmt.Errorf("import page %d: %w", page, err)
		}
		pg, err := decodePage(data)
		if err != nil {
			return res, fmt.Errorf("import page %d: %w", page, err)
		}
		if pg.number.Set && res.Pages > 0 && int(pg.number.V) != page {
			return res, fmt.Errorf("import: asked for page %d, got page %v", page, pg.number.V)
		}
		if pg.number.Set && !pg.number.Bad && res.Pages == 0 {
			page = int(pg.number.V) // some feeds count from 0
		}
		res.Pages++
		for i, raw := range pg.records {
			res.Records++
			im.record(&res, page, i, raw, pg.org)
		}
		more := pg.envelope && !bool(pg.last) && len(pg.records) > 0 &&
			(!pg.total.Set || float64(page) < pg.total.V)
		if !more {
			break
		}
		if !im.isURL {
			res.Notes = append(res.Notes, fmt.Sprintf("the file holds page %d of %v; only it was imported", page, pg.total.V))
			break
		}
		page++
		loc = im.pageURL(page)
	}
	im.finish(&res)
	return res, nil
}

// importer holds one run's state.
type importer struct {
	src   string
	isURL bool
	opts  ImportOptions
	conv  *converter
	// prevBySource maps a feed id to the id it had last time.
	prevBySource map[string]string
	seenSource   map[string]bool
	usedIDs      map[string]string // our id -> feed id
	services     []Service
}

func newImporter(src string, opts ImportOptions) *importer {
	if opts.Mapping == nil {
		opts.Mapping = DefaultMapping()
	}
	if opts.Base == nil {
		opts.Base = Default()
	}
	if opts.MaxPages <= 0 {
		opts.MaxPages = 1000
	}
	if opts.MaxPageBytes <= 0 {
		opts.MaxPageBytes = 32 << 20
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	im := &importer{
		src:          src,
		isURL:        strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://"),
		opts:         opts,
		conv:         newConverter(opts.Mapping, opts.Base.Areas),
		prevBySource: map[string]string{},
		seenSource:   map[string]bool{},
		usedIDs:      map[string]string{},
	}
	if im.opts.Source == "" {
		im.opts.Source = src
		if !im.isURL {
			im.opts.Source = filepath.Base(src)
		}
	}
	if opts.Previous != nil {
		for _, s := range opts.Previous.Services {
			if s.SourceID != "" {
				im.prevBySource[s.SourceID] = s.ID
				im.usedIDs[s.ID] = s.SourceID
			}
		}
	}
	for _, s := range opts.Base.Services {
		if _, taken := im.usedIDs[s.ID]; !taken {
			im.usedIDs[s.ID] = "" // a hand-written service's id is never reused
		}
	}
	return im
}

func (im *importer) firstURL() string {
	if !im.isURL || im.opts.PerPage <= 0 {
		return im.src
	}
	return im.withQuery(map[string]string{"per_page": strconv.Itoa(im.opts.PerPage)})
}

func (im *importer) pageURL(n int) string {
	q := map[string]string{"page": strconv.Itoa(n)}
	if im.opts.PerPage > 0 {
		q["per_page"] = strconv.Itoa(im.opts.PerPage)
	}
	return im.withQuery(q)
}

func (im *importer) withQuery(set map[string]string) string {
	u, err := url.Parse(im.src)
	if err != nil {
		return im.src // fetch reports the bad URL
	}
	q := u.Query()
	for k, v := range set {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// record converts one raw record, or notes why it was skipped.
func (im *importer) record(res *Result, pageNo, i int, raw, org json.RawMessage) {
	sk := Skipped{Page: pageNo, Index: i}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		sk.Reason = "malformed record: not a JSON object"
		res.Skipped = append(res.Skipped, sk)
		return
	}
	var h hsdsService
	if err := json.Unmarshal(raw, &h); err != nil {
		sk.Reason = "malformed record: " + clip(err.Error(), 80)
		res.Skipped = append(res.Skipped, sk)
		return
	}
	if !h.Organization.Set && org != nil {
		_ = h.Organization.UnmarshalJSON(org)
	}
	sk.SourceID, sk.Name = clip(plainText(h.ID.String(), 60), 60), plainText(h.Name.String(), 60)
	s, err := im.conv.convert(&h)
	if err != nil {
		sk.Reason = err.Error()
		res.Skipped = append(res.Skipped, sk)
		return
	}
	if im.seenSource[s.SourceID] {
		sk.Reason = "duplicate id in the feed"
		res.Skipped = append(res.Skipped, sk)
		return
	}
	im.seenSource[s.SourceID] = true
	s.ID = im.idFor(s.SourceID)
	s.Source = im.citation(s.SourceID)
	im.services = append(im.services, s)
	res.Imported++
}

// idFor gives a feed id our id: last run's, else one derived from it, so
// that importing the same feed again gives the same ids.
func (im *importer) idFor(sourceID string) string {
	if id, ok := im.prevBySource[sourceID]; ok {
		return id
	}
	id := "or-" + slug(sourceID)
	if !validID(id) || id == "or-" {
		id = ""
	}
	if owner, taken := im.usedIDs[id]; id == "" || (taken && owner != sourceID) {
		sum := sha256.Sum256([]byte(sourceID))
		id = "or-" + hex.EncodeToString(sum[:8])
	}
	im.usedIDs[id] = sourceID
	return id
}

// citation says where an imported service's details come from: the feed's
// address for that service when the feed is a URL.
func (im *importer) citation(sourceID string) string {
	base := im.opts.Source
	if im.isURL && im.opts.Source == im.src {
		if u, err := url.Parse(im.src); err == nil {
			u.RawQuery, u.Fragment = "", ""
			if strings.HasSuffix(u.Path, "/services") {
				u.Path += "/" + url.PathEscape(sourceID)
				return clip(u.String(), 300)
			}
			base = u.String()
		}
	}
	return clip(base+" (record "+sourceID+")", 300)
}

// finish builds the directory and compares it with the previous one.
func (im *importer) finish(res *Result) {
	base := im.opts.Base
	d := &Directory{
		Version:  "import-" + im.opts.Now().UTC().Format("20060102T150405Z"),
		Areas:    slices.Clone(base.Areas),
		Fallback: map[string]string{},
	}
	for k, v := range base.Fallback {
		d.Fallback[k] = v
	}
	for _, s := range base.Services {
		if !s.Example && s.SourceID == "" {
			d.Services = append(d.Services, s)
		}
	}
	d.Services = append(d.Services, im.services...)
	d.lookup()
	res.Directory = d
	res.Added, res.Changed, res.Removed = diff(im.opts.Previous, im.services)
}

// diff compares the imported services with those of the previous import,
// by feed id. Each list is sorted.
func diff(prev *Directory, now []Service) (added, changed, removed []string) {
	old := map[string]*Service{}
	if prev != nil {
		for i := range prev.Services {
			if s := &prev.Services[i]; s.SourceID != "" {
				old[s.SourceID] = s
			}
		}
	}
	for i := range now {
		s := &now[i]
		p, ok := old[s.SourceID]
		switch {
		case !ok:
			added = append(added, s.ID)
		case !reflect.DeepEqual(normalise(*p), normalise(*s)):
			changed = append(changed, s.ID)
		}
		delete(old, s.SourceID)
	}
	for _, s := range old {
		removed = append(removed, s.ID)
	}
	slices.Sort(added)
	slices.Sort(changed)
	slices.Sort(removed)
	return added, changed, removed
}

// normalise makes nil and empty lists equal, since a directory read back
// from YAML has nil where the importer made empty.
func normalise(s Service) Service {
	for _, l := range []*[]string{&s.Needs, &s.Languages, &s.Eligibility.Areas, &s.When.Days} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	return s
}
