#!/usr/bin/env bash
# The cost of one prompt as bash sees it, in one run, alternating, in each
# REPO (default: a fresh clone of the sample project):
#   - a request to `gitprompt daemon` running as bash's coprocess, written
#     and read with builtins as the init script does;
#   - the same request to gitstatusd (powerlevel10k's resident daemon),
#     when GITSTATUSD names its binary (built from its public source; it is
#     not shipped), asked for exact counts with 2 threads per core, as its
#     help advises;
#   - one-shot `gitprompt --shell bash`;
#   - `git --no-optional-locks status --porcelain=v2 --branch` (the flag
#     keeps git from rewriting the index, which would make the daemons
#     read it again).
# Three cases: nothing changed since the last prompt; one tracked file
# written before each prompt (a new content every time, the same file for
# everyone); and the first answer of a daemon started for that prompt
# (start-up included) against one-shot gitprompt. Then the daemon's memory
# (VmRSS) before and after its first answer in the repository.
# Usage: [GITSTATUSD=path] bench/daemon.sh [ROUNDS [REPO...]]   (from the repository root)
set -eu
rounds=${1:-200}
shift || true
work=$(mktemp -d "${TMPDIR:-/tmp}/gitprompt-daemon-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -o "$work/gitprompt" ./cmd/gitprompt
repos=("$@")
if [ ${#repos[@]} -eq 0 ]; then
	git init -q "$work/repo"
	cp -R testdata/tool/. "$work/repo"
	git -C "$work/repo" add -A
	git -C "$work/repo" -c user.name=b -c user.email=b@example.com commit -qm sample
	# A second later git status rewrites the index, so that no entry is
	# racily clean (hashed at every status), as in a repository in use.
	sleep 1.1
	git -C "$work/repo" status >/dev/null
	repos=("$work/repo")
fi
export XDG_CACHE_HOME=$work/cache
gsd=${GITSTATUSD:-}
if [ -n "$gsd" ] && ! [ -x "$gsd" ]; then
	echo "GITSTATUSD=$gsd is not an executable" >&2
	exit 2
fi
threads=$((2 * $(nproc)))

# bash keeps one coprocess at a time: gitstatusd talks through FIFOs.
start_daemons() {
	coproc GITPROMPTD { exec "$work/gitprompt" daemon; }
	if [ -n "$gsd" ]; then
		rm -f "$work/gsd.in" "$work/gsd.out"
		mkfifo "$work/gsd.in" "$work/gsd.out"
		"$gsd" -t "$threads" -s -1 -u -1 -c -1 -d -1 -m -1 <"$work/gsd.in" >"$work/gsd.out" 2>/dev/null &
		exec {gsd_in}>"$work/gsd.in" {gsd_out}<"$work/gsd.out"
	fi
}
stop_daemons() {
	exec {GITPROMPTD[1]}>&-
	if [ -n "$gsd" ]; then exec {gsd_in}>&- {gsd_out}<&-; fi
	wait
}
ask() {
	printf '{"dir":"%s","shell":"bash","brief":true,"timeout":"1m"}\n' "$repo" >&"${GITPROMPTD[1]}"
	IFS= read -r answer <&"${GITPROMPTD[0]}"
}
gsd_ask() {
	printf 'q\x1f%s\x1e' "$repo" >&"$gsd_in"
	IFS= read -r -d $'\x1e' gsd_answer <&"$gsd_out"
}
oneshot() { "$work/gitprompt" -C "$repo" --shell bash --timeout 1m >/dev/null; }
gitstatus() { git -C "$repo" --no-optional-locks status --porcelain=v2 --branch >/dev/null; }

# time NAME CMD: adds CMD's wall time in microseconds to the total NAME
# (EPOCHREALTIME, no subshell).
time_into() {
	local t u
	t=${EPOCHREALTIME/./}
	"${@:2}"
	u=${EPOCHREALTIME/./}
	eval "$1=\$(($1 + u - t))"
}
report() { # report LABEL N (totals in $d $s $o $g; 0: not measured)
	awk -v label="$1" -v d="$d" -v s="$s" -v o="$o" -v g="$g" -v n="$2" 'BEGIN {
		printf "  %s (%d prompts, mean):\n", label, n
		printf "    gitprompt daemon   %8.3f ms  %.3fx git", d / n / 1000, d / g
		if (s > 0) printf "  %.2fx gitstatusd", d / s
		printf "\n"
		if (s > 0) printf "    gitstatusd         %8.3f ms  %.3fx git\n", s / n / 1000, s / g
		if (o > 0) printf "    gitprompt one-shot %8.3f ms  %.3fx git\n", o / n / 1000, o / g
		printf "    git status         %8.3f ms\n", g / n / 1000
	}'
}
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

for repo in "${repos[@]}"; do
	repo=$(cd "$repo" && pwd)
	files=$(git -C "$repo" ls-files | wc -l)
	echo "$repo: $files tracked files"
	changed=$(git -C "$repo" ls-files | awk -v n="$files" 'NR == int(n / 2) + 1 { print; exit }')
	original=$work/original
	cp "$repo/$changed" "$original"

	# The first answer, start-up included, against one-shot gitprompt.
	n=$((rounds / 10 + 1)) d=0 s=0 o=0 g=0
	oneshot && gitstatus
	for ((i = 0; i < n; i++)); do
		t=${EPOCHREALTIME/./}
		coproc GITPROMPTD { exec "$work/gitprompt" daemon; }
		ask
		u=${EPOCHREALTIME/./}
		d=$((d + u - t))
		exec {GITPROMPTD[1]}>&-
		wait
		time_into o oneshot
		time_into g gitstatus
	done
	report "first answer of a new daemon" "$n"

	start_daemons
	pid=$GITPROMPTD_PID
	before=$(rss_kib "$pid")
	ask
	[ -n "$gsd" ] && gsd_ask
	after=$(rss_kib "$pid")
	echo "  daemon VmRSS: $before KiB before the first request, $after KiB after ($(((after - before) / 1024)) MiB for this repository)"
	oneshot && gitstatus
	# gitprompt trusts no file's stat data for two seconds after it changed
	# (file times come from a coarse clock); a prompt's repository is older.
	sleep 2.1

	d=0 s=0 o=0 g=0
	for ((i = 0; i < rounds; i++)); do
		time_into d ask
		[ -n "$gsd" ] && time_into s gsd_ask
		time_into o oneshot
		time_into g gitstatus
	done
	report "nothing changed" "$rounds"

	d=0 s=0 o=0 g=0 k=0
	edit() { k=$((k + 1)); { cat "$original"; echo "// $k"; } >"$repo/$changed"; }
	for ((i = 0; i < rounds; i++)); do
		edit; time_into d ask
		if [ -n "$gsd" ]; then edit; time_into s gsd_ask; fi
		edit; time_into g gitstatus
	done
	o=0
	report "one file ($changed) written before each prompt" "$rounds"
	cp "$original" "$repo/$changed"
	case $answer in *'"segment":'*) ;; *) echo "unexpected answer: $answer" >&2; exit 1 ;; esac
	stop_daemons
done
