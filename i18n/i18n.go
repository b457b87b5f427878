// Package i18n holds the user-interface text in Norwegian Bokmål (nb, the
// default) and English (en). Every string a page shows comes from here.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
)

// Languages lists the supported languages, the default first.
var Languages = []string{"nb", "en"}

//go:embed *.json
var files embed.FS

// Catalogue maps message keys to text per language.
type Catalogue struct {
	msgs map[string]map[string]string
}

// Load reads the embedded catalogues and checks that every key exists in
// every language.
func Load() (*Catalogue, error) {
	c := &Catalogue{msgs: map[string]map[string]string{}}
	for _, lang := range Languages {
		b, err := files.ReadFile(lang + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n %s.json: %w", lang, err)
		}
		c.msgs[lang] = m
	}
	if missing := c.Missing(); len(missing) > 0 {
		return nil, fmt.Errorf("i18n: keys missing in a language: %v", missing)
	}
	return c, nil
}

// Missing lists "lang:key" for keys present in one language but not another.
func (c *Catalogue) Missing() []string {
	var out []string
	for _, a := range Languages {
		for k := range c.msgs[a] {
			for _, b := range Languages {
				if _, ok := c.msgs[b][k]; !ok {
					out = append(out, b+":"+k)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// T returns the text of key in lang, formatted with args. An unknown key is
// returned as it is, so that it shows in tests and on the page.
func (c *Catalogue) T(lang, key string, args ...any) string {
	s, ok := c.msgs[lang][key]
	if !ok {
		s, ok = c.msgs["nb"][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key exists.
func (c *Catalogue) Has(key string) bool {
	_, ok := c.msgs["nb"][key]
	return ok
}
