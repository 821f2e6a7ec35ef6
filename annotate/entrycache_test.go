package annotate

import (
	"testing"

	"github.com/portnote/portnote/registry"
)

// TestEntryCache walks every port of two transports twice in each output
// mode, so that each slot is filled, evicted by colliding entries and
// filled again, and checks that the cache always holds what rendering
// afresh writes.
func TestEntryCache(t *testing.T) {
	for _, render := range []func([]byte, *registry.Entry) ([]byte, int){appendEntryJSON, appendEntryText} {
		testEntryCache(t, render)
	}
}

func testEntryCache(t *testing.T, render func([]byte, *registry.Entry) ([]byte, int)) {
	reg := registry.Default()
	c := entryCache{render: render}
	for range 2 {
		for _, tr := range []registry.Transport{registry.TCP, registry.UDP} {
			for p := range 1 << 16 {
				e := reg.Lookup(uint16(p), tr)
				if !cacheable(&e) {
					continue
				}
				first, second := c.rendering(&e)
				out, mid := render(nil, &e)
				if string(first) != string(out[:mid]) || string(second) != string(out[mid:]) {
					t.Fatalf("%d/%v: cache has %q %q, want %q %q", p, tr, first, second, out[:mid], out[mid:])
				}
			}
		}
	}
}
