// Package picture turns an uploaded photo into the JPEG sizes a page offers
// a browser to choose from (srcset). It accepts only what really is a JPEG
// or a PNG, judged by the bytes and never by the name or the declared type,
// and refuses large files and images with so many pixels that decoding them
// would take too much memory (a "decompression bomb") before decoding them.
//
// The sizes are re-encoded, so no metadata of the upload (EXIF: camera,
// place, time) reaches the public. A JPEG's EXIF orientation is applied, so
// a photo taken with the phone on its side shows the right way up.
package picture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

const (
	// MaxBytes is the largest file accepted.
	MaxBytes = 10 << 20
	// MaxPixels is the most pixels (width × height) accepted. Decoding
	// such an image takes at most a few hundred MB.
	MaxPixels = 40_000_000
	// Quality is the JPEG quality of the sizes.
	Quality = 82
)

// Widths are the widths made of every image, each only if the original is
// wider: an image is never enlarged.
var Widths = []int{480, 960, 1600}

// ErrNotImage is returned for data that is not a JPEG or PNG image.
var ErrNotImage = errors.New("not an image")

// ErrTooLarge is returned, wrapped in a *LimitError, for an image over a limit.
var ErrTooLarge = errors.New("too large")

// LimitError tells which limit an image broke.
type LimitError struct {
	Pixels bool  // the pixel count, rather than the file size
	Got    int64 // bytes or pixels
	Limit  int64
}

func (e *LimitError) Error() string {
	if e.Pixels {
		return fmt.Sprintf("too large: %.1f megapixels, limit %d megapixels", float64(e.Got)/1e6, e.Limit/1_000_000)
	}
	return fmt.Sprintf("too large: %.1f MB, limit %d MB", float64(e.Got)/(1<<20), e.Limit>>20)
}

func (e *LimitError) Unwrap() error { return ErrTooLarge }

// Format is the format of an upload.
type Format string

const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
)

// Config is what is known of an image before it is decoded.
type Config struct {
	Format        Format
	Width, Height int // as stored, before orientation
	Orientation   int // EXIF orientation 1–8 (1: as stored)
}

// DisplaySize is the size of the image the right way up.
func (c Config) DisplaySize() (w, h int) {
	if c.Orientation >= 5 {
		return c.Height, c.Width
	}
	return c.Width, c.Height
}

// Variant is one size of an image, encoded as JPEG.
type Variant struct {
	Width, Height int
	Data          []byte
}

// Sniff tells the format from the first bytes of data.
func Sniff(data []byte) (Format, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	}
	return "", ErrNotImage
}

// Check reads an upload's format and size without decoding its pixels, and
// refuses it if it is not an image or breaks a limit.
func Check(data []byte) (Config, error) {
	if len(data) > MaxBytes {
		return Config{}, &LimitError{Got: int64(len(data)), Limit: MaxBytes}
	}
	f, err := Sniff(data)
	if err != nil {
		return Config{}, err
	}
	var ic image.Config
	if f == JPEG {
		ic, err = jpeg.DecodeConfig(bytes.NewReader(data))
	} else {
		ic, err = png.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil || ic.Width <= 0 || ic.Height <= 0 {
		return Config{}, ErrNotImage
	}
	if px := int64(ic.Width) * int64(ic.Height); px > MaxPixels {
		return Config{}, &LimitError{Pixels: true, Got: px, Limit: MaxPixels}
	}
	c := Config{Format: f, Width: ic.Width, Height: ic.Height, Orientation: 1}
	if f == JPEG {
		c.Orientation = exifOrientation(data)
	}
	return c, nil
}

// Process checks and decodes an upload and returns its sizes, narrowest
// first: each width of Widths narrower than the image, and the image's own
// width if it is narrower than the widest of Widths.
func Process(data []byte) ([]Variant, error) {
	c, err := Check(data)
	if err != nil {
		return nil, err
	}
	var src image.Image
	if c.Format == JPEG {
		src, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		src, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, ErrNotImage
	}
	dw, dh := c.DisplaySize()
	widths := targetWidths(dw)
	out := make([]Variant, len(widths))
	// The widest size is drawn from the original, each narrower one from
	// the size above it: the quality is the same and the work far less.
	from, fromOriented := src, false
	for i := len(widths) - 1; i >= 0; i-- {
		w := widths[i]
		h := max(1, int((int64(dh)*int64(w)+int64(dw)/2)/int64(dw)))
		var img *image.RGBA
		if fromOriented {
			img = scale(from, w, h)
		} else {
			sw, sh := w, h
			if c.Orientation >= 5 {
				sw, sh = h, w
			}
			img = orient(scale(from, sw, sh), c.Orientation)
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: Quality}); err != nil {
			return nil, err
		}
		out[i] = Variant{Width: w, Height: h, Data: b.Bytes()}
		from, fromOriented = img, true
	}
	return out, nil
}

func targetWidths(w int) []int {
	var out []int
	for _, x := range Widths {
		if x < w {
			out = append(out, x)
		}
	}
	if top := Widths[len(Widths)-1]; w <= top {
		out = append(out, w)
	}
	return out
}

// scale draws src at w × h on white, so that transparent parts of a PNG
// do not turn black in the JPEG.
func scale(src image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	if src.Bounds().Dx() == w && src.Bounds().Dy() == h {
		draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Over)
		return dst
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Over, nil)
	return dst
}

// orient turns an image stored with EXIF orientation o the right way up.
func orient(src *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return src
	}
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var nx, ny int
			switch o {
			case 2: // mirrored
				nx, ny = w-1-x, y
			case 3: // upside down
				nx, ny = w-1-x, h-1-y
			case 4: // upside down, mirrored
				nx, ny = x, h-1-y
			case 5: // transposed
				nx, ny = y, x
			case 6: // turned right: rotate 90° clockwise
				nx, ny = h-1-y, x
			case 7: // transversed
				nx, ny = h-1-y, w-1-x
			case 8: // turned left: rotate 90° anticlockwise
				nx, ny = y, w-1-x
			}
			i, j := src.PixOffset(x, y), dst.PixOffset(nx, ny)
			copy(dst.Pix[j:j+4], src.Pix[i:i+4])
		}
	}
	return dst
}

// exifOrientation finds the orientation tag (0x0112) in a JPEG's EXIF
// segment; 1 if there is none or it cannot be read.
func exifOrientation(data []byte) int {
	p := 2
	for p+4 <= len(data) && data[p] == 0xFF {
		marker := data[p+1]
		if marker == 0xDA || marker == 0xD9 { // image data: no more headers
			break
		}
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if n < 2 || p+2+n > len(data) {
			break
		}
		seg := data[p+4 : p+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		p += 2 + n
	}
	return 1
}

func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	count := int(bo.Uint16(t[ifd:]))
	for i := 0; i < count; i++ {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}
