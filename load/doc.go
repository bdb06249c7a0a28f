// Package load writes transformed documents into the DuckDB warehouse.
//
// In: parsed documents (transform.Result with their transform.DocumentMeta),
// handed over by package ingest, and the ledger's file records. It reads no
// input file and imports nothing of extract. Out: rows in the contract's
// tables (sql/schema.sql), one transaction per document, and the ledger of
// runs and files. A group of parsed documents is staged
// through one Arrow record-batch view per table (RegisterView, then CREATE
// TEMP TABLE … AS SELECT) and moved into the warehouse in one transaction —
// or, when that fails, each document in its own — so a document is never
// half-loaded and a bad one fails alone; after a run the cross-document
// checks (sql/crossdoc.sql) are recomputed. It refuses a second writer
// (ErrBusy), a document already loaded (ErrUnchanged), and table names not
// in its fixed list; SQL takes values as parameters only.
package load
