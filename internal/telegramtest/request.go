package telegramtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// maxBodyBytes bounds a request body. Telegram allows 50 MB uploads; tests
// never need that much, and a bound keeps a runaway client from eating memory.
const maxBodyBytes = 20 << 20

// params holds a request's parameters as Telegram sees them: every value is
// text. A JSON body's numbers and booleans become their JSON spelling and
// nested objects their JSON text, exactly as a form body would carry them, so
// one set of checks serves every encoding.
type params struct {
	values map[string]string
	// files names the parameters that arrived as uploaded file parts.
	files map[string]bool
}

func newParams() params {
	return params{values: map[string]string{}, files: map[string]bool{}}
}

func (p params) set(name, value string) {
	if _, dup := p.values[name]; dup {
		return // the first occurrence wins, as with url.Values.Get
	}
	p.values[name] = value
}

func (p params) get(name string) (string, bool) {
	v, ok := p.values[name]
	return v, ok
}

func (p params) has(name string) bool {
	_, ok := p.values[name]
	return ok
}

// str returns the value or "" when absent.
func (p params) str(name string) string { return p.values[name] }

// names lists the parameters in a stable order so errors are reproducible.
func (p params) names() []string {
	out := make([]string, 0, len(p.values))
	for k := range p.values {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// int64 reads an integer parameter that validation already checked; absent
// reads as zero.
func (p params) int64(name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(p.values[name]), 10, 64)
	return n
}

func (p params) bool(name string) bool {
	b, _ := parseBool(p.values[name])
	return b
}

// decode unmarshals a JSON-serialized parameter into dst.
func (p params) decode(name string, dst any) error {
	v, ok := p.values[name]
	if !ok {
		return nil
	}
	if err := json.Unmarshal([]byte(v), dst); err != nil {
		return fmt.Errorf("can't parse %s: %w", name, err)
	}
	return nil
}

// readParams collects the query string and the body, whatever its encoding:
// multipart/form-data (what go-telegram/bot sends), application/json and
// application/x-www-form-urlencoded.
func readParams(r *http.Request) (params, error) {
	p := newParams()
	for name, vs := range r.URL.Query() {
		if len(vs) > 0 {
			p.set(name, vs[0])
		}
	}
	if r.Method != http.MethodPost || r.Body == nil {
		return p, nil
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBodyBytes)
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return p, nil
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return p, fmt.Errorf("bad Content-Type: %w", err)
	}
	switch mediaType {
	case "multipart/form-data":
		return p, readMultipart(r, p)
	case "application/json":
		return p, readJSON(r.Body, p)
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return p, err
		}
		for name, vs := range r.PostForm {
			if len(vs) > 0 {
				p.set(name, vs[0])
			}
		}
		return p, nil
	default:
		return p, fmt.Errorf("unsupported Content-Type %q", mediaType)
	}
}

// readMultipart walks the parts by hand rather than with ParseMultipartForm:
// go-telegram/bot sends a request without parameters (getMe, getWebhookInfo)
// as an empty body under a multipart Content-Type, which the standard parser
// rejects but Telegram accepts.
func readMultipart(r *http.Request, p params) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := part.FormName()
		data, err := io.ReadAll(part)
		if err != nil {
			return err
		}
		if name == "" {
			continue
		}
		if part.FileName() != "" {
			p.files[name] = true
		}
		p.set(name, string(data))
	}
}

// readJSON flattens a JSON object body into text values.
func readJSON(body io.Reader, p params) error {
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return fmt.Errorf("can't parse JSON body: %w", err)
	}
	for name, raw := range obj {
		text := strings.TrimSpace(string(raw))
		if text == "null" {
			continue // JSON null means "not given"
		}
		var s string
		if strings.HasPrefix(text, `"`) && json.Unmarshal(raw, &s) == nil {
			p.set(name, s)
			continue
		}
		p.set(name, text)
	}
	return nil
}
