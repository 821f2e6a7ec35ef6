package report

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
)

// TestSummaryGenerated checks the report of a generated mixed log
// against counts it does not make itself: the generator's truth for the
// records of every destination port, and, for sources, destinations and
// the heaviest sources of abused entries, maps filled from the same
// records. Within the budget every one of them must be exact.
func TestSummaryGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and reads 200,000 lines")
	}
	dir := t.TempDir()
	truthFile := filepath.Join(dir, "truth.tsv")
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to run the generator: %v", err)
	}
	gen := exec.Command(goBin, "run", "../../cmd/portnote-gen",
		"-n", "200000", "-seed", "1", "-truth", truthFile)
	gen.Stderr = os.Stderr
	log, err := gen.Output()
	if err != nil {
		t.Fatalf("portnote-gen: %v", err)
	}

	s := New(Config{Top: -1})
	o := newOracle()
	a := annotate.New(annotate.Config{Observer: observers{s, o}, Discard: true, Now: testNow})
	if err := a.Run(context.Background(), bytes.NewReader(log), nil); err != nil {
		t.Fatal(err)
	}
	rep := s.Report(a.Stats())

	truth := readTruth(t, truthFile)
	if rep.PortsSeen != len(truth) || len(rep.Ports) != len(truth) {
		t.Errorf("%d ports seen, %d listed; the generator wrote %d", rep.PortsSeen, len(rep.Ports), len(truth))
	}
	for _, p := range rep.Ports {
		name := portName(p.Port, p.Transport)
		want := o.ports[name]
		if p.Records != truth[name] || p.Sources != int64(len(want.sources)) || p.Destinations != int64(len(want.dests)) ||
			p.SourcesEstimated || p.DestinationsEstimated {
			t.Errorf("%s: %d records, %d sources, %d destinations (estimated %v %v); truth %d records, %d sources, %d destinations",
				name, p.Records, p.Sources, p.Destinations, p.SourcesEstimated, p.DestinationsEstimated,
				truth[name], len(want.sources), len(want.dests))
		}
	}

	if len(rep.Abused) != len(o.abused) {
		t.Errorf("%d abused entries, want %d", len(rep.Abused), len(o.abused))
	}
	for _, e := range rep.Abused {
		key := portName(e.Port, e.Transport) + " " + e.Label
		want := o.abused[key]
		top := want.top(topListed)
		if !e.TopSourcesExact || e.Sources != int64(len(want)) || !equalJSON(t, e.TopSources, top) {
			t.Errorf("%s: %d sources, top %+v (exact %v); want %d sources, top %+v", key, e.Sources, e.TopSources,
				e.TopSourcesExact, len(want), top)
		}
	}
	t.Logf("%d records, %d ports, %d abused entries; memory %d KiB", rep.Records, rep.PortsSeen, len(rep.Abused), rep.Bounds.MemoryPeak>>10)
}

// readTruth counts the generator's records by "PORT/TRANSPORT", "?" for
// a transport the line does not reveal.
func readTruth(t *testing.T, name string) map[string]int64 {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		port, proto, _ := strings.Cut(sc.Text(), "\t")
		if port == "" {
			continue
		}
		counts[port+"/"+cmp.Or(proto, "?")]++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return counts
}

// oracle counts with maps what the Summary counts with tables and
// sketches.
type oracle struct {
	ports  map[string]*oraclePort
	abused map[string]sourceCounts // by first port, transport and label
}

type oraclePort struct{ sources, dests map[netip.Addr]bool }

type sourceCounts map[netip.Addr]int64

func newOracle() *oracle {
	return &oracle{ports: map[string]*oraclePort{}, abused: map[string]sourceCounts{}}
}

func (o *oracle) Observe(r *parsers.Record, l *annotate.Lookup) {
	slot, ok := portSlot(r)
	if !r.HasPorts || !ok {
		return
	}
	name := portName(r.DstPort, slotNames[slot])
	p := o.ports[name]
	if p == nil {
		p = &oraclePort{sources: map[netip.Addr]bool{}, dests: map[netip.Addr]bool{}}
		o.ports[name] = p
	}
	src, dst := r.Src.Unmap(), r.Dst.Unmap()
	if src.IsValid() {
		p.sources[src] = true
	}
	if dst.IsValid() {
		p.dests[dst] = true
	}
	if ab := l.Dest.Abuse; ab != nil {
		key := portName(ab.Low, slotNames[slot]) + " " + ab.Label
		if o.abused[key] == nil {
			o.abused[key] = sourceCounts{}
		}
		if src.IsValid() {
			o.abused[key][src]++
		}
	}
}

// top returns the n heaviest sources, ties by address.
func (c sourceCounts) top(n int) []SourceCount {
	all := []SourceCount{}
	for a, k := range c {
		all = append(all, SourceCount{Source: a, Records: k})
	}
	slices.SortFunc(all, func(a, b SourceCount) int {
		return cmp.Or(cmp.Compare(b.Records, a.Records), a.Source.Compare(b.Source))
	})
	return all[:min(n, len(all))]
}

// observers passes each record to several observers.
type observers []annotate.Observer

func (os observers) Observe(r *parsers.Record, l *annotate.Lookup) {
	for _, o := range os {
		o.Observe(r, l)
	}
}
