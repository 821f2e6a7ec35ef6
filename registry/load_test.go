package registry

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode"
)

// loadAll loads files in order, each a name and its text.
func loadAll(t *testing.T, files ...string) *Registry {
	t.Helper()
	r := Default()
	for i := 0; i < len(files); i += 2 {
		var err error
		if r, err = r.Load(files[i], strings.NewReader(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// want describes the parts of an Entry a test checks.
type want struct {
	service string
	aliases []string
	desc    string
	abuse   string // "category/severity/label/reason/source", or "" for none
}

func checkEntry(t *testing.T, r *Registry, port uint16, tr Transport, w want) {
	t.Helper()
	e := r.Lookup(port, tr)
	abuse := ""
	if a := e.Abuse; a != nil {
		abuse = strings.Join([]string{a.Category.String(), a.Severity.String(), a.Label, a.Reason, a.Source}, "/")
	}
	if e.Service != w.service || !slices.Equal(e.Aliases, w.aliases) || e.Description != w.desc || abuse != w.abuse {
		t.Errorf("Lookup(%d/%v) = %q %q %q abuse %q\nwant %q %q %q abuse %q",
			port, tr, e.Service, e.Aliases, e.Description, abuse, w.service, w.aliases, w.desc, w.abuse)
	}
}

func TestOverrides(t *testing.T) {
	r := loadAll(t, "site.rules", `
# our network
8443/tcp   vpn        description="our VPN concentrator"
2222/tcp   admin-ssh  abused=no
6667/tcp   abused=backdoor:high  reason="no IRC leaves this network"
23/tcp     abused=no
11211/udp  abused=no   # memcached is firewalled upstream
9999/udp   abused=amplification:low label=game-query
30000-30002/tcp/udp game abused=proxy-p2p:low
4/sctp     probe description="sctp \"probe\" \\ port"
`)
	checkEntry(t, r, 8443, TCP, want{service: "vpn", desc: "our VPN concentrator"})
	checkEntry(t, r, 8443, UDP, want{service: "pcsync-https", desc: "PCsync HTTPS"})
	checkEntry(t, r, 2222, TCP, want{service: "admin-ssh"})
	checkEntry(t, r, 6667, TCP, want{service: "ircu", desc: "IRCU", abuse: "backdoor/high/site rule/no IRC leaves this network/site.rules:5"})
	checkEntry(t, r, 23, TCP, want{service: "telnet", desc: "Telnet"})
	checkEntry(t, r, 11211, UDP, want{service: "memcache", desc: "Memory cache service"})
	checkEntry(t, r, 9999, UDP, want{service: "distinct", abuse: "amplification/low/game-query/flagged by a site rule/site.rules:8"})
	checkEntry(t, r, 30002, UDP, want{service: "game", abuse: "proxy-p2p/low/game/flagged by a site rule/site.rules:9"})
	checkEntry(t, r, 30003, UDP, want{service: "amicon-fpsu-ra", desc: "Amicon FPSU-IP Remote Administration"}) // past the range
	checkEntry(t, r, 4, SCTP, want{service: "probe", desc: `sctp "probe" \ port`})

	if a := r.Lookup(30001, TCP).Abuse; a == nil || a.Low != 30000 || a.High != 30002 || a.Transport != TCP {
		t.Errorf("range rule abuse = %+v", a)
	}
	if a := r.Reflector(9999, UDP); a == nil || a.Label != "game-query" {
		t.Errorf("Reflector(9999) = %+v, want the site's amplification flag", a)
	}
	if a := r.Reflector(11211, UDP); a != nil {
		t.Errorf("Reflector(11211) = %+v after abused=no", a)
	}
	// Reflector reads abuse flags without building entries: it must
	// agree with Lookup on every port, site rules or not.
	for _, reg := range []*Registry{Default(), r} {
		for p := range 1 << 16 {
			want := reg.Lookup(uint16(p), UDP).Abuse
			if want != nil && want.Category != Amplification {
				want = nil
			}
			if got := reg.Reflector(uint16(p), UDP); got != want {
				t.Fatalf("Reflector(%d) = %+v, Lookup says %+v", p, got, want)
			}
		}
	}
	if got := r.Transports(4); !slices.Equal(got, []Transport{SCTP}) {
		t.Errorf("Transports(4) = %v, want [sctp]", got)
	}
	// The registry loaded from is unchanged.
	checkEntry(t, Default(), 8443, TCP, want{service: "pcsync-https", desc: "PCsync HTTPS"})
	if Default().Lookup(23, TCP).Abuse == nil {
		t.Error("Load changed Default")
	}
}

func TestLaterFileWins(t *testing.T) {
	first := loadAll(t,
		"a.rules", "2222/tcp admin-ssh abused=backdoor:high\n8443/tcp vpn description=ours\n",
	)
	second, err := first.Load("b.rules", strings.NewReader("2222/tcp abused=no\n8443/tcp vpn2\n2222/tcp description=\"jump host\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	checkEntry(t, second, 2222, TCP, want{service: "admin-ssh", desc: "jump host"})
	checkEntry(t, second, 8443, TCP, want{service: "vpn2"}) // a rename clears the old description
	// first is untouched by the second load.
	checkEntry(t, first, 2222, TCP, want{service: "admin-ssh", abuse: "backdoor/high/admin-ssh/flagged by a site rule/a.rules:1"})
	checkEntry(t, first, 8443, TCP, want{service: "vpn", desc: "ours"})

	// Within one file, later lines win too.
	r := loadAll(t, "c.rules", "6379/tcp abused=no\n6379/tcp abused=exposed-service:low\n")
	checkEntry(t, r, 6379, TCP, want{service: "redis", desc: "An advanced key-value cache and store", abuse: "exposed-service/low/site rule/flagged by a site rule/c.rules:2"})
}

func TestServicesImport(t *testing.T) {
	r := loadAll(t, "/etc/services", `
# Network services, Internet style
ssh		22/tcp				# SSH Remote Login Protocol
whois		43/tcp		nicname
http		80/tcp		www		# WorldWideWeb HTTP
kerberos	88/udp		kerberos5 krb5 kerberos-sec	# Kerberos v5
myapp		4000/tcp
9pfs		564/tcp
rtmp		1/ddp			# Routing Table Maintenance Protocol
x11		6000-6001/tcp/udp	# X Window System
`)
	checkEntry(t, r, 22, TCP, want{service: "ssh", desc: "SSH Remote Login Protocol"})
	checkEntry(t, r, 22, UDP, want{service: "ssh", desc: "The Secure Shell (SSH) Protocol"})
	// Same service under another first name: IANA's description stays.
	checkEntry(t, r, 43, TCP, want{service: "whois", aliases: []string{"nicname"}, desc: "Who Is"})
	// IANA's www-http is kept as an alias.
	checkEntry(t, r, 80, TCP, want{service: "http", aliases: []string{"www", "www-http"}, desc: "WorldWideWeb HTTP"})
	checkEntry(t, r, 88, UDP, want{service: "kerberos", aliases: []string{"kerberos5", "krb5", "kerberos-sec"}, desc: "Kerberos v5"})
	// A different service: IANA's description no longer applies.
	checkEntry(t, r, 4000, TCP, want{service: "myapp"})
	checkEntry(t, r, 564, TCP, want{service: "9pfs", desc: "plan 9 file service"})
	checkEntry(t, r, 1, TCP, want{service: "tcpmux", desc: "TCP Port Service Multiplexer", abuse: "legacy-cleartext/low/tcpmux/Port multiplexer that answers which services a host offers, so scanners probe it first/WatchGuard Firebox default blocked ports"})
	checkEntry(t, r, 6001, UDP, want{service: "x11", desc: "X Window System"})
}

// TestEtcServices loads the machine's own services file, if any: it must
// load, and names it gives must show up.
func TestEtcServices(t *testing.T) {
	f, err := os.Open("/etc/services")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	r, err := Default().Load("/etc/services", f)
	if err != nil {
		t.Fatal(err)
	}
	if e := r.Lookup(22, TCP); e.Service != "ssh" {
		t.Errorf("22/tcp = %q after /etc/services", e.Service)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"bad protocol", "# x\n8443/tpc vpn\n", `site.rules:2: unknown protocol "tpc", want tcp, udp, sctp or dccp`},
		{"port too big", "70000/tcp x\n", `site.rules:1: bad port "70000"`},
		{"reversed range", "100-50/udp x\n", `site.rules:1: bad port range "100-50"`},
		{"missing protocol", "8443/ vpn\n", `site.rules:1: want PORT/PROTO, got "8443/"`},
		{"protocol twice", "53/udp/udp dns\n", `site.rules:1: protocol "udp" given twice`},
		{"unknown key", "22/tcp colour=blue\n", `site.rules:1: unknown key "colour"`},
		{"duplicate key", "22/tcp reason=a reason=b abused=backdoor:low\n", `site.rules:1: duplicate key "reason"`},
		{"second name", "22/tcp ssh sshd\n", `site.rules:1: unexpected "sshd", want key=value`},
		{"name after key", "22/tcp abused=no ssh\n", `site.rules:1: unexpected "ssh", want key=value`},
		{"bad abused", "22/tcp abused=yes\n", `site.rules:1: abused: want no or CATEGORY:SEVERITY, got "yes"`},
		{"bad category", "22/tcp abused=evil:high\n", `site.rules:1: abused: unknown category "evil"`},
		{"bad severity", "22/tcp abused=backdoor:extreme\n", `site.rules:1: abused: unknown severity "extreme"`},
		{"reason alone", "22/tcp reason=\"why not\"\n", `site.rules:1: label and reason need abused=CATEGORY:SEVERITY`},
		{"reason with no", "22/tcp abused=no reason=x\n", `site.rules:1: label and reason need abused=CATEGORY:SEVERITY`},
		{"nothing", "\n\n22/tcp\n", `site.rules:3: rule changes nothing: give a NAME or key=value`},
		{"unterminated", "22/tcp description=\"ssh\n", `site.rules:1: unterminated quote in value of "description"`},
		{"bad escape", `22/tcp description="a\nb"`, `site.rules:1: bad escape in value of "description"`},
		{"glued quote", `22/tcp description="a"b`, `site.rules:1: missing space after quoted value of "description"`},
		{"stray quote", `22/tcp "ssh"`, `site.rules:1: unexpected quote`},
		{"empty value", "22/tcp label= abused=backdoor:low\n", `site.rules:1: empty value for label`},
		{"empty key", "22/tcp =x\n", `site.rules:1: missing key before '='`},
		{"services without port", "ssh\n", `site.rules:1: want PORT/PROTO or "name PORT/PROTO", got "ssh"`},
		{"services bad port", "ssh 22\n", `site.rules:1: want PORT/PROTO, got "22"`},
		{"services bad alias", "ssh 22/tcp se=cure\n", `site.rules:1: bad service name "se=cure"`},
		{"ESC in a bare value", "22/tcp abused=backdoor:low label=\x1b[2Jx\n", `site.rules:1: control character in value of "label"`},
		{"C1 in a bare value", "22/tcp abused=backdoor:low reason=\u009b31m\n", `site.rules:1: control character in value of "reason"`},
		{"C1 in a bare description", "22/tcp description=a\u009d0;x\n", `site.rules:1: control character in value of "description"`},
		{"DEL in a quoted value", "22/tcp description=\"a\x7fb\"\n", `site.rules:1: control character in value of "description"`},
		{"ESC in a quoted value", "22/tcp description=\"a \x1b[2J\"\n", `site.rules:1: control character in value of "description"`},
		{"C1 in a services comment", "ssh 22/tcp # SSH \u009b31m\n", `site.rules:1: control character in comment`},
		{"invalid utf-8", "22/tcp description=\"\xff\"\n", `site.rules:1: invalid UTF-8`},
		{"crlf is fine until the bad line", "22/tcp ssh\r\nfoo\r\n", `site.rules:2: want PORT/PROTO or "name PORT/PROTO", got "foo"`},
		{"too long", "22/tcp description=\"" + strings.Repeat("x", maxLine) + "\"\n", `site.rules:1: line too long`},
		{"bad expected", "22/tcp expected=maybe\n", `site.rules:1: expected: want yes or no, got "maybe"`},
		{"host without port", "10.0.0.5\n", `site.rules:1: want PORT/PROTO after the host`},
		{"host with a name", "10.0.0.5 22/tcp ssh\n", `site.rules:1: a host's rule takes only expected=yes or expected=no, not "ssh"`},
		{"host with abused", "10.0.0.5 22/tcp abused=no\n", `site.rules:1: a host's rule takes only expected=yes or expected=no, not "no"`},
		{"host without expected", "10.0.0.5 22/tcp\n", `site.rules:1: a host's rule needs expected=yes or expected=no`},
		{"host twice expected", "10.0.0.5 22/tcp expected=yes expected=no\n", `site.rules:1: duplicate key "expected"`},
		{"host bad port", "10.0.0.5 22/tpc expected=yes\n", `site.rules:1: unknown protocol "tpc", want tcp, udp, sctp or dccp`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Default().Load("site.rules", strings.NewReader(tt.input))
			if err == nil {
				t.Fatalf("Load = %v, nil; want error %q", r, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Load error\n got %q\nwant %q", err, tt.want)
			}
			var le *LoadError
			if !errors.As(err, &le) || le.File != "site.rules" || le.Line < 1 {
				t.Errorf("error %#v is not a *LoadError with a line", err)
			}
		})
	}
}

func TestLoadReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	src := io.MultiReader(strings.NewReader("22/tcp ssh\n"), iotest.ErrReader(boom))
	_, err := Default().Load("site.rules", src)
	if !errors.Is(err, boom) {
		t.Fatalf("Load error = %v, want it to wrap %v", err, boom)
	}
	if want := "site.rules: disk on fire"; err.Error() != want {
		t.Errorf("Load error = %q, want %q", err, want)
	}
	_, err = Default().Load("empty.rules", iotest.ErrReader(boom))
	if want := "empty.rules: disk on fire"; err == nil || err.Error() != want {
		t.Errorf("Load error = %v, want %q", err, want)
	}
}

func TestLoadCommentsOnly(t *testing.T) {
	r := loadAll(t, "a.rules", "2222/tcp admin-ssh\n")
	r2, err := r.Load("b.rules", strings.NewReader("# nothing yet\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	checkEntry(t, r2, 2222, TCP, want{service: "admin-ssh"})
}

// TestWideRangeStaysSmall checks that a rule over many ports with many
// different built-in services costs one merged rule, not one per port.
func TestWideRangeStaysSmall(t *testing.T) {
	r := loadAll(t, "a.rules", "1-65535/tcp abused=no\n1024-65535/tcp abused=remote-admin:info\n")
	if n := len(r.site.rules); n > 4 {
		t.Errorf("%d rules for two range lines", n)
	}
	checkEntry(t, r, 23, TCP, want{service: "telnet", desc: "Telnet"})
	checkEntry(t, r, 22, TCP, want{service: "ssh", desc: "The Secure Shell (SSH) Protocol"})
	if a := r.Lookup(3389, TCP).Abuse; a == nil || a.Severity != Info || a.Low != 1024 {
		t.Errorf("3389/tcp abuse = %+v", a)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add("8443/tcp vpn description=\"our VPN\"\n2222/tcp admin-ssh abused=no\n")
	f.Add("6667/tcp abused=backdoor:high reason=\"no IRC\" label=irc # c\n")
	f.Add("ssh 22/tcp # SSH\nwhois 43/tcp nicname\nrtmp 1/ddp\n")
	f.Add("30000-30010/tcp/udp/sctp/dccp game\n")
	f.Add("22/tcp description=\"a \\\"b\\\" \\\\\"\n")
	f.Fuzz(func(t *testing.T, input string) {
		r, err := Default().Load("f.rules", strings.NewReader(input))
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %T %v is not a *LoadError", err, err)
			}
			lines := strings.Count(input, "\n") + 1
			if le.File != "f.rules" || le.Line < 1 || le.Line > lines {
				t.Fatalf("error %q: line %d outside 1..%d", err, le.Line, lines)
			}
			if msg := le.Msg; msg == "" || strings.HasSuffix(msg, ".") || unicode.IsUpper(rune(msg[0])) {
				t.Fatalf("error message %q breaks the style", msg)
			}
			return
		}
		// A successful load is deterministic and leaves Default alone.
		r2, err := Default().Load("f.rules", strings.NewReader(input))
		if err != nil {
			t.Fatalf("second load failed: %v", err)
		}
		for _, p := range []uint16{0, 1, 22, 80, 8443, 30000, 65535} {
			for _, tr := range transports {
				a, b := r.Lookup(p, tr), r2.Lookup(p, tr)
				if a.Service != b.Service || !slices.Equal(a.Aliases, b.Aliases) || a.Description != b.Description || (a.Abuse == nil) != (b.Abuse == nil) {
					t.Fatalf("%d/%v differs between loads: %+v vs %+v", p, tr, a, b)
				}
			}
		}
		if Default().Lookup(8443, TCP).Service != "pcsync-https" {
			t.Fatal("Load changed Default")
		}
	})
}

// liveHeap returns the bytes in use after a collection, with keep alive.
func liveHeap(keep any) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	runtime.KeepAlive(keep)
	return m.HeapAlloc
}

// A services(5) file whose lines each cover every port (so that each
// line replaces thousands of rules, the ports' services all differing)
// costs what its result needs, not what every line ever made: 200 such
// lines took 450 MB and 10 s before the replaced rules were dropped.
func TestServicesFileBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 200 lines over every port")
	}
	var b strings.Builder
	for i := range 200 {
		fmt.Fprintf(&b, "svc%d 0-65535/tcp alias%d # comment %d\n", i, i, i)
	}
	for p := range 65536 {
		fmt.Fprintf(&b, "port%d %d/udp # one port each\n", p, p)
	}
	before := liveHeap(nil)
	r, err := Default().Load("services", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	grew := int64(liveHeap(r)) - int64(before)
	checkEntry(t, r, 22, TCP, want{service: "svc199", aliases: []string{"alias199"}, desc: "comment 199"})
	checkEntry(t, r, 40000, UDP, want{service: "port40000", desc: "one port each"})
	if live, limit := len(r.site.rules), 2*4*65536; live > limit {
		t.Errorf("%d rules kept for at most %d ports and transports", live, 4*65536)
	}
	if grew > 64<<20 {
		t.Errorf("the loaded registry holds %d MiB", grew>>20)
	}

	// Another file over it compacts its own rules, never r's.
	b.Reset()
	b.WriteString("# comments first\n\n")
	for i := range 30 {
		fmt.Fprintf(&b, "later%d 0-65535/tcp/udp\n", i)
	}
	r2, err := r.Load("later", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	checkEntry(t, r2, 22, TCP, want{service: "later29"})
	checkEntry(t, r2, 40000, UDP, want{service: "later29"})
	checkEntry(t, r, 22, TCP, want{service: "svc199", aliases: []string{"alias199"}, desc: "comment 199"})
	checkEntry(t, r, 40000, UDP, want{service: "port40000", desc: "one port each"})
	checkEntry(t, r, 40000, TCP, want{service: "svc199", aliases: []string{"alias199"}, desc: "comment 199"})
}

// TestExpected: what listens where, said for a port on every host and
// for single hosts and networks; later rules win, a host's rule wins over
// the port's.
func TestExpected(t *testing.T) {
	r := loadAll(t, "site.rules", `
22/tcp expected=yes
8443/tcp vpn expected=yes description="our VPN"
23/tcp expected=no
10.0.0.5 8080-8090/tcp expected=yes
10.0.0.0/24 22/tcp/udp expected=no
10.0.0.7 22/tcp expected=yes
2001:db8:1::/48 53/udp expected=yes
`)
	if !r.Expects() || Default().Expects() {
		t.Errorf("Expects: %v, default %v", r.Expects(), Default().Expects())
	}
	if e := r.Lookup(8443, TCP); e.Expected != ExpectYes || e.Service != "vpn" || e.Description != "our VPN" {
		t.Errorf("8443/tcp %+v", e)
	}
	for _, tc := range []struct {
		host string
		port uint16
		tr   Transport
		want Expectation
	}{
		{"192.0.2.1", 22, TCP, ExpectYes},
		{"192.0.2.1", 22, UDP, ExpectUnset},
		{"192.0.2.1", 23, TCP, ExpectNo},
		{"192.0.2.1", 8080, TCP, ExpectUnset},
		{"10.0.0.5", 8085, TCP, ExpectYes},
		{"10.0.0.5", 8091, TCP, ExpectUnset},
		{"10.0.0.5", 8085, UDP, ExpectUnset},
		{"10.0.0.5", 22, TCP, ExpectNo}, // the /24 wins over the port
		{"10.0.0.5", 22, UDP, ExpectNo},
		{"10.0.0.7", 22, TCP, ExpectYes}, // the later rule wins
		{"::ffff:10.0.0.7", 22, TCP, ExpectYes},
		{"10.0.1.5", 22, TCP, ExpectYes},
		{"2001:db8:1:2::53", 53, UDP, ExpectYes},
		{"2001:db8:2::53", 53, UDP, ExpectUnset},
	} {
		if got := r.Expected(netip.MustParseAddr(tc.host), tc.port, tc.tr); got != tc.want {
			t.Errorf("Expected(%s, %d/%v) = %v, want %v", tc.host, tc.port, tc.tr, got, tc.want)
		}
	}
	// A later file layers over: its host rules come after the others'.
	r2 := loadAll(t, "a.rules", "10.0.0.5 22/tcp expected=yes\n", "b.rules", "10.0.0.0/8 22/tcp expected=no\n")
	if got := r2.Expected(netip.MustParseAddr("10.0.0.5"), 22, TCP); got != ExpectNo {
		t.Errorf("later file: %v", got)
	}
	// Host rules alone are rules.
	r3 := loadAll(t, "c.rules", "192.0.2.9 443/tcp expected=no\n")
	if got := r3.Expected(netip.MustParseAddr("192.0.2.9"), 443, TCP); got != ExpectNo || r3.Expects() {
		t.Errorf("host rules alone: %v, expects %v", got, r3.Expects())
	}
}
