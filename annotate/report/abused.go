package report

import (
	"net/netip"
	"unsafe"

	"github.com/portnote/portnote/registry"
)

// Abused ports are reported per catalogue entry (or site rule) and
// transport: MyDoom's 3127-3198/tcp is one entry however many of its
// ports are hit. Each entry counts its sources exactly, with how many
// records each sent, while the budget allows: the keys of one table
// shared by all entries. An entry whose sources are estimated keeps its
// heaviest sources with the space-saving algorithm (Metwally, Agrawal
// and El Abbadi, 2005), seeded with the exact counts it had.
type abusedEntries struct {
	entries []abusedEntry
	byKey   map[entryKey]int32
	counts  keyTable[int64]    // entry id << valueBits | addrValue(source) -> records
	v6      keyTable[[16]byte] // the same keys, for IPv6 sources: the address
	led     *ledger
}

type entryKey struct {
	abuse *registry.Abuse
	slot  uint8
}

type abusedEntry struct {
	entryKey
	sources distinct      // exact: the keys of counts with its id
	heavy   *heavyHitters // once sources is an estimate
}

const mapEntryBytes = 64 // charged for each entry of a Go map

func newAbusedEntries(led *ledger) abusedEntries {
	return abusedEntries{
		byKey:  make(map[entryKey]int32),
		counts: keyTable[int64]{led: led},
		v6:     keyTable[[16]byte]{led: led},
		led:    led,
	}
}

// entry returns the id of the entry of ab in slot, creating it.
func (a *abusedEntries) entry(ab *registry.Abuse, slot int) int32 {
	k := entryKey{ab, uint8(slot)}
	if id, ok := a.byKey[k]; ok {
		return id
	}
	id := int32(len(a.entries))
	if id > maxID {
		// More entries than ids: only a registry of a million site
		// rules gets here. Count the rest under the last.
		return id - 1
	}
	a.led.reserve(growth(a.entries) + mapEntryBytes)
	old := cap(a.entries)
	a.entries = append(a.entries, abusedEntry{entryKey: k})
	a.led.charge(int64(cap(a.entries)-old)*int64(unsafe.Sizeof(abusedEntry{})) + mapEntryBytes)
	a.byKey[k] = id
	return id
}

// add counts a record from src (whose addrValue is v) to entry id.
func (a *abusedEntries) add(id int32, src netip.Addr, v uint64, sk *sketches) {
	e := &a.entries[id]
	if e.sources.sketch == 0 {
		a.counts.makeRoom()
		a.v6.makeRoom()
	}
	if e.sources.sketch != 0 {
		sk.add(e.sources.sketch-1, mix64(v))
		e.heavy.add(src)
		return
	}
	k := uint64(id)<<valueBits | v
	n, added := a.counts.get(k)
	*n++
	if added {
		e.sources.n++
		if !src.Is4() {
			b, _ := a.v6.get(k)
			*b = src.As16()
		}
	}
}

// release moves the sources of entries that were just given a sketch
// out of the exact table: into the sketch, and the heaviest into the
// entry's counters with their exact counts.
func (a *abusedEntries) release(sk *sketches) {
	leaving := map[int32]*topK{}
	a.counts.filter(func(k uint64, n *int64) bool {
		id := int32(k >> valueBits)
		e := &a.entries[id]
		if e.sources.sketch == 0 || e.heavy != nil {
			return true
		}
		sk.add(e.sources.sketch-1, mix64(k&valueMask))
		top := leaving[id]
		if top == nil {
			top = &topK{k: heavyCounters}
			leaving[id] = top
		}
		top.offer(heavyCounter{addr: a.addr(k), count: *n})
		return false
	})
	a.v6.filter(func(k uint64, _ *[16]byte) bool {
		e := &a.entries[k>>valueBits]
		return e.sources.sketch == 0
	})
	for id, top := range leaving {
		a.led.reserve(heavyBytes)
		a.entries[id].heavy = newHeavyHitters(top.heap)
		a.led.charge(heavyBytes)
	}
}

// addr returns the source address of a key of counts.
func (a *abusedEntries) addr(k uint64) netip.Addr {
	if ip, ok := addrOfValue(k & valueMask); ok {
		return ip
	}
	b, _ := a.v6.find(k)
	return netip.AddrFrom16(*b)
}

// topExact returns the k heaviest sources of every entry counted
// exactly, heaviest first (ties by address), in one pass over the
// table of all entries' sources.
func (a *abusedEntries) topExact(k int) map[int32][]heavyCounter {
	tops := map[int32]*topK{}
	a.counts.each(func(key uint64, n *int64) {
		id := int32(key >> valueBits)
		top := tops[id]
		if top == nil {
			top = &topK{k: k}
			tops[id] = top
		}
		top.offer(heavyCounter{addr: a.addr(key), count: *n})
	})
	sorted := make(map[int32][]heavyCounter, len(tops))
	for id, top := range tops {
		sorted[id] = top.sorted()
	}
	return sorted
}
