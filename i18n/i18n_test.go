package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

func TestCataloguesAreComplete(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if m := c.Missing(); len(m) > 0 {
		t.Errorf("missing: %v", m)
	}
	if c.T("en", "members_of", "ORE") != "Members of ORE" || c.T("nb", "members_of", "ORE") != "Medlemmer i ORE" {
		t.Error("T does not format")
	}
}

// TestTemplatesUseKnownKeys checks every {{t "key"}} in the web templates.
func TestTemplatesUseKnownKeys(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../web/templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found: %v", err)
	}
	re := regexp.MustCompile(`\bt "([a-z0-9_]+)"`)
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			if !c.Has(m[1]) {
				t.Errorf("%s: unknown key %q", filepath.Base(f), m[1])
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d keys found in templates; the pattern is wrong", n)
	}
}
