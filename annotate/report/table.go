package report

import (
	"math/bits"
	"unsafe"
)

// keyTable is an open-addressing hash table from non-zero 64-bit keys to
// values of type V, with linear probing from a mixed key. It is how the
// report keeps exact sets and counts compactly: 8 bytes a slot for a set
// (V = struct{}), 16 for a count, with no per-entry allocation, and its
// memory is charged to the report's ledger as it grows. Its size need
// not be a power of two (a probe starts at the mixed key scaled to the
// size), so that letting keys go frees memory in proportion.
type keyTable[V any] struct {
	slots []slot[V]
	n     int
	led   *ledger
}

// slot puts the value first: a zero-size last field would be padded
// (so that its address stays inside the slot), doubling a set's slots.
type slot[V any] struct {
	val V
	key uint64 // 0: empty
}

// A table grows (doubles) past a load of 3/4, and is rebuilt at a load
// of 2/3 when keys leave it: about 12 bytes a key for a set.
func (t *keyTable[V]) full() bool { return 4*(t.n+1) > 3*len(t.slots) }

func (t *keyTable[V]) grownSize() int { return max(16, 2*len(t.slots)) }

// makeRoom asks the ledger for the memory the next insertion may take,
// which may run Summary.fit: callers do it before they look at state
// that fit may change. Growing holds the old slots and the new ones at
// once, so the whole new table must fit.
func (t *keyTable[V]) makeRoom() {
	if t.full() {
		t.led.reserve(t.slotBytes() * int64(t.grownSize()))
	}
}

// start is where key k's probe starts.
func (t *keyTable[V]) start(k uint64) int {
	hi, _ := bits.Mul64(mix64(k), uint64(len(t.slots)))
	return int(hi)
}

// get returns the value of key k, inserting a zero value if k is new,
// and whether it was new. The pointer is valid until the next insertion.
func (t *keyTable[V]) get(k uint64) (*V, bool) {
	if t.full() {
		t.resize(t.grownSize())
	}
	for i := t.start(k); ; {
		s := &t.slots[i]
		if s.key == k {
			return &s.val, false
		}
		if s.key == 0 {
			s.key = k
			t.n++
			return &s.val, true
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

// find returns the value of key k, or false when k is absent.
func (t *keyTable[V]) find(k uint64) (*V, bool) {
	if len(t.slots) == 0 {
		return nil, false
	}
	for i := t.start(k); ; {
		s := &t.slots[i]
		if s.key == k {
			return &s.val, true
		}
		if s.key == 0 {
			return nil, false
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

// insert adds k and reports whether it was new.
func (t *keyTable[V]) insert(k uint64) bool {
	_, added := t.get(k)
	return added
}

// resize moves every entry into a table of size slots.
func (t *keyTable[V]) resize(size int) {
	old := t.slots
	t.slots = make([]slot[V], size)
	t.led.charge(t.slotBytes() * int64(size-len(old)))
	for _, s := range old {
		if s.key != 0 {
			t.place(s)
		}
	}
}

// place puts an entry whose key is not in the table yet.
func (t *keyTable[V]) place(s slot[V]) {
	i := t.start(s.key)
	for t.slots[i].key != 0 {
		if i++; i == len(t.slots) {
			i = 0
		}
	}
	t.slots[i] = s
}

// filter keeps the entries for which keep returns true, in a table
// sized for them: how exact counts leave for sketches.
func (t *keyTable[V]) filter(keep func(k uint64, v *V) bool) {
	n := 0
	for i := range t.slots {
		if t.slots[i].key != 0 {
			if keep(t.slots[i].key, &t.slots[i].val) {
				n++
			} else {
				t.slots[i].key = 0
			}
		}
	}
	t.n = n
	t.resize(max(16, n*3/2))
}

// each calls f for every entry.
func (t *keyTable[V]) each(f func(k uint64, v *V)) {
	for i := range t.slots {
		if t.slots[i].key != 0 {
			f(t.slots[i].key, &t.slots[i].val)
		}
	}
}

func (t *keyTable[V]) slotBytes() int64 { return int64(unsafe.Sizeof(slot[V]{})) }
