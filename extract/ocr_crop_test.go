package extract

import (
	"bufio"
	"fmt"
	"image"
	"io"
	"os"
	"testing"
)

func readPGMForTest(t *testing.T, name string) *image.Gray {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var magic string
	var w, h, max int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &max); err != nil || magic != "P5" {
		t.Fatalf("%s: not a PGM: %v", name, err)
	}
	r.ReadByte()
	img := image.NewGray(image.Rect(0, 0, w, h))
	if _, err := io.ReadFull(r, img.Pix); err != nil {
		t.Fatal(err)
	}
	return img
}

// upscale2 interpolates bilinearly: each output pixel a quarter of the way
// between two source pixels, the edges clamped.
func TestUpscale2(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 2, 1))
	img.Pix[0], img.Pix[1] = 0, 255
	out := upscale2(img)
	want := []uint8{0, 64, 191, 255}
	for y := 0; y < 2; y++ {
		for x, w := range want {
			if got := out.Pix[y*out.Stride+x]; got != w {
				t.Errorf("pixel (%d,%d) = %d, want %d", x, y, got, w)
			}
		}
	}
}

// A cell crop is cut inside the cell's rules, tight to its ink, with the
// ink stretched to black and the paper to white: a grey figure beside a
// rule on grey paper comes out without the rule.
func TestWriteCrop(t *testing.T) {
	const w, h = 120, 40
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 230 // grey paper
	}
	for y := 0; y < h; y++ {
		img.Pix[y*img.Stride+2] = 120   // the left rule, grey
		img.Pix[y*img.Stride+w-3] = 120 // the right rule
	}
	for x := 0; x < w; x++ {
		img.Pix[2*img.Stride+x] = 120     // top rule
		img.Pix[(h-3)*img.Stride+x] = 120 // bottom rule
	}
	for y := 12; y < 28; y++ { // a block of ink touching the right rule's inside
		for x := 90; x < w-4; x++ {
			img.Pix[y*img.Stride+x] = 60
		}
	}
	name := writeCrop(img, cellBox{2, 2, w - 3, h - 3}, 1, t.TempDir()+"/c.pgm")
	if name == "" {
		t.Fatal("crop written as blank")
	}
	crop := readPGMForTest(t, name)
	b := crop.Bounds()
	// The ink (x 90–115, y 12–27) grown by 3 px, but not past the cut
	// inside the right rule (x 116), plus 10 px margins.
	if wantW, wantH := (116-87)+20, (31-9)+20; b.Dx() != wantW || b.Dy() != wantH {
		t.Errorf("crop %dx%d, want %dx%d", b.Dx(), b.Dy(), wantW, wantH)
	}
	black, grey := 0, 0
	for _, v := range crop.Pix {
		switch {
		case v == 0:
			black++
		case v != 255:
			grey++
		}
	}
	if black != 26*16 || grey != 0 {
		t.Errorf("crop has %d black and %d grey pixels, want %d black (the ink) and no grey (no rule, paper white)", black, grey, 26*16)
	}
}
