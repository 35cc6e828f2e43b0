// Command gogit does nothing but link the go-git packages gitprompt's status
// engine reads objects with: BenchmarkStartup in cmd/gitprompt times it as
// the floor of a program that computes status through go-git.
package main

import _ "github.com/go-git/go-git/v5/plumbing/format/packfile"

func main() {}
