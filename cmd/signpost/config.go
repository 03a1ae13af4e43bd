package main

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"signpost/content/risk"
	"signpost/handoff"
	"signpost/hours"
	"signpost/scheduler"
	"signpost/store"
	"signpost/webchat"
)

// serveConfig is every setting of "signpost serve", read from the environment.
type serveConfig struct {
	Token          string
	APIURL         string
	Redis          store.Connection
	WaitReplicas   int
	RedisPrefix    string
	HTTPAddr       string
	HTTPReadTimout time.Duration
	MetricsAddr    string
	MetricsToken   string
	WebhookURL     string
	WebhookSecret  string
	WebhookMaxConn int
	LinkWorkerChat int64
	// Demo (DEMO=1) lets serve start without LINKWORKER_CHAT_ID, for a
	// demonstration: referrals then reach nobody, and it says so loudly.
	Demo bool
	// OnCall (ONCALL_CHAT_ID) and Escalate (ONCALL_ESCALATE_CHAT_ID): who
	// covers urgent flags out of hours, and who hears when they do not
	// acknowledge within OnCallAck (ONCALL_ACK_MINUTES).
	OnCall, Escalate int64
	OnCallAck        time.Duration
	LeavingCare      int64
	// Children is the children's safeguarding team's group
	// (CHILDREN_SAFEGUARDING_CHAT_ID): the flags of people under 17 go there.
	Children int64
	// Local holds the council's own numbers that risk responses name
	// (COUNCIL_HOUSING_OOH_PHONE, CHILDREN_FRONT_DOOR_PHONE).
	Local map[string]string
	// HousingChat is the council's housing options team's chat, where
	// referrals people agreed to are posted (HOUSING_OPTIONS_CHAT_ID).
	HousingChat    int64
	LinkWorkerIDs  []int64
	LeavingCareIDs []int64
	ManagerIDs     []int64
	Outcomes       []handoff.Outcome
	SendRate       float64
	ChatRate       float64
	GroupPerMinute float64
	SessionTTL     time.Duration
	DeliveryLease  time.Duration
	SendTimeout    time.Duration
	TypingAfter    time.Duration
	ContentDir     string
	DirectoryFile  string
	Location       *time.Location
	LogLevel       string
	Console        consoleConfig
	LogIDKey       string
	Web            webConfig
	// Calendar is the service's working time (SERVICE_HOURS, BANK_HOLIDAYS,
	// BANK_HOLIDAYS_FILE).
	Calendar *hours.Calendar
	// FollowUpAfter and FollowUpReminder (FOLLOWUP_AFTER,
	// FOLLOWUP_REMINDER): when the follow-up is asked and reminded.
	FollowUpAfter, FollowUpReminder time.Duration
	// Retention (RETENTION_CLOSED, RETENTION_ANONYMOUS) and when its purge
	// runs (RETENTION_SCHEDULE).
	Retention     handoff.Retention
	RetentionSpec string
}

// webConfig is the web chat's part of the settings.
type webConfig struct {
	On             bool
	PublicURL      string
	Name           string
	Colour         string
	PrivacyURL     string
	EmbedOrigins   []string
	TrustedProxies []netip.Prefix
	PerIP          int
	PerVisitor     int
	BotUsername    string
}

var (
	tokenPattern  = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]{20,}$`)
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// configError names the setting at fault in one line.
type configError struct{ name, problem string }

func (e *configError) Error() string { return e.name + " " + e.problem }

// loadServeConfig reads the settings through getenv. The first setting that
// is missing or malformed is named in the error.
func loadServeConfig(getenv func(string) string) (*serveConfig, error) {
	c := &serveConfig{}
	s := newSettings(getenv)
	get := s.get
	var err error
	if c.Token, err = s.secret("TELEGRAM_BOT_TOKEN"); err != nil {
		return nil, err
	}
	if c.Token == "" {
		return nil, &configError{"TELEGRAM_BOT_TOKEN", "is not set: ask @BotFather for the bot's token"}
	}
	if !tokenPattern.MatchString(c.Token) {
		return nil, &configError{"TELEGRAM_BOT_TOKEN", "is malformed: it looks like 123456789:AA... as @BotFather gives it"}
	}
	c.APIURL = strings.TrimRight(get("TELEGRAM_API_URL", "https://api.telegram.org"), "/")
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &configError{"TELEGRAM_API_URL", "is not an http(s) URL"}
	}
	if c.Redis, err = s.redis("redis://localhost:6379/0"); err != nil {
		return nil, err
	}
	if c.WaitReplicas, err = intSetting(get("REDIS_WAIT_REPLICAS", "0"), 0, 10); err != nil {
		return nil, &configError{"REDIS_WAIT_REPLICAS", err.Error()}
	}
	if c.WaitReplicas > 0 && c.Redis.Topology() == "cluster" {
		return nil, &configError{"REDIS_WAIT_REPLICAS", "applies to one server or a Sentinel set, not a Cluster"}
	}
	c.RedisPrefix = get("REDIS_PREFIX", "sp")
	if strings.ContainsAny(c.RedisPrefix, "{}*? ") {
		return nil, &configError{"REDIS_PREFIX", "may not hold braces, wildcards or spaces"}
	}
	c.HTTPAddr = get("HTTP_ADDR", ":8080")
	if c.HTTPReadTimout, err = time.ParseDuration(get("HTTP_READ_TIMEOUT", "10s")); err != nil || c.HTTPReadTimout <= 0 {
		return nil, &configError{"HTTP_READ_TIMEOUT", "must be a duration such as 10s"}
	}
	c.MetricsAddr = get("METRICS_ADDR", "")
	if c.MetricsToken, err = s.secret("METRICS_TOKEN"); err != nil {
		return nil, err
	}
	c.WebhookURL = get("WEBHOOK_URL", "")
	if c.WebhookURL != "" {
		if u, err := url.Parse(c.WebhookURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, &configError{"WEBHOOK_URL", "is not an https URL"}
		}
		if c.WebhookSecret, err = s.secret("WEBHOOK_SECRET"); err != nil {
			return nil, err
		}
		if c.WebhookSecret == "" {
			return nil, &configError{"WEBHOOK_SECRET", "is not set: webhook mode needs a secret of 1-256 letters, digits, _ or -"}
		}
		if !secretPattern.MatchString(c.WebhookSecret) {
			return nil, &configError{"WEBHOOK_SECRET", "is malformed: use 1-256 letters, digits, _ or -"}
		}
	}
	if c.WebhookMaxConn, err = intSetting(get("WEBHOOK_MAX_CONNECTIONS", "40"), 1, 100); err != nil {
		return nil, &configError{"WEBHOOK_MAX_CONNECTIONS", err.Error()}
	}
	if c.LinkWorkerChat, err = chatSetting(get("LINKWORKER_CHAT_ID", "")); err != nil {
		return nil, &configError{"LINKWORKER_CHAT_ID", err.Error()}
	}
	switch get("DEMO", "") {
	case "", "0", "false":
	case "1", "true":
		c.Demo = true
	default:
		return nil, &configError{"DEMO", "must be 1 or 0"}
	}
	if c.LinkWorkerChat == 0 && !c.Demo {
		return nil, &configError{"LINKWORKER_CHAT_ID", "is not set: referrals and urgent flags would reach nobody; set it to the link workers' group id (or DEMO=1 for a demonstration that sends them nowhere)"}
	}
	for _, o := range []struct {
		name string
		dst  *int64
	}{{"ONCALL_CHAT_ID", &c.OnCall}, {"ONCALL_ESCALATE_CHAT_ID", &c.Escalate}} {
		v := get(o.name, "")
		if v == "" {
			continue
		}
		if *o.dst, err = strconv.ParseInt(v, 10, 64); err != nil || *o.dst == 0 {
			return nil, &configError{o.name, "must be a chat id: a group's (negative) or a duty worker's own (positive)"}
		}
	}
	if c.Escalate != 0 && c.OnCall == 0 {
		return nil, &configError{"ONCALL_ESCALATE_CHAT_ID", "is set without ONCALL_CHAT_ID: escalation follows an on-call alert nobody acknowledged"}
	}
	ack, err := intSetting(get("ONCALL_ACK_MINUTES", "30"), 1, 24*60)
	if err != nil {
		return nil, &configError{"ONCALL_ACK_MINUTES", err.Error()}
	}
	c.OnCallAck = time.Duration(ack) * time.Minute
	if c.LeavingCare, err = chatSetting(get("LEAVING_CARE_CHAT_ID", "")); err != nil {
		return nil, &configError{"LEAVING_CARE_CHAT_ID", err.Error()}
	}
	if c.Children, err = chatSetting(get("CHILDREN_SAFEGUARDING_CHAT_ID", "")); err != nil {
		return nil, &configError{"CHILDREN_SAFEGUARDING_CHAT_ID", err.Error()}
	}
	if c.Local, err = localNumbers(func(name string) string { return get(name, "") }); err != nil {
		return nil, err
	}
	if c.HousingChat, err = chatSetting(get("HOUSING_OPTIONS_CHAT_ID", "")); err != nil {
		return nil, &configError{"HOUSING_OPTIONS_CHAT_ID", err.Error()}
	}
	for _, ids := range []struct {
		name string
		dst  *[]int64
	}{{"LINKWORKER_IDS", &c.LinkWorkerIDs}, {"LEAVING_CARE_IDS", &c.LeavingCareIDs}, {"MANAGER_IDS", &c.ManagerIDs}} {
		for _, f := range s.list(ids.name) {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil || id <= 0 {
				return nil, &configError{ids.name, fmt.Sprintf("holds %q, which is no Telegram user id", f)}
			}
			*ids.dst = append(*ids.dst, id)
		}
	}
	if c.Outcomes, err = handoff.ParseOutcomes(get("OUTCOMES", "")); err != nil {
		return nil, &configError{"OUTCOMES", err.Error()}
	}
	for _, r := range []struct {
		name, def string
		dst       *float64
	}{{"SEND_RATE", "30", &c.SendRate}, {"CHAT_RATE", "1", &c.ChatRate}, {"GROUP_RATE_PER_MINUTE", "20", &c.GroupPerMinute}} {
		v, err := strconv.ParseFloat(get(r.name, r.def), 64)
		if err != nil || v <= 0 {
			return nil, &configError{r.name, "must be a number above 0"}
		}
		*r.dst = v
	}
	if c.SessionTTL, err = time.ParseDuration(get("SESSION_TTL", "720h")); err != nil || c.SessionTTL <= 0 {
		return nil, &configError{"SESSION_TTL", "must be a duration such as 720h"}
	}
	if c.SendTimeout, err = time.ParseDuration(get("SEND_TIMEOUT", "10s")); err != nil || c.SendTimeout < 50*time.Millisecond {
		return nil, &configError{"SEND_TIMEOUT", "must be a duration of at least 50ms, such as 10s"}
	}
	if c.DeliveryLease, err = time.ParseDuration(get("DELIVERY_LEASE", (2 * c.SendTimeout).String())); err != nil {
		return nil, &configError{"DELIVERY_LEASE", "must be a duration such as 20s"}
	}
	if c.DeliveryLease < 2*c.SendTimeout {
		// A call to Telegram is made only while the lease is sure to outlast
		// it; a shorter lease would leave nothing ever sent.
		return nil, &configError{"DELIVERY_LEASE", fmt.Sprintf("must be at least twice SEND_TIMEOUT (%s), the longest a call to Telegram may take while the lease is held", c.SendTimeout)}
	}
	if c.TypingAfter, err = time.ParseDuration(get("TYPING_AFTER", "400ms")); err != nil || c.TypingAfter <= 0 {
		return nil, &configError{"TYPING_AFTER", "must be a duration such as 400ms"}
	}
	c.ContentDir = get("CONTENT_DIR", "")
	c.DirectoryFile = get("DIRECTORY_FILE", "")
	if c.Location, err = time.LoadLocation(get("TIMEZONE", "Europe/London")); err != nil {
		return nil, &configError{"TIMEZONE", "is not a known time zone"}
	}
	if err := loadWebConfig(&c.Web, get); err != nil {
		return nil, err
	}
	if c.Console, err = loadConsoleConfig(s, c.Web.PublicURL); err != nil {
		return nil, err
	}
	if _, c.Calendar, err = s.calendar(); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		name, def string
		dst       *time.Duration
	}{{"FOLLOWUP_AFTER", "2016h", &c.FollowUpAfter}, {"FOLLOWUP_REMINDER", "168h", &c.FollowUpReminder}} {
		if *d.dst, err = time.ParseDuration(get(d.name, d.def)); err != nil || *d.dst <= 0 {
			return nil, &configError{d.name, "must be a duration such as " + d.def}
		}
	}
	for _, r := range []struct {
		name, def string
		dst       *handoff.Span
	}{{"RETENTION_CLOSED", "24 months", &c.Retention.Closed}, {"RETENTION_ANONYMOUS", "7 years", &c.Retention.Anonymous}} {
		if *r.dst, err = handoff.ParseSpan(get(r.name, r.def)); err != nil {
			return nil, &configError{r.name, err.Error()}
		}
	}
	if c.Retention.Anonymous.Before(time.Now()).After(c.Retention.Closed.Before(time.Now())) {
		return nil, &configError{"RETENTION_ANONYMOUS", "must be at least as long as RETENTION_CLOSED: the anonymous record outlives the personal data"}
	}
	c.RetentionSpec = get("RETENTION_SCHEDULE", "30 3 * * *")
	if err := scheduler.ParseSpec(c.RetentionSpec); err != nil {
		return nil, &configError{"RETENTION_SCHEDULE", err.Error()}
	}
	if c.LogIDKey, err = s.secret("LOG_ID_KEY"); err != nil {
		return nil, err
	}
	c.LogLevel = get("LOG_LEVEL", "info")
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return nil, &configError{"LOG_LEVEL", "must be debug, info, warn or error"}
	}
	return c, nil
}

func intSetting(s string, min, max int) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v < min || v > max {
		return 0, fmt.Errorf("must be a whole number from %d to %d", min, max)
	}
	return v, nil
}

// chatSetting reads a group's chat id: empty, or a negative number as
// Telegram gives groups.
// localNumbers reads the council's own numbers that risk responses name, by
// the variable each fills: the out-of-hours housing line for someone with
// nowhere safe to sleep tonight, and the children's services front door
// (the MASH) for a young person being harmed. An unset one is left out,
// and the responses do without it.
func localNumbers(get func(name string) string) (map[string]string, error) {
	local := map[string]string{}
	for _, n := range []struct{ setting, variable string }{
		{"COUNCIL_HOUSING_OOH_PHONE", risk.PlaceCouncilHousing},
		{"CHILDREN_FRONT_DOOR_PHONE", risk.PlaceChildrenFrontDoor},
	} {
		v := strings.TrimSpace(get(n.setting))
		if v == "" {
			continue
		}
		if !phoneSetting.MatchString(v) {
			return nil, &configError{n.setting, fmt.Sprintf("holds %q: use a phone number of digits, spaces and an optional leading +", v)}
		}
		local[n.variable] = v
	}
	return local, nil
}

// phoneSetting is a phone number as a council writes it: 020 8496 3000, +44 20 8496 3000.
var phoneSetting = regexp.MustCompile(`^\+?[0-9][0-9 ]{2,18}[0-9]$`)

func chatSetting(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v >= 0 {
		return 0, errors.New("must be a group's chat id, a negative number such as -1001234567890")
	}
	return v, nil
}

// loadWebConfig reads the web chat's settings.
func loadWebConfig(c *webConfig, get func(name, def string) string) error {
	switch strings.ToLower(get("WEB_CHAT", "on")) {
	case "on", "yes", "true", "1":
		c.On = true
	case "off", "no", "false", "0":
	default:
		return &configError{"WEB_CHAT", "must be on or off"}
	}
	c.PublicURL = strings.TrimRight(get("PUBLIC_URL", ""), "/")
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &configError{"PUBLIC_URL", "is not an http(s) address such as https://chat.example.gov.uk"}
		}
	}
	c.Name = get("COUNCIL_NAME", get("SERVICE_NAME", "Social prescribing"))
	c.Colour = get("WEB_COLOUR", webchat.DefaultColour)
	if err := webchat.CheckColour(c.Colour); err != nil {
		return &configError{"WEB_COLOUR", "is not usable: " + err.Error()}
	}
	c.PrivacyURL = get("PRIVACY_URL", "")
	if c.PrivacyURL != "" {
		if u, err := url.Parse(c.PrivacyURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &configError{"PRIVACY_URL", "is not an http(s) address of the council's privacy notice"}
		}
	}
	for _, f := range strings.Fields(strings.ReplaceAll(get("WEB_EMBED_ORIGINS", ""), ",", " ")) {
		u, err := url.Parse(f)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return &configError{"WEB_EMBED_ORIGINS", fmt.Sprintf("holds %q, which is no origin such as https://www.example.gov.uk", f)}
		}
		c.EmbedOrigins = append(c.EmbedOrigins, u.Scheme+"://"+u.Host)
	}
	for _, f := range strings.Fields(strings.ReplaceAll(get("TRUSTED_PROXIES", ""), ",", " ")) {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return &configError{"TRUSTED_PROXIES", fmt.Sprintf("holds %q, which is no address or network such as 10.0.0.0/8", f)}
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}
	var err error
	if c.PerIP, err = intSetting(get("WEB_RATE_PER_IP", "300"), 1, 100000); err != nil {
		return &configError{"WEB_RATE_PER_IP", err.Error()}
	}
	if c.PerVisitor, err = intSetting(get("WEB_RATE_PER_VISITOR", "40"), 1, 10000); err != nil {
		return &configError{"WEB_RATE_PER_VISITOR", err.Error()}
	}
	c.BotUsername = strings.TrimPrefix(get("BOT_USERNAME", ""), "@")
	return nil
}
