package registry

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestClassOf(t *testing.T) {
	tests := []struct {
		port uint16
		want Class
	}{
		{0, WellKnown},
		{1023, WellKnown},
		{1024, Registered},
		{49151, Registered},
		{49152, Dynamic},
		{65535, Dynamic},
	}
	for _, tt := range tests {
		if got := ClassOf(tt.port); got != tt.want {
			t.Errorf("ClassOf(%d) = %v, want %v", tt.port, got, tt.want)
		}
		if got := Default().Lookup(tt.port, TCP).Class; got != tt.want {
			t.Errorf("Lookup(%d, TCP).Class = %v, want %v", tt.port, got, tt.want)
		}
	}
}

func TestClassNames(t *testing.T) {
	tests := []struct {
		c          Class
		name, iana string
	}{
		{WellKnown, "well-known", "System Ports"},
		{Registered, "registered", "User Ports"},
		{Dynamic, "dynamic", "Dynamic and/or Private Ports"},
		{0, "", ""},
		{Dynamic + 1, "", ""},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.name {
			t.Errorf("Class(%d).String() = %q, want %q", tt.c, got, tt.name)
		}
		if got := tt.c.Description(); got != tt.iana {
			t.Errorf("Class(%d).Description() = %q, want %q", tt.c, got, tt.iana)
		}
		if tt.name == "" {
			continue
		}
		for _, s := range []string{tt.name, strings.ToUpper(tt.name)} {
			if c, ok := ParseClass(s); !ok || c != tt.c {
				t.Errorf("ParseClass(%q) = %v, %v", s, c, ok)
			}
		}
	}
	for s, want := range map[string]Class{"system": WellKnown, "User": Registered, "private": Dynamic} {
		if c, ok := ParseClass(s); !ok || c != want {
			t.Errorf("ParseClass(%q) = %v, %v, want %v", s, c, ok, want)
		}
	}
	if c, ok := ParseClass("ephemeral"); ok {
		t.Errorf("ParseClass(ephemeral) = %v, true", c)
	}
}

func TestTransport(t *testing.T) {
	tests := []struct {
		t    Transport
		name string
	}{{TCP, "tcp"}, {UDP, "udp"}, {SCTP, "sctp"}, {DCCP, "dccp"}, {1, ""}, {47, ""}}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.name {
			t.Errorf("Transport(%d).String() = %q, want %q", tt.t, got, tt.name)
		}
		if tt.name == "" {
			continue
		}
		for _, s := range []string{tt.name, strings.ToUpper(tt.name)} {
			if got, ok := ParseTransport(s); !ok || got != tt.t {
				t.Errorf("ParseTransport(%q) = %v, %v", s, got, ok)
			}
		}
	}
	for _, s := range []string{"", "icmp", "tcp ", "6"} {
		if got, ok := ParseTransport(s); ok {
			t.Errorf("ParseTransport(%q) = %v, true", s, got)
		}
	}
}

func TestCategorySeverityNames(t *testing.T) {
	for c := Backdoor; c <= Reserved; c++ {
		if got, ok := ParseCategory(c.String()); !ok || got != c {
			t.Errorf("ParseCategory(%q) = %v, %v", c.String(), got, ok)
		}
	}
	if Category(0).String() != "" || Category(Reserved+1).String() != "" {
		t.Error("out-of-range categories have names")
	}
	for s := Info; s <= High; s++ {
		if got, ok := ParseSeverity(s.String()); !ok || got != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", s.String(), got, ok)
		}
	}
	if !(Info < Low && Low < Medium && Medium < High) {
		t.Error("severities are not ordered")
	}
}

// TestPerProtocol checks the pairs whose meaning differs by transport.
func TestPerProtocol(t *testing.T) {
	tests := []struct {
		name      string
		port      uint16
		t         Transport
		service   string
		aliases   []string
		abuse     string // label, or "" for none
		assigned  bool
		wantClass Class
	}{
		{"rsh", 514, TCP, "shell", nil, "rsh", true, WellKnown},
		{"syslog", 514, UDP, "syslog", nil, "", true, WellKnown},
		{"rexec", 512, TCP, "exec", nil, "rexec", true, WellKnown},
		{"biff", 512, UDP, "biff", []string{"comsat"}, "", true, WellKnown},
		{"rlogin", 513, TCP, "login", nil, "rlogin", true, WellKnown},
		{"who", 513, UDP, "who", nil, "", true, WellKnown},
		{"back orifice", 31337, UDP, "eldim", nil, "Back Orifice", true, Registered},
		{"elite tcp", 31337, TCP, "eldim", nil, "Elite backdoors", true, Registered},
		{"bo2k udp", 54320, UDP, "", nil, "Back Orifice 2000", false, Dynamic},
		{"submissions", 465, TCP, "urd", []string{"submissions"}, "", true, WellKnown},
		{"igmpv3lite", 465, UDP, "igmpv3lite", nil, "", true, WellKnown},
		{"http tcp", 80, TCP, "http", []string{"www", "www-http"}, "", true, WellKnown},
		{"http sctp", 80, SCTP, "http", nil, "", true, WellKnown},
		{"discard dccp", 9, DCCP, "discard", nil, "", true, WellKnown},
		{"ident", 113, TCP, "ident", []string{"auth"}, "", true, WellKnown},
		{"auth udp", 113, UDP, "auth", nil, "", true, WellKnown},
		{"slammer", 1434, UDP, "ms-sql-m", nil, "SQL Slammer", true, Registered},
		{"x11 range end", 6063, TCP, "x11", nil, "X11", true, Registered},
		{"x11 past range", 6064, TCP, "ndl-ahp-svc", nil, "", true, Registered},
		{"unassigned", 4, TCP, "", nil, "", false, WellKnown},
		{"unassigned dynamic", 65535, UDP, "", nil, "", false, Dynamic},
		{"port 0", 0, UDP, "", nil, "Port 0", false, WellKnown},
		{"gre is not covered", 22, Transport(47), "", nil, "", false, WellKnown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Default().Lookup(tt.port, tt.t)
			if e.Port != tt.port || e.Transport != tt.t || e.Class != tt.wantClass {
				t.Errorf("Lookup = %+v: wrong port, transport or class", e)
			}
			if e.Service != tt.service || !slices.Equal(e.Aliases, tt.aliases) || e.Assigned() != tt.assigned {
				t.Errorf("Lookup(%d/%v) = %q %q assigned=%v, want %q %q", tt.port, tt.t, e.Service, e.Aliases, e.Assigned(), tt.service, tt.aliases)
			}
			label := ""
			if e.Abuse != nil {
				label = e.Abuse.Label
			}
			if label != tt.abuse {
				t.Errorf("Lookup(%d/%v).Abuse label = %q, want %q", tt.port, tt.t, label, tt.abuse)
			}
		})
	}
}

func TestDescriptions(t *testing.T) {
	tests := []struct {
		port uint16
		t    Transport
		want string
	}{
		{22, TCP, "The Secure Shell (SSH) Protocol"},
		{514, UDP, ""}, // IANA gives syslog no description
		{512, UDP, "biff: used by mail system to notify users of new mail received; currently receives messages only from processes on the same machine"},
		{11211, UDP, "Memory cache service"},
	}
	for _, tt := range tests {
		if got := Default().Lookup(tt.port, tt.t).Description; got != tt.want {
			t.Errorf("Lookup(%d/%v).Description = %q, want %q", tt.port, tt.t, got, tt.want)
		}
	}
}

// pinnedEntry is one row of a services(5) file under data/.
type pinnedEntry struct {
	line    int
	names   []string // first the service, then the aliases
	lo, hi  uint16
	mask    uint8
	comment string
}

// readPinned reads a services(5) file under data/ with the package's own
// field parsers, independent of gen.go's.
func readPinned(t *testing.T, name string) []pinnedEntry {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pinnedEntry
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		body, comment, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(body)
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 2 {
			t.Fatalf("%s:%d: short line", name, n)
		}
		lo, hi, mask, msg := parsePorts(fields[1], true)
		if msg != "" {
			t.Fatalf("%s:%d: %s", name, n, msg)
		}
		names := append(fields[:1:1], fields[2:]...)
		out = append(out, pinnedEntry{n, names, lo, hi, mask, strings.TrimSpace(comment)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPinnedServices checks that every row of the pinned IANA copy
// resolves to one of its names, with its description unless the
// supplement replaced it.
func TestPinnedServices(t *testing.T) {
	rows := readPinned(t, "data/wireshark-services")
	if len(rows) < 6000 {
		t.Fatalf("only %d rows in data/wireshark-services", len(rows))
	}
	supplemented := map[[2]int]bool{}
	for _, row := range readPinned(t, "data/iana-supplement") {
		for s := range transports {
			for p := int(row.lo); p <= int(row.hi) && row.mask&(1<<s) != 0; p++ {
				supplemented[[2]int{s, p}] = true
			}
		}
	}
	pairs := 0
	for _, row := range rows {
		for s, tr := range transports {
			if row.mask&(1<<s) == 0 {
				continue
			}
			for p := int(row.lo); p <= int(row.hi); p++ {
				pairs++
				e := Default().Lookup(uint16(p), tr)
				name := row.names[0]
				if e.Service != name && !slices.Contains(e.Aliases, name) {
					t.Errorf("line %d: %d/%v is %q %q, want name %q", row.line, p, tr, e.Service, e.Aliases, name)
				}
				if !supplemented[[2]int{s, p}] && e.Description != row.comment {
					t.Errorf("line %d: %d/%v description %q, want %q", row.line, p, tr, e.Description, row.comment)
				}
			}
		}
	}
	t.Logf("%d rows, %d (port, transport) pairs", len(rows), pairs)
}

// TestSupplement checks that each supplement row shows its names in its
// order.
func TestSupplement(t *testing.T) {
	for _, row := range readPinned(t, "data/iana-supplement") {
		for s, tr := range transports {
			if row.mask&(1<<s) == 0 {
				continue
			}
			for p := int(row.lo); p <= int(row.hi); p++ {
				e := Default().Lookup(uint16(p), tr)
				if got := append([]string{e.Service}, e.Aliases...); !slices.Equal(got, row.names) {
					t.Errorf("line %d: %d/%v names %q, want %q", row.line, p, tr, got, row.names)
				}
				if e.Description != row.comment {
					t.Errorf("line %d: %d/%v description %q, want %q", row.line, p, tr, e.Description, row.comment)
				}
			}
		}
	}
}

func TestAliasesCannotGrow(t *testing.T) {
	e := Default().Lookup(80, TCP)
	if cap(e.Aliases) != len(e.Aliases) {
		t.Fatalf("aliases of 80/tcp have spare capacity %d > %d; appending would overwrite shared data", cap(e.Aliases), len(e.Aliases))
	}
}

func TestCatalogue(t *testing.T) {
	cat := Catalogue()
	if len(cat) < 120 {
		t.Errorf("catalogue has %d entries, want at least 120", len(cat))
	}
	for i, a := range cat {
		if a.Low > a.High {
			t.Errorf("entry %d %d-%d/%v: Low > High", i, a.Low, a.High, a.Transport)
		}
		if _, ok := slot(a.Transport); !ok {
			t.Errorf("entry %d: bad transport %d", i, a.Transport)
		}
		if a.Category.String() == "" || a.Severity.String() == "" {
			t.Errorf("entry %d %d/%v: bad category %d or severity %d", i, a.Low, a.Transport, a.Category, a.Severity)
		}
		for field, v := range map[string]string{"label": a.Label, "reason": a.Reason, "source": a.Source} {
			if v == "" || strings.ContainsAny(v, "\n\r\t") || strings.TrimSpace(v) != v {
				t.Errorf("entry %d %d/%v: bad %s %q", i, a.Low, a.Transport, field, v)
			}
		}
		if i > 0 {
			prev := cat[i-1]
			if a.Low < prev.Low || a.Low == prev.Low && a.Transport <= prev.Transport {
				t.Errorf("entry %d %d/%v sorts before entry %d %d/%v", i, a.Low, a.Transport, i-1, prev.Low, prev.Transport)
			}
		}
		for j := range i {
			b := cat[j]
			if a.Transport == b.Transport && a.Low <= b.High && b.Low <= a.High {
				t.Errorf("entry %d %d-%d/%v overlaps entry %d %d-%d", i, a.Low, a.High, a.Transport, j, b.Low, b.High)
			}
		}
		// The index agrees with the list, at both ends and just outside.
		for _, p := range []uint16{a.Low, a.High} {
			if got := Default().Lookup(p, a.Transport).Abuse; got == nil || *got != a {
				t.Errorf("Lookup(%d/%v).Abuse = %+v, want entry %d", p, a.Transport, got, i)
			}
		}
		if a.Low > 0 {
			if got := Default().Lookup(a.Low-1, a.Transport).Abuse; got != nil && *got == a {
				t.Errorf("entry %d also covers %d", i, a.Low-1)
			}
		}
	}
	cat[0].Label = "changed"
	if Catalogue()[0].Label == "changed" {
		t.Error("Catalogue returns the shared array")
	}
}

// TestMandatoryAbused lists the pairs issue 2 requires in the catalogue.
func TestMandatoryAbused(t *testing.T) {
	tests := []struct {
		port uint16
		t    Transport
	}{
		{0, TCP}, {0, UDP}, {19, UDP}, {23, TCP}, {2323, TCP}, {135, TCP},
		{139, TCP}, {445, TCP}, {512, TCP}, {513, TCP}, {514, TCP},
		{1434, UDP}, {1524, TCP}, {1900, UDP}, {4444, TCP}, {5555, TCP},
		{6379, TCP}, {6667, TCP}, {2375, TCP}, {7547, TCP}, {11211, UDP},
		{12345, TCP}, {27017, TCP}, {27374, TCP}, {31337, UDP}, {31337, TCP},
		{54320, TCP}, {54320, UDP},
	}
	for _, tt := range tests {
		if Default().Lookup(tt.port, tt.t).Abuse == nil {
			t.Errorf("%d/%v is not in the catalogue", tt.port, tt.t)
		}
	}
	for _, tt := range []struct {
		port uint16
		t    Transport
	}{{514, UDP}, {512, UDP}, {513, UDP}, {31338, TCP}, {22, TCP}, {443, TCP}} {
		if a := Default().Lookup(tt.port, tt.t).Abuse; a != nil {
			t.Errorf("%d/%v is flagged as %q", tt.port, tt.t, a.Label)
		}
	}
}

func TestReflector(t *testing.T) {
	tests := []struct {
		port  uint16
		t     Transport
		label string // "" for nil
	}{
		{11211, UDP, "memcached"},
		{123, UDP, "NTP"},
		{19, UDP, "chargen"},
		{1900, UDP, "SSDP"},
		{11211, TCP, ""}, // not UDP
		{31337, UDP, ""}, // abused, but a backdoor, not a reflector
		{443, UDP, ""},   // not abused
		{19, Transport(47), ""},
	}
	for _, tt := range tests {
		got := Default().Reflector(tt.port, tt.t)
		label := ""
		if got != nil {
			label = got.Label
			if got.Category != Amplification || got.Transport != UDP {
				t.Errorf("Reflector(%d, %v) = %+v", tt.port, tt.t, got)
			}
		}
		if label != tt.label {
			t.Errorf("Reflector(%d, %v) label = %q, want %q", tt.port, tt.t, label, tt.label)
		}
	}
}

func TestTransports(t *testing.T) {
	tests := []struct {
		port uint16
		want []Transport
	}{
		{9, []Transport{TCP, UDP, SCTP, DCCP}},
		{22, []Transport{TCP, UDP, SCTP}},
		{31337, []Transport{TCP, UDP}},
		{4, []Transport{TCP, UDP}},          // nothing known: the default pair
		{65535, []Transport{TCP, UDP}},      // ditto
		{1524, []Transport{TCP, UDP}},       // IANA ingreslock
		{27665, []Transport{TCP}},           // only the catalogue knows it
		{2944, []Transport{TCP, UDP, SCTP}}, // megaco-h248
	}
	for _, tt := range tests {
		if got := Default().Transports(tt.port); !slices.Equal(got, tt.want) {
			t.Errorf("Transports(%d) = %v, want %v", tt.port, got, tt.want)
		}
	}
}

func TestNilRegistry(t *testing.T) {
	var r *Registry
	if got := r.Lookup(22, TCP).Service; got != "ssh" {
		t.Errorf("nil Lookup(22) = %q", got)
	}
	if r.Reflector(11211, UDP) == nil {
		t.Error("nil Reflector(11211) = nil")
	}
	r2, err := r.Load("x", strings.NewReader("22/tcp secure-shell\n"))
	if err != nil || r2.Lookup(22, TCP).Service != "secure-shell" {
		t.Errorf("nil Load = %v, %v", r2, err)
	}
}

func TestNoAllocs(t *testing.T) {
	site, err := Default().Load("site", strings.NewReader("8443/tcp vpn\n11211/udp abused=no\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Registry{"default": Default(), "site": site} {
		if n := testing.AllocsPerRun(100, func() {
			sinkEntry = r.Lookup(80, TCP)
			sinkEntry = r.Lookup(8443, TCP)
			sinkEntry = r.Lookup(50000, UDP)
			sinkEntry = r.Lookup(22, Transport(47))
		}); n != 0 {
			t.Errorf("%s: Lookup allocates %v times", name, n)
		}
		if n := testing.AllocsPerRun(100, func() {
			sinkAbuse = r.Reflector(11211, UDP)
			sinkAbuse = r.Reflector(123, UDP)
			sinkAbuse = r.Reflector(123, TCP)
		}); n != 0 {
			t.Errorf("%s: Reflector allocates %v times", name, n)
		}
	}
}

var (
	sinkEntry Entry
	sinkAbuse *Abuse
)

func BenchmarkLookup(b *testing.B) {
	site, err := Default().Load("site", strings.NewReader("8443/tcp vpn\n2222/tcp admin-ssh abused=no\n"))
	if err != nil {
		b.Fatal(err)
	}
	benchmarks := []struct {
		name string
		r    *Registry
		port uint16
		t    Transport
	}{
		{"assigned", Default(), 443, TCP},
		{"aliases", Default(), 80, TCP},
		{"abused", Default(), 31337, UDP},
		{"unassigned", Default(), 50000, UDP},
		{"site-rule", site, 8443, TCP},
		{"site-miss", site, 443, TCP},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkEntry = bm.r.Lookup(bm.port, bm.t)
			}
		})
	}
}

func BenchmarkReflector(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkAbuse = Default().Reflector(11211, UDP)
	}
}

// Named finds every port and transport a service name or alias stands
// for, in any case, with site rules layered on.
func TestNamed(t *testing.T) {
	site, err := Default().Load("site", strings.NewReader("8443/tcp vpn\n22/tcp admin-ssh\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reg  *Registry
		name string
		want string
	}{
		{Default(), "ssh", "22/tcp 22/udp 22/sctp"},
		{Default(), "TELNET", "23/tcp 23/udp"},
		{Default(), "comsat", "512/udp"}, // an alias
		{Default(), "no-such-service", ""},
		{site, "vpn", "8443/tcp"},
		{site, "ssh", "22/udp 22/sctp"}, // renamed on tcp by the site
		{site, "admin-ssh", "22/tcp"},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range tt.reg.Named(tt.name) {
			got = append(got, strconv.Itoa(int(e.Port))+"/"+e.Transport.String())
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("Named(%q) = %q, want %q", tt.name, s, tt.want)
		}
	}
}

func TestParsePorts(t *testing.T) {
	site, err := Default().Load("site", strings.NewReader("8443/tcp vpn\n"))
	if err != nil {
		t.Fatal(err)
	}
	show := func(rs []PortRange) string {
		var s []string
		for _, r := range rs {
			x := strconv.Itoa(int(r.Low))
			if r.High != r.Low {
				x += "-" + strconv.Itoa(int(r.High))
			}
			if r.Transport != 0 {
				x += "/" + r.Transport.String()
			}
			s = append(s, x)
		}
		return strings.Join(s, " ")
	}
	good := []struct{ in, want string }{
		{"22", "22"},
		{"22/tcp, 53/UDP", "22/tcp 53/udp"},
		{"6660-6669/tcp,0,65535", "6660-6669/tcp 0 65535"},
		{"ssh", "22/tcp 22/udp 22/sctp"},
		{"SSH/tcp", "22/tcp"},
		{"ssh,telnet", "22/tcp 22/udp 22/sctp 23/tcp 23/udp"},
		{"vpn", "8443/tcp"},
		{"3com-tsmux/udp", "106/udp"},
	}
	for _, tt := range good {
		got, err := site.ParsePorts(tt.in)
		if err != nil || show(got) != tt.want {
			t.Errorf("ParsePorts(%q) = %q, %v; want %q", tt.in, show(got), err, tt.want)
		}
	}
	bad := []struct{ in, want string }{
		{"", `"" is not a port number`},
		{"22,,23", `"" is not a port number`},
		{"-1", `"-1" is not a port number`},
		{"22-", `"22-" is not a port number`},
		{"70000", `"70000" is not a port number`},
		{"30-20", `port range "30-20" runs backwards`},
		{"22/icmp", `unknown transport "icmp"`},
		{"sshh", `"sshh" is not a port number or a service name the registry knows`},
		{"ssh/dccp", `the registry knows no ssh on dccp`},
	}
	for _, tt := range bad {
		if _, err := site.ParsePorts(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePorts(%q): error %v, want one saying %s", tt.in, err, tt.want)
		}
	}
}
