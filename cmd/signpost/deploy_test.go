package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"signpost/internal/telegramtest"
)

// repoRoot is the module's root, two folders up from this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestBuiltAsTheDockerfileDoes checks what the binary built with the
// Dockerfile's own go build line, and its build arguments, says of itself:
// the one binary() builds for every test that runs the command.
func TestBuiltAsTheDockerfileDoes(t *testing.T) {
	t.Parallel()
	out := binary(t)
	got, err := exec.Command(out, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "signpost 9.9.9-test (commit abc1234, built 2026-01-02T03:04:05Z, go"; !strings.HasPrefix(string(got), want) {
		t.Errorf("signpost version = %q, want it to start %q", got, want)
	}
	if info, err := exec.Command("go", "version", "-m", out).Output(); err != nil || !bytes.Contains(info, []byte("CGO_ENABLED=0")) || !bytes.Contains(info, []byte("-trimpath=true")) {
		t.Errorf("the binary is not static and trimmed: %v\n%s", err, info)
	}
}

// TestDeploymentFiles checks what a council's IT team would look for in
// the Dockerfile and compose file: pinned images, no root, a health check
// that follows HTTP_ADDR, Redis with a password and noeviction, a shutdown
// grace longer than the shutdown takes, metrics unpublished, the data on a
// named volume, and no .env in the image or the repository.
func TestDeploymentFiles(t *testing.T) {
	root := repoRoot(t)
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	docker := read("Dockerfile")
	pinned := regexp.MustCompile(`^[a-z0-9./-]+:[0-9][0-9a-z.-]*$`)
	for _, l := range strings.Split(docker, "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "FROM" && !pinned.MatchString(f[1]) {
			t.Errorf("Dockerfile: %q is not a pinned image", f[1])
		}
	}
	for _, want := range []string{`HEALTHCHECK --interval=15s --timeout=5s --start-period=30s CMD ["signpost", "healthcheck"]`, "USER 10001", "-X main.version=${VERSION}"} {
		if !strings.Contains(docker, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	for _, f := range []string{".gitignore", ".dockerignore"} {
		if !regexp.MustCompile(`(?m)^/?\.env$`).MatchString(read(f)) {
			t.Errorf("%s does not ignore .env", f)
		}
	}

	var compose struct {
		Services map[string]struct {
			Image           string            `yaml:"image"`
			Command         []string          `yaml:"command"`
			Environment     map[string]string `yaml:"environment"`
			Ports           []string          `yaml:"ports"`
			Volumes         []string          `yaml:"volumes"`
			Secrets         []string          `yaml:"secrets"`
			StopGracePeriod string            `yaml:"stop_grace_period"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal([]byte(read("docker-compose.yml")), &compose); err != nil {
		t.Fatal(err)
	}
	redisSvc, bot := compose.Services["redis"], compose.Services["signpost"]
	if !pinned.MatchString(redisSvc.Image) {
		t.Errorf("compose: redis image %q is not pinned", redisSvc.Image)
	}
	if cmd := strings.Join(redisSvc.Command, " "); !strings.Contains(cmd, "--requirepass") || !strings.Contains(cmd, "/run/secrets/redis_password") {
		t.Errorf("compose: Redis runs without the password from its secret: %q", cmd)
	}
	if !strings.Contains(read("deploy/redis.conf"), "\nmaxmemory-policy noeviction\n") {
		t.Error("deploy/redis.conf does not set maxmemory-policy noeviction")
	}
	if bot.Environment["REDIS_PASSWORD_FILE"] != "/run/secrets/redis_password" || len(bot.Secrets) == 0 {
		t.Errorf("compose: signpost does not read the Redis password from the secret: %v", bot.Environment)
	}
	for name, svc := range compose.Services {
		if d, err := time.ParseDuration(svc.StopGracePeriod); err != nil || d < 30*time.Second {
			t.Errorf("compose: %s stop_grace_period %q, want at least 30s (serve takes up to 25s to stop)", name, svc.StopGracePeriod)
		}
	}
	for _, p := range bot.Ports {
		if !strings.HasPrefix(p, "127.0.0.1:") || strings.Contains(p, "9090") {
			t.Errorf("compose: port %q is published beyond this machine, or is the metrics port", p)
		}
	}
	if bot.Environment["METRICS_ADDR"] == "" {
		t.Error("compose: metrics are served on the published port")
	}
	if _, ok := compose.Volumes["redis-data"]; !ok || !strings.HasPrefix(strings.Join(redisSvc.Volumes, " "), "redis-data:/data") {
		t.Error("compose: Redis's data is not on the named volume redis-data")
	}
}

// TestOperatorsEndpoints: metrics on their own port behind a token, with
// the build and every metric the alert rules and the dashboard name; a
// webhook Telegram refuses at first is set again until it takes, /readyz
// saying so meanwhile; a body trickled in is cut off; and "signpost
// healthcheck" follows HTTP_ADDR.
func TestOperatorsEndpoints(t *testing.T) {
	tg := telegramtest.NewServer(t)
	tg.FailNext("setWebhook", 2, http.StatusInternalServerError)
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	b := startBot(t, tg, map[string]string{
		"HTTP_ADDR": addr, "WEBHOOK_URL": "http://" + addr, "WEBHOOK_SECRET": "ops_secret",
		"METRICS_ADDR": metricsAddr, "METRICS_TOKEN": "metrics-token", "HTTP_READ_TIMEOUT": "1s",
	})
	get := func(url, token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}

	if code, body := get("http://"+b.addr+"/readyz", ""); code != http.StatusServiceUnavailable || !strings.Contains(body, "webhook not set") {
		t.Errorf("/readyz before the webhook is set: %d %q", code, body)
	}
	waitUntil(t, func() bool { code, _ := get("http://"+b.addr+"/readyz", ""); return code == http.StatusOK }, "webhook set at the third try")
	// The bench runs with DEMO=1 and no link workers' group: /readyz says so.
	if _, body := get("http://"+b.addr+"/readyz", ""); !strings.Contains(body, "referrals and urgent flags reach nobody") {
		t.Errorf("/readyz of a demonstration: %q, want it to say referrals reach nobody", body)
	}
	if n := tg.Calls("setWebhook"); n != 3 {
		t.Errorf("setWebhook called %d times, want 3", n)
	}

	// The profile in Telegram comes from the content, set at start.
	if d, about := tg.Descriptions(""); !strings.Contains(d, "call 999") || !strings.Contains(about, "link worker") {
		t.Errorf("description %q and about text %q, want the content's", d, about)
	}

	if code, _ := get("http://"+b.addr+"/metrics", "metrics-token"); code != http.StatusNotFound {
		t.Errorf("/metrics on the published port: %d, want 404", code)
	}
	if code, _ := get("http://"+metricsAddr+"/metrics", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("/metrics with a wrong token: %d, want 401", code)
	}
	status, metrics := get("http://"+metricsAddr+"/metrics", "metrics-token")
	if status != http.StatusOK || !strings.Contains(metrics, `signpost_build_info{built=`) {
		t.Fatalf("/metrics: %d, no signpost_build_info", status)
	}
	// A metric with labels shows in /metrics only once it has a value; the
	// others must at least be defined in the code.
	var code strings.Builder
	for _, dir := range []string{"bot", "cmd/signpost", "service", "store"} {
		files, _ := filepath.Glob(filepath.Join(repoRoot(t), dir, "*.go"))
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				b, _ := os.ReadFile(f)
				code.Write(b)
			}
		}
	}
	named := regexp.MustCompile(`signpost_[a-z0-9_]+`)
	for _, file := range []string{"deploy/prometheus/signpost-alerts.yml", "deploy/grafana/signpost-dashboard.json"} {
		body, err := os.ReadFile(filepath.Join(repoRoot(t), file))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range named.FindAllString(string(body), -1) {
			if m == "signpost_" {
				continue
			}
			if !strings.Contains(metrics, "\n"+m) && !strings.Contains(code.String(), `"`+strings.TrimSuffix(m, "_bucket")+`"`) {
				t.Errorf("%s names %s, which /metrics does not have", file, m)
			}
		}
	}

	// Headers in time, then a body a byte at a time: cut off at the read timeout.
	conn, err := net.Dial("tcp", b.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	io.WriteString(conn, "POST "+webhookPath+" HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: ops_secret\r\nContent-Length: 1000\r\n\r\n{")
	closed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, bufio.NewReader(conn))
		close(closed)
	}()
	for cut := false; !cut; {
		select {
		case <-closed:
			cut = true
		case <-time.After(200 * time.Millisecond):
			if time.Since(start) > 5*time.Second {
				t.Fatal("a body trickled in for 5s was not cut off")
			}
			conn.Write([]byte(" "))
		}
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("a trickled body was cut off after %v, want about HTTP_READ_TIMEOUT (1s)", took)
	}

	var stderr bytes.Buffer
	if code := runHealthcheck(context.Background(), func(k string) string { return map[string]string{"HTTP_ADDR": addr}[k] }, &stderr); code != 0 {
		t.Errorf("healthcheck exit %d: %s", code, stderr.String())
	}
	if code := runHealthcheck(context.Background(), func(k string) string { return map[string]string{"HTTP_ADDR": freeAddr(t)}[k] }, &stderr); code != 1 {
		t.Errorf("healthcheck of nothing listening: exit %d, want 1", code)
	}
}
