package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/gongkai/gongkai/transform"
)

// part parses a split fixture as the pipeline does, its identity's source
// set as given.
func part(t *testing.T, path, source string) *doc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	meta, res, err := (&Ingester{}).parse(context.Background(), path, b, hex.EncodeToString(h[:]), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res.Identity.Source = source
	pr := prepared{fr: FileResult{Path: path, Outcome: "parsed"}, meta: meta, res: res}
	if !isPart(pr) {
		t.Fatalf("%s is no part (role %s)", path, transform.Role(res))
	}
	return &doc{files: []prepared{pr}, meta: meta, res: res}
}

// File names never group parts: a part identified by its file name joins
// a part that states the identity, never another one identified by its
// file name.
func TestPartsIdentifiedByFileName(t *testing.T) {
	const narrative, tables = "../fixtures/split/shuozhou-dangqun-2026-budget.narrative.txt", "../fixtures/split/shuozhou-dangqun-2026-budget.tables.txt"
	now := time.Now
	for _, c := range []struct {
		narrative, tables string
		merged            bool
	}{
		{transform.SourceDocument, transform.SourceDocument, true},
		{transform.SourceDocument, transform.SourceFileName, true},
		{transform.SourceFileName, transform.SourceDocument, true},
		{transform.SourceFileName, transform.SourceFileName, false},
	} {
		park := &parking{limit: parkLimit}
		in := &Ingester{}
		if out := in.parkPart(park, part(t, narrative, c.narrative), now); len(out) != 0 {
			t.Fatalf("the first part was written at once: %d documents", len(out))
		}
		out := in.parkPart(park, part(t, tables, c.tables), now)
		waiting := park.drain()
		// merged parts wait together for the rest of their document
		merged := len(out) == 0 && len(waiting) == 1 && len(waiting[0].files) == 2
		if merged != c.merged {
			t.Errorf("narrative identified from %s, tables from %s: merged %v, want %v", c.narrative, c.tables, merged, c.merged)
		}
		if merged && waiting[0].res.Identity.Source != transform.SourceDocument {
			t.Errorf("merged identity source %s, want document (one part states it)", waiting[0].res.Identity.Source)
		}
		if !merged && (len(out) != 1 || len(waiting) != 1) {
			t.Errorf("unmerged: %d written now, %d waiting; want the narrative written and the tables waiting", len(out), len(waiting))
		}
	}
}
