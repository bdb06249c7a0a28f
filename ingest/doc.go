// Package ingest runs the pipeline: files → extract → transform → load.
//
// In: paths of files and folders (walked recursively for .txt, .text and
// .pdf), the warehouse to write (load.Warehouse) and the run's options
// (PDF backend, OCR, workers, group size, shard, dry run). Out: each file's
// outcome (loaded, unchanged, failed) in the run's Summary and in the
// warehouse's ledger (ingest_runs, ingest_files), and the documents
// themselves, written by load one transaction each; after a run that loaded
// something, the cross-document checks are recomputed.
//
// Files are parsed concurrently (one per core) and written by one writer in
// input order. A file is read only when its size or modification time
// changed since the ledger last saw it, and loaded only when its SHA-256 is
// new. It refuses files over MaxBytes, files that are no disclosure
// (transform.ErrNotDisclosure), PDFs without a usable text layer unless OCR
// is configured, and a parser's panic (the file's error, never the run's):
// each such file fails alone and the others still load.
//
// A narrative-only and a tables-only file that state the same identity
// (a split disclosure, Beijing's 附件1 and 附件2) are parts of one document:
// they are merged before loading, in one run or across runs (split.go).
//
// This is the only package that knows all three rooms: extract knows
// documents, transform knows budgets, load knows DuckDB; load reads no file
// and imports nothing of extract (imports_test.go holds the layering).
package ingest
