package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/samrad/samrad/archive"
	"github.com/samrad/samrad/backup"
)

// cmdBackup copies the database while it serves: samrad backup --out FILE.
func cmdBackup(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "backup")
	out := f.String("out", "", "the backup file to write (must not exist)")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if err := needArgs(pos, 0, "no arguments besides --db and --out"); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("backup: --out FILE is required")
	}
	start := time.Now()
	info, err := backup.Backup(ctx, *f.db, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s backup of %s written to %s: %s in %s\n", info.Engine, redactDSN(*f.db), *out, byteSize(info.Size), time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdRestore puts a backup in the database's place: samrad restore --from FILE.
func cmdRestore(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "restore")
	from := f.String("from", "", "the backup file to restore")
	force := f.Bool("force", false, "replace an existing database (SQLite: kept beside as FILE.replaced-TIME)")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if err := needArgs(pos, 0, "no arguments besides --db, --from and --force"); err != nil {
		return err
	}
	if *from == "" {
		return fmt.Errorf("restore: --from FILE is required")
	}
	start := time.Now()
	info, err := backup.Restore(ctx, *f.db, *from, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s restored into %s (%s) in %s\n", *from, redactDSN(*f.db), info.Engine, time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdExport writes the portable archive: samrad export --out FILE.zip.
func cmdExport(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "export")
	out := f.String("out", "", "the archive to write (.zip, must not exist)")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if err := needArgs(pos, 0, "no arguments besides --db and --out"); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("export: --out FILE.zip is required")
	}
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("export: %s exists already", *out)
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	b := make([]byte, 6)
	rand.Read(b)
	tmp := *out + ".tmp-" + hex.EncodeToString(b)
	file, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	m, err := db.Export(ctx, archive.NewWriter(file), productVersion())
	if err == nil {
		err = file.Sync()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	st, err := os.Stat(*out)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(e.stdout, "%s: %d tables, %d rows, %d files, schema version %d, %s in %s\n",
		*out, len(m.Tables), rows, m.Files, m.Schema, byteSize(st.Size()), time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdImportArchive fills a new database from an archive:
// samrad import --db DSN FILE.zip.
func cmdImportArchive(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("import: expected population, klass-changes, memberships or an archive FILE.zip")
	}
	file, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return err
	}
	r, err := archive.NewReader(file, st.Size())
	if err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Import(ctx, r); err != nil {
		return fmt.Errorf("import %s: %w", filepath.Base(pos[0]), err)
	}
	m := r.Manifest()
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(e.stdout, "%s imported into %s: %d tables, %d rows, %d files in %s\n",
		pos[0], redactDSN(*f.db), len(m.Tables), rows, m.Files, time.Since(start).Round(time.Millisecond))
	return nil
}

// productVersion names this build in an archive's manifest.
func productVersion() string {
	v := "samrad"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if bi.Main.Version != "" {
		v += " " + bi.Main.Version
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" {
			v += " " + s.Value
		}
	}
	return v
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// redactDSN hides a PostgreSQL password in what is printed.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}
