package safetycase

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// outside are names of files that live beside the repository rather than
// in it: docs/design.md and docs/domain.md carry what the code relies on.
var outside = []string{"../shared", "DOMAIN.md", "DESIGN.md", "STYLE.md"}

// TestNothingPointsOutside: no code, comment or document points at files
// outside the repository; what the code relies on is in docs/.
func TestNothingPointsOutside(t *testing.T) {
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if name == ".git" || name == "node_modules" || name == "testdata" || (name == "safetycase" && filepath.Base(filepath.Dir(path)) == "internal") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(name) {
		case ".go", ".md", ".yaml", ".yml", ".sh", ".html", ".js", ".css", ".txt", ".json", ".toml":
		default:
			if name != "Dockerfile" && name != "Caddyfile" && !strings.HasPrefix(name, ".env") {
				return nil
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, o := range outside {
			if strings.Contains(string(b), o) {
				rel, _ := filepath.Rel(repoRoot, path)
				t.Errorf("%s mentions %s, outside the repository: point at docs/design.md or docs/domain.md, and put there what it relies on", rel, o)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
