package webchat

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/content"
	"signpost/flows"
	"signpost/internal/browsertest"
	"signpost/internal/redistest"
	"signpost/store"
)

func TestMain(m *testing.M) {
	code := redistest.Main(m)
	browsertest.Close()
	os.Exit(code)
}

// recorded keeps the effects the chat ran, as the service would run them.
type recorded struct {
	mu      sync.Mutex
	effects []flows.Effect
	fail    func(flows.Effect) error
}

func (r *recorded) Run(ctx context.Context, e flows.Effect) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(e); err != nil {
			return err
		}
	}
	r.effects = append(r.effects, e)
	return nil
}

func (r *recorded) kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.effects {
		out = append(out, e.Kind)
	}
	return out
}

// chat is a web chat on a real Redis, served over loopback.
type chat struct {
	srv     *Server
	http    *httptest.Server
	store   *store.Store
	runner  *flows.Runner
	effects *recorded
	rdb     *redis.Client
	prefix  string
}

// keys lists the Redis keys of the test that match pattern after the prefix.
func (c *chat) keys(t testing.TB, pattern string) []string {
	t.Helper()
	keys, err := c.rdb.Keys(context.Background(), c.prefix+pattern).Result()
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func newChat(t testing.TB, cfg Config) *chat {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	b, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	runner := flows.NewRunner(st, b, flows.Config{Contents: st})
	if cfg.Secret == nil {
		cfg.Secret = []byte("0123456789abcdef0123456789abcdef")
	}
	if cfg.BotUsername == "" {
		cfg.BotUsername = "signpost_test_bot"
	}
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = 200 * time.Millisecond
	}
	eff := &recorded{}
	srv, err := New(cfg, runner, st, eff)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Shutdown(); hs.Close(); cancel() })
	return &chat{srv: srv, http: hs, store: st, runner: runner, effects: eff, rdb: rdb, prefix: prefix}
}

func io_Copy(r *http.Response) (int64, error) {
	defer r.Body.Close()
	return io.Copy(io.Discard, r.Body)
}
