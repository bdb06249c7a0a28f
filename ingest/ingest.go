package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/load"
	"github.com/gongkai/gongkai/transform"
)

// DefaultGroup is how many parsed documents the writer stages together.
const DefaultGroup = 32

// writeAtLeast is how many parsed documents the writer holds before it
// writes them while the next file is still being read (at the end of the
// input it writes what it holds). Measured on the 32 real disclosures with
// one file read per core: writing whatever was held whenever the next file
// was not ready made fourteen writes of one to four documents and took 1.75 s;
// see BENCHMARKS.md.
const writeAtLeast = 8

// DefaultMaxBytes is the default size limit of one input file.
const DefaultMaxBytes = 64 << 20

// Ingester runs extract → transform → load over files and folders, each
// document whole or not at all, recording every file in the ledger. A file that
// fails is reported and recorded; the others still load.
type Ingester struct {
	W        *load.Warehouse // nil only with DryRun
	Log      *zap.Logger
	MaxBytes int64              // files larger than this fail; 0 means DefaultMaxBytes
	DryRun   bool               // parse and report, write nothing
	PDF      extract.PDFBackend // nil means extract.Auto: the native reader, else PDFium (WebAssembly)
	Workers  int                // documents parsed at once; 0 means the number of cores
	Group    int                // parsed documents written together (each whole or not at all); 0 means DefaultGroup
	OCR      *extract.OCR       // reads PDFs without a usable text layer; nil: they fail
	Shard    Shard              // this machine's share of the files; zero: all
	// Progress, when set, is called after each file with the files done,
	// the files in the run and the file's result.
	Progress func(done, total int, fr FileResult)
	Now      func() time.Time

	seen map[string]load.SeenFile // the ledger's last look at each path, read at the start of a run
}

var defaultPDF extract.PDFBackend = &extract.Auto{}

// FileResult is the outcome of one file.
type FileResult struct {
	Path       string
	DocumentID string // the document the file is, or is a part of (split.go); "" when it was not read
	Outcome    string // loaded, unchanged, failed
	Err        error
	Identity   transform.Identity
	Size       int64     // bytes, as stat saw them
	ModTime    time.Time // as stat saw it
	Skipped    bool      // unchanged by size and mtime: not read at all
	Pages      int       // pages (form-feed pages of a text export; PDF pages)
	Role       string    // what the file holds: transform.RoleWhole, RoleTables or RoleNarrative
}

// record is the file's row of the ledger.
func (fr FileResult) record() load.FileRecord {
	return load.FileRecord{Path: fr.Path, DocumentID: fr.DocumentID, Outcome: fr.Outcome, Err: fr.Err, Size: fr.Size, ModTime: fr.ModTime}
}

// Summary counts a run's outcomes.
type Summary struct {
	RunID                           string
	Seen, Loaded, Unchanged, Failed int
	Files                           []FileResult
}

// supported reports whether a file found while walking a folder is an input.
func supported(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".text", ".pdf":
		return true
	}
	return false
}

// Collect expands paths: files as given, folders walked recursively for
// supported files, in a stable order. Each file's key is its path relative
// to the folder it was found in (its base name when given directly), the
// same on every machine that mounts the corpus elsewhere: --shard uses it.
func Collect(paths []string) (files, keys []string, err error) {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: %w", p, err)
		}
		if !st.IsDir() {
			files, keys = append(files, p), append(keys, filepath.Base(p))
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("walk %s: %w", path, err)
			}
			if d.Type().IsRegular() && supported(path) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		sort.Strings(found)
		for _, f := range found {
			rel, err := filepath.Rel(p, f)
			if err != nil {
				rel = f
			}
			files, keys = append(files, f), append(keys, filepath.ToSlash(rel))
		}
	}
	return files, keys, nil
}

// Shard is this machine's share of a corpus: files whose key hashes to
// Index (1-based) of Count. The zero value takes every file.
type Shard struct{ Index, Count int }

// ParseShard reads "i/n".
func ParseShard(s string) (Shard, error) {
	var sh Shard
	if _, err := fmt.Sscanf(s, "%d/%d", &sh.Index, &sh.Count); err != nil || sh.Count < 1 || sh.Index < 1 || sh.Index > sh.Count {
		return Shard{}, fmt.Errorf("--shard %q: want i/n with 1 ≤ i ≤ n", s)
	}
	return sh, nil
}

// Takes reports whether the shard takes the file with this key.
func (sh Shard) Takes(key string) bool {
	if sh.Count <= 1 {
		return true
	}
	h := sha256.Sum256([]byte(key))
	v := uint64(h[0])<<24 | uint64(h[1])<<16 | uint64(h[2])<<8 | uint64(h[3])
	return int(v%uint64(sh.Count)) == sh.Index-1
}

// Run ingests the given paths and returns the run's summary.
func (in *Ingester) Run(ctx context.Context, paths []string) (*Summary, error) {
	now := time.Now
	if in.Now != nil {
		now = in.Now
	}
	log := in.Log
	if log == nil {
		log = zap.NewNop()
	}
	all, keys, err := Collect(paths)
	if err != nil {
		return nil, err
	}
	var files []string
	for i, f := range all {
		if in.Shard.Takes(keys[i]) {
			files = append(files, f)
		}
	}
	sum := &Summary{RunID: load.NewRunID(now())}
	if !in.DryRun {
		if err := in.W.StartRun(ctx, sum.RunID, now()); err != nil {
			return nil, fmt.Errorf("start run: %w", err)
		}
		if in.seen, err = in.W.LastSeen(ctx); err != nil {
			return nil, fmt.Errorf("ledger: %w", err)
		}
	}
	// Extract and transform run concurrently, bounded by the cores; one
	// writer loads in input order, up to `group` documents at a time (each
	// each whole or not at all, see Warehouse.LoadGroup). A slot is
	// released only when its file is written (or parked as a part of a
	// split disclosure, split.go), so at most workers + group + parkLimit
	// parsed documents are held in memory.
	workers := in.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	group := in.Group
	if group <= 0 {
		group = DefaultGroup
	}
	slots := make(chan struct{}, workers+group)
	ready := make([]chan prepared, len(files))
	for i := range ready {
		ready[i] = make(chan prepared, 1)
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// At most `workers` files are read at once; a slot holds a file from
	// its read until it is written. (Without the second bound, up to
	// workers+group reads ran at once and waited for the PDF reader's
	// instances, one per core, past its 30 s timeout under load.)
	reading := make(chan struct{}, workers)
	go func() {
		for i, f := range files {
			select {
			case slots <- struct{}{}:
			case <-pctx.Done():
				return
			}
			go func(i int, f string) {
				reading <- struct{}{}
				pr := in.prepare(pctx, f, now)
				<-reading
				ready[i] <- pr
			}(i, f)
		}
	}()
	var pending []load.FileRecord
	var held []*doc // read in order, not yet written
	parsed := 0
	done := 0
	// flush writes the held documents, then reports and records their files in order.
	flush := func() error {
		results := in.commitGroup(ctx, held, now)
		for _, d := range held {
			for range d.slots {
				<-slots
			}
		}
		loaded := false
		for _, fr := range results {
			done++
			if in.Progress != nil {
				in.Progress(done, len(files), fr)
			}
			sum.Seen++
			switch fr.Outcome {
			case "loaded":
				sum.Loaded++
				loaded = true
				log.Info("loaded", zap.String("path", fr.Path), zap.String("document_id", fr.DocumentID), zap.String("role", fr.Role),
					zap.String("department", fr.Identity.DepartmentName), zap.Int("fiscal_year", fr.Identity.FiscalYear), zap.String("stage", fr.Identity.Stage))
			case "unchanged":
				sum.Unchanged++
				log.Info("unchanged", zap.String("path", fr.Path), zap.String("document_id", fr.DocumentID))
			default:
				sum.Failed++
				log.Error("failed", zap.String("path", fr.Path), zap.Error(fr.Err))
			}
			sum.Files = append(sum.Files, fr)
		}
		held, parsed = held[:0], 0
		if in.DryRun {
			return nil
		}
		// Loaded files go to the ledger with their group; unchanged and
		// failed ones in batches (a re-run over a large unchanged tree stays cheap).
		for _, fr := range results {
			pending = append(pending, fr.record())
		}
		if loaded || len(pending) >= 1000 {
			if err := in.W.RecordFiles(ctx, sum.RunID, pending); err != nil {
				return fmt.Errorf("ledger: %w", err)
			}
			pending = pending[:0]
		}
		return nil
	}
	hold := func(d *doc) error {
		held = append(held, d)
		if d.res != nil {
			parsed++
		}
		if parsed >= group {
			return flush()
		}
		return nil
	}
	// The parts of split disclosures wait here for each other (split.go).
	park := &parking{limit: parkLimit}
	for i := range files {
		var pr prepared
		select {
		case pr = <-ready[i]:
		default:
			// The next file is not parsed yet: write what is held before
			// waiting, once it is enough to be worth a write (a write has a
			// fixed cost, 40–150 ms for the staging tables, whatever it holds).
			if parsed >= min(group, writeAtLeast) {
				if err := flush(); err != nil {
					return sum, err
				}
			}
			select {
			case pr = <-ready[i]:
			case <-ctx.Done():
				return sum, ctx.Err()
			}
		}
		d := &doc{files: []prepared{pr}, meta: pr.meta, res: pr.res, slots: 1}
		if pr.fr.Outcome != "parsed" {
			if err := hold(d); err != nil {
				return sum, err
			}
			continue
		}
		if !isPart(pr) {
			// A part of the same document waiting goes first: the later file supersedes it.
			if p := park.take(keyOf(pr.res.Identity)); p != nil {
				if err := hold(p); err != nil {
					return sum, err
				}
			}
			if err := hold(d); err != nil {
				return sum, err
			}
			continue
		}
		<-slots // a waiting part holds no parse slot; parkLimit bounds them
		d.slots = 0
		for _, w := range in.parkPart(park, d, now) {
			if err := hold(w); err != nil {
				return sum, err
			}
		}
	}
	for _, p := range park.drain() {
		if err := hold(p); err != nil {
			return sum, err
		}
	}
	if len(held) > 0 {
		if err := flush(); err != nil {
			return sum, err
		}
	}
	if !in.DryRun {
		if err := in.W.RecordFiles(ctx, sum.RunID, pending); err != nil {
			return sum, fmt.Errorf("ledger: %w", err)
		}
		if sum.Loaded > 0 {
			if err := in.W.CrossCheck(ctx); err != nil {
				return sum, err
			}
		}
		if err := in.W.FinishRun(ctx, sum.RunID, now()); err != nil {
			return sum, fmt.Errorf("finish run: %w", err)
		}
	}
	return sum, nil
}

// prepared is a file read and parsed, waiting for the writer.
type prepared struct {
	fr   FileResult
	meta transform.DocumentMeta // the file's own: DocumentID is its SHA-256
	res  *transform.Result
}

// doc is what the writer writes as one document: a file, or the files of a
// split disclosure merged (split.go).
type doc struct {
	files []prepared             // this run's files of the document, in input order
	meta  transform.DocumentMeta // the document's
	res   *transform.Result      // nil when its file was not parsed (failed, unchanged)
	slots int                    // parse slots its files still hold
	err   error                  // the writer's outcome
}

// prepare reads and parses one file; safe to run concurrently. A panic
// inside a parser becomes that file's error.
func (in *Ingester) prepare(ctx context.Context, path string, now func() time.Time) (pr prepared) {
	fr := &pr.fr
	*fr = FileResult{Path: path, Outcome: "failed"}
	limit := in.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	st, err := os.Stat(path)
	if err != nil {
		fr.Err = err
		return pr
	}
	fr.Size, fr.ModTime = st.Size(), st.ModTime()
	if !in.DryRun {
		// Incremental: the same size and mtime as when last loaded means the
		// same file; it is not read.
		if s, ok := in.seen[path]; ok && s.Size == st.Size() && s.ModTime.Equal(st.ModTime().UTC().Truncate(time.Microsecond)) {
			fr.DocumentID, fr.Outcome, fr.Skipped = s.DocumentID, "unchanged", true
			return pr
		}
	}
	if st.Size() > limit {
		fr.Err = fmt.Errorf("%s: file is %d bytes, over the limit of %d", path, st.Size(), limit)
		return pr
	}
	b, err := os.ReadFile(path)
	if err != nil {
		fr.Err = err
		return pr
	}
	h := sha256.Sum256(b)
	fr.DocumentID = hex.EncodeToString(h[:])
	if !in.DryRun {
		// The same bytes are loaded: as a document, or as a part of one.
		id, err := in.W.DocumentOf(ctx, fr.DocumentID)
		if err != nil {
			fr.Err = fmt.Errorf("%s: %w", path, err)
			return pr
		}
		if id != "" {
			fr.DocumentID, fr.Outcome = id, "unchanged"
			return pr
		}
	}
	meta, res, err := in.parse(ctx, path, b, fr.DocumentID, now().UTC())
	if err != nil {
		fr.Err = err
		return pr
	}
	// The identity outlives the document (the run's summary keeps it): copy
	// its strings, which may point into the whole decoded text.
	fr.Identity = transform.Identity{
		Region: strings.Clone(res.Identity.Region), DepartmentCode: strings.Clone(res.Identity.DepartmentCode),
		DepartmentName: strings.Clone(res.Identity.DepartmentName), FiscalYear: res.Identity.FiscalYear,
		Stage: strings.Clone(res.Identity.Stage), Scope: strings.Clone(res.Identity.Scope), Source: strings.Clone(res.Identity.Source),
	}
	fr.Pages, fr.Role = meta.Pages, transform.Role(res)
	fr.Outcome = "parsed"
	pr.meta, pr.res = meta, res
	return pr
}

// parse reads a file's bytes with the reader its kind needs (PDF, OCR for
// a PDF without a text layer when configured, text export) and parses
// them. A panic inside a reader or the parser becomes the error.
func (in *Ingester) parse(ctx context.Context, path string, b []byte, sha string, now time.Time) (meta transform.DocumentMeta, res *transform.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%s: internal error while parsing: %v", path, r)
		}
	}()
	meta = transform.DocumentMeta{DocumentID: sha, SourcePath: path, ByteSize: int64(len(b)), IngestedAt: now}
	var d *extract.Document
	switch {
	case strings.EqualFold(filepath.Ext(path), ".pdf") || bytesHasPrefix(b, "%PDF-"):
		be := in.PDF
		if be == nil {
			be = defaultPDF
		}
		d, err = extract.ReadPDF(ctx, path, b, be)
		meta.SourceFormat = "pdf"
		if errors.Is(err, extract.ErrNoTextLayer) && in.OCR != nil {
			// A scan: read it with OCR instead.
			d, err = extract.ReadScanned(ctx, path, b, in.OCR)
			meta.SourceFormat = "scanned_pdf"
		}
		if err != nil {
			return meta, nil, err
		}
	default:
		if d, err = extract.ReadText(path, b); err != nil {
			return meta, nil, err
		}
		meta.SourceFormat, meta.Encoding = "text", d.Encoding
	}
	meta.Pages = d.Pages
	res, err = transform.Parse(d)
	return meta, res, err
}

// commitGroup writes the parsed documents among docs (the single writer)
// and returns every file's result, in order. A part of a split disclosure
// whose other part is already in the warehouse is merged with it first
// (complete), after the documents before it are written, so that it sees
// them.
func (in *Ingester) commitGroup(ctx context.Context, docs []*doc, now func() time.Time) []FileResult {
	var batch []*doc
	keys := map[identityKey]bool{} // the identities in batch
	write := func() {
		if len(batch) == 0 {
			return
		}
		lds := make([]load.Doc, len(batch))
		for j, d := range batch {
			lds[j] = load.Doc{Meta: d.meta, Res: d.res}
		}
		for j, err := range in.W.LoadGroup(ctx, lds) {
			batch[j].err = err
		}
		batch = batch[:0]
		clear(keys)
	}
	for _, d := range docs {
		if d.res == nil || in.DryRun {
			continue
		}
		k := keyOf(d.res.Identity)
		if len(d.files) == 1 && isPart(d.files[0]) {
			if keys[k] {
				write() // the warehouse must show the documents of its identity before it
			}
			in.complete(ctx, d, now().UTC())
		}
		batch = append(batch, d)
		keys[k] = true
	}
	write()
	var out []FileResult
	for _, d := range docs {
		for _, pr := range d.files {
			fr := pr.fr
			if d.res != nil {
				fr.DocumentID = d.meta.DocumentID
				switch {
				case d.err == nil:
					fr.Outcome = "loaded"
				case errors.Is(d.err, load.ErrUnchanged):
					fr.Outcome = "unchanged"
				default:
					fr.Outcome = "failed"
					fr.Err = fmt.Errorf("%s: %w", fr.Path, d.err)
				}
			}
			out = append(out, fr)
		}
	}
	return out
}

func bytesHasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}
