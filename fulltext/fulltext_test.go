package fulltext

import (
	"bufio"
	"os"
	"reflect"
	"strings"
	"testing"
)

// The stems agree with the Snowball project's own output for its sample
// vocabulary (every tenth word of it is in testdata).
func TestStemSnowballVocabulary(t *testing.T) {
	f, err := os.Open("testdata/voc_output.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		in, want, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("line %d: no tab", n+1)
		}
		n++
		if IsStopWord(in) {
			continue
		}
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
	if n < 2000 {
		t.Fatalf("only %d words in the vocabulary", n)
	}
}

func TestStem(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"kommunene", "kommune"},
		{"Kommunenes", "kommuner"},
		{"kontingenten", "kontingent"},
		{"kontingentene", "kontingenter"},
		{"vedtakene", "vedtak"},
	} {
		if Stem(c.a) != Stem(c.b) {
			t.Errorf("Stem(%q) = %q, Stem(%q) = %q: want the same", c.a, Stem(c.a), c.b, Stem(c.b))
		}
	}
	for in, want := range map[string]string{"og": "", "2017": "2017", "B2B": "b2b", "Москва": "москва"} {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIndexText(t *testing.T) {
	got := IndexText("Kommunene og fylket: kontingenten for 2017 (e-post) 😀 čáhci")
	want := "kommun fylk kontingent 2017 e post čáhci"
	if got != want {
		t.Errorf("IndexText = %q, want %q", got, want)
	}
}

func TestParseQuery(t *testing.T) {
	type term struct {
		words   string
		exclude bool
	}
	cases := []struct {
		in        string
		terms     []term
		websearch string
		fts5      string
	}{
		{"kommunene", []term{{"kommunene", false}}, `"kommunene"`, `("kommun")`},
		{`kontingent -"vestregionen sitt" "e-post"`,
			[]term{{"kontingent", false}, {"vestregionen sitt", true}, {"e post", false}},
			`"kontingent" -"vestregionen sitt" "e post"`, `("kontingent" AND "e post") NOT "vestregion"`},
		{`kommune OR fylke NEAR(x) * ^title: "uavsluttet`,
			[]term{{"kommune", false}, {"or", false}, {"fylke", false}, {"near x", false}, {"title", false}, {"uavsluttet", false}},
			`"kommune" "or" "fylke" "near x" "title" "uavsluttet"`, `("kommun" AND "or" AND "fylk" AND "near x" AND "titl" AND "uavslutt")`},
		{"og i på", nil, "", ""},
		{"-kommune", []term{{"kommune", true}}, `-"kommune"`, ""},
		{"kommune kommunene", []term{{"kommune", false}}, `"kommune"`, `("kommun")`},
		{"😀 Москва čáhci", []term{{"москва", false}, {"čáhci", false}}, `"москва" "čáhci"`, `("москва" AND "čáhci")`},
	}
	for _, c := range cases {
		q := ParseQuery(c.in)
		var got []term
		for _, t := range q.Terms {
			got = append(got, term{strings.Join(t.Words, " "), t.Exclude})
		}
		if !reflect.DeepEqual(got, c.terms) {
			t.Errorf("ParseQuery(%q) terms = %v, want %v", c.in, got, c.terms)
		}
		if w := q.Websearch(); w != c.websearch {
			t.Errorf("ParseQuery(%q).Websearch() = %q, want %q", c.in, w, c.websearch)
		}
		if f := q.FTS5(); f != c.fts5 {
			t.Errorf("ParseQuery(%q).FTS5() = %q, want %q", c.in, f, c.fts5)
		}
	}
}

func TestParseQueryLimits(t *testing.T) {
	q := ParseQuery(strings.Repeat("kommune ", 100))
	if !q.Truncated || len(q.Terms) != 1 {
		t.Errorf("long repeated input: %d terms, truncated %v", len(q.Terms), q.Truncated)
	}
	var words []string
	for i := range 40 {
		words = append(words, "ord"+strings.Repeat("x", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	q = ParseQuery(strings.Join(words, " "))
	if len(q.Terms) != MaxTerms || !q.Truncated {
		t.Errorf("40 words: %d terms, truncated %v", len(q.Terms), q.Truncated)
	}
}

func TestSnippet(t *testing.T) {
	text := "Styret drøftet budsjettet. " + strings.Repeat("Fyllord her. ", 20) +
		"Kommunene betaler kontingenten <innen> mars. " + strings.Repeat("Mer tekst. ", 20)
	got := Snippet(text, ParseQuery("kommune kontingent"), 12)
	// Three words (a quarter of the width) before the first hit.
	want := "… her. Fyllord her. <mark>Kommunene</mark> betaler <mark>kontingenten</mark> &lt;innen&gt; mars. Mer tekst. Mer tekst …"
	if got != want {
		t.Errorf("Snippet =\n%s\nwant\n%s", got, want)
	}
	if got := Snippet("Kort tekst.", ParseQuery("kommune"), 12); got != "Kort tekst." {
		t.Errorf("Snippet without a hit = %q", got)
	}
}

// FuzzParseQuery: whatever is typed, the parser's output holds only words,
// within the limits, and the database queries built from it are balanced.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"kommunene", `"a b" -c`, `NEAR(a b, 3) OR c* ^d col:e "`, "😀 Москва čáhci", "-", `-""`, "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		if len(q.Terms) > MaxTerms {
			t.Fatalf("%d terms", len(q.Terms))
		}
		for _, term := range q.Terms {
			if len(term.Stems) == 0 {
				t.Fatalf("term without stems: %+v", term)
			}
			for _, w := range append(append([]string{}, term.Words...), term.Stems...) {
				toks := Tokens(w)
				if len(toks) != 1 || toks[0].Start != 0 || toks[0].End != len(w) {
					t.Fatalf("%q is not one word", w)
				}
			}
		}
		for _, out := range []string{q.Websearch(), q.FTS5()} {
			if strings.Count(out, `"`)%2 != 0 {
				t.Fatalf("unbalanced quotes in %q", out)
			}
		}
		if q.Empty() != (q.FTS5() == "") {
			t.Fatalf("Empty %v but FTS5 %q", q.Empty(), q.FTS5())
		}
	})
}
