package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/archive"
)

// An archive (package archive) holds every table of the instance, found in
// the schema rather than listed here, except these:
//
//   - schema_migrations: the manifest's schema version stands for it;
//   - sessions and login_attempts: who is logged in and who failed to, which
//     belong to one running instance (after a move everyone logs in again);
//   - the search index (search_documents, and on SQLite the full-text table
//     search_index with its shadow tables): derived from the other tables,
//     and rebuilt by their triggers as the import inserts their rows.
//
// Of the meta table the cache stamps stay behind; they are renewed on import.
// The secrets that sign links in e-mail travel, so that links sent before a
// move still work after it.
var untravelled = map[string]bool{"schema_migrations": true, "sessions": true, "login_attempts": true}

// rowFilter keeps rows of a table out of an archive.
var rowFilter = map[string]string{"meta": `key NOT LIKE '%_stamp'`}

// registrySource is the source of the organisations and changes that
// SeedRegistry writes into every new database.
const registrySource = "SSB (Statistisk sentralbyrå), embedded registry"

// allStamps are the stamps of every cache (see cache.go).
var allStamps = []string{stampRegistry, stampMemberships, stampPopulation, stampFees, stampAlliances, stampGovernance,
	stampAgreements, stampBudget, stampEvents, stampFunding, stampIndicators, stampNetworks, stampNews,
	stampNewsletter, stampProgramme, stampProjects, stampRecurring, stampReports, stampServices}

// TableSchema is a table as the database's schema describes it.
type TableSchema struct {
	Name    string
	Columns []archive.Column
	// types are the engine's own column types (PostgreSQL's data_type,
	// SQLite's declared type), to turn dates and times into text.
	types []string
	// Key is the primary key; rows are archived in its order.
	Key []string
	// Parents are the tables this one refers to; SelfRefs the columns that
	// refer to this table itself (as column → referenced column).
	Parents  []string
	SelfRefs [][2]string
	// Identity is the column PostgreSQL numbers, if any.
	Identity string
}

// Tables returns the tables an archive holds, parents before children.
func (db *DB) Tables(ctx context.Context) ([]TableSchema, error) {
	return tablesOf(ctx, db.db, db.dialect)
}

func tablesOf(ctx context.Context, q queryer, d Dialect) ([]TableSchema, error) {
	var names []string
	var err error
	if d == SQLite {
		names, err = queryStrings(ctx, q, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	} else {
		names, err = queryStrings(ctx, q, `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	}
	if err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	sort.Strings(names) // by bytes, as neither engine's collation need be
	var booleans map[string]bool
	if d == SQLite {
		if booleans, err = sqliteBooleans(); err != nil {
			return nil, err
		}
	}
	byName := map[string]*TableSchema{}
	var tables []*TableSchema
	for _, name := range names {
		if untravelled[name] || name == "search_documents" || name == "search_index" || strings.HasPrefix(name, "search_index_") {
			continue
		}
		t := &TableSchema{Name: name}
		if d == SQLite {
			err = sqliteTable(ctx, q, t, booleans)
		} else {
			err = postgresTable(ctx, q, t)
		}
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", name, err)
		}
		byName[name] = t
		tables = append(tables, t)
	}
	return sortByReferences(tables, byName)
}

func sqliteTable(ctx context.Context, q queryer, t *TableSchema, booleans map[string]bool) error {
	rows, err := q.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info($1) ORDER BY cid`, t.Name)
	if err != nil {
		return err
	}
	defer rows.Close()
	type keyCol struct {
		name string
		pos  int
	}
	var key []keyCol
	for rows.Next() {
		var name, typ string
		var pk int
		if err := rows.Scan(&name, &typ, &pk); err != nil {
			return err
		}
		var k archive.Kind
		switch strings.ToUpper(typ) {
		case "INTEGER":
			k = archive.Integer
			if booleans[t.Name+"."+name] {
				k = archive.Boolean
			}
		case "TEXT":
			k = archive.Text
		case "REAL":
			k = archive.Real
		case "BLOB":
			k = archive.Binary
		default:
			return fmt.Errorf("column %s: type %q has no archive kind", name, typ)
		}
		t.Columns = append(t.Columns, archive.Column{Name: name, Kind: k})
		t.types = append(t.types, strings.ToUpper(typ))
		if pk > 0 {
			key = append(key, keyCol{name, pk})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	sort.Slice(key, func(i, j int) bool { return key[i].pos < key[j].pos })
	for _, k := range key {
		t.Key = append(t.Key, k.name)
	}
	fks, err := q.QueryContext(ctx, `SELECT "table", "from", COALESCE("to", '') FROM pragma_foreign_key_list($1)`, t.Name)
	if err != nil {
		return err
	}
	defer fks.Close()
	for fks.Next() {
		var parent, from, to string
		if err := fks.Scan(&parent, &from, &to); err != nil {
			return err
		}
		t.addReference(parent, from, to)
	}
	return fks.Err()
}

func postgresTable(ctx context.Context, q queryer, t *TableSchema) error {
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type, is_identity FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, t.Name)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name, typ, identity string
		if err := rows.Scan(&name, &typ, &identity); err != nil {
			return err
		}
		var k archive.Kind
		switch typ {
		case "bigint", "integer", "smallint":
			k = archive.Integer
		case "text", "character varying", "date", "timestamp with time zone":
			k = archive.Text
		case "boolean":
			k = archive.Boolean
		case "double precision", "real":
			k = archive.Real
		case "bytea":
			k = archive.Binary
		default:
			return fmt.Errorf("column %s: type %q has no archive kind", name, typ)
		}
		t.Columns = append(t.Columns, archive.Column{Name: name, Kind: k})
		t.types = append(t.types, typ)
		if identity == "YES" {
			t.Identity = name
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	t.Key, err = queryStrings(ctx, q, `SELECT a.attname FROM pg_index i
		JOIN pg_class c ON c.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
		WHERE i.indisprimary AND n.nspname = current_schema() AND c.relname = $1
		ORDER BY array_position(i.indkey::int2[], a.attnum)`, t.Name)
	if err != nil {
		return err
	}
	fks, err := q.QueryContext(ctx, `SELECT p.relname, a.attname, pa.attname
		FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_class p ON p.oid = k.confrelid
		JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
		JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
		WHERE k.contype = 'f' AND n.nspname = current_schema() AND c.relname = $1`, t.Name)
	if err != nil {
		return err
	}
	defer fks.Close()
	for fks.Next() {
		var parent, from, to string
		if err := fks.Scan(&parent, &from, &to); err != nil {
			return err
		}
		t.addReference(parent, from, to)
	}
	return fks.Err()
}

func (t *TableSchema) addReference(parent, from, to string) {
	if parent == t.Name {
		if to == "" && len(t.Key) == 1 {
			to = t.Key[0]
		}
		t.SelfRefs = append(t.SelfRefs, [2]string{from, to})
		return
	}
	if !slices.Contains(t.Parents, parent) {
		t.Parents = append(t.Parents, parent)
	}
}

// sortByReferences orders tables so that every table comes after the
// tables it refers to, by name where the references leave a choice.
func sortByReferences(tables []*TableSchema, byName map[string]*TableSchema) ([]TableSchema, error) {
	done := map[string]bool{}
	var out []TableSchema
	for len(out) < len(tables) {
		progress := false
		for _, t := range tables {
			if done[t.Name] {
				continue
			}
			ready := true
			for _, p := range t.Parents {
				if _, ok := byName[p]; ok && !done[p] {
					ready = false
				}
			}
			if ready {
				done[t.Name] = true
				out = append(out, *t)
				progress = true
			}
		}
		if !progress {
			var left []string
			for _, t := range tables {
				if !done[t.Name] {
					left = append(left, t.Name)
				}
			}
			return nil, fmt.Errorf("tables %s refer to each other in a cycle", strings.Join(left, ", "))
		}
	}
	return out, nil
}

var (
	createTableRE = regexp.MustCompile(`(?s)CREATE TABLE (\w+) \((.*?)\n\);`)
	booleanColRE  = regexp.MustCompile(`(?m)^\s+(\w+)\s+BOOLEAN\b`)
	addBooleanRE  = regexp.MustCompile(`ALTER TABLE (\w+) ADD COLUMN (\w+) BOOLEAN\b`)
)

// sqliteBooleans returns the columns ("table.column") that are BOOLEAN in
// the PostgreSQL migrations. SQLite keeps them as INTEGER 0 and 1, and its
// schema cannot tell them from numbers; TestArchiveKindsAgree checks that
// both engines give every column the same kind.
func sqliteBooleans() (map[string]bool, error) {
	files, err := embeddedMigrations(Postgres)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, f := range files {
		body := []byte(f.sql)
		for _, m := range createTableRE.FindAllSubmatch(body, -1) {
			for _, c := range booleanColRE.FindAllSubmatch(m[2], -1) {
				out[string(m[1])+"."+string(c[1])] = true
			}
		}
		for _, m := range addBooleanRE.FindAllSubmatch(body, -1) {
			out[string(m[1])+"."+string(m[2])] = true
		}
	}
	return out, nil
}

func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func columnList(cols []archive.Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quoteIdent(c.Name)
	}
	return strings.Join(names, ", ")
}

// SchemaVersion is the highest migration applied to the database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, db.db)
}

func schemaVersion(ctx context.Context, q queryer) (int, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return int(v.Int64), nil
}

// Export writes every table of the database into w, as one snapshot: a
// read-only transaction (repeatable read on PostgreSQL) that writers do not
// wait for. product names the program that writes it.
func (db *DB) Export(ctx context.Context, w *archive.Writer, product string) (archive.Manifest, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	m := archive.Manifest{Product: product, Created: time.Now().UTC().Truncate(time.Second)}
	tx, err := db.db.BeginTx(ctx, opts)
	if err != nil {
		return m, err
	}
	defer tx.Rollback()
	if m.Schema, err = schemaVersion(ctx, tx); err != nil {
		return m, err
	}
	tables, err := tablesOf(ctx, tx, db.dialect)
	if err != nil {
		return m, err
	}
	for _, t := range tables {
		if err := db.exportTable(ctx, tx, w, t); err != nil {
			return m, fmt.Errorf("export %s: %w", t.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return m, err
	}
	return w.Close(m)
}

func (db *DB) exportTable(ctx context.Context, tx *sql.Tx, w *archive.Writer, t TableSchema) error {
	query := `SELECT ` + columnList(t.Columns) + ` FROM ` + quoteIdent(t.Name)
	if f, ok := rowFilter[t.Name]; ok {
		query += ` WHERE ` + f
	}
	query += ` ORDER BY ` + db.orderBy(t)
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	tw, err := w.Table(t.Name, t.Columns)
	if err != nil {
		return err
	}
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(t.Columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		n++
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range t.Columns {
			v, err := neutral(c.Kind, t.types[i], vals[i])
			if err != nil {
				return fmt.Errorf("row %d column %s: %w", n, c.Name, err)
			}
			vals[i] = v
		}
		if err := tw.Row(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return tw.Close()
}

// orderBy orders a table's rows by its primary key, or by every column
// that has one, comparing text by its bytes on both engines.
func (db *DB) orderBy(t TableSchema) string {
	key := t.Key
	if len(key) == 0 {
		for _, c := range t.Columns {
			if c.Kind != archive.Binary {
				key = append(key, c.Name)
			}
		}
	}
	var parts []string
	for _, k := range key {
		p := quoteIdent(k)
		for i, c := range t.Columns {
			if c.Name == k && (t.types[i] == "text" || t.types[i] == "character varying") {
				p += ` COLLATE "C"`
			}
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// neutral turns a value as the driver gives it into the archive's form of
// the column's kind.
func neutral(k archive.Kind, typ string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case archive.Integer:
		if n, ok := v.(int64); ok {
			return n, nil
		}
	case archive.Real:
		switch f := v.(type) {
		case float64:
			return f, nil
		case int64:
			return float64(f), nil
		}
	case archive.Boolean:
		switch b := v.(type) {
		case bool:
			return b, nil
		case int64:
			if b == 0 || b == 1 {
				return b == 1, nil
			}
		}
	case archive.Text:
		switch s := v.(type) {
		case string:
			return s, nil
		case []byte:
			return string(s), nil
		case time.Time:
			if typ == "date" {
				return s.Format(time.DateOnly), nil
			}
			return s.UTC().Format(time.RFC3339Nano), nil
		}
	case archive.Binary:
		switch b := v.(type) {
		case []byte:
			return b, nil
		case string:
			return []byte(b), nil
		}
	}
	return nil, fmt.Errorf("%T value %v is not %s", v, v, k)
}

// Import fills a freshly created database with the archive, in one
// transaction: all of it or nothing. The database must hold nothing but the
// registry every new database starts with, and be at the archive's schema
// version.
func (db *DB) Import(ctx context.Context, r *archive.Reader) error {
	m := r.Manifest()
	have, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if have != m.Schema {
		return samrad.Errorf(samrad.EINVALID, "the archive has schema version %d and this database %d: import it with the version of Samråd that wrote it (%s)", m.Schema, have, m.Product)
	}
	tables, err := db.Tables(ctx)
	if err != nil {
		return err
	}
	var missing, extra []string
	for _, t := range tables {
		if _, ok := m.Table(t.Name); !ok {
			missing = append(missing, t.Name)
		}
	}
	for _, at := range m.Tables {
		if !slices.ContainsFunc(tables, func(t TableSchema) bool { return t.Name == at.Name }) {
			extra = append(extra, at.Name)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		return samrad.Errorf(samrad.EINVALID, "the archive does not match the schema: tables missing from it: %s; tables it has that the database has not: %s",
			orNone(missing), orNone(extra))
	}
	if err := r.Verify(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkEmpty(ctx, tx, tables); err != nil {
			return err
		}
		// Clear what the new database started with: the embedded registry,
		// its audit entry and meta rows.
		for i := len(tables) - 1; i >= 0; i-- {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+quoteIdent(tables[i].Name)+` WHERE `+keepFilter(tables[i].Name)); err != nil {
				return fmt.Errorf("clear %s: %w", tables[i].Name, err)
			}
		}
		for _, t := range tables {
			if err := db.importTable(ctx, tx, r, t); err != nil {
				return err
			}
		}
		if db.dialect == Postgres {
			for _, t := range tables {
				if t.Identity == "" {
					continue
				}
				if _, err := tx.ExecContext(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX(%s), 0) + 1, false) FROM %s`,
					quoteLiteral(t.Name), quoteLiteral(t.Identity), quoteIdent(t.Identity), quoteIdent(t.Name))); err != nil {
					return fmt.Errorf("identity of %s: %w", t.Name, err)
				}
			}
		}
		// Every cache of every instance on this database is out of date.
		for _, key := range allStamps {
			if err := renew(ctx, tx, key); err != nil {
				return err
			}
		}
		return nil
	})
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func quoteLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }

// keepFilter selects the rows that an import replaces: all but the cache
// stamps.
func keepFilter(table string) string {
	if f, ok := rowFilter[table]; ok {
		return f
	}
	return "TRUE"
}

// checkEmpty refuses a database that holds more than a new one does.
func checkEmpty(ctx context.Context, tx *sql.Tx, tables []TableSchema) error {
	seeded := map[string]string{
		"organisations": `source <> $1`,
		"org_changes":   `source <> $1`,
		"audit_log":     `NOT (action = 'import' AND entity = 'registry' AND $1 <> '')`,
		"meta":          `key NOT LIKE '%_stamp' AND key <> 'embedded_registry' AND key NOT LIKE 'secret\_%' ESCAPE '\' AND $1 <> ''`,
	}
	for _, t := range tables {
		query := `SELECT COUNT(*) FROM ` + quoteIdent(t.Name)
		var args []any
		if cond, ok := seeded[t.Name]; ok {
			query += ` WHERE ` + cond
			args = append(args, registrySource)
		}
		var n int64
		if err := tx.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", t.Name, err)
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "the database is not empty (table %s has %d rows): import into a newly created database", t.Name, n)
		}
	}
	return nil
}

func (db *DB) importTable(ctx context.Context, tx *sql.Tx, r *archive.Reader, t TableSchema) error {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	ins, err := newInserter(ctx, tx, db.dialect, t)
	if err != nil {
		return fmt.Errorf("import %s: %w", t.Name, err)
	}
	defer ins.close()
	var all [][]any // of a table that refers to itself
	err = r.Rows(t.Name, names, func(line int, vals []any) error {
		row := slices.Clone(vals)
		for i, c := range t.Columns {
			if c.Kind == archive.Boolean && row[i] != nil && db.dialect == SQLite {
				row[i] = boolInt(row[i].(bool))
			}
		}
		if len(t.SelfRefs) > 0 {
			all = append(all, row)
			return nil
		}
		if err := ins.add(row); err != nil {
			return fmt.Errorf("import %s, rows up to %s line %d: %w", t.Name, "tables/"+t.Name+".jsonl", line, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(t.SelfRefs) > 0 {
		if all, err = parentsFirst(t, all); err != nil {
			return fmt.Errorf("import %s: %w", t.Name, err)
		}
		for _, row := range all {
			if err := ins.add(row); err != nil {
				return fmt.Errorf("import %s: %w", t.Name, err)
			}
		}
	}
	if err := ins.flush(); err != nil {
		return fmt.Errorf("import %s: %w", t.Name, err)
	}
	return nil
}

// inserter puts rows into a table: on SQLite one prepared statement run
// per row (SQLite parses many numbered parameters slowly), on PostgreSQL
// rows gathered into multi-row INSERTs (fewer round trips).
type inserter struct {
	ctx    context.Context
	tx     *sql.Tx
	prefix string
	stmt   *sql.Stmt
	batch  [][]any
	per    int
}

func newInserter(ctx context.Context, tx *sql.Tx, d Dialect, t TableSchema) (*inserter, error) {
	prefix := `INSERT INTO ` + quoteIdent(t.Name) + ` (` + columnList(t.Columns) + `) VALUES `
	ins := &inserter{ctx: ctx, tx: tx, prefix: prefix, per: max(1, 900/len(t.Columns))}
	if d == SQLite {
		params := make([]string, len(t.Columns))
		for i := range params {
			params[i] = fmt.Sprintf("$%d", i+1)
		}
		stmt, err := tx.PrepareContext(ctx, prefix+`(`+strings.Join(params, ", ")+`)`)
		if err != nil {
			return nil, err
		}
		ins.stmt = stmt
	}
	return ins, nil
}

func (ins *inserter) add(row []any) error {
	if ins.stmt != nil {
		_, err := ins.stmt.ExecContext(ins.ctx, row...)
		return err
	}
	ins.batch = append(ins.batch, row)
	if len(ins.batch) >= ins.per {
		return ins.flush()
	}
	return nil
}

func (ins *inserter) flush() error {
	err := insertBatch(ins.ctx, ins.tx, ins.prefix, ins.batch)
	ins.batch = ins.batch[:0]
	return err
}

func (ins *inserter) close() {
	if ins.stmt != nil {
		ins.stmt.Close()
	}
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// parentsFirst orders the rows of a table that refers to itself so that a
// row comes after the row it refers to.
func parentsFirst(t TableSchema, rows [][]any) ([][]any, error) {
	col := func(name string) int {
		return slices.IndexFunc(t.Columns, func(c archive.Column) bool { return c.Name == name })
	}
	type ref struct{ from, to int }
	var refs []ref
	for _, r := range t.SelfRefs {
		refs = append(refs, ref{col(r[0]), col(r[1])})
	}
	placed := map[[2]any]bool{} // (referenced column, value)
	var out [][]any
	left := rows
	for len(left) > 0 {
		var next [][]any
		for _, row := range left {
			ready := true
			for _, r := range refs {
				if v := row[r.from]; v != nil && !placed[[2]any{r.to, v}] {
					ready = false
				}
			}
			if !ready {
				next = append(next, row)
				continue
			}
			out = append(out, row)
			for _, r := range refs {
				placed[[2]any{r.to, row[r.to]}] = true
			}
		}
		if len(next) == len(left) {
			return nil, fmt.Errorf("%d rows refer to rows that are not in the archive, or to each other", len(left))
		}
		left = next
	}
	return out, nil
}
