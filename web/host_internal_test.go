package web

import "testing"

func TestShorten(t *testing.T) {
	for in, want := range map[string]string{
		`<a href="/allianser/ore">`:                  `<a href="/">`,
		`<a href="/allianser/ore/medlemmer?dato=1">`: `<a href="/medlemmer?dato=1">`,
		`<a href="/allianser/ore?x=1">`:              `<a href="/?x=1">`,
		`<a href="/allianser/ore#kontakt">`:          `<a href="/#kontakt">`,
		`<a href="/en/alliances/ore">`:               `<a href="/en/">`,
		`<a href="/en/alliances/ore/news/1-x">`:      `<a href="/en/news/1-x">`,
		// Another alliance whose slug starts the same way, and text that
		// is not a quoted path, stay as they are.
		`<a href="/allianser/oresund/x">`:                        `<a href="/allianser/oresund/x">`,
		`<p>/allianser/ore/medlemmer</p>`:                        `<p>/allianser/ore/medlemmer</p>`,
		`"/allianser/ore/a" "/allianser/ore-b" "/allianser/ore"`: `"/a" "/allianser/ore-b" "/"`,
		`"/allianser/ore`:                                        `"/allianser/ore`,
	} {
		if got := shorten(in, "ore"); got != want {
			t.Errorf("shorten(%s) = %s, want %s", in, got, want)
		}
	}
}
