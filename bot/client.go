package bot

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"time"
)

// apiClient is the HTTP client of the Bot API calls the bot makes. It keeps
// enough idle connections for every sender and shard, so calls reuse them
// instead of dialling anew, and it sends each request body in one piece:
// go-telegram/bot streams its multipart bodies through a pipe, which would
// otherwise go out in many small chunks.
type apiClient struct {
	http *http.Client
}

func newAPIClient(timeout time.Duration, conns int) *apiClient {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conns * 2
	t.MaxIdleConnsPerHost = conns
	t.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	return &apiClient{http: &http.Client{Timeout: timeout, Transport: t}}
}

// Do reads the request body into memory, so the request carries a
// Content-Length, then sends it.
func (c *apiClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.ContentLength <= 0 {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return c.http.Do(req)
}
