package annotate

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"io"
	"math/bits"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	_ "time/tzdata" // TestTimestampZones needs zones with daylight saving time
	"unicode/utf8"

	"github.com/portnote/portnote/registry"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// testNow pins RFC 3164 year inference so that goldens do not age.
var testNow = time.Date(2026, time.November, 25, 12, 0, 0, 0, time.UTC)

func newTest(cfg Config) *Annotator {
	if cfg.Now.IsZero() {
		cfg.Now = testNow
	}
	return New(cfg)
}

// run annotates in through Run, reading with the given reader wrapper.
func run(t testing.TB, cfg Config, in []byte, wrap func(io.Reader) io.Reader) []byte {
	t.Helper()
	var out bytes.Buffer
	a := newTest(cfg)
	var r io.Reader = bytes.NewReader(in)
	if wrap != nil {
		r = wrap(r)
	}
	if err := a.Run(context.Background(), r, &out); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.Bytes()
}

// TestGolden runs every sample log in examples/ through the engine in
// text and JSON form and compares with testdata/golden. The samples are
// the README's examples too, so this keeps the README honest.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("../examples/*.log")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../examples/*.json")
	inputs = append(inputs, more...)
	if len(inputs) < 5 {
		t.Fatalf("found only %d sample logs in ../examples", len(inputs))
	}
	for _, in := range inputs {
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range []struct {
			ext string
			out Output
		}{{"text", Text}, {"json", JSON}} {
			name := filepath.Base(in) + "." + mode.ext
			t.Run(name, func(t *testing.T) {
				got := run(t, Config{Output: mode.out}, data, nil)
				golden := filepath.Join("testdata", "golden", name)
				if *update {
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./annotate -run Golden -update)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("output differs from %s (rerun with -update after checking):\n%s", golden, firstDiff(got, want))
				}
			})
		}
	}
}

// firstDiff shows the first differing line of two outputs.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(same lines)"
}

func itoa(i int) string { return string(appendInt(nil, i)) }

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}

const (
	telnetLine = "Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8a:11:02:52:54:00:11:22:33:08:00 SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=54321 PROTO=TCP SPT=51234 DPT=23 WINDOW=5840 RES=0x00 SYN URGP=0"
	sshLine    = "Nov 25 06:25:19 web1 kernel: [UFW ALLOW] IN=eth0 OUT= SRC=198.51.100.20 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=57 ID=40112 DF PROTO=TCP SPT=40412 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0"
	reflLine   = "Nov 25 06:25:41 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.10 LEN=1428 TOS=0x00 PREC=0x00 TTL=53 ID=11000 PROTO=UDP SPT=11211 DPT=41337 LEN=1408"
	icmpLine   = "Nov 25 06:25:50 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.3 DST=192.0.2.10 LEN=84 TOS=0x00 PREC=0x00 TTL=52 ID=0 DF PROTO=ICMP TYPE=8 CODE=0 ID=4711 SEQ=1"
	pfLine     = "Mar 30 15:47:05 fw pf: rule 4/(match) block in on em0: 203.0.113.5.48784 > 192.0.2.1.445: S 1:1(0) win 16384"
	ssh6Line   = "Nov 25 06:26:00 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=2001:db8::5 DST=2001:db8:1::10 LEN=80 TC=0 HOPLIMIT=56 FLOWLBL=0 PROTO=TCP SPT=40000 DPT=22 WINDOW=64800 RES=0x00 SYN URGP=0"
	filterLine = "<134>Nov 12 09:14:02 filterlog[72237]: 5,,,1000000103,igb0,match,block,in,4,0x0,,49,54321,0,none,6,tcp,44,203.0.113.45,192.0.2.10,51234,2323,0,S,2771936212,,5840,,mss"
	sshdLine   = "Nov 25 06:25:19 web1 sshd[4121]: Connection from 198.51.100.20 port 40412 on 192.0.2.10 port 22"
)

func TestAnnotation(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"abused", telnetLine, " #pn 23/tcp telnet well-known abused=worm-botnet/high -- "},
		{"plain", sshLine, " #pn 22/tcp ssh well-known"},
		{"reflection", reflLine, " #pn 41337/udp unassigned registered reflection=11211/udp -- "},
		{"no ports", icmpLine, " #pn icmp"},
		{"pf", pfLine, " #pn 445/tcp microsoft-ds well-known abused=worm-botnet/high -- "},
		{"filterlog", filterLine, " #pn 2323/tcp 3d-nfsd registered abused=worm-botnet/high -- "},
		{"numeric protocol", "Mar 15 20:58:59 linux kernel: DROP IN=eth0 OUT= SRC=192.0.2.55 DST=192.0.2.1 LEN=20 TOS=0x00 PREC=0x00 TTL=56 ID=50515 PROTO=162", " #pn proto=162"},
		{"transport unknown", "Mar 30 15:47:05 fw pf: rule 4/(match) block in on em0: 203.0.113.5.48784 > 192.0.2.1.23: [|ip]", " #pn 23/? telnet well-known abused=worm-botnet/high -- "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(newTest(Config{}).AppendLine(nil, []byte(tt.line), true))
			if !strings.HasPrefix(got, tt.line) {
				t.Fatalf("output does not start with the line:\n%s", got)
			}
			ann := strings.TrimSuffix(got[len(tt.line):], "\n")
			if !strings.HasSuffix(tt.want, " -- ") {
				if ann != tt.want {
					t.Errorf("annotation\n got: %q\nwant: %q", ann, tt.want)
				}
				return
			}
			if !strings.HasPrefix(ann, tt.want) || len(ann) == len(tt.want) {
				t.Errorf("annotation\n got: %q\nwant: %q and a reason", ann, tt.want)
			}
		})
	}
}

// TestPassThrough feeds lines that must come out byte for byte, through
// readers that cut the input at every possible place.
func TestPassThrough(t *testing.T) {
	long := bytes.Repeat([]byte("x"), 1<<20)
	inputs := map[string][]byte{
		"empty":                 nil,
		"blank lines":           []byte("\n\n\n"),
		"no final newline":      []byte("first\nlast line without newline"),
		"crlf":                  []byte("one\r\ntwo\r\n"),
		"lone cr":               []byte("a\rb\n\r\n"),
		"nul and controls":      []byte("a\x00b\x01\x1b[31mred\x1b[0m\x7f\n"),
		"invalid utf-8":         []byte("\xff\xfe\xc0\xafbad \xe2\x28\xa1 utf8\n"),
		"1 MiB line":            append(append([]byte("start "), long...), '\n'),
		"1 MiB last line":       append([]byte("start "), long...),
		"text mentioning DPT=":  []byte("Nov 25 10:00:00 app x[1]: upstream DPT=80 PROTO=TCP in text\n"),
		"not a record":          []byte(sshdLine + "\n"),
		"binary":                []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\n\x00\x00\n\xff"),
		"already annotated":     []byte(telnetLine + " #pn 23/tcp telnet well-known\n"),
		"many short lines":      bytes.Repeat([]byte("a\n"), 100000),
		"annotated crlf record": []byte(sshLine + " #pn 22/tcp ssh well-known\r\n"),
	}
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    nil,
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
	}
	for name, in := range inputs {
		for rname, wrap := range readers {
			if rname == "one byte" && len(in) > 1<<16 {
				continue
			}
			t.Run(name+"/"+rname, func(t *testing.T) {
				got := run(t, Config{}, in, wrap)
				if !bytes.Equal(got, in) {
					t.Errorf("output differs from input (%d vs %d bytes)\n%q", len(got), len(in), limit(got))
				}
			})
		}
	}
}

func limit(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

// TestRunTwice: one Annotator reads several inputs in turn, each larger
// than a job, as the CLI does with several files.
func TestRunTwice(t *testing.T) {
	var in bytes.Buffer
	for i := 0; in.Len() < 3*jobSize; i++ {
		in.WriteString(sshLine)
		in.WriteString("\n")
		in.WriteString(sshdLine)
		in.WriteString("\n")
	}
	want := run(t, Config{}, in.Bytes(), nil)
	a := newTest(Config{})
	for i := range 3 {
		var out bytes.Buffer
		if err := a.Run(context.Background(), bytes.NewReader(in.Bytes()), &out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("input %d: %d bytes out, want %d", i+1, out.Len(), len(want))
		}
	}
	if got, want := a.Stats().Lines, 3*int64(bytes.Count(in.Bytes(), []byte("\n"))); got != want {
		t.Errorf("%d lines counted, want %d", got, want)
	}
}

// TestRecordLineEndings: the annotation goes before a CR, and a last
// record without newline keeps its lack of newline.
// TestRunManyInputs runs every sample log through one Annotator, one
// input after another as the command does with several files, and checks
// that each comes out as a fresh Annotator writes it: the workers Run
// keeps from one input to the next carry memos, never output.
func TestRunManyInputs(t *testing.T) {
	inputs, err := filepath.Glob("../examples/*.log")
	if err != nil || len(inputs) < 5 {
		t.Fatalf("sample logs: %v, %d found", err, len(inputs))
	}
	for _, out := range []Output{Text, JSON} {
		a := newTest(Config{Output: out})
		var workers []*lineWorker
		for _, in := range append(inputs, inputs...) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := a.Run(context.Background(), bytes.NewReader(data), &got); err != nil {
				t.Fatal(err)
			}
			if want := run(t, Config{Output: out}, data, nil); !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("%s after other inputs:\n%s", in, firstDiff(got.Bytes(), want))
			}
			if workers == nil {
				workers = slices.Clone(a.workers)
			} else if !slices.Equal(workers, a.workers) {
				t.Fatalf("%s: Run made new workers instead of keeping its own", in)
			}
		}
	}
}

func TestRecordLineEndings(t *testing.T) {
	got := string(run(t, Config{}, []byte(sshLine+"\r\n"+sshLine), nil))
	want := sshLine + " #pn 22/tcp ssh well-known\r\n" + sshLine + " #pn 22/tcp ssh well-known"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// TestIdempotent: annotating portnote's own output changes nothing.
func TestIdempotent(t *testing.T) {
	in := []byte(strings.Join([]string{telnetLine, sshLine, reflLine, icmpLine, pfLine, filterLine, sshdLine}, "\n") + "\n")
	once := run(t, Config{}, in, nil)
	twice := run(t, Config{}, once, nil)
	if !bytes.Equal(once, twice) {
		t.Errorf("second pass changed the output:\n%s", firstDiff(twice, once))
	}

	// Annotated lines among fresh ones and other lines with a '#': each
	// is judged by itself, wherever the job's '#'s are.
	var mixed, want []byte
	annotatedLines := bytes.SplitAfter(once, []byte("\n"))
	for k, line := range bytes.SplitAfter(in, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		comment := []byte("# a comment\n")
		mixed = append(append(append(mixed, annotatedLines[k]...), comment...), line...)
		want = append(append(append(want, annotatedLines[k]...), comment...), annotatedLines[k]...)
	}
	if got := run(t, Config{}, mixed, nil); !bytes.Equal(got, want) {
		t.Errorf("annotated and fresh lines mixed:\n%s", firstDiff(got, want))
	}
}

// TestJSON checks that every output line is one valid JSON object that
// carries the original line, whatever its bytes.
func TestJSON(t *testing.T) {
	lines := []string{telnetLine, sshLine, reflLine, icmpLine, pfLine, filterLine, sshdLine,
		"", "tab\tand \"quotes\" and \\", "esc \x1b[2J nul \x00 del \x7f", "bad \xff\xfe utf-8 \xed\xa0\x80 surrogate",
		telnetLine + " \xff trailing junk", "\u2028 line separator, emoji 🔥",
		"crlf\r", "crlf, not UTF-8 \xff\r", telnetLine + "\r", "C1 \xc2\x9b31m \xc2\x9d0;x\x07 \xc2\x80 \xc2\xa0"}
	in := []byte(strings.Join(lines, "\n") + "\n")
	out := run(t, Config{Output: JSON}, in, nil)
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != len(lines) {
		t.Fatalf("%d output lines for %d input lines", len(got), len(lines))
	}
	for i, g := range got {
		// C1 controls drive some terminals: JSON escapes them.
		for j := 0; j+1 < len(g); j++ {
			if g[j] == 0xc2 && g[j+1] < 0xa0 {
				t.Errorf("line %d: a raw C1 control in %q", i+1, g)
			}
		}
		var v struct {
			Message  string `json:"message"`
			Portnote struct {
				Base64 string `json:"message_base64"`
			} `json:"portnote"`
		}
		if err := json.Unmarshal([]byte(g), &v); err != nil {
			t.Errorf("line %d: %v\n%s", i+1, err, g)
			continue
		}
		// message leaves out the CR of a CRLF ending; message_base64
		// keeps every byte.
		message := strings.TrimSuffix(lines[i], "\r")
		switch {
		case utf8.ValidString(lines[i]):
			if v.Message != message {
				t.Errorf("line %d: message %q, want %q", i+1, v.Message, message)
			}
			if v.Portnote.Base64 != "" {
				t.Errorf("line %d: message_base64 on a valid UTF-8 line", i+1)
			}
		default:
			orig, err := base64.StdEncoding.DecodeString(v.Portnote.Base64)
			if err != nil || string(orig) != lines[i] {
				t.Errorf("line %d: message_base64 does not restore the line: %q", i+1, orig)
			}
			if v.Message != strings.ToValidUTF8(message, "\ufffd") && v.Message != replaceEachInvalid(message) {
				t.Errorf("line %d: message %q", i+1, v.Message)
			}
		}
	}
}

// replaceEachInvalid replaces every invalid byte (not every run) by U+FFFD.
func replaceEachInvalid(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}

func TestJSONFields(t *testing.T) {
	out := newTest(Config{Output: JSON}).AppendLine(nil, []byte(reflLine), true)
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"source.ip":                       "203.0.113.9",
		"source.port":                     11211.0,
		"destination.ip":                  "192.0.2.10",
		"destination.port":                41337.0,
		"network.transport":               "udp",
		"network.iana_number":             "17",
		"network.type":                    "ipv4",
		"event.action":                    "block",
		"observer.ingress.interface.name": "eth0",
		"observer.hostname":               "web1",
		"rule.name":                       "[UFW BLOCK]",
		"portnote.format":                 "netfilter",
		"portnote.class":                  "registered",
		"portnote.abused":                 false,
		"portnote.reflection.port":        11211.0,
		"portnote.reflection.transport":   "udp",
		"portnote.reflection.category":    "amplification",
		"@timestamp":                      "2026-11-25T06:25:41Z",
		"observer.egress.interface.name":  nil,
		"portnote.service":                nil,
		"portnote.abuse":                  nil,
		"portnote.reflection.severity":    "high",
		"portnote.reflection.label":       "memcached",
		"portnote.message_base64":         nil,
		"network.direction":               "ingress",
		"portnote.transport_guess":        nil,
		"portnote.tcp_flags":              nil, // UDP
		"rule.id":                         nil,
		"source.nat":                      nil,
		"network.bytes":                   nil,
	}
	for path, w := range want {
		g, ok := dig(v, path)
		if w == nil {
			if ok {
				t.Errorf("%s = %v, want absent", path, g)
			}
			continue
		}
		if !ok || g != w {
			t.Errorf("%s = %v (present %v), want %v", path, g, ok, w)
		}
	}
}

func dig(v map[string]any, path string) (any, bool) {
	parts := strings.Split(path, ".")
	var cur any = v
	for _, p := range parts {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[p]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// TestTimestamp compares the JSON timestamp writer with the standard
// library's RFC3339Nano on awkward times: zones east and west, fractions
// with trailing zeros, the same second twice, a zone change within it.
func TestTimestamp(t *testing.T) {
	east := time.FixedZone("", 5*3600+30*60)
	west := time.FixedZone("", -3*3600)
	times := []time.Time{
		time.Date(2026, 11, 25, 6, 25, 14, 0, time.UTC),
		time.Date(2026, 11, 25, 6, 25, 14, 500000000, time.UTC),
		time.Date(2026, 11, 25, 6, 25, 14, 500000000, east),
		time.Date(2026, 11, 25, 6, 25, 14, 123456789, west),
		time.Date(999, 1, 2, 3, 4, 5, 1000, time.UTC),
		time.Date(2026, 3, 29, 2, 30, 0, 10, time.Local),
	}
	var c stampCache
	for _, tm := range append(times, times...) {
		got := string(c.append(nil, tm))
		if want := tm.Format(time.RFC3339Nano); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

// TestTimestampZones checks the stamp writer against time.Format across
// daylight saving changes (Lord Howe's is half an hour, Chatham's zone
// is 12:45 ahead), days and years, with zones interleaved as a merged log
// interleaves them, stepping through two years and jumping at random.
func TestTimestampZones(t *testing.T) {
	var locs []*time.Location
	for _, name := range []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham", "America/Sao_Paulo", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	locs = append(locs, time.UTC, time.Local, time.FixedZone("", -(9*3600+30*60)))
	var c stampCache
	check := func(tm time.Time) {
		t.Helper()
		if got, want := string(c.append(nil, tm)), tm.Format(time.RFC3339Nano); got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for step := range 2 * 365 * 24 * 60 / 17 {
		tm := start.Add(time.Duration(step) * 17 * time.Minute)
		check(tm.In(locs[step%len(locs)]))
		check(tm.Add(999 * time.Millisecond).In(locs[step%len(locs)]))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		sec := r.Int64N(int64(200*365*24*3600)) - int64(70*365*24*3600) // 1900 to 2100
		check(time.Unix(sec, r.Int64N(1e9)).In(locs[r.IntN(len(locs))]))
	}
}

// TestAppendAddr checks the address writer against netip's on every
// IPv4 octet in each position and on addresses it leaves to netip.
func TestAppendAddr(t *testing.T) {
	var addrs []netip.Addr
	for b := range 256 {
		x := byte(b)
		addrs = append(addrs, netip.AddrFrom4([4]byte{x, 0, 9, 255}), netip.AddrFrom4([4]byte{10, x, 100, 1}),
			netip.AddrFrom4([4]byte{99, 100, x, 7}), netip.AddrFrom4([4]byte{255, 1, 10, x}))
	}
	for _, s := range []string{"::", "2001:db8::1", "::ffff:192.0.2.1", "fe80::1%eth0", "2a05:7cad:484c:fbef::fe"} {
		addrs = append(addrs, netip.MustParseAddr(s))
	}
	for _, a := range addrs {
		if got, want := string(appendAddr(nil, a)), a.String(); got != want {
			t.Errorf("appendAddr(%v) = %q", want, got)
		}
	}
}

// TestAppendUint16 checks the number writer against strconv on every
// port.
func TestAppendUint16(t *testing.T) {
	for p := range 1 << 16 {
		if got, want := string(appendUint16(nil, uint16(p))), strconv.Itoa(p); got != want {
			t.Fatalf("appendUint16(%d) = %q", p, got)
		}
	}
}

func TestSelection(t *testing.T) {
	lines := []string{telnetLine, sshLine, reflLine, icmpLine, pfLine, filterLine, sshdLine, ssh6Line}
	in := []byte(strings.Join(lines, "\n") + "\n")
	must := func(v any, err error) any {
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ports := must(ParsePortList("22,2320-2330", nil)).(*PortSet)
	udp := must(ParseProtoList("udp,icmp")).(*ProtoSet)
	wellKnown := must(ParseClassList("well-known")).(ClassSet)
	perTransport := must(ParsePortList("22/udp,2323/tcp,445/udp", nil)).(*PortSet)
	names := must(ParsePortList("ssh,TELNET", nil)).(*PortSet)
	src24 := must(ParseAddrList("203.0.113.0/24")).(*AddrSet)
	src45 := must(ParseAddrList("192.0.2.99, 203.0.113.45")).(*AddrSet)
	dst10 := must(ParseAddrList("192.0.2.10/32")).(*AddrSet)
	dst6 := must(ParseAddrList("2001:db8:1::/48")).(*AddrSet)
	pass := must(ParseActionList("allow")).(ActionSet)
	block := must(ParseActionList("block,reject")).(ActionSet)
	amplification := must(ParseCategoryList("amplification")).(CategorySet)
	worm := must(ParseCategoryList("worm-botnet,backdoor")).(CategorySet)
	tests := []struct {
		name string
		sel  Selection
		want []int // indexes into lines
	}{
		{"none", Selection{}, []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{"records", Selection{Records: true}, []int{0, 1, 2, 3, 4, 5, 7}},
		{"abused", Selection{Abused: true}, []int{0, 2, 4, 5}},
		{"ports", Selection{Ports: ports}, []int{1, 5, 7}},
		{"ports per transport", Selection{Ports: perTransport}, []int{5}},
		{"ports by name", Selection{Ports: names}, []int{0, 1, 7}},
		{"protos", Selection{Protos: udp}, []int{2, 3}},
		{"class", Selection{Classes: wellKnown}, []int{0, 1, 4, 7}},
		{"abused and class", Selection{Abused: true, Classes: wellKnown}, []int{0, 4}},
		{"source prefix", Selection{Src: src24}, []int{0, 2, 4, 5}},
		{"source address", Selection{Src: src45}, []int{0, 5}},
		{"source and destination", Selection{Src: src24, Dst: dst10}, []int{0, 2, 5}},
		{"IPv6 destination", Selection{Dst: dst6}, []int{7}},
		{"action pass", Selection{Actions: pass}, []int{1}},
		{"action block", Selection{Actions: block}, []int{0, 2, 3, 4, 5, 7}},
		{"action and port", Selection{Actions: block, Ports: ports}, []int{5, 7}},
		{"severity high", Selection{MinSeverity: registry.High}, []int{0, 2, 4, 5}},
		{"category amplification", Selection{Categories: amplification}, []int{2}},
		{"categories", Selection{Categories: worm}, []int{0, 4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTest(Config{Select: tt.sel})
			var out bytes.Buffer
			if err := a.Run(context.Background(), bytes.NewReader(in), &out); err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
				for i, want := range lines {
					if l != "" && strings.HasPrefix(l, want) && (len(l) == len(want) || l[len(want)] == ' ') {
						got = append(got, i)
					}
				}
			}
			if !equalInts(got, tt.want) {
				t.Errorf("selected lines %v, want %v", got, tt.want)
			}
			if s := a.Stats(); s.Selected != int64(len(tt.want)) || s.Lines != int64(len(lines)) {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParseListErrors(t *testing.T) {
	for _, bad := range []string{"", "x", "70000", "10-5", "1,,2", "-3"} {
		if _, err := ParsePortList(bad, nil); err == nil {
			t.Errorf("ParsePortList(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"", "tcpp", "300"} {
		if _, err := ParseProtoList(bad); err == nil {
			t.Errorf("ParseProtoList(%q) accepted", bad)
		}
	}
	if _, err := ParseClassList("well-known,ephemeral"); err == nil {
		t.Error("ParseClassList accepted an unknown class")
	}
}

// TestVisible: on a terminal, bytes that could drive it are shown, not sent.
func TestVisible(t *testing.T) {
	line := "evil \x1b]0;pwned\x07 \x1b[2J \xc2\x9b31m \xff tab\there"
	got := string(newTest(Config{Visible: true}).AppendLine(nil, []byte(line), true))
	want := `evil ^[]0;pwned^G ^[[2J \xc2\x9b31m \xff tab` + "\there\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	for _, c := range got {
		if c < 0x20 && c != '\t' && c != '\n' {
			t.Errorf("control byte %#x reached the output", c)
		}
	}
}

func TestColors(t *testing.T) {
	c := Colors{Annotation: []byte("<a>"), Reset: []byte("</>")}
	c.Severity[4] = []byte("<high>")
	got := string(newTest(Config{Colors: c}).AppendLine(nil, []byte(telnetLine), true))
	if !strings.HasPrefix(got, telnetLine+"<high> #pn 23/tcp") || !strings.HasSuffix(got, "</>\n") {
		t.Errorf("abused record: %q", got[len(telnetLine):])
	}
	got = string(newTest(Config{Colors: c}).AppendLine(nil, []byte(sshLine), true))
	if got != sshLine+"<a> #pn 22/tcp ssh well-known</>\n" {
		t.Errorf("plain record: %q", got[len(sshLine):])
	}
}

func TestExplain(t *testing.T) {
	a := newTest(Config{Explain: true})
	got := string(a.AppendLine(nil, []byte(telnetLine), true))
	for _, want := range []string{"  = netfilter: action=block dir=in in=eth0 src=203.0.113.45:51234 dst=192.0.2.10:23 proto=tcp(6) flags=syn label=\"[UFW BLOCK]\" host=web1 time=2026-11-25T06:25:14Z\n",
		"  = #pn 23/tcp telnet"} {
		if !strings.Contains(got, want) {
			t.Errorf("explanation lacks %q:\n%s", want, got)
		}
	}
	got = string(a.AppendLine(nil, []byte("Mar 30 15:47:05 fw pf: rule 4/(match) block in on em0: scanner.example.net.48784 > 192.0.2.1.445: S"), true))
	if !strings.Contains(got, "  = no record: netfilter: not this format; filterlog: not this format; pf: at byte ") {
		t.Errorf("explanation of a broken pf line:\n%s", got)
	}
	got = string(a.AppendLine(nil, []byte("Mar 30 15:47:05 fw pf: rule 4/(match) block in on em0: 203.0.113.FOO.48784 > 192.0.2.1.445: S"), true))
	if !strings.Contains(got, " src=?:48784 dst=192.0.2.1:445 proto=tcp(6) flags=syn rule=\"4\" partial=source.ip ") {
		t.Errorf("explanation of a masked pf line:\n%s", got)
	}
	if s := a.Stats(); s.Unparsed != 1 || s.Broken[3] != 0 || s.Partial != 1 {
		t.Errorf("stats %+v", s)
	}
}

// TestPartialJSON: what a line holds unreadably or leaves out is absent
// from JSON, and named under portnote.partial; records are counted as
// partial.
func TestPartialJSON(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{"Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=35.xxx.xxx.xxx DST=192.0.2.10 LEN=44 PROTO=TCP SPT=51234 DPT=23 WINDOW=5840 RES=0x00 SYN URGP=0",
			`"source":{"port":51234},"destination":{"ip":"192.0.2.10","port":23},`},
		{"Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 PROTO=UDP DPT=53 LEN=20",
			`"source":{"ip":"203.0.113.45"},"destination":{"ip":"192.0.2.10","port":53},`},
		{"rule 1/(match) block in on em0: … > 192.0.2.1.23: S 1:1(0) win 64240",
			`"destination":{"ip":"192.0.2.1","port":23},"network":`},
	} {
		a := newTest(Config{Output: JSON})
		got := string(a.AppendLine(nil, []byte(tt.line), true))
		if !strings.Contains(got, tt.want) || !strings.Contains(got, `"partial":["`) {
			t.Errorf("got %s\nwant %s and a partial list", got, tt.want)
		}
		var o struct {
			Source   map[string]any `json:"source"`
			Portnote struct {
				Partial []string `json:"partial"`
			} `json:"portnote"`
		}
		if err := json.Unmarshal([]byte(got), &o); err != nil {
			t.Fatalf("%v: %s", err, got)
		}
		for _, f := range o.Portnote.Partial {
			if _, there := o.Source[strings.TrimPrefix(f, "source.")]; there {
				t.Errorf("%s is partial but shown: %s", f, got)
			}
		}
		if s := a.Stats(); s.Partial != 1 || s.TotalRecords() != 1 {
			t.Errorf("stats %+v", s)
		}
	}
	// A reply from port 0 is not a reflection: the port was left out.
	got := string(newTest(Config{}).AppendLine(nil, []byte("Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 PROTO=UDP DPT=53 LEN=20"), true))
	if strings.Contains(got, "reflect") {
		t.Errorf("missing source port read as a reflector: %s", got)
	}
}

func TestNoAllocs(t *testing.T) {
	lines := []string{telnetLine, sshLine, reflLine, icmpLine, pfLine, filterLine, sshdLine, "bad \xff utf-8"}
	for _, out := range []Output{Text, JSON} {
		a := newTest(Config{Output: out})
		dst := make([]byte, 0, 64<<10)
		for _, l := range lines {
			line := []byte(l)
			if n := testing.AllocsPerRun(100, func() { dst = a.AppendLine(dst[:0], line, true) }); n != 0 {
				t.Errorf("output %d: %.1f allocations per line for %.40q", out, n, l)
			}
		}
	}
}

// TestRunStopsOnCancel: a line that is complete is written as soon as no
// more input is ready, and cancelling a Run blocked on its input returns.
func TestRunStopsOnCancel(t *testing.T) {
	in, feed := io.Pipe()
	defer feed.Close()
	got, out := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- newTest(Config{}).Run(ctx, in, out) }()
	go feed.Write([]byte(sshLine + "\npartial"))
	want := sshLine + " #pn 22/tcp ssh well-known\n"
	buf := make([]byte, len(want))
	if _, err := io.ReadFull(got, buf); err != nil || string(buf) != want {
		t.Fatalf("read %q, %v; want %q", buf, err, want)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
}

// FuzzAnnotate checks the engine's promises on arbitrary lines: text
// output starts with the line and adds only an annotation; JSON output
// is one valid object.
func FuzzAnnotate(f *testing.F) {
	for _, l := range []string{telnetLine, sshLine, reflLine, icmpLine, pfLine, filterLine, sshdLine, "", "\xff\x00",
		telnetLine + " #pn 22/tcp ssh well-known -- x #pn 1/udp", icmpLine + " #pn gre"} {
		f.Add([]byte(l))
	}
	text := newTest(Config{})
	js := newTest(Config{Output: JSON})
	f.Fuzz(func(t *testing.T, line []byte) {
		if bytes.IndexByte(line, '\n') >= 0 {
			return
		}
		out := text.AppendLine(nil, line, true)
		body := bytes.TrimSuffix(line, []byte("\r"))
		ending := string(line[len(body):]) + "\n"
		if !bytes.HasPrefix(out, body) || !bytes.HasSuffix(out, []byte(ending)) {
			t.Fatalf("text output does not keep the line and its ending: %q", out)
		}
		if added := out[len(body) : len(out)-len(ending)]; len(added) > 0 && !bytes.HasPrefix(added, []byte(separator)) {
			t.Fatalf("added text is not an annotation: %q", added)
		}
		// Annotating the output again changes nothing.
		if again := text.AppendLine(nil, out[:len(out)-1], true); !bytes.Equal(again, out) {
			t.Fatalf("second run changed\n%q\nto\n%q", out, again)
		}
		obj := js.AppendLine(nil, line, true)
		if !json.Valid(obj) {
			t.Fatalf("invalid JSON: %s", obj)
		}
	})
}

var sink []byte

func BenchmarkAnnotate(b *testing.B) {
	lines := []string{telnetLine, sshLine, reflLine, icmpLine, pfLine, filterLine, sshdLine}
	in := []byte(strings.Join(lines, "\n") + "\n")
	for _, mode := range []struct {
		name string
		out  Output
	}{{"text", Text}, {"json", JSON}} {
		b.Run(mode.name+"/line", func(b *testing.B) {
			a := newTest(Config{Output: mode.out})
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			split := bytes.Split(in[:len(in)-1], []byte("\n"))
			dst := make([]byte, 0, 64<<10)
			for b.Loop() {
				dst = dst[:0]
				for _, l := range split {
					dst = a.AppendLine(dst, l, true)
				}
			}
			sink = dst
		})
		b.Run(mode.name+"/stream", func(b *testing.B) {
			big := bytes.Repeat(in, 2000)
			b.SetBytes(int64(len(big)))
			b.ReportAllocs()
			for b.Loop() {
				a := newTest(Config{Output: mode.out})
				if err := a.Run(context.Background(), bytes.NewReader(big), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestEscapeMask checks that the lowest byte escapeMask flags is the
// first byte a JSON string cannot hold as it is, for every pair of byte
// values in every pair of positions of a word.
func TestEscapeMask(t *testing.T) {
	special := func(c byte) bool { return c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf }
	for lo := range 8 {
		for hi := lo + 1; hi < 8; hi++ {
			for a := range 256 {
				for b := range 256 {
					var w [8]byte
					for i := range w {
						w[i] = 'a'
					}
					w[lo], w[hi] = byte(a), byte(b)
					want := 8
					for i, c := range w {
						if special(c) {
							want = i
							break
						}
					}
					got := 8
					if m := escapeMask(binary.LittleEndian.Uint64(w[:])); m != 0 {
						got = bits.TrailingZeros64(m) / 8
					}
					if got != want {
						t.Fatalf("%q: first special byte at %d, escapeMask says %d", w, want, got)
					}
				}
			}
		}
	}
}

// FuzzJSONString checks the JSON string writer against encoding/json:
// the string decodes to the input with each invalid byte as U+FFFD, and
// validity is reported exactly.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain ascii text of some length", `quote " backslash \ tab` + "\t", "\x00\x1f\x7f", "é漢🔥", "\xff\xc0\xaf\xed\xa0\x80", telnetLine} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		out, valid := appendJSONStringValid(nil, s)
		var got string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		if want := replaceEachInvalid(string(s)); got != want {
			t.Fatalf("decoded %q, want %q", got, want)
		}
		if valid != utf8.Valid(s) {
			t.Fatalf("valid = %v for %q", valid, s)
		}
	})
}
