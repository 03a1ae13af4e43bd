package safetycase

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The hazards the log must cover, by words of their titles.
var requiredHazards = []string{
	"Missed risk disclosure",
	"False alarm fatigue",
	"Urgent flag unseen out of hours",
	"Referral lost",
	"Message to the wrong person",
	"Relayed message to a person who blocked the bot",
	"Wrong or outdated phone number",
	"Child using the adult service",
	"Data kept longer than said",
	"Link worker sees a case they should not",
}

// fields are a hazard's parts, in order.
var fields = []string{"Hazard", "Cause", "Effect", "Existing controls", "Initial risk", "Added controls", "Residual risk"}

var (
	likelihoods = []string{"Very low", "Low", "Medium", "High", "Very high"}
	severities  = []string{"Minor", "Significant", "Considerable", "Major", "Catastrophic"}
	ratingLine  = regexp.MustCompile(`^likelihood (Very low|Low|Medium|High|Very high), severity (Minor|Significant|Considerable|Major|Catastrophic): \*\*([1-5])\*\*$`)
	testRef     = regexp.MustCompile("`([a-z0-9_]+(?:/[a-z0-9_]+)*)\\.(Test[A-Za-z0-9_]+)`")
	hazardHead  = regexp.MustCompile(`(?m)^### (H\d\d) (.+)$`)
)

// hazard is one entry of the log.
type hazard struct {
	id, title string
	fields    map[string]string
	initial   int
	residual  int
}

// matrix reads the log's risk matrix: rating by likelihood, then severity.
func matrix(t *testing.T, doc string) map[string]map[string]int {
	t.Helper()
	m := map[string]map[string]int{}
	in := false
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "| likelihood \\ severity |") {
			in = true
			continue
		}
		if !in || strings.HasPrefix(line, "|---") {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "| "), "|")
		if len(cells) != 1+len(severities) {
			t.Fatalf("matrix row %q has %d cells", line, len(cells))
		}
		row := map[string]int{}
		for i, s := range severities {
			n, err := strconv.Atoi(strings.TrimSpace(cells[i+1]))
			if err != nil {
				t.Fatalf("matrix row %q: %v", line, err)
			}
			row[s] = n
		}
		m[strings.TrimSpace(cells[0])] = row
	}
	if len(m) != len(likelihoods) {
		t.Fatalf("the risk matrix has %d rows, want %d", len(m), len(likelihoods))
	}
	return m
}

// hazards reads the entries of the log.
func hazards(t *testing.T, doc string) []hazard {
	t.Helper()
	heads := hazardHead.FindAllStringSubmatchIndex(doc, -1)
	var out []hazard
	for i, h := range heads {
		end := len(doc)
		if i+1 < len(heads) {
			end = heads[i+1][0]
		}
		hz := hazard{id: doc[h[2]:h[3]], title: doc[h[4]:h[5]], fields: map[string]string{}}
		body := doc[h[1]:end]
		last := 0
		for _, f := range fields {
			marker := "\n- **" + f + ":**"
			at := strings.Index(body[last:], marker)
			if at < 0 {
				t.Errorf("%s: no %q, or out of order (want %s)", hz.id, f, strings.Join(fields, ", "))
				break
			}
			last += at + len(marker)
		}
		// Each field runs to the next one.
		for j, f := range fields {
			start := strings.Index(body, "\n- **"+f+":**")
			if start < 0 {
				continue
			}
			start += len("\n- **" + f + ":**")
			stop := len(body)
			if j+1 < len(fields) {
				if s := strings.Index(body, "\n- **"+fields[j+1]+":**"); s >= 0 {
					stop = s
				}
			}
			if stop < start {
				continue
			}
			hz.fields[f] = strings.TrimSpace(body[start:stop])
		}
		out = append(out, hz)
	}
	return out
}

// controls splits a controls field into its items.
func controls(field string) []string {
	var items []string
	for _, line := range strings.Split(field, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "- "):
			items = append(items, strings.TrimPrefix(trimmed, "- "))
		case len(items) > 0 && trimmed != "":
			items[len(items)-1] += " " + trimmed
		}
	}
	return items
}

// TestHazardLog: the log covers the hazards it must, each with every
// field, ratings that are the matrix's, a residual no worse than the
// initial risk, and controls that each name a test or say they are a
// procedure or not yet built; the report's summary gives each hazard's
// residual rating as the log does.
func TestHazardLog(t *testing.T) {
	doc := readDoc(t, "docs/safety/hazard-log.md")
	m := matrix(t, doc)
	hs := hazards(t, doc)
	if len(hs) == 0 {
		t.Fatal("no hazards (### H01 Title)")
	}
	seen := map[string]bool{}
	for _, h := range hs {
		if seen[h.id] {
			t.Errorf("%s appears twice", h.id)
		}
		seen[h.id] = true
		for _, f := range []string{"Hazard", "Cause", "Effect"} {
			if h.fields[f] == "" {
				t.Errorf("%s: %s is empty", h.id, f)
			}
		}
		for _, f := range []string{"Initial risk", "Residual risk"} {
			r := ratingLine.FindStringSubmatch(h.fields[f])
			if r == nil {
				t.Errorf("%s: %s %q is not \"likelihood L, severity S: **N**\"", h.id, f, h.fields[f])
				continue
			}
			got, _ := strconv.Atoi(r[3])
			if want := m[r[1]][r[2]]; got != want {
				t.Errorf("%s: %s: %s × %s rates %d in the matrix, not %d", h.id, f, r[1], r[2], want, got)
			}
			if f == "Initial risk" {
				h.initial = got
			} else {
				h.residual = got
			}
		}
		if h.residual > h.initial {
			t.Errorf("%s: residual risk %d is worse than the initial %d", h.id, h.residual, h.initial)
		}
		tested := false
		for _, f := range []string{"Existing controls", "Added controls"} {
			items := controls(h.fields[f])
			if len(items) == 0 {
				t.Errorf("%s: %s lists nothing (write \"None needed.\" if so)", h.id, f)
			}
			for _, c := range items {
				switch {
				case testRef.MatchString(c):
					tested = true
				case strings.HasPrefix(c, "**Open:**"), strings.HasPrefix(c, "**Procedure:**"), c == "None needed.":
				default:
					t.Errorf("%s: the control %q names no test (Tests: `folder.TestName`) and is not marked **Open:** or **Procedure:**", h.id, c)
				}
			}
		}
		if !tested {
			t.Errorf("%s: no control names a test", h.id)
		}
		summary := regexp.MustCompile(`(?m)^\| ` + h.id + ` \|[^\n]*\| \*\*([1-5])\*\* \|`)
		if s := summary.FindStringSubmatch(readDoc(t, "docs/safety/safety-case.md")); s == nil {
			t.Errorf("docs/safety/safety-case.md does not summarise %s", h.id)
		} else if s[1] != strconv.Itoa(h.residual) {
			t.Errorf("docs/safety/safety-case.md gives %s a residual risk of %s; the log, %d", h.id, s[1], h.residual)
		}
	}
	for _, want := range requiredHazards {
		found := false
		for _, h := range hs {
			found = found || strings.HasPrefix(h.title, want)
		}
		if !found {
			t.Errorf("the log has no hazard %q", want)
		}
	}
}

// TestNamedTestsExist: every test the safety documents name as proof of a
// control is a test function in the folder named.
func TestNamedTestsExist(t *testing.T) {
	funcs := map[string]map[string]bool{}
	for _, path := range []string{"docs/safety/hazard-log.md", "docs/safety/personal-data.md", "docs/safety/safety-case.md"} {
		doc := readDoc(t, path)
		refs := testRef.FindAllStringSubmatch(doc, -1)
		if path == "docs/safety/hazard-log.md" && len(refs) < 20 {
			t.Errorf("%s names only %d tests", path, len(refs))
		}
		for _, r := range refs {
			dir, name := r[1], r[2]
			if funcs[dir] == nil {
				funcs[dir] = testFuncs(t, dir)
			}
			if !funcs[dir][name] {
				t.Errorf("%s names %s.%s, but %s has no func %s", path, dir, name, dir, name)
			}
		}
	}
}

// testFuncs returns the names of the top-level functions in the test files
// of the repository folder dir.
func testFuncs(t *testing.T, dir string) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	files, err := filepath.Glob(filepath.Join(repoRoot, filepath.FromSlash(dir), "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil {
				names[fn.Name.Name] = true
			}
		}
	}
	return names
}
