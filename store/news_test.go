package store_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/picture"
	"github.com/samrad/samrad/store"
)

func testPhoto(t *testing.T, w, h int) []picture.Variant {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.SetNRGBA(0, 0, color.NRGBA{R: 10, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	vs, err := picture.Process(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func TestArticlesScheduledImagesAndLinks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		other := newAlliance(t, db, "vestregionen")
		body := samrad.Body{AllianceID: a.ID, Slug: "kontaktgruppen", NameNB: "Kontaktgruppen", Kind: samrad.BodyContactGroup}
		if err := db.CreateBody(ctx, &body); err != nil {
			t.Fatal(err)
		}
		m := samrad.Meeting{BodyID: body.ID, Year: 2020, Start: time.Date(2020, 1, 23, 9, 0, 0, 0, time.UTC), Status: samrad.MeetingPlanned}
		if err := db.CreateMeeting(ctx, &m); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2020, 1, 28, 12, 0, 0, 0, time.UTC)
		published := samrad.Article{AllianceID: a.ID, TitleNB: "Kontaktgruppesamling i Bærum med fagseminar", BodyNB: "Første avsnitt.\n\nAndre avsnitt.",
			PublishAt: now.Add(-2 * time.Hour), MeetingID: m.ID, EventID: 42}
		scheduled := samrad.Article{AllianceID: a.ID, TitleNB: "Neste samling", PublishAt: now.Add(3 * time.Hour)}
		draft := samrad.Article{AllianceID: a.ID, TitleNB: "Utkast"}
		for _, x := range []*samrad.Article{&published, &scheduled, &draft} {
			if err := db.CreateArticle(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		if published.Slug != "kontaktgruppesamling-i-baerum-med-fagseminar" {
			t.Errorf("slug %q", published.Slug)
		}
		// Bad input: a meeting of another alliance, a taken slug, no title.
		if err := db.CreateArticle(ctx, &samrad.Article{AllianceID: other.ID, TitleNB: "X", MeetingID: m.ID}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("another alliance's meeting: %v", err)
		}
		if err := db.CreateArticle(ctx, &samrad.Article{AllianceID: a.ID, TitleNB: "Utkast"}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("taken slug: %v", err)
		}
		if err := db.CreateArticle(ctx, &samrad.Article{AllianceID: a.ID, TitleNB: " "}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("no title: %v", err)
		}

		p, err := db.NewsPage(ctx, a.ID, now, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 1 || len(p.Articles) != 1 || p.Articles[0].ID != published.ID || !p.NextPublish.Equal(scheduled.PublishAt) {
			t.Fatalf("news at %v: %+v", now, p)
		}
		if got := p.Articles[0]; got.MeetingID != m.ID || got.EventID != 42 || got.BodyNB != published.BodyNB {
			t.Errorf("article read back as %+v", got)
		}
		later, err := db.Articles(ctx, a.ID, now.Add(4*time.Hour), 10)
		if err != nil || len(later) != 2 || later[0].ID != scheduled.ID {
			t.Fatalf("after the scheduled time: %+v, %v", later, err)
		}
		all, err := db.AllArticles(ctx, a.ID)
		if err != nil || len(all) != 3 || all[0].ID != draft.ID {
			t.Errorf("all articles, drafts first: %+v %v", all, err)
		}

		// Images: stored in sizes, in order, with their texts.
		for i, caption := range []string{"Direktør Gunnar Selvik", "Fagseminar i Kunnskapssenteret"} {
			im := samrad.ArticleImage{ArticleID: published.ID, AltNB: "Plassholder for foto: " + caption, CaptionNB: caption, Credit: "ORE"}
			if err := db.AddArticleImage(ctx, a.ID, &im, testPhoto(t, 1000+i, 500)); err != nil {
				t.Fatal(err)
			}
		}
		// Bad input: no alternative text; nothing is stored.
		if err := db.AddArticleImage(ctx, a.ID, &samrad.ArticleImage{ArticleID: published.ID, CaptionNB: "Uten alt"}, testPhoto(t, 10, 10)); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("image without alt text: %v", err)
		}
		if err := db.AddArticleImage(ctx, other.ID, &samrad.ArticleImage{ArticleID: published.ID, AltNB: "x"}, testPhoto(t, 10, 10)); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("image for another alliance's article: %v", err)
		}
		got, err := db.Article(ctx, published.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Images) != 2 || got.Images[0].Position != 1 || got.Images[1].CaptionNB != "Fagseminar i Kunnskapssenteret" {
			t.Fatalf("images %+v", got.Images)
		}
		if vs := got.Images[1].Variants; len(vs) != 3 || vs[0].Width != 480 || vs[2].Width != 1001 || got.Images[1].Largest().Height != 500 {
			t.Errorf("sizes %+v", vs)
		}
		f, err := db.ImageFile(ctx, got.Images[0].ID, 960)
		if err != nil || f.ArticleID != published.ID || !f.PublishAt.Equal(published.PublishAt) || f.SHA256 != got.Images[0].Variants[1].SHA256 {
			t.Fatalf("image file %+v, %v", f, err)
		}
		if _, err := png.DecodeConfig(bytes.NewReader(f.Data)); err == nil {
			t.Error("the stored size is a PNG, not a JPEG")
		}
		if err := db.DeleteArticleImage(ctx, a.ID, got.Images[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImageFile(ctx, got.Images[0].ID, 960); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("deleted image still served: %v", err)
		}

		// Publishing the draft now, and unpublishing it.
		if err := db.SetArticlePublishTime(ctx, a.ID, draft.ID, now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if p, _ := db.NewsPage(ctx, a.ID, now, 0, 10); p.Total != 2 {
			t.Errorf("after publishing the draft: %d published", p.Total)
		}
		if err := db.SetArticlePublishTime(ctx, other.ID, draft.ID, time.Time{}); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("another alliance publishing: %v", err)
		}
		upd := scheduled
		upd.TitleEN, upd.PublishAt = "Next gathering", time.Time{}
		if err := db.UpdateArticle(ctx, &upd); err != nil {
			t.Fatal(err)
		}
		if p, _ := db.NewsPage(ctx, a.ID, now, 0, 10); !p.NextPublish.IsZero() {
			t.Errorf("no article scheduled, but next publish %v", p.NextPublish)
		}
		if got, _ := db.Article(ctx, scheduled.ID); got.Title("en").Text != "Next gathering" || got.Title("nb").Lang != "nb" {
			t.Errorf("English title %+v", got.Title("en"))
		}
	})
}

func TestContactsAndOffices(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		other := newAlliance(t, db, "osloregionen")
		selvik := samrad.Person{Name: "Gunnar Selvik", Title: "direktør"}
		if err := db.CreatePerson(ctx, &selvik); err != nil {
			t.Fatal(err)
		}
		c := samrad.Contact{AllianceID: a.ID, PersonID: selvik.ID, Title: "Direktør", Phone: "+32 (0) 460 94 1393", Email: "direktor@ore.example.no"}
		if err := db.SaveContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		if c.Name != "Gunnar Selvik" || c.Position != 1 {
			t.Errorf("contact %+v", c)
		}
		for _, bad := range []samrad.Contact{
			{AllianceID: a.ID, Name: "X", Email: "ikke en adresse"},
			{AllianceID: a.ID, Name: "X", Email: "Gunnar <g@example.no>"},
			{AllianceID: a.ID, Name: "X", Phone: "ring meg"},
			{AllianceID: a.ID},
			{AllianceID: a.ID, PersonID: 9999},
		} {
			if err := db.SaveContact(ctx, &bad); samrad.ErrorCode(err) != samrad.EINVALID {
				t.Errorf("contact %+v: %v, want EINVALID", bad, err)
			}
		}
		for _, o := range []samrad.Office{
			{AllianceID: a.ID, Name: "Brussel", Lines: []string{"Nordic House", "Rue du Luxembourg 3 / 5"}, PostalCode: "1000", City: "Brussel"},
			{AllianceID: a.ID, Name: "Oslo", Lines: []string{"Mesh", "Tordenskiolds gate 2"}, PostalCode: "0160", City: "Oslo"},
		} {
			if err := db.SaveOffice(ctx, &o); err != nil {
				t.Fatal(err)
			}
		}
		cs, os, err := db.Contacts(ctx, a.ID)
		if err != nil || len(cs) != 1 || len(os) != 2 || os[0].Lines[1] != "Rue du Luxembourg 3 / 5" || os[1].City != "Oslo" {
			t.Fatalf("contacts %+v offices %+v %v", cs, os, err)
		}
		if got, err := db.Contact(ctx, a.ID, c.ID); err != nil || got.Email != "direktor@ore.example.no" {
			t.Errorf("contact %+v %v", got, err)
		}
		if _, err := db.Contact(ctx, other.ID, c.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("another alliance's contact: %v", err)
		}
		if err := db.DeleteOffice(ctx, other.ID, os[0].ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("deleting another alliance's office: %v", err)
		}
		if err := db.DeleteOffice(ctx, a.ID, os[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteContact(ctx, a.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		if cs, os, _ := db.Contacts(ctx, a.ID); len(cs) != 0 || len(os) != 1 {
			t.Errorf("after deleting: %d contacts, %d offices", len(cs), len(os))
		}
	})
}
