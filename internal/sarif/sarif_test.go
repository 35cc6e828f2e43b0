package sarif

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestURIEscapesEachElement(t *testing.T) {
	for path, want := range map[string]string{
		"kv/store.go":       "kv/store.go",
		"a b/main #1.go":    "a%20b/main%20%231.go",
		"q?/100%.go":        "q%3F/100%25.go",
		"ünï/côde.go":       "%C3%BCn%C3%AF/c%C3%B4de.go",
		"dir/with:colon.go": "dir/with:colon.go",
	} {
		if got := URI(path); got != want {
			t.Errorf("URI(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestWrite(t *testing.T) {
	tool := Tool{Name: "t", Version: "devel abc123+dirty", Rules: []Rule{{ID: "a"}, {ID: "b"}}}
	var out bytes.Buffer
	if err := Write(&out, tool, []Result{{RuleID: "b", Message: "<m>", Path: "x/y.go", Line: 3, Col: 0}}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string
				}
			}
			Results []struct {
				RuleIndex int
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						Region struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if v := run.Tool.Driver.Version; v != "0.0.0-devel-abc123+dirty" {
		t.Errorf("version %q", v)
	}
	r := run.Results[0]
	if r.RuleIndex != 1 || r.Message.Text != "<m>" || r.Locations[0].PhysicalLocation.Region.StartColumn != 1 {
		t.Errorf("result %+v", r)
	}
	if !bytes.Contains(out.Bytes(), []byte(`"<m>"`)) {
		t.Error("message HTML-escaped")
	}
}
