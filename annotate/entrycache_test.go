package annotate

import (
	"testing"

	"github.com/portnote/portnote/registry"
)

// TestEntryCache walks every port of two transports twice, so that each
// slot is filled, evicted by colliding entries and filled again, and
// checks that the cache always writes what rendering afresh writes.
func TestEntryCache(t *testing.T) {
	reg := registry.Default()
	var c entryCache
	for range 2 {
		for _, tr := range []registry.Transport{registry.TCP, registry.UDP} {
			for p := range 1 << 16 {
				e := reg.Lookup(uint16(p), tr)
				got := string(c.appendJSON(nil, &e))
				if want := string(appendEntryJSON(nil, &e)); got != want {
					t.Fatalf("%d/%v: cache wrote %s, want %s", p, tr, got, want)
				}
			}
		}
	}
}
