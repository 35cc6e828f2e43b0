package gitstatus

import "strings"

// wildmatch results, as in git's wildmatch.c: the abort results let a '*'
// stop retrying positions that can never match.
const (
	wmNoMatch = iota
	wmMatch
	wmAbortAll
	wmAbortToStarStar
)

// wmFlags are wildmatch.c's flags.
type wmFlags uint8

const (
	// wmPathname: '*', '?' and brackets do not match '/', and "**" between
	// slashes matches any number of directories.
	wmPathname wmFlags = 1 << iota
	// wmCasefold: letters match either case (core.ignoreCase), in git's
	// way: the text and the pattern's plain letters are lowered, a
	// bracket's ranges also take the upper-case letter, but its single
	// letters and escaped letters are compared as written.
	wmCasefold
)

// wildmatch reports whether text matches the glob pattern with git's
// semantics (wildmatch.c).
// go-git's gitignore matcher uses filepath.Match per component, which differs
// from git for "**" in the middle, "[!...]" and escapes, hence this port.
func wildmatch(pattern, text string, flags wmFlags) bool {
	return doWild(pattern, text, flags) == wmMatch
}

func lowerIf(fold bool, c byte) byte {
	if fold && c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// at returns s[i], or 0 past the end, mirroring C's NUL terminator.
func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func isGlobSpecial(c byte) bool {
	return c == '*' || c == '?' || c == '[' || c == '\\'
}

//nolint:gocyclo // a faithful port of git's dowild keeps its shape.
func doWild(p, text string, flags wmFlags) int {
	pathname, fold := flags&wmPathname != 0, flags&wmCasefold != 0
	pi, ti := 0, 0
	for ; pi < len(p); pi, ti = pi+1, ti+1 {
		pch := p[pi]
		tch := at(text, ti)
		if tch == 0 && pch != '*' {
			return wmAbortAll
		}
		tch, pch = lowerIf(fold, tch), lowerIf(fold, pch)
		switch pch {
		case '\\':
			pi++
			pch = at(p, pi)
			if tch != pch {
				return wmNoMatch
			}
			continue
		default:
			if tch != pch {
				return wmNoMatch
			}
			continue
		case '?':
			if pathname && tch == '/' {
				return wmNoMatch
			}
			continue
		case '*':
			var matchSlash bool
			pi++
			if at(p, pi) == '*' {
				prev := pi - 2
				for pi++; at(p, pi) == '*'; pi++ {
				}
				if (prev < 0 || p[prev] == '/') &&
					(at(p, pi) == 0 || at(p, pi) == '/' || (at(p, pi) == '\\' && at(p, pi+1) == '/')) {
					if at(p, pi) == '/' && doWild(p[pi+1:], text[ti:], flags) == wmMatch {
						return wmMatch
					}
					matchSlash = true
				} else {
					matchSlash = !pathname
				}
			} else {
				matchSlash = !pathname
			}
			if pi >= len(p) {
				if !matchSlash && strings.IndexByte(text[ti:], '/') >= 0 {
					return wmNoMatch
				}
				return wmMatch
			}
			if !matchSlash && p[pi] == '/' {
				slash := strings.IndexByte(text[ti:], '/')
				if slash < 0 {
					return wmNoMatch
				}
				ti += slash
				// the slash is consumed by the loop's increment
				continue
			}
			for {
				if tch == 0 {
					break
				}
				if !isGlobSpecial(p[pi]) {
					want := lowerIf(fold, p[pi])
					for tch = at(text, ti); tch != 0 && (matchSlash || tch != '/'); tch = at(text, ti) {
						if tch = lowerIf(fold, tch); tch == want {
							break
						}
						ti++
					}
					if tch != want {
						return wmNoMatch
					}
				}
				if matched := doWild(p[pi:], text[ti:], flags); matched != wmNoMatch {
					if !matchSlash || matched != wmAbortToStarStar {
						return matched
					}
				} else if !matchSlash && tch == '/' {
					return wmAbortToStarStar
				}
				ti++
				tch = at(text, ti)
			}
			return wmAbortAll
		case '[':
			pi++
			pch = at(p, pi)
			if pch == '^' {
				pch = '!'
			}
			negated := pch == '!'
			if negated {
				pi++
				pch = at(p, pi)
			}
			var prevCh byte
			matched := false
			for {
				if pch == 0 {
					return wmAbortAll
				}
				switch {
				case pch == '\\':
					pi++
					pch = at(p, pi)
					if pch == 0 {
						return wmAbortAll
					}
					if tch == pch {
						matched = true
					}
				case pch == '-' && prevCh != 0 && at(p, pi+1) != 0 && at(p, pi+1) != ']':
					pi++
					pch = p[pi]
					if pch == '\\' {
						pi++
						pch = at(p, pi)
						if pch == 0 {
							return wmAbortAll
						}
					}
					if tch <= pch && tch >= prevCh {
						matched = true
					} else if upper := tch - ('a' - 'A'); fold && tch >= 'a' && tch <= 'z' && upper <= pch && upper >= prevCh {
						matched = true
					}
					pch = 0 // so that prevCh becomes 0
				case pch == '[' && at(p, pi+1) == ':':
					start := pi + 2
					pi = start
					for pch = at(p, pi); pch != 0 && pch != ']'; pch = at(p, pi) {
						pi++
					}
					if pch == 0 {
						return wmAbortAll
					}
					if pi-start-1 < 0 || p[pi-1] != ':' {
						// no ":]": a plain '[' in the set
						pi = start - 2
						pch = '['
						if tch == pch {
							matched = true
						}
						break
					}
					ok, known := charClass(p[start:pi-1], tch, fold)
					if !known {
						return wmAbortAll
					}
					if ok {
						matched = true
					}
					pch = 0
				default:
					if tch == pch {
						matched = true
					}
				}
				prevCh = pch
				pi++
				pch = at(p, pi)
				if pch == ']' {
					break
				}
			}
			if matched == negated || (pathname && tch == '/') {
				return wmNoMatch
			}
			continue
		}
	}
	if ti < len(text) {
		return wmNoMatch
	}
	return wmMatch
}

// charClass evaluates a POSIX "[:class:]"; known is false for an unknown
// class name, which makes git's whole pattern fail.
func charClass(name string, c byte, fold bool) (ok, known bool) {
	isUpper := c >= 'A' && c <= 'Z'
	isLower := c >= 'a' && c <= 'z'
	isDigit := c >= '0' && c <= '9'
	switch name {
	case "alnum":
		return isUpper || isLower || isDigit, true
	case "alpha":
		return isUpper || isLower, true
	case "blank":
		return c == ' ' || c == '\t', true
	case "cntrl":
		return c < 32 || c == 127, true
	case "digit":
		return isDigit, true
	case "graph":
		return c > 32 && c < 127, true
	case "lower":
		return isLower, true
	case "print":
		return c >= 32 && c < 127, true
	case "punct":
		return c > 32 && c < 127 && !isUpper && !isLower && !isDigit, true
	case "space":
		return c == ' ' || (c >= '\t' && c <= '\r'), true
	case "upper":
		return isUpper || fold && isLower, true
	case "xdigit":
		return isDigit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'), true
	}
	return false, false
}
