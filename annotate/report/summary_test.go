package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

var update = flag.Bool("update", false, "rewrite testdata from the current output")

// testNow pins RFC 3164 year inference so that goldens do not age.
var testNow = time.Date(2026, time.November, 25, 12, 0, 0, 0, time.UTC)

// t0 is the log time synthetic records count from.
var t0 = time.Date(2026, time.November, 25, 10, 0, 0, 0, time.UTC)

// rec describes a synthetic record; zero fields take the defaults of
// build: TCP, block, inbound, netfilter, 203.0.113.1 to 192.0.2.10.
type rec struct {
	src, dst   string
	sport      uint16
	dport      uint16
	proto      parsers.Protocol
	unknownP   bool // pf record that does not reveal its transport
	noPorts    bool
	act        parsers.Action
	dir        parsers.Direction
	noDir      bool
	at         time.Duration // after t0
	untimed    bool
	format     parsers.Format
	repeat     int
	everyOther time.Duration // added to at for each repetition
	flags      string        // TCP flags the log shows, "S", "SA", "F", "FPU", "A", "-" for none; "" when it shows none
}

func (x rec) record() parsers.Record {
	r := parsers.Record{
		Format: parsers.FormatNetfilter, Action: parsers.ActionBlock, Direction: parsers.DirIn,
		Src: netip.MustParseAddr(cmpOr(x.src, "203.0.113.1")), Dst: netip.MustParseAddr(cmpOr(x.dst, "192.0.2.10")),
		Proto: parsers.ProtoTCP, HasProto: true, SrcPort: cmpOr(x.sport, 40000), DstPort: x.dport, HasPorts: true,
		Time: t0.Add(x.at),
	}
	if x.format != 0 {
		r.Format = x.format
	}
	if x.act != 0 {
		r.Action = x.act
	}
	if x.dir != 0 {
		r.Direction = x.dir
	}
	if x.noDir {
		r.Direction = parsers.DirUnknown
	}
	if x.proto != 0 {
		r.Proto = x.proto
		r.HasPorts = x.proto.HasPorts()
	}
	if x.unknownP {
		r.Proto, r.HasProto = 0, false
	}
	if x.noPorts {
		r.HasPorts, r.SrcPort, r.DstPort = false, 0, 0
	}
	if x.untimed {
		r.Time = time.Time{}
	}
	if x.flags != "" {
		r.HasTCPFlags = true
		for _, c := range x.flags {
			r.TCPFlags |= map[rune]parsers.TCPFlags{'S': parsers.TCPSyn, 'A': parsers.TCPAck, 'F': parsers.TCPFin,
				'P': parsers.TCPPsh, 'U': parsers.TCPUrg, 'R': parsers.TCPRst, '-': 0}[c]
		}
	}
	return r
}

// testLine is a log line for a synthetic record, for events to quote.
func testLine(r *parsers.Record) []byte {
	return fmt.Appendf(nil, "test: SRC=%v DST=%v PROTO=%v SPT=%d DPT=%d", r.Src, r.Dst, r.Proto, r.SrcPort, r.DstPort)
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// observe feeds records to s with the engine's own lookup.
func observe(s *Summary, recs ...rec) {
	for _, x := range recs {
		for i := range max(1, x.repeat) {
			r := x.record()
			r.Time = r.Time.Add(time.Duration(i) * x.everyOther)
			look := annotate.LookupRecord(nil, &r)
			look.Line = testLine(&r)
			s.Observe(&r, &look)
		}
	}
}

func TestSummaryPorts(t *testing.T) {
	s := New(Config{Top: 2})
	observe(s,
		rec{dport: 22, src: "198.51.100.20", at: time.Minute, act: parsers.ActionPass},
		rec{dport: 22, src: "198.51.100.21", dst: "192.0.2.11", at: 2 * time.Minute},
		rec{dport: 22, src: "198.51.100.20", at: 90 * time.Minute, act: parsers.ActionReject},
		rec{dport: 443, repeat: 4, act: parsers.ActionLog},
		rec{dport: 22, proto: parsers.ProtoUDP, at: 30 * time.Second},
		rec{dport: 80, at: 3 * time.Hour},
		rec{dport: 80, untimed: true},
		rec{proto: parsers.ProtoICMP, src: "198.51.100.99"},
		rec{proto: parsers.ProtoICMP, src: "198.51.100.99"},
		rec{proto: parsers.ProtoTCP, noPorts: true}, // a fragment
		rec{dport: 53, unknownP: true, format: parsers.FormatPF},
	)
	r := s.Report(annotate.Stats{Lines: 20})
	if r.Records != 14 || r.Lines != 20 || r.Untimed != 1 || r.PortsSeen != 5 {
		t.Errorf("records %d lines %d untimed %d ports seen %d", r.Records, r.Lines, r.Untimed, r.PortsSeen)
	}
	if len(r.Ports) != 2 {
		t.Fatalf("%d ports listed, want the top 2", len(r.Ports))
	}
	// 443 first (4 records), then 22/tcp (3): 7 of 14 records.
	if p := r.Ports[0]; p.Port != 443 || p.Records != 4 || p.Blocked != 0 || p.Passed != 0 {
		t.Errorf("first port %+v", p)
	}
	ssh := r.Ports[1]
	want := PortSummary{
		Port: 22, Transport: "tcp", Service: "ssh", Class: "well-known",
		Records: 3, Sources: 2, Destinations: 2, Blocked: 2, Passed: 1,
		First: t0.Add(time.Minute), Last: t0.Add(90 * time.Minute),
	}
	ssh.Hourly = nil
	if !equalJSON(t, ssh, want) {
		t.Errorf("22/tcp:\n got  %+v\n want %+v", ssh, want)
	}
	if r.TopShare != 0.5 {
		t.Errorf("top share %v, want 0.5", r.TopShare)
	}
	if got := r.RecordsByFormat; got["netfilter"] != 13 || got["pf"] != 1 || len(got) != 2 {
		t.Errorf("records by format %v", got)
	}
	if !r.First.Equal(t0) || !r.Last.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("log time %v to %v", r.First, r.Last)
	}
	wantOther := []ProtocolCount{{"icmp", 2}, {"tcp", 1}}
	if !equalJSON(t, r.OtherProtocols, wantOther) {
		t.Errorf("other protocols %+v, want %+v", r.OtherProtocols, wantOther)
	}

	all := New(Config{Top: -1})
	observe(all, rec{dport: 22}, rec{dport: 53, unknownP: true}, rec{dport: 22, proto: parsers.ProtoUDP}, rec{dport: 21})
	var names []string
	for _, p := range all.Report(annotate.Stats{}).Ports {
		names = append(names, portName(p.Port, p.Transport)+"="+p.Service)
	}
	// Ties by port, then transport; "?" takes the registry's guess.
	if got := strings.Join(names, " "); got != "21/tcp=ftp 22/tcp=ssh 22/udp=ssh 53/?=domain" {
		t.Errorf("all ports: %s", got)
	}
}

// equalJSON compares two values by their JSON form, which is what
// readers of the report see.
func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ja, jb)
}

func TestSummaryHourly(t *testing.T) {
	s := New(Config{})
	observe(s,
		rec{dport: 23, at: -30 * time.Hour}, // before the last 24 hours
		rec{dport: 23, at: 0, repeat: 3},
		rec{dport: 23, at: 2*time.Hour + 59*time.Minute},
		rec{dport: 23, at: time.Hour, untimed: true},
		rec{dport: 22, at: -2 * time.Hour},
		rec{dport: 23, at: 3 * time.Hour, repeat: 2},
		rec{dport: 23, at: 90 * time.Minute}, // out of order, still counted
	)
	r := s.Report(annotate.Stats{})
	if !r.HourlyEnd.Equal(t0.Add(3 * time.Hour)) {
		t.Errorf("hourly end %v", r.HourlyEnd)
	}
	want := make([]uint32, sparkHours)
	want[20], want[21], want[22], want[23] = 3, 1, 1, 2
	if got := r.Ports[0].Hourly; !equalJSON(t, got, want) {
		t.Errorf("23/tcp hourly %v, want %v", got, want)
	}
	want = make([]uint32, sparkHours)
	want[18] = 1
	if got := r.Ports[1].Hourly; r.Ports[1].Port != 22 || !equalJSON(t, got, want) {
		t.Errorf("22/tcp hourly %v, want %v", got, want)
	}

	for _, tc := range []struct {
		counts []uint32
		want   string
	}{
		{[]uint32{0, 1, 2, 3, 4, 5, 6, 7, 8}, " ▁▂▃▄▅▆▇█"},
		{[]uint32{1000, 1, 0, 500}, "█▁ ▄"},
		{[]uint32{7, 7}, "██"},
	} {
		if got := sparkline(tc.counts); got != tc.want {
			t.Errorf("sparkline(%v) = %q, want %q", tc.counts, got, tc.want)
		}
	}
}

func TestSummaryAbused(t *testing.T) {
	s := New(Config{})
	observe(s,
		rec{dport: 23, src: "203.0.113.45", repeat: 5},
		rec{dport: 23, src: "203.0.113.46", repeat: 2, act: parsers.ActionPass},
		rec{dport: 23, src: "203.0.113.47"},
		rec{dport: 31337, proto: parsers.ProtoUDP, src: "198.51.100.3"},
		rec{dport: 31338, proto: parsers.ProtoTCP}, // only UDP is Back Orifice
		rec{dport: 22},
	)
	r := s.Report(annotate.Stats{})
	if len(r.Abused) != 2 {
		t.Fatalf("abused ports %+v", r.Abused)
	}
	telnet := r.Abused[0]
	if telnet.Port != 23 || telnet.Records != 8 || telnet.Sources != 3 || telnet.Blocked != 6 || telnet.Passed != 2 ||
		telnet.Category != "worm-botnet" || telnet.Severity != "high" {
		t.Errorf("23/tcp %+v", telnet)
	}
	wantTop := []SourceCount{
		{Source: netip.MustParseAddr("203.0.113.45"), Records: 5},
		{Source: netip.MustParseAddr("203.0.113.46"), Records: 2},
		{Source: netip.MustParseAddr("203.0.113.47"), Records: 1},
	}
	if !equalJSON(t, telnet.TopSources, wantTop) {
		t.Errorf("top sources %+v", telnet.TopSources)
	}
	if bo := r.Abused[1]; bo.Port != 31337 || bo.Transport != "udp" || bo.Label != "Back Orifice" {
		t.Errorf("second abused port %+v", bo)
	}
}

func TestSummaryScanners(t *testing.T) {
	type hit struct {
		port uint16
		at   time.Duration
	}
	seq := func(n int, step time.Duration) []hit {
		var hs []hit
		for i := range n {
			hs = append(hs, hit{uint16(1000 + i), time.Duration(i) * step})
		}
		return hs
	}
	for _, tc := range []struct {
		name    string
		hits    []hit
		untimed bool
		flagged bool
		ports   int64
	}{
		{"five ports at once", seq(5, 0), false, true, 5},
		{"four ports", seq(4, time.Second), false, false, 0},
		{"last port exactly one window after the first",
			[]hit{{1, 0}, {2, 10 * time.Second}, {3, 20 * time.Second}, {4, 30 * time.Second}, {5, time.Minute}}, false, true, 5},
		{"last port just past the window",
			[]hit{{1, 0}, {2, 10 * time.Second}, {3, 20 * time.Second}, {4, 30 * time.Second}, {5, time.Minute + time.Nanosecond}}, false, false, 0},
		{"slow scan", seq(20, 16*time.Second), false, false, 0},
		{"repeats do not count", append(seq(4, 0), hit{1000, time.Second}, hit{1001, 2 * time.Second}, hit{1003, 3 * time.Second}), false, false, 0},
		{"a repeat keeps its port in the window",
			[]hit{{1, 0}, {2, 50 * time.Second}, {3, 50 * time.Second}, {4, 50 * time.Second}, {1, 100 * time.Second}, {5, 101 * time.Second}}, false, true, 5},
		{"ports from a later hour are stale when time goes back",
			[]hit{{1, time.Hour}, {2, time.Hour}, {3, time.Hour}, {4, 0}, {5, 0}}, false, false, 0},
		{"ports counted after the flag", seq(8, time.Second), false, true, 8},
		{"records without time share one instant", seq(5, time.Hour), true, true, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{ScanPorts: 5, ScanWindow: time.Minute})
			// A timed record from elsewhere sets the clock that records
			// without a time take.
			observe(s, rec{src: "192.0.2.99", dport: 1, at: -time.Hour})
			for _, h := range tc.hits {
				observe(s, rec{src: "198.51.100.7", dport: h.port, at: h.at, untimed: tc.untimed})
			}
			r := s.Report(annotate.Stats{})
			if !tc.flagged {
				if len(r.Scanners) != 0 {
					t.Errorf("flagged %+v", r.Scanners)
				}
				return
			}
			if len(r.Scanners) != 1 {
				t.Fatalf("scanners %+v", r.Scanners)
			}
			sc := r.Scanners[0]
			if sc.Source.String() != "198.51.100.7" || sc.Ports != tc.ports || sc.Records != int64(len(tc.hits)) {
				t.Errorf("scanner %+v, want %d ports and %d records", sc, tc.ports, len(tc.hits))
			}
		})
	}
}

func TestSummaryScannerDefaults(t *testing.T) {
	s := New(Config{})
	var recs []rec
	for p := range uint16(15) {
		recs = append(recs, rec{src: "198.51.100.7", dport: 100 + p, at: time.Duration(p) * 4 * time.Second})
		recs = append(recs, rec{src: "198.51.100.8", dport: 100 + p, at: time.Duration(p) * 5 * time.Second})
	}
	observe(s, recs...)
	r := s.Report(annotate.Stats{})
	// 15 ports within 56 s; the other source needs 70 s.
	if len(r.Scanners) != 1 || r.Scanners[0].Source.String() != "198.51.100.7" || r.Scanners[0].Ports != 15 ||
		!r.Scanners[0].FlaggedAt.Equal(t0.Add(56*time.Second)) || !r.Scanners[0].First.Equal(t0) {
		t.Errorf("scanners %+v", r.Scanners)
	}
}

func TestSummaryMirai(t *testing.T) {
	for _, tc := range []struct {
		name  string
		recs  []rec
		mirai []string // source telnet telnet_alt
	}{
		{"23 then 2323", []rec{{dport: 23}, {dport: 2323, at: time.Second}}, []string{"203.0.113.1 1 1"}},
		{"2323 then 23", []rec{{dport: 2323}, {dport: 23, at: time.Second}}, nil},
		{"23/udp then 2323", []rec{{dport: 23, proto: parsers.ProtoUDP}, {dport: 2323, at: time.Second}}, nil},
		{"other sources", []rec{{dport: 23, src: "198.51.100.1"}, {dport: 2323, src: "198.51.100.2"}}, nil},
		{"ten to one", []rec{{dport: 23, repeat: 10, everyOther: time.Second}, {dport: 2323, at: time.Minute}, {dport: 23, at: time.Hour}},
			[]string{"203.0.113.1 11 1"}},
		{"two sources", []rec{
			{dport: 23, src: "198.51.100.1"}, {dport: 23, src: "198.51.100.2"},
			{dport: 2323, src: "198.51.100.2"}, {dport: 2323, src: "198.51.100.1"}, {dport: 2323, src: "198.51.100.1"},
		}, []string{"198.51.100.1 1 2", "198.51.100.2 1 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{})
			observe(s, tc.recs...)
			var got []string
			for _, m := range s.Report(annotate.Stats{}).Mirai {
				got = append(got, m.Source.String()+" "+itoa64(m.Telnet)+" "+itoa64(m.TelnetAlt))
			}
			if strings.Join(got, ", ") != strings.Join(tc.mirai, ", ") {
				t.Errorf("mirai %q, want %q", got, tc.mirai)
			}
		})
	}

	// A Mirai source that also scans is both, and the flags agree.
	s := New(Config{ScanPorts: 3})
	observe(s, rec{dport: 23}, rec{dport: 2323}, rec{dport: 80})
	r := s.Report(annotate.Stats{})
	if len(r.Mirai) != 1 || len(r.Scanners) != 1 || !r.Mirai[0].Scanner || !r.Scanners[0].Mirai || r.Scanners[0].Ports != 3 {
		t.Errorf("mirai %+v scanners %+v", r.Mirai, r.Scanners)
	}
	// The record that completes a scan can complete the pattern too.
	s = New(Config{ScanPorts: 2})
	observe(s, rec{dport: 23}, rec{dport: 2323})
	r = s.Report(annotate.Stats{})
	if len(r.Mirai) != 1 || len(r.Scanners) != 1 {
		t.Errorf("same record: mirai %+v scanners %+v", r.Mirai, r.Scanners)
	}
}

func TestSummaryListeners(t *testing.T) {
	// The test relies on the registry: 16290/tcp is unassigned and
	// registered, 50000/tcp unassigned and dynamic.
	reg := registry.Default()
	if e := reg.Lookup(16290, registry.TCP); e.Assigned() || e.Class != registry.Registered || e.Abuse != nil {
		t.Fatalf("16290/tcp is %+v", e)
	}
	if e := reg.Lookup(50000, registry.TCP); e.Assigned() || e.Class != registry.Dynamic || e.Abuse != nil {
		t.Fatalf("50000/tcp is %+v", e)
	}
	pass, out := parsers.ActionPass, parsers.DirOut
	for _, tc := range []struct {
		name     string
		r        rec
		listener string // host, port, evidence, odd; "" for none
		callout  string // destination, port; "" for none
	}{
		{"accepted to a backdoor", rec{dport: 31337, proto: parsers.ProtoUDP, act: pass}, "192.0.2.10 31337/udp accepted odd", ""},
		{"blocked to a backdoor", rec{dport: 31337, proto: parsers.ProtoUDP}, "", ""},
		{"accepted telnet", rec{dport: 23, act: pass}, "192.0.2.10 23/tcp accepted, flags unknown odd", ""},
		{"accepted ssh", rec{dport: 22, act: pass}, "192.0.2.10 22/tcp accepted, flags unknown -", ""},
		{"accepted to an unassigned port", rec{sport: 41999, dport: 16290, act: pass}, "192.0.2.10 16290/tcp accepted, flags unknown odd", ""},
		{"accepted reply from a service port", rec{sport: 6667, dport: 16290, act: pass}, "", ""},
		{"accepted to an ephemeral port", rec{dport: 50000, act: pass}, "", ""},
		{"accepted, direction unknown, outside the home net", rec{dport: 31337, proto: parsers.ProtoUDP, act: pass, noDir: true}, "", ""},
		{"accepted, direction unknown, in the home net", rec{dst: "10.1.2.3", dport: 31337, proto: parsers.ProtoUDP, act: pass, noDir: true}, "10.1.2.3 31337/udp accepted odd", ""},
		{"UDP reply from a home service", rec{src: "192.0.2.53", sport: 53, dst: "198.51.100.9", dport: 40123, proto: parsers.ProtoUDP, dir: out, act: pass}, "192.0.2.53 53/udp answer -", ""},
		{"UDP from a home client's ephemeral port", rec{src: "192.0.2.53", sport: 40123, dst: "198.51.100.9", dport: 53, proto: parsers.ProtoUDP, dir: out, act: pass}, "", ""},
		{"outbound to a shell port, blocked", rec{src: "192.0.2.20", dst: "198.51.100.66", dport: 4444, dir: out}, "", "198.51.100.66 4444/tcp"},
		{"outbound to IRC", rec{src: "192.0.2.20", dst: "198.51.100.66", dport: 6667, dir: out, act: pass}, "", "198.51.100.66 6667/tcp"},
		{"outbound NTP", rec{src: "192.0.2.20", dst: "198.51.100.123", dport: 123, proto: parsers.ProtoUDP, dir: out, act: pass}, "", ""},
		{"outbound RDP", rec{src: "192.0.2.20", dst: "198.51.100.66", dport: 3389, dir: out, act: pass}, "", ""},
		{"outbound unassigned", rec{src: "192.0.2.20", dst: "198.51.100.66", dport: 16290, dir: out, act: pass}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{})
			r := tc.r.record()
			look := annotate.LookupRecord(nil, &r)
			s.Observe(&r, &look)
			s.Observe(&r, &look)
			rep := s.Report(annotate.Stats{})
			var got string
			if ls := rep.Listeners; len(ls) > 0 {
				l := ls[0]
				got = l.Host.String() + " " + portName(l.Port, l.Transport) + " " + l.Evidence + " " + map[bool]string{true: "odd", false: "-"}[l.Odd]
				if len(ls) != 1 || l.Records != 2 || l.Clients != 1 {
					t.Errorf("listeners %+v", ls)
				}
			}
			if got != tc.listener {
				t.Errorf("listener %q, want %q", got, tc.listener)
			}
			got = ""
			if cs := rep.Callouts; len(cs) > 0 {
				c := cs[0]
				got = c.Destination.String() + " " + portName(c.Port, c.Transport)
				if len(cs) != 1 || c.Records != 2 || c.Hosts != 1 || c.FirstHost != r.Src {
					t.Errorf("callouts %+v", cs)
				}
			}
			if got != tc.callout {
				t.Errorf("callout %q, want %q", got, tc.callout)
			}
		})
	}
}

// TestSummaryEviction: a source forgotten mid-scan is missed; with room
// to track it, it is caught.
func TestSummaryEviction(t *testing.T) {
	scan := func(limit int) *Report {
		s := New(Config{ScanPorts: 4})
		s.scan.maxBytes, s.scan.keep = 0, limit
		observe(s, rec{src: "198.51.100.7", dport: 1}, rec{src: "198.51.100.7", dport: 2})
		observe(s, rec{src: "203.0.113.1", dport: 80}, rec{src: "203.0.113.2", dport: 80})
		observe(s, rec{src: "198.51.100.7", dport: 3}, rec{src: "198.51.100.7", dport: 4})
		return s.Report(annotate.Stats{})
	}
	if r := scan(2); len(r.Scanners) != 0 || r.Bounds.EvictedSources != 2 || r.Bounds.TrackedSources != 2 {
		t.Errorf("limit 2: scanners %+v, bounds %+v", r.Scanners, r.Bounds)
	}
	if r := scan(3); len(r.Scanners) != 1 || r.Bounds.EvictedSources != 0 {
		t.Errorf("limit 3: scanners %+v, bounds %+v", r.Scanners, r.Bounds)
	}

	// A flagged source that is forgotten and comes back keeps its record.
	s := New(Config{ScanPorts: 2})
	s.scan.maxBytes, s.scan.keep = 0, 1
	observe(s, rec{src: "198.51.100.7", dport: 1}, rec{src: "198.51.100.7", dport: 2})
	observe(s, rec{src: "203.0.113.1", dport: 80})
	observe(s, rec{src: "198.51.100.7", dport: 3})
	r := s.Report(annotate.Stats{})
	if len(r.Scanners) != 2-1 || r.Scanners[0].Ports != 3 || r.Scanners[0].Records != 3 {
		t.Errorf("returning scanner %+v", r.Scanners)
	}
}

func TestSummaryLimits(t *testing.T) {
	s := New(Config{ScanPorts: 2})
	s.scan.suspectLimit = 2
	s.listen.limit = 1
	for _, src := range []string{"198.51.100.1", "198.51.100.2", "198.51.100.3"} {
		observe(s, rec{src: src, dport: 1}, rec{src: src, dport: 2})
	}
	observe(s, rec{dport: 31337, dst: "192.0.2.1", proto: parsers.ProtoUDP, act: parsers.ActionPass},
		rec{dport: 31337, dst: "192.0.2.2", proto: parsers.ProtoUDP, act: parsers.ActionPass, repeat: 3})
	r := s.Report(annotate.Stats{})
	if len(r.Scanners) != 2 || r.Bounds.SuspectsDropped != 1 {
		t.Errorf("scanners %d, dropped %d", len(r.Scanners), r.Bounds.SuspectsDropped)
	}
	if len(r.Listeners) != 1 || r.Bounds.ListenersDropped != 3 {
		t.Errorf("listeners %d, dropped %d", len(r.Listeners), r.Bounds.ListenersDropped)
	}
}

// Lines for tests through the engine.
const (
	sumTelnet = "Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=54321 PROTO=TCP SPT=51234 DPT=23 WINDOW=5840 RES=0x00 SYN URGP=0"
	sumAlt    = "Nov 25 06:25:15 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=54322 PROTO=TCP SPT=51235 DPT=2323 WINDOW=5840 RES=0x00 SYN URGP=0"
	sumSSH    = "Nov 25 06:25:19 web1 kernel: [UFW ALLOW] IN=eth0 OUT= SRC=198.51.100.20 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=57 ID=40112 DF PROTO=TCP SPT=40412 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0"
	sumICMP   = "Nov 25 06:25:50 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.3 DST=192.0.2.10 LEN=84 TOS=0x00 PREC=0x00 TTL=52 ID=0 DF PROTO=ICMP TYPE=8 CODE=0 ID=4711 SEQ=1"
	sumPF     = "Mar 30 15:47:05 fw pf: rule 4/(match) block in on em0: 203.0.113.5.48784 > 192.0.2.1.445: S 1:1(0) win 16384"
	sumFilter = "<134>Nov 12 09:14:02 filterlog[72237]: 5,,,1000000103,igb0,match,block,in,4,0x0,,49,54321,0,none,6,tcp,44,203.0.113.45,192.0.2.10,51234,2323,0,S,2771936212,,5840,,mss"
	sumBadPF  = "Mar 30 15:47:05 fw pf: rule 4/(match) block in on em0: scanner.example.net.48784 > 192.0.2.1.445: S"
	sumMasked = "Mar 30 15:47:06 fw pf: rule 4/(match) block in on em0: 203.0.113.FOO.48785 > 192.0.2.1.445: S"
	sumSSHD   = "Nov 25 06:25:19 web1 sshd[4121]: Connection from 198.51.100.20 port 40412 on 192.0.2.10 port 22"
)

// summarize runs input through the engine into a Summary.
func summarize(t testing.TB, cfg Config, in []byte) (*Summary, *Report) {
	t.Helper()
	s := New(cfg)
	a := annotate.New(annotate.Config{Observer: s, Discard: true, Now: testNow})
	var out bytes.Buffer
	if err := a.Run(context.Background(), bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("Discard wrote %q", out.Bytes())
	}
	return s, s.Report(a.Stats())
}

func TestSummaryCoverage(t *testing.T) {
	in := strings.Join([]string{sumTelnet, sumAlt, sumSSH, sumICMP, sumPF, sumFilter, sumBadPF, sumMasked, sumSSHD, ""}, "\n")
	_, r := summarize(t, Config{}, []byte(in))
	if r.Lines != 9 || r.Records != 7 || r.Unparsed != 1 || r.Untimed != 0 || r.Partial != 1 {
		t.Errorf("lines %d records %d unparsed %d untimed %d partial %d", r.Lines, r.Records, r.Unparsed, r.Untimed, r.Partial)
	}
	if !equalJSON(t, r.RecordsByFormat, map[string]int64{"netfilter": 4, "pf": 2, "filterlog": 1}) ||
		!equalJSON(t, r.UnparsedByFormat, map[string]int64{"pf": 1}) {
		t.Errorf("by format: %v, unparsed %v", r.RecordsByFormat, r.UnparsedByFormat)
	}
	if len(r.Mirai) != 1 || r.Mirai[0].Telnet != 1 || r.Mirai[0].TelnetAlt != 2 {
		t.Errorf("mirai %+v", r.Mirai)
	}
}

// TestSummarySnapshot: a report does not change when the summary goes on.
func TestSummarySnapshot(t *testing.T) {
	s := New(Config{ScanPorts: 2})
	observe(s, syntheticRecords()...)
	r := s.Report(annotate.Stats{Lines: 1})
	var before, after bytes.Buffer
	if err := r.WriteJSON(&before); err != nil {
		t.Fatal(err)
	}
	observe(s, syntheticRecords()...)
	observe(s, rec{src: "198.51.100.200", dport: 7}, rec{src: "198.51.100.200", dport: 8})
	if err := r.WriteJSON(&after); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Error("report changed after more records")
	}
	if s.Report(annotate.Stats{}).Records != 2*r.Records+2 {
		t.Error("summary did not go on counting")
	}
}

// TestSummaryLarge streams a million distinct sources to one port: with
// the default budget the count is exact; with a small one, to an abused
// port whose sources are also counted per source, it is an estimate
// within three standard errors, marked as such, and the heaviest source
// is still named. The memory counted stays within the budget and close
// to what the heap grew by.
func TestSummaryLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("a million records")
	}
	const n = 1_000_000
	heavy := netip.MustParseAddr("203.0.113.45")
	for _, tc := range []struct {
		budget int64
		port   uint16
	}{{DefaultMemory, 16290}, {8 << 20, 445}} {
		s := New(Config{Memory: tc.budget})
		r := parsers.Record{
			Format: parsers.FormatNetfilter, Action: parsers.ActionBlock, Direction: parsers.DirIn,
			Dst: netip.MustParseAddr("192.0.2.10"), Proto: parsers.ProtoTCP, HasProto: true,
			SrcPort: 40000, DstPort: tc.port, HasPorts: true,
		}
		look := annotate.LookupRecord(nil, &r)
		start := heap()
		for i := range n {
			r.Src = addr4(i)
			if i%100 == 0 {
				r.Src = heavy
			}
			r.Time = t0.Add(time.Duration(i) * time.Millisecond)
			s.Observe(&r, &look)
		}
		end := heap()
		rep := s.Report(annotate.Stats{})
		p, b := rep.Ports[0], rep.Bounds
		const distinct = n - n/100 + 1
		if tc.budget == DefaultMemory {
			if p.Sources != distinct || p.SourcesEstimated {
				t.Errorf("budget %d: %d sources counted as %d (estimated %v)", tc.budget, distinct, p.Sources, p.SourcesEstimated)
			}
		} else {
			if e := math.Abs(float64(p.Sources)-distinct) / distinct; !p.SourcesEstimated || e > 3*b.StdError {
				t.Errorf("budget %d: %d sources estimated as %d (%v): error %.2f%% beyond 3 × %.2f%%",
					tc.budget, distinct, p.Sources, p.SourcesEstimated, 100*e, 100*b.StdError)
			}
			a := rep.Abused[0]
			if a.TopSourcesExact || len(a.TopSources) != 1 || a.TopSources[0].Source != heavy {
				t.Errorf("budget %d: top sources %+v (exact %v)", tc.budget, a.TopSources, a.TopSourcesExact)
			}
		}
		if p.Destinations != 1 || p.Records != n || b.EvictedSources == 0 {
			t.Errorf("budget %d: port %+v, bounds %+v", tc.budget, p, b)
		}
		t.Logf("budget %d MiB: counted %d KiB (peak %d), heap grew %d KiB", tc.budget>>20, b.MemoryUsed>>10, b.MemoryPeak>>10, (end-start)>>10)
		if b.MemoryPeak > tc.budget {
			t.Errorf("budget %d: peak %d", tc.budget, b.MemoryPeak)
		}
		if grew := int64(end) - int64(start); grew > b.MemoryUsed*5/4+1<<20 {
			t.Errorf("budget %d: heap grew by %d KiB, %d KiB counted", tc.budget, grew>>10, b.MemoryUsed>>10)
		}
		runtime.KeepAlive(s)
	}
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestSummaryObserveNoAllocs: records of known ports, sources and
// destinations cost no allocation.
func TestSummaryObserveNoAllocs(t *testing.T) {
	s := New(Config{ScanPorts: 4})
	recs := syntheticRecords()
	observe(s, recs...)
	var records []parsers.Record
	var looks []annotate.Lookup
	for _, x := range recs {
		for i := range max(1, x.repeat) {
			r := x.record()
			r.Time = r.Time.Add(time.Duration(i) * x.everyOther)
			records = append(records, r)
			looks = append(looks, annotate.LookupRecord(nil, &r))
		}
	}
	n := testing.AllocsPerRun(50, func() {
		for i := range records {
			s.Observe(&records[i], &looks[i])
		}
	})
	if n != 0 {
		t.Errorf("%.1f allocations per pass over %d known records", n, len(records))
	}
}

// syntheticRecords is a small log with known answers, used by the
// goldens: a Mirai source, a port scanner, a near miss, ordinary
// traffic, odd listeners in both directions, portless and untimed
// records, over a few hours.
func syntheticRecords() []rec {
	pass, out, udp := parsers.ActionPass, parsers.DirOut, parsers.ProtoUDP
	recs := []rec{
		{src: "203.0.113.45", dport: 23, repeat: 9, everyOther: 7 * time.Second},
		{src: "203.0.113.45", dport: 2323, at: 70 * time.Second},
		{src: "203.0.113.46", dport: 23, at: 2 * time.Hour, repeat: 3, everyOther: time.Minute},
		{src: "198.51.100.20", dport: 22, at: 5 * time.Minute, act: pass},
		{src: "198.51.100.21", dport: 22, at: 65 * time.Minute, act: pass},
		{src: "198.51.100.22", dport: 22, at: 3 * time.Hour, repeat: 4, everyOther: time.Second},
		{src: "198.51.100.3", dport: 31337, proto: udp, act: pass, at: 150 * time.Minute},
		{src: "198.51.100.3", sport: 41999, dport: 16290, act: pass, at: 151 * time.Minute},
		{src: "192.0.2.20", dst: "198.51.100.66", dport: 4444, dir: out, at: 3*time.Hour + 30*time.Minute},
		{src: "192.0.2.20", dst: "198.51.100.123", dport: 123, proto: udp, dir: out, act: pass, at: 3 * time.Hour},
		{src: "198.51.100.77", proto: parsers.ProtoICMP, at: time.Hour},
		{src: "2001:db8:bad::17", dst: "2001:db8::10", dport: 6379, at: 40 * time.Minute},
		{src: "203.0.113.9", dport: 80, untimed: true, repeat: 2},
		{src: "203.0.113.5", dport: 445, unknownP: true, format: parsers.FormatPF, at: 100 * time.Minute},
	}
	// 198.51.100.7 sweeps 16 ports in 30 s; 198.51.100.8 sweeps 14.
	for i := range uint16(16) {
		recs = append(recs, rec{src: "198.51.100.7", dport: 8000 + i, at: 3*time.Hour + time.Duration(i)*2*time.Second})
	}
	for i := range uint16(14) {
		recs = append(recs, rec{src: "198.51.100.8", dport: 8000 + i, at: 3*time.Hour + time.Duration(i)*time.Second})
	}
	return recs
}

// testColors are readable stand-ins for escape sequences.
var testColors = annotate.Colors{
	Annotation: []byte("<dim>"),
	Severity:   [registry.High + 1][]byte{nil, []byte("<info>"), []byte("<low>"), []byte("<medium>"), []byte("<high>")},
	Reset:      []byte("</>"),
}

// TestSummaryGolden writes the synthetic log's report and the report of
// every sample log in examples/ in each style, and compares them with
// testdata. The JSON goldens are indented for review; the test
// checks that the output itself is one line.
func TestSummaryGolden(t *testing.T) {
	s := New(Config{Top: 5})
	observe(s, syntheticRecords()...)
	synthetic := s.Report(annotate.Stats{Lines: 60, Unparsed: 2, Broken: [parsers.FormatCount]int64{parsers.FormatPF: 2}})

	files, err := filepath.Glob("../../examples/*.log")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample logs: %v", err)
	}
	var all []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	_, examples := summarize(t, Config{}, all)
	// The memory counted depends on the sizes of structs other packages
	// shape (an array per log family): the goldens show a fixed number.
	for _, r := range []*Report{synthetic, examples} {
		r.Bounds.MemoryUsed, r.Bounds.MemoryPeak = 1<<20, 1<<20
	}

	for _, tc := range []struct {
		name  string
		r     *Report
		write func(*Report, io.Writer) error
	}{
		{"synthetic.txt", synthetic, plainText},
		{"synthetic.term.txt", synthetic, terminalText},
		{"synthetic.json", synthetic, indentedJSON},
		{"examples.txt", examples, plainText},
		{"examples.term.txt", examples, terminalText},
		{"examples.json", examples, indentedJSON},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := tc.write(tc.r, &got); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./annotate/report -run SummaryGolden -update)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("output differs from %s at %s", golden, firstDiff(got.Bytes(), want))
			}
		})
	}
}

func plainText(r *Report, w io.Writer) error { return r.WriteText(w, Style{}) }

func terminalText(r *Report, w io.Writer) error {
	return r.WriteText(w, Style{Terminal: true, Width: 100, Colors: testColors})
}

func indentedJSON(r *Report, w io.Writer) error {
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		return err
	}
	if bytes.Count(b.Bytes(), []byte("\n")) != 1 || !bytes.HasSuffix(b.Bytes(), []byte("\n")) {
		return errNotOneLine
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}

var errNotOneLine = errors.New("JSON report is not one line")

// TestSummaryPlainText: plain text carries no escapes and no sparkline,
// whatever colours the style names, and every row is one line.
func TestSummaryPlainText(t *testing.T) {
	s := New(Config{})
	observe(s, syntheticRecords()...)
	var b bytes.Buffer
	if err := s.Report(annotate.Stats{}).WriteText(&b, Style{Colors: testColors, Width: 40}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<") || strings.ContainsAny(out, "▁▂▃▄▅▆▇█…\x1b") {
		t.Errorf("plain text has escapes or sparklines:\n%s", out)
	}
	for _, want := range []string{
		"23/tcp telnet well-known worm-botnet/high 12 2 1 12 0 2026-11-25T10:00:00Z 2026-11-25T12:02:00Z",
		"198.51.100.7 2 - 16 1 16 0 2026-11-25T13:00:28Z 2026-11-25T13:00:00Z 2026-11-25T13:00:30Z vertical scan: 16 ports",
		"198.51.100.66 4444/tcp Blaster shell 1 1 192.0.2.20 2026-11-25T13:30:00Z 2026-11-25T13:30:00Z",
		"192.0.2.10 16290/tcp unassigned accepted, flags unknown unassigned 1 1 198.51.100.3 2026-11-25T12:31:00Z 2026-11-25T12:31:00Z",
	} {
		if !hasRow(out, want) {
			t.Errorf("plain text lacks the row %q:\n%s", want, out)
		}
	}
}

// hasRow reports whether a line of out has the fields of row.
func hasRow(out, row string) bool {
	want := strings.Join(strings.Fields(row), " ")
	for line := range strings.Lines(out) {
		if strings.Join(strings.Fields(line), " ") == want {
			return true
		}
	}
	return false
}

// TestSummaryTerminalWidth: on a terminal every line fits the width.
func TestSummaryTerminalWidth(t *testing.T) {
	s := New(Config{})
	observe(s, syntheticRecords()...)
	r := s.Report(annotate.Stats{})
	for _, width := range []int{60, 80, 100, 132} {
		var b bytes.Buffer
		if err := r.WriteText(&b, Style{Terminal: true, Width: width}); err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(b.String()) {
			line = strings.TrimSuffix(line, "\n")
			line = strings.TrimPrefix(strings.TrimPrefix(line, "<dim>"), "</>")
			if n := len([]rune(line)); n > width {
				t.Errorf("width %d: line of %d: %q", width, n, line)
			}
		}
		if width >= 100 && !strings.Contains(b.String(), "LAST 24H") {
			t.Errorf("width %d: no sparklines:\n%s", width, b.String())
		}
	}
}

// TestSummaryJSON checks the document's shape: the keys the issue
// promises, with the right types.
func TestSummaryJSON(t *testing.T) {
	s := New(Config{})
	observe(s, syntheticRecords()...)
	var b bytes.Buffer
	if err := s.Report(annotate.Stats{Lines: 60}).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, b.Bytes())
	}
	isNumber := func(v any) bool { _, ok := v.(float64); return ok }
	isString := func(v any) bool { _, ok := v.(string); return ok }
	isBool := func(v any) bool { _, ok := v.(bool); return ok }
	for _, k := range []string{"lines", "records", "unparsed", "ports_seen", "top_share", "scan_ports", "scan_window_seconds"} {
		if !isNumber(doc[k]) {
			t.Errorf("%s = %#v", k, doc[k])
		}
	}
	if doc["lines"] != 60.0 || doc["scan_window_seconds"] != 60.0 {
		t.Errorf("lines %v, scan window %v", doc["lines"], doc["scan_window_seconds"])
	}
	shapes := map[string]map[string]func(any) bool{
		"ports": {"port": isNumber, "transport": isString, "service": isString, "class": isString, "abused": isBool,
			"records": isNumber, "sources": isNumber, "destinations": isNumber, "blocked": isNumber, "passed": isNumber},
		"scanners": {"source": isString, "level": isNumber, "reasons": func(v any) bool { _, ok := v.([]any); return ok },
			"ports": isNumber, "hosts": isNumber, "records": isNumber, "mirai": isBool, "vertical": isBool, "sweep": isBool},
		"listeners": {"host": isString, "port": isNumber, "transport": isString, "records": isNumber, "evidence": isString,
			"odd": isBool, "clients": isNumber},
		"callouts": {"destination": isString, "port": isNumber, "transport": isString, "records": isNumber, "hosts": isNumber,
			"label": isString},
		"abused":          {"port": isNumber, "transport": isString, "records": isNumber, "top_sources": func(v any) bool { _, ok := v.([]any); return ok }},
		"mirai":           {"source": isString, "telnet": isNumber, "telnet_alt": isNumber},
		"other_protocols": {"protocol": isString, "records": isNumber},
	}
	for list, keys := range shapes {
		items, ok := doc[list].([]any)
		if !ok || len(items) == 0 {
			t.Errorf("%s = %#v", list, doc[list])
			continue
		}
		for _, it := range items {
			obj, _ := it.(map[string]any)
			for k, check := range keys {
				if !check(obj[k]) {
					t.Errorf("%s: %s = %#v in %v", list, k, obj[k], obj)
				}
			}
		}
	}

	// An empty summary still has every list, as [].
	b.Reset()
	if err := New(Config{}).Report(annotate.Stats{}).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"ports":[]`, `"scanners":[]`, `"listeners":[]`, `"abused":[]`, `"mirai":[]`, `"other_protocols":[]`,
		`"callouts":[]`, `"floods":[]`} {
		if !strings.Contains(b.String(), k) {
			t.Errorf("empty report lacks %s: %s", k, b.Bytes())
		}
	}
}

var summarySink *Report

// BenchmarkSummaryObserve measures Observe alone, per record, on records
// parsed from real-looking lines (bytes are those of the lines).
func BenchmarkSummaryObserve(b *testing.B) {
	lines := []string{sumTelnet, sumAlt, sumSSH, sumICMP, sumPF, sumFilter}
	p := parsers.Parser{Now: testNow}
	var records []parsers.Record
	var looks []annotate.Lookup
	var size int
	for _, l := range lines {
		var r parsers.Record
		if err := p.Parse([]byte(l), &r); err != nil {
			b.Fatal(err)
		}
		r.Message = nil
		records = append(records, r)
		looks = append(looks, annotate.LookupRecord(nil, &r))
		size += len(l) + 1
	}
	b.Run("known", func(b *testing.B) {
		s := New(Config{})
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for i := range records {
				s.Observe(&records[i], &looks[i])
			}
		}
		summarySink = s.Report(annotate.Stats{})
	})
	// Every record from a new source: the tracker fills, then evicts.
	b.Run("new-sources", func(b *testing.B) {
		s := New(Config{})
		b.SetBytes(int64(size))
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for i := range records {
				n++
				records[i].Src = addr4(n)
				s.Observe(&records[i], &looks[i])
			}
		}
		summarySink = s.Report(annotate.Stats{})
	})
	// A sweep across all ports from a few sources: a port table entry
	// per port, scanners flagged.
	b.Run("sweep", func(b *testing.B) {
		s := New(Config{})
		r := records[0]
		var look annotate.Lookup // an unassigned port
		b.SetBytes(int64(size / len(records)))
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n++
			r.DstPort = uint16(n)
			r.Src = addr4(n >> 16)
			r.Time = t0.Add(time.Duration(n) * time.Millisecond)
			s.Observe(&r, &look)
		}
		summarySink = s.Report(annotate.Stats{})
	})
	b.Run("report", func(b *testing.B) {
		s := New(Config{})
		observe(s, syntheticRecords()...)
		b.ReportAllocs()
		for b.Loop() {
			summarySink = s.Report(annotate.Stats{})
		}
	})
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
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(same lines)"
}

// TestScanWindowLinear: with --scan-ports 100000, a source hitting
// 128,000 distinct ports costs each hit a bounded number of looks at its
// window, not one per port already in it (which took 8.5 s), and its
// ports are counted exactly, in the units of the ports seen.
func TestScanWindowLinear(t *testing.T) {
	s := New(Config{ScanPorts: 100_000, ScanWindow: time.Hour})
	r := parsers.Record{
		Format: parsers.FormatNetfilter, Action: parsers.ActionBlock, Direction: parsers.DirIn,
		Src: netip.MustParseAddr("198.51.100.7"), Dst: netip.MustParseAddr("192.0.2.10"), HasProto: true, HasPorts: true,
	}
	const hits = 128_000
	for i := range hits {
		r.Proto, r.DstPort = parsers.ProtoTCP, uint16(i)
		if i >= 1<<16 {
			r.Proto = parsers.ProtoUDP
		}
		r.Time = t0.Add(time.Duration(i) * time.Millisecond)
		look := annotate.LookupRecord(nil, &r)
		s.Observe(&r, &look)
	}
	if s.scan.work > 8*hits {
		t.Errorf("%d hits looked at %d window entries", hits, s.scan.work)
	}
	rep := s.Report(annotate.Stats{})
	if len(rep.Scanners) != 1 || rep.Scanners[0].Ports != hits || rep.Scanners[0].PortsEstimated || rep.PortsSeen != hits ||
		!rep.Scanners[0].FlaggedAt.Equal(t0.Add(99_999*time.Millisecond)) {
		t.Errorf("scanners %+v, %d ports seen", rep.Scanners, rep.PortsSeen)
	}
}

// TestWindowModel checks windows against a plain model of their rule on
// random hits: ports within span of the newest hit are live, a hit a
// little back in time counts as of the newest, one more than a span back
// starts over.
func TestWindowModel(t *testing.T) {
	const span = 100
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		var work int64
		w := window{}
		model := map[uint64]int64{}
		var newest int64
		clock := int64(1000)
		ports := uint32(4 + trial%60)
		groups := uint32(1 + trial%3)
		for i := range 2000 {
			switch rng.IntN(20) {
			case 0:
				clock -= int64(rng.IntN(3 * span)) // back in time
			default:
				clock += int64(rng.IntN(span / 4))
			}
			key := uint64(rng.Uint32N(groups))<<valueBits | uint64(rng.Uint32N(ports))
			at := clock
			if len(model) > 0 {
				if at < newest-span {
					clear(model)
				} else {
					at = max(at, newest)
				}
			}
			newest = at
			for k, t := range model {
				if at-t > span {
					delete(model, k)
				}
			}
			model[key] = at
			inGroup := 0
			for k := range model {
				if k>>valueBits == key>>valueBits {
					inGroup++
				}
			}
			if live, group := w.hitGrouped(&work, key, clock, span, 1<<30); live != len(model) || group != inGroup {
				t.Fatalf("trial %d hit %d (key %#x at %d): %d live, %d in its group; model %d, %d",
					trial, i, key, clock, live, group, len(model), inGroup)
			}
		}
		var each []uint64
		w.each(&work, func(k uint64) { each = append(each, k) })
		if len(each) != len(model) {
			t.Fatalf("trial %d: each gives %d ports, model %d", trial, len(each), len(model))
		}
		for _, k := range each {
			if _, ok := model[k]; !ok {
				t.Fatalf("trial %d: each gives port %d, not live", trial, k)
			}
		}
	}
}

// TestSummaryAbusedEntries: abused ports are reported per catalogue
// entry: a range is one row with the ports seen, its sources counted
// once over all of them; text lists --top entries and says how many
// more there are.
func TestSummaryAbusedEntries(t *testing.T) {
	s := New(Config{Top: 2})
	observe(s,
		rec{dport: 3140, src: "203.0.113.7", repeat: 3},
		rec{dport: 3190, src: "203.0.113.7"},
		rec{dport: 3131, src: "203.0.113.8", act: parsers.ActionPass},
		rec{dport: 6000, src: "203.0.113.9"},
		rec{dport: 6008, src: "203.0.113.9"},
		rec{dport: 6063, src: "203.0.113.10"},
		rec{dport: 23, src: "203.0.113.11"},
	)
	r := s.Report(annotate.Stats{})
	if len(r.Abused) != 3 {
		t.Fatalf("%d entries: %+v", len(r.Abused), r.Abused)
	}
	doom := r.Abused[0]
	wantTop := []SourceCount{{Source: netip.MustParseAddr("203.0.113.7"), Records: 4}, {Source: netip.MustParseAddr("203.0.113.8"), Records: 1}}
	if doom.Port != 3129 || doom.PortHigh != 3199 || doom.Label != "MyDoom/DoomJuice" || !slices.Equal(doom.PortsSeen, []uint16{3131, 3140, 3190}) ||
		doom.Records != 5 || doom.Sources != 2 || doom.Passed != 1 || doom.Service != "" || !equalJSON(t, doom.TopSources, wantTop) {
		t.Errorf("MyDoom range %+v", doom)
	}
	if x11 := r.Abused[1]; x11.Port != 6000 || x11.PortHigh != 6063 || x11.Records != 3 || x11.Sources != 2 || len(x11.PortsSeen) != 3 {
		t.Errorf("X11 range %+v", x11)
	}
	if telnet := r.Abused[2]; telnet.Port != 23 || telnet.PortHigh != 0 || telnet.Service != "telnet" {
		t.Errorf("telnet %+v", telnet)
	}
	var b bytes.Buffer
	if err := r.WriteText(&b, Style{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"3129-3199/tcp 3 MyDoom/DoomJuice backdoor high 5 2 4 1",
		"... and 1 more",
	} {
		if !hasRowPrefix(out, want) {
			t.Errorf("no row %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "23/tcp     1  telnet") {
		t.Errorf("--top 2 listed a third entry:\n%s", out)
	}
	words := strings.Join(strings.Fields(out), " ")
	for _, col := range []string{"SEEN: ", "LABEL: ", "CATEGORY, SEVERITY: ", "TOP SOURCES: ", "FIRST, LAST: "} {
		if !strings.Contains(words, col) {
			t.Errorf("the legend does not explain %q:\n%s", col, out)
		}
	}
}

// hasRowPrefix reports whether a line of out starts with the fields of
// row.
func hasRowPrefix(out, row string) bool {
	want := strings.Join(strings.Fields(row), " ")
	for line := range strings.Lines(out) {
		if strings.HasPrefix(strings.Join(strings.Fields(line), " "), want) {
			return true
		}
	}
	return false
}

// TestSummaryNarrowTerminal: at every width, every line fits (unless a
// single address is wider); no address or number is cut, only whole
// columns are dropped, and a dropped column's legend goes with it.
func TestSummaryNarrowTerminal(t *testing.T) {
	s := New(Config{})
	observe(s, syntheticRecords()...)
	observe(s, rec{src: "2001:db8:1234:5678:9abc:def0:1234:5678", dst: "2001:db8:ffff:ffff:ffff:ffff:ffff:10",
		dport: 31337, proto: parsers.ProtoUDP, act: parsers.ActionPass, repeat: 12345})
	r := s.Report(annotate.Stats{Lines: 1234567})
	var plain bytes.Buffer
	if err := r.WriteText(&plain, Style{}); err != nil {
		t.Fatal(err)
	}
	// Every address and number of the plain report.
	var tokens []string
	for _, f := range strings.Fields(plain.String()) {
		f = strings.Trim(f, "(),;")
		if _, err := netip.ParseAddr(f); err == nil || strings.Trim(f, "0123456789") == "" && f != "" {
			tokens = append(tokens, f)
		}
	}
	for _, width := range []int{40, 50, 60, 80, 100, 132} {
		var b bytes.Buffer
		if err := r.WriteText(&b, Style{Terminal: true, Width: width}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		// Each table: a header of capitals, rows, then a legend whose
		// names must all be columns of the header above it.
		var header map[string]bool
		kept := map[string]bool{}
		legendName := regexp.MustCompile(`(?:^|; )([A-Z0-9/ ]+(?:, [A-Z0-9/ ]+)*): `)
		inLegend := false
		for line := range strings.Lines(out) {
			line = strings.TrimSuffix(line, "\n")
			if n := utf8.RuneCountInString(line); n > width && !strings.Contains(line, "2001:db8:ffff:ffff:ffff:ffff:ffff:10") {
				t.Errorf("width %d: line of %d: %q", width, n, line)
			}
			fields := strings.Fields(line)
			isHeader := len(fields) > 1 && strings.HasPrefix(line, "  ")
			for _, f := range fields {
				isHeader = isHeader && regexp.MustCompile(`^[A-Z0-9/]*[A-Z][A-Z0-9/]*$`).MatchString(f)
			}
			if isHeader {
				header = map[string]bool{}
				for _, f := range fields {
					header[f] = true
					kept[f] = true
				}
				inLegend = false
				continue
			}
			if header == nil {
				continue
			}
			if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && legendName.MatchString(strings.TrimSpace(line)) {
				inLegend = true
			} else if !strings.HasPrefix(line, "    ") {
				inLegend = false
			}
			if !inLegend {
				continue
			}
			for _, m := range legendName.FindAllStringSubmatch(strings.TrimSpace(line), -1) {
				for _, name := range strings.Split(m[1], ", ") {
					for _, word := range strings.Fields(name) {
						if !header[word] && word != "N" {
							t.Errorf("width %d: %s explained, not shown: %q", width, name, line)
						}
					}
				}
			}
		}
		for _, f := range strings.Fields(out) {
			f = strings.Trim(f, "(),;")
			if strings.HasSuffix(f, "…") && (strings.ContainsAny(f, ".:") || strings.Trim(f, "0123456789…") == "") {
				t.Errorf("width %d: cut %q", width, f)
			}
		}
		for _, tok := range tokens {
			if !strings.Contains(out, tok) && !strings.Contains(plain.String(), " "+tok+"T") {
				// A dropped column takes its numbers along; what is
				// left must not be a piece of one.
				for _, f := range strings.Fields(out) {
					if f != tok && len(f) > 2 && strings.HasPrefix(tok, f) && strings.Trim(f, "0123456789.:") == "" {
						t.Errorf("width %d: %q looks cut from %q", width, f, tok)
					}
				}
			}
		}
		if width <= 60 && kept["CLASS"] {
			t.Errorf("width %d kept CLASS", width)
		}
	}
}

// TestSummaryZones: times on a terminal carry their zone, in the zone of
// the log.
func TestSummaryZones(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	s := New(Config{})
	r := rec{dport: 23}.record()
	r.Time = time.Date(2026, time.November, 25, 11, 0, 0, 0, cet)
	look := annotate.LookupRecord(nil, &r)
	s.Observe(&r, &look)
	var b bytes.Buffer
	if err := s.Report(annotate.Stats{}).WriteText(&b, Style{Terminal: true, Width: 200}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "2026-11-25 11:00:00 CET"); n < 3 || strings.Contains(b.String(), "11:00:00 ") && n != strings.Count(b.String(), "11:00:00 ") {
		t.Errorf("%d times with their zone:\n%s", n, b.String())
	}
}
