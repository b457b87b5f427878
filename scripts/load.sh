#!/usr/bin/env bash
# Load test: builds samrad, serves the demo on SQLite on a loopback port and
# measures pages with 64 concurrent connections. Prints one line per page.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-18080}
n=${N:-20000}
tmp=$(mktemp -d)
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT
go build -o "$tmp/samrad" ./cmd/samrad
go build -o "$tmp/loadtest" ./internal/tools/loadtest
"$tmp/samrad" serve --demo --addr "127.0.0.1:$port" 2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
for path in "/allianser/ore/medlemmer?dato=2021-01-01" "/allianser/osloregionen/kontingent?ar=2019" "/organisasjoner/3025"; do
  "$tmp/loadtest" -url "http://127.0.0.1:$port$path" -c 64 -n "$n"
done
