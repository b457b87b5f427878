package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// chromium is a page printed by package pdf (headless Chromium): Identity-H
// fonts with ToUnicode maps, Flate-compressed content, a footer.
func chromium(t testing.TB) []byte {
	data, err := os.ReadFile("testdata/chromium.pdf")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestExtractChromiumPDF(t *testing.T) {
	got, err := Extract(chromium(t), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Vedlegg: Videreføring av samarbeidet",
		"Kommunene Bærum, Asker og Ørland vurderer felles tiltak for kystsoneplanlegging.",
		"Særskilte hensyn: ærfugl, øyer og åpne strender. Blåbærsyltetøy er et ord.",
		`Second line with "quotes" & (parentheses) and 100 % sure.`,
		"Sak 24/2017 Side 1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "  ") || got != strings.TrimSpace(got) {
		t.Errorf("spaces not single: %q", got)
	}
}

func TestExtractLimitCutsAtCharacter(t *testing.T) {
	full, err := Extract(chromium(t), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	// "Vedlegg: Videreføring": ø is bytes 17–18; a limit of 17 must not
	// split it.
	got, err := Extract(chromium(t), 17)
	if err != nil {
		t.Fatal(err)
	}
	if got != "Vedlegg: Videref" || !strings.HasPrefix(full, got) {
		t.Errorf("limit 17 gave %q", got)
	}
	if got, _ := Extract(chromium(t), 0); got != "" {
		t.Errorf("limit 0 gave %q", got)
	}
}

// pdfFile writes a PDF of the given objects (numbered from 1) with a
// cross-reference table and a trailer whose root is object 1.
func pdfFile(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

func flate(s string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", b.Len(), b.String())
}

func plain(s string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

func TestExtractSimpleFonts(t *testing.T) {
	// WinAnsi bytes (æ = E6, ø = F8, å = E5), a Differences entry, TJ with a
	// wide gap (a space) and a narrow one (none), a move to the next line
	// and a quote operator (spaces), and an inherited resource dictionary.
	content := `BT /F1 12 Tf 72 700 Td (Bl\345b\346r) Tj [(syl) 20 (tet) -400 (\370y)] TJ
		0 -14 Td <4B6F7374> Tj (x) ' /F2 12 Tf (\001) Tj ET`
	data := pdfFile(
		`<< /Type /Catalog /Pages 2 0 R >>`,
		`<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>`,
		`<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>`,
		flate(content),
		`<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>`,
		`<< /Type /Font /Subtype /Type1 /BaseFont /Custom /Encoding << /Differences [1 /oslash] >> >>`,
	)
	got, err := Extract(data, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Blåbærsyltet øy Kost xø"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestExtractObjectStreamAndToUnicodeRange(t *testing.T) {
	// The page and font live in an object stream; the font maps codes
	// 0x41–0x43 by a bfrange and 0x44 by a bfchar (to "å", UTF-16BE 00E5).
	cmap := `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
		1 begincodespacerange <00> <FF> endcodespacerange
		1 beginbfrange <41> <43> <0066> endbfrange
		1 beginbfchar <44> <00E5> endbfchar
		endcmap CMapName currentdict /CMap defineresource pop end end`
	inner := []string{
		`<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>`,
		`<< /Type /Font /Subtype /Type1 /BaseFont /X /ToUnicode 7 0 R >>`,
	}
	header := fmt.Sprintf("3 0 5 %d ", len(inner[0])+1)
	body := header + inner[0] + " " + inner[1]
	stm := fmt.Sprintf("<< /Type /ObjStm /N 2 /First %d /Length %d >>\nstream\n%s\nendstream", len(header), len(body), body)
	data := pdfFile(
		`<< /Type /Catalog /Pages 2 0 R >>`,
		`<< /Type /Pages /Kids [3 0 R] /Count 1 >>`,
		`null`,
		plain(`BT /F1 10 Tf (ABCD) Tj ET`),
		`null`,
		stm,
		flate(cmap),
	)
	// Objects 3 and 5 are "null" placeholders in the file itself; drop
	// them so that the object stream's versions are the ones found.
	data = bytes.Replace(data, []byte("3 0 obj\nnull\nendobj\n"), []byte("\n"), 1)
	data = bytes.Replace(data, []byte("5 0 obj\nnull\nendobj\n"), []byte("\n"), 1)
	got, err := Extract(data, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if got != "fghå" {
		t.Errorf("got %q, want %q", got, "fghå")
	}
}

func TestExtractRefusesBrokenInput(t *testing.T) {
	full := chromium(t)
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotPDF},
		{"text", []byte("Vedtak i sak 24/2017"), ErrNotPDF},
		{"header late", append(make([]byte, 2000), "%PDF-1.4"...), ErrNotPDF},
		{"header only", []byte("%PDF-1.4\n"), ErrNoPages},
		{"too large", append([]byte("%PDF-1.4\n"), make([]byte, MaxInput)...), ErrTooLarge},
	} {
		_, err := Extract(c.data, 1000)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	enc := pdfFile(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [] /Count 0 >>`)
	enc = bytes.Replace(enc, []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Encrypt << /Filter /Standard >>"), 1)
	if _, err := Extract(enc, 1000); !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted: got %v", err)
	}
	// Every cut of a real file reads without a panic; a cut that keeps the
	// page keeps some of its text.
	for n := 0; n < len(full); n += 97 {
		Extract(full[:n], 1000)
	}
	// Corrupt compressed data: the page's stream is garbage.
	bad := pdfFile(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [3 0 R] >>`,
		`<< /Type /Page /Contents 4 0 R >>`, "<< /Length 8 /Filter /FlateDecode >>\nstream\nxxxxxxxx\nendstream")
	if got, err := Extract(bad, 1000); err != nil || got != "" {
		t.Errorf("corrupt stream: got %q, %v", got, err)
	}
}

func TestExtractBoundsWork(t *testing.T) {
	// A page tree that refers to itself, and a form that draws itself.
	loop := pdfFile(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [2 0 R 3 0 R] >>`,
		`<< /Type /Page /Contents 4 0 R /Resources << /XObject << /X 4 0 R >> >> >>`,
		"<< /Subtype /Form /Length 5 >>\nstream\n/X Do\nendstream")
	if _, err := Extract(loop, 1000); err != nil {
		t.Errorf("loops: %v", err)
	}
	// A bomb: a small stream inflating past MaxInflated.
	var b bytes.Buffer
	w, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	w.Write(make([]byte, MaxInflated+1))
	w.Close()
	bomb := pdfFile(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [3 0 R] >>`,
		`<< /Type /Page /Contents 4 0 R >>`,
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", b.Len(), b.String()))
	if _, err := Extract(bomb, 1000); !errors.Is(err, ErrBudget) {
		t.Errorf("inflate bomb: got %v, want %v", err, ErrBudget)
	}
	// Tokens beyond the budget.
	many := pdfFile(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [3 0 R] >>`,
		`<< /Type /Page /Contents 4 0 R >>`, plain(strings.Repeat("1 ", MaxTokens)))
	if _, err := Extract(many, 1000); !errors.Is(err, ErrBudget) {
		t.Errorf("tokens: got %v, want %v", err, ErrBudget)
	}
}

// FuzzExtract reads any bytes without a panic, within the limit. Its
// committed corpus (testdata/fuzz/FuzzExtract) holds small files of each
// shape the reader knows: Identity-H with a ToUnicode map and Flate, simple
// fonts with Differences, an object stream, an inline image, a form.
func FuzzExtract(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Extract(data, 200)
		if err != nil && got != "" {
			t.Errorf("text %q with error %v", got, err)
		}
		if len(got) > 200 {
			t.Errorf("%d bytes beyond the limit", len(got))
		}
	})
}

func TestFromFile(t *testing.T) {
	got, err := FromFile("text/plain; charset=utf-8", []byte("  Vedlegg\ttil\r\nsak 24/2017 \xff om Bærum  "), 1000)
	if err != nil || got != "Vedlegg til sak 24/2017 om Bærum" {
		t.Errorf("text: %q, %v", got, err)
	}
	if got, _ := FromFile("text/plain; charset=utf-8", []byte("Vedlegg til sak"), 11); got != "Vedlegg til" {
		t.Errorf("text cut at 11: %q", got)
	}
	if got, err := FromFile("application/pdf", chromium(t), 1000); err != nil || !strings.Contains(got, "Blåbærsyltetøy") {
		t.Errorf("pdf: %q, %v", got, err)
	}
	if got, err := FromFile("image/png", []byte("\x89PNG"), 1000); err != nil || got != "" {
		t.Errorf("png: %q, %v", got, err)
	}
	if _, err := FromFile("application/pdf", []byte("not a pdf"), 1000); !errors.Is(err, ErrNotPDF) {
		t.Errorf("bad pdf: %v", err)
	}
}

func fuzzSeeds() [][]byte {
	cmap := `1 begincodespacerange <0000> <FFFF> endcodespacerange
		2 beginbfchar <0003> <0020> <00B8> <00F8> endbfchar
		1 beginbfrange <0024> <0026> [<0041> <0042> <D835DC9C>] endbfrange`
	return [][]byte{
		pdfFile(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [3 0 R] >>`,
			`<< /Type /Page /Contents 4 0 R /Resources << /Font << /F4 5 0 R >> >> >>`,
			flate("BT /F4 32 Tf 1 0 0 -1 8 50 Tm <0024> Tj 20 0 Td <002500B800030026> Tj ET"),
			`<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 6 0 R >>`, flate(cmap)),
		pdfFile(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [3 0 R] >>`,
			`<< /Type /Page /Contents [4 0 R 4 0 R] /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> >>`,
			plain(`BT /F1 12 Tf (Bl\345b\346r) Tj [(a) -300 (b)] TJ T* (c) ' 1 2 (d) " ET BI /W 1 ID xx EI /X Do`),
			`<< /Type /Font /Subtype /Type1 /Encoding << /BaseEncoding /MacRomanEncoding /Differences [1 /oslash /uni00E6 /a.sc] >> >>`,
			"<< /Subtype /Form /Filter /ASCIIHexDecode /Length 22 >>\nstream\n42542028782920546A204554>\nendstream"),
		[]byte("%PDF-1.5\n1 0 obj << /Type /ObjStm /N 2 /First 8 /Filter /ASCII85Decode >> stream\n" +
			"0E=s50JP(4:F_,oSNg\"<<+=HlM0f*S\\i%>Gb2M'H~>\nendstream endobj\ntrailer << /Root 2 0 R >>"),
	}
}

func BenchmarkExtract(b *testing.B) {
	data := chromium(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Extract(data, 1<<20); err != nil {
			b.Fatal(err)
		}
	}
}
