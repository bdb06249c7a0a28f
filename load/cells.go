package load

import (
	"fmt"

	"github.com/gongkai/gongkai/transform"
)

// DuplicateCellError refuses a document that gives two amounts for one cell
// of budget_lines: the same table, side, line, item and measure (the
// warehouse's key, sql/keys.sql). Nothing of the document is written.
type DuplicateCellError struct {
	DocumentID, SourcePath string
	First, Second          transform.Line
}

func (e *DuplicateCellError) Error() string {
	l := e.First
	side := l.Side
	if side == "" {
		side = "-"
	}
	return fmt.Sprintf("document %s (%s): two amounts for one cell of budget_lines (table %s, side %s, line %d, item %s, measure %s): %q and %q; the warehouse keeps one amount per cell",
		e.DocumentID, e.SourcePath, l.TableKey, side, l.Line, l.ItemName, l.Measure, e.First.Raw, e.Second.Raw)
}

// checkCells returns a *DuplicateCellError for the first cell of d that
// holds two amounts. Lines of unknown line number (0, NULL in the
// warehouse) are in no cell, as in the unique index.
func checkCells(d Doc) error {
	type cell struct {
		table, side string
		line        int
		item, meas  string
	}
	seen := make(map[cell]int, len(d.Res.Lines))
	for i, l := range d.Res.Lines {
		if l.Line == 0 {
			continue
		}
		k := cell{l.TableKey, l.Side, l.Line, l.ItemName, l.Measure}
		if j, dup := seen[k]; dup {
			return &DuplicateCellError{DocumentID: d.Meta.DocumentID, SourcePath: d.Meta.SourcePath, First: d.Res.Lines[j], Second: l}
		}
		seen[k] = i
	}
	return nil
}
