package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
)

// Reading a feed: fetching one page from a file or a URL, and telling a
// paged /services envelope from a bare list or a single service.

// page is one decoded /services response.
type page struct {
	envelope bool
	number   number
	total    number
	last     flag
	records  []json.RawMessage
	// org is the organization a list of services came inside, if any.
	org json.RawMessage
}

// decodePage accepts the paged envelope, a bare array, or one service.
func decodePage(data []byte) (page, error) {
	var pg page
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return pg, errors.New("empty response")
	}
	switch data[0] {
	case '[':
		if err := json.Unmarshal(data, &pg.records); err != nil {
			return pg, fmt.Errorf("not valid JSON: %w", err)
		}
		return pg, nil
	case '{':
	default:
		return pg, errors.New("not a JSON object or array")
	}
	var env struct {
		TotalPages number          `json:"total_pages"`
		PageNumber number          `json:"page_number"`
		LastPage   flag            `json:"last_page"`
		Contents   json.RawMessage `json:"contents"`
		Services   json.RawMessage `json:"services"`
		ID         json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return pg, fmt.Errorf("not valid JSON: %w", err)
	}
	switch {
	case env.Contents != nil:
		pg.envelope = true
		pg.number, pg.total, pg.last = env.PageNumber, env.TotalPages, env.LastPage
		c := bytes.TrimSpace(env.Contents)
		if string(c) == "null" {
			return pg, nil
		}
		if err := json.Unmarshal(c, &pg.records); err != nil {
			return pg, errors.New("contents is not a list")
		}
	case env.Services != nil:
		// An organization with its services.
		if err := json.Unmarshal(env.Services, &pg.records); err != nil {
			return pg, errors.New("services is not a list")
		}
		pg.org = data
	case env.ID != nil:
		pg.records = []json.RawMessage{data}
	default:
		return pg, errors.New("neither a page of services nor a service")
	}
	return pg, nil
}

// fetch reads one page from a URL or a file, refusing anything larger than
// MaxPageBytes so a broken feed cannot exhaust memory.
func (im *importer) fetch(ctx context.Context, loc string) ([]byte, error) {
	limit := im.opts.MaxPageBytes
	if !im.isURL {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := os.Open(loc)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readLimited(f, limit)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := im.opts.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = redact(ue.URL)
		}
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %s", redact(loc), resp.Status)
	}
	return readLimited(resp.Body, limit)
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("page larger than %d bytes", limit)
	}
	return data, nil
}

// redact drops the query and credentials from a URL for messages, since
// feeds are sometimes given API keys in the query.
func redact(loc string) string {
	u, err := url.Parse(loc)
	if err != nil {
		return "the feed"
	}
	u.User, u.RawQuery = nil, ""
	return u.String()
}
