#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it. On a fresh machine it
#  1. starts the local PostgreSQL if it is installed but down,
#  2. installs Debian's chromium if no Chromium is found (the browser tests
#     in e2e/ need it and fail without it),
#  3. checks formatting, vets, and runs every test on SQLite and PostgreSQL
#     and the browser tests. PostgreSQL being unreachable fails the storage
#     tests; nothing is skipped.
#  4. runs staticcheck, govulncheck (scripts/vulncheck.sh) and every fuzz
#     target for a few seconds (scripts/fuzz.sh), unless arguments were
#     given for `go test` (a partial run such as -run TestAxe).
# It asks nothing and needs no terminal (CI=true runs it as is).
# Extra arguments go to `go test`, e.g. scripts/test.sh -run TestAxe -v.
# Environment:
#   SAMRAD_TEST_POSTGRES  PostgreSQL URL for the tests
#                         (default postgres://postgres@127.0.0.1:5432/test?sslmode=disable)
#   SAMRAD_CHROMIUM       the browser binary (default: /usr/bin/chromium, chromium
#                         or chromium-browser on the PATH)
#   SAMRAD_FUZZTIME       seconds per fuzz target (default 4; 0 leaves fuzzing out)
set -euo pipefail
cd "$(dirname "$0")/.."

# The Go release go.mod's toolchain line names, fetched by the go command
# from the module proxy if this machine has another (some installations
# pin GOTOOLCHAIN=local, which would ignore the line).
export GOTOOLCHAIN=go1.27.3

say() { printf '==> %s\n' "$*"; }

# as_root runs a command as root: directly when we are root, else with sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    echo "need root (or sudo) for: $*" >&2
    return 1
  fi
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

# 1. PostgreSQL
if command -v pg_isready >/dev/null 2>&1 && ! pg_ready && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_ready && break
    sleep 1
  done
  pg_ready || echo "PostgreSQL did not become ready within 30 s; its tests will fail" >&2
fi
export SAMRAD_TEST_POSTGRES="${SAMRAD_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"

# 2. Chromium for the browser tests
have_chromium() {
  if [ -n "${SAMRAD_CHROMIUM:-}" ]; then
    command -v "$SAMRAD_CHROMIUM" >/dev/null 2>&1
    return
  fi
  [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}
if ! have_chromium; then
  say "installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-q -y -o DPkg::Lock::Timeout=300)
  as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install chromium
fi

# 3. Format, vet, test
say "gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt would change these files (run gofmt -w on them):" >&2
  echo "$unformatted" >&2
  exit 1
fi
say "go vet"
go vet ./...
say "go test (SQLite and PostgreSQL at ${SAMRAD_TEST_POSTGRES%%\?*})"
# The browser tests visit every page of the demo; beside the other
# packages on a small machine they take several minutes.
go test -count=1 -timeout 30m "$@" ./...

# 4. Static analysis, known vulnerabilities, fuzzing. Partial runs stop here.
if [ $# -gt 0 ]; then
  exit 0
fi
say "staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
say "govulncheck"
./scripts/vulncheck.sh
fuzztime=${SAMRAD_FUZZTIME:-4}
if [ "$fuzztime" != 0 ]; then
  say "fuzz, ${fuzztime}s per target"
  ./scripts/fuzz.sh "$fuzztime"
fi
