package annotate

import (
	"testing"

	"github.com/portnote/portnote/parsers"
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

// TestNoteCache checks that a worker that writes from its notes writes
// what looking each record up and writing the lookup does, in text (in
// colour) and JSON, on every port of every protocol with ports, twice
// over (so that slots are filled, evicted and filled again), for records
// from an ordinary port and from reflectors of each weight.
func TestNoteCache(t *testing.T) {
	colors := Colors{
		Annotation: []byte("<note>"),
		Severity:   [registry.High + 1][]byte{[]byte("<?>"), []byte("<info>"), []byte("<low>"), []byte("<medium>"), []byte("<high>")},
		Reset:      []byte("</>"),
	}
	for name, out := range map[string]Output{"text": Text, "json": JSON} {
		t.Run(name, func(t *testing.T) {
			w := New(Config{Output: out, Colors: colors}).newWorker(&Stats{}, nil)
			if !w.bare {
				t.Fatal("a worker for plain output does not write from its notes")
			}
			testNotes(t, w)
		})
	}
}

func testNotes(t *testing.T, w *lineWorker) {
	// 40000 reflects nothing; 6881 (BitTorrent DHT) is a reflector too
	// weak to flag; 11211 (memcached) is flagged.
	srcPorts := []uint16{40000, 6881, 11211}
	protos := []parsers.Protocol{parsers.ProtoTCP, parsers.ProtoUDP, parsers.ProtoUDPLite, parsers.ProtoSCTP, parsers.ProtoDCCP}
	var got, want []byte
	for range 2 {
		for _, proto := range protos {
			for p := range 1 << 16 {
				for _, sp := range srcPorts {
					w.rec = parsers.Record{Format: parsers.FormatNetfilter, Proto: proto, HasProto: true,
						HasPorts: true, SrcPort: sp, DstPort: uint16(p)}
					got = w.appendNote(got[:0])
					w.lookup()
					want = w.appendLookup(want[:0])
					if string(got) != string(want) {
						t.Fatalf("%d/%v from %d: notes say %q, want %q", p, proto, sp, got, want)
					}
				}
			}
		}
	}
}
