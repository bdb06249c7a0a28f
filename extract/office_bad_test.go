package extract_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gongkai/gongkai/extract"
)

func officeFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "fixtures", "office", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// workbook writes a workbook made by f with excelize's options (a
// password encrypts it) and returns its bytes.
func workbook(t *testing.T, f *excelize.File, opts ...excelize.Options) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := f.SaveAs(path, opts...); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOfficeBadInputs: a file an office reader cannot read fails with an
// error naming the file and saying why; one it can read in part says
// what it left out.
func TestOfficeBadInputs(t *testing.T) {
	xlsx := officeFixture(t, "shuozhou-dangqun-2026-budget.xlsx")
	xls := officeFixture(t, "shuozhou-dangqun-2026-budget.xls")
	docx := officeFixture(t, "shuozhou-dangqun-2026-budget.docx")

	protected := excelize.NewFile()
	protected.SetCellStr("Sheet1", "A1", "2026年预算收支总表")
	empty := excelize.NewFile()
	hiddenOnly := excelize.NewFile()
	hiddenOnly.SetCellStr("Sheet1", "A1", "底稿")
	hiddenOnly.NewSheet("空表")
	hiddenOnly.SetActiveSheet(1)
	if err := hiddenOnly.SetSheetVisible("Sheet1", false); err != nil {
		t.Fatal(err)
	}

	// A zip whose members' data is damaged: the central directory is
	// intact, the sheets are not.
	corrupt := bytes.Clone(xlsx)
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			off, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			for i := off; i < off+int64(f.CompressedSize64) && i < off+64; i++ {
				corrupt[i] ^= 0x5A
			}
		}
	}

	type badCase struct {
		name, file string
		b          []byte
		why        string // in the error
		is         error  // errors.Is, when set
	}
	cases := []badCase{
		{"password-protected workbook", "secret.xlsx", workbook(t, protected, excelize.Options{Password: "gongkai"}), "password-protected", extract.ErrProtected},
		{"password-protected workbook named .xls", "secret.xls", workbook(t, protected, excelize.Options{Password: "gongkai"}), "password-protected", extract.ErrProtected},
		{"zip cut short", "cut.xlsx", xlsx[:len(xlsx)/2], "not a readable zip archive", nil},
		{"zip with damaged members", "damaged.xlsx", corrupt, "damaged workbook", nil},
		{"docx cut short", "cut.docx", docx[:len(docx)/3], "not a readable zip archive", nil},
		{"truncated .xls", "cut.xls", xls[:len(xls)/2], "truncated", nil},
		{"truncated .xls header", "head.xls", xls[:600], "truncated", nil},
		{"workbook with no cell", "empty.xlsx", workbook(t, empty), "no visible text", extract.ErrEmpty},
		{"workbook whose only content is hidden", "hidden.xlsx", workbook(t, hiddenOnly), "no visible text", extract.ErrEmpty},
		{"empty .xls", "zero.xls", nil, "empty", extract.ErrEmpty},
		{"empty HTML", "blank.html", []byte("  \n"), "empty", extract.ErrEmpty},
	}
	cases = append(cases,
		badCase{"password-protected .xls (FILEPASS)", "secret97.xls", encryptedXLS(t, xls), "password-protected", extract.ErrProtected},
		badCase{"password-protected .doc (fEncrypted)", "secret.doc", encryptedDOC(t, officeFixture(t, "split/附件1.doc")), "password-protected", extract.ErrProtected},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join("in", c.file)
			kind := extract.OfficeKind(path, c.b)
			o, err := extract.ReadOffice(context.Background(), path, c.b, kind)
			if err == nil {
				t.Fatalf("read %d lines, want an error", len(o.Doc.Lines))
			}
			if !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), c.why) {
				t.Errorf("error %q: want it to name %s and say %q", err, path, c.why)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %q is not %v", err, c.is)
			}
		})
	}
}

// TestOfficeMacros: a macro-enabled workbook is read, its macros neither
// run nor read, and says so.
func TestOfficeMacros(t *testing.T) {
	b := officeFixture(t, "shuozhou-dangqun-2026-budget.xlsm")
	o, err := extract.ReadOffice(context.Background(), "m.xlsm", b, extract.OfficeKind("m.xlsm", b))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range o.Findings {
		found = found || f.CheckID == "office.macros_ignored"
	}
	if !found {
		t.Errorf("findings %v: want office.macros_ignored", o.Findings)
	}
	// the same workbook without its macros gives the same lines
	plain := readOffice(t, filepath.Join("..", "fixtures", "office", "shuozhou-dangqun-2026-budget.xlsx"))
	if len(o.Doc.Lines) < len(plain.Doc.Lines)/2 {
		t.Errorf("%d lines read from the .xlsm, %d from the .xlsx", len(o.Doc.Lines), len(plain.Doc.Lines))
	}
}

// TestOfficeHiddenAndExact: the workbook fixture's hidden sheet, rows and
// columns are reported and not read, and a stored 330.23000000000007 is
// read as its number format shows it, the stored value recorded.
func TestOfficeHiddenAndExact(t *testing.T) {
	for _, name := range []string{"shuozhou-dangqun-2026-budget.xlsx", "shuozhou-dangqun-2026-budget.xls"} {
		t.Run(name, func(t *testing.T) {
			o := readOffice(t, filepath.Join("..", "fixtures", "office", name))
			ids := map[string]int{}
			for _, f := range o.Findings {
				ids[f.CheckID]++
			}
			if ids["office.hidden_sheet"] != 1 || ids["office.hidden_rows"] == 0 || ids["office.hidden_columns"] == 0 {
				t.Errorf("findings by check: %v; want one hidden sheet, hidden rows and columns", ids)
			}
			for _, l := range o.Doc.Lines {
				if strings.Contains(l.Text, "隐藏行") || strings.Contains(l.Text, "888.88") || strings.Contains(l.Text, "990.69") {
					t.Errorf("line %d:%d %q: a hidden row, column or sheet was read", l.Page, l.No, l.Text)
				}
			}
			noise := 0
			for _, c := range o.Corrections {
				if c.Rule == "office.number_format" && strings.HasPrefix(c.Raw, "330.230000000000") && c.Normalized == "330.23" {
					noise++
				}
			}
			if noise == 0 {
				t.Errorf("no correction of a stored 330.230000000000… to 330.23 among %d corrections", len(o.Corrections))
			}
		})
	}
}

// encryptedXLS marks a workbook as encrypted the way Excel does, with a
// FILEPASS record among its globals: the WRITEACCESS record (0x005C)
// after the globals' BOF becomes one, in place.
func encryptedXLS(t *testing.T, b []byte) []byte {
	t.Helper()
	b = bytes.Clone(b)
	bof := bytes.Index(b, []byte{0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00}) // BOF, BIFF8, globals
	if bof < 0 {
		t.Fatal("no BOF of workbook globals")
	}
	for off := bof; off+4 <= len(b); {
		typ, n := binary.LittleEndian.Uint16(b[off:]), int(binary.LittleEndian.Uint16(b[off+2:]))
		if typ == 0x005C {
			binary.LittleEndian.PutUint16(b[off:], 0x002F)
			return b
		}
		off += 4 + n
	}
	t.Fatal("no WRITEACCESS record")
	return nil
}

// encryptedDOC sets the FIB's fEncrypted flag of a Word document.
func encryptedDOC(t *testing.T, b []byte) []byte {
	t.Helper()
	b = bytes.Clone(b)
	fib := -1 // the WordDocument stream starts a sector with wIdent
	for i := 512; i+12 <= len(b); i += 512 {
		if b[i] == 0xEC && b[i+1] == 0xA5 {
			fib = i
			break
		}
	}
	if fib < 0 {
		t.Fatal("no FIB")
	}
	b[fib+11] |= 0x01
	return b
}

// Without LibreOffice a .doc fails saying which package to install.
func TestOfficeDOCWithoutSoffice(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	b := officeFixture(t, "split/附件1.doc")
	_, err := extract.ReadOffice(context.Background(), "n.doc", b, extract.KindDOC)
	if !errors.Is(err, extract.ErrNoSoffice) || !strings.Contains(err.Error(), "apt-get install libreoffice-writer-nogui") || !strings.HasPrefix(err.Error(), "n.doc: ") {
		t.Errorf("error %v: want it to name the file and the package to install", err)
	}
}
