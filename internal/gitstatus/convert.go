package gitstatus

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"github.com/gofork/gofork/internal/gitindex"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/hash"
	"github.com/gofork/gofork/internal/sysfs"
)

// eolToGit is what end-of-line conversion git applies to a work-tree file
// on its way into the repository (convert.c's crlf_to_git): none; CRLF to
// LF (text, eol=, crlf); or that unless the content looks binary or the
// index's copy already has CRLF (text=auto, core.autocrlf).
type eolToGit int

const (
	eolKeep eolToGit = iota
	eolText
	eolAuto
)

// conversion is what git applies to a file's content before hashing it
// for comparison with the index. unknown, when set, says why gitprompt
// cannot apply it: a clean filter or an encoding conversion would run a
// program or iconv, which a prompt must not.
type conversion struct {
	eol     eolToGit
	ident   bool
	unknown string
}

func (c conversion) none() bool { return c.eol == eolKeep && !c.ident && c.unknown == "" }

// converter decides the conversion of each path: the attribute files
// outside the work tree are read the first time a file's content is
// compared, since most prompts compare none.
type converter struct {
	config   gitConfig
	autocrlf string // core.autocrlf: "true", "input" or "false"
	files    func() *attrFiles
	fold     wmFlags // core.ignoreCase
}

func newConverter(r *repo) *converter {
	autocrlf := "false"
	if v, ok := r.config.value("core", "", "autocrlf"); ok {
		switch b, isBool := parseBool(v); {
		case strings.EqualFold(v, "input"):
			autocrlf = "input"
		case isBool && b:
			autocrlf = "true"
		}
	}
	return &converter{config: r.config, autocrlf: autocrlf, files: sync.OnceValue(r.readAttrFiles), fold: r.foldFlags()}
}

// conversionOf is convert.c's convert_attrs for path, whose directory's
// attribute files are dirs.
func (cv *converter) conversionOf(path string, dirs *attrStack) conversion {
	files := cv.files()
	if files.empty(dirs) {
		// Only core.autocrlf can ask for a conversion.
		if cv.autocrlf == "false" {
			return conversion{}
		}
		return conversion{eol: eolAuto}
	}
	attrs := files.lookup(path, dirs, cv.fold)
	var c conversion
	action, known := crlfAttr(attrs["text"])
	if !known {
		action, known = crlfAttr(attrs["crlf"])
	}
	switch {
	case known && action == eolKeep: // -text, or binary
	case known:
		c.eol = action
	default:
		switch attrs["eol"] {
		case "lf", "crlf":
			c.eol = eolText // eol= alone means text
		default:
			if cv.autocrlf != "false" {
				c.eol = eolAuto
			}
		}
	}
	c.ident = attrs["ident"] == attrSet
	if drv, ok := attrs["filter"]; ok && !strings.HasPrefix(drv, "\x00") && cv.runsFilter(drv) {
		c.unknown = fmt.Sprintf("%q has filter %q, whose clean command a prompt does not run", path, drv)
	}
	if enc, ok := attrs["working-tree-encoding"]; ok && enc != attrUnspecified && enc != "" && !isUTF8(enc) {
		c.unknown = fmt.Sprintf("%q has working-tree-encoding %q, which a prompt does not convert", path, strings.TrimPrefix(enc, "\x00"))
	}
	return c
}

// crlfAttr reads a text or crlf attribute as git_path_check_crlf does;
// known is false when it leaves the decision to eol and core.autocrlf.
func crlfAttr(v string) (action eolToGit, known bool) {
	switch v {
	case attrSet, "input":
		return eolText, true
	case attrUnset:
		return eolKeep, true
	case "auto":
		return eolAuto, true
	}
	return eolKeep, false
}

// runsFilter reports whether git would run something for the filter
// driver's clean side: a process or clean command, or, when required with
// neither, fail.
func (cv *converter) runsFilter(drv string) bool {
	process, _ := cv.config.value("filter", drv, "process")
	clean, _ := cv.config.value("filter", drv, "clean")
	return process != "" || clean != "" || cv.config.boolean("filter", drv, "required", false)
}

func isUTF8(enc string) bool {
	return strings.EqualFold(enc, "utf-8") || strings.EqualFold(enc, "utf8")
}

// textStats is convert.c's gather_stats.
type textStats struct {
	lonecr, lonelf, crlf, nul, printable, nonprintable int
}

func gatherStats(data []byte) textStats {
	var s textStats
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				s.crlf++
				i++
			} else {
				s.lonecr++
			}
		case c == '\n':
			s.lonelf++
		case c == 127:
			s.nonprintable++
		case c < 32:
			switch c {
			case '\b', '\t', '\033', '\014':
				s.printable++
			case 0:
				s.nul++
				s.nonprintable++
			default:
				s.nonprintable++
			}
		default:
			s.printable++
		}
	}
	if len(data) > 0 && data[len(data)-1] == '\032' {
		s.nonprintable-- // a trailing ^Z (DOS end of file) is not held against it
	}
	return s
}

func (s textStats) binary() bool {
	return s.lonecr > 0 || s.nul > 0 || s.printable>>7 < s.nonprintable
}

// toGit applies c's end-of-line and ident conversions to a work tree file's
// content, as convert_to_git does; indexHasCRLF reports whether the index's
// copy of the file is text with CRLF in it, which keeps text=auto from
// converting.
func (c conversion) toGit(data []byte, indexHasCRLF func() bool) []byte {
	if c.eol != eolKeep && len(data) > 0 {
		s := gatherStats(data)
		convert := s.crlf > 0
		if c.eol == eolAuto && (s.binary() || convert && indexHasCRLF()) {
			convert = false
		}
		if convert {
			data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		}
	}
	if c.ident {
		data = identToGit(data)
	}
	return data
}

// identToGit collapses each "$Id: ...$" without a line break inside to
// "$Id$", as git's ident_to_git does.
func identToGit(src []byte) []byte {
	out := make([]byte, 0, len(src))
	for {
		dollar := bytes.IndexByte(src, '$')
		if dollar < 0 {
			break
		}
		out = append(out, src[:dollar+1]...)
		src = src[dollar+1:]
		if len(src) > 3 && string(src[:3]) == "Id:" {
			end := bytes.IndexByte(src[3:], '$')
			if end < 0 {
				break
			}
			if bytes.IndexByte(src[3:3+end], '\n') >= 0 {
				continue
			}
			out = append(out, "Id$"...)
			src = src[3+end+1:]
		}
	}
	return append(out, src...)
}

// hasCRLFText is convert.c's has_crlf_in_index test on a blob: CRLF in
// content that does not look binary.
func hasCRLFText(blob []byte) bool {
	if bytes.IndexByte(blob, '\r') < 0 {
		return false
	}
	s := gatherStats(blob)
	return !s.binary() && s.crlf > 0
}

// maxConverted bounds the files read whole to be converted before hashing;
// a bigger one leaves the count unknown rather than the prompt's memory
// unbounded.
const maxConverted = 64 << 20

var errTooBigToConvert = errors.New("larger than 64 MiB")

// hashConverted is hashWorktreeFile for a file git converts: read whole (in
// chunks, the deadline checked between them), converted, then hashed.
func hashConverted(ctx context.Context, dirfd int, name string, size int64, c conversion, indexBlob func() ([]byte, error)) ([hashLen]byte, error) {
	fd, err := sysfs.Openat(dirfd, name, sysfs.O_RDONLY|sysfs.O_CLOEXEC|sysfs.O_NOFOLLOW|sysfs.O_NONBLOCK, 0)
	if err != nil {
		return [hashLen]byte{}, err
	}
	defer sysfs.Close(fd)
	data := make([]byte, 0, size+1)
	for {
		if err := ctx.Err(); err != nil {
			return [hashLen]byte{}, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grown while being read
		}
		n, err := sysfs.Read(fd, data[len(data):min(cap(data), len(data)+hashChunk)])
		if err == sysfs.EINTR {
			continue
		}
		if err != nil {
			return [hashLen]byte{}, err
		}
		if n == 0 {
			break
		}
		if data = data[:len(data)+n]; len(data) > maxConverted {
			return [hashLen]byte{}, errTooBigToConvert
		}
	}
	data = c.toGit(data, func() bool {
		blob, err := indexBlob()
		return err == nil && hasCRLFText(blob)
	})
	h := hash.New(crypto.SHA1)
	h.Write([]byte("blob " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	return [hashLen]byte(h.Sum(nil)), nil
}

// readIndexBlob reads an index entry's blob, for has_crlf_in_index.
func readIndexBlob(db *objectDB, e *gitindex.Entry) func() ([]byte, error) {
	return func() ([]byte, error) { return db.read(plumbing.BlobObject, e.Hash()) }
}
