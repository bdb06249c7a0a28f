package load

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// ErrBusy is returned when another ingest holds the warehouse.
var ErrBusy = errors.New("another gongkai ingest is running on this warehouse")

// LockIngest takes the warehouse's ingest lock (an flock on PATH.ingest.lock,
// released by the kernel if the process dies), so a second concurrent ingest
// is refused with a clear message instead of DuckDB's lock error.
func LockIngest(dbPath string) (unlock func(), err error) {
	name := dbPath + ".ingest.lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("ingest lock %s: %w", name, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(name)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s, held by pid %s); try again when it has finished", ErrBusy, name, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("ingest lock %s: %w", name, err)
	}
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
