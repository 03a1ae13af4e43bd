package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/internal/telegramtest"
	"signpost/store"
)

func TestRedisSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pw := filepath.Join(dir, "redis-password")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		set     map[string]string
		want    store.Connection
		wantErr string
	}{
		{name: "default", want: store.Connection{URL: "redis://localhost:6379/0"}},
		{name: "one server with ACL user", set: map[string]string{"REDIS_URL": "rediss://signpost:pw@redis.internal:6380/2"},
			want: store.Connection{URL: "rediss://signpost:pw@redis.internal:6380/2"}},
		{name: "password from a file", set: map[string]string{"REDIS_URL": "redis://redis:6379/0", "REDIS_USERNAME": "signpost", "REDIS_PASSWORD_FILE": pw},
			want: store.Connection{URL: "redis://redis:6379/0", Username: "signpost", Password: "s3cret"}},
		{name: "sentinel", set: map[string]string{"REDIS_SENTINEL_ADDRS": "10.0.0.1:26379, 10.0.0.2:26379,10.0.0.3:26379", "REDIS_SENTINEL_MASTER": "mymaster", "REDIS_SENTINEL_PASSWORD_FILE": pw, "REDIS_PASSWORD": "data", "REDIS_DB": "3"},
			want: store.Connection{SentinelAddrs: []string{"10.0.0.1:26379", "10.0.0.2:26379", "10.0.0.3:26379"}, SentinelMaster: "mymaster", SentinelPassword: "s3cret", Password: "data", DB: 3}},
		{name: "cluster over TLS", set: map[string]string{"REDIS_CLUSTER_ADDRS": "a:6379,b:6379", "REDIS_TLS": "true"},
			want: store.Connection{ClusterAddrs: []string{"a:6379", "b:6379"}, TLS: true}},
		{name: "two topologies", set: map[string]string{"REDIS_URL": "redis://x:6379", "REDIS_CLUSTER_ADDRS": "a:6379"}, wantErr: "REDIS_URL, REDIS_SENTINEL_ADDRS and REDIS_CLUSTER_ADDRS each name a Redis"},
		{name: "sentinel without master", set: map[string]string{"REDIS_SENTINEL_ADDRS": "a:26379"}, wantErr: "REDIS_SENTINEL_MASTER is not set"},
		{name: "bad sentinel address", set: map[string]string{"REDIS_SENTINEL_ADDRS": "a", "REDIS_SENTINEL_MASTER": "m"}, wantErr: "REDIS_SENTINEL_ADDRS is malformed"},
		{name: "bad cluster address", set: map[string]string{"REDIS_CLUSTER_ADDRS": "a:6379,:6379"}, wantErr: "REDIS_CLUSTER_ADDRS is malformed"},
		{name: "bad URL", set: map[string]string{"REDIS_URL": "mysql://x"}, wantErr: "REDIS_URL is malformed"},
		{name: "password twice", set: map[string]string{"REDIS_PASSWORD": "a", "REDIS_PASSWORD_FILE": pw}, wantErr: "REDIS_PASSWORD and REDIS_PASSWORD_FILE are both set"},
		{name: "missing file", set: map[string]string{"REDIS_PASSWORD_FILE": filepath.Join(dir, "none")}, wantErr: "REDIS_PASSWORD_FILE cannot be read"},
		{name: "database outside sentinel", set: map[string]string{"REDIS_DB": "1"}, wantErr: "REDIS_DB applies to a Sentinel set only"},
		{name: "bad TLS", set: map[string]string{"REDIS_CLUSTER_ADDRS": "a:1", "REDIS_TLS": "maybe"}, wantErr: "REDIS_TLS must be true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := newSettings(func(k string) string { return tt.set[k] }).redis("redis://localhost:6379/0")
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestSecretsFromFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN_FILE": write("token", telegramtest.DefaultToken+"\n"),
		"WEBHOOK_URL":             "https://bot.example.org",
		"WEBHOOK_SECRET_FILE":     write("secret", "hook_secret-1"),
		"REDIS_URL_FILE":          write("url", "redis://:pw@redis:6379/0\r\n"),
		"LINKWORKER_CHAT_ID":      "-1001234",
	}
	cfg, err := loadServeConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Token != telegramtest.DefaultToken || cfg.WebhookSecret != "hook_secret-1" || cfg.Redis.URL != "redis://:pw@redis:6379/0" {
		t.Errorf("token %q, secret %q, Redis %q: want the files' contents", cfg.Token, cfg.WebhookSecret, cfg.Redis.URL)
	}
	if s := cfg.Redis.String(); strings.Contains(s, "pw") {
		t.Errorf("the connection's description %q shows the password", s)
	}
	env["TELEGRAM_BOT_TOKEN"] = telegramtest.DefaultToken
	if _, err := loadServeConfig(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN and TELEGRAM_BOT_TOKEN_FILE are both set") {
		t.Errorf("token given twice: error %v", err)
	}
}
