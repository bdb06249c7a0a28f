package main

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestRelayout(t *testing.T) {
	in := "标题\n" +
		"科目编码\t科目名称\t合计\n" +
		"合计\t\t1,014.50\n" +
		"2050101\t行政运行\t12.50\n" +
		"\f\t\t3.00\t\n" +
		"注：本表无数据\n"
	got := Relayout(in)
	lines := strings.Split(got, "\n")
	exp := []string{
		"标题",
		"科目编码  科目名称  合计",
		"合计" + strings.Repeat(" ", 16) + "1,014.50",
		"2050101   行政运行     12.50",
		"\f" + strings.Repeat(" ", 24) + "3.00", // the page break keeps the table's columns
		"注：本表无数据",
		"",
	}
	if len(lines) != len(exp) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(exp), got)
	}
	for i := range exp {
		if lines[i] != exp[i] {
			t.Errorf("line %d:\n got %q\nwant %q", i+1, lines[i], exp[i])
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, w := range map[string]int{"abc": 3, "合计": 4, "（一）": 6, "2,939.54": 8, "“三公”": 6} {
		if got := DisplayWidth(s); got != w {
			t.Errorf("DisplayWidth(%q) = %d, want %d", s, got, w)
		}
	}
}

func TestIsAmount(t *testing.T) {
	for c, want := range map[string]bool{"12.50": true, "1,036.18": true, "138,100": true, "0": true,
		"7": true, "100%": true, "2050101": false, "201": false, "20260107111928": false, "≥90%": false, "": false} {
		if IsAmount(c) != want {
			t.Errorf("IsAmount(%q) = %v", c, !want)
		}
	}
}

func TestGB18030(t *testing.T) {
	in := "部门名称：大同市云冈区教育局\n合计\t\t1.00\r\n\f末行\n"
	b, err := ToGB18030CRLF([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), "\r\n") != 3 || strings.Count(string(b), "\n") != 3 {
		t.Fatalf("line endings not CRLF: %q", b)
	}
	dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(string(dec), "\r\n", "\n"); got != strings.ReplaceAll(in, "\r\n", "\n") {
		t.Fatalf("round trip: %q", got)
	}
}
