// Command empty does nothing: BenchmarkStartup in cmd/gitprompt times it
// as the floor of any Go program's start-up on the machine.
package main

func main() {}
