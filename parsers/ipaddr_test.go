package parsers

import (
	"net/netip"
	"strings"
	"testing"
)

var parseAddrTests = []struct {
	in   string
	want string // "" when the text must be rejected
}{
	{"192.0.2.1", "192.0.2.1"},
	{"0.0.0.0", "0.0.0.0"},
	{"255.255.255.255", "255.255.255.255"},
	{"10.0.0.255", "10.0.0.255"},
	{"2001:db8::1", "2001:db8::1"},
	{"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
	{"fe80:0000:0000:0000:0211:22ff:fe33:4455", "fe80::211:22ff:fe33:4455"},
	{"FF02:0000:0000:0000:0000:0000:0000:00FB", "ff02::fb"},
	{"::", "::"},
	{"::1", "::1"},
	{"1::", "1::"},
	{"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
	{"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
	{"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
	{"64:ff9b::198.51.100.7", "64:ff9b::c633:6407"},
	{"0:0:0:0:0:ffff:192.0.2.1", "::ffff:192.0.2.1"},

	{"", ""},
	{"192.0.2", ""},
	{"192.0.2.1.5", ""},
	{"192.0.2.256", ""},
	{"192.0.2.01", ""},
	{"192.0.2.", ""},
	{".192.0.2", ""},
	{"192..0.2", ""},
	{"192.0.2.1 ", ""},
	{"1234567", ""},
	{"not-an-ip", ""},
	{"fe80::1%eth0", ""},
	{"2001:db8::1::2", ""},
	{"2001:db8:::1", ""},
	{"1:2:3:4:5:6:7:8:9", ""},
	{"1:2:3:4:5:6:7:8::", ""},
	{"1:2:3:4:5:6:7", ""},
	{"12345::", ""},
	{"::g", ""},
	{"1:", ""},
	{":1", ""},
	{"::ffff:1.2.3", ""},
	{"1:2:3:4:5:6:7:1.2.3.4", ""},
	{"1:2:3:4:5:1.2.3.4", ""},
	{"::ffff:1a.2.3.4", ""},
}

func TestParseAddr(t *testing.T) {
	for _, tt := range parseAddrTests {
		got, ok := parseAddr([]byte(tt.in))
		if tt.want == "" {
			if ok {
				t.Errorf("parseAddr(%q) = %v, want rejection", tt.in, got)
			}
			continue
		}
		if !ok || got != netip.MustParseAddr(tt.want) {
			t.Errorf("parseAddr(%q) = %v, %v; want %s", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseAddrNoAllocs(t *testing.T) {
	inputs := [][]byte{
		[]byte("198.51.100.23"),
		[]byte("2001:0db8:0000:0000:0000:0000:0000:0001"),
		[]byte("fe80::211:22ff:fe33:4455"),
		[]byte("::ffff:192.0.2.1"),
	}
	allocs := testing.AllocsPerRun(100, func() {
		for _, in := range inputs {
			ipaddrSink, _ = parseAddr(in)
		}
	})
	if allocs != 0 {
		t.Errorf("parseAddr allocates %v times per run, want 0", allocs)
	}
}

// FuzzParseAddr checks parseAddr against netip.ParseAddr, which it must
// agree with on every input that has no zone.
func FuzzParseAddr(f *testing.F) {
	for _, tt := range parseAddrTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseAddr([]byte(s))
		want, err := netip.ParseAddr(s)
		if err == nil && want.Zone() != "" || strings.IndexByte(s, '%') >= 0 {
			if ok {
				t.Fatalf("parseAddr(%q) = %v, want rejection of a zone", s, got)
			}
			return
		}
		if ok != (err == nil) {
			t.Fatalf("parseAddr(%q) ok = %v, netip.ParseAddr error = %v", s, ok, err)
		}
		if ok && got != want {
			t.Fatalf("parseAddr(%q) = %v, netip.ParseAddr = %v", s, got, want)
		}
	})
}

var ipaddrSink netip.Addr

func BenchmarkParseAddr(b *testing.B) {
	for _, in := range []string{"198.51.100.23", "2001:0db8:0000:0000:0000:0000:0000:0001", "fe80::211:22ff:fe33:4455"} {
		b.Run(in, func(b *testing.B) {
			buf := []byte(in)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				ipaddrSink, _ = parseAddr(buf)
			}
		})
	}
}
