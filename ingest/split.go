package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/gongkai/gongkai/transform"
)

// Split disclosures. Some regions publish a department's disclosure as two
// files, the narrative (情况说明) and the tables (报表); counties publish one
// workbook per table beside a .doc narrative. A parsed file whose role
// (transform.Role) is RoleNarrative or RoleTables is a part; parts are
// grouped by the identity they state (region, department, fiscal year,
// stage), and the parts of one identity load as one document
// (transform.Merge) whose id is the SHA-256 of the parts' SHA-256 hex
// strings, sorted and joined by "\n". File names never group parts: a
// part whose identity transform took from its file name (Beijing's tables
// name no department) joins only parts one of which states that identity
// in its own text.
//
//   - In one run, the parts of an identity wait (are parked) together,
//     merged as each arrives, and are written at the end of the run — or
//     earlier when a whole file of their identity arrives (which then
//     supersedes them), when a part arrives that the group already has
//     (a second narrative, or tables the group already holds: a later
//     version, which starts a group of its own), or when more than
//     parkLimit identities wait.
//   - Across runs, a part written alone is completed by the writer
//     (complete): when the current document of its identity is the other
//     part alone, or a merged document, that part is read again from its
//     source_path — only if the bytes there still have the recorded
//     SHA-256 — the two merge, and the merged document supersedes the one
//     loaded. When the other part cannot be read again, the new file loads
//     alone with a document.part_unread finding saying why.

// parkLimit bounds the identities whose parts wait: each group holds its
// parsed files and their merge in memory.
const parkLimit = 64

// identityKey is what the parts of one document state alike.
type identityKey struct {
	region, department string
	year               int
	stage              string
}

func keyOf(id transform.Identity) identityKey {
	return identityKey{id.Region, id.DepartmentName, id.FiscalYear, id.Stage}
}

// isPart reports whether a parsed file is one part of a split disclosure.
func isPart(pr prepared) bool {
	if pr.res == nil {
		return false
	}
	r := transform.Role(pr.res)
	return r == transform.RoleNarrative || r == transform.RoleTables
}

// parking holds the parts waiting for the rest of their document, one
// group (a doc of one or more files, merged) per identity, in arrival
// order.
type parking struct {
	limit int
	keys  []identityKey
	parts map[identityKey]*doc
}

// take removes and returns the part of key, if one waits.
func (p *parking) take(k identityKey) *doc {
	d, ok := p.parts[k]
	if !ok {
		return nil
	}
	delete(p.parts, k)
	p.keys = slices.DeleteFunc(p.keys, func(x identityKey) bool { return x == k })
	return d
}

// put parks d and returns the oldest part when more than limit wait.
func (p *parking) put(k identityKey, d *doc) *doc {
	if p.parts == nil {
		p.parts = map[identityKey]*doc{}
	}
	p.parts[k] = d
	p.keys = append(p.keys, k)
	if len(p.keys) > p.limit {
		return p.take(p.keys[0])
	}
	return nil
}

// drain returns every waiting part, oldest first.
func (p *parking) drain() []*doc {
	var out []*doc
	for len(p.keys) > 0 {
		out = append(out, p.take(p.keys[0]))
	}
	return out
}

// joins reports whether part pr completes the group of parts w: it is
// not a part the group has already (a second narrative, or a standard
// table one of the group's tables files holds), and one of them states
// the identity in its own text.
func joins(w *doc, pr prepared) bool {
	role := transform.Role(pr.res)
	named := pr.res.Identity.Source != transform.SourceFileName
	held := map[string]bool{}
	for _, f := range w.files {
		named = named || f.res.Identity.Source != transform.SourceFileName
		switch transform.Role(f.res) {
		case transform.RoleNarrative:
			if role == transform.RoleNarrative {
				return false
			}
		case transform.RoleTables:
			for _, t := range f.res.Tables {
				held[t.TableKey] = true
			}
		}
	}
	if role == transform.RoleTables {
		for _, t := range pr.res.Tables {
			if held[t.TableKey] {
				return false
			}
		}
	}
	return named
}

// sharesTable reports whether two results hold a standard table alike.
func sharesTable(a, b *transform.Result) bool {
	for _, t := range a.Tables {
		if slices.ContainsFunc(b.Tables, func(u transform.SourceTable) bool { return u.TableKey == t.TableKey }) {
			return true
		}
	}
	return false
}

// parkPart takes a part d as it arrives and returns what is to be written
// now, in order: nothing, with d merged into the waiting parts of its
// identity or parked as the first of them; or the waiting parts, when d
// does not join them (a later version of one of them), with d parked; or
// the waiting parts and d, when they do not merge (the finding says why);
// and the oldest group when more than the limit wait.
func (in *Ingester) parkPart(park *parking, d *doc, now func() time.Time) []*doc {
	pr := d.files[0]
	k := keyOf(pr.res.Identity)
	var out []*doc
	if w := park.take(k); w != nil {
		if !joins(w, pr) {
			out = append(out, w)
		} else {
			files := append(slices.Clone(w.files), pr)
			meta, res, err := mergeParts(files, now().UTC())
			if err != nil {
				d.res.Findings = append(d.res.Findings, unmerged(w.meta, err))
				return append(out, w, d)
			}
			d = &doc{files: files, meta: meta, res: res}
		}
	}
	if old := park.put(k, d); old != nil {
		out = append(out, old)
	}
	return out
}

// complete merges a part about to be written alone with the other parts
// of its document when they are already in the warehouse as (the files
// of) the current document of its identity: every file of it that the
// part does not replace (a narrative replaces the narrative; tables
// replace a tables file holding any of their tables) is read again and
// the parts merge.
func (in *Ingester) complete(ctx context.Context, d *doc, now time.Time) {
	pr := d.files[0]
	cur, files, err := in.W.CurrentFiles(ctx, pr.res.Identity)
	if err != nil || cur == "" {
		if err != nil && in.Log != nil {
			in.Log.Warn("look up the other parts; the file loads on its own", zap.String("path", pr.fr.Path), zap.Error(err))
		}
		return
	}
	role := transform.Role(pr.res)
	if slices.ContainsFunc(files, func(f transform.FileMeta) bool { return f.Role == transform.RoleWhole }) {
		return
	}
	others := &doc{}
	for _, f := range files {
		if f.Role == transform.RoleNarrative && role == transform.RoleNarrative {
			continue // replaced
		}
		other, err := in.reread(ctx, f, now)
		if err != nil {
			d.res.Findings = append(d.res.Findings, transform.Finding{CheckID: "document.part_unread", Severity: "warning",
				Message: fmt.Sprintf("the %s of this disclosure were loaded from %s (document %s) but cannot be read again: %v; this file loads on its own",
					f.Role, f.SourcePath, cur, err),
				Expected: f.SHA256, Actual: ""})
			return
		}
		if role == transform.RoleTables && f.Role == transform.RoleTables && sharesTable(other.res, pr.res) {
			continue // tables this part holds too: replaced
		}
		others.files = append(others.files, other)
	}
	if len(others.files) == 0 || !joins(others, pr) {
		return
	}
	meta, res, err := mergeParts(append(others.files, pr), now)
	if err != nil {
		d.res.Findings = append(d.res.Findings, unmerged(others.files[0].meta, err))
		return
	}
	d.meta, d.res = meta, res
}

// reread reads a part loaded in an earlier run again from its source path:
// only the same bytes, read the same way.
func (in *Ingester) reread(ctx context.Context, f transform.FileMeta, now time.Time) (prepared, error) {
	b, err := os.ReadFile(f.SourcePath)
	if err != nil {
		return prepared{}, err
	}
	h := sha256.Sum256(b)
	if got := hex.EncodeToString(h[:]); got != f.SHA256 {
		return prepared{}, fmt.Errorf("%s has other bytes now (sha256 %s, loaded as %s)", f.SourcePath, got, f.SHA256)
	}
	meta, res, err := in.parse(ctx, f.SourcePath, b, f.SHA256, now)
	if err != nil {
		return prepared{}, err
	}
	if r := transform.Role(res); r != f.Role {
		return prepared{}, fmt.Errorf("%s now reads as %s, not as the %s", f.SourcePath, r, f.Role)
	}
	return prepared{meta: meta, res: res}, nil
}

func unmerged(other transform.DocumentMeta, err error) transform.Finding {
	return transform.Finding{CheckID: "document.part_unmerged", Severity: "warning",
		Message:  fmt.Sprintf("the other part of this disclosure, %s, does not merge with this file: %v; this file loads on its own", other.SourcePath, err),
		Expected: other.DocumentID}
}

// mergeParts puts the parts of a split disclosure together. The parts are
// taken in the order of their SHA-256, so the merged document does not
// depend on which part arrived first; its source_path, format and encoding
// are the tables part's, its pages and size the parts' sums.
func mergeParts(parts []prepared, now time.Time) (transform.DocumentMeta, *transform.Result, error) {
	parts = slices.Clone(parts)
	slices.SortFunc(parts, func(a, b prepared) int { return strings.Compare(a.meta.DocumentID, b.meta.DocumentID) })
	var results []*transform.Result
	var ids []string
	meta := transform.DocumentMeta{IngestedAt: now}
	for _, p := range parts {
		fileOfRows(p.res, p.meta.DocumentID)
		results = append(results, p.res)
		ids = append(ids, p.meta.DocumentID)
		role := transform.Role(p.res)
		meta.Files = append(meta.Files, transform.FileMeta{SourcePath: p.meta.SourcePath, SHA256: p.meta.DocumentID, Role: role,
			SourceFormat: p.meta.SourceFormat, Encoding: p.meta.Encoding, Pages: p.meta.Pages, ByteSize: p.meta.ByteSize})
		meta.Pages += p.meta.Pages
		meta.ByteSize += p.meta.ByteSize
		if meta.SourcePath == "" || role == transform.RoleTables {
			meta.SourcePath, meta.SourceFormat, meta.Encoding = p.meta.SourcePath, p.meta.SourceFormat, p.meta.Encoding
		}
	}
	res, err := transform.Merge(results...)
	if err != nil {
		return meta, nil, err
	}
	// The facts the checks derive again on the merged result (a prior
	// year's figure from a stated change) come from the line of a fact
	// they derive from, in its file.
	from := map[[2]int]string{}
	for _, f := range res.Facts {
		if f.File != "" {
			from[[2]int{f.Page, f.Line}] = f.File
		}
	}
	for i, f := range res.Facts {
		if f.File == "" {
			res.Facts[i].File = from[[2]int{f.Page, f.Line}]
		}
	}
	meta.DocumentID = MergedID(ids...)
	return meta, res, nil
}

// fileOfRows records in each row of a part the file it was read from.
func fileOfRows(res *transform.Result, sha string) {
	for i := range res.Lines {
		res.Lines[i].File = sha
	}
	for i := range res.Tables {
		res.Tables[i].File = sha
	}
	for i := range res.Projects {
		res.Projects[i].File = sha
	}
	for i := range res.Forms {
		res.Forms[i].File = sha
	}
	for i := range res.Facts {
		res.Facts[i].File = sha
	}
}

// MergedID is the document id of a document merged from files with these
// SHA-256 hex strings: the SHA-256 of them sorted and joined by "\n".
func MergedID(sha256s ...string) string {
	ids := slices.Clone(sha256s)
	slices.Sort(ids)
	h := sha256.Sum256([]byte(strings.Join(ids, "\n")))
	return hex.EncodeToString(h[:])
}
