package parsers

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The parsers take shortcuts on the common shapes of lines: a quick look
// that turns lines away before their envelope is read (mayHoldRecord), a
// netfilter scan that follows the kernel's order of keys and stops early
// (scanBody), memos of recent hosts and tags (tagMemo), word-at-a-time
// and IndexByte searches. None may change a result. The tests here check
// each shortcut against the plain way it replaces, on every corpus line,
// on the generated mix, on variants of those lines cut and damaged in
// every position, and under the fuzzer.

// fastPathLines returns the lines the shortcuts are checked on: the
// generated mix, the examples of this package's tests, and the shared
// corpus when it is there.
func fastPathLines(tb testing.TB) [][]byte {
	tb.Helper()
	lines, _ := loadMix(tb)
	for _, l := range netfilterExampleLines() {
		lines = append(lines, []byte(l))
	}
	for _, l := range applianceExampleLines() {
		lines = append(lines, []byte(l))
	}
	if _, err := os.Stat(corpusDir); err != nil {
		return lines
	}
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".tsv") || strings.HasSuffix(path, ".md") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for l := range bytes.Lines(data) {
			lines = append(lines, bytes.TrimSuffix(l, []byte("\n")))
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return lines
}

// damaged calls f with variants of line: every prefix, and the line with
// each byte replaced by one of the bytes the parsers care about.
func damaged(line []byte, f func([]byte)) {
	buf := make([]byte, len(line))
	for i := range line {
		f(line[:i:i])
	}
	const special = " =[]():,.\"\\{}-/0x\t"
	for i := range line {
		copy(buf, line)
		buf[i] = special[i%len(special)]
		f(buf)
	}
}

func TestFastPathsAgree(t *testing.T) {
	lines := fastPathLines(t)
	warm := Parser{NoTime: true}
	for _, line := range lines {
		checkFastPaths(t, &warm, line)
	}
	if testing.Short() {
		return
	}
	// Every fourth line of the mix covers each shape of line several
	// times over, in a few seconds.
	mix, _ := loadMix(t)
	for k := 0; k < len(mix); k += 4 {
		damaged(mix[k], func(b []byte) { checkFastPaths(t, &warm, b) })
	}
}

func FuzzFastPaths(f *testing.F) {
	mix, _ := loadMix(f)
	for _, line := range mix {
		f.Add(line)
	}
	for _, line := range applianceExampleLines() {
		f.Add([]byte(line))
	}
	warm := Parser{NoTime: true}
	f.Fuzz(func(t *testing.T, line []byte) {
		checkFastPaths(t, &warm, line)
	})
}

// checkFastPaths checks every shortcut on line. warm is a parser that
// has seen other lines, whose memos may hold anything.
func checkFastPaths(t *testing.T, warm *Parser, line []byte) {
	t.Helper()
	// A pre-check that turns a line away speaks for its family's parser,
	// on the message the envelope leaves: of the line, or of the object
	// whose message the pre-checks look at instead.
	var env Parser
	env.NoTime = true
	var er Record
	msg, _, _ := env.envelope(line, &er)
	var s lineShape
	s.reset(line)
	if len(line) > 0 && line[0] == '{' {
		s.reset(msg)
	}
	for i := range families {
		if s.may(i) {
			continue
		}
		var q Parser
		var r Record
		if res := families[i].parse(&q, msg, &r); res != notMine {
			t.Fatalf("the pre-check of %s turned away a line its parser reads as %v: %q", families[i].name, res, line)
		}
	}

	// A parser's memos answer as a fresh parser would.
	var cold Parser
	cold.NoTime = true
	var want, got Record
	werr := cold.Parse(line, &want)
	if werr == nil && !want.Time.IsZero() {
		t.Fatalf("NoTime read the time %v: %q", want.Time, line)
	}
	for range 2 { // the second time from the memos of the first
		gerr := warm.Parse(line, &got)
		if d := parseDiff(line, werr, &want, gerr, &got); d != "" {
			t.Fatalf("a parser that has seen other lines differs from a fresh one: %s\n\t%q", d, line)
		}
	}

	checkNoEnvelope(t, line)

	// The netfilter scans.
	start, truncated := netfilterBody(msg)
	if ws, wt := refNetfilterBody(msg); ws != start || wt != truncated {
		t.Fatalf("netfilterBody = %d, %v, want %d, %v: %q", start, truncated, ws, wt, msg)
	}
	if !truncated {
		var full, fast nfScan
		wres := full.scan(msg, start, false)
		gres := fast.scanBody(msg, start)
		if wres != gres || wres == parsed && !sameScan(msg, &full, &fast) {
			t.Fatalf("scanBody = %v %+v, scan = %v %+v: %q", gres, fast, wres, full, msg)
		}
	}

	// The word-level helpers, everywhere they could be asked.
	if got, want := nfPrefixAction(line), refNfPrefixAction(line); got != want {
		t.Fatalf("nfPrefixAction = %v, want %v: %q", got, want, line)
	}
	if got, want := trimSpace(line), bytes.TrimSpace(line); !sameSlice(got, want) {
		t.Fatalf("trimSpace = %q, want %q", got, want)
	}
	for i := range line {
		checkHelpersAt(t, line, i)
	}
	for tok := range bytes.SplitSeq(line, []byte(" ")) {
		gt, gok := tagToken(tok)
		wt, wok := refTagToken(tok)
		if gok != wok || gok && !sameSlice(gt, wt) {
			t.Fatalf("tagToken(%q) = %q, %v, want %q, %v", tok, gt, gok, wt, wok)
		}
		ga, gp, gh, gb := pfAddrPort(tok)
		wa, wp, wh, wb := refPfAddrPort(tok)
		if ga != wa || gp != wp || gh != wh || gb != wb {
			t.Fatalf("pfAddrPort(%q) = %v %d %v %q, want %v %d %v %q", tok, ga, gp, gh, gb, wa, wp, wh, wb)
		}
		_, val, _ := bytes.Cut(tok, []byte("="))
		for _, v := range [][]byte{tok, val} {
			if len(v) != 39 {
				continue
			}
			ga, gok := parseIPv6Full(v)
			wa, wok := parseIPv6Text(v)
			if gok && (!wok || ga != wa) {
				t.Fatalf("parseIPv6Full(%q) = %v, want %v %v", v, ga, wa, wok)
			}
		}
	}
}

// checkNoEnvelope checks that NoEnvelope changes nothing on line but
// what it says it leaves out, and reports whether it took the shortcut
// when detecting every format.
func checkNoEnvelope(t *testing.T, line []byte) (bare bool) {
	t.Helper()
	for _, f := range []Format{FormatNetfilter, FormatUnknown} {
		full := Parser{Format: f, NoTime: true, NoAction: true}
		short := full
		short.NoEnvelope = true
		var want, got Record
		werr, gerr := full.Parse(line, &want), short.Parse(line, &got)
		// Every record read in full has a message; one read from its
		// body alone has none.
		bare = gerr == nil && got.Message == nil
		if bare {
			want.Host, want.Label, want.Message = nil, nil, nil
		}
		if gerr == nil && packetOnlyUnderNoEnvelope(got.Format) {
			// What NoEnvelope says these families leave out.
			want.Action, want.Label, want.RuleID, want.InIface, want.OutIface = ActionUnknown, nil, nil, nil, nil
			want.Session, want.Bytes, want.Packets = nil, 0, 0
			want.SrcNAT, want.DstNAT, want.SrcNATPort, want.DstNATPort = netip.Addr{}, netip.Addr{}, 0, 0
		}
		if d := parseDiff(line, werr, &want, gerr, &got); d != "" {
			t.Fatalf("NoEnvelope (format %v) changed %s\n\t%q", f, d, line)
		}
	}
	return bare
}

// TestNoEnvelope checks that the shortcut is taken under the envelopes
// it is meant for, and not on lines whose envelope or format could make
// the full reading differ: each of the latter reads differently from its
// body alone.
func TestNoEnvelope(t *testing.T) {
	const body = "IN=eth0 OUT= MAC= SRC=192.0.2.1 DST=198.51.100.2 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=1000 DPT=22 WINDOW=0 RES=0x00 SYN URGP=0"
	for _, tt := range []struct {
		line string
		bare bool
	}{
		{"Mar  1 00:00:00 gw kernel: [UFW BLOCK] " + body, true},
		{"<4>Mar  1 00:00:00 gw kernel: [12345.678901] DROP: " + body, true},
		{"2025-03-01T00:00:00.123456+00:00 gw kernel: " + body, true},
		{"[12345.678901] " + body, true},
		{"0 2 PVEFW-HOST-IN 01/Mar/2025:00:53:15 +0000 REJECT: " + body, true},
		{"Mar  1 00:00:00 gw kernel:" + body, true},
		// RFC 5424 fields and structured data may hold a '=', even an IN=.
		{`<4>1 2025-03-01T00:00:00Z gw kernel - - [x IN="eth9" SRC="bad"] ` + body, false},
		{"<4>1 2025-03-01T00:00:00Z gw IN=eth9 OUT=eth8 - - SRC=192.0.2.1 DST=198.51.100.2 LEN=40 PROTO=TCP SPT=1000 DPT=22", false},
		// The first '=' is an IN=, but filterlog or pf reads the line.
		{"Mar  1 00:00:00 fw filterlog[1]: 5,,IN=eth0,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,192.0.2.1,198.51.100.2,1000,22,0,S,1,,64240,,mss", false},
		{"Mar  1 00:00:00 fw filterlog[1]: 5,,IN=eth0 OUT= SRC=192.0.2.9 DST=192.0.2.8 LEN=1 PROTO=UDP SPT=1 DPT=2 ,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,192.0.2.1,198.51.100.2,1000,22,0,S,1,,64240,,mss", false},
		{"Mar  1 00:00:00 fw pf: rule 5/0(match): block in on em0: 192.0.2.1.1000 > 198.51.100.2.22: S 1:1(0) win 1 " + body, false},
		// No such tag, but netfilter turns the body away and pf reads it.
		{"Mar  1 00:00:00 fw rule 5/0(match): block in on em0: 192.0.2.1.1000 > 198.51.100.2.22: S 1:1(0) win 1 IN=eth0 OUT=", false},
		// Not an IN= that starts a body.
		{"Mar  1 00:00:00 gw kernel: XIN=9 " + body, false},
		{"Mar  1 00:00:00 gw kernel: droppedIN=eth0 " + body[len("IN=eth0 "):], true},
	} {
		if got := checkNoEnvelope(t, []byte(tt.line)); got != tt.bare {
			t.Errorf("read from the body alone: %v, want %v: %q", got, tt.bare, tt.line)
		}
	}
}

// checkHelpersAt checks the helpers that read from an offset.
func checkHelpersAt(t *testing.T, line []byte, i int) {
	t.Helper()
	if line[i] == '"' {
		graw, gesc, gend, gok := jsonString(line, i)
		wraw, wesc, wend, wok := refJSONString(line, i)
		if gok != wok || gend != wend || gok && (gesc != wesc || !sameSlice(graw, wraw)) {
			t.Fatalf("jsonString at %d = %q %v %d %v, want %q %v %d %v: %q", i, graw, gesc, gend, gok, wraw, wesc, wend, wok, line)
		}
		vend, vok := skipJSONValue(line, i)
		if wvend, wvok := refSkipJSONValue(line, i); vend != wvend || vok != wvok {
			t.Fatalf("skipJSONValue at %d = %d %v, want %d %v: %q", i, vend, vok, wvend, wvok, line)
		}
		key, kend, kok := jsonKey(line, i)
		if kok != (wok && !wesc) || kok && (kend != wend || !sameSlice(key, wraw)) {
			t.Fatalf("jsonKey at %d = %q %d %v, want the key of %q %v %d %v: %q", i, key, kend, kok, wraw, wesc, wend, wok, line)
		}
	}
	if isDigit(line[i]) {
		gy, gm, gd, gj, gok := isoDate(line, i)
		wy, wm, wd, wj, wok := isoDateByNumbers(line, i)
		if gok != wok || gok && (gy != wy || gm != wm || gd != wd || gj != wj) {
			t.Fatalf("isoDate at %d = %d-%d-%d %d %v, want %d-%d-%d %d %v: %q", i, gy, gm, gd, gj, gok, wy, wm, wd, wj, wok, line)
		}
		gh, gmi, gs, gns, gj, gok := clock(line, i)
		wh, wmi, ws, wns, wj, wok := clockByNumbers(line, i)
		if gok != wok || gj != wj || gok && (gh != wh || gmi != wmi || gs != ws || gns != wns) {
			t.Fatalf("clock at %d = %d:%d:%d.%d %d %v, want %d:%d:%d.%d %d %v: %q", i, gh, gmi, gs, gns, gj, gok, wh, wmi, ws, wns, wj, wok, line)
		}
	}
	want := len(line)
	if k := bytes.IndexByte(line[i:], ' '); k >= 0 {
		want = i + k
	}
	if got := nextBlank(line, i); got != want {
		t.Fatalf("nextBlank at %d = %d, want %d: %q", i, got, want, line)
	}
}

// sameScan reports whether two scans of msg read the same fields.
func sameScan(msg []byte, a, b *nfScan) bool {
	return sameSlice(a.in, b.in) && sameSlice(a.out, b.out) && a.src == b.src && a.dst == b.dst &&
		a.proto == b.proto && a.hasProto == b.hasProto && a.hasSrc == b.hasSrc && a.hasDst == b.hasDst &&
		a.spt == b.spt && a.dpt == b.dpt && a.hasSPT == b.hasSPT && a.hasDPT == b.hasDPT &&
		a.sptOff == b.sptOff && a.dptOff == b.dptOff && a.errOff == b.errOff && a.errMsg == b.errMsg
}

// sameSlice reports whether a and b are the same bytes at the same place,
// or both nil.
func sameSlice(a, b []byte) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// parseDiff describes how two results of Parse on line differ, or is "".
func parseDiff(line []byte, werr error, want *Record, gerr error, got *Record) string {
	var wse, gse *SyntaxError
	switch {
	case errors.As(werr, &wse):
		if !errors.As(gerr, &gse) || *gse != *wse {
			return fmt.Sprintf("error %v, want %v", gerr, werr)
		}
		return ""
	case werr != nil || gerr != nil:
		if gerr != werr {
			return fmt.Sprintf("error %v, want %v", gerr, werr)
		}
		return ""
	}
	// Slices alias the line, or the message when it was decoded into a
	// parser's own buffer: they must be the same bytes at the same place
	// of either.
	slices := [][2][]byte{{got.InIface, want.InIface}, {got.OutIface, want.OutIface}, {got.Label, want.Label},
		{got.RuleID, want.RuleID}, {got.Session, want.Session}, {got.Host, want.Host}, {got.Message, want.Message}}
	for _, s := range slices {
		if !bytes.Equal(s[0], s[1]) || (s[0] == nil) != (s[1] == nil) ||
			placeIn(s[0], line, got.Message) != placeIn(s[1], line, want.Message) {
			return fmt.Sprintf("%q at %s, want %q at %s", s[0], placeIn(s[0], line, got.Message), s[1], placeIn(s[1], line, want.Message))
		}
	}
	type fields struct {
		f                    Format
		a                    Action
		d                    Direction
		src, dst             netip.Addr
		proto                Protocol
		hasProto             bool
		sport, dport         uint16
		hasPorts, noTime     bool
		flags                TCPFlags
		hasFlags             bool
		bytes, packets       uint64
		srcNAT, dstNAT       netip.Addr
		srcNATPort, dstNATPt uint16
		partial              Partial
	}
	g := fields{got.Format, got.Action, got.Direction, got.Src, got.Dst, got.Proto, got.HasProto,
		got.SrcPort, got.DstPort, got.HasPorts, got.Time.IsZero(), got.TCPFlags, got.HasTCPFlags,
		got.Bytes, got.Packets, got.SrcNAT, got.DstNAT, got.SrcNATPort, got.DstNATPort, got.Partial}
	w := fields{want.Format, want.Action, want.Direction, want.Src, want.Dst, want.Proto, want.HasProto,
		want.SrcPort, want.DstPort, want.HasPorts, want.Time.IsZero(), want.TCPFlags, want.HasTCPFlags,
		want.Bytes, want.Packets, want.SrcNAT, want.DstNAT, want.SrcNATPort, want.DstNATPort, want.Partial}
	if g != w || !got.Time.Equal(want.Time) {
		return fmt.Sprintf("%+v, want %+v", g, w)
	}
	return ""
}

// placeIn says where s starts: in line, in msg (a decoded message), or
// elsewhere.
func placeIn(s, line, msg []byte) string {
	if len(s) == 0 {
		return "nowhere"
	}
	for _, base := range []struct {
		name string
		b    []byte
	}{{"line", line}, {"message", msg}} {
		for k := range base.b {
			if &base.b[k] == &s[0] {
				return fmt.Sprintf("%s[%d]", base.name, k)
			}
		}
	}
	return "elsewhere"
}

// The plain versions of the helpers that now take shortcuts, as they were
// before: the references the shortcuts must agree with.

func refNetfilterBody(msg []byte) (start int, truncated bool) {
	for off := 0; ; {
		k := bytes.Index(msg[off:], nfInKey)
		if k < 0 {
			break
		}
		k += off
		off = k + len(nfInKey)
		if k == 0 || !nfWordByte(msg[k-1]) {
			return k, false
		}
		if k >= 4 && string(msg[k-4:k]) == "PHYS" {
			continue
		}
		v := off
		for v < len(msg) && msg[v] != ' ' {
			v++
		}
		if bytes.HasPrefix(msg[v:], []byte(" OUT=")) {
			return k, false
		}
	}
	for off := 0; ; {
		k := bytes.Index(msg[off:], nfOutKey)
		if k < 0 {
			break
		}
		k += off
		off = k + len(nfOutKey)
		if k == 0 || !nfWordByte(msg[k-1]) {
			return k, false
		}
	}
	return 0, true
}

func refNfPrefixAction(prefix []byte) Action {
	for i := 0; i < len(prefix); {
		if !nfWordByte(prefix[i]) {
			i++
			continue
		}
		j := i
		for j < len(prefix) && nfWordByte(prefix[j]) {
			j++
		}
		if a := refNfVerdictWord(prefix, i, j); a != ActionUnknown {
			return a
		}
		i = j
	}
	return ActionUnknown
}

func refNfVerdictWord(prefix []byte, i, j int) Action {
	if j-i > 8 {
		return ActionUnknown
	}
	w := strings.ToUpper(string(prefix[i:j]))
	if len(w) == 1 {
		if !(i > 0 && prefix[i-1] == '-' || j < len(prefix) && prefix[j] == '-') {
			return ActionUnknown
		}
		switch w {
		case "A":
			return ActionPass
		case "D":
			return ActionBlock
		case "R":
			return ActionReject
		}
		return ActionUnknown
	}
	switch w {
	case "DROP", "DROPPED", "BLOCK", "BLOCKED", "DENY", "DENIED":
		return ActionBlock
	case "REJECT", "REJECTED":
		return ActionReject
	case "ACCEPT", "ACCEPTED", "ALLOW", "ALLOWED", "PASS", "ACC":
		return ActionPass
	case "AUDIT":
		return ActionLog
	}
	return ActionUnknown
}

func refTagToken(tok []byte) ([]byte, bool) {
	n := len(tok)
	if n < 2 {
		return nil, false
	}
	colon := tok[n-1] == ':'
	if colon {
		tok = tok[:n-1]
		n--
	}
	name := tok
	pid := false
	if k := bytes.IndexByte(tok, '['); k > 0 {
		if tok[n-1] != ']' || k+2 > n-1 {
			return nil, false
		}
		for _, c := range tok[k+1 : n-1] {
			if !isDigit(c) {
				return nil, false
			}
		}
		name = tok[:k]
		pid = true
	}
	if !colon && !pid {
		return nil, false
	}
	lower := false
	for _, c := range name {
		switch {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z', isDigit(c), c == '-', c == '_', c == '.', c == '/':
		default:
			return nil, false
		}
	}
	return tok, lower
}

func refJSONString(line []byte, i int) (raw []byte, esc bool, end int, ok bool) {
	if i >= len(line) || line[i] != '"' {
		return nil, false, i, false
	}
	for j := i + 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return line[i+1 : j], esc, j + 1, true
		}
	}
	return nil, false, i, false
}

func refSkipJSONValue(line []byte, i int) (int, bool) {
	depth := 0
	for i < len(line) {
		switch c := line[i]; c {
		case '"':
			j, ok := jsonStringEnd(line, i)
			if !ok {
				return i, false
			}
			i = j
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth == 0 {
				return i, true
			}
			depth--
			i++
		case ',':
			if depth == 0 {
				return i, true
			}
			i++
		default:
			i++
		}
		if depth == 0 && i < len(line) && (line[i] == ',' || line[i] == '}') {
			return i, true
		}
	}
	return i, depth == 0
}

func refPfAddrPort(tok []byte) (addr netip.Addr, port uint16, hasPort bool, bad string) {
	last := bytes.LastIndexByte(tok, ':') + 1 // 0 for IPv4
	dots := bytes.Count(tok[last:], []byte{'.'})
	switch {
	case last == 0 && dots == 4, last > 0 && (dots == 1 || dots == 4):
		k := bytes.LastIndexByte(tok, '.')
		p, ok := parsePort(tok[k+1:])
		if !ok {
			return addr, 0, false, "bad port number"
		}
		port, hasPort = p, true
		tok = tok[:k]
	case last == 0 && dots != 3, last > 0 && dots != 0 && dots != 3:
		return addr, 0, false, "bad address"
	}
	a, ok := parseAddr(tok)
	if !ok {
		return addr, 0, false, "bad address"
	}
	return a, port, hasPort, ""
}
