// Package samrad holds the domain of Samråd, a platform for Norwegian regional
// cooperation alliances: organisations and their succession through municipal
// and regional reforms, alliances and memberships, population figures and
// membership fees.
//
// The package has no SQL and no HTTP. Storage lives in package store, the web
// interface in package web, and the command line in cmd/samrad.
package samrad
