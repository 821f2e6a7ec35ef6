package parsers

import (
	"errors"
	"slices"
	"testing"
)

func TestFamilyTable(t *testing.T) {
	seen := map[string]bool{}
	for f := FormatUnknown + 1; f < FormatCount; f++ {
		name := f.String()
		if name == "" {
			t.Errorf("Format %d has no row in families", f)
			continue
		}
		if seen[name] {
			t.Errorf("two families are named %q", name)
		}
		seen[name] = true
		if g, ok := ParseFormat(name); !ok || g != f {
			t.Errorf("ParseFormat(%q) = %v, %v, want %v", name, g, ok, f)
		}
	}
	if len(families) != int(FormatCount)-1 {
		t.Errorf("%d rows for %d formats", len(families), FormatCount-1)
	}
	if got := Formats(); len(got) != len(families) || got[0] != FormatNetfilter {
		t.Errorf("Formats() = %v: want every family, netfilter first", got)
	}
	if FormatUnknown.String() != "" || FormatCount.String() != "" {
		t.Error("FormatUnknown and FormatCount have names")
	}
	if _, ok := ParseFormat(""); ok {
		t.Error(`ParseFormat("") succeeds`)
	}
	for i := range families {
		f := &families[i]
		if f.may == nil || f.parse == nil {
			t.Errorf("row %s lacks its pre-check or parser", f.name)
		}
		for _, s := range slices.Concat(f.tags, f.markers) {
			if s == "" {
				t.Errorf("row %s has an empty tag or marker", f.name)
			}
		}
	}
	// Every tag and marker is found through preempted's searches.
	for i := range families {
		for _, s := range slices.Concat(families[i].tags, families[i].markers) {
			found := false
			for _, c := range leadSearch {
				for _, l := range leadsBy[c] {
					found = found || l.s == s && l.row == i && s[l.at] == c
				}
			}
			if !found {
				t.Errorf("%s of row %s is not among leadsBy", s, families[i].name)
			}
		}
	}
}

// TestTagOrder checks that the syslog tag puts its family first: each of
// these lines is read by two families, and the tag says which.
func TestTagOrder(t *testing.T) {
	const both = "5,,IN=eth0 OUT= SRC=192.0.2.9 DST=192.0.2.8 LEN=1 PROTO=UDP SPT=1 DPT=2 ,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,192.0.2.1,198.51.100.2,1000,22,0,S,1,,64240,,mss"
	for _, tt := range []struct {
		line string
		want Format
	}{
		{"Mar  1 00:00:00 fw kernel: " + both, FormatNetfilter},
		{"Mar  1 00:00:00 fw filterlog[1]: " + both, FormatFilterlog},
		{"Mar  1 00:00:00 fw filterlog: " + both, FormatFilterlog},
		{both, FormatNetfilter},
	} {
		for _, p := range []Parser{{NoTime: true}, {NoTime: true, NoAction: true, NoEnvelope: true}} {
			var r Record
			if err := p.Parse([]byte(tt.line), &r); err != nil || r.Format != tt.want {
				t.Errorf("NoEnvelope %v: Parse = %v, %v, want %v: %q", p.NoEnvelope, r.Format, err, tt.want, tt.line)
			}
		}
	}
}

// noiseLines are log lines that are not firewall records, in the
// envelopes firewall records come in: what a central syslog host or
// kern.log holds between records. Some have the bytes that families'
// pre-checks look for (commas, '%', '|', parentheses, '='), as real
// messages do.
var noiseLines = []string{
	"Nov 25 06:25:18 web1 sshd[4121]: Failed password for invalid user admin from 198.51.100.20 port 40412 ssh2",
	"Nov 25 06:25:19 web1 sshd[4121]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.20",
	"Nov 25 06:25:20 web1 CRON[912]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)",
	"<30>1 2026-11-25T06:25:21.120Z web1 systemd 1 - - Started Daily apt download activities.",
	"2026-11-25T06:25:22.118+01:00 gw dhcpd[812]: DHCPACK on 192.168.1.72 to 2c:ef:f1:5f:f9:58 (phone) via eth1",
	`203.0.113.45 - - [25/Nov/2026:06:25:23 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0 (X11; Linux x86_64)"`,
	"Nov 25 06:25:24 gw kernel: [2419663.588951] usb 1-1: new high-speed USB device number 3 using xhci_hcd",
	"[  123.456789] EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)",
	"Nov 25 06:25:25 mail postfix/smtpd[3580]: NOQUEUE: reject: RCPT from unknown[198.51.100.4]: 554 5.7.1 <spam@example.com>: Relay access denied; from=<> to=<spam@example.com> proto=ESMTP helo=<User>",
	"Nov 25 06:25:26 core1 %SYS-5-CONFIG_I: Configured from console by admin on vty0 (192.0.2.50)",
	"Nov 25 06:25:27 app1 java[77]: INFO | 2026-11-25 06:25:27,118 | pool-1-thread-3 | c.e.Worker | job 42 done in 118 ms, 3 retries, 0 errors",
	"Nov 25 06:25:28 db1 postgres[1201]: [3-1] LOG:  checkpoint complete: wrote 118 buffers (0.7%); 0 WAL file(s) added, 0 removed, 1 recycled",
	"Nov 25 06:25:29 ns1 named[611]: client @0x7f1 192.0.2.33#53124 (example.org): query: example.org IN A +E(0)K (192.0.2.53)",
	"Nov 25 06:25:30 web1 nginx: 2026/11/25 06:25:30 [error] 811#811: *1 open() \"/var/www/favicon.ico\" failed (2: No such file or directory), client: 198.51.100.9, server: _, request: \"GET /favicon.ico HTTP/1.1\"",
	"Nov 25 06:25:31 fw1 charon: 09[IKE] 203.0.113.7 is initiating a Main Mode IKE_SA",
	"",
	"Nov 25 06:25:32 gw kernel: nf_conntrack: nf_conntrack: table full, dropping packet",
	"Nov 25 06:25:33 fw1 audit: admin changed rule 12 (allow ssh) -> (deny ssh), a,b,c,d,e,f,g,h,i",
}

// noise returns the noise of noiseLines and of the generated mix.
func noise(tb testing.TB) [][]byte {
	tb.Helper()
	_, byKind := loadMix(tb)
	lines := slices.Clone(byKind["noise"])
	for _, l := range noiseLines {
		lines = append(lines, []byte(l))
	}
	return lines
}

// maxNoiseSearches is what a line that is no firewall record may cost
// the pre-checks, in SIMD searches of the whole line, however many
// families there are: the searches families share, and few of their
// own. A family whose pre-check adds to it should look for what its
// records share with others' first. Today's worst noise line pays one
// search for each byte the pre-checks ask about ('=' netfilter and its
// "PROTO=", ',' filterlog, '(' pf, 'O' windows-firewall, '%' cisco-asa)
// and one for "dst", which the key=value families (FortiGate, SonicWall,
// Sophos, PAN-OS's CEF) share after their '=': a family whose records
// share none of these adds one.
const maxNoiseSearches = 7

// TestNoiseSearches keeps lines that are not firewall records cheap:
// each costs the pre-checks at most maxNoiseSearches searches, and nearly
// all are turned away by them before their envelope is read. JSON
// objects are let through (their message is read first), and so are
// lines with what a family's records must hold (the noise has text that
// mentions PROTO=, and CSV).
func TestNoiseSearches(t *testing.T) {
	var plain, through int
	lines := noise(t)
	for _, line := range lines {
		var p Parser
		var r Record
		if err := p.Parse(line, &r); !errors.Is(err, ErrNotRecord) {
			t.Errorf("noise read as %v: %q", err, line)
			continue
		}
		if p.shape.searches > maxNoiseSearches {
			t.Errorf("%d searches, want at most %d: %q", p.shape.searches, maxNoiseSearches, line)
		}
		if len(line) > 0 && line[0] == '{' {
			continue
		}
		plain++
		var s lineShape
		s.reset(line)
		if (&Parser{}).mayHoldRecord(&s) {
			through++
			t.Logf("the pre-checks of %v let through %q", mayFamilies(&s), line)
		}
	}
	if through*10 > plain {
		t.Errorf("%d of %d noise lines (not JSON) passed the pre-checks, want at most a tenth", through, plain)
	}
}

// mayFamilies names the families whose pre-checks pass on s.
func mayFamilies(s *lineShape) []string {
	var names []string
	for i := range families {
		if s.may(i) {
			names = append(names, families[i].name)
		}
	}
	return names
}

// BenchmarkNoise measures Parse on lines that are not firewall records,
// as plain text mode (NoTime, NoAction, NoEnvelope) and JSON mode (the
// zero Parser) parse them. Its ns/line and searches/line must stay flat
// as families are added.
func BenchmarkNoise(b *testing.B) {
	lines := noise(b)
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	for _, bc := range []struct {
		name string
		p    Parser
	}{
		{"text", Parser{NoTime: true, NoAction: true, NoEnvelope: true}},
		{"json", Parser{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := bc.p
			var r Record
			searches := 0
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range lines {
					benchErr = p.Parse(l, &r)
					searches += p.shape.searches
				}
			}
			lines := float64(b.N * len(lines))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/lines, "ns/line")
			b.ReportMetric(float64(searches)/lines, "searches/line")
		})
	}
}
