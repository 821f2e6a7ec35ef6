package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current generator")

func generateBytes(t testing.TB, c config, lines int) (out, tsv []byte) {
	t.Helper()
	var o, tr bytes.Buffer
	if err := generate(&o, &tr, c, lines); err != nil {
		t.Fatal(err)
	}
	return o.Bytes(), tr.Bytes()
}

func TestSameSeedSameBytes(t *testing.T) {
	a, at := generateBytes(t, testConfig(1), 5000)
	b, bt := generateBytes(t, testConfig(1), 5000)
	if !bytes.Equal(a, b) || !bytes.Equal(at, bt) {
		t.Fatal("two runs with seed 1 differ")
	}
	c, _ := generateBytes(t, testConfig(2), 5000)
	if bytes.Equal(a, c) {
		t.Fatal("seeds 1 and 2 gave the same log")
	}
	// Not just a different start: most lines differ.
	al, cl := bytes.Split(a, []byte("\n")), bytes.Split(c, []byte("\n"))
	same := 0
	for i := range min(len(al), len(cl)) {
		if bytes.Equal(al[i], cl[i]) {
			same++
		}
	}
	if same > len(al)/100 {
		t.Errorf("seeds 1 and 2 share %d of %d lines", same, len(al))
	}
}

// TestGolden pins the output of one seed, so that a change of Go release,
// architecture or map iteration order that alters a byte is caught. Run
// with -update after an intended change to the templates.
func TestGolden(t *testing.T) {
	out, tsv := generateBytes(t, testConfig(1), 300)
	for _, f := range []struct {
		name string
		got  []byte
	}{{"seed1-n300.log.golden", out}, {"seed1-n300.truth.golden", tsv}} {
		path := filepath.Join("testdata", f.name)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, f.got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(f.got, want) {
			gl, wl := bytes.Split(f.got, []byte("\n")), bytes.Split(want, []byte("\n"))
			for i := range min(len(gl), len(wl)) {
				if !bytes.Equal(gl[i], wl[i]) {
					t.Fatalf("%s: line %d differs:\ngot  %s\nwant %s", path, i+1, gl[i], wl[i])
				}
			}
			t.Fatalf("%s: %d lines, want %d", path, len(gl), len(wl))
		}
	}
}

func TestMixProportions(t *testing.T) {
	const lines = 40000
	for _, tc := range []struct{ mix string }{
		{defaultMix},
		{"pf=1,noise=1"},
		{"filterlog=3,netfilter=1"},
		{"noise=5"},
		{"cisco-asa=2,netfilter=1"},
		{"windows-firewall=2,netfilter=1"},
	} {
		t.Run(tc.mix, func(t *testing.T) {
			mix, err := parseMix(tc.mix)
			if err != nil {
				t.Fatal(err)
			}
			c := testConfig(7)
			c.mix = mix
			g := newGenerator(c)
			var counts [numFamilies]int
			var buf []byte
			for range lines {
				var shape string
				buf, _, shape = g.line(buf[:0])
				name, _, _ := strings.Cut(shape, "/")
				f := family(0)
				for f < numFamilies && familyNames[f] != name {
					f++
				}
				if f == numFamilies {
					t.Fatalf("shape %q names no family", shape)
				}
				counts[f]++
			}
			total := 0
			for _, w := range mix {
				total += w
			}
			for f, w := range mix {
				got := float64(counts[f]) / lines
				want := float64(w) / float64(total)
				if w == 0 && counts[f] != 0 || got < want-0.015 || got > want+0.015 {
					t.Errorf("%s: %.3f of lines, want %.3f", familyNames[f], got, want)
				}
			}
		})
	}
}

// TestTruthMatchesText checks every truth against the line it describes
// with rules independent of the templates: the port appears where the
// format puts it, the netfilter protocol matches PROTO=, records show a
// port or a protocol, and only noise is not a record.
func TestTruthMatchesText(t *testing.T) {
	for _, mix := range []string{defaultMix, "cisco-asa=1", "windows-firewall=1,noise=1"} {
		t.Run(mix, func(t *testing.T) {
			c := testConfig(3)
			var err error
			if c.mix, err = parseMix(mix); err != nil {
				t.Fatal(err)
			}
			checkTruthMatchesText(t, c)
		})
	}
}

func checkTruthMatchesText(t *testing.T, c config) {
	g := newGenerator(c)
	var buf []byte
	for i := range 30000 {
		var tr truth
		var shape string
		buf, tr, shape = g.line(buf[:0])
		line := string(buf)
		fail := func(why string) {
			t.Helper()
			t.Fatalf("line %d (%s): %s: truth %d %q\n\t%s", i+1, shape, why, tr.port, tr.proto, line)
		}
		// A family's own lines that are not records are its noise.
		noise := strings.HasPrefix(shape, "noise/") || strings.Contains(shape, "/noise/")
		if noise != (tr == notRecord) {
			fail("noise lines, and only they, must have an empty truth")
		}
		if !noise && tr.port < 0 && tr.proto == "" {
			fail("a record without port or protocol cannot be told from noise")
		}
		if strings.HasPrefix(shape, "netfilter/") {
			checkNetfilterTruth(line, tr, fail)
		}
		port := strconv.Itoa(int(tr.port))
		switch {
		case tr.port < 0:
		case strings.HasPrefix(shape, "pf/") && !strings.Contains(line, "."+port+": "):
			fail("pf: no destination ADDR.PORT")
		case strings.HasPrefix(shape, "filterlog/") && !strings.Contains(line, ","+port+","):
			fail("filterlog: no ,PORT, field")
		case strings.HasPrefix(shape, "cisco-asa/") && !strings.Contains(line, "/"+port) &&
			!strings.Contains(line, "("+port+")") && !strings.Contains(line, "DstPort: "+port+","):
			fail("cisco-asa: no /PORT, (PORT) or DstPort: PORT")
		case strings.HasPrefix(shape, "fortigate/") && !strings.Contains(line, "dstport="+port) && !strings.Contains(line, " dpt="+port+" "):
			fail("fortigate: no dstport= or dpt= with the port")
		case strings.HasPrefix(shape, "sonicwall/") && !strings.Contains(line, ":"+port+":") && !strings.Contains(line, " dpt="+port+" "):
			fail("sonicwall: no dst=ADDRESS:PORT: or dpt= with the port")
		case strings.HasPrefix(shape, "sophos/") && !strings.Contains(line, "dst_port="+port) && !strings.Contains(line, `dst_port="`+port+`"`) && !strings.Contains(line, `dstport="`+port+`"`):
			fail("sophos: no dst_port= or dstport= with the port")
		case strings.HasPrefix(shape, "panos/") && !strings.Contains(line, ","+port+",") && !strings.Contains(line, " dpt="+port+" "):
			fail("panos: no ,PORT, field or dpt= with the port")
		case strings.HasPrefix(shape, "windows-firewall/") && !strings.Contains(line, " "+port+" "):
			fail("windows-firewall: no PORT column")
		}
	}
}

func checkNetfilterTruth(line string, tr truth, fail func(string)) {
	// The packet an ICMP error quotes sits in brackets; its keys are not
	// the record's.
	outer := line
	for {
		i := strings.Index(outer, "[SRC=")
		if i < 0 {
			break
		}
		j := strings.Index(outer[i:], "] ")
		if j < 0 {
			fail("unterminated quoted packet")
		}
		outer = outer[:i] + outer[i+j+2:]
	}
	_, rest, ok := strings.Cut(outer, "PROTO=")
	if !ok {
		fail("no PROTO=")
	}
	proto, _, _ := strings.Cut(rest, " ")
	if n, err := strconv.Atoi(proto); err == nil {
		proto = protoNames[n]
	}
	if strings.ToLower(proto) != tr.proto {
		fail("PROTO=" + proto + " disagrees")
	}
	dpt := strings.Contains(outer, " DPT=")
	switch {
	case tr.port < 0 && dpt:
		fail("DPT= outside brackets but no port")
	case tr.port >= 0 && !strings.Contains(outer, " DPT="+strconv.Itoa(int(tr.port))+" "):
		fail("no DPT= with the port")
	}
}

func TestTimestampsAdvance(t *testing.T) {
	c := testConfig(5)
	start := time.Date(2025, 6, 30, 23, 59, 50, 0, time.FixedZone("", 2*3600))
	c.start = start
	out, _ := generateBytes(t, c, 20000)
	var lastISO time.Time
	var lastJournal int64
	iso, journal := 0, 0
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "2025-") && strings.Contains(line[:32], "T"):
			stamp, _, _ := strings.Cut(line, " ")
			ts, err := time.Parse("2006-01-02T15:04:05.999999Z07:00", stamp)
			if err != nil {
				ts, err = time.Parse("2006-01-02T15:04:05-0700", stamp)
			}
			if err != nil {
				t.Fatalf("%v\n\t%s", err, line)
			}
			if ts.Before(start) || ts.Before(lastISO.Truncate(time.Second)) {
				t.Fatalf("timestamp %v goes back (after %v, start %v)\n\t%s", ts, lastISO, start, line)
			}
			if _, off := ts.Zone(); off != 2*3600 {
				t.Fatalf("timestamp not in the zone of -start\n\t%s", line)
			}
			lastISO = ts
			iso++
		case strings.HasPrefix(line, `{"__CURSOR"`):
			_, rest, _ := strings.Cut(line, `"__REALTIME_TIMESTAMP":"`)
			us, _, _ := strings.Cut(rest, `"`)
			v, err := strconv.ParseInt(us, 10, 64)
			if err != nil || v <= lastJournal || v < start.UnixMicro() {
				t.Fatalf("__REALTIME_TIMESTAMP %s does not advance past %d\n\t%s", us, lastJournal, line)
			}
			lastJournal = v
			journal++
		}
	}
	if iso < 100 || journal < 100 {
		t.Fatalf("only %d ISO and %d journal timestamps to check", iso, journal)
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	truthPath := filepath.Join(dir, "truth.tsv")
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		stderr string
	}{
		{"defaults", []string{"-n", "10"}, exitOK, ""},
		{"truth", []string{"-n", "500", "-seed", "9", "-truth", truthPath}, exitOK, ""},
		{"help", []string{"-h"}, exitOK, ""},
		{"negative count", []string{"-n", "-1"}, exitUsage, "cannot be negative"},
		{"unknown family", []string{"-mix", "iptables=1"}, exitUsage, "families netfilter, pf, filterlog, "},
		{"family twice", []string{"-mix", "pf=1,pf=2"}, exitUsage, "pf given twice"},
		{"all zero", []string{"-mix", "netfilter=0,noise=0"}, exitUsage, "all weights are zero"},
		{"bad weight", []string{"-mix", "noise=lots"}, exitUsage, "whole number"},
		{"bad start", []string{"-start", "yesterday"}, exitUsage, "RFC 3339"},
		{"argument", []string{"out.log"}, exitUsage, `unexpected argument "out.log"`},
		{"unknown flag", []string{"-lines", "3"}, exitUsage, "flag provided but not defined"},
		{"unwritable truth", []string{"-truth", filepath.Join(dir, "missing", "t.tsv")}, exitError, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run(tc.args, &stdout, &stderr); got != tc.status {
				t.Fatalf("exit status %d, want %d; stderr: %s", got, tc.status, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) || tc.stderr == "" && stderr.Len() > 0 {
				t.Errorf("stderr %q, want it to mention %q", stderr.String(), tc.stderr)
			}
			if tc.name == "help" && !strings.HasPrefix(stdout.String(), "Usage: portnote-gen") {
				t.Errorf("help output: %q", stdout.String())
			}
			if tc.name != "truth" {
				return
			}
			tsv, err := os.ReadFile(truthPath)
			if err != nil {
				t.Fatal(err)
			}
			logLines := strings.Count(stdout.String(), "\n")
			rows := strings.Split(strings.TrimSuffix(string(tsv), "\n"), "\n")
			if logLines != 500 || len(rows) != 500 {
				t.Fatalf("%d log lines and %d truth rows, want 500 of each", logLines, len(rows))
			}
			want, wantTSV := generateBytes(t, func() config { c := testConfig(9); return c }(), 500)
			if !bytes.Equal(stdout.Bytes(), want) || !bytes.Equal(tsv, wantTSV) {
				t.Fatal("run wrote something else than generate")
			}
		})
	}
}

func TestLineDoesNotAllocate(t *testing.T) {
	for _, mix := range []string{defaultMix, "windows-firewall=1"} {
		c := testConfig(1)
		var err error
		if c.mix, err = parseMix(mix); err != nil {
			t.Fatal(err)
		}
		g := newGenerator(c)
		buf := make([]byte, 0, 8<<10)
		allocs := testing.AllocsPerRun(5000, func() {
			buf, _, _ = g.line(buf[:0])
		})
		if allocs != 0 {
			t.Errorf("%s: %.2f allocations per line, want 0", mix, allocs)
		}
	}
}

var sinkLine []byte

func BenchmarkLine(b *testing.B) {
	for _, mix := range []string{defaultMix, "netfilter=1", "pf=1", "filterlog=1", "windows-firewall=1", "noise=1"} {
		b.Run(mix, func(b *testing.B) {
			c := testConfig(1)
			var err error
			if c.mix, err = parseMix(mix); err != nil {
				b.Fatal(err)
			}
			// Bytes per line, measured on a separate run so that the
			// benchmark reports MB/s of log written.
			sample, _ := generateBytes(b, c, 2000)
			b.SetBytes(int64(len(sample) / 2000))
			b.ReportAllocs()
			g := newGenerator(c)
			buf := make([]byte, 0, 8<<10)
			for b.Loop() {
				buf, _, _ = g.line(buf[:0])
			}
			sinkLine = buf
		})
	}
}
