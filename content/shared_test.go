package content

import (
	"sync"
	"testing"

	"signpost/content/risk"
)

var (
	sharedOnce   sync.Once
	sharedBundle *Bundle
	sharedErr    error
)

// SharedDefault is the built-in content, loaded once for every test of the
// package (package content and content_test alike): loading compiles the
// risk phrases and encodes the bundle for its version, a few seconds under
// the race detector, which each test paid again before. A test reads it and
// never changes it; one that breaks something on purpose does so on a copy
// of its own (see TestCheckTriage).
func SharedDefault(t testing.TB) *Bundle {
	t.Helper()
	sharedOnce.Do(func() { sharedBundle, sharedErr = Default() })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedBundle
}

// Phrases is the bundle's phrases compiled without the learned reader, for
// the tests of package content_test (the same risk.Compile of the bundle's
// languages that init does).
func (b *Bundle) Phrases() *risk.Matcher { return b.matcher }
