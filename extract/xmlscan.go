package extract

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf8"
)

// xmlScan is a small XML tokenizer for the parts of an office package
// read cell by cell (a workbook's sheets): start and end tags with their
// local names, attributes looked up on demand, text with entities
// resolved. encoding/xml allocates every name and attribute of every
// token, and was two thirds of the time reading the seed workbook took.
// It checks no more than it needs: tags need not match, namespaces are
// not resolved (prefixes are dropped), a DOCTYPE is skipped.

type xmlKind int

const (
	xmlStart xmlKind = iota
	xmlEnd
	xmlText
)

// xmlEvent is one token; its slices point into the scanned bytes or a
// buffer reused by the next event.
type xmlEvent struct {
	kind  xmlKind
	name  []byte // local name of a start or end tag
	attrs []byte // a start tag's attributes, as written
	text  []byte // text, entities resolved
}

var errXMLSyntax = errors.New("XML syntax: a tag is not closed")

// xmlScan calls fn on each token of b; a tag written <x/> is a start and
// an end.
func xmlScan(b []byte, fn func(*xmlEvent) error) error {
	var ev xmlEvent
	var buf []byte
	i := 0
	for i < len(b) {
		lt := bytes.IndexByte(b[i:], '<')
		if lt < 0 {
			lt = len(b) - i
		}
		if lt > 0 {
			ev = xmlEvent{kind: xmlText, text: b[i : i+lt]}
			if bytes.IndexByte(ev.text, '&') >= 0 {
				buf = xmlUnescape(buf[:0], ev.text)
				ev.text = buf
			}
			if err := fn(&ev); err != nil {
				return err
			}
		}
		i += lt
		if i >= len(b) {
			break
		}
		rest := b[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest, []byte("?>"))
			if end < 0 {
				return errXMLSyntax
			}
			i += end + 2
			continue
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return errXMLSyntax
			}
			i += 4 + end + 3
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end := bytes.Index(rest[9:], []byte("]]>"))
			if end < 0 {
				return errXMLSyntax
			}
			ev = xmlEvent{kind: xmlText, text: rest[9 : 9+end]}
			if err := fn(&ev); err != nil {
				return err
			}
			i += 9 + end + 3
			continue
		case bytes.HasPrefix(rest, []byte("<!")):
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				return errXMLSyntax
			}
			i += end + 1
			continue
		}
		// a tag: its end is the first > outside quotes
		end, q := -1, byte(0)
		for j := 1; j < len(rest); j++ {
			c := rest[j]
			switch {
			case q != 0:
				if c == q {
					q = 0
				}
			case c == '"' || c == '\'':
				q = c
			case c == '>':
				end = j
			}
			if end >= 0 {
				break
			}
		}
		if end < 0 {
			return errXMLSyntax
		}
		tag := rest[1:end]
		i += end + 1
		if len(tag) > 0 && tag[0] == '/' {
			ev = xmlEvent{kind: xmlEnd, name: localName(bytes.TrimSpace(tag[1:]))}
			if err := fn(&ev); err != nil {
				return err
			}
			continue
		}
		self := len(tag) > 0 && tag[len(tag)-1] == '/'
		if self {
			tag = tag[:len(tag)-1]
		}
		n := 0
		for n < len(tag) && !isXMLSpace(tag[n]) {
			n++
		}
		name := localName(tag[:n])
		ev = xmlEvent{kind: xmlStart, name: name, attrs: tag[n:]}
		if err := fn(&ev); err != nil {
			return err
		}
		if self {
			ev = xmlEvent{kind: xmlEnd, name: name}
			if err := fn(&ev); err != nil {
				return err
			}
		}
	}
	return nil
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// localName drops a name's prefix (x:c is c).
func localName(n []byte) []byte {
	if k := bytes.LastIndexByte(n, ':'); k >= 0 {
		return n[k+1:]
	}
	return n
}

// attr is the value of a start tag's attribute by local name, entities
// resolved.
func (ev *xmlEvent) attr(name string) (string, bool) {
	a := ev.attrs
	for len(a) > 0 {
		for len(a) > 0 && isXMLSpace(a[0]) {
			a = a[1:]
		}
		eq := bytes.IndexByte(a, '=')
		if eq < 0 {
			return "", false
		}
		key := localName(bytes.TrimSpace(a[:eq]))
		a = bytes.TrimLeft(a[eq+1:], " \t\r\n")
		if len(a) == 0 || (a[0] != '"' && a[0] != '\'') {
			return "", false
		}
		q := a[0]
		end := bytes.IndexByte(a[1:], q)
		if end < 0 {
			return "", false
		}
		val := a[1 : 1+end]
		a = a[1+end+1:]
		if string(key) == name {
			if bytes.IndexByte(val, '&') >= 0 {
				return string(xmlUnescape(nil, val)), true
			}
			return string(val), true
		}
	}
	return "", false
}

// xmlUnescape appends s to dst with its entity and character references
// resolved; an unknown one is kept as written.
func xmlUnescape(dst, s []byte) []byte {
	for len(s) > 0 {
		amp := bytes.IndexByte(s, '&')
		if amp < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:amp]...)
		s = s[amp:]
		semi := bytes.IndexByte(s, ';')
		if semi < 0 || semi > 12 {
			dst = append(dst, '&')
			s = s[1:]
			continue
		}
		ent := s[1:semi]
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			var r uint64
			var err error = strconv.ErrSyntax
			if len(ent) > 1 && ent[0] == '#' {
				if ent[1] == 'x' || ent[1] == 'X' {
					r, err = strconv.ParseUint(string(ent[2:]), 16, 32)
				} else {
					r, err = strconv.ParseUint(string(ent[1:]), 10, 32)
				}
			}
			if err != nil || r > utf8.MaxRune {
				dst = append(dst, s[:semi+1]...)
			} else {
				dst = utf8.AppendRune(dst, rune(r))
			}
		}
		s = s[semi+1:]
	}
	return dst
}
