//go:build !unix

package importcheck

import (
	"io"
	"os"
)

func openForRead(p string) (io.ReadCloser, error) { return os.Open(p) }
