package main

import (
	"runtime"
	"strings"
	"testing"

	"github.com/portnote/portnote/registry"
)

// heapWatcher is a writer that samples the live heap now and then while
// output arrives, and keeps the largest sample.
type heapWatcher struct {
	writes, lines int
	peak          uint64
}

func (h *heapWatcher) Write(p []byte) (int, error) {
	h.lines += strings.Count(string(p), "\n")
	if h.writes++; h.writes%64 == 1 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.peak = max(h.peak, m.HeapAlloc)
	}
	return len(p), nil
}

// TestLookupMemory: --lookup keeps nothing from one entry to the next,
// so that every port eight times over costs no more than a few.
func TestLookupMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("looks every port up eight times")
	}
	all := make([]registry.PortRange, 8)
	for i := range all {
		all[i] = registry.PortRange{Low: 0, High: 65535}
	}
	for _, asJSON := range []bool{false, true} {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h := &heapWatcher{peak: m.HeapAlloc}
		if err := lookup(h, registry.Default(), all, asJSON, false); err != nil {
			t.Fatal(err)
		}
		if h.lines < 8*65536 {
			t.Fatalf("json %v: %d lines of output", asJSON, h.lines)
		}
		if grew := h.peak - m.HeapAlloc; grew > 32<<20 {
			t.Errorf("json %v: the heap grew by %d MiB while writing", asJSON, grew>>20)
		}
	}
}
