// Package browsertest drives a real headless Chromium from Go tests: open a
// page, click, type, read text, take a screenshot, and check the page with
// axe-core against WCAG 2.2 AA. Each Page has a browser context of its own
// (its own cookies and storage), so two pages are two people, or one person
// on two devices.
//
// Chromium is /usr/bin/chromium (Debian's package chromium), or $CHROMIUM.
// axe-core is the npm package installed beside this file by
// `npm ci --prefix internal/browsertest` (.ci/run does it), or $AXE_CORE_JS
// naming its axe.min.js. When either is missing a test is skipped with a
// message saying how to install it, except under CI (CI=true), where a
// missing browser fails the test: CI installs both.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Timeout bounds every action on a page (a click, a wait for text).
var Timeout = 20 * time.Second

// ChromiumPath is where Chromium is looked for: $CHROMIUM, else /usr/bin/chromium.
func ChromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// missing skips t, or fails it under CI, because what is needed is absent.
func missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("browsertest: %s (CI installs it: see .ci/run)", what)
	}
	t.Skipf("browsertest: %s; skipping the browser test", what)
}

// Browser is one headless Chromium with a fresh profile.
type Browser struct {
	t      testing.TB
	ctx    context.Context // the browser's own context; pages are its children
	cancel context.CancelFunc
}

// shared is the one Chromium of a test binary that Shared hands out.
var shared struct {
	mu  sync.Mutex
	b   *Browser
	err string
}

// Shared returns one Chromium for every test of the binary that asks,
// started by the first and stopped by Close, usually from TestMain: a
// browser starts in about a second of CPU, which a package of browser tests
// need not spend more than once. Its pages are still apart (NewPage).
func Shared(t testing.TB) *Browser {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.b == nil {
		b, err := start(t)
		if err != "" {
			shared.err = err
		} else {
			shared.b = b
		}
	}
	if shared.err != "" {
		missing(t, shared.err)
	}
	return &Browser{t: t, ctx: shared.b.ctx, cancel: shared.b.cancel}
}

// Close stops the browser Shared started, if any.
func Close() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.b != nil {
		shared.b.cancel()
		shared.b = nil
	}
}

// Start starts Chromium for t and stops it when t ends. It skips t (fails
// it under CI) when Chromium is not installed.
func Start(t testing.TB) *Browser {
	t.Helper()
	b, err := start(t)
	if err != "" {
		missing(t, err)
	}
	t.Cleanup(b.cancel)
	return b
}

// start starts Chromium, or says why it cannot.
func start(t testing.TB) (*Browser, string) {
	t.Helper()
	path := ChromiumPath()
	if _, err := exec.LookPath(path); err != nil {
		return nil, fmt.Sprintf("Chromium is not installed at %s (apt-get install chromium, or set CHROMIUM)", path)
	}
	dir, err := os.MkdirTemp("", "browsertest-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("no-proxy-server", true),
		chromedp.WindowSize(1024, 768),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	// The first run starts the browser; it must not have a timeout of its own.
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		os.RemoveAll(dir)
		t.Fatalf("browsertest: start Chromium: %v", err)
	}
	stop := func() {
		bcancel()
		acancel()
		// Chromium's children may write for a moment after it stops.
		for i := 0; i < 50 && os.RemoveAll(dir) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	}
	return &Browser{t: t, ctx: bctx, cancel: stop}, ""
}

// PageOption changes how a page is opened.
type PageOption func(*pageConfig)

type pageConfig struct {
	noJS          bool
	width, height int64
	reducedMotion bool
}

// WithoutJavaScript opens a page with scripts turned off, as for a person
// whose browser has them off: every message a page, every button a form.
func WithoutJavaScript() PageOption { return func(c *pageConfig) { c.noJS = true } }

// Viewport sets the page's size in CSS pixels. Default 1024 x 768.
func Viewport(width, height int) PageOption {
	return func(c *pageConfig) { c.width, c.height = int64(width), int64(height) }
}

// ReducedMotion makes the page see prefers-reduced-motion: reduce.
func ReducedMotion() PageOption { return func(c *pageConfig) { c.reducedMotion = true } }

// Page is one tab in a browser context of its own.
type Page struct {
	t    testing.TB
	ctx  context.Context
	noJS bool

	mu       sync.Mutex
	requests []string
}

// NewPage opens a tab with its own cookies and storage. It records every
// URL the page asks for (Requests).
func (b *Browser) NewPage(opts ...PageOption) *Page {
	b.t.Helper()
	cfg := pageConfig{width: 1024, height: 768}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	p := &Page{t: b.t, ctx: ctx, noJS: cfg.noJS}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			p.mu.Lock()
			p.requests = append(p.requests, e.Request.URL)
			p.mu.Unlock()
		}
	}); err != nil {
		b.t.Fatalf("browsertest: open page: %v", err)
	}
	setup := []chromedp.Action[chromedp.Void]{
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
			return err
		}),
		chromedp.EmulateViewport(cfg.width, cfg.height),
	}
	if cfg.noJS {
		setup = append(setup, scripts(false))
	}
	if cfg.reducedMotion {
		setup = append(setup, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
			})
			return err
		}))
	}
	if err := chromedp.Do(ctx, setup...); err != nil {
		b.t.Fatalf("browsertest: set the page up: %v", err)
	}
	return p
}

// scripts turns the page's own scripts on or off.
func scripts(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})
}

// do runs actions within Timeout, failing the test with what was being done.
func (p *Page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("browsertest: %s: %v", what, err)
	}
}

// Open goes to url and waits for it to load.
func (p *Page) Open(url string) {
	p.t.Helper()
	p.do("open "+url, chromedp.Navigate(url))
}

// Click clicks the first element that matches the CSS selector, as a person
// would with the mouse, once it is visible and the page has loaded.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.settle()
	p.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// settle waits for the page to finish loading, and a moment more for the
// browser to scroll to the address's #fragment: a click is aimed at where
// an element is on screen, so the page must have stopped moving.
func (p *Page) settle() {
	p.t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		var state string
		ctx, cancel := context.WithTimeout(p.ctx, time.Second)
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte]("document.readyState"))
		cancel()
		if err == nil && jsonUnmarshal(raw, &state) == nil && state == "complete" {
			break
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("browsertest: the page did not finish loading in %v (%s)", Timeout, p.dump())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
}

// ClickButton clicks the first button or link whose text holds label, as a
// person would, once it is visible.
func (p *Page) ClickButton(label string) {
	p.t.Helper()
	lit := xpathLiteral(label)
	xp := "//button[contains(normalize-space(.), " + lit + ")] | //a[contains(normalize-space(.), " + lit + ")]"
	p.settle()
	p.do("click the button "+label, chromedp.Click(chromedp.Search(xp)))
}

// xpathLiteral quotes s for XPath 1.0, which has no escapes: a string with
// both kinds of quote is joined with concat().
func xpathLiteral(s string) string {
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	parts := strings.Split(s, "'")
	return "concat('" + strings.Join(parts, `', "'", '`) + "')"
}

// Type types text into the element that matches the CSS selector, key by
// key; "\r" presses Enter.
func (p *Page) Type(sel, text string) {
	p.t.Helper()
	p.settle()
	p.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Text returns the visible text of the first element that matches sel.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("browsertest: read text of %s: %v", sel, err)
	}
	return s
}

// WaitText waits until the text of the first element that matches sel
// holds want, and returns it. It fails the test, showing the text last
// seen, when that does not happen within Timeout.
func (p *Page) WaitText(sel, want string) string {
	p.t.Helper()
	deadline := time.Now().Add(Timeout)
	var last string
	for {
		ctx, cancel := context.WithTimeout(p.ctx, time.Second)
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.AtLeast(0)))
		cancel()
		if err == nil {
			last = s
			if strings.Contains(s, want) {
				return s
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("browsertest: waited %v for %q in %s (the page: %s); it reads:\n%s", Timeout, want, sel, p.dump(), last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// dump saves a screenshot of the page as it is, for a failure to show,
// and returns where it is, with the page's address.
func (p *Page) dump() string {
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return loc
	}
	f, err := os.CreateTemp("", "browsertest-*.png")
	if err != nil {
		return loc
	}
	defer f.Close()
	f.Write(buf)
	return loc + ", screenshot " + f.Name()
}

// Count returns how many elements match sel now.
func (p *Page) Count(sel string) int {
	p.t.Helper()
	var n int
	p.Eval(fmt.Sprintf("document.querySelectorAll(%q).length", sel), &n)
	return n
}

// Eval evaluates a JavaScript expression in the page and decodes its value
// into out (nil: ignored). It works on a page without JavaScript too: the
// page's own scripts stay off, the expression runs.
func (p *Page) Eval(expr string, out any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, awaitPromise))
	if err != nil {
		p.t.Fatalf("browsertest: evaluate %.60q: %v", expr, err)
	}
	if out != nil {
		if err := jsonUnmarshal(raw, out); err != nil {
			p.t.Fatalf("browsertest: evaluate %.60q: %v", expr, err)
		}
	}
}

// Cookies returns, as JSON, the cookies the page's browser context holds
// for url: a list of objects with name and value, among other fields.
func (p *Page) Cookies(url string) []byte {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		p.t.Fatalf("browsertest: cookies: %v", err)
	}
	raw, err := json.Marshal(res.Cookies)
	if err != nil {
		p.t.Fatal(err)
	}
	return raw
}

// URL is the address the page is showing.
func (p *Page) URL() string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		p.t.Fatalf("browsertest: location: %v", err)
	}
	return u
}

// Requests returns every URL the page has asked for so far, in order:
// documents, scripts, styles, images, fetches and event streams.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// Screenshot saves the whole page as a PNG at path, making its folder.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("browsertest: screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// sourceDir is the folder of this file, where npm installs axe-core.
func sourceDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "."
	}
	return filepath.Dir(file)
}

var errNoAxe = errors.New("axe-core is not installed")
