// Package crash holds the crash test of Samråd: it builds the samrad
// binary, runs `samrad serve` as a child process on SQLite and on
// PostgreSQL, kills it with SIGKILL while registrations, newsletter
// sends and accounts imports are under way, restarts it on the same
// database and checks that every acknowledged write is there, nothing is
// half-written, and no e-mail reached the SMTP server twice.
//
// The package has no code of its own; the test is crash_test.go.
package crash
