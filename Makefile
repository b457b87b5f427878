# The whole test suite: starts the local PostgreSQL if it is down, installs
# Debian's chromium if it is missing, then vets and runs every test on
# SQLite and PostgreSQL. See scripts/test.sh.
.PHONY: test run build bench fuzz

test:
	./scripts/test.sh

run:
	go run ./cmd/samrad serve --demo

build:
	go build -o samrad ./cmd/samrad

bench:
	./scripts/test.sh -run '^$$' -bench . -benchmem

