#!/usr/bin/env bash
# Runs every test of bluehats-bot: vet, unit tests and the integration tests
# against a real Dendrite, which this script installs (once, into the cache)
# and starts on 127.0.0.1 for the run, then stops.
set -euo pipefail
cd "$(dirname "$0")/.."

export CGO_ENABLED=1
TAGS=goolm

echo "== go vet"
go vet -tags "$TAGS" ./...
go vet -tags "$TAGS,demo" ./cmd/bluehats-bot

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [[ -n $unformatted ]]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi

echo "== Dendrite"
bash scripts/dendrite.sh install
hsdir=$(mktemp -d "${TMPDIR:-/tmp}/bluehats-test-hs.XXXXXX")
cleanup() {
	bash scripts/dendrite.sh stop "$hsdir" >/dev/null 2>&1 || true
	rm -rf "$hsdir"
}
trap cleanup EXIT
bash scripts/dendrite.sh start "$hsdir" >/dev/null
export BLUEHATS_TEST_HS_DIR=$hsdir

echo "== go test"
go test -tags "$TAGS" -count=1 -timeout 30m "$@" ./...

# An execution count rather than a duration: with -fuzztime as a duration,
# Go 1.26's fuzz coordinator can report its own deadline as a failure when a
# loaded machine starves the workers at the end of the window
# (go.dev/issue/75804, fixed in Go 1.27). A count has no deadline to race.
echo "== fuzz (a fixed number of executions each; findings fail the run)"
for target in ./commands:FuzzRouter ./match:FuzzMatch ./conference:FuzzReadPost ./config:FuzzParse; do
	go test -tags "$TAGS" -run '^$' -fuzz "^${target#*:}\$" -fuzztime "${BLUEHATS_FUZZTIME:-20000x}" "${target%%:*}"
done
