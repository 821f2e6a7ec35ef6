package parsers

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
)

// The appliance families (FortiGate, PAN-OS, SonicWall, Sophos) fill more
// of a Record than the packet logs do: rule ids, sessions, counters, NAT.
// Their tests say what they expect as an appliance, every field a value
// that compares with ==.

// vendorRecord is what an appliance family fills in a Record. Addresses are
// strings ("" for none), Proto is -1 when unknown, DstPort -1 when the
// record has no ports.
type vendorRecord struct {
	Format                           Format
	Action                           Action
	Direction                        Direction
	InIface, OutIface, Label, RuleID string
	Session                          string
	Src, Dst                         string
	Proto                            int
	SrcPort, DstPort                 int
	Bytes, Packets                   uint64
	SrcNAT, DstNAT                   string
	SrcNATPort, DstNATPort           uint16
}

func vendorRecordOf(r *Record) vendorRecord {
	a := vendorRecord{
		Format: r.Format, Action: r.Action, Direction: r.Direction,
		InIface: string(r.InIface), OutIface: string(r.OutIface), Label: string(r.Label),
		RuleID: string(r.RuleID), Session: string(r.Session),
		Proto: -1, SrcPort: -1, DstPort: -1,
		Bytes: r.Bytes, Packets: r.Packets,
		SrcNATPort: r.SrcNATPort, DstNATPort: r.DstNATPort,
	}
	addr := func(x netip.Addr) string {
		if !x.IsValid() {
			return ""
		}
		return x.String()
	}
	a.Src, a.Dst, a.SrcNAT, a.DstNAT = addr(r.Src), addr(r.Dst), addr(r.SrcNAT), addr(r.DstNAT)
	if r.HasProto {
		a.Proto = int(r.Proto)
	}
	if r.HasPorts {
		a.SrcPort, a.DstPort = int(r.SrcPort), int(r.DstPort)
	}
	return a
}

// vendorCase is a whole line, envelope included, and what it holds.
type vendorCase struct {
	name string
	line string
	want vendorRecord
	host string // Record.Host from the envelope
}

func testVendorRecords(t *testing.T, cases []vendorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range []*Parser{testParser(FormatUnknown), testParser(tc.want.Format)} {
				var r Record
				if err := p.Parse([]byte(tc.line), &r); err != nil {
					t.Fatalf("Parse (format %v): %v", p.Format, err)
				}
				if got := vendorRecordOf(&r); got != tc.want {
					t.Errorf("got  %+v\nwant %+v", got, tc.want)
				}
				if string(r.Host) != tc.host {
					t.Errorf("Host = %q, want %q", r.Host, tc.host)
				}
			}
			// Plain text mode finds the same packet.
			var r Record
			bare := Parser{NoTime: true, NoAction: true, NoEnvelope: true}
			if err := bare.Parse([]byte(tc.line), &r); err != nil {
				t.Fatalf("Parse (NoEnvelope): %v", err)
			}
			if got := vendorRecordOf(&r); got.DstPort != tc.want.DstPort || got.Proto != tc.want.Proto || got.Format != tc.want.Format {
				t.Errorf("NoEnvelope: got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// testPassThrough checks that lines of a family that are no traffic
// record pass as no record at all, not as broken ones, in JSON mode and
// in plain text mode alike.
func testPassThrough(t *testing.T, lines []string) {
	t.Helper()
	for _, line := range lines {
		for _, p := range []*Parser{testParser(FormatUnknown), {NoTime: true, NoAction: true, NoEnvelope: true}} {
			var r Record
			if err := p.Parse([]byte(line), &r); err != ErrNotRecord {
				t.Errorf("Parse = %v (%v), want ErrNotRecord: %q", err, vendorRecordOf(&r), line)
			}
		}
	}
}

// packetOnlyUnderNoEnvelope reports whether a family reads only the
// packet under NoEnvelope, as Parser.NoEnvelope says the appliance
// families do.
func packetOnlyUnderNoEnvelope(f Format) bool {
	switch f {
	case FormatFortigate, FormatPanos, FormatSonicwall, FormatSophos:
		return true
	}
	return false
}

// applianceExampleLines returns the lines of the appliance families'
// tests and example logs, records or not, for the fast-path checks.
func applianceExampleLines() []string {
	var lines []string
	for _, cases := range [][]vendorCase{fortigateCases, panosCases, sonicwallCases, sophosCases} {
		for _, tc := range cases {
			lines = append(lines, tc.line)
		}
	}
	for _, more := range [][]string{fortigateNotRecords, panosNotRecords, sonicwallNotRecords, sophosNotRecords} {
		lines = append(lines, more...)
	}
	for _, f := range []Format{FormatFortigate, FormatPanos, FormatSonicwall, FormatSophos} {
		data, err := os.ReadFile(filepath.Join("..", "examples", f.String()+".log"))
		if err != nil {
			continue // a family whose example is not written yet
		}
		for l := range bytes.Lines(data) {
			lines = append(lines, string(bytes.TrimSuffix(l, []byte("\n"))))
		}
	}
	return lines
}

// vendorRecordCases returns the cases as recordCases, for the helpers
// that take those (testNoAllocs, addSeeds).
func vendorRecordCases(cases []vendorCase) []recordCase {
	rc := make([]recordCase, len(cases))
	for i, tc := range cases {
		rc[i] = recordCase{name: tc.name, line: tc.line}
	}
	return rc
}

// benchFamily measures Parse as plain text mode runs it (NoTime,
// NoAction, NoEnvelope) over the records of a family's example log,
// examples/<family>.log, all of them per iteration: for comparison
// with BenchmarkCorpusMix/netfilter in the same run.
func benchFamily(b *testing.B, f Format) {
	data, err := os.ReadFile(filepath.Join("..", "examples", f.String()+".log"))
	if err != nil {
		b.Fatal(err)
	}
	p := Parser{NoTime: true, NoAction: true, NoEnvelope: true}
	var r Record
	var lines [][]byte
	n := 0
	for l := range bytes.Lines(data) {
		l = bytes.TrimSuffix(l, []byte("\n"))
		if p.Parse(l, &r) == nil && r.Format == f {
			lines = append(lines, l)
			n += len(l)
		}
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			benchErr = p.Parse(l, &r)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
}
