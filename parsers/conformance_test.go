package parsers

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// corpusDir holds real firewall log lines from other projects' fixtures,
// each X.log (or extension-less psad file) beside an X.expected.tsv of
// "line<TAB>dst_port<TAB>protocol<TAB>gt_source" rows. It lives outside the
// repository; see its PROVENANCE.md.
const corpusDir = "../../shared/corpus"

// corpusExceptions corrects "derived" and "not-a-firewall-line" corpus
// rows whose expectation is wrong, keyed by file (relative to corpusDir
// or, for the vendor corpus, vendorCorpusDir) and 1-based line number.
// Those rows are the corpus makers' own readings (a simple reference
// extractor, a reading by hand); upstream assertions may not be
// excepted. An excepted row is checked against the corrected port and
// protocol instead, and must still disagree with the original.
var corpusExceptions = map[corpusRow]corpusFix{
	{"panos/metron-paloalto-output.log", 88}: {
		broken: true,
		reason: `the sample's destination and NAT destination addresses hold commas ("23.200,10,217"), which shift every later field: ` +
			`field 30, the protocol, reads "443"; PAN-OS quotes any field holding a comma (PAN-OS syslog field descriptions), ` +
			`so the line is malformed, not a record with protocol 443`,
	},
	{"simple_template_log_parser/pfsense_sample_log.log", 26}: {
		port: "", proto: "252",
		reason: `filterlog names protocol 252 "unknown"; its number field says 252, which has no IANA keyword`,
	},
	{"cisco-asa/metron-asa.log", 93}: {
		port: "", proto: "tcp",
		reason: `a 302014 teardown whose first address is damaged ("[10.22.8.10"): Cisco's message all the same, read with the address left out, as masked ones are; as no Built message gives its direction, a record of its protocol`,
	},
	{"cisco-asa/metron-asa.log", 108}: {
		port: "", proto: "47",
		reason: `106010 "Deny inbound protocol 47" is an access denial like 106014's of ICMP, which the corpus counts (row 125): a GRE record without ports (Cisco, ASA syslog messages, 106010)`,
	},
}

type corpusRow struct {
	file string
	line int
}

type corpusFix struct {
	port, proto string // corrected dst_port and protocol columns
	broken      bool   // the line is malformed: a *SyntaxError is right
	reason      string
}

// TestConformance runs every corpus line through Parser.Parse and compares
// the destination port and protocol with the expectation. Protocols are
// compared by number because names differ between sources ("ipencap" and
// "ipv4" are both 4).
func TestConformance(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	tsvs := corpusFiles(t, corpusDir, nil)
	// The vendor corpus has a folder per family, named as the family is:
	// those of families not in the table yet are left out.
	if _, err := os.Stat(vendorCorpusDir); err != nil {
		t.Logf("vendor corpus not available: %v", err)
	} else {
		tsvs = append(tsvs, corpusFiles(t, vendorCorpusDir, func(family string) bool {
			_, ok := ParseFormat(family)
			return ok
		})...)
	}
	if len(tsvs) == 0 {
		t.Skip("corpus has no expected.tsv files")
	}

	used := map[corpusRow]bool{}
	var total, agree, excepted int
	for _, c := range tsvs {
		tsv, rel := c.tsv, c.rel
		t.Run(rel, func(t *testing.T) {
			n, a, x := checkCorpusFile(t, tsv, rel, used)
			total += n
			agree += a
			excepted += x
			t.Logf("%s: %d/%d rows agree, %d documented exceptions", rel, a, n, x)
		})
	}
	for row, fix := range corpusExceptions {
		if !used[row] {
			t.Errorf("stale exception %s:%d (%s): the row agrees with its original expectation or does not exist", row.file, row.line, fix.reason)
		}
	}
	t.Logf("corpus: %d/%d rows agree, %d documented exceptions", agree, total, excepted)
}

// corpusFile is an expected.tsv and the name of its log in the corpus.
type corpusFile struct{ tsv, rel string }

// corpusFiles lists the expected.tsv files under dir: all of them, or
// those in the folders that keep says to.
func corpusFiles(t *testing.T, dir string, keep func(folder string) bool) []corpusFile {
	var files []corpusFile
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && keep != nil && !keep(d.Name()) {
			t.Logf("%s: no family of that name yet", path)
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".expected.tsv") {
			rel, _ := filepath.Rel(dir, strings.TrimSuffix(path, ".expected.tsv"))
			files = append(files, corpusFile{path, filepath.ToSlash(rel)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func checkCorpusFile(t *testing.T, tsv, rel string, used map[corpusRow]bool) (rows, agree, excepted int) {
	logData, err := os.ReadFile(strings.TrimSuffix(tsv, ".expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	tsvData, err := os.ReadFile(tsv)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(logData, []byte("\n"))
	if n := len(lines); n > 0 && len(lines[n-1]) == 0 {
		lines = lines[:n-1]
	}
	// Each file is an input of its own, read in order: its header lines
	// hold for the rows after them.
	p := Parser{Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), State: new(InputState)}
	var r Record
	errs := make([]error, len(lines))
	recs := make([]Record, len(lines))
	for i, line := range lines {
		errs[i] = p.Parse(line, &r)
		recs[i] = r
	}
	for i, row := range strings.Split(strings.TrimRight(string(tsvData), "\n"), "\n") {
		if i == 0 {
			continue // header
		}
		f := strings.Split(row, "\t")
		if len(f) != 4 {
			t.Fatalf("%s row %d: want 4 tab-separated fields, got %q", tsv, i+1, row)
		}
		num, err := strconv.Atoi(f[0])
		if err != nil || num < 1 || num > len(lines) {
			t.Fatalf("%s row %d: bad line number %q (log has %d lines)", tsv, i+1, f[0], len(lines))
		}
		if strings.HasPrefix(f[3], "ambiguous") {
			continue // the line does not say: not asserted
		}
		rows++
		line := lines[num-1]
		perr, r := errs[num-1], recs[num-1]
		problem := corpusMismatch(f[1], f[2], f[3], perr, &r)
		key := corpusRow{rel, num}
		fix, isException := corpusExceptions[key]
		switch {
		case !isException && problem == "":
			agree++
		case !isException:
			t.Errorf("%s:%d: %s [expected by %s]\n\t%s", rel, num, problem, f[3], line)
		case !strings.HasPrefix(f[3], "derived") && !strings.HasPrefix(f[3], "not-a-firewall-line"):
			t.Errorf("%s:%d: exception on an upstream assertion (%s)", rel, num, f[3])
		case problem == "":
			// Left unused: reported as stale.
		default:
			used[key] = true
			excepted++
			if fix.broken {
				var se *SyntaxError
				if !errors.As(perr, &se) {
					t.Errorf("%s:%d: excepted row (%s) is not a syntax error but %s\n\t%s", rel, num, fix.reason, describeParse(perr, &r), line)
				}
				continue
			}
			if p := corpusMismatch(fix.port, fix.proto, "exception", perr, &r); p != "" {
				t.Errorf("%s:%d: excepted row (%s) disagrees with its correction too: %s\n\t%s", rel, num, fix.reason, p, line)
			}
		}
	}
	return rows, agree, excepted
}

// corpusMismatch describes how a parse differs from the expected port and
// protocol, or returns "".
func corpusMismatch(wantPort, wantProto, source string, err error, r *Record) string {
	if strings.Contains(source, "not-a-firewall-line") || strings.Contains(source, "not a firewall line") {
		if !errors.Is(err, ErrNotRecord) {
			return "want ErrNotRecord, got " + describeParse(err, r)
		}
		return ""
	}
	if err != nil {
		return "want a record, got " + err.Error()
	}
	if wantProto == "" {
		if r.HasProto {
			return "want no protocol, got " + describeParse(nil, r)
		}
	} else {
		want, ok := LookupProtocol([]byte(wantProto))
		if n, nerr := strconv.Atoi(wantProto); nerr == nil && n >= 0 && n <= 255 {
			want, ok = Protocol(n), true
		}
		if !ok {
			return "expected protocol " + strconv.Quote(wantProto) + " is unknown to LookupProtocol"
		}
		if !r.HasProto || r.Proto != want {
			return "want protocol " + wantProto + ", got " + describeParse(nil, r)
		}
	}
	if wantPort == "" {
		if r.HasPorts {
			return "want no port, got " + describeParse(nil, r)
		}
	} else if !r.HasPorts || strconv.Itoa(int(r.DstPort)) != wantPort {
		return "want port " + wantPort + ", got " + describeParse(nil, r)
	}
	return ""
}

func describeParse(err error, r *Record) string {
	if err != nil {
		return "error " + strconv.Quote(err.Error())
	}
	s := r.Format.String() + " record, protocol "
	if r.HasProto {
		s += strconv.Itoa(int(r.Proto))
	} else {
		s += "unknown"
	}
	if r.HasPorts {
		return s + ", port " + strconv.Itoa(int(r.DstPort))
	}
	return s + ", no port"
}
