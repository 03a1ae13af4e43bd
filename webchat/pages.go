package webchat

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"hash/fnv"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"signpost/content"
	"signpost/flows"
	"signpost/internal/websec"
)

//go:embed assets
var assets embed.FS

type pages struct {
	t *template.Template
}

func newPages() (*pages, error) {
	t, err := template.ParseFS(assets, "assets/chat.html")
	if err != nil {
		return nil, err
	}
	return &pages{t: t}, nil
}

// staticFiles serves the stylesheet, the script and the icon, for a day.
func staticFiles() http.Handler {
	sub, _ := fs.Sub(assets, "assets")
	files := http.StripPrefix("/chat/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".html") || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}

func (s *Server) themeFile(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(s.theme)
}

// builtin is signpost's own content, whose words the page falls back on
// when a council's content has none of its own for the web chat.
var builtin = sync.OnceValue(func() *content.Bundle {
	b, _ := content.Default()
	return b
})

// words returns the page's words in lang: the web's version of a message
// where there is one, the council's content first, then signpost's own.
func (s *Server) words(lang string) func(string) string {
	b := s.runner.Content()
	lang = b.Lang(lang)
	return func(key string) string {
		// Facts (how long a code works) are filled in here; {code} and
		// {seconds} are left for the caller.
		if t := b.TextIn(flows.ChannelWeb, lang, key); t != key {
			return content.Expand(t, b.Fact)
		}
		if d := builtin(); d != nil {
			return content.Expand(d.TextIn(flows.ChannelWeb, d.Lang(lang), key), b.Fact)
		}
		return key
	}
}

// viewLine is a line as the page shows it.
type viewLine struct {
	Seq  int64
	Who  string
	HTML template.HTML
	Link *link
}

// pageData is everything a page shows.
type pageData struct {
	Lang, Name, PrivacyURL string
	W                      func(string) string
	Lines                  []viewLine
	Rows                   []buttonRow
	CSRF, Form             string
	Seq                    int64
	Stored, Gone, Resume   bool
	Notice, Draft          string
}

func (s *Server) newPage(v *visitor) *pageData {
	return &pageData{
		Lang: v.lang, Name: s.cfg.Name, PrivacyURL: s.cfg.PrivacyURL, W: s.words(v.lang),
		CSRF: s.csrf.Token(v.token), Form: newToken()[:16],
	}
}

func (p *pageData) add(lines []line) {
	for _, l := range lines {
		p.Lines = append(p.Lines, viewLine{Seq: l.Seq, Who: l.Who, HTML: textHTML(l.Text), Link: l.Link})
		if l.Seq > p.Seq {
			p.Seq = l.Seq
		}
	}
}

// visitor is the person making a request.
type visitor struct {
	token   string
	id      int64
	lang    string
	carried []byte // their conversation before consent, when they have one
	fresh   bool   // the cookie was made for this request
}

// visitorOf reads the visitor's cookies, making a new visitor when there is
// no valid cookie (GET only: a form posted without one is refused).
func (s *Server) visitorOf(w http.ResponseWriter, r *http.Request, create bool) *visitor {
	v := &visitor{lang: acceptLanguage(r.Header.Get("Accept-Language"))}
	if c, err := r.Cookie(visitorCookie); err == nil && validToken(c.Value) {
		v.token = c.Value
	} else if create {
		v.token, v.fresh = newToken(), true
		http.SetCookie(w, s.cookie(visitorCookie, v.token, s.cfg.CodeTTL))
	} else {
		return nil
	}
	v.id = visitorID(v.token)
	if c, err := r.Cookie(carryCookie); err == nil {
		v.carried = s.sign.carried(v.token, c.Value)
	}
	return v
}

// acceptLanguage is the first language the browser asks for.
func acceptLanguage(h string) string {
	first, _, _ := strings.Cut(h, ",")
	first, _, _ = strings.Cut(first, ";")
	return strings.TrimSpace(first)
}

// getChat shows the conversation: the transcript and the open question for
// a visitor who has consented; the opening of the conversation, worked out
// afresh and kept nowhere, for one who has not.
func (s *Server) getChat(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	v := s.visitorOf(w, r, true)
	ctx := r.Context()
	p := s.newPage(v)
	if !v.fresh {
		// A link worker's message written while the page was closed.
		if _, err := s.deliver(ctx, v.id, nil, nil); err != nil {
			s.log.Warn("web chat: deliver on open", "user", v.id, "err", err)
		}
	}
	raw, state, err := s.store.WebTranscript(ctx, v.id)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	if len(raw) > 0 || state[stateSeq] != "" {
		p.Stored = true
		p.add(decodeLines(raw))
		p.Rows = rowsOf(decodeControls(state[stateControls]))
		s.render(w, http.StatusOK, "page", p)
		return
	}
	opening, carry := s.opening(v, r.URL.Query().Get("src"))
	if carry != nil {
		http.SetCookie(w, s.cookie(carryCookie, s.sign.carry(v.token, carry), 24*time.Hour))
	}
	p.add(opening.lines)
	p.Rows = rowsOf(opening.ctl)
	s.render(w, http.StatusOK, "page", p)
}

// shown is what a step before consent shows: lines and the open question.
type shown struct {
	lines []line
	ctl   *controls
}

func (sh *shown) take(outs []flows.Out) {
	for _, o := range outs {
		switch o.Kind {
		case flows.OutMessage, flows.OutToast:
			if o.Text != "" {
				sh.lines = append(sh.lines, line{Who: whoBot, Text: o.Text})
			}
			if o.Node != "" {
				sh.ctl = &controls{Node: o.Node, Buttons: o.Buttons}
			}
		case flows.OutUpdate:
			sh.ctl = &controls{Node: o.Node, Buttons: o.Buttons}
		case flows.OutClose:
			sh.ctl = nil
			if n := len(sh.lines); n == 0 || sh.lines[n-1].Who != whoMe {
				sh.lines = append(sh.lines, line{Who: whoMe, Text: o.Text})
			}
		}
	}
	for i := range sh.lines {
		sh.lines[i].Seq = int64(i + 1)
	}
}

// opening is the start of the conversation for a visitor who has not
// consented: the welcome and the first question, worked out by Step from
// the carried session (or a new one, with src as the deep link a referrer
// gave), so it reads the same however often the page is loaded. It returns
// the session to carry when there was none.
func (s *Server) opening(v *visitor, src string) (shown, []byte) {
	var sess flows.Session
	var carry []byte
	if v.carried != nil {
		if cs, err := flows.DecodeSession(v.carried); err == nil && cs.Run != "" {
			sess = cs
		}
	}
	if sess.Run == "" {
		sess = flows.Session{Run: flows.RandomNonce()}
		if src != "" {
			sess.Link = src
		}
		carry = []byte{}
	}
	text := "/start"
	if sess.Link != "" {
		text += " " + sess.Link
	}
	b := s.runner.Content()
	res := flows.Step(b, flows.Session{User: v.id}, flows.Event{Kind: flows.EventText, Text: text, Lang: v.lang, Nonce: sess.Run}, time.Now())
	var sh shown
	sh.take(res.Out)
	if carry != nil {
		carry, _ = res.Session.Encode()
	}
	return sh, carry
}

// updateID turns a form's one-off id into the event's update id, so that a
// form sent twice (a double click, the browser's resend) is applied once.
func updateID(form string) int64 {
	if form == "" {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(form))
	return int64(h.Sum64()&(1<<62-1)) | 1
}

// wantsJSON reports whether the page's script sent the request and wants
// the parts of the page that changed.
func wantsJSON(r *http.Request) bool { return r.Header.Get("X-Signpost") == "fetch" }

// commands of the page's menu, as the conversation reads them.
var commands = map[string]string{"back": "/back", "restart": "/restart", "talk": "/talk", "help": "/help", "privacy": "/privacy", "forget": "/forget", "status": "/status"}

// postChat takes an answer, a typed message or a command from the menu.
func (s *Server) postChat(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	ctx := r.Context()
	v, ok := s.checkPost(w, r)
	if !ok {
		return
	}
	ev := flows.Event{Lang: v.lang, UpdateID: updateID(r.PostForm.Get("f"))}
	var mine []line
	var typed *line
	switch {
	case r.PostForm.Get("b") != "":
		ev.Kind, ev.Text = flows.EventButton, r.PostForm.Get("b")
	case commands[r.PostForm.Get("cmd")] != "":
		ev.Kind, ev.Text = flows.EventText, commands[r.PostForm.Get("cmd")]
	default:
		text := strings.TrimSpace(r.PostForm.Get("t"))
		if text == "" {
			s.show(w, r, v, "")
			return
		}
		if len([]rune(text)) > maxMessage {
			p := s.newPage(v)
			s.answerWith(w, r, http.StatusRequestEntityTooLarge, v, p.W("web_too_long"), text)
			return
		}
		ev.Kind, ev.Text = flows.EventText, text
		typed = &line{Who: whoMe, Text: text}
		mine = []line{*typed}
	}
	if !s.allowed(w, r, v, r.PostForm.Get("t")) {
		return
	}
	if s.cfg.Person != nil && ev.Kind == flows.EventText && v.carried == nil {
		mineFn := func(context.Context) error { return nil }
		if typed != nil {
			said := typed.Text
			mineFn = func(ctx context.Context) error {
				return s.enqueue(ctx, v.id, flows.Out{ID: "said." + newToken(), Kind: outSaid, Text: said})
			}
		}
		done, err := s.cfg.Person(ctx, v.id, v.lang, ev.Text, mineFn)
		if err != nil {
			s.fail(w, r, v, err)
			return
		}
		if done {
			if _, err := s.deliver(ctx, v.id, nil, nil); err != nil {
				s.log.Warn("web chat: deliver", "user", v.id, "err", err)
			}
			s.show(w, r, v, "")
			return
		}
	}
	owner := s.newOwner()
	res, err := s.runner.HandleCarried(ctx, v.id, v.carried, ev, flows.Lease{Owner: owner, TTL: s.cfg.Lease, Max: batch})
	if errors.Is(err, flows.ErrDuplicate) {
		s.show(w, r, v, "")
		return
	}
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	stored := res.Committed && res.Carry == nil && !erasedIn(res.Out)
	if stored && v.carried != nil {
		// Consent was given just now: the opening the page showed, and
		// what was said before it, join the conversation that is kept.
		opening, _ := s.opening(v, "")
		mine = append(opening.lines, mine...)
		http.SetCookie(w, s.cookie(carryCookie, "", -1))
	}
	var d delivery
	if res.Committed {
		if !stored {
			mine = nil // nothing of a visitor is kept before consent
		}
		if d, err = s.deliverAs(ctx, v.id, owner, &res.Claimed, mine); err != nil {
			s.log.Warn("web chat: deliver", "user", v.id, "err", err)
		}
	}
	switch {
	case erasedIn(res.Out) || len(d.Gone) > 0:
		// /forget, or consent refused: say goodbye once, keep nothing,
		// forget the cookies too.
		http.SetCookie(w, s.cookie(visitorCookie, "", -1))
		http.SetCookie(w, s.cookie(carryCookie, "", -1))
		var sh shown
		sh.take(res.Out)
		p := s.newPage(v)
		p.Gone = true
		p.add(sh.lines)
		s.respond(w, r, p, true)
	case !stored:
		// Before consent: the page is the opening, what was said, and the
		// answer, all worked out now; the session goes back in the cookie.
		http.SetCookie(w, s.cookie(carryCookie, s.sign.carry(v.token, res.Carry), 24*time.Hour))
		opening, _ := s.opening(v, "")
		var sh shown
		sh.take(res.Out)
		p := s.newPage(v)
		if typed != nil {
			opening.lines = append(opening.lines, *typed)
		}
		all := append(opening.lines, sh.lines...)
		for i := range all {
			all[i].Seq = int64(i + 1)
		}
		p.add(all)
		p.Rows = rowsOf(opening.ctl)
		if sh.ctl != nil || len(sh.lines) > 0 {
			p.Rows = rowsOf(sh.ctl)
		}
		s.respond(w, r, p, true)
	default:
		s.showAll(w, r, v, "", v.carried != nil)
	}
}

// maxMessage is the longest message taken, in characters.
const maxMessage = 1000

func erasedIn(outs []flows.Out) bool {
	for _, o := range outs {
		if o.Kind == flows.OutEffect && o.Effect != nil && o.Effect.Kind == flows.EffectErased {
			return true
		}
	}
	return false
}

// show answers a post for a visitor whose conversation is kept: the page
// again (post, redirect, get), or for the script the lines after the one it
// has and the open question.
func (s *Server) show(w http.ResponseWriter, r *http.Request, v *visitor, notice string) {
	s.showAll(w, r, v, notice, false)
}

// showAll is show that, with reset, sends the script the whole
// conversation to put in place of what it shows: after consent, the
// numbering of the lines starts again.
func (s *Server) showAll(w http.ResponseWriter, r *http.Request, v *visitor, notice string, reset bool) {
	if !wantsJSON(r) {
		http.Redirect(w, r, "/chat#answer", http.StatusSeeOther)
		return
	}
	after, _ := strconv.ParseInt(r.PostForm.Get("after"), 10, 64)
	if reset {
		after = 0
	}
	p, err := s.stored(r.Context(), v, after)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	p.Notice = notice
	s.respond(w, r, p, reset)
}

// stored is the page of a visitor whose conversation is kept, with the
// lines after after.
func (s *Server) stored(ctx context.Context, v *visitor, after int64) (*pageData, error) {
	raw, state, err := s.store.WebTranscript(ctx, v.id)
	if err != nil {
		return nil, err
	}
	p := s.newPage(v)
	p.Stored = len(raw) > 0 || state[stateSeq] != ""
	var lines []line
	for _, l := range decodeLines(raw) {
		if l.Seq > after {
			lines = append(lines, l)
		}
	}
	p.add(lines)
	if seq := stateSeqOf(state); seq > p.Seq {
		p.Seq = seq
	}
	p.Rows = rowsOf(decodeControls(state[stateControls]))
	return p, nil
}

// update is what the page's script receives: lines to add (or, with reset,
// to show in place of all), and the answer area as it now is.
type update struct {
	Seq    int64  `json:"seq"`
	Lines  string `json:"lines"`
	Answer string `json:"answer"`
	Menu   string `json:"menu"`
	Reset  bool   `json:"reset,omitempty"`
	Live   bool   `json:"live,omitempty"`
}

func (s *Server) updateOf(p *pageData, reset bool) (update, error) {
	var lines, answer, menu bytes.Buffer
	if err := s.pages.t.ExecuteTemplate(&lines, "lines", p); err != nil {
		return update{}, err
	}
	if err := s.pages.t.ExecuteTemplate(&answer, "answer", p); err != nil {
		return update{}, err
	}
	if err := s.pages.t.ExecuteTemplate(&menu, "menu", p); err != nil {
		return update{}, err
	}
	return update{Seq: p.Seq, Lines: lines.String(), Answer: answer.String(), Menu: menu.String(), Reset: reset, Live: p.Stored}, nil
}

// respond sends a whole page, or to the script the parts that changed.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, p *pageData, reset bool) {
	if !wantsJSON(r) {
		s.render(w, http.StatusOK, "page", p)
		return
	}
	u, err := s.updateOf(p, reset)
	if err != nil {
		s.log.Error("web chat: render", "err", err)
		http.Error(w, "Sorry, something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(u)
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p *pageData) {
	var buf bytes.Buffer
	if err := s.pages.t.ExecuteTemplate(&buf, name, p); err != nil {
		s.log.Error("web chat: render", "err", err)
		http.Error(w, "Sorry, something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// answerWith shows the visitor's page with a notice over the answer area
// and what they typed put back, so nothing is lost.
func (s *Server) answerWith(w http.ResponseWriter, r *http.Request, status int, v *visitor, notice, draft string) {
	p, err := s.stored(r.Context(), v, 0)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	if !p.Stored {
		opening, _ := s.opening(v, "")
		p.add(opening.lines)
		p.Rows = rowsOf(opening.ctl)
	}
	p.Notice, p.Draft = notice, draft
	if wantsJSON(r) {
		u, _ := s.updateOf(&pageData{W: p.W, CSRF: p.CSRF, Form: p.Form, Rows: p.Rows, Notice: notice, Draft: draft, Stored: p.Stored, Seq: p.Seq}, false)
		u.Lines = ""
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(u)
		return
	}
	s.render(w, status, "page", p)
}

// fail logs an error and says sorry, keeping what the visitor typed.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, v *visitor, err error) {
	s.log.Error("web chat", "user", v.id, "path", r.URL.Path, "err", err)
	p := s.newPage(v)
	p.Notice, p.Draft = p.W("web_sorry"), r.PostForm.Get("t")
	if wantsJSON(r) {
		u, _ := s.updateOf(p, false)
		u.Lines = ""
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		json.NewEncoder(w).Encode(u)
		return
	}
	s.render(w, http.StatusInternalServerError, "page", p)
}

// checkPost reads a posted form and checks that it comes from the chat's
// own page, for this visitor: a clear word when it does not.
func (s *Server) checkPost(w http.ResponseWriter, r *http.Request) (*visitor, bool) {
	if websec.CrossSite(r) {
		http.Error(w, "This form must be sent from the chat's own page.", http.StatusForbidden)
		return nil, false
	}
	if err := websec.ParseForm(w, r, maxBody); err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, websec.ErrTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, "Sorry, that was too much to send at once. Please send a shorter message.", status)
		return nil, false
	}
	v := s.visitorOf(w, r, false)
	if v == nil || !s.csrf.Valid(v.token, r.PostForm.Get(websec.CSRFField)) {
		// Cookies gone (cleared, expired) or a stale page: start afresh.
		v = s.visitorOf(w, r, true)
		if !v.fresh {
			v = &visitor{token: v.token, id: v.id, lang: v.lang}
		}
		s.answerWith(w, r, http.StatusForbidden, v, s.words(v.lang)("web_expired"), r.PostForm.Get("t"))
		return nil, false
	}
	return v, true
}

// allowed applies the rate limits: per address and per visitor. Over
// either, the visitor is told how long to wait, and what they typed is put
// back in the box.
func (s *Server) allowed(w http.ResponseWriter, r *http.Request, v *visitor, draft string) bool {
	ip := websec.Network(websec.ClientIP(r, s.cfg.TrustedProxies))
	ctx := r.Context()
	okIP, waitIP, err := s.store.Allow(ctx, websec.Pseudonym(s.cfg.Secret, "ip", ip), s.cfg.PerIP, time.Minute)
	if err != nil {
		s.log.Warn("web chat: rate limit", "err", err)
		return true // a limit that cannot be read does not keep people out
	}
	okV, waitV, err := s.store.Allow(ctx, websec.Pseudonym(s.cfg.Secret, "v", v.token), s.cfg.PerVisitor, time.Minute)
	if err != nil {
		s.log.Warn("web chat: rate limit", "err", err)
		return true
	}
	if okIP && okV {
		return true
	}
	wait := max(waitIP, waitV)
	secs := strconv.Itoa(int((wait + time.Second - 1) / time.Second))
	w.Header().Set("Retry-After", secs)
	notice := strings.ReplaceAll(s.words(v.lang)("web_too_fast"), "{seconds}", secs)
	s.answerWith(w, r, http.StatusTooManyRequests, v, notice, draft)
	return false
}
