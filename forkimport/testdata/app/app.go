package app // import "github.com/awesome-you/tool/app" // want `import-comment: import comment names the fork path "github.com/awesome-you/tool/app" \(want "github.com/awesome-org/tool/app"\)`

import (
	"fmt"

	"github.com/awesome-you/tool/kv" // want `stray-import: import of fork path "github.com/awesome-you/tool/kv" \(want "github.com/awesome-org/tool/kv"\)`
)

func Show() { fmt.Println(kv.Get("x")) }
