package main

import (
	"archive/tar"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// pprofEnv names the address a bot built with profiling serves
// net/http/pprof on.
const pprofEnv = "SIGNPOST_BENCH_PPROF"

// pprofSource is added to package main of a bot built for profiling, through
// go build -overlay, so the profile comes from the very code measured
// without a change to it.
const pprofSource = `package main

import (
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	if addr := os.Getenv("` + pprofEnv + `"); addr != "" {
		go http.ListenAndServe(addr, nil)
	}
}
`

// buildBinary builds the main package at pkg (relative to the module root
// root) into dir. With profile, the binary also serves net/http/pprof at
// the address in pprofEnv.
func buildBinary(ctx context.Context, root, pkg, dir string, profile bool) (string, error) {
	out := filepath.Join(dir, filepath.Base(pkg))
	if profile {
		out += "-pprof"
	}
	args := []string{"build", "-o", out}
	if profile {
		src := filepath.Join(dir, filepath.Base(pkg)+"_pprof.go")
		if err := os.WriteFile(src, []byte(pprofSource), 0o644); err != nil {
			return "", err
		}
		overlay, err := json.Marshal(map[string]map[string]string{
			"Replace": {filepath.Join(root, pkg, "zz_bench_pprof.go"): src},
		})
		if err != nil {
			return "", err
		}
		ovFile := filepath.Join(dir, filepath.Base(pkg)+"_overlay.json")
		if err := os.WriteFile(ovFile, overlay, 0o644); err != nil {
			return "", err
		}
		args = append(args, "-overlay", ovFile)
	}
	args = append(args, "./"+pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./%s: %v\n%s", pkg, err, strings.TrimSpace(string(msg)))
	}
	return out, nil
}

// moduleRoot finds the directory of go.mod from the working directory up.
func moduleRoot() (string, error) {
	cmd := exec.Command("go", "env", "GOMOD")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run from inside the signpost module")
	}
	return filepath.Dir(mod), nil
}

// fetchProfile takes a profile of the bot for d, less a second for the
// margins, and writes it to file: kind "profile" for CPU, "allocs" for the
// allocations made over that time.
func fetchProfile(ctx context.Context, addr, kind string, d time.Duration, file string) error {
	secs := max(int(d.Seconds())-1, 1)
	url := fmt.Sprintf("http://%s/debug/pprof/%s?seconds=%d", addr, kind, secs)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: d + 30*time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof answered %s", resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// checkout writes the tree of the git revision rev of the repository at root
// into dst, so a committed revision can be measured whatever the working
// tree holds.
func checkout(ctx context.Context, root, rev, dst string) error {
	cmd := exec.CommandContext(ctx, "git", "-C", root, "archive", "--format=tar", rev)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git archive: %w", err)
	}
	extractErr := untar(out, dst)
	io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %v: %s", rev, err, strings.TrimSpace(stderr.String()))
	}
	return extractErr
}

// untar extracts the regular files and directories of a tar stream into dst.
func untar(r io.Reader, dst string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Join(dst, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(name, filepath.Clean(dst)+string(filepath.Separator)) {
			return fmt.Errorf("git archive: unsafe path %q", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(name, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode)&0o777)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
}
