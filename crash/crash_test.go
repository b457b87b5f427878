package crash_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	netmail "net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/smtptest"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

const (
	cycles      = 5   // kills, each followed by a restart
	subscribers = 200 // confirmed subscribers each newsletter issue goes to
	registrants = 3   // people registering at once
	staffEmail  = "sekretariat@example.no"
	password    = "et langt passord her"
	eventSlug   = "krasjseminar"
	ledgerYear  = 2019
)

var (
	buildOnce sync.Once
	binDir    string
	binary    string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// samradBinary builds cmd/samrad once for the package's tests.
func samradBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "samrad-crash-"); buildErr != nil {
			return
		}
		binary = filepath.Join(binDir, "samrad")
		cmd := exec.Command("go", "build", "-o", binary, "github.com/samrad/samrad/cmd/samrad")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// TestSIGKILLLosesNothingSendsNothingTwice runs `samrad serve` as a child
// process and kills it (SIGKILL) at a random moment while people register
// for an event, the secretariat imports the accounts and sends a
// newsletter issue to every subscriber; it restarts the server on the same
// database each time. Afterwards every write the server acknowledged is
// there, every registration has its confirmation queued, every import and
// every issue is there whole or not at all, no e-mail reached the SMTP
// server twice, and every message not in doubt was delivered.
func TestSIGKILLLosesNothingSendsNothingTwice(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) { crashRun(t, engine) })
	}
}

// acked is what the server acknowledged (303) to the clients.
type acked struct {
	mu            sync.Mutex
	registrations []string         // e-mail addresses
	sends         []int64          // newsletter issues
	imports       map[string]int   // file name → entries
	attempts      map[string]int   // kind of write → requests made
	perCycle      []map[string]int // kind of write → acknowledged, per cycle
}

func (a *acked) add(cycle int, kind string, f func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f()
	for len(a.perCycle) <= cycle {
		a.perCycle = append(a.perCycle, map[string]int{})
	}
	a.perCycle[cycle][kind]++
}

func (a *acked) try(kind string) {
	a.mu.Lock()
	a.attempts[kind]++
	a.mu.Unlock()
}

func crashRun(t *testing.T, engine string) {
	began := time.Now()
	bin := samradBinary(t)
	dsn := testdb.DSN(t, engine)
	dir := t.TempDir()
	cli(t, bin, "", "demo", "load", "--db", dsn)
	cli(t, bin, password+"\n", "users", "create", "--email", staffEmail, "--name", "Sekretariatet", "--alliance", "ore", "--role", "secretariat", "--db", dsn)
	issues := prepare(t, dsn)

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0x5a3d))
	t.Logf("%s: random seed %d", engine, seed)
	smtp := smtptest.Start(t, smtptest.WithDelay(2*time.Millisecond))
	addr := freeAddr(t)
	base := "http://" + addr
	jar, _ := cookiejar.New(nil)
	got := &acked{imports: map[string]int{}, attempts: map[string]int{}}
	var people atomic.Int64

	for c := range cycles {
		p := startServer(t, bin, dsn, addr, smtp, filepath.Join(dir, fmt.Sprintf("serve-%d.log", c)))
		staff := newClient(base, jar)
		if c == 0 {
			staff.login(t)
		}
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for range registrants {
			wg.Go(func() {
				b := newClient(base, nil)
				for ctx.Err() == nil {
					email := fmt.Sprintf("deltaker%d@example.no", people.Add(1))
					got.try("registration")
					if b.register(email) {
						got.add(c, "registration", func() { got.registrations = append(got.registrations, email) })
					}
				}
			})
		}
		sizes := rand.New(rand.NewPCG(seed, uint64(c)))
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				n := 50 + sizes.IntN(400)
				name := fmt.Sprintf("regnskap-%d-%d.csv", c, i)
				got.try("import")
				if staff.importLedger(name, ledgerFile(n)) {
					got.add(c, "import", func() { got.imports[name] = n })
				}
			}
		})
		sendAfter := time.Duration(rng.IntN(400)) * time.Millisecond
		killAfter := time.Duration(300+rng.IntN(2200)) * time.Millisecond
		wg.Go(func() {
			time.Sleep(sendAfter)
			got.try("newsletter send")
			if staff.send(issues[c]) {
				got.add(c, "newsletter send", func() { got.sends = append(got.sends, issues[c]) })
			}
		})
		time.Sleep(killAfter)
		p.kill(t)
		stop()
		wg.Wait()
	}

	// The last start: the outbox is delivered to the end.
	p := startServer(t, bin, dsn, addr, smtp, filepath.Join(dir, "serve-final.log"))
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var left int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM outbox WHERE status IN ('queued', 'sending')`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still queued a minute after the last start", left)
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.stop(t)

	r := verify(t, db, got, smtp)
	t.Logf("%s: %d cycles survived in %v", engine, cycles, time.Since(began).Round(time.Second))
	for c, m := range got.perCycle {
		t.Logf("%s: cycle %d acknowledged %v", engine, c+1, m)
	}
	t.Logf("%s: requests made %v; acknowledged and verified: %d registrations, %d newsletter sends, %d imports",
		engine, got.attempts, len(got.registrations), len(got.sends), len(got.imports))
	t.Logf("%s: in the database: %d registrations, %d issues sent, %d imports; e-mail: %d messages, %d delivered, %d in doubt (%d of them delivered), %d delivered twice or more",
		engine, r.registrations, r.issuesSent, r.imports, r.messages, r.delivered, r.unknown, r.unknownDelivered, r.duplicates)
}

// prepare puts into the database what the writes need: an open event,
// confirmed subscribers on ORE's first list, one draft issue per cycle and
// a budget for the year the accounts are imported for. It returns the
// issues' ids.
func prepare(t *testing.T, dsn string) []int64 {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ore, err := db.AllianceBySlug(ctx, "ore")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().AddDate(0, 2, 0)
	e := samrad.Event{AllianceID: ore.ID, Slug: eventSlug, TitleNB: "Seminar om krasj", Venue: "Sandvika", Published: true,
		Days:         []samrad.EventDay{{Date: samrad.NewDate(start.Year(), start.Month(), start.Day())}},
		Registration: samrad.RegistrationSettings{Open: true, ConsentNB: "Vi lagrer navnet ditt."}}
	if err := db.CreateEvent(ctx, &e); err != nil {
		t.Fatal(err)
	}
	lists, err := db.Lists(ctx, ore.ID)
	if err != nil || len(lists) == 0 {
		t.Fatalf("ORE's newsletter lists: %v, %v", lists, err)
	}
	at := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	var q strings.Builder
	q.WriteString(`INSERT INTO subscribers (alliance_id, email, name, lang, status, consent, signed_up_at, confirmed_at) VALUES `)
	for i := range subscribers {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "(%d, 'abonnent%d@example.no', 'Abonnent %d', 'nb', 'confirmed', 'samtykke', '%s', '%s')", ore.ID, i, i, at, at)
	}
	if _, err := db.SQL().ExecContext(ctx, q.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO subscriptions (subscriber_id, list_id) SELECT id, $1 FROM subscribers WHERE alliance_id = $2 AND email LIKE 'abonnent%'`, lists[0].ID, ore.ID); err != nil {
		t.Fatal(err)
	}
	var issues []int64
	for c := range cycles {
		i := samrad.NewsletterIssue{AllianceID: ore.ID, ListID: lists[0].ID, Subject: fmt.Sprintf("Nyhetsbrev %d", c+1), Intro: "Hei!\n\nHer er nytt fra kontoret."}
		if err := db.SaveIssue(ctx, &i); err != nil {
			t.Fatal(err)
		}
		issues = append(issues, i.ID)
	}
	b := samrad.Budget{AllianceID: ore.ID, Year: ledgerYear}
	if err := db.SaveBudget(ctx, &b); err != nil {
		t.Fatal(err)
	}
	fees := samrad.BudgetLine{Account: "3100", Category: samrad.BudgetFees, Title: "Medlemskontingent"}
	if err := db.SetBudgetLine(ctx, ore.ID, ledgerYear, &fees); err != nil {
		t.Fatal(err)
	}
	return issues
}

// ledgerFile is an accounting export of n entries.
func ledgerFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Konto;Dato;Beløp;Tekst\n")
	for i := range n {
		fmt.Fprintf(&b, "3100;%d-%02d-%02d;-%d,00;Kontingent %d\n", ledgerYear, 1+i%12, 1+i%28, 1000+i, i)
	}
	return b.Bytes()
}

// results are what the database and the SMTP server hold at the end.
type results struct {
	registrations, issuesSent, imports                         int
	messages, delivered, unknown, unknownDelivered, duplicates int
}

// verify checks what the database holds against what was acknowledged,
// and the outbox against what the SMTP server received.
func verify(t *testing.T, db *store.DB, got *acked, smtp *smtptest.Server) results {
	t.Helper()
	ctx := context.Background()
	var r results
	ore, err := db.AllianceBySlug(ctx, "ore")
	if err != nil {
		t.Fatal(err)
	}

	// Registrations: each acknowledged one is there, and each one there
	// has exactly one confirmation queued; no confirmation without one.
	rows, err := db.SQL().QueryContext(ctx, `SELECT r.email, (SELECT COUNT(*) FROM outbox o WHERE o.kind = 'registration' AND o.ref_id = r.id)
		FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = $1`, eventSlug)
	if err != nil {
		t.Fatal(err)
	}
	present := map[string]bool{}
	for rows.Next() {
		var email string
		var mails int
		if err := rows.Scan(&email, &mails); err != nil {
			t.Fatal(err)
		}
		present[email] = true
		if mails != 1 {
			t.Errorf("registration %s has %d confirmations queued, want 1", email, mails)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	r.registrations = len(present)
	for _, email := range got.registrations {
		if !present[email] {
			t.Errorf("acknowledged registration %s is lost", email)
		}
	}
	var orphans int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox o WHERE o.kind = 'registration'
		AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.id = o.ref_id)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Errorf("%d confirmations queued for registrations that are not there", orphans)
	}

	// Newsletter issues: sent with every subscriber's message queued, or
	// still a draft with none; every acknowledged send is sent.
	ackedSend := map[int64]bool{}
	for _, id := range got.sends {
		ackedSend[id] = true
	}
	issueRows, err := db.SQL().QueryContext(ctx, `SELECT id, status FROM newsletter_issues WHERE alliance_id = $1 AND subject LIKE 'Nyhetsbrev %'`, ore.ID)
	if err != nil {
		t.Fatal(err)
	}
	status := map[int64]string{}
	for issueRows.Next() {
		var id int64
		var st string
		if err := issueRows.Scan(&id, &st); err != nil {
			t.Fatal(err)
		}
		status[id] = st
	}
	if err := issueRows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(status) != cycles {
		t.Errorf("%d issues, want %d", len(status), cycles)
	}
	for id, st := range status {
		c, err := db.CountOutbox(ctx, "newsletter_issue", id)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case st == string(samrad.IssueSent):
			r.issuesSent++
			if c.Total() != subscribers {
				t.Errorf("issue %d is sent with %d messages queued, want %d", id, c.Total(), subscribers)
			}
		case ackedSend[id]:
			t.Errorf("acknowledged send of issue %d is lost (status %s)", id, st)
		case c.Total() != 0:
			t.Errorf("issue %d is a draft with %d messages queued", id, c.Total())
		}
	}

	// Accounts imports: each acknowledged one is recorded with its entries;
	// the year's entries are those of the newest import, all of them.
	impRows, err := db.SQL().QueryContext(ctx, `SELECT id, filename, entries FROM ledger_imports WHERE alliance_id = $1 AND year = $2 ORDER BY id`, ore.ID, ledgerYear)
	if err != nil {
		t.Fatal(err)
	}
	imports := map[string]int{}
	var newest int64
	var newestEntries int
	for impRows.Next() {
		var id int64
		var name string
		var n int
		if err := impRows.Scan(&id, &name, &n); err != nil {
			t.Fatal(err)
		}
		imports[name], newest, newestEntries = n, id, n
	}
	if err := impRows.Close(); err != nil {
		t.Fatal(err)
	}
	r.imports = len(imports)
	for name, n := range got.imports {
		if m, ok := imports[name]; !ok || m != n {
			t.Errorf("acknowledged import %s of %d entries: recorded %v with %d", name, n, ok, m)
		}
	}
	entryRows, err := db.SQL().QueryContext(ctx, `SELECT import_id, COUNT(*) FROM ledger_entries WHERE alliance_id = $1 AND year = $2 GROUP BY import_id`, ore.ID, ledgerYear)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[int64]int{}
	for entryRows.Next() {
		var id int64
		var n int
		if err := entryRows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		groups[id] = n
	}
	if err := entryRows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(imports) > 0 && (len(groups) != 1 || groups[newest] != newestEntries) {
		t.Errorf("the year's entries by import %v; want all %d of the newest import %d", groups, newestEntries, newest)
	}
	if len(imports) == 0 && len(groups) != 0 {
		t.Errorf("entries without an import: %v", groups)
	}

	// E-mail: at most once each; every message not in doubt delivered.
	delivered := map[string]int{}
	for _, m := range smtp.Messages() {
		delivered[messageID(t, m.Data)]++
	}
	outRows, err := db.SQL().QueryContext(ctx, `SELECT id, status, message FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for outRows.Next() {
		var id int64
		var st string
		var data []byte
		if err := outRows.Scan(&id, &st, &data); err != nil {
			t.Fatal(err)
		}
		r.messages++
		mid := messageID(t, data)
		known[mid] = true
		n := delivered[mid]
		switch {
		case n > 1:
			r.duplicates++
			t.Errorf("message %d (%s) delivered %d times", id, st, n)
		case st == store.OutboxSent && n != 1:
			t.Errorf("message %d is recorded sent but was delivered %d times", id, n)
		case st == store.OutboxUnknown:
			r.unknown++
			r.unknownDelivered += n
		case st != store.OutboxSent:
			t.Errorf("message %d is %s at the end, want sent", id, st)
		}
	}
	if err := outRows.Close(); err != nil {
		t.Fatal(err)
	}
	for mid, n := range delivered {
		r.delivered += n
		if !known[mid] {
			t.Errorf("the server received %s, which is not in the outbox", mid)
		}
	}
	return r
}

func messageID(t *testing.T, data []byte) string {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("unreadable message: %v", err)
	}
	id := m.Header.Get("Message-Id")
	if id == "" {
		t.Fatalf("a message without a Message-ID:\n%s", data)
	}
	return id
}

// cli runs one samrad command to its end.
func cli(t *testing.T, bin, stdin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("samrad %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// server is a running `samrad serve`.
type server struct {
	cmd    *exec.Cmd
	log    string
	exited chan error
}

func startServer(t *testing.T, bin, dsn, addr string, smtp *smtptest.Server, logPath string) *server {
	t.Helper()
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--db", dsn, "--demo", "--addr", addr, "--base-url", "http://"+addr,
		"--smtp", smtp.Addr, "--smtp-starttls=false", "--mail-from", "Sekretariatet <post@samrad.example.no>",
		"--mail-rate", "300", "--mail-lease", "2s", "--statbank", "")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &server{cmd: cmd, log: logPath, exited: make(chan error, 1)}
	go func() { p.exited <- cmd.Wait(); logFile.Close() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.exited
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	c := &http.Client{Timeout: 2 * time.Second}
	for {
		select {
		case err := <-p.exited:
			t.Fatalf("samrad serve stopped at start: %v\n%s", err, p.tail())
		default:
		}
		resp, err := c.Get("http://" + addr + "/logg-inn")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("samrad serve not answering after a minute: %v\n%s", err, p.tail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the server with SIGKILL: nothing of it runs after.
func (p *server) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-p.exited
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("samrad serve ended with %v before it was killed\n%s", err, p.tail())
	}
}

// stop ends the server as an operator does, with SIGTERM.
func (p *server) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("samrad serve did not stop on SIGTERM\n%s", p.tail())
	}
}

func (p *server) tail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// client is one visitor's browser: cookies, no redirects followed.
type client struct {
	base string
	c    *http.Client
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func newClient(base string, jar http.CookieJar) *client {
	if jar == nil {
		jar, _ = cookiejar.New(nil)
	}
	return &client{base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 4},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// csrf opens a page and returns its form token; "" if the server did not
// answer.
func (b *client) csrf(path string) string {
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := csrfRe.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		return ""
	}
	return string(m[1])
}

// post sends a form and reports whether the server acknowledged it with
// its redirect (303).
func (b *client) post(path, contentType string, body io.Reader) bool {
	resp, err := b.c.Post(b.base+path, contentType, body)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode == http.StatusSeeOther
}

func (b *client) form(path string, v url.Values) bool {
	return b.post(path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
}

func (b *client) login(t *testing.T) {
	t.Helper()
	token := b.csrf("/logg-inn")
	if token == "" || !b.form("/logg-inn", url.Values{"csrf": {token}, "email": {staffEmail}, "password": {password}, "next": {"/allianser/ore"}}) {
		t.Fatal("the secretariat cannot log in")
	}
}

func (b *client) register(email string) bool {
	const form = "/allianser/ore/arrangementer/" + eventSlug + "/pamelding"
	token := b.csrf(form)
	return token != "" && b.form(form, url.Values{"csrf": {token}, "name": {"Deltaker " + email}, "email": {email}, "consent": {"yes"}})
}

func (b *client) send(issue int64) bool {
	page := "/allianser/ore/nyhetsbrev/utgaver/" + strconv.FormatInt(issue, 10)
	token := b.csrf(page)
	return token != "" && b.form(page+"/send", url.Values{"csrf": {token}})
}

func (b *client) importLedger(name string, data []byte) bool {
	page := "/allianser/ore/budsjett/" + strconv.Itoa(ledgerYear)
	token := b.csrf(page)
	if token == "" {
		return false
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", token)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	return b.post(page+"/regnskap", mw.FormDataContentType(), &buf)
}
