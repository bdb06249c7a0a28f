package extract

import (
	"encoding/binary"
	"errors"
	"sync"
)

// inflate decodes a zlib (RFC 1950) or raw deflate (RFC 1951) stream held
// in memory. It is the hot path of the native reader — font programs of a
// few hundred kilobytes each, and content streams — and runs several times
// faster than compress/zlib, which reads its input a byte at a time through
// an interface: a 64-bit bit buffer over the input slice, two-level
// Huffman tables and copies straight into the output. It does not check
// the Adler-32 sum (neither does PDFium's reading of a damaged stream
// fail on it). Any malformed input is an error; the caller then reads the
// stream the slow way.

var errInflate = errors.New("deflate stream not decodable")

const (
	litRoot  = 11
	distRoot = 8
)

// invalidEntry fills the table slots no code reaches: no bits, and a
// symbol (511) past every valid one, so that the decoding loop finds it
// where it handles the rare symbols.
const invalidEntry = 511 << 16

type huffTable struct {
	t    []uint32
	root uint
}

// build makes a table from code lengths; ok false for an over-subscribed
// set of lengths.
func (h *huffTable) build(lens []uint8, root uint) bool {
	var count [16]int
	maxLen := 0
	for _, l := range lens {
		count[l]++
		if int(l) > maxLen {
			maxLen = int(l)
		}
	}
	count[0] = 0
	left := 1
	for l := 1; l < 16; l++ {
		left <<= 1
		left -= count[l]
		if left < 0 {
			return false
		}
	}
	var next [16]int
	code := 0
	for l := 1; l < 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	h.root = root
	size := 1 << root
	sub := uint(0)
	if maxLen > int(root) {
		sub = uint(maxLen) - root
	}
	// root table, then one subtable of 1<<sub entries per root prefix in use
	if cap(h.t) >= size {
		h.t = h.t[:size]
	} else {
		h.t = make([]uint32, size, size*2)
	}
	for i := range h.t {
		h.t[i] = invalidEntry
	}
	for sym, l := range lens {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		rev := reverseBits(uint32(c), uint(l))
		if uint(l) <= root {
			for i := rev; i < uint32(size); i += 1 << l {
				h.t[i] = uint32(sym)<<16 | uint32(l)
			}
			continue
		}
		prefix := rev & uint32(size-1)
		e := h.t[prefix]
		if e&0x8000 == 0 {
			base := len(h.t)
			for range 1 << sub {
				h.t = append(h.t, invalidEntry)
			}
			e = uint32(base)<<16 | 0x8000 | uint32(sub)
			h.t[prefix] = e
		}
		base := e >> 16
		for i := rev >> root; i < 1<<sub; i += 1 << (uint(l) - root) {
			h.t[base+i] = uint32(sym)<<16 | uint32(l)
		}
	}
	return true
}

func reverseBits(c uint32, n uint) uint32 {
	var r uint32
	for i := uint(0); i < n; i++ {
		r = r<<1 | c&1
		c >>= 1
	}
	return r
}

var (
	lenBase   = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra  = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase  = [30]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	clOrder   = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

	fixedLit, fixedDist huffTable
)

func init() {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	fixedLit.build(l[:], litRoot)
	var d [30]uint8
	for i := range d {
		d[i] = 5
	}
	fixedDist.build(d[:], distRoot)
}

type inflater struct {
	in   []byte
	pos  int
	bits uint64
	nb   uint
	out  []byte
	lit  huffTable
	dist huffTable
	cl   huffTable
}

// refill loads whole bytes into the bit buffer; past the input it adds
// zero bits and counts them (pos beyond len), an error once used.
func (f *inflater) refill() {
	if f.pos+8 <= len(f.in) {
		f.bits |= binary.LittleEndian.Uint64(f.in[f.pos:]) << f.nb
		n := (63 - f.nb) >> 3
		f.pos += int(n)
		f.nb |= 56
		return
	}
	for f.nb <= 56 {
		if f.pos < len(f.in) {
			f.bits |= uint64(f.in[f.pos]) << f.nb
		}
		f.pos++
		f.nb += 8
	}
}

func (f *inflater) take(n uint) uint32 {
	if f.nb < n {
		f.refill()
	}
	v := uint32(f.bits & (1<<n - 1))
	f.bits >>= n
	f.nb -= n
	return v
}

func (f *inflater) decode(h *huffTable) (int, bool) {
	if f.nb < 15 {
		f.refill()
	}
	e := h.t[f.bits&(1<<h.root-1)]
	if e&0x8000 != 0 {
		e = h.t[(e>>16)+uint32((f.bits>>h.root)&(1<<(e&0xff)-1))]
	}
	n := uint(e & 0xff)
	if n == 0 {
		return 0, false
	}
	f.bits >>= n
	f.nb -= n
	return int(e >> 16), true
}

var inflaters = sync.Pool{New: func() any { return new(inflater) }}

// inflate decodes b (zlib-wrapped when it starts with a zlib header),
// expecting about hint bytes of output.
func inflate(b []byte, hint int) ([]byte, error) {
	if hint <= 0 {
		hint = 4 * len(b)
	}
	return inflateAppend(make([]byte, 0, hint+512), b) // block keeps 274 bytes of slack
}

// inflateAppend decodes b after the bytes of dst.
func inflateAppend(dst, b []byte) ([]byte, error) {
	if len(b) >= 2 && b[0]&0x0f == 8 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0 {
		if b[1]&0x20 != 0 {
			return dst, errInflate // a preset dictionary
		}
		b = b[2:]
	}
	f := inflaters.Get().(*inflater)
	defer inflaters.Put(f)
	f.in, f.pos, f.bits, f.nb, f.out = b, 0, 0, 0, dst
	defer func() { f.in, f.out = nil, nil }()
	for {
		final := f.take(1)
		switch f.take(2) {
		case 0:
			// stored: skip to a byte boundary
			f.bits >>= f.nb & 7
			f.nb &^= 7
			ln := f.take(16)
			nln := f.take(16)
			if ln != ^nln&0xffff {
				return f.out, errInflate
			}
			// the bytes still in the bit buffer come first
			for ln > 0 && f.nb >= 8 {
				f.out = append(f.out, byte(f.bits))
				f.bits >>= 8
				f.nb -= 8
				ln--
			}
			if ln > 0 {
				// the bit buffer is empty: the rest comes from the input
				f.bits = 0
				start := f.pos
				if start+int(ln) > len(f.in) {
					return f.out, errInflate
				}
				f.out = append(f.out, f.in[start:start+int(ln)]...)
				f.pos += int(ln)
			}
		case 1:
			if err := f.block(&fixedLit, &fixedDist); err != nil {
				return f.out, err
			}
		case 2:
			if err := f.dynamic(); err != nil {
				return f.out, err
			}
			if err := f.block(&f.lit, &f.dist); err != nil {
				return f.out, err
			}
		default:
			return f.out, errInflate
		}
		if f.pos-int(f.nb/8) > len(f.in) {
			return f.out, errInflate
		}
		if final == 1 {
			return f.out, nil
		}
	}
}

func (f *inflater) dynamic() error {
	hlit := int(f.take(5)) + 257
	hdist := int(f.take(5)) + 1
	hclen := int(f.take(4)) + 4
	if hlit > 286 || hdist > 30 {
		return errInflate
	}
	var cl [19]uint8
	for i := 0; i < hclen; i++ {
		cl[clOrder[i]] = uint8(f.take(3))
	}
	if !f.cl.build(cl[:], 7) {
		return errInflate
	}
	var lens [286 + 30]uint8
	for i := 0; i < hlit+hdist; {
		sym, ok := f.decode(&f.cl)
		if !ok {
			return errInflate
		}
		switch {
		case sym < 16:
			lens[i] = uint8(sym)
			i++
		case sym == 16:
			if i == 0 {
				return errInflate
			}
			r := 3 + int(f.take(2))
			if i+r > hlit+hdist {
				return errInflate
			}
			for ; r > 0; r-- {
				lens[i] = lens[i-1]
				i++
			}
		default:
			var r int
			if sym == 17 {
				r = 3 + int(f.take(3))
			} else {
				r = 11 + int(f.take(7))
			}
			if i+r > hlit+hdist {
				return errInflate
			}
			for ; r > 0; r-- {
				lens[i] = 0
				i++
			}
		}
	}
	if lens[256] == 0 {
		return errInflate
	}
	if !f.lit.build(lens[:hlit], litRoot) || !f.dist.build(lens[hlit:hlit+hdist], distRoot) {
		return errInflate
	}
	return nil
}

// block decodes one compressed block, its bit buffer in local variables
// and its output written by index into spare capacity (the hot loop of
// the reader): matches are copied eight bytes at a time where they do not
// overlap within a word, which the slack kept at the end allows.
func (f *inflater) block(lit, dist *huffTable) error {
	const slack = 258 + 16
	out := f.out
	op := len(out)
	if cap(out)-op < slack {
		out = growOut(out, op, slack)
	}
	out = out[:cap(out)]
	in := f.in
	pos, bits, nb := f.pos, f.bits, f.nb
	lt, dt := lit.t, dist.t
	lmask, dmask := uint64(1)<<lit.root-1, uint64(1)<<dist.root-1
	lroot, droot := lit.root, dist.root
	save := func() {
		f.out, f.pos, f.bits, f.nb = out[:op], pos, bits, nb
	}
	refill := func() {
		if pos+8 <= len(in) {
			bits |= binary.LittleEndian.Uint64(in[pos:]) << nb
			pos += int((63 - nb) >> 3)
			nb |= 56
			return
		}
		for nb <= 56 {
			if pos < len(in) {
				bits |= uint64(in[pos]) << nb
			}
			pos++
			nb += 8
		}
	}
	for {
		if len(out)-op < slack {
			out = growOut(out, op, slack)
			out = out[:cap(out)]
		}
		if nb < 32 {
			if pos+8 <= len(in) {
				bits |= binary.LittleEndian.Uint64(in[pos:]) << nb
				pos += int((63 - nb) >> 3)
				nb |= 56
			} else {
				refill()
				if pos-int(nb>>3) > len(in) {
					// bits past the end of the input were used: a cut stream
					save()
					return errInflate
				}
			}
		}
		e := lt[bits&lmask]
		if e&0x8000 != 0 {
			e = lt[(e>>16)+uint32((bits>>lroot)&(1<<(e&0xff)-1))]
		}
		n := uint(e & 0xff)
		bits >>= n
		nb -= n
		sym := int(e >> 16)
		if sym < 256 {
			out[op] = byte(sym)
			op++
			// a second literal while the bit buffer holds a longest code
			if nb < 15 {
				continue
			}
			e = lt[bits&lmask]
			if e&0x8000 != 0 {
				e = lt[(e>>16)+uint32((bits>>lroot)&(1<<(e&0xff)-1))]
			}
			if e>>16 >= 256 {
				continue
			}
			n = uint(e & 0xff)
			bits >>= n
			nb -= n
			out[op] = byte(e >> 16)
			op++
			continue
		}
		if sym == 256 {
			save()
			if pos-int(nb/8) > len(in) {
				return errInflate
			}
			return nil
		}
		sym -= 257
		if sym >= 29 {
			save()
			return errInflate
		}
		length := int(lenBase[sym])
		if x := uint(lenExtra[sym]); x > 0 {
			length += int(bits & (1<<x - 1))
			bits >>= x
			nb -= x
		}
		if nb < 28 {
			refill()
			if pos-int(nb>>3) > len(in) {
				save()
				return errInflate
			}
		}
		e = dt[bits&dmask]
		if e&0x8000 != 0 {
			e = dt[(e>>16)+uint32((bits>>droot)&(1<<(e&0xff)-1))]
		}
		n = uint(e & 0xff)
		bits >>= n
		nb -= n
		ds := int(e >> 16)
		if ds >= 30 {
			save()
			return errInflate
		}
		d := int(distBase[ds])
		if x := uint(distExtra[ds]); x > 0 {
			d += int(bits & (1<<x - 1))
			bits >>= x
			nb -= x
		}
		start := op - d
		if start < 0 {
			save()
			return errInflate
		}
		switch {
		case d >= 8:
			// each word read lies wholly before the word written: d ≥ 8;
			// the last may write up to 7 bytes past the match, into slack
			dst := out[op : op+length+7]
			src := out[start : start+length+7]
			for k := 0; k+8 <= len(dst); k += 8 {
				binary.LittleEndian.PutUint64(dst[k:k+8], binary.LittleEndian.Uint64(src[k:k+8]))
			}
		case d == 1:
			c := out[start]
			dst := out[op : op+length]
			for k := range dst {
				dst[k] = c
			}
		default:
			dst := out[op : op+length]
			src := out[start : start+length]
			for k := range dst {
				dst[k] = src[k]
			}
		}
		op += length
	}
}

// growOut returns out (its first n bytes kept) with room for at least
// need more bytes.
func growOut(out []byte, n, need int) []byte {
	c := 2*cap(out) + need
	b := make([]byte, n, c)
	copy(b, out[:n])
	return b
}
