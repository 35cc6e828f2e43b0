// Command gofork-vet runs gofork check's import rules (the forkimport
// analyzer) under go vet:
//
//	go vet -vettool=$(command -v gofork-vet) ./...
//	go vet -vettool=$(command -v gofork-vet) -forkimport.fork=github.com/you/tool=github.com/org/tool ./...
//
// See the forkimport package for what it reports.
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/gofork/gofork/forkimport"
)

func main() { unitchecker.Main(forkimport.Analyzer) }
