package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// readDOC reads a Word 97–2003 document (.doc): LibreOffice headless
// converts it to .docx, read as one (tables as tables, merged cells
// kept). antiword and catdoc were measured and lose table rows of these
// documents (docs/office.md). Without LibreOffice the error names the
// package to install.
func readDOC(ctx context.Context, path string, b []byte) (*Office, error) {
	if !bytes.HasPrefix(b, cfbMagic) {
		if len(b) == 0 {
			return nil, ErrEmpty
		}
		return nil, errors.New("not a .doc document: it is not a compound file (nor HTML, nor a .docx zip)")
	}
	streams, names, err := cfbStreams(b, func(n string) bool { return n == "WordDocument" })
	if err != nil {
		return nil, err
	}
	wd, ok := streams["WordDocument"]
	if !ok {
		if containsName(names, "EncryptedPackage") {
			return nil, fmt.Errorf("document is %w", ErrProtected)
		}
		return nil, errors.New("not a Word document: the compound file has no WordDocument stream")
	}
	// The FIB: wIdent 0xA5EC, and fEncrypted in its flags word.
	if len(wd) < 12 || binary.LittleEndian.Uint16(wd) != 0xA5EC {
		return nil, errors.New("damaged Word document: its WordDocument stream does not start with a FIB")
	}
	if binary.LittleEndian.Uint16(wd[10:])&0x0100 != 0 {
		return nil, fmt.Errorf("document is %w", ErrProtected)
	}
	bin, err := SofficePath()
	if err != nil {
		return nil, err
	}
	return readDOCSoffice(ctx, bin, path, b)
}

// ErrNoSoffice is returned for a .doc when LibreOffice is not installed.
var ErrNoSoffice = errors.New("reading a .doc needs LibreOffice headless: apt-get install libreoffice-writer-nogui (soffice not found in PATH)")

// SofficePath finds LibreOffice's soffice (or libreoffice) in PATH.
func SofficePath() (string, error) {
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoSoffice
}

// readDOCSoffice has LibreOffice convert the document to .docx and reads
// that.
func readDOCSoffice(ctx context.Context, bin, path string, b []byte) (*Office, error) {
	dir, err := os.MkdirTemp("", "gongkai-soffice")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.doc")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	// A profile of its own: a LibreOffice already running (or another
	// conversion at once) does not take the job.
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "docx:MS Word 2007 XML", "--outdir", dir, in)
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("soffice failed: %v: %s", err, strings.TrimSpace(string(msg)))
	}
	x, err := os.ReadFile(filepath.Join(dir, "in.docx"))
	if err != nil {
		return nil, fmt.Errorf("soffice wrote no .docx: %v", err)
	}
	return readDOCX(path, x)
}
