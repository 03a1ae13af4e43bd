package webchat

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"signpost/internal/websec"
)

// postCode gives a visitor whose conversation is kept a code to carry on
// from another device, as a line of the conversation, so the page shows it
// the same way with or without JavaScript. Asking again gives the same code.
func (s *Server) postCode(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	v, ok := s.checkPost(w, r)
	if !ok {
		return
	}
	if !s.allowed(w, r, v, "") {
		return
	}
	ctx := r.Context()
	_, state, err := s.store.WebTranscript(ctx, v.id)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	if state[stateSeq] == "" {
		// Nothing is kept before consent, so there is nothing to carry on.
		s.show(w, r, v, s.words(v.lang)("web_unsaved_note"))
		return
	}
	code, err := s.store.WebCode(ctx, v.id, v.token, s.cfg.CodeTTL, newCode)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	if err := s.Tell(ctx, v.id, strings.ReplaceAll(s.words(v.lang)("web_code"), "{code}", code)); err != nil {
		s.fail(w, r, v, err)
		return
	}
	s.show(w, r, v, "")
}

// getResume asks for a code saved on another device.
func (s *Server) getResume(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	v := s.visitorOf(w, r, true)
	p := s.newPage(v)
	p.Resume = true
	s.render(w, http.StatusOK, "page", p)
}

// postResume makes this browser the visitor a code names. Tries are
// limited per address, so codes cannot be guessed; a wrong one is told
// kindly and may be typed again.
func (s *Server) postResume(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	if websec.CrossSite(r) {
		http.Error(w, "This form must be sent from the chat's own page.", http.StatusForbidden)
		return
	}
	if err := websec.ParseForm(w, r, maxBody); err != nil {
		http.Error(w, "Sorry, that was too much to send at once.", http.StatusRequestEntityTooLarge)
		return
	}
	v := s.visitorOf(w, r, true)
	p := s.newPage(v)
	p.Resume = true
	if !s.csrf.Valid(v.token, r.PostForm.Get(websec.CSRFField)) {
		p.Notice = p.W("web_expired")
		s.render(w, http.StatusForbidden, "page", p)
		return
	}
	ctx := r.Context()
	ip := websec.Network(websec.ClientIP(r, s.cfg.TrustedProxies))
	ok, wait, err := s.store.Allow(ctx, websec.Pseudonym(s.cfg.Secret, "resume", ip), s.cfg.ResumePerIP, time.Hour)
	if err == nil && !ok {
		secs := int((wait + time.Second - 1) / time.Second)
		p.Notice = strings.ReplaceAll(p.W("web_too_fast"), "{seconds}", strconv.Itoa(max(secs, 1)))
		s.render(w, http.StatusTooManyRequests, "page", p)
		return
	}
	code := normalCode(r.PostForm.Get("code"))
	var token string
	if code != "" {
		token, err = s.store.WebCodeToken(ctx, code)
	}
	if err == nil && !validToken(token) {
		p.Notice = p.W("web_resume_bad")
		s.render(w, http.StatusOK, "page", p)
		return
	}
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	http.SetCookie(w, s.cookie(visitorCookie, token, s.cfg.CodeTTL))
	http.SetCookie(w, s.cookie(carryCookie, "", -1))
	http.Redirect(w, r, "/chat#answer", http.StatusSeeOther)
}
