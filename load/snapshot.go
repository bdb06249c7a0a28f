package load

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Readers keep querying while the nightly job writes: DuckDB lets one
// process write a file and then locks every other process out of it. So the
// job writes a working copy, PATH.next, and publishes it by renaming it over
// PATH — atomic on one file system. A reader that has PATH open keeps
// reading the version it opened; the next reader sees the new one.
//
// A run that dies (kill -9) leaves PATH untouched and PATH.next consistent
// at its last committed document (DuckDB replays its WAL); the next run
// continues from PATH.next, so the interrupted run stays visible in the
// ledger and its work is completed.

// WorkingCopy prepares PATH.next for writing and returns its path: an
// existing PATH.next (an interrupted run) is continued, else PATH is copied.
func WorkingCopy(path string) (string, error) {
	work := path + ".next"
	if _, err := os.Stat(work); err == nil {
		return work, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	src, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return work, nil // a new warehouse
	}
	if err != nil {
		return "", err
	}
	defer src.Close()
	tmp := work + ".copying"
	dst, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return "", fmt.Errorf("working copy: %w", err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(tmp)
		return "", fmt.Errorf("working copy of %s: %w", path, err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return "", fmt.Errorf("working copy of %s: %w", path, err)
	}
	if err := dst.Close(); err != nil {
		return "", err
	}
	// Copy under a temporary name first: a copy cut short is never taken
	// for an interrupted run's working file.
	if err := os.Rename(tmp, work); err != nil {
		return "", err
	}
	return work, nil
}

// Publish renames the closed working copy over PATH.
func Publish(path string) error {
	work := path + ".next"
	if _, err := os.Stat(work + ".wal"); err == nil {
		return fmt.Errorf("publish %s: %s.wal still exists; the warehouse was not closed cleanly", path, work)
	}
	if err := os.Rename(work, path); err != nil {
		return fmt.Errorf("publish %s: %w", path, err)
	}
	return nil
}
