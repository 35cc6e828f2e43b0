#!/usr/bin/env bash
# Runs gofork check with the action's inputs, given in the environment:
# GOFORK_FORKS, GOFORK_FORMAT, GOFORK_FLAGS and GOFORK_DIR.
set -euo pipefail
set -f # the lists are split on blanks, never expanded as globs
format=${GOFORK_FORMAT:-github}
args=(check --format "$format")
for fork in ${GOFORK_FORKS:-}; do
  args+=(--fork "$fork")
done
# shellcheck disable=SC2206 # split on purpose
args+=(${GOFORK_FLAGS:-} -- "${GOFORK_DIR:-.}")
if [[ $format != sarif ]]; then
  exec gofork "${args[@]}"
fi
sarif="${RUNNER_TEMP:-.}/gofork.sarif"
status=0
gofork "${args[@]}" >"$sarif" || status=$?
echo "sarif-file=$sarif" >>"$GITHUB_OUTPUT"
exit "$status"
