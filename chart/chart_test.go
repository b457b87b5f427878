package chart_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/samrad/samrad/chart"
)

func TestBarsAreWellFormedAndLabelled(t *testing.T) {
	c := chart.Bars{ID: "fees", Title: "Kontingent per medlem", Desc: "Oslo betaler mest.", Series: []chart.Series{{Name: "Budsjett"}, {Name: "Regnskap"}},
		Rows: []chart.Row{
			{Label: "Oslo & Akershus <fylke>", Values: []int64{200, 100}, Texts: []string{"2,00", "1,00"}},
			{Label: "En svært lang etikett som må kortes ned før den tegnes", Values: []int64{50, -10}},
		}}
	svg := string(c.SVG())
	var doc struct {
		XMLName xml.Name
		Rects   []struct {
			Class string `xml:"class,attr"`
			Width int    `xml:"width,attr"`
		} `xml:"rect"`
	}
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, svg)
	}
	var widths []int
	for _, r := range doc.Rects {
		if r.Class != "" {
			widths = append(widths, r.Width)
		}
	}
	// The largest value spans the room for bars; half of it half; a
	// negative value draws nothing but keeps its text.
	if len(widths) != 4 || widths[0] != 320 || widths[1] != 160 || widths[2] != 80 || widths[3] != 0 {
		t.Errorf("bar widths %v, want [320 160 80 0]", widths)
	}
	for _, want := range []string{`role="img"`, `aria-labelledby="fees-title fees-desc"`, "<title id=\"fees-title\">Kontingent per medlem</title>",
		"Oslo &amp; Akershus &lt;fylke&gt;", ">2,00<", ">-10<", "En svært lang etikett som må ko…", ">Regnskap<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart has no %q", want)
		}
	}
}
