package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/awesome-org/tool/config"
	"github.com/awesome-org/tool/driver"
	"github.com/awesome-org/tool/kv"
)

func do(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestPutThenGet(t *testing.T) {
	d, err := driver.New(config.Default(3))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go d.Run(ctx, time.Millisecond)
	srv := httptest.NewServer(newHandler(d, 10*time.Second))
	defer srv.Close()

	if code, body := do(t, "GET", srv.URL+"/keys/missing", ""); code != http.StatusNotFound && code != http.StatusServiceUnavailable {
		t.Errorf("GET of an unset key: %d %s, want 404 (or 503 before the election)", code, body)
	}
	for _, v := range []string{"first", "second"} {
		if code, body := do(t, "PUT", srv.URL+"/keys/greeting", v); code != http.StatusNoContent {
			t.Fatalf("PUT %s: %d %s", v, code, body)
		}
	}
	code, body := do(t, "GET", srv.URL+"/keys/greeting", "")
	var item kv.Item
	if err := json.Unmarshal([]byte(body), &item); code != http.StatusOK || err != nil {
		t.Fatalf("GET: %d %q (%v)", code, body, err)
	}
	if item != (kv.Item{Value: "second", Generation: 2}) {
		t.Errorf("GET = %+v, want second at generation 2", item)
	}
	if code, _ := do(t, "POST", srv.URL+"/keys/greeting", "x"); code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", code)
	}
}

func TestPutTimesOutWithoutAClock(t *testing.T) {
	d, err := driver.New(config.Default(3))
	if err != nil {
		t.Fatal(err)
	}
	// No rounds run, so no leader is ever elected.
	srv := httptest.NewServer(newHandler(d, 50*time.Millisecond))
	defer srv.Close()
	if code, body := do(t, "PUT", srv.URL+"/keys/k", "v"); code != http.StatusServiceUnavailable || !strings.Contains(body, "deadline") {
		t.Errorf("PUT with no leader: %d %q, want 503 naming the deadline", code, body)
	}
	if code, body := do(t, "GET", srv.URL+"/keys/k", ""); code != http.StatusServiceUnavailable {
		t.Errorf("GET with no leader: %d %q, want 503", code, body)
	}
}
