package safetycase

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A Markdown file's name, or a relative path that climbs out of its folder.
var (
	mdName = regexp.MustCompile(`[A-Za-z0-9_./-]*[A-Za-z0-9_-]+\.md\b`)
	climb  = regexp.MustCompile(`(?:\.\./)+[A-Za-z0-9_.-]+`)
)

// TestNothingPointsOutside: no code, comment or document points at files
// outside the repository; what the code relies on is in docs/. Every
// Markdown file named must be one of the repository's, and no relative path
// may climb above the repository's root.
func TestNothingPointsOutside(t *testing.T) {
	type file struct{ path, text string }
	var files []file
	docs := map[string]bool{} // the repository's Markdown files, by path and by name
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if name == ".git" || name == "node_modules" || name == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(repoRoot, path)
		if filepath.Ext(name) == ".md" {
			docs[rel], docs[name] = true, true
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
		files = append(files, file{rel, string(b)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		for _, m := range mdName.FindAllString(f.text, -1) {
			m = strings.TrimPrefix(m, "./")
			if strings.Contains(f.text, "-out "+m) {
				continue // a file a command is told to write
			}
			if !docs[m] && !docs[filepath.Base(m)] && !docs[filepath.Join(filepath.Dir(f.path), m)] {
				t.Errorf("%s names %s, which is not in the repository: put what it relies on in docs/ and point there", f.path, m)
			}
		}
		for _, m := range climb.FindAllString(f.text, -1) {
			if to := filepath.Join(filepath.Dir(f.path), m); strings.HasPrefix(to, "..") {
				t.Errorf("%s points at %s, outside the repository", f.path, m)
			}
		}
	}
}
