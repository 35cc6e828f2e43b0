// Command nethttp does nothing but link net/http, which gofork needs for the
// forges' APIs and for resolving import paths through ?go-get=1:
// bench/check.sh times it as the floor of gofork's start-up.
package main

import _ "net/http"

func main() {}
