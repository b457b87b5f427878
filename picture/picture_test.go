package picture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"
)

// halves draws an image whose left half is red and right half blue.
func halves(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{R: 220, A: 255}
			if x >= w/2 {
				c = color.NRGBA{B: 220, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withOrientation inserts an EXIF segment with the orientation tag after
// the JPEG's start marker.
func withOrientation(jpg []byte, o uint16) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8))
	binary.Write(&tiff, binary.BigEndian, uint16(1))           // one entry
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3}) // orientation, SHORT
	binary.Write(&tiff, binary.BigEndian, uint32(1))           // count
	binary.Write(&tiff, binary.BigEndian, []uint16{o, 0})      // value
	binary.Write(&tiff, binary.BigEndian, uint32(0))           // no next IFD
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	app1 := []byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngClaiming returns a valid small PNG whose header claims w × h pixels.
func pngClaiming(t testing.TB, w, h uint32) []byte {
	b := encodePNG(t, halves(4, 4))
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// jpegClaiming returns a small baseline JPEG whose frame header claims
// w × h pixels.
func jpegClaiming(t testing.TB, w, h uint16) []byte {
	b := encodeJPEG(t, halves(8, 8))
	i := bytes.Index(b, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0 marker")
	}
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	return b
}

// A file of a few hundred bytes that claims billions of pixels is refused
// from its header: nothing near the size of the pixels is allocated.
func TestHugeClaimRefusedBeforeDecoding(t *testing.T) {
	for name, data := range map[string][]byte{
		"PNG":  pngClaiming(t, 100000, 100000),
		"JPEG": jpegClaiming(t, 65000, 65000),
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Process(data)
		runtime.ReadMemStats(&after)
		var le *LimitError
		if !errors.As(err, &le) || !le.Pixels {
			t.Errorf("%s of %d bytes: %v, want a pixel limit error", name, len(data), err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%s of %d bytes: %d bytes allocated before it was refused", name, len(data), n)
		}
	}
}

func TestProcessMakesNarrowerSizesAndNeverEnlarges(t *testing.T) {
	for _, c := range []struct {
		name   string
		data   []byte
		widths []int
	}{
		{"wide jpeg", encodeJPEG(t, halves(2000, 1000)), []int{480, 960, 1600}},
		{"medium png", encodePNG(t, halves(1200, 300)), []int{480, 960, 1200}},
		{"small png", encodePNG(t, halves(300, 200)), []int{300}},
		{"exactly the widest", encodeJPEG(t, halves(1600, 800)), []int{480, 960, 1600}},
	} {
		t.Run(c.name, func(t *testing.T) {
			vs, err := Process(c.data)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, v := range vs {
				got = append(got, v.Width)
				img, err := jpeg.Decode(bytes.NewReader(v.Data))
				if err != nil {
					t.Fatalf("width %d: not a JPEG: %v", v.Width, err)
				}
				if b := img.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
					t.Errorf("width %d: encoded %v, said %d×%d", v.Width, b, v.Width, v.Height)
				}
				r, _, bl, _ := img.At(v.Width/4, v.Height/2).RGBA()
				if r < bl {
					t.Errorf("width %d: the left half is not red", v.Width)
				}
			}
			if len(got) != len(c.widths) {
				t.Fatalf("widths %v, want %v", got, c.widths)
			}
			for i := range got {
				if got[i] != c.widths[i] {
					t.Fatalf("widths %v, want %v", got, c.widths)
				}
			}
		})
	}
}

func TestProcessKeepsTheAspectRatio(t *testing.T) {
	vs, err := Process(encodeJPEG(t, halves(2000, 1000)))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Height*2 != v.Width {
			t.Errorf("%d×%d is not 2:1", v.Width, v.Height)
		}
	}
}

func TestProcessDropsMetadataAndAppliesOrientation(t *testing.T) {
	data := withOrientation(encodeJPEG(t, halves(40, 20)), 6) // stored on its side
	c, err := Check(data)
	if err != nil {
		t.Fatal(err)
	}
	if c.Orientation != 6 {
		t.Fatalf("orientation %d, want 6", c.Orientation)
	}
	vs, err := Process(data)
	if err != nil {
		t.Fatal(err)
	}
	v := vs[0]
	if v.Width != 20 || v.Height != 40 {
		t.Fatalf("%d×%d, want 20×40 (turned upright)", v.Width, v.Height)
	}
	if bytes.Contains(v.Data, []byte("Exif")) {
		t.Error("the EXIF segment reached the output")
	}
	img, _ := jpeg.Decode(bytes.NewReader(v.Data))
	top, _, _, _ := img.At(10, 5).RGBA()
	_, _, bottom, _ := img.At(10, 35).RGBA()
	if top < 0x8000 || bottom < 0x8000 {
		t.Errorf("turned the wrong way: top red %x, bottom blue %x", top, bottom)
	}
}

func TestProcessRefusesWhatIsNotAnAcceptableImage(t *testing.T) {
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	for _, c := range []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"text", []byte("Dette er ikke et bilde"), ErrNotImage, "not an image"},
		{"gif", gif, ErrNotImage, "not an image"},
		{"html named like a photo", []byte("<html><script>alert(1)</script></html>"), ErrNotImage, "not an image"},
		{"truncated jpeg", encodeJPEG(t, halves(50, 50))[:40], ErrNotImage, "not an image"},
		{"too many bytes", append(encodePNG(t, halves(4, 4)), make([]byte, MaxBytes)...), ErrTooLarge, "MB, limit 10 MB"},
		{"too many pixels", pngClaiming(t, 10000, 5000), ErrTooLarge, "50.0 megapixels, limit 40 megapixels"},
	} {
		t.Run(c.name, func(t *testing.T) {
			vs, err := Process(c.data)
			if !errors.Is(err, c.want) || vs != nil {
				t.Fatalf("got %d sizes, %v; want %v", len(vs), err, c.want)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("message %q does not say %q", err, c.msg)
			}
		})
	}
}

func TestLimitErrorMessage(t *testing.T) {
	e := &LimitError{Got: 12_897_485, Limit: MaxBytes}
	if got := e.Error(); got != "too large: 12.3 MB, limit 10 MB" {
		t.Errorf("message %q", got)
	}
}

// FuzzProcess feeds Process arbitrary bytes: it must refuse or succeed,
// never panic, and what it returns must be JPEGs of the sizes it says.
func FuzzProcess(f *testing.F) {
	f.Add(encodePNG(f, halves(3, 2)))
	f.Add(encodeJPEG(f, halves(5, 3)))
	f.Add(withOrientation(encodeJPEG(f, halves(5, 3)), 8))
	f.Add(pngClaiming(f, 100000, 100000))
	f.Add(jpegClaiming(f, 65000, 65000))
	f.Add(jpegClaiming(f, 7000, 5000))
	f.Fuzz(func(t *testing.T, data []byte) {
		vs, err := Process(data)
		if err != nil {
			if !errors.Is(err, ErrNotImage) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(vs) == 0 || len(vs) > len(Widths) {
			t.Fatalf("%d sizes", len(vs))
		}
		orig, err := Check(data)
		if err != nil {
			t.Fatalf("Process accepted what Check refuses: %v", err)
		}
		ow, oh := orig.DisplaySize()
		for i, v := range vs {
			c, err := jpeg.DecodeConfig(bytes.NewReader(v.Data))
			if err != nil || c.Width != v.Width || c.Height != v.Height {
				t.Fatalf("size %d×%d: %v %v", v.Width, v.Height, c, err)
			}
			if v.Width > ow || v.Height > oh || v.Width > Widths[len(Widths)-1] || (i > 0 && v.Width <= vs[i-1].Width) {
				t.Fatalf("size %d×%d of an image of %d×%d (sizes %d)", v.Width, v.Height, ow, oh, len(vs))
			}
		}
	})
}
