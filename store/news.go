package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/picture"
)

// stampNews is renewed by every change of articles, their images, contacts
// and offices.
const stampNews = "news_stamp"

const articleColumns = `id, alliance_id, slug, title_nb, title_en, summary_nb, summary_en, body_nb, body_en, author, publish_at,
	COALESCE(event_id, 0), COALESCE(meeting_id, 0), COALESCE(measure_id, 0), created_at, updated_at`

func scanArticle(s interface{ Scan(...any) error }) (samrad.Article, error) {
	var a samrad.Article
	var publish, created, updated timestamp
	err := s.Scan(&a.ID, &a.AllianceID, &a.Slug, &a.TitleNB, &a.TitleEN, &a.SummaryNB, &a.SummaryEN, &a.BodyNB, &a.BodyEN, &a.Author, &publish,
		&a.EventID, &a.MeetingID, &a.MeasureID, &created, &updated)
	a.PublishAt, a.CreatedAt, a.UpdatedAt = publish.t, created.t, updated.t
	return a, err
}

// checkArticleLinks checks that the meeting and the measure an article
// links to are the alliance's own.
func checkArticleLinks(ctx context.Context, tx *sql.Tx, a *samrad.Article) error {
	if a.MeetingID != 0 {
		_, b, err := meetingInfo(ctx, tx, a.MeetingID)
		if err != nil || b.AllianceID != a.AllianceID {
			return samrad.FieldErrorf("meeting", "meeting %d is not a meeting of the alliance", a.MeetingID)
		}
	}
	if a.MeasureID != 0 {
		if err := sameAllianceMeasure(ctx, tx, a.AllianceID, a.MeasureID); err != nil {
			return samrad.FieldErrorf("measure", "measure %d is not a measure of the alliance", a.MeasureID)
		}
	}
	return nil
}

// slugTaken turns a unique violation on the slug into a field error.
func slugTaken(ctx context.Context, tx *sql.Tx, a *samrad.Article) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE alliance_id = $1 AND slug = $2 AND id <> $3`, a.AllianceID, a.Slug, a.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return samrad.FieldErrorf("slug", "another article of the alliance has the slug %q", a.Slug)
	}
	return nil
}

// CreateArticle stores a new article (a draft if it has no publish time).
func (db *DB) CreateArticle(ctx context.Context, a *samrad.Article) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if a.Author == "" {
		a.Author = samrad.ActorFrom(ctx).Name
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkArticleLinks(ctx, tx, a); err != nil {
			return err
		}
		if err := slugTaken(ctx, tx, a); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Second)
		id, err := insertID(ctx, tx, `INSERT INTO articles (alliance_id, slug, title_nb, title_en, summary_nb, summary_en, body_nb, body_en, author, publish_at,
			event_id, meeting_id, measure_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
			a.AllianceID, a.Slug, a.TitleNB, a.TitleEN, strings.TrimSpace(a.SummaryNB), strings.TrimSpace(a.SummaryEN), strings.TrimSpace(a.BodyNB),
			strings.TrimSpace(a.BodyEN), a.Author, timeArg(a.PublishAt), nullID(a.EventID), nullID(a.MeetingID), nullID(a.MeasureID), at.Format(time.RFC3339))
		if err != nil {
			return err
		}
		a.ID, a.CreatedAt, a.UpdatedAt = id, at, at
		if err := renew(ctx, tx, stampNews); err != nil {
			return err
		}
		return audit(ctx, tx, a.AllianceID, "create", "article", id, nil, a)
	})
}

// UpdateArticle changes an article's texts, links and publish time.
func (db *DB) UpdateArticle(ctx context.Context, a *samrad.Article) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanArticle(tx.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = $1`, a.ID))
		if err != nil || before.AllianceID != a.AllianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no article %d", a.ID)
		}
		if err := checkArticleLinks(ctx, tx, a); err != nil {
			return err
		}
		if err := slugTaken(ctx, tx, a); err != nil {
			return err
		}
		a.UpdatedAt, a.CreatedAt = time.Now().UTC().Truncate(time.Second), before.CreatedAt
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET slug = $1, title_nb = $2, title_en = $3, summary_nb = $4, summary_en = $5, body_nb = $6,
			body_en = $7, author = $8, publish_at = $9, event_id = $10, meeting_id = $11, measure_id = $12, updated_at = $13 WHERE id = $14`,
			a.Slug, a.TitleNB, a.TitleEN, strings.TrimSpace(a.SummaryNB), strings.TrimSpace(a.SummaryEN), strings.TrimSpace(a.BodyNB), strings.TrimSpace(a.BodyEN),
			a.Author, timeArg(a.PublishAt), nullID(a.EventID), nullID(a.MeetingID), nullID(a.MeasureID), a.UpdatedAt.Format(time.RFC3339), a.ID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampNews); err != nil {
			return err
		}
		return audit(ctx, tx, a.AllianceID, "update", "article", a.ID, before, a)
	})
}

// SetArticlePublishTime publishes an article at a time (now, or later:
// scheduled), or with the zero time makes it a draft again.
func (db *DB) SetArticlePublishTime(ctx context.Context, allianceID, id int64, at time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var a int64
		var before timestamp
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id, publish_at FROM articles WHERE id = $1`, id).Scan(&a, &before); err != nil || a != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no article %d", id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET publish_at = $1, updated_at = $2 WHERE id = $3`, timeArg(at), now(), id); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampNews); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "publish", "article", id, map[string]time.Time{"publish_at": before.t}, map[string]time.Time{"publish_at": at})
	})
}

// Article returns an article with its images, published or not.
func (db *DB) Article(ctx context.Context, id int64) (samrad.Article, error) {
	a, err := scanArticle(db.db.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = $1`, id))
	if err != nil {
		return a, notFound(err, "no article %d", id)
	}
	list := []samrad.Article{a}
	if err := db.withImages(ctx, list); err != nil {
		return a, err
	}
	return list[0], nil
}

// Articles returns an alliance's articles published by publishedBy, newest
// first, at most limit of them, with their images.
func (db *DB) Articles(ctx context.Context, allianceID int64, publishedBy time.Time, limit int) ([]samrad.Article, error) {
	page, err := db.NewsPage(ctx, allianceID, publishedBy, 0, limit)
	return page.Articles, err
}

// NewsPage is one page of an alliance's published news.
type NewsPage struct {
	Articles []samrad.Article // newest first, with their images
	Total    int              // published articles in all
	// NextPublish is when the next scheduled article is published (zero:
	// none is scheduled). A page showing the news is stale from then on,
	// though no data has changed.
	NextPublish time.Time
}

// NewsPage returns the published articles of an alliance at now, newest
// first, skipping offset of them.
func (db *DB) NewsPage(ctx context.Context, allianceID int64, at time.Time, offset, limit int) (NewsPage, error) {
	var p NewsPage
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	when := at.UTC().Format(time.RFC3339)
	var next sql.NullString
	if err := db.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN publish_at <= $2 THEN 1 ELSE 0 END), 0),
		MIN(CASE WHEN publish_at > $2 THEN publish_at END) FROM articles WHERE alliance_id = $1 AND publish_at IS NOT NULL`, allianceID, when).Scan(&p.Total, &next); err != nil {
		return p, err
	}
	if next.Valid {
		t, err := time.Parse(time.RFC3339, next.String)
		if err != nil {
			return p, err
		}
		p.NextPublish = t
	}
	if p.Total == 0 || offset >= p.Total {
		return p, nil
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE alliance_id = $1 AND publish_at <= $2
		ORDER BY publish_at DESC, id DESC LIMIT $3 OFFSET $4`, allianceID, when, limit, offset)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return p, err
		}
		p.Articles = append(p.Articles, a)
	}
	if err := rows.Err(); err != nil {
		return p, err
	}
	return p, db.withImages(ctx, p.Articles)
}

// AllArticles lists every article of an alliance, drafts and scheduled
// ones too, newest first, without images: for the secretariat.
func (db *DB) AllArticles(ctx context.Context, allianceID int64) ([]samrad.Article, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE alliance_id = $1
		ORDER BY publish_at IS NOT NULL, publish_at DESC, id DESC`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// withImages reads the images of the articles, with their sizes, in one query.
func (db *DB) withImages(ctx context.Context, list []samrad.Article) error {
	if len(list) == 0 {
		return nil
	}
	at := map[int64]int{}
	args := make([]any, len(list))
	ph := make([]string, len(list))
	for i, a := range list {
		at[a.ID] = i
		args[i] = a.ID
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT i.id, i.article_id, i.position, i.alt_nb, i.alt_en, i.caption_nb, i.caption_en, i.credit,
		COALESCE(v.width, 0), COALESCE(v.height, 0), COALESCE(v.sha256, '')
		FROM article_images i LEFT JOIN image_variants v ON v.image_id = i.id
		WHERE i.article_id IN (`+strings.Join(ph, ", ")+`) ORDER BY i.article_id, i.position, i.id, v.width`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var im samrad.ArticleImage
		var v samrad.ImageVariant
		if err := rows.Scan(&im.ID, &im.ArticleID, &im.Position, &im.AltNB, &im.AltEN, &im.CaptionNB, &im.CaptionEN, &im.Credit, &v.Width, &v.Height, &v.SHA256); err != nil {
			return err
		}
		a := &list[at[im.ArticleID]]
		if n := len(a.Images); n == 0 || a.Images[n-1].ID != im.ID {
			a.Images = append(a.Images, im)
		}
		if v.Width > 0 {
			last := &a.Images[len(a.Images)-1]
			last.Variants = append(last.Variants, v)
		}
	}
	return rows.Err()
}

// AddArticleImage stores an image of an article in its sizes (made by
// picture.Process), after the article's other images unless it has a
// position. Nothing is stored if the texts are invalid.
func (db *DB) AddArticleImage(ctx context.Context, allianceID int64, im *samrad.ArticleImage, variants []picture.Variant) error {
	if err := im.Validate(); err != nil {
		return err
	}
	if len(variants) == 0 {
		return samrad.FieldErrorf("file", "the image has no sizes")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var a int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM articles WHERE id = $1`, im.ArticleID).Scan(&a); err != nil || a != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no article %d", im.ArticleID)
		}
		if im.Position <= 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM article_images WHERE article_id = $1`, im.ArticleID).Scan(&im.Position); err != nil {
				return err
			}
		}
		id, err := insertID(ctx, tx, `INSERT INTO article_images (article_id, position, alt_nb, alt_en, caption_nb, caption_en, credit, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, im.ArticleID, im.Position, im.AltNB, im.AltEN, strings.TrimSpace(im.CaptionNB),
			strings.TrimSpace(im.CaptionEN), strings.TrimSpace(im.Credit), now())
		if err != nil {
			return err
		}
		im.ID, im.Variants = id, nil
		for _, v := range variants {
			sum := sha256.Sum256(v.Data)
			sha := hex.EncodeToString(sum[:])
			if _, err := tx.ExecContext(ctx, `INSERT INTO files (sha256, size, content_type, data) VALUES ($1, $2, $3, $4)
				ON CONFLICT (sha256) DO NOTHING`, sha, len(v.Data), "image/jpeg", v.Data); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO image_variants (image_id, width, height, sha256) VALUES ($1, $2, $3, $4)`, id, v.Width, v.Height, sha); err != nil {
				return err
			}
			im.Variants = append(im.Variants, samrad.ImageVariant{Width: v.Width, Height: v.Height, SHA256: sha})
		}
		if err := renew(ctx, tx, stampNews); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "article_image", id, nil, im)
	})
}

// DeleteArticleImage removes an image and, where nothing else uses them,
// the files of its sizes.
func (db *DB) DeleteArticleImage(ctx context.Context, allianceID, imageID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var a int64
		var im samrad.ArticleImage
		err := tx.QueryRowContext(ctx, `SELECT ar.alliance_id, i.article_id, i.alt_nb, i.caption_nb, i.credit FROM article_images i
			JOIN articles ar ON ar.id = i.article_id WHERE i.id = $1`, imageID).Scan(&a, &im.ArticleID, &im.AltNB, &im.CaptionNB, &im.Credit)
		if err != nil || a != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no image %d", imageID)
		}
		rows, err := tx.QueryContext(ctx, `SELECT sha256 FROM image_variants WHERE image_id = $1`, imageID)
		if err != nil {
			return err
		}
		var shas []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			shas = append(shas, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM image_variants WHERE image_id = $1`, imageID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_images WHERE id = $1`, imageID); err != nil {
			return err
		}
		for _, s := range shas {
			if _, err := tx.ExecContext(ctx, `DELETE FROM files WHERE sha256 = $1
				AND NOT EXISTS (SELECT 1 FROM image_variants WHERE sha256 = $1) AND NOT EXISTS (SELECT 1 FROM documents WHERE sha256 = $1)`, s); err != nil {
				return err
			}
		}
		if err := renew(ctx, tx, stampNews); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "delete", "article_image", imageID, im, nil)
	})
}

// ImageFile is one size of an article's image, with what decides who may see it.
type ImageFile struct {
	AllianceID int64
	ArticleID  int64
	PublishAt  time.Time // the article's; zero for a draft
	SHA256     string
	Data       []byte
}

// ImageFile returns the JPEG of an image in a width.
func (db *DB) ImageFile(ctx context.Context, imageID int64, width int) (ImageFile, error) {
	var f ImageFile
	var publish timestamp
	err := db.db.QueryRowContext(ctx, `SELECT a.alliance_id, a.id, a.publish_at, v.sha256, f.data FROM image_variants v
		JOIN article_images i ON i.id = v.image_id JOIN articles a ON a.id = i.article_id JOIN files f ON f.sha256 = v.sha256
		WHERE v.image_id = $1 AND v.width = $2`, imageID, width).Scan(&f.AllianceID, &f.ArticleID, &publish, &f.SHA256, &f.Data)
	f.PublishAt = publish.t
	return f, notFound(err, "no image %d in width %d", imageID, width)
}

// Contacts returns an alliance's contacts and offices, in their order.
func (db *DB) Contacts(ctx context.Context, allianceID int64) ([]samrad.Contact, []samrad.Office, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, position, COALESCE(person_id, 0), name, title, phone, email FROM contacts
		WHERE alliance_id = $1 ORDER BY position, id`, allianceID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var cs []samrad.Contact
	for rows.Next() {
		c := samrad.Contact{AllianceID: allianceID}
		if err := rows.Scan(&c.ID, &c.Position, &c.PersonID, &c.Name, &c.Title, &c.Phone, &c.Email); err != nil {
			return nil, nil, err
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows.Close()
	orows, err := db.db.QueryContext(ctx, `SELECT id, position, name, lines, postal_code, city FROM offices WHERE alliance_id = $1 ORDER BY position, id`, allianceID)
	if err != nil {
		return nil, nil, err
	}
	defer orows.Close()
	var os []samrad.Office
	for orows.Next() {
		o := samrad.Office{AllianceID: allianceID}
		var lines string
		if err := orows.Scan(&o.ID, &o.Position, &o.Name, &lines, &o.PostalCode, &o.City); err != nil {
			return nil, nil, err
		}
		if lines != "" {
			o.Lines = strings.Split(lines, "\n")
		}
		os = append(os, o)
	}
	return cs, os, orows.Err()
}

// Contact returns one of an alliance's contacts.
func (db *DB) Contact(ctx context.Context, allianceID, id int64) (samrad.Contact, error) {
	c := samrad.Contact{ID: id}
	err := db.db.QueryRowContext(ctx, `SELECT alliance_id, position, COALESCE(person_id, 0), name, title, phone, email FROM contacts WHERE id = $1`, id).
		Scan(&c.AllianceID, &c.Position, &c.PersonID, &c.Name, &c.Title, &c.Phone, &c.Email)
	if err == nil && c.AllianceID != allianceID {
		err = sql.ErrNoRows
	}
	return c, notFound(err, "no contact %d", id)
}

// SaveContact creates a contact (ID 0, placed last) or changes one. A
// contact who is one of the people takes their name if it has none.
func (db *DB) SaveContact(ctx context.Context, c *samrad.Contact) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if c.PersonID != 0 {
			var name string
			if err := tx.QueryRowContext(ctx, `SELECT name FROM people WHERE id = $1`, c.PersonID).Scan(&name); err != nil {
				return samrad.FieldErrorf("person", "no person %d", c.PersonID)
			}
			if strings.TrimSpace(c.Name) == "" {
				c.Name = name
			}
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if c.ID == 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM contacts WHERE alliance_id = $1`, c.AllianceID).Scan(&c.Position); err != nil {
				return err
			}
			id, err := insertID(ctx, tx, `INSERT INTO contacts (alliance_id, position, person_id, name, title, phone, email) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				c.AllianceID, c.Position, nullID(c.PersonID), c.Name, c.Title, c.Phone, c.Email)
			if err != nil {
				return err
			}
			c.ID = id
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE contacts SET person_id = $1, name = $2, title = $3, phone = $4, email = $5 WHERE id = $6 AND alliance_id = $7`,
				nullID(c.PersonID), c.Name, c.Title, c.Phone, c.Email, c.ID, c.AllianceID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return samrad.Errorf(samrad.ENOTFOUND, "no contact %d", c.ID)
			}
		}
		if err := renew(ctx, tx, stampNews); err != nil {
			return err
		}
		return audit(ctx, tx, c.AllianceID, "save", "contact", c.ID, nil, c)
	})
}

// SaveOffice creates an office (ID 0, placed last) or changes one.
func (db *DB) SaveOffice(ctx context.Context, o *samrad.Office) error {
	if err := o.Validate(); err != nil {
		return err
	}
	lines := strings.Join(o.Lines, "\n")
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if o.ID == 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM offices WHERE alliance_id = $1`, o.AllianceID).Scan(&o.Position); err != nil {
				return err
			}
			id, err := insertID(ctx, tx, `INSERT INTO offices (alliance_id, position, name, lines, postal_code, city) VALUES ($1, $2, $3, $4, $5, $6)`,
				o.AllianceID, o.Position, o.Name, lines, o.PostalCode, o.City)
			if err != nil {
				return err
			}
			o.ID = id
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE offices SET name = $1, lines = $2, postal_code = $3, city = $4 WHERE id = $5 AND alliance_id = $6`,
				o.Name, lines, o.PostalCode, o.City, o.ID, o.AllianceID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return samrad.Errorf(samrad.ENOTFOUND, "no office %d", o.ID)
			}
		}
		if err := renew(ctx, tx, stampNews); err != nil {
			return err
		}
		return audit(ctx, tx, o.AllianceID, "save", "office", o.ID, nil, o)
	})
}

// DeleteContact removes a contact of an alliance.
func (db *DB) DeleteContact(ctx context.Context, allianceID, id int64) error {
	return db.deleteOwned(ctx, "contacts", "contact", allianceID, id)
}

// DeleteOffice removes an office of an alliance.
func (db *DB) DeleteOffice(ctx context.Context, allianceID, id int64) error {
	return db.deleteOwned(ctx, "offices", "office", allianceID, id)
}

// deleteOwned deletes a row of table (a constant) that belongs to the alliance.
func (db *DB) deleteOwned(ctx context.Context, table, entity string, allianceID, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = $1 AND alliance_id = $2`, id, allianceID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return samrad.Errorf(samrad.ENOTFOUND, "no %s %d", entity, id)
		}
		if err := renew(ctx, tx, stampNews); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "delete", entity, id, nil, nil)
	})
}

// MeasureRef names a measure for a link to it: its programme's year and
// its number ("1.2").
type MeasureRef struct {
	ID, AllianceID int64
	Year           int
	Label, Title   string
}

// MeasureRef returns the measure with id.
func (db *DB) MeasureRef(ctx context.Context, id int64) (MeasureRef, error) {
	m := MeasureRef{ID: id}
	var sec, num int
	err := db.db.QueryRowContext(ctx, `SELECT p.alliance_id, p.year, s.number, m.number, m.title FROM measures m
		JOIN programmes p ON p.id = m.programme_id JOIN programme_sections s ON s.id = m.section_id WHERE m.id = $1`, id).
		Scan(&m.AllianceID, &m.Year, &sec, &num, &m.Title)
	m.Label = strconv.Itoa(sec) + "." + strconv.Itoa(num)
	return m, notFound(err, "no measure %d", id)
}
