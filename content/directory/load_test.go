package directory

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestLoadEmptyPathIsDefault(t *testing.T) {
	d, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if d != Default() {
		t.Error("Load(\"\") is not the embedded default")
	}
	if _, ok := d.ByID("citizens-advice"); !ok {
		t.Error("default has no citizens-advice")
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	for _, name := range []string{"dir.yaml", "dir.json"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := Save(path, Default()); err != nil {
				t.Fatal(err)
			}
			got, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			opts := cmpopts.IgnoreUnexported(Directory{})
			if diff := cmp.Diff(Default(), got, opts, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, file, body, want string
	}{
		{name: "missing file", file: "nope.yaml", want: "no such file"},
		{name: "empty", file: "empty.yaml", body: "", want: "empty file"},
		{name: "typo in a field", file: "typo.yaml", body: "version: x\nservices:\n  - id: a\n    care_leaver_only: true\n", want: "care_leaver_only"},
		{name: "bad json", file: "bad.json", body: "{", want: "parse directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			if tc.body != "" || tc.name == "empty" {
				if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}
