// Package statbank fetches tables from Statistics Norway's statbank through
// PxWebApi v2 (https://data.ssb.no/api/pxwebapi/v2).
//
// A Query names a table, a language and a selection per variable: value
// codes, which may be expressions such as "from(2016)", "top(1)", "*" or
// "32*", and optionally a code list such as agg_KommSummer with its output
// values (aggregated or single). Validate checks it; Body renders the POST
// body and URL the equivalent GET address, which is what a run log should
// show.
//
// A Client sends the query as
//
//	POST {BaseURL}/tables/{id}/data?lang=no&outputFormat=json-stat2
//
// and decodes the JSON-stat 2.0 answer with package ssb into an *ssb.Cube.
// Output values of a code list are given in the query string
// (outputValues[Region]=aggregated), as in the GET form. Metadata fetches
// GET {BaseURL}/tables/{id}/metadata, the table's dimensions without values,
// so that CheckMetadata can tell before a fetch that a variable has gone, a
// required variable is not selected, or a code is no longer in the table.
// Check compares a fetched cube with its query: a dataset whose dimensions
// changed is refused.
//
// # Retries
//
// HTTP 429, 502, 503 and 504 and network errors are tried again, up to
// MaxAttempts in all, waiting Backoff(attempt) in between, or what the
// server's Retry-After header asks for (seconds or an HTTP date), but never
// longer than MaxRetryAfter. Other answers are final. A cancelled context
// stops the client at once, also while it waits.
//
// # Errors
//
// Every error names the address asked, so that it can go into a run log as
// it is, and has a type for errors.As: *QueryError (the query is wrong,
// nothing was sent), *HTTPError (status and the start of the body),
// *NotJSONError (errors.Is ErrNotJSON: SSB answered with HTML),
// *TooLargeError (the body is over MaxBodyBytes), *DecodeError (wrapping the
// *ssb.ParseError of a malformed body), *DimensionError (the dataset does
// not have the variables or codes asked for) and *NetworkError.
//
// Data and Metadata return a Result or Metadata whenever a request was
// made, also together with an error, so that the caller can record the
// status, the bytes read and the number of attempts of every run.
//
// The client keeps no global state; a Client may be used by several
// goroutines at once once its fields are set.
package statbank
