# The whole test suite: starts the local PostgreSQL if it is down, installs
# Debian's chromium if it is missing, then vets and runs every test on
# SQLite and PostgreSQL, then staticcheck, govulncheck and a short fuzz of
# every parser. See scripts/test.sh.
.PHONY: test run build bench fuzz lint vulncheck

# The Go release go.mod's toolchain line names (see scripts/test.sh).
export GOTOOLCHAIN := go1.27.3

test:
	./scripts/test.sh

run:
	go run ./cmd/samrad serve --demo

build:
	go build -o samrad ./cmd/samrad

bench:
	./scripts/test.sh -run '^$$' -bench . -benchmem

# Every fuzz target for a minute each (CI runs them for a few seconds).
fuzz:
	./scripts/fuzz.sh 60

lint:
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

vulncheck:
	./scripts/vulncheck.sh
