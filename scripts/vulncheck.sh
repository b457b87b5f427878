#!/usr/bin/env bash
# Checks the module and the Go standard library it is built with against
# the Go vulnerability database, with govulncheck, and fails on any
# vulnerability the code can reach (a called function, not only a
# required module).
#
# vuln.go.dev is not reachable from every machine that builds us, but the
# Go module proxy is, and it serves the database's source as the module
# golang.org/x/vulndb. internal/tools/vulndb builds govulncheck's database
# layout from that module's OSV records, once per version, in a cache.
#
# The database is as new as VULNDB_VERSION. To bump it, take the newest
# version the proxy knows:
#   go list -m -json golang.org/x/vulndb@master   (its "Version")
# and put it below (see docs/RELIABILITY.md).
#
# Environment:
#   SAMRAD_VULNDB  folder for the built database
#                  (default: the user cache folder, samrad/vulndb-VERSION)
set -euo pipefail
cd "$(dirname "$0")/.."

GOVULNCHECK_VERSION=v1.9.0
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018

db=${SAMRAD_VULNDB:-${XDG_CACHE_HOME:-$HOME/.cache}/samrad/vulndb-$VULNDB_VERSION}
if [ ! -f "$db/index/modules.json" ]; then
  src=$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ -z "$src" ] || [ ! -d "$src/data/osv" ]; then
    echo "vulncheck: golang.org/x/vulndb@$VULNDB_VERSION has no data/osv (download failed?)" >&2
    exit 1
  fi
  # The records carry no modification time; the version's commit time stands in.
  stamp=$(echo "$VULNDB_VERSION" | sed -n 's/.*-\([0-9]\{14\}\)-[0-9a-f]*$/\1/p')
  modified="${stamp:0:4}-${stamp:4:2}-${stamp:6:2}T${stamp:8:2}:${stamp:10:2}:${stamp:12:2}Z"
  mkdir -p "$(dirname "$db")"
  go run ./internal/tools/vulndb -src "$src/data/osv" -out "$db" -modified "$modified"
fi

echo "vulncheck: $(go env GOVERSION), database golang.org/x/vulndb@$VULNDB_VERSION"
# Exit status 3 means a vulnerability the code reaches: CI fails. One in the
# standard library is fixed by building with the Go release govulncheck names.
go run "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION" -db "file://$db" ./...
