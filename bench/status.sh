#!/bin/sh
# status.sh — time gitprompt's status engine against `git status` and
# go-git's Worktree.Status on generated trees (small: the sample project,
# medium: ~13k files in ~2.7k directories, large: 100k tracked files, an
# ignored directory of 20k files and 50 untracked files).
#
#   bench/status.sh [ROUNDS [REPO...]]
#
# Trees are generated under a temporary directory (never in the repository)
# and removed at the end; every round runs each command once, alternating
# (the small tree gets 20 times ROUNDS). Given REPOs (clones of real
# projects), those are measured instead, as they are: git reads them with
# --no-optional-locks, so that neither tool's run rewrites the index for
# the next.
# gitprompt runs twice: as a prompt runs it, keeping directory listings in
# a cache under the benchmark's directory, and with --no-cache, reading every
# directory as git does.
# bench/statusdriver runs the same gitstatus.Read in a loop for profiling.
set -eu
rounds=${1:-15}
if [ $# -gt 0 ]; then shift; fi
repos=
for repo in "$@"; do # absolute, before the cd below
	repos="$repos $(cd "$repo" && pwd)"
done
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/gitstatus-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -o "$work/statusbench" ./bench/statusbench
go build -o "$work/gogitstatus" ./bench/gogitstatus
go build -o "$work/gitprompt" ./cmd/gitprompt
# As the init scripts run it (their --shell), with a budget that lets every
# run finish. --json would add encoding/json's first use, 0.2 ms, which a
# prompt never pays.
engine="$work/gitprompt --shell bash --timeout 1m -C ."
export XDG_CACHE_HOME="$work/cache"
for repo in $repos; do
	"$work/statusbench" -rounds "$rounds" "$repo" \
		"$engine" \
		"git --no-optional-locks status --porcelain=v2 --branch" \
		"$engine --no-cache"
done
[ -z "$repos" ] || exit 0
"$work/statusbench" -gen "$work/trees" -sample testdata/tool
# Write the new trees out now, or the kernel's writeback of 140k files runs
# during the first measurements.
sync
for tree in small medium large; do
	n=$rounds
	# A few milliseconds a run, so the small tree gets more rounds against
	# the noise.
	[ "$tree" = small ] && n=$((rounds * 20))
	"$work/statusbench" -rounds "$n" "$work/trees/$tree" \
		"$engine" \
		"git status --porcelain=v2 --branch" \
		"$engine --no-cache" \
		"$work/gogitstatus -C ."
done
