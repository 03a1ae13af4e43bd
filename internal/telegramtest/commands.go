package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"unicode/utf8"
)

// Command menu limits, as Telegram documents them.
const (
	maxCommands           = 100
	maxCommandDescription = 256
)

var (
	commandPattern  = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	languagePattern = regexp.MustCompile(`^([a-z]{2})?$`)
)

// commandsKey names one menu: Telegram keeps a separate list per scope and
// language.
func commandsKey(p params) (string, *apiError) {
	lang := p.str("language_code")
	if !languagePattern.MatchString(lang) {
		return "", badRequest("invalid language code specified")
	}
	scope := struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}{Type: "default"}
	if err := p.decode("scope", &scope); err != nil {
		return "", badRequest("can't parse BotCommandScope JSON object")
	}
	switch scope.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators",
		"chat", "chat_administrators", "chat_member":
	default:
		return "", badRequest("wrong bot command scope type specified")
	}
	return fmt.Sprintf("%s/%s/%d/%s", scope.Type, scope.ChatID, scope.UserID, lang), nil
}

func (s *Server) setMyCommands(_ *http.Request, p params) (any, *apiError) {
	var cmds []BotCommand
	if err := json.Unmarshal([]byte(p.str("commands")), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON array")
	}
	if len(cmds) > maxCommands {
		return nil, badRequest("too many commands specified")
	}
	for _, c := range cmds {
		if !commandPattern.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > maxCommandDescription {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	key, e := commandsKey(p)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(cmds) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = cmds
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) getMyCommands(_ *http.Request, p params) (any, *apiError) {
	key, e := commandsKey(p)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := slices.Clone(s.commands[key])
	if cmds == nil {
		cmds = []BotCommand{}
	}
	return cmds, nil
}

func (s *Server) deleteMyCommands(_ *http.Request, p params) (any, *apiError) {
	key, e := commandsKey(p)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	s.notifyLocked()
	return true, nil
}

// Commands returns the command menu set for the default scope in language
// lang ("" for all languages).
func (s *Server) Commands(lang string) []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands["default//0/"+lang])
}

// ChatCommands returns the command menu set for the scope of one chat (a
// group's own menu) in language lang ("" for all languages).
func (s *Server) ChatCommands(chatID int64, lang string) []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands[fmt.Sprintf("chat/%d/0/%s", chatID, lang)])
}
