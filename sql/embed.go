// Package sqlfiles embeds the warehouse schema and the analysts' views, so
// the binary creates and upgrades the warehouse by itself.
package sqlfiles

import _ "embed"

// Schema creates the contract's tables (idempotent).
//
//go:embed schema.sql
var Schema string

// Views creates or replaces the analysts' views.
//
//go:embed views.sql
var Views string

// CrossDocument recomputes the cross-document findings (xdoc.*) from the
// current documents; run in one transaction after an ingest run.
//
//go:embed crossdoc.sql
var CrossDocument string

// CellKey creates the unique index of budget_lines' cells; it fails on a
// warehouse that already holds two amounts for one cell (see keys.sql).
//
//go:embed keys.sql
var CellKey string
