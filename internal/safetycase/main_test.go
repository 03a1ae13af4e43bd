package safetycase

import (
	"os"
	"path/filepath"
	"testing"
)

// repoRoot is the repository, seen from this package's folder.
const repoRoot = "../.."

// readDoc returns the repository file at path.
func readDoc(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
