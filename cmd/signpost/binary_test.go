package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/internal/redistest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// The build arguments the tests give the Dockerfile's build line, which
// TestBuiltAsTheDockerfileDoes expects the binary to report.
var buildArgs = []string{"VERSION=9.9.9-test", "COMMIT=abc1234", "BUILD_DATE=2026-01-02T03:04:05Z"}

// binary builds the signpost command once for the tests that run it as a
// person would, with the Dockerfile's own go build line and buildArgs: the
// binary the image ships, which TestBuiltAsTheDockerfileDoes checks. (One
// build of the command with a second configuration of its own cost the
// tests a second compilation of it and everything it imports.)
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := filepath.Abs(filepath.Join("..", ".."))
		if err != nil {
			buildErr = err
			return
		}
		line, err := dockerBuildLine(root)
		if err != nil {
			buildErr = err
			return
		}
		dir, err := os.MkdirTemp("", "signpost-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "signpost")
		cmd := exec.Command("sh", "-c", strings.Replace(line, "/out/signpost", binPath, 1))
		cmd.Dir = root
		cmd.Env = append(os.Environ(), buildArgs...)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("%s: %v\n%s", line, err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// dockerBuildLine is the command of the Dockerfile's RUN line that runs go
// build, which writes the binary to /out/signpost.
func dockerBuildLine(root string) (string, error) {
	f, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		return "", err
	}
	var line string
	for _, l := range strings.Split(string(f), "\n") {
		if strings.HasPrefix(l, "RUN ") && strings.Contains(l, "go build") {
			line = strings.TrimPrefix(l, "RUN ")
		}
	}
	if line == "" {
		return "", errors.New("the Dockerfile has no go build line")
	}
	if !strings.Contains(line, "/out/signpost") {
		return "", fmt.Errorf("the Dockerfile's go build line does not write /out/signpost: %s", line)
	}
	return line, nil
}

// env returns the environment for the binary with REDIS_URL set to url, or unset when url is empty.
func env(url string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "REDIS_URL=") {
			out = append(out, kv)
		}
	}
	if url != "" {
		out = append(out, "REDIS_URL="+url)
	}
	return out
}

const residentScript = "hello\n1\nSam\n3\nskip\n2\n1, 4\ndone\nno\n1\n2\nskip\n1\n1\n3\n2\n1\nCarry on\n"

func TestPipedChatCompletesAReferral(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary(t), "chat")
	cmd.Env = env("") // the embedded Redis
	cmd.Stdin = strings.NewReader(residentScript)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("chat: %v\n%s", err, out)
	}
	for _, want := range []string{"Here is what you told us, Sam:", "Help with: Money and debt, Feeling lonely", "Your reference is R-", "[signpost: referral R-"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestResumeAfterKill runs the conversation in one process, kills it with
// SIGKILL while it waits at the needs question with one need ticked, and
// checks that a second process with the same Redis and user carries on at
// that exact question, tick included, and completes the referral.
func TestResumeAfterKill(t *testing.T) {
	t.Parallel()
	user := fmt.Sprint(time.Now().UnixNano() % 1e12)
	t.Cleanup(func() { forgetUser(t, user) })

	first := exec.Command(binary(t), "chat", "--user", user)
	first.Env = env(redistest.URL())
	stdin, err := first.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	waitFor := func(want string) {
		t.Helper()
		for lines.Scan() {
			if strings.Contains(lines.Text(), want) {
				return
			}
		}
		t.Fatalf("first process ended before showing %q", want)
	}
	say := func(s string) {
		t.Helper()
		if _, err := io.WriteString(stdin, s+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	say("hello")
	waitFor("Is it OK for us to keep your answers")
	say("1")
	waitFor("What would you like us to call you?")
	say("Sam")
	waitFor("How old are you?")
	say("3")
	waitFor("What matters to you most")
	say("skip")
	waitFor("In the last two weeks")
	say("no")
	waitFor("What would you like help with?")
	say("Money and debt")
	waitFor("✓ Money and debt")
	if err := first.Process.Kill(); err != nil { // SIGKILL: no chance to tidy up
		t.Fatal(err)
	}
	_ = first.Wait()

	second := exec.Command(binary(t), "chat", "--user", user)
	second.Env = env(redistest.URL())
	second.Stdin = strings.NewReader("4\ndone\nno\n1\n2\nskip\n2\n2\n1\nCarry on\n")
	out, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("second chat: %v\n%s", err, out)
	}
	text := string(out)
	resume := strings.Index(text, "Welcome back. Let's carry on where we stopped.")
	question := strings.Index(text, "What would you like help with?")
	if resume < 0 || question < resume {
		t.Fatalf("second process did not resume at the needs question:\n%s", text)
	}
	if !strings.Contains(text[question:], "✓ Money and debt") {
		t.Errorf("the tick given before the kill is lost:\n%s", text)
	}
	if !strings.Contains(text, "Help with: Money and debt, Feeling lonely") || !strings.Contains(text, "We have not passed these answers") {
		t.Errorf("second process did not finish the conversation with both needs:\n%s", text)
	}
}

func forgetUser(t *testing.T, user string) {
	opt, err := redis.ParseURL(redistest.URL())
	if err != nil {
		t.Error(err)
		return
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	keys, _ := rdb.Keys(ctx, "sp:{u:"+user+"}:*").Result()
	if len(keys) > 0 {
		rdb.Del(ctx, keys...)
	}
}

func TestContentCheckCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{name: "built-in content", args: []string{"content", "check"}, wantCode: 0, want: "is sound"},
		{name: "broken fixture", args: []string{"content", "check", "../../content/testdata/broken/missing_node"}, wantCode: 1, want: `next node "nowhere" does not exist`},
		{name: "no such folder", args: []string{"content", "check", "testdata/nothing-here"}, wantCode: 1, want: "content check:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(""), &out, &errOut)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d", code, tt.wantCode)
			}
			if got := out.String() + errOut.String(); !strings.Contains(got, tt.want) {
				t.Errorf("output %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

// TestImportedDirectoryIsUsed imports an Open Referral UK record, checks the
// written directory with the content, and runs the conversation on it.
func TestImportedDirectoryIsUsed(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "directory.yaml")
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"directory", "import", "--out", file, "--mapping", "../../content/directory/testdata/mapping_keywords.yaml", "../../content/directory/testdata/hsds/service_full.json"}, strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("import: exit %d: %s%s", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := run(ctx, []string{"content", "check", "--directory", file}, strings.NewReader(""), &out, &errOut); code != 0 || !strings.Contains(out.String(), "is sound") {
		t.Fatalf("content check of the imported directory: exit %d: %s", code, out.String())
	}
	out.Reset()
	t.Setenv("REDIS_URL", "") // the embedded Redis
	script := strings.ReplaceAll(residentScript, "Carry on\n", "")
	if code := run(ctx, []string{"chat", "--directory", file}, strings.NewReader(script), &out, &errOut); code != 0 {
		t.Fatalf("chat: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "groups and services that could help") {
		t.Errorf("no suggestions from the imported directory:\n%s", out.String())
	}
	bad := filepath.Join(t.TempDir(), "broken.yaml")
	os.WriteFile(bad, []byte("services: [{id: x}]\n"), 0o644)
	if code := run(ctx, []string{"content", "check", "--directory", bad}, strings.NewReader(""), &out, &errOut); code == 0 {
		t.Error("content check passed a broken directory")
	}
}
