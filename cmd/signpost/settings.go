package main

import (
	"os"
	"strconv"
	"strings"

	"signpost/store"
)

// settings reads signpost's settings from the environment. A secret may
// instead be kept in a file named by the same setting with _FILE added
// (TELEGRAM_BOT_TOKEN_FILE=/run/secrets/token), as container platforms
// hand secrets over.
type settings struct {
	getenv   func(string) string
	readFile func(string) ([]byte, error)
}

func newSettings(getenv func(string) string) settings {
	return settings{getenv: getenv, readFile: os.ReadFile}
}

// get returns the setting, trimmed, or def when it is empty.
func (s settings) get(name, def string) string {
	if v := strings.TrimSpace(s.getenv(name)); v != "" {
		return v
	}
	return def
}

// secret returns the setting, or the contents of the file NAME_FILE names
// with the line ending trimmed. Giving both is refused, so that nobody
// wonders which one is used.
func (s settings) secret(name string) (string, error) {
	v := strings.TrimSpace(s.getenv(name))
	file := strings.TrimSpace(s.getenv(name + "_FILE"))
	switch {
	case file == "":
		return v, nil
	case v != "":
		return "", &configError{name, "and " + name + "_FILE are both set: keep one"}
	}
	b, err := s.readFile(file)
	if err != nil {
		return "", &configError{name + "_FILE", "cannot be read: " + err.Error()}
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// list splits a comma- or space-separated setting.
func (s settings) list(name string) []string {
	f := strings.FieldsFunc(s.get(name, ""), func(r rune) bool { return r == ',' || r == ' ' })
	if len(f) == 0 {
		return nil
	}
	return f
}

// redisSettingsGiven reports whether any setting names a Redis to use.
func (s settings) redisSettingsGiven() bool {
	for _, n := range []string{"REDIS_URL", "REDIS_URL_FILE", "REDIS_SENTINEL_ADDRS", "REDIS_CLUSTER_ADDRS"} {
		if s.get(n, "") != "" {
			return true
		}
	}
	return false
}

// redis reads where Redis is, for every command that uses it: one server
// (REDIS_URL), a Sentinel set (REDIS_SENTINEL_ADDRS, REDIS_SENTINEL_MASTER)
// or a Cluster (REDIS_CLUSTER_ADDRS), with REDIS_USERNAME, REDIS_PASSWORD
// and REDIS_TLS for the data nodes and REDIS_SENTINEL_PASSWORD for the
// sentinels. With none of the three, REDIS_URL is defaultURL.
func (s settings) redis(defaultURL string) (store.Connection, error) {
	var c store.Connection
	var err error
	if c.URL, err = s.secret("REDIS_URL"); err != nil {
		return c, err
	}
	c.SentinelAddrs = s.list("REDIS_SENTINEL_ADDRS")
	c.ClusterAddrs = s.list("REDIS_CLUSTER_ADDRS")
	given := []string{}
	for name, set := range map[string]bool{"REDIS_URL": c.URL != "", "REDIS_SENTINEL_ADDRS": len(c.SentinelAddrs) > 0, "REDIS_CLUSTER_ADDRS": len(c.ClusterAddrs) > 0} {
		if set {
			given = append(given, name)
		}
	}
	if len(given) > 1 {
		return c, &configError{"REDIS_URL, REDIS_SENTINEL_ADDRS and REDIS_CLUSTER_ADDRS", "each name a Redis: set only one of them"}
	}
	if len(given) == 0 {
		c.URL = defaultURL
	}
	c.SentinelMaster = s.get("REDIS_SENTINEL_MASTER", "")
	if len(c.SentinelAddrs) > 0 && c.SentinelMaster == "" {
		return c, &configError{"REDIS_SENTINEL_MASTER", "is not set: name the master the sentinels watch, such as mymaster"}
	}
	c.SentinelUsername = s.get("REDIS_SENTINEL_USERNAME", "")
	if c.SentinelPassword, err = s.secret("REDIS_SENTINEL_PASSWORD"); err != nil {
		return c, err
	}
	c.Username = s.get("REDIS_USERNAME", "")
	if c.Password, err = s.secret("REDIS_PASSWORD"); err != nil {
		return c, err
	}
	switch tls := s.get("REDIS_TLS", "false"); tls {
	case "true", "1", "yes":
		c.TLS = true
	case "false", "0", "no":
	default:
		return c, &configError{"REDIS_TLS", "must be true or false"}
	}
	if db := s.get("REDIS_DB", ""); db != "" {
		if c.DB, err = strconv.Atoi(db); err != nil || c.DB < 0 {
			return c, &configError{"REDIS_DB", "must be a database number such as 0"}
		}
		if len(c.SentinelAddrs) == 0 {
			return c, &configError{"REDIS_DB", "applies to a Sentinel set only: put the database in REDIS_URL"}
		}
	}
	if _, err := c.Options(); err != nil {
		name := "REDIS_URL"
		switch c.Topology() {
		case "sentinel":
			name = "REDIS_SENTINEL_ADDRS"
		case "cluster":
			name = "REDIS_CLUSTER_ADDRS"
		}
		return c, &configError{name, "is malformed: " + err.Error()}
	}
	return c, nil
}
