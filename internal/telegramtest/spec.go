package telegramtest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// The Bot API description the server checks every request against. Keeping
// the published description, rather than a hand-written list, is what stops
// the fake from accepting a parameter Telegram does not have.
//
//go:embed spec/bot-api-9.4.min.json
var specJSON []byte

// apiSpec is the part of the description the server uses.
type apiSpec struct {
	Version string                  `json:"version"`
	Methods map[string]specMethod   `json:"methods"`
	Types   map[string]specTypeInfo `json:"types"`

	// byLower finds a method whatever its case: Telegram matches method
	// names case-insensitively.
	byLower map[string]string
}

type specMethod struct {
	Name    string      `json:"name"`
	Returns []string    `json:"returns"`
	Fields  []specField `json:"fields"`
}

type specTypeInfo struct {
	Name      string      `json:"name"`
	Fields    []specField `json:"fields"`
	Subtypes  []string    `json:"subtypes"`
	SubtypeOf []string    `json:"subtype_of"`
}

type specField struct {
	Name     string   `json:"name"`
	Types    []string `json:"types"`
	Required bool     `json:"required"`
}

var (
	specOnce   sync.Once
	specParsed *apiSpec
	specErr    error
)

// loadSpec decodes the embedded description once per process.
func loadSpec() (*apiSpec, error) {
	specOnce.Do(func() {
		var s apiSpec
		if err := json.Unmarshal(specJSON, &s); err != nil {
			specErr = fmt.Errorf("decode embedded Bot API description: %w", err)
			return
		}
		s.byLower = make(map[string]string, len(s.Methods))
		for name := range s.Methods {
			s.byLower[strings.ToLower(name)] = name
		}
		specParsed = &s
	})
	return specParsed, specErr
}

// SpecVersion reports which Bot API version the server validates against,
// for example "Bot API 9.4".
func SpecVersion() string {
	s, err := loadSpec()
	if err != nil {
		return ""
	}
	return s.Version
}

// method returns the canonical method name for name, matched without case.
func (s *apiSpec) method(name string) (specMethod, bool) {
	canonical, ok := s.byLower[strings.ToLower(name)]
	if !ok {
		return specMethod{}, false
	}
	return s.Methods[canonical], true
}

// validate checks params against the method's fields: no parameter the
// method lacks, every required one present and non-empty, and values that
// parse as their declared type. The messages follow Telegram's wording where
// Telegram has one.
//
// Telegram itself ignores unknown parameters; the fake refuses them so that a
// misspelt parameter fails a test instead of being silently dropped.
func (m specMethod) validate(p params) *apiError {
	known := make(map[string]specField, len(m.Fields))
	for _, f := range m.Fields {
		known[f.Name] = f
	}
	for _, name := range p.names() {
		if _, ok := known[name]; !ok {
			return badRequest(fmt.Sprintf("unknown parameter %q for method %s", name, m.Name))
		}
	}
	for _, f := range m.Fields {
		v, ok := p.get(f.Name)
		if f.Required && (!ok || strings.TrimSpace(v) == "") && !(ok && emptyAllowed[m.Name+"."+f.Name]) {
			return badRequest(emptyMessage(m.Name, f.Name))
		}
		if !ok {
			continue
		}
		if err := checkType(f, v); err != nil {
			return err
		}
	}
	return nil
}

// emptyAllowed lists required parameters Telegram accepts empty: setWebhook
// with an empty url removes the webhook.
var emptyAllowed = map[string]bool{"setWebhook.url": true}

// emptyMessage is Telegram's description for a missing required parameter.
func emptyMessage(method, field string) string {
	if field == "text" && (method == "sendMessage" || method == "editMessageText") {
		return "message text is empty"
	}
	return field + " is empty"
}

// checkType checks that a raw parameter value can be read as one of the
// field's declared types. Form bodies carry everything as text, so objects
// and arrays arrive as JSON strings and numbers as decimal text.
func checkType(f specField, v string) *apiError {
	var firstErr *apiError
	for _, t := range f.Types {
		err := checkOneType(f.Name, t, v)
		if err == nil {
			return nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

func checkOneType(name, typ, v string) *apiError {
	switch {
	case typ == "String":
		return nil
	case typ == "Integer":
		if _, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err != nil {
			return badRequest(fmt.Sprintf("invalid %s: expected an Integer", name))
		}
	case typ == "Float":
		if _, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
			return badRequest(fmt.Sprintf("invalid %s: expected a Float", name))
		}
	case typ == "Boolean":
		if _, ok := parseBool(v); !ok {
			return badRequest(fmt.Sprintf("invalid %s: expected a Boolean", name))
		}
	case typ == "InputFile":
		// A file part, a file_id or a URL: any text is acceptable here.
		return nil
	case strings.HasPrefix(typ, "Array of "):
		var arr []json.RawMessage
		if err := json.Unmarshal([]byte(v), &arr); err != nil {
			return badRequest(fmt.Sprintf("can't parse %s JSON array", name))
		}
	default:
		// A Bot API object, sent JSON-serialized.
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(v), &obj); err != nil {
			return badRequest(fmt.Sprintf("can't parse %s JSON object", name))
		}
	}
	return nil
}

// parseBool reads the spellings of a boolean Telegram accepts in forms.
func parseBool(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1":
		return true, true
	case "false", "0", "":
		return false, true
	}
	return false, false
}
