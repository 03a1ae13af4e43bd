package directory

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// defaultYAML is the directory shipped in the binary: national services
// with their real public contact details and placeholder local examples.
//
//go:embed default.yaml
var defaultYAML []byte

var defaultDir = sync.OnceValues(func() (*Directory, error) {
	return Parse(defaultYAML, FormatYAML)
})

// Default returns the embedded directory. It is shared: do not modify it.
// It panics if the embedded file does not parse, which the package tests
// rule out.
func Default() *Directory {
	d, err := defaultDir()
	if err != nil {
		panic(fmt.Sprintf("directory: embedded default.yaml: %v", err))
	}
	return d
}

// Formats of a directory file.
const (
	FormatYAML = "yaml"
	FormatJSON = "json"
)

// FormatOf picks the format from a file name: ".json" is JSON, anything
// else YAML.
func FormatOf(path string) string {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return FormatJSON
	}
	return FormatYAML
}

// Load reads a directory file (YAML, or JSON when the name ends in .json).
// An empty path returns Default, so a bot with no directory configured
// still has one. Errors wrap the path; the file is not checked, use Check.
func Load(path string) (*Directory, error) {
	if path == "" {
		return Default(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load directory: %w", err)
	}
	d, err := Parse(data, FormatOf(path))
	if err != nil {
		return nil, fmt.Errorf("load directory %s: %w", filepath.Base(path), err)
	}
	return d, nil
}

// Parse decodes a directory. Unknown fields are an error, so that a typo in
// a hand-edited file ("care_leaver_only") is caught rather than silently
// widening who a service is offered to.
func Parse(data []byte, format string) (*Directory, error) {
	d := &Directory{}
	switch format {
	case FormatJSON:
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(d); err != nil {
			return nil, fmt.Errorf("parse directory: %w", err)
		}
	case FormatYAML:
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(d); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("parse directory: empty file")
			}
			return nil, fmt.Errorf("parse directory: %w", err)
		}
	default:
		return nil, fmt.Errorf("parse directory: unknown format %q", format)
	}
	d.lookup()
	return d, nil
}

// Encode writes the directory in the given format.
func Encode(w io.Writer, d *Directory, format string) error {
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	case FormatYAML:
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(d); err != nil {
			return err
		}
		return enc.Close()
	}
	return fmt.Errorf("encode directory: unknown format %q", format)
}

// Save writes the directory to path (format from its name) through a
// temporary file and a rename, so a bot loading it never sees half a file.
func Save(path string, d *Directory) error {
	var buf bytes.Buffer
	if err := Encode(&buf, d, FormatOf(path)); err != nil {
		return fmt.Errorf("save directory: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("save directory: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("save directory: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save directory: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("save directory: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save directory: %w", err)
	}
	return nil
}
