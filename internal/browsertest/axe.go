package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// WCAG22AA are the axe-core tags of every rule for WCAG 2.2 level A and AA.
var WCAG22AA = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// Violation is one axe-core rule a page breaks, with the elements that break it.
type Violation struct {
	ID          string   `json:"id"`
	Impact      string   `json:"impact"`
	Description string   `json:"description"`
	Help        string   `json:"helpUrl"`
	Nodes       []string `json:"nodes"` // a selector and the failure summary of each element
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s\n    %s", v.ID, v.Impact, v.Description, strings.Join(v.Nodes, "\n    "))
}

// AxePath is axe-core's script: $AXE_CORE_JS, else the copy npm installed
// beside this package.
func AxePath() string {
	if p := os.Getenv("AXE_CORE_JS"); p != "" {
		return p
	}
	return filepath.Join(sourceDir(), "node_modules", "axe-core", "axe.min.js")
}

var axeSource struct {
	once sync.Once
	js   string
	err  error
}

func loadAxe() (string, error) {
	axeSource.once.Do(func() {
		b, err := os.ReadFile(AxePath())
		if err != nil {
			axeSource.err = fmt.Errorf("%w at %s (run: npm ci --prefix internal/browsertest): %v", errNoAxe, AxePath(), err)
			return
		}
		axeSource.js = string(b)
	})
	return axeSource.js, axeSource.err
}

// Axe runs axe-core in the page with the given tags (WCAG22AA when none)
// and returns the violations. On a page opened WithoutJavaScript the
// check runs with scripts on for its duration only; the page's own scripts,
// which did not run when it loaded, do not run then either.
func (p *Page) Axe(tags ...string) []Violation {
	p.t.Helper()
	src, err := loadAxe()
	if err != nil {
		missing(p.t, err.Error())
	}
	if len(tags) == 0 {
		tags = WCAG22AA
	}
	if p.noJS {
		p.do("turn scripts on for axe-core", scripts(true))
		defer p.do("turn scripts off again", scripts(false))
	}
	// Colours are judged as they end up, not halfway through a fade.
	p.Eval(`Promise.all(document.getAnimations().map(a => a.finished.catch(() => null))).then(() => true)`, nil)
	p.Eval(src+"\n;true", nil)
	tagList, _ := json.Marshal(tags)
	var out []Violation
	p.Eval(`axe.run(document, {runOnly: {type: 'tag', values: `+string(tagList)+`}, resultTypes: ['violations']}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || '', description: v.description, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' '))
	})))`, &out)
	return out
}

// CheckAccessibility fails the test for every WCAG 2.2 AA violation axe-core
// finds in the page as it is now; what names the state of the page.
func (p *Page) CheckAccessibility(what string) {
	p.t.Helper()
	vs := p.Axe()
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	for _, v := range vs {
		b.WriteString("\n  ")
		b.WriteString(v.String())
	}
	p.t.Errorf("axe-core: %d WCAG 2.2 AA violation(s) on %s:%s", len(vs), what, b.String())
}

// awaitPromise makes an evaluation wait for a promise it returns.
func awaitPromise(p *runtime.EvaluateParams) {
	yes := true
	p.AwaitPromise = &yes
}

var _ chromedp.EvaluateOption = awaitPromise

func jsonUnmarshal(raw []byte, out any) error { return json.Unmarshal(raw, out) }
