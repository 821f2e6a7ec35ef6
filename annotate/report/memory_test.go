package report

import (
	"bufio"
	"bytes"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
)

// worstCaseEnv, set in a child process, makes TestMemoryWorstCase run
// the crafted input itself under an address-space limit.
const worstCaseEnv = "PORTNOTE_REPORT_WORST_CASE"

// worstCaseHeadroom is the address space the child may add to what it
// had mapped before the crafted input: the 64 MiB budget, what Go's
// collector lets the heap grow to past the live data (twice), and the
// runtime's arenas. The report before the budget took over 900 MB here.
const worstCaseHeadroom = 448 << 20

// TestMemoryWorstCase feeds the report the crafted log of issue 19,
// every port of every transport hit by 66 sources on 66 destinations
// (26 million records), in a child process whose address space is
// limited with setrlimit(RLIMIT_AS): exceeding it fails allocations and
// kills the child, however busy the machine is. The child checks that
// the memory counted stayed within the budget and that the report still
// says what it must.
func TestMemoryWorstCase(t *testing.T) {
	if os.Getenv(worstCaseEnv) != "" {
		worstCaseChild(t)
		return
	}
	if testing.Short() {
		t.Skip("26 million records")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryWorstCase$", "-test.v")
	cmd.Env = append(os.Environ(), worstCaseEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil {
		t.Fatalf("child under an address-space limit: %v", err)
	}
	if !bytes.Contains(out, []byte("--- PASS: TestMemoryWorstCase")) {
		t.Fatal("child did not pass")
	}
}

func worstCaseChild(t *testing.T) {
	base := vmSize(t)
	limit := base + worstCaseHeadroom
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: uint64(limit), Max: uint64(limit)}); err != nil {
		t.Fatal(err)
	}
	t.Logf("address space %d MiB mapped, limit %d MiB", base>>20, limit>>20)

	s := New(Config{})
	src := netip.MustParseAddr("198.51.100.0").As4()
	dst := netip.MustParseAddr("192.0.2.0").As4()
	r := parsers.Record{Format: parsers.FormatNetfilter, Action: parsers.ActionBlock, Direction: parsers.DirIn, HasPorts: true}
	protos := []parsers.Protocol{parsers.ProtoTCP, parsers.ProtoUDP, parsers.ProtoSCTP, parsers.ProtoDCCP, parsers.ProtoUDPLite, 0}
	start := time.Now()
	records := 0
	for _, proto := range protos {
		r.Proto, r.HasProto = proto, proto != 0
		for port := range 1 << 16 {
			r.DstPort = uint16(port)
			look := annotate.LookupRecord(nil, &r)
			for j := range 66 {
				src[3], dst[3] = byte(j), byte(j)
				r.Src, r.Dst = netip.AddrFrom4(src), netip.AddrFrom4(dst)
				r.Time = t0.Add(time.Duration(records) * time.Millisecond)
				s.Observe(&r, &look)
				records++
			}
		}
	}
	rep := s.Report(annotate.Stats{Lines: int64(records)})
	b := rep.Bounds
	t.Logf("%d records in %v: counted %d MiB, peak %d MiB; peak address space %d MiB, peak RSS %d MiB",
		records, time.Since(start).Round(time.Millisecond), b.MemoryUsed>>20, b.MemoryPeak>>20, vmPeak(t)>>20, procStatus(t, "VmHWM:")>>20)
	t.Logf("bounds %+v", b)
	if b.MemoryPeak > b.MemoryBudget {
		t.Errorf("peak %d bytes over the budget of %d", b.MemoryPeak, b.MemoryBudget)
	}
	if rep.PortsSeen != 6<<16 || rep.Records != int64(records) || len(rep.Scanners) != 66 {
		t.Errorf("%d ports seen, %d records, %d scanners", rep.PortsSeen, rep.Records, len(rep.Scanners))
	}
	for _, p := range rep.Ports {
		if p.Records != 66 {
			t.Errorf("port %+v", p)
		}
	}
	for _, sc := range rep.Scanners {
		if sc.Ports > int64(rep.PortsSeen) {
			t.Errorf("scanner %v hit %d of %d ports seen", sc.Source, sc.Ports, rep.PortsSeen)
		}
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text, Style{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "HyperLogLog precision") {
		t.Errorf("the coverage section does not say what gave way:\n%s", text.String())
	}
}

// vmSize and vmPeak read this process's mapped address space.
func vmSize(t *testing.T) int64 { return procStatus(t, "VmSize:") }
func vmPeak(t *testing.T) int64 { return procStatus(t, "VmPeak:") }

func procStatus(t *testing.T, key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", key)
	return 0
}
