package samrad

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// Site is an alliance's public website as the alliance presents it: the
// host name it answers on (an instance serves several alliances, each under
// its own name), its logo, colours and footer. The zero Site is the
// instance's default look with no host of its own.
type Site struct {
	AllianceID int64
	// Host is the alliance's own host name, lower case, without a port,
	// e.g. "osloregionen.no"; "" for none.
	Host string
	// Colour is the background of the site's header as #rrggbb; its text is
	// white or black, whichever contrasts more (see HeaderText). "" keeps
	// the default.
	Colour string
	// LinkColour colours links in the text as #rrggbb; it must reach 4.5:1
	// against the white page (WCAG 1.4.3). "" keeps the default.
	LinkColour string
	// FooterNB and FooterEN are the footer's text, plain, paragraphs
	// separated by blank lines.
	FooterNB, FooterEN string
	// Logo is the picture shown in the header (PNG or JPEG, checked by the
	// caller); LogoType its media type; LogoHash names its version.
	Logo     []byte
	LogoType string
	LogoHash string
}

// MinTextContrast is the contrast ratio WCAG 2.1 AA asks of body text.
const MinTextContrast = 4.5

// MaxLogoBytes bounds a logo; a header logo needs far less.
const MaxLogoBytes = 256 << 10

// Footer returns the footer text in lang, falling back to Norwegian.
func (s Site) Footer(lang string) string {
	if lang == "en" && s.FooterEN != "" {
		return s.FooterEN
	}
	return s.FooterNB
}

// HeaderText is the colour of text on the header: white or black, whichever
// contrasts more with Colour. One of them always reaches 4.5:1.
func (s Site) HeaderText() string {
	if s.Colour == "" {
		return ""
	}
	if Contrast(s.Colour, "#ffffff") >= Contrast(s.Colour, "#000000") {
		return "#ffffff"
	}
	return "#000000"
}

// Validate normalises the host and colours and checks them.
func (s *Site) Validate() error {
	h, err := NormaliseHost(s.Host)
	if err != nil {
		return err
	}
	s.Host = h
	for _, c := range []struct {
		field string
		v     *string
	}{{"colour", &s.Colour}, {"link_colour", &s.LinkColour}} {
		*c.v = strings.ToLower(strings.TrimSpace(*c.v))
		if *c.v == "" {
			continue
		}
		if _, ok := parseColour(*c.v); !ok {
			return FieldErrorf(c.field, "a colour is written #rrggbb, e.g. #1a4d7a, not %q", *c.v)
		}
	}
	if s.LinkColour != "" {
		if c := Contrast(s.LinkColour, "#ffffff"); c < MinTextContrast {
			return FieldErrorf("link_colour", "the link colour %s has a contrast of %.1f:1 against the white page; at least %.1f:1 is needed", s.LinkColour, c, MinTextContrast)
		}
	}
	s.FooterNB = strings.TrimSpace(s.FooterNB)
	s.FooterEN = strings.TrimSpace(s.FooterEN)
	if len(s.FooterNB) > 2000 || len(s.FooterEN) > 2000 {
		return FieldErrorf("footer_nb", "the footer is longer than 2,000 characters")
	}
	if len(s.Logo) > MaxLogoBytes {
		return FieldErrorf("logo", "the logo is larger than %d kB", MaxLogoBytes>>10)
	}
	if len(s.Logo) > 0 && s.LogoType != "image/png" && s.LogoType != "image/jpeg" {
		return FieldErrorf("logo", "a logo is a PNG or JPEG picture")
	}
	return nil
}

// NormaliseHost returns a host name in the form sites are looked up by: lower
// case, no port, no trailing dot. It refuses IP addresses, ports, paths and
// anything that is not a DNS name. "" stays "".
func NormaliseHost(h string) (string, error) {
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	if h == "" {
		return "", nil
	}
	bad := func(why string) error {
		return FieldErrorf("host", "%q is not a host name: %s", h, why)
	}
	if len(h) > 253 {
		return "", bad("longer than 253 characters")
	}
	if _, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		return "", bad("an IP address cannot name an alliance's site")
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return "", bad("a host name has at least two labels, e.g. osloregionen.no")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return "", bad("each label is 1–63 characters")
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return "", bad("a label neither starts nor ends with a hyphen")
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return "", bad("only a–z, 0–9 and hyphens (write æøå names in their xn-- form)")
			}
		}
	}
	if _, err := strconv.Atoi(labels[len(labels)-1]); err == nil {
		return "", bad("the last label is not a number")
	}
	return h, nil
}

// RequestHost is the host of a request's Host header as sites are looked up
// by: lower case, without port or trailing dot. It does not validate.
func RequestHost(h string) string {
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

func parseColour(c string) ([3]float64, bool) {
	var rgb [3]float64
	if len(c) != 7 || c[0] != '#' {
		return rgb, false
	}
	for i := range 3 {
		n, err := strconv.ParseUint(c[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return rgb, false
		}
		rgb[i] = float64(n) / 255
	}
	return rgb, true
}

// luminance is the relative luminance of WCAG 2.1.
func luminance(rgb [3]float64) float64 {
	var l [3]float64
	for i, c := range rgb {
		if c <= 0.04045 {
			l[i] = c / 12.92
		} else {
			l[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

// ValidColour reports whether c is a colour as sites store them, #rrggbb.
func ValidColour(c string) bool {
	_, ok := parseColour(c)
	return ok
}

// Contrast is the WCAG 2.1 contrast ratio of two #rrggbb colours, from 1 to
// 21; 0 if either is not a colour.
func Contrast(a, b string) float64 {
	x, ok1 := parseColour(a)
	y, ok2 := parseColour(b)
	if !ok1 || !ok2 {
		return 0
	}
	l1, l2 := luminance(x), luminance(y)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// String describes the site for the audit log, without the logo's bytes.
func (s Site) String() string {
	return fmt.Sprintf("host=%q colour=%q link=%q logo=%s", s.Host, s.Colour, s.LinkColour, s.LogoHash)
}
