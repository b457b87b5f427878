package oparl

import "embed"

// Schemas are the specification's twelve object schemas (schema/README.md).
//
//go:embed schema/*.json
var Schemas embed.FS
