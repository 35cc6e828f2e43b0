#!/usr/bin/env bash
# Builds gofork from the action's own checkout, so the action runs the gofork
# of the ref it was used at, and puts it on PATH for the steps after.
set -euo pipefail
if ! command -v go >/dev/null; then
  echo "::error title=gofork::the gofork action builds gofork with Go; add actions/setup-go before it"
  exit 1
fi
bin="$RUNNER_TEMP/gofork-bin"
(cd "$GITHUB_ACTION_PATH" && go build -o "$bin/gofork" ./cmd/gofork)
echo "$bin" >>"$GITHUB_PATH"
