package telegramtest

import (
	"net/http"
	"unicode/utf8"
)

// The bot's description (shown to a person before they press Start) and
// short description (its profile's about text), per language code.
const (
	maxDescription      = 512
	maxShortDescription = 120
)

func (s *Server) setMyDescription(_ *http.Request, p params) (any, *apiError) {
	text := p.str("description")
	if utf8.RuneCountInString(text) > maxDescription {
		return nil, badRequest("BOT_DESCRIPTION_INVALID")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.descriptions[p.str("language_code")] = text
	s.notifyLocked()
	return true, nil
}

func (s *Server) getMyDescription(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]string{"description": s.descriptions[p.str("language_code")]}, nil
}

func (s *Server) setMyShortDescription(_ *http.Request, p params) (any, *apiError) {
	text := p.str("short_description")
	if utf8.RuneCountInString(text) > maxShortDescription {
		return nil, badRequest("BOT_ABOUT_INVALID")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shortDescriptions[p.str("language_code")] = text
	s.notifyLocked()
	return true, nil
}

func (s *Server) getMyShortDescription(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]string{"short_description": s.shortDescriptions[p.str("language_code")]}, nil
}

// Descriptions returns the description and short description set for
// language lang ("" for all languages).
func (s *Server) Descriptions(lang string) (description, short string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.descriptions[lang], s.shortDescriptions[lang]
}
