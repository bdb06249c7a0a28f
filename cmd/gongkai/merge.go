package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gongkai/gongkai/load"
)

// cmdMerge merges shard warehouses (or their Parquet trees) into one
// warehouse: load.Warehouse.Merge, written as ingest writes (a working copy
// published by a rename, under the ingest lock).
func cmdMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("merge", "merge [--db PATH] [--in-place] SHARD...\n\n"+
		"Merges shard warehouses (made by gongkai ingest --shard i/n) or their Parquet trees (gongkai export --format parquet)\n"+
		"into the warehouse --db, created when absent. A document several shards hold (the same bytes) is one; which document\n"+
		"of a department, year and stage is current and the cross-document checks (xdoc.*) are computed again over all\n"+
		"documents; every shard's ingest runs and files are kept, each run with its shard. Merging a shard again changes\n"+
		"nothing; a shard of a newer schema is refused and nothing is written. The warehouse is written as a working copy\n"+
		"(PATH.next) published by a rename at the end, so readers keep reading, unless --in-place.", stderr)
	inPlace := fs.Bool("in-place", false, "write the warehouse file directly (readers are locked out while it runs) instead of a working copy published at the end")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	log := newLogger(stderr)
	defer log.Sync()
	unlock, err := load.LockIngest(*db)
	if err != nil {
		return err
	}
	defer unlock()
	target := *db
	if !*inPlace {
		target = *db + ".next"
	}
	// Nothing is written when the merge fails: neither a working copy nor
	// a new warehouse this command made is left behind (a working copy an
	// interrupted ingest left is, as the next ingest continues it).
	_, statErr := os.Stat(target)
	fresh := errors.Is(statErr, os.ErrNotExist)
	discard := func() {
		if fresh {
			os.Remove(target)
			os.Remove(target + ".wal")
		}
	}
	if !*inPlace {
		if target, err = load.WorkingCopy(*db); err != nil {
			return err
		}
	}
	for _, s := range fs.Args() {
		if same, err := sameFile(s, target); err != nil {
			discard()
			return err
		} else if same {
			discard()
			return fmt.Errorf("shard %s is the warehouse being written", s)
		}
	}
	w, err := load.Open(ctx, target, log)
	if err != nil {
		discard()
		return err
	}
	stats, err := w.Merge(ctx, fs.Args())
	if err != nil {
		w.Close()
		discard()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if !*inPlace {
		if err := load.Publish(*db); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "merged %d shards: %d documents in them, %d new; %d runs new, %d updated; %s: %d documents, %d current, %d cross-document findings\n",
		stats.Shards, stats.ShardDocs, stats.NewDocs, stats.NewRuns, stats.UpdatedRuns, *db, stats.Documents, stats.Current, stats.CrossFindings)
	if stats.SplitAcross > 0 {
		fmt.Fprintf(stderr, "warning: %d split disclosures (narrative and tables in two files) were read on different shards and stay two documents; see docs/nightly.md\n", stats.SplitAcross)
	}
	return nil
}

// sameFile reports whether a shard is the file being written.
func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil // Merge reports it
	}
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if errors.Is(err, os.ErrNotExist) {
		aa, _ := filepath.Abs(a)
		bb, _ := filepath.Abs(b)
		return aa == bb, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}
