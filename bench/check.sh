#!/usr/bin/env bash
# Benchmark `gofork check` against `git grep -n -F <fork path>` over the same
# trees, alternating the two in one run so both see the same page cache and
# machine load:
#   1. generated trees of $FILES .go files (default 10000, ~150 lines each,
#      1 in 50 with a stray import) in three layouts (wide, deep, many small
#      directories; see gen), deterministic, in a temporary directory;
#   2. the Go tree's own sources ($(go env GOROOT)/src), read in place with
#      git grep --no-index;
#   3. each real project given as an argument after ROUNDS: a clone made by
#      gofork clone, checked as a user would (forks from its layout) and
#      grepped for its fork path (git config gofork.fork).
# Wall time on a shared machine is noisy, so CPU time (user+sys) is reported
# too. Usage: bench/check.sh [ROUNDS [CLONE...]]   (from the repository root)
set -eu
rounds=${1:-7}
files=${FILES:-10000}
fork=github.com/awesome-you/tool
upstream=github.com/awesome-org/tool

work=$(mktemp -d "${TMPDIR:-/tmp}/gofork-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -o "$work/gofork" ./cmd/gofork
go build -o "$work/empty" ./bench/startupfloor/empty
go build -o "$work/nethttp" ./bench/startupfloor/nethttp

# gen SHAPE DIR: $FILES .go files (~150 lines each, 1 in 50 with a stray
# import) in one of three layouts, committed to git so that check reads its
# file list from the index as it does in any clone:
#   wide   100 packages of 100 files
#   deep   files 8 directories down (a/b/c/d/e/f/g/h), 10 to a directory
#   small  2,500 directories of 4 files, 3 levels (many small directories)
#   plain  as small, but files of 10 lines that name the fork only in their
#          stray imports: git grep then prints the findings alone, as in a
#          real tree, where the others' comments make it print 35 lines a file
gen() {
	local shape=$1 tree=$2
	mkdir -p "$tree"
	printf 'module %s\n\ngo 1.24\n' "$upstream" > "$tree/go.mod"
	awk -v files="$files" -v tree="$tree" -v fork="$fork" -v up="$upstream" -v shape="$shape" 'BEGIN {
		for (i = 0; i < files; i++) {
			if (shape == "wide") { per = 100; dir = sprintf("%s/pkg%03d", tree, int(i / 100)) }
			else if (shape == "deep") { per = 10; d = int(i / 10); dir = sprintf("%s/a%d/b%d/c%d/d%d/e%d/f%d/g%d/h%d", tree, d % 2, int(d / 2) % 2, int(d / 4) % 2, int(d / 8) % 2, int(d / 16) % 2, int(d / 32) % 2, int(d / 64) % 4, int(d / 256)) }
			else { per = 4; dir = sprintf("%s/a%02d/b%02d/c%03d", tree, int(i / 1000), int(i / 100) % 10, int(i / 4)) }
			mentions = (shape == "plain") ? 1 : 35
			if (i % per == 0) system("mkdir -p " dir)
			f = sprintf("%s/f%05d.go", dir, i)
			base = (i % 50 == 0) ? fork : up
			printf "// Code in file %d.\npackage p%d\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n\n\t\"%s/kv\"\n)\n", i, int(i / per), base > f
			for (j = 0; j < mentions; j++)
				printf "\n// F%d_%d mentions %s/kv in a comment only.\nfunc F%d_%d(s string) string {\n\treturn fmt.Sprint(strings.ToUpper(s), kv.Store{})\n}\n", i, j, (shape == "plain") ? "the store" : fork, i, j >> f
			close(f)
		}
	}'
	git -C "$tree" init -q
	git -C "$tree" add -A
}

# timed FILE CMD: appends "wall cpu" seconds of CMD to FILE, output discarded.
timed() {
	local out=$1 t
	shift
	TIMEFORMAT='%R %U %S'
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1 ) || true
	echo "$t" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' >> "$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

compare() { # name, the gofork and git grep command lines as strings, their labels
	local name=$1 gofork_cmd=$2 grep_cmd=$3 a=${4:-gofork check} b=${5:-git grep} i
	eval "$gofork_cmd" >/dev/null 2>&1 || true # warm the page cache
	eval "$grep_cmd" >/dev/null 2>&1 || true
	: > "$work/a"; : > "$work/b"
	for ((i = 0; i < rounds; i++)); do
		timed "$work/a" eval "$gofork_cmd"
		timed "$work/b" eval "$grep_cmd"
	done
	local aw ac bw bc
	aw=$(cut -d' ' -f1 "$work/a" | median) ac=$(cut -d' ' -f2 "$work/a" | median)
	bw=$(cut -d' ' -f1 "$work/b" | median) bc=$(cut -d' ' -f2 "$work/b" | median)
	printf '%s (medians of %d alternating runs)\n' "$name" "$rounds"
	printf '  %-14s wall %.3fs  cpu %.3fs\n  %-14s wall %.3fs  cpu %.3fs\n' "$a" "$aw" "$ac" "$b" "$bw" "$bc"
	awk -v aw="$aw" -v bw="$bw" -v ac="$ac" -v bc="$bc" -v a="$a" -v b="$b" \
		'BEGIN { printf "  ratio %s / %s: wall %.2f, cpu %.2f\n", a, b, aw / bw, ac / bc }'
}

# On a small tree both take a few milliseconds and process start-up is most
# of it, so the floors come first: a Go program that does nothing, one that
# only links net/http (as gofork must), against git's own start-up.
compare "start-up" "$work/gofork version" "git --version" "gofork version" "git --version"
compare "start-up floors" "$work/empty" "$work/nethttp" "empty Go" "Go + net/http"

for shape in wide deep small plain; do
	gen "$shape" "$work/$shape"
	compare "generated tree ($shape), $files .go files" \
		"$work/gofork check --no-heuristics --fork $fork $work/$shape" \
		"git -C $work/$shape grep -n -F $fork"
done

goroot=$(go env GOROOT)/src
n=$(find "$goroot" -name '*.go' -not -path '*/testdata/*' | wc -l)
compare "\$GOROOT/src, $n .go files outside testdata" \
	"$work/gofork check --fork example.com/fork/x=example.com/up/x $goroot" \
	"cd $goroot && git grep --no-index -n -F example.com/fork/x"

shift || true
for clone in "$@"; do
	fork=$(git -C "$clone" config gofork.fork) || { echo "$clone: not made by gofork clone (no gofork.fork)" >&2; exit 1; }
	n=$(git -C "$clone" ls-files '*.go' | wc -l)
	compare "$(basename "$clone"), a real tree of $n tracked .go files" \
		"$work/gofork check $clone" \
		"git -C $clone grep -n -F $fork"
done
