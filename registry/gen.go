//go:build ignore

// gen.go turns the pinned inputs under data/ into table.go:
//
//   - data/wireshark-services: Wireshark's services(5) rendering of the
//     IANA port registry, copied from a Debian package, with a header giving
//     its origin and the SHA-256 of the copied bytes;
//   - data/iana-supplement: the IANA names Wireshark's copy drops;
//   - data/abused.tsv: portnote's abused-port catalogue.
//
// It reads nothing else, uses no network and writes no timestamps, so its
// output depends only on those files. Any line it does not understand
// stops it with "gen: FILE:LINE: problem". Run it with go generate.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/format"
	"math/bits"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	servicesFile   = "data/wireshark-services"
	supplementFile = "data/iana-supplement"
	abusedFile     = "data/abused.tsv"
	outputFile     = "table.go"
	headerEnd      = "# ---- end of portnote header ----"
)

// Slots in the order of the registry package's transports array.
var protoSlots = map[string]int{"tcp": 0, "udp": 1, "sctp": 2, "dccp": 3}

var slotNames = [...]string{"tcp", "udp", "sctp", "dccp"}

// Protocol numbers, which order catalogue entries that share a port.
var protoNumbers = map[string]int{"tcp": 6, "udp": 17, "dccp": 33, "sctp": 132}

var protoConsts = map[string]string{"tcp": "TCP", "udp": "UDP", "sctp": "SCTP", "dccp": "DCCP"}

var categoryConsts = map[string]string{
	"backdoor":         "Backdoor",
	"ddos-c2":          "DDoSC2",
	"worm-botnet":      "WormBotnet",
	"amplification":    "Amplification",
	"exposed-service":  "ExposedService",
	"legacy-cleartext": "LegacyCleartext",
	"remote-admin":     "RemoteAdmin",
	"proxy-p2p":        "ProxyP2P",
	"ics":              "ICS",
	"reserved":         "Reserved",
}

var severityConsts = map[string]string{"info": "Info", "low": "Low", "medium": "Medium", "high": "High"}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// servicesLine is one parsed services(5) line.
type servicesLine struct {
	file    string
	line    int
	name    string
	aliases []string
	lo, hi  int
	slots   []int
	desc    string
}

// record is one row of the generated services table.
type record struct {
	name, desc string
	aliases    []string
}

func (r record) key() string {
	return r.name + "\x00" + r.desc + "\x00" + strings.Join(r.aliases, "\x00")
}

type abuse struct {
	line                      int
	lo, hi                    int
	proto, category, severity string
	label, reason, source     string
}

func run() error {
	ws, err := readServices(servicesFile, true)
	if err != nil {
		return err
	}
	sup, err := readServices(supplementFile, false)
	if err != nil {
		return err
	}
	cat, err := readAbused(abusedFile)
	if err != nil {
		return err
	}

	// assigned[slot][port] is the record of that pair.
	var assigned [4]map[int]record
	for s := range assigned {
		assigned[s] = map[int]record{}
	}
	for _, l := range ws {
		if len(l.aliases) > 0 {
			return fmt.Errorf("%s:%d: unexpected aliases; this file keeps one name per pair", l.file, l.line)
		}
		for _, s := range l.slots {
			for p := l.lo; p <= l.hi; p++ {
				if _, dup := assigned[s][p]; dup {
					return fmt.Errorf("%s:%d: %d/%s listed twice", l.file, l.line, p, slotNames[s])
				}
				assigned[s][p] = record{name: l.name, desc: l.desc}
			}
		}
	}
	supplemented := [4]map[int]bool{{}, {}, {}, {}}
	for _, l := range sup {
		if len(l.aliases) == 0 {
			return fmt.Errorf("%s:%d: no aliases; a supplement line restores dropped names", l.file, l.line)
		}
		for _, s := range l.slots {
			for p := l.lo; p <= l.hi; p++ {
				old, ok := assigned[s][p]
				if !ok {
					return fmt.Errorf("%s:%d: %d/%s is not in %s", l.file, l.line, p, slotNames[s], servicesFile)
				}
				if supplemented[s][p] {
					return fmt.Errorf("%s:%d: %d/%s supplemented twice", l.file, l.line, p, slotNames[s])
				}
				if old.name != l.name && !slices.Contains(l.aliases, old.name) {
					return fmt.Errorf("%s:%d: %d/%s drops Wireshark's name %q", l.file, l.line, p, slotNames[s], old.name)
				}
				desc := l.desc
				if desc == "" {
					desc = old.desc
				}
				assigned[s][p] = record{name: l.name, desc: desc, aliases: l.aliases}
				supplemented[s][p] = true
			}
		}
	}

	// Records with aliases come first so that the alias spans, indexed by
	// record number, stay as short as the supplement. Record 0 means
	// unassigned.
	ids := map[string]int{}
	var records []record
	add := func(r record) {
		if _, ok := ids[r.key()]; !ok {
			ids[r.key()] = len(records) + 1
			records = append(records, r)
		}
	}
	for _, l := range sup {
		for _, s := range l.slots {
			for p := l.lo; p <= l.hi; p++ {
				add(assigned[s][p])
			}
		}
	}
	withAliases := len(records)
	for _, l := range ws {
		for _, s := range l.slots {
			for p := l.lo; p <= l.hi; p++ {
				add(assigned[s][p])
			}
		}
	}
	if len(records) >= 1<<16 {
		return fmt.Errorf("%d service records do not fit 16-bit indexes", len(records))
	}

	var serviceVals, abuseVals [4]map[int]int
	for s := range serviceVals {
		serviceVals[s] = map[int]int{}
		for p, r := range assigned[s] {
			serviceVals[s][p] = ids[r.key()]
		}
		abuseVals[s] = map[int]int{}
	}
	for i, a := range cat {
		s := protoSlots[a.proto]
		for p := a.lo; p <= a.hi; p++ {
			if j, dup := abuseVals[s][p]; dup {
				return fmt.Errorf("%s:%d: %d/%s overlaps line %d", abusedFile, a.line, p, a.proto, cat[j-1].line)
			}
			abuseVals[s][p] = i + 1
		}
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by gen.go from %s, %s and %s; DO NOT EDIT.\n\n", servicesFile, supplementFile, abusedFile)
	b.WriteString("package registry\n\n")
	fmt.Fprintf(&b, "// services holds %d records: %d with aliases (from %s), then the rest in file order.\n", len(records), withAliases, supplementFile)
	b.WriteString("var services = [...]service{\n{},\n")
	for _, r := range records {
		fmt.Fprintf(&b, "{%s, %s},\n", strconv.Quote(r.name), strconv.Quote(r.desc))
	}
	b.WriteString("}\n\n")
	b.WriteString("// aliasSpans[id] locates the aliases of services[id] in aliasNames.\n")
	b.WriteString("var aliasSpans = [...]span{\n{},\n")
	var names []string
	for _, r := range records[:withAliases] {
		fmt.Fprintf(&b, "{%d, %d}, // %s\n", len(names), len(names)+len(r.aliases), r.name)
		names = append(names, r.aliases...)
	}
	b.WriteString("}\n\n")
	b.WriteString("var aliasNames = [...]string{\n")
	for _, n := range names {
		fmt.Fprintf(&b, "%s,\n", strconv.Quote(n))
	}
	b.WriteString("}\n\n")
	writeIndex(&b, "serviceIndex", "services record numbers", serviceVals)
	b.WriteString("// catalogue is sorted by Low, then by protocol number.\n")
	b.WriteString("var catalogue = [...]Abuse{\n")
	for _, a := range cat {
		fmt.Fprintf(&b, "{Low: %d, High: %d, Transport: %s, Category: %s, Severity: %s, Label: %s, Reason: %s, Source: %s},\n",
			a.lo, a.hi, protoConsts[a.proto], categoryConsts[a.category], severityConsts[a.severity],
			strconv.Quote(a.label), strconv.Quote(a.reason), strconv.Quote(a.source))
	}
	b.WriteString("}\n\n")
	writeIndex(&b, "abuseIndex", "catalogue positions plus one", abuseVals)

	out, err := format.Source(b.Bytes())
	if err != nil {
		return fmt.Errorf("formatting %s: %v", outputFile, err)
	}
	return os.WriteFile(outputFile, out, 0o666)
}

// writeIndex writes vals as a [numSlots]portIndex literal; see portIndex
// in registry.go for the layout.
func writeIndex(b *bytes.Buffer, name, what string, vals [4]map[int]int) {
	fmt.Fprintf(b, "// %s maps ports to %s, per transport.\n", name, what)
	fmt.Fprintf(b, "var %s = [numSlots]portIndex{\n", name)
	for s, m := range vals {
		var words [1024]uint64
		for p := range m {
			words[p>>6] |= 1 << (p & 63)
		}
		fmt.Fprintf(b, "{ // %s: %d ports\n", slotNames[s], len(m))
		b.WriteString("bits: [1024]uint64{")
		n := 0
		for w, word := range words {
			if word == 0 {
				continue
			}
			if n%4 == 0 {
				b.WriteString("\n")
			}
			n++
			fmt.Fprintf(b, "%d: %#016x, ", w, word)
		}
		b.WriteString("\n},\nrank: [1024]uint16{")
		rank := 0
		for w, word := range words {
			if w%16 == 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(b, "%d, ", rank)
			rank += bits.OnesCount64(word)
		}
		b.WriteString("\n},\nvals: []uint16{")
		n = 0
		for p := 0; p < 1<<16; p++ {
			v, ok := m[p]
			if !ok {
				continue
			}
			if n%16 == 0 {
				b.WriteString("\n")
			}
			n++
			fmt.Fprintf(b, "%d, ", v)
		}
		b.WriteString("\n},\n},\n")
	}
	b.WriteString("}\n\n")
}

// readServices parses a services(5) file. With pinned set, the file must
// start with portnote's header whose sha256 line matches the bytes after
// the header's end line.
func readServices(name string, pinned bool) ([]servicesLine, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	first := 1
	if pinned {
		head, body, ok := bytes.Cut(data, []byte(headerEnd+"\n"))
		if !ok {
			return nil, fmt.Errorf("%s: no line %q ends the header", name, headerEnd)
		}
		want := ""
		for _, l := range strings.Split(string(head), "\n") {
			if h, ok := strings.CutPrefix(l, "# sha256: "); ok {
				want = h
			}
		}
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:]); got != want {
			return nil, fmt.Errorf("%s: body sha256 is %s, header says %q", name, got, want)
		}
		first = bytes.Count(head, []byte("\n")) + 2
		data = body
	}
	var out []servicesLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := first; sc.Scan(); n++ {
		text := sc.Text()
		if !utf8.ValidString(text) {
			return nil, fmt.Errorf("%s:%d: invalid UTF-8", name, n)
		}
		body, comment, _ := strings.Cut(text, "#")
		fields := strings.Fields(body)
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s:%d: want \"name port/proto\"", name, n)
		}
		l := servicesLine{file: name, line: n, name: fields[0], aliases: fields[2:], desc: strings.TrimSpace(comment)}
		for i, f := range fields {
			if i == 1 {
				continue
			}
			if err := checkName(f); err != "" {
				return nil, fmt.Errorf("%s:%d: %s", name, n, err)
			}
			if i > 1 && slices.Contains(fields[:i], f) {
				return nil, fmt.Errorf("%s:%d: name %q repeated", name, n, f)
			}
		}
		ports, protos, ok := strings.Cut(fields[1], "/")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want port/proto, got %q", name, n, fields[1])
		}
		loS, hiS, isRange := strings.Cut(ports, "-")
		if l.lo, ok = port(loS); !ok {
			return nil, fmt.Errorf("%s:%d: bad port %q", name, n, ports)
		}
		l.hi = l.lo
		if isRange {
			if l.hi, ok = port(hiS); !ok || l.hi <= l.lo {
				return nil, fmt.Errorf("%s:%d: bad port range %q", name, n, ports)
			}
		}
		for _, p := range strings.Split(protos, "/") {
			s, ok := protoSlots[p]
			if !ok {
				return nil, fmt.Errorf("%s:%d: unknown protocol %q", name, n, p)
			}
			if slices.Contains(l.slots, s) {
				return nil, fmt.Errorf("%s:%d: protocol %q given twice", name, n, p)
			}
			l.slots = append(l.slots, s)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no entries", name)
	}
	return out, nil
}

// readAbused parses the catalogue; see the header of data/abused.tsv.
func readAbused(name string) ([]abuse, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []abuse
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if text == "" || text[0] == '#' {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("%s:%d: %d tab-separated fields, want 7", name, n, len(f))
		}
		for i, v := range f {
			if v == "" || strings.TrimSpace(v) != v || !utf8.ValidString(v) {
				return nil, fmt.Errorf("%s:%d: field %d is empty, padded or not UTF-8", name, n, i+1)
			}
			for _, r := range v {
				if r < ' ' || r == 0x7f {
					return nil, fmt.Errorf("%s:%d: control character in field %d", name, n, i+1)
				}
			}
		}
		a := abuse{line: n, proto: f[1], category: f[2], severity: f[3], label: f[4], reason: f[5], source: f[6]}
		loS, hiS, isRange := strings.Cut(f[0], "-")
		var ok bool
		if a.lo, ok = port(loS); !ok {
			return nil, fmt.Errorf("%s:%d: bad port %q", name, n, f[0])
		}
		a.hi = a.lo
		if isRange {
			if a.hi, ok = port(hiS); !ok || a.hi <= a.lo {
				return nil, fmt.Errorf("%s:%d: bad port range %q", name, n, f[0])
			}
		}
		if _, ok := protoSlots[a.proto]; !ok {
			return nil, fmt.Errorf("%s:%d: unknown protocol %q", name, n, a.proto)
		}
		if _, ok := categoryConsts[a.category]; !ok {
			return nil, fmt.Errorf("%s:%d: unknown category %q", name, n, a.category)
		}
		if _, ok := severityConsts[a.severity]; !ok {
			return nil, fmt.Errorf("%s:%d: unknown severity %q", name, n, a.severity)
		}
		if strings.HasSuffix(a.reason, ".") {
			return nil, fmt.Errorf("%s:%d: reason ends with a period", name, n)
		}
		if len(out) > 0 {
			prev := out[len(out)-1]
			if a.lo < prev.lo || a.lo == prev.lo && protoNumbers[a.proto] <= protoNumbers[prev.proto] {
				return nil, fmt.Errorf("%s:%d: out of order after line %d", name, n, prev.line)
			}
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no entries", name)
	}
	return out, nil
}

// port parses a decimal port number without sign or spaces.
func port(s string) (int, bool) {
	if s == "" || len(s) > 5 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n <= 65535
}

// checkName accepts printable ASCII names without '#', '=' or quotes,
// which is what the registry package accepts in rules files.
func checkName(n string) string {
	for i := 0; i < len(n); i++ {
		if c := n[i]; c <= ' ' || c >= 0x7f || c == '#' || c == '=' || c == '"' {
			return fmt.Sprintf("bad service name %q", n)
		}
	}
	return ""
}
