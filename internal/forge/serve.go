package forge

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/cgi"
	"os/exec"
)

// Server serves a forge root over git's smart HTTP protocol on loopback.
type Server struct {
	URL string // "http://127.0.0.1:PORT", the forge URL for clones

	srv  *http.Server
	done chan error
}

// Serve starts serving root through the real `git http-backend`, so clones,
// fetches and pushes speak to the same server code as on a real forge. Close
// stops it.
func Serve(root string) (*Server, error) {
	backend, err := Handler(root)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("serve forge: %w", err)
	}
	s := &Server{
		URL:  "http://" + ln.Addr().String(),
		srv:  &http.Server{Handler: backend},
		done: make(chan error, 1),
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// Handler is git's smart HTTP protocol for root, through `git
// http-backend`: for a test server that stands between it and the client.
func Handler(root string) (http.Handler, error) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		return nil, fmt.Errorf("serve forge: git http-backend needs git on PATH: %w", err)
	}
	return &cgi.Handler{
		Path: gitPath,
		Args: []string{"http-backend"},
		Env: []string{
			"GIT_PROJECT_ROOT=" + root,
			"GIT_HTTP_EXPORT_ALL=1",
			"GIT_CONFIG_NOSYSTEM=1",
		},
	}, nil
}

// Close stops the server and waits for it to finish.
func (s *Server) Close() error {
	err := s.srv.Close()
	if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return err
}
