#!/usr/bin/env bash
# The whole test suite, as `make test` runs it. On a fresh machine it
#  1. starts the local PostgreSQL if it is installed but down,
#  2. installs Debian's chromium if no Chromium is found,
#  3. checks formatting and vets, then runs every test on SQLite and
#     PostgreSQL and the browser tests. PostgreSQL being unreachable fails
#     the storage tests; nothing is skipped.
# Extra arguments go to `go test` (e.g. -run, -bench).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

# 1. PostgreSQL
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [ -d /etc/postgresql ]; then
    say "starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
export SAMRAD_TEST_POSTGRES="${SAMRAD_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"

# 2. Chromium for the browser tests
if [ -z "${SAMRAD_CHROMIUM:-}" ] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  say "installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  as_root apt-get install -y -q chromium
fi

# 3. Format, vet, test
say "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi
say "go vet"
go vet ./...
say "go test (SQLite and PostgreSQL at ${SAMRAD_TEST_POSTGRES%%\?*})"
go test -count=1 "$@" ./...
