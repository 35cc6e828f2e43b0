// Command toold serves a replicated key/value store over HTTP. It runs a
// local cluster of raft nodes in one process and exposes:
//
//	GET /keys/{key}   the value and generation as JSON, 404 if unset
//	PUT /keys/{key}   the request body becomes the value, 204 once committed
//
// Usage:
//
//	toold [-addr localhost:8080] [-nodes 3] [-tick 10ms]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/awesome-org/tool/config"
	"github.com/awesome-org/tool/driver"
)

// maxValueBytes bounds a PUT body so one request cannot exhaust memory.
const maxValueBytes = 1 << 20

func main() {
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	nodes := flag.Int("nodes", 3, "number of raft nodes in the local cluster")
	tick := flag.Duration("tick", 10*time.Millisecond, "length of one raft clock tick")
	flag.Parse()

	d, err := driver.New(config.Default(*nodes))
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go d.Run(ctx, *tick)

	srv := &http.Server{Addr: *addr, Handler: newHandler(d, 5*time.Second)}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Printf("toold: serving %d nodes on http://%s", *nodes, *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// newHandler routes the key API to d; a write that does not commit within
// timeout fails with 503.
func newHandler(d *driver.Driver, timeout time.Duration) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /keys/{key}", func(w http.ResponseWriter, r *http.Request) {
		item, ok, err := d.Get(r.PathValue("key"))
		switch {
		case err != nil:
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		case !ok:
			http.NotFound(w, r)
		default:
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(item)
		}
	})
	mux.HandleFunc("PUT /keys/{key}", func(w http.ResponseWriter, r *http.Request) {
		value, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxValueBytes))
		if err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		if err := d.Put(ctx, r.PathValue("key"), string(value)); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}
