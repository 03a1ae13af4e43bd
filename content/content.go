// Package content holds what signpost says and asks: the conversation flows,
// the messages in each language and the risk model, as YAML embedded in the
// binary. It loads and validates them; it knows nothing of Redis or Telegram.
package content

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"signpost/content/directory"
	"signpost/content/risk"
	"signpost/content/risk/learn"
)

//go:embed data
var embedded embed.FS

// Bundle is one version of the content: every flow, every message in every
// language, and the risk model. A session is pinned to the Version it began on.
type Bundle struct {
	// Version identifies the bundle: a hash of its encoded form.
	Version string `json:"-"`
	// DefaultLang is used when a person's language has no messages.
	DefaultLang string `json:"default_lang"`
	// MainFlow is the flow a new conversation starts.
	MainFlow string `json:"main_flow"`
	// Flows by id.
	Flows map[string]*Flow `json:"flows"`
	// Messages by language, then key.
	Messages map[string]map[string]string `json:"messages"`
	// Risk is the risk model: phrases and responses by language, and the
	// services responses may name.
	Risk *RiskModel `json:"risk"`

	// TriageRules say how pressing a referral is from its answers
	// (triage.yaml); nil when the content has none.
	TriageRules *Triage `json:"triage,omitempty"`

	matcher *risk.Matcher
	// learned is the learned reader of risk (risklearn.go); not pinned.
	learned *learn.Model

	// Directory is the local directory suggestions come from. It is not part
	// of the pinned content: a conversation always sees the newest directory.
	Directory *directory.Directory `json:"-"`

	// Facts are the settings messages quote (see DefaultFacts). Like the
	// directory they are not pinned: a message always quotes the settings
	// the service runs with. Nil means the defaults.
	Facts map[string]string `json:"-"`
}

type manifest struct {
	DefaultLang string `yaml:"default_language"`
	MainFlow    string `yaml:"main_flow"`
}

// Default returns the content embedded in the binary.
func Default() (*Bundle, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, err
	}
	return Load(sub)
}

// LoadDir loads content from a folder laid out like the embedded one.
func LoadDir(dir string) (*Bundle, error) {
	return Load(os.DirFS(dir))
}

// Load reads a content tree: signpost.yaml (default language and main flow),
// flows/*.yaml, messages/LANG.yaml, risk/*.yaml and triage.yaml. It returns an error only
// when the files cannot be read or parsed; Check reports everything else.
func Load(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{Flows: map[string]*Flow{}, Messages: map[string]map[string]string{}}

	var m manifest
	if err := readYAML(fsys, "signpost.yaml", &m); err != nil {
		return nil, err
	}
	b.DefaultLang, b.MainFlow = m.DefaultLang, m.MainFlow
	if b.DefaultLang == "" {
		b.DefaultLang = "en"
	}

	flowFiles, err := fs.Glob(fsys, "flows/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, name := range flowFiles {
		var f Flow
		if err := readYAML(fsys, name, &f); err != nil {
			return nil, err
		}
		if f.ID == "" {
			f.ID = strings.TrimSuffix(path.Base(name), ".yaml")
		}
		if _, dup := b.Flows[f.ID]; dup {
			return nil, fmt.Errorf("%s: flow %s is defined twice", name, f.ID)
		}
		b.Flows[f.ID] = &f
	}

	msgFiles, err := fs.Glob(fsys, "messages/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, name := range msgFiles {
		msgs := map[string]string{}
		if err := readYAML(fsys, name, &msgs); err != nil {
			return nil, err
		}
		b.Messages[strings.TrimSuffix(path.Base(name), ".yaml")] = msgs
	}

	if _, err := fs.Stat(fsys, "triage.yaml"); err == nil {
		b.TriageRules = &Triage{}
		if err := readYAML(fsys, "triage.yaml", b.TriageRules); err != nil {
			return nil, err
		}
	}
	if _, err := fs.Stat(fsys, riskDir); err != nil {
		// Content without a risk model of its own is read for risk with
		// the built-in one: no conversation goes without it.
		sub, err := fs.Sub(embedded, "data")
		if err != nil {
			return nil, err
		}
		fsys = sub
	}
	if b.Risk, err = loadRisk(fsys); err != nil {
		return nil, err
	}
	if err := b.init(); err != nil {
		return nil, err
	}
	if err := b.loadLearned(fsys); err != nil {
		return nil, err
	}
	b.Directory = directory.Default()
	return b, nil
}

func readYAML(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read content: %w", err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// init indexes the flows, compiles the risk model and computes the version.
func (b *Bundle) init() error {
	ids := make([]string, 0, len(b.Flows))
	for id := range b.Flows {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := b.Flows[id].buildIndex(); err != nil {
			return err
		}
	}
	if b.Risk != nil {
		m, err := risk.Compile(b.Risk.Languages, b.DefaultLang)
		if err != nil {
			return err
		}
		b.matcher = m
	}
	blob, err := b.Encode()
	if err != nil {
		return err
	}
	sum := sha256.Sum256(blob)
	b.Version = hex.EncodeToString(sum[:6])
	return nil
}

// Encode returns the bundle in a form Decode reads back: what a content store
// keeps so that sessions pinned to this version can finish on it later.
func (b *Bundle) Encode() ([]byte, error) {
	return json.Marshal(b)
}

// Decode reads a bundle written by Encode.
func Decode(blob []byte) (*Bundle, error) {
	var b Bundle
	if err := json.Unmarshal(blob, &b); err != nil {
		return nil, fmt.Errorf("decode content: %w", err)
	}
	if err := b.init(); err != nil {
		return nil, err
	}
	if b.Risk == nil {
		// A version stored before the risk model was part of the content:
		// its conversations are read for risk with the built-in model.
		if err := b.adoptBuiltinRisk(); err != nil {
			return nil, err
		}
	}
	if err := b.loadLearned(nil); err != nil {
		return nil, err
	}
	b.Directory = directory.Default()
	return &b, nil
}

// Lang returns lang when the bundle has messages in it, else the default language.
func (b *Bundle) Lang(lang string) string {
	lang = strings.ToLower(lang)
	if _, ok := b.Messages[lang]; ok {
		return lang
	}
	// Telegram sends regional codes such as "en-GB".
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		if _, ok := b.Messages[lang[:i]]; ok {
			return lang[:i]
		}
	}
	return b.DefaultLang
}

// Text returns the message key in lang, falling back to the default language
// and, as a last resort that Check reports, to the key itself.
func (b *Bundle) Text(lang, key string) string {
	if s, ok := b.Messages[lang][key]; ok {
		return s
	}
	if s, ok := b.Messages[b.DefaultLang][key]; ok {
		return s
	}
	return key
}

// ChannelSep joins a message key and a channel: a message "q_checkins@web"
// is what a person in the web chat reads in place of "q_checkins", where the
// words must differ (a web page cannot send weekly messages itself).
const ChannelSep = "@"

// TextIn is Text for a person who talks through channel (flows.ChannelWeb,
// ...): the channel's own version of the message when the content has one,
// in lang or else in the default language, and otherwise the message itself.
func (b *Bundle) TextIn(channel, lang, key string) string {
	if channel != "" {
		v := key + ChannelSep + channel
		if s, ok := b.Messages[lang][v]; ok {
			return s
		}
		if _, ok := b.Messages[lang][key]; !ok {
			if s, ok := b.Messages[b.DefaultLang][v]; ok {
				return s
			}
		}
	}
	return b.Text(lang, key)
}

// Main returns the flow a new conversation starts.
func (b *Bundle) Main() *Flow {
	return b.Flows[b.MainFlow]
}
