#!/usr/bin/env bash
# Runs every fuzz target of the module (func FuzzX in a _test.go file) for
# SECONDS each (default 10), one after another, and prints the executions
# per target. It stops at the first failure: the fuzzer has then written
# the input that failed to the package's testdata/fuzz/FuzzX/, where `go
# test` replays it from then on (commit it with the fix).
#
# Usage: scripts/fuzz.sh [SECONDS] [PACKAGE...]
#   scripts/fuzz.sh            10 s per target, every package
#   scripts/fuzz.sh 60         as `make fuzz`
#   scripts/fuzz.sh 5 ./ssb    only the targets of ./ssb
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-10}
shift || true
case $secs in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [PACKAGE...]" >&2; exit 2 ;;
esac
if [ $# -gt 0 ]; then
  dirs=("$@")
else
  mapfile -t dirs < <(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
results=()
start=$SECONDS
for dir in "${dirs[@]}"; do
  mapfile -t targets < <(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$dir"/*_test.go | sort)
  for t in "${targets[@]}"; do
    printf '==> fuzz %s %s for %ss\n' "$dir" "$t" "$secs"
    if ! go test -run='^$' -fuzz="^${t}\$" -fuzztime="${secs}s" "$dir" >"$log" 2>&1; then
      cat "$log"
      echo "fuzz: $dir $t failed; the input is in $dir/testdata/fuzz/$t/" >&2
      exit 1
    fi
    # The last progress line holds the total: "fuzz: elapsed: 10s, execs: 123456 (…/sec), new interesting: …"
    execs=$(sed -n 's/.*fuzz: elapsed: .*, execs: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
    results+=("$(printf '%-12s %-28s %12s' "$dir" "$t" "${execs:-?}")")
    printf '    %s executions\n' "${execs:-?}"
  done
done
printf '\n%-12s %-28s %12s\n' package target "execs/${secs}s"
printf '%s\n' "${results[@]}"
printf '%d targets in %ds\n' "${#results[@]}" $((SECONDS - start))
