package samrad

import (
	"errors"
	"math"
	"testing"
)

func TestNormaliseHost(t *testing.T) {
	for in, want := range map[string]string{
		"Osloregionen.NO":         "osloregionen.no",
		" vestregionen.no. ":      "vestregionen.no",
		"":                        "",
		"ore.localhost":           "ore.localhost",
		"xn--brum-roa.kommune.no": "xn--brum-roa.kommune.no",
	} {
		got, err := NormaliseHost(in)
		if err != nil || got != want {
			t.Errorf("NormaliseHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"localhost", "10.0.0.1", "[::1]", "ore.no:8080", "ore.no/x", "bærum.no", "-a.no", "a-.no", "a..no", "ore.123", "a b.no"} {
		if got, err := NormaliseHost(bad); err == nil || ErrorCode(err) != EINVALID {
			t.Errorf("NormaliseHost(%q) = %q, %v; want an invalid-input error", bad, got, err)
		}
	}
}

func TestRequestHost(t *testing.T) {
	for in, want := range map[string]string{"Ore.Localhost:8080": "ore.localhost", "ore.no.": "ore.no", "[::1]:80": "[::1]", "ore.no": "ore.no"} {
		if got := RequestHost(in); got != want {
			t.Errorf("RequestHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestContrast(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#767676", "#ffffff", 4.54}, // the lightest grey that passes AA on white
		{"#777777", "#ffffff", 4.48},
		{"#0b4f6c", "#ffffff", 8.94},
		{"red", "#ffffff", 0},
	} {
		if got := Contrast(c.a, c.b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("Contrast(%s, %s) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
	// Whatever the header's colour, its text reaches 4.5:1.
	for r := 0; r < 256; r += 15 {
		for g := 0; g < 256; g += 15 {
			for b := 0; b < 256; b += 15 {
				s := Site{Colour: hex3(r, g, b)}
				if c := Contrast(s.Colour, s.HeaderText()); c < MinTextContrast {
					t.Fatalf("%s with %s: %.2f", s.Colour, s.HeaderText(), c)
				}
			}
		}
	}
}

func hex3(r, g, b int) string {
	const digits = "0123456789abcdef"
	out := []byte{'#'}
	for _, x := range []int{r, g, b} {
		out = append(out, digits[x>>4], digits[x&15])
	}
	return string(out)
}

func TestSiteValidate(t *testing.T) {
	s := Site{Host: "Ore.No", Colour: " #1D4E89 ", LinkColour: "#1d4e89", FooterNB: "  Brussel  "}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.Host != "ore.no" || s.Colour != "#1d4e89" || s.FooterNB != "Brussel" {
		t.Errorf("not normalised: %+v", s)
	}
	for field, bad := range map[string]Site{
		"colour":      {Colour: "#12345"},
		"link_colour": {LinkColour: "#aaaaaa"},
		"host":        {Host: "127.0.0.1"},
		"logo":        {Logo: []byte("GIF89a"), LogoType: "image/gif"},
	} {
		err := bad.Validate()
		var e *Error
		if err == nil || !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}
