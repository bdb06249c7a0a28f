package main

// fixturegen scan IN OUT: degrade page images rendered from a born-digital PDF
// the way printing them and putting the printout through an office scanner
// does. fixtures/scan/make.sh then compresses the pages as JPEG and wraps
// them as an image-only PDF with Debian tools (cjpeg, img2pdf).
//
// IN is a directory of binary greyscale PGM files with a maxval of 255 (what
// `pdftoppm -r 200 -gray` writes), OUT a directory (created if missing) that
// receives each degraded page under the same name and at the same size.
// Every page gets, in this order:
//
//  1. tone: solid black ink becomes inkBlack, blank paper paperWhite, and
//     the paper darkens by up to lightingDip levels towards one edge
//     (uneven lighting);
//  2. skew: rotated about the page centre by 0.25°–1.0° either way
//     (bilinear) and shifted by up to ±maxShift pixels, as a sheet lying
//     crooked on the glass; uncovered corners take the paper tone;
//  3. dust: 150–300 dark specks, mostly single pixels, some 3×3, a few
//     round 5×5 blobs;
//  4. blur: a 3×3 binomial kernel (σ ≈ 0.7 pixel), the scanner's optics;
//  5. noise: additive sensor noise, the sum of two uniform integers in
//     [-noiseHalf, noiseHalf] (σ ≈ 1.15 grey levels: mild, as an office
//     scanner's own denoising leaves it; the dust is the visible speckle).
//
// Deterministic: every random choice comes from a PCG generator seeded with
// FIXTUREGEN_SCAN_SEED (an unsigned integer, default 1) and the page's
// position in name order, and the pixel arithmetic is integer arithmetic, so
// the same input pages give byte-identical output pages. The angle, shift and
// speck count of each page are printed on stderr.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	paperWhite  = 246 // grey of blank paper in the scan
	inkBlack    = 30  // grey of solid black ink
	lightingDip = 8   // paper darkens by up to this much towards one edge
	maxShift    = 12  // pixels the sheet may lie off centre (1.5 mm at 200 dpi)
	noiseHalf   = 1   // sensor noise: two uniform integers in [-noiseHalf, noiseHalf], σ ≈ 1.15
)

// Scan degrades the PGM pages in directory in into directory out.
func Scan(in, out string) error {
	ents, err := os.ReadDir(in)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".pgm") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return fmt.Errorf("%s: no .pgm page images (render them with pdftoppm -gray)", in)
	}
	seed, err := scanSeed()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for i, n := range names {
		src, err := readPGM(filepath.Join(in, n))
		if err != nil {
			return err
		}
		rng := rand.New(rand.NewPCG(seed, uint64(i+1)))
		img, note := degrade(src, rng)
		fmt.Fprintf(os.Stderr, "page %d (%s, %dx%d): %s\n", i+1, n, src.Rect.Dx(), src.Rect.Dy(), note)
		if err := writePGM(filepath.Join(out, n), img); err != nil {
			return err
		}
	}
	return nil
}

func scanSeed() (uint64, error) {
	s := os.Getenv("FIXTUREGEN_SCAN_SEED")
	if s == "" {
		return 1, nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("FIXTUREGEN_SCAN_SEED: %w", err)
	}
	return v, nil
}

// readPGM reads a binary (P5) greyscale PGM with a maxval of 255.
func readPGM(path string) (*image.Gray, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var hdr [4]int // magic, width, height, maxval
	for i := range hdr {
		tok, err := pgmToken(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if i == 0 {
			if tok != "P5" {
				return nil, fmt.Errorf("%s: not a binary PGM (magic %q)", path, tok)
			}
			continue
		}
		if hdr[i], err = strconv.Atoi(tok); err != nil || hdr[i] <= 0 {
			return nil, fmt.Errorf("%s: bad PGM header field %q", path, tok)
		}
	}
	if hdr[3] != 255 {
		return nil, fmt.Errorf("%s: PGM maxval %d, want 255", path, hdr[3])
	}
	img := image.NewGray(image.Rect(0, 0, hdr[1], hdr[2]))
	if _, err := io.ReadFull(r, img.Pix); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// pgmToken reads one whitespace-separated header token, skipping comments,
// and consumes the single whitespace byte after it.
func pgmToken(r *bufio.Reader) (string, error) {
	var tok []byte
	for {
		c, err := r.ReadByte()
		if err != nil {
			return "", errors.New("truncated PGM header")
		}
		switch {
		case c == '#' && len(tok) == 0:
			if _, err := r.ReadString('\n'); err != nil {
				return "", errors.New("truncated PGM header")
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if len(tok) > 0 {
				return string(tok), nil
			}
		default:
			tok = append(tok, c)
		}
	}
}

// writePGM writes img as a binary (P5) PGM.
func writePGM(path string, img *image.Gray) error {
	var buf bytes.Buffer
	w, h := img.Rect.Dx(), img.Rect.Dy()
	fmt.Fprintf(&buf, "P5\n%d %d\n255\n", w, h)
	for y := 0; y < h; y++ {
		buf.Write(img.Pix[y*img.Stride : y*img.Stride+w])
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// degrade applies the scan degradations (see the file comment) to src.
func degrade(src *image.Gray, rng *rand.Rand) (*image.Gray, string) {
	w, h := src.Rect.Dx(), src.Rect.Dy()

	// 1. tone and uneven lighting
	toned := image.NewGray(image.Rect(0, 0, w, h))
	var lut [256]int32
	for v := range lut {
		lut[v] = int32(inkBlack + (paperWhite-inkBlack)*v/255)
	}
	horiz := rng.IntN(2) == 0 // lighting falls off along x, else along y
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := lut[src.Pix[y*src.Stride+x]]
			var dip int32
			if horiz {
				dip = int32(lightingDip * x / w)
			} else {
				dip = int32(lightingDip * y / h)
			}
			v -= dip * v / paperWhite // darkens paper more than ink
			toned.Pix[y*w+x] = uint8(v)
		}
	}

	// 2. skew and shift
	deg := 0.25 + 0.75*rng.Float64()
	if rng.IntN(2) == 0 {
		deg = -deg
	}
	dx, dy := rng.IntN(2*maxShift+1)-maxShift, rng.IntN(2*maxShift+1)-maxShift
	rot := rotate(toned, deg, dx, dy)

	// 3. dust: dark specks, before the optics blur them
	specks := 150 + rng.IntN(151)
	for i := 0; i < specks; i++ {
		r := 0 // radius: mostly single pixels, some 3×3, a few 5×5 blobs
		switch p := rng.IntN(100); {
		case p >= 97:
			r = 2
		case p >= 75:
			r = 1
		}
		cx, cy := rng.IntN(w), rng.IntN(h)
		grey := uint8(40 + rng.IntN(110))
		for yy := cy - r; yy <= cy+r; yy++ {
			for xx := cx - r; xx <= cx+r; xx++ {
				if xx < 0 || yy < 0 || xx >= w || yy >= h {
					continue
				}
				if r == 2 && (xx-cx)*(xx-cx)+(yy-cy)*(yy-cy) > 5 {
					continue // round blob: drop the square's corners
				}
				if grey < rot.Pix[yy*w+xx] {
					rot.Pix[yy*w+xx] = grey
				}
			}
		}
	}

	// 4. blur: 3×3 binomial (1 2 1)ᵀ(1 2 1)/16, edges clamped
	clamp := func(v, n int) int { return min(max(v, 0), n-1) }
	tmp := make([]int32, w*h)
	for y := 0; y < h; y++ {
		row := rot.Pix[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			tmp[y*w+x] = int32(row[clamp(x-1, w)]) + 2*int32(row[x]) + int32(row[clamp(x+1, w)])
		}
	}
	// 5. noise, added while writing the vertical blur pass
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		up, dn := clamp(y-1, h)*w, clamp(y+1, h)*w
		for x := 0; x < w; x++ {
			v := (tmp[up+x] + 2*tmp[y*w+x] + tmp[dn+x] + 8) / 16
			v += int32(rng.IntN(2*noiseHalf+1)+rng.IntN(2*noiseHalf+1)) - 2*noiseHalf
			out.Pix[y*w+x] = uint8(min(max(v, 0), 255))
		}
	}
	return out, fmt.Sprintf("rotated %+.2f°, shifted (%+d,%+d) px, %d specks", deg, dx, dy, specks)
}

// rotate turns src by deg degrees about its centre (positive =
// counter-clockwise as seen) and shifts it by (dx, dy) pixels, bilinear, in
// 16.16 fixed point; uncovered pixels get the paper tone.
func rotate(src *image.Gray, deg float64, dx, dy int) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	const one = 1 << 16
	rad := deg * math.Pi / 180
	c := int64(math.Round(math.Cos(rad) * one))
	s := int64(math.Round(math.Sin(rad) * one))
	cx, cy := int64(w)*one/2, int64(h)*one/2
	p := func(xx, yy int64) int64 {
		if xx < 0 || yy < 0 || xx >= int64(w) || yy >= int64(h) {
			return paperWhite
		}
		return int64(src.Pix[yy*int64(src.Stride)+xx])
	}
	for y := 0; y < h; y++ {
		// destination pixel centre relative to the page centre, less the shift
		ry := int64(y-dy)*one + one/2 - cy
		for x := 0; x < w; x++ {
			rx := int64(x-dx)*one + one/2 - cx
			// inverse rotation (the image's y axis points down)
			sx := (c*rx-s*ry)/one + cx - one/2
			sy := (s*rx+c*ry)/one + cy - one/2
			x0, y0 := sx>>16, sy>>16
			fx, fy := (sx>>8)&0xff, (sy>>8)&0xff
			top := p(x0, y0)*(256-fx) + p(x0+1, y0)*fx
			bot := p(x0, y0+1)*(256-fx) + p(x0+1, y0+1)*fx
			dst.Pix[y*w+x] = uint8((top*(256-fy) + bot*fy + 1<<15) >> 16)
		}
	}
	return dst
}
