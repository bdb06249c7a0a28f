package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tokens lists a part's tokens as xmlScan reads them: start tags with the
// attributes the sheet reader asks for, end tags, text.
func scanTokens(b []byte) ([]string, error) {
	var out []string
	err := xmlScan(b, func(ev *xmlEvent) error {
		switch ev.kind {
		case xmlStart:
			s := "<" + string(ev.name)
			for _, a := range []string{"r", "t", "s", "ref", "hidden", "min", "max"} {
				if v, ok := ev.attr(a); ok {
					s += " " + a + "=" + v
				}
			}
			out = append(out, s)
		case xmlEnd:
			out = append(out, "</"+string(ev.name))
		case xmlText:
			out = append(out, "#"+string(ev.text))
		}
		return nil
	})
	return out, err
}

// decodeTokens lists them as encoding/xml reads them.
func decodeTokens(b []byte) ([]string, error) {
	var out []string
	dec := xml.NewDecoder(bytes.NewReader(b))
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if _, ok := tok.(xml.CharData); !ok && text.Len() > 0 {
			out = append(out, "#"+text.String())
			text.Reset()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			s := "<" + t.Name.Local
			for _, a := range []string{"r", "t", "s", "ref", "hidden", "min", "max"} {
				for _, at := range t.Attr {
					if at.Name.Local == a {
						s += " " + a + "=" + at.Value
						break
					}
				}
			}
			out = append(out, s)
		case xml.EndElement:
			out = append(out, "</"+t.Name.Local)
		case xml.CharData:
			text.Write(t)
		}
	}
}

// xmlScan reads every sheet of the workbook fixtures as encoding/xml
// does, and entities, CDATA, comments and self-closing tags too.
func TestXMLScan(t *testing.T) {
	cases := map[string][]byte{
		"entities": []byte(`<?xml version="1.0"?><!-- a <c> in a comment --><r a='x&amp;y'><c r="A1" t="inlineStr"><is><t>&lt;1&gt; &#20013;&#x6587; &quot;q&apos;</t></is></c><v><![CDATA[<raw>&amp;]]></v><e/></r>`),
	}
	paths, _ := filepath.Glob(filepath.Join("..", "fixtures", "office", "*.xls[xm]"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "xl/worksheets/") && strings.HasSuffix(f.Name, ".xml") {
				data, err := readPart(f)
				if err != nil {
					t.Fatal(err)
				}
				cases[filepath.Base(p)+"/"+f.Name] = data
			}
		}
	}
	if got := string(xmlUnescape(nil, []byte("a &bogus; &#xZZ; & b"))); got != "a &bogus; &#xZZ; & b" {
		t.Errorf("unknown references: %q, want them kept as written", got)
	}
	if len(cases) < 40 {
		t.Fatalf("%d parts, want the fixtures' sheets", len(cases))
	}
	for name, b := range cases {
		got, err := scanTokens(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := decodeTokens(b)
		if err != nil {
			t.Fatalf("%s: encoding/xml: %v", name, err)
		}
		if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
			t.Errorf("%s:\n got %.400s\nwant %.400s", name, g, w)
		}
	}
}

// FuzzXMLScan: any bytes end or fail, never panic, and a tag xmlScan
// reads lies inside the input.
func FuzzXMLScan(f *testing.F) {
	f.Add([]byte(`<row r="1" hidden="1"><c r="A1" s="2" t="s"><v>0</v></c><c r="B1"><f>A1</f><v>1.5</v></c></row>`))
	f.Add([]byte(`<a x='&#x4e2d;&amp;'><![CDATA[z]]><!-- c --><?p?><b/></a>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = xmlScan(b, func(ev *xmlEvent) error {
			if len(ev.name) > len(b) || len(ev.attrs) > len(b) {
				t.Fatalf("a token longer than its input")
			}
			_, _ = ev.attr("r")
			return nil
		})
	})
}
