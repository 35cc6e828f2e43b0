#!/usr/bin/env bash
# The cost of one prompt as bash sees it, in one run, alternating: a request
# to `gitprompt daemon` running as bash's coprocess (written and read with
# builtins, as a prompt would), one-shot `gitprompt --shell bash`, and
# `git status --porcelain=v2 --branch`, each ROUNDS times in REPO (default:
# a fresh clone of the sample project). The request is the one bash's init
# script sends. The daemon keeps nothing resident yet beyond the process, so
# what it saves is the start-up.
# Usage: bench/daemon.sh [ROUNDS [REPO]]   (from the repository root)
set -eu
rounds=${1:-200}
work=$(mktemp -d "${TMPDIR:-/tmp}/gitprompt-daemon-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -o "$work/gitprompt" ./cmd/gitprompt
repo=${2:-}
if [ -z "$repo" ]; then
	repo=$work/repo
	git init -q "$repo"
	cp -R testdata/tool/. "$repo"
	git -C "$repo" add -A
	git -C "$repo" -c user.name=b -c user.email=b@example.com commit -qm sample
fi
repo=$(cd "$repo" && pwd)
export XDG_CACHE_HOME=$work/cache

coproc GITPROMPTD { "$work/gitprompt" daemon; }
ask() {
	printf '{"dir":"%s","shell":"bash","brief":true}\n' "$repo" >&"${GITPROMPTD[1]}"
	IFS= read -r answer <&"${GITPROMPTD[0]}"
}
oneshot() { "$work/gitprompt" -C "$repo" --shell bash >/dev/null; }
gitstatus() { git -C "$repo" status --porcelain=v2 --branch >/dev/null; }

ask && oneshot && gitstatus # warm the page cache and the listing cache
d=0 o=0 g=0
for ((i = 0; i < rounds; i++)); do # EPOCHREALTIME in microseconds, no subshell
	t=${EPOCHREALTIME/./}; ask; u=${EPOCHREALTIME/./}; d=$((d + u - t))
	t=${EPOCHREALTIME/./}; oneshot; u=${EPOCHREALTIME/./}; o=$((o + u - t))
	t=${EPOCHREALTIME/./}; gitstatus; u=${EPOCHREALTIME/./}; g=$((g + u - t))
done
case $answer in *'"segment":'*) ;; *) echo "unexpected answer: $answer" >&2; exit 1 ;; esac
exec {GITPROMPTD[1]}>&-
wait
awk -v d="$d" -v o="$o" -v g="$g" -v n="$rounds" -v repo="$repo" 'BEGIN {
	printf "%d prompts in %s (mean per prompt, alternating)\n", n, repo
	printf "  gitprompt daemon       %7.3f ms  %.2fx git\n", d / n / 1000, d / g
	printf "  gitprompt (one-shot)   %7.3f ms  %.2fx git\n", o / n / 1000, o / g
	printf "  git status --porcelain=v2 --branch %7.3f ms\n", g / n / 1000
}'
