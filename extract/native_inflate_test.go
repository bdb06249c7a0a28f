package extract

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand"
	"os"
	"testing"

	"github.com/ledongthuc/pdf"
)

// TestInflateMatchesZlib inflates every Flate stream of the corpus with
// inflate and with compress/zlib and compares the bytes; and random data
// compressed at every level, including stored blocks.
func TestInflateMatchesZlib(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	for _, size := range []int{0, 1, 100, 70000, 300000} {
		data := make([]byte, size)
		for i := range data {
			if rnd.Intn(4) == 0 {
				data[i] = byte(rnd.Intn(256))
			} else {
				data[i] = byte('a' + rnd.Intn(4))
			}
		}
		for level := -1; level <= 9; level++ {
			var buf bytes.Buffer
			w, _ := zlib.NewWriterLevel(&buf, level)
			w.Write(data)
			w.Close()
			got, err := inflate(buf.Bytes(), 0)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("size %d level %d: err %v, %d bytes, want %d", size, level, err, len(got), len(data))
			}
		}
	}
	streams := 0
	for _, f := range nativeCorpus(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := openNative(b)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[uint64]bool{}
		var walk func(v pdf.Value, depth int)
		walk = func(v pdf.Value, depth int) {
			if depth > 6 {
				return
			}
			switch v.Kind() {
			case pdf.Stream:
				id := objID(v)
				if seen[id] {
					return
				}
				seen[id] = true
				if fast, ok := d.fastStream(v); ok {
					rd := v.Reader()
					slow, err := io.ReadAll(rd)
					if err == nil && !bytes.Equal(fast, slow) {
						t.Errorf("%s: stream %d: inflate gives %d bytes, zlib %d", f, id>>16, len(fast), len(slow))
					}
					streams++
				}
				for _, k := range v.Keys() {
					if k != "Parent" {
						walk(v.Key(k), depth+1)
					}
				}
			case pdf.Dict:
				for _, k := range v.Keys() {
					if k != "Parent" && k != "P" {
						walk(v.Key(k), depth+1)
					}
				}
			case pdf.Array:
				for i := 0; i < v.Len(); i++ {
					walk(v.Index(i), depth+1)
				}
			}
		}
		for _, p := range d.pages {
			walk(p.v, 0)
		}
	}
	t.Logf("%d streams inflated the same", streams)
}

// TestInflatePeriodic covers matches at every short distance (1 to 17,
// overlapping themselves) and long ones, at every length.
func TestInflatePeriodic(t *testing.T) {
	var data []byte
	rnd := rand.New(rand.NewSource(2))
	for period := 1; period <= 17; period++ {
		for _, n := range []int{3, 4, 7, 8, 9, 15, 16, 17, 100, 258, 259, 1000} {
			unit := make([]byte, period)
			for i := range unit {
				unit[i] = byte(rnd.Intn(256))
			}
			for i := 0; i < n; i++ {
				data = append(data, unit[i%period])
			}
			data = append(data, byte(rnd.Intn(256)))
		}
	}
	data = append(data, data...)
	for level := 1; level <= 9; level++ {
		var buf bytes.Buffer
		w, _ := zlib.NewWriterLevel(&buf, level)
		w.Write(data)
		w.Close()
		for _, hint := range []int{0, 1, len(data)} {
			got, err := inflate(buf.Bytes(), hint)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("level %d hint %d: err %v, %d bytes, want %d", level, hint, err, len(got), len(data))
			}
		}
	}
}

// TestInflateTruncated cuts a stream at every length: inflate ends with an
// error (or the whole data, when only the checksum is cut), never running
// on past the end of its input.
func TestInflateTruncated(t *testing.T) {
	rnd := rand.New(rand.NewSource(3))
	data := make([]byte, 20000)
	for i := range data {
		data[i] = "etaoin shrdlu"[rnd.Intn(13)]
	}
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, 9)
	w.Write(data)
	w.Close()
	z := buf.Bytes()
	for n := 0; n < len(z); n++ {
		got, err := inflate(z[:n], 0)
		if err == nil && !bytes.Equal(got, data) {
			t.Fatalf("cut at %d of %d: no error, %d bytes", n, len(z), len(got))
		}
		if len(got) > len(data)+300 {
			t.Fatalf("cut at %d of %d: %d bytes out, more than the data", n, len(z), len(got))
		}
	}
}

// FuzzInflate: any input ends, without a panic, in at most what deflate
// can expand it to.
func FuzzInflate(f *testing.F) {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, 6)
	w.Write([]byte("预算 budget 2026 2026 2026 budget 预算 预算"))
	w.Close()
	f.Add(buf.Bytes())
	f.Add([]byte{0x78, 0x9c, 0x03, 0x00})
	f.Add([]byte{0x78, 0x9c, 0xed, 0xc1, 0x01, 0x0d})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, _ := inflate(b, 0)
		if len(got) > 1100*len(b)+1000 {
			t.Fatalf("%d bytes from %d", len(got), len(b))
		}
	})
}
