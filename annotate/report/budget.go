package report

import (
	"cmp"
	"slices"
	"unsafe"
)

// ledger counts the bytes a Summary keeps: every table, slab, row page,
// tracked source and listed suspect charges what it allocates (Go maps
// at a flat estimate per entry), and reserves it first, which makes
// room (Summary.fit) when it would not fit in the limit.
type ledger struct {
	used, peak int64
	limit      int64
	room       func(n int64) // makes room for n more bytes if it can
	fitting    bool
	// retry is set when nothing more could give way: room is not tried
	// again before used passes it.
	retry int64
}

func (l *ledger) charge(n int64) {
	l.used += n
	l.peak = max(l.peak, l.used)
}

// margin is what fit keeps free for its own work: the sketches it
// allocates before it lets the exact values they replace go.
func (l *ledger) margin() int64 { return l.limit / 64 }

// reserve makes room for n bytes about to be allocated.
func (l *ledger) reserve(n int64) {
	if l.used+n+l.margin() <= l.limit || l.fitting || l.used < l.retry || l.room == nil {
		return
	}
	l.fitting = true
	l.room(n)
	l.fitting = false
}

// growth is what appending to s may allocate.
func growth[T any](s []T) int64 {
	if len(s) < cap(s) {
		return 0
	}
	var zero T
	return int64(max(4, cap(s)/4)) * int64(unsafe.Sizeof(zero))
}

// The shares of the budget with bounds of their own. The rest (at least
// a quarter of it in the worst case: 393,216 port rows) is for distinct
// counts and the sources of abused ports.
func trackMemory(budget int64) int64 { return budget * 3 / 16 } // 12 MiB of 64

// Nominal bytes of one exact value: a key of a set at a load of 2/3,
// and a key and count of the abused sources' table.
const (
	setKeyBytes   = 12
	countKeyBytes = 24
)

// candidate is an exact count that could become an estimate: keys bytes
// of exact values would give way to cost bytes of sketch (and, for an
// abused entry, of heavy-hitter counters).
type candidate struct {
	d          *distinct
	fam        *family // nil for an abused entry
	keys, cost int64
}

// fit makes room for n more bytes within the budget, with room to
// spare, by turning the largest exact counts into estimates, and halving
// the precision of every sketch when that is not enough. It runs
// rarely: each time it frees an eighth of the budget, or, when nothing
// more can give way, it is not tried again before a sixteenth more is
// used.
func (s *Summary) fit(n int64) {
	led := &s.led
	for led.used+n+led.margin() > led.limit {
		need := led.used + n - led.limit*7/8
		cands := s.candidates()
		var savings int64
		for _, c := range cands {
			savings += c.keys - c.cost
		}
		if savings < need && s.sk.p > minPrecision {
			s.sk.fold()
			continue
		}
		if len(cands) == 0 {
			led.retry = led.used + led.limit/16
			return
		}
		slices.SortFunc(cands, func(a, b candidate) int { return cmp.Compare(b.keys-b.cost, a.keys-a.cost) })
		var freed int64
		for _, c := range cands {
			if led.used+s.sk.allocBytes() > led.limit {
				// Let the values converted so far go before a new
				// sketch would pass the budget.
				s.release()
			}
			c.d.sketch = s.sk.alloc() + 1
			s.releasing = append(s.releasing, c.fam)
			if freed += c.keys - c.cost; freed >= need {
				break
			}
		}
		s.release()
	}
}

// release moves the values of the counts just given sketches out of
// their families' sets (nil stands for the abused entries' table).
func (s *Summary) release() {
	slices.SortFunc(s.releasing, func(a, b *family) int { return cmp.Compare(uintptr(unsafe.Pointer(a)), uintptr(unsafe.Pointer(b))) })
	for _, f := range slices.Compact(s.releasing) {
		if f != nil {
			f.release(&s.sk)
		} else {
			s.abused.release(&s.sk)
		}
	}
	s.releasing = s.releasing[:0]
}

// candidates returns the exact counts worth turning into estimates at
// the sketches' precision: those whose values take more than twice the
// memory of what would replace them.
func (s *Summary) candidates() []candidate {
	var cands []candidate
	sketch := int64(1) << s.sk.p
	consider := func(d *distinct, fam *family, keyBytes, cost int64) {
		if d.sketch == 0 && int64(d.n)*keyBytes > 2*cost {
			cands = append(cands, candidate{d: d, fam: fam, keys: int64(d.n) * keyBytes, cost: cost})
		}
	}
	s.eachRow(func(row *portRow) {
		consider(&row.sources, &s.sources, setKeyBytes, sketch)
		consider(&row.dests, &s.dests, setKeyBytes, sketch)
	})
	for i := range s.abused.entries {
		consider(&s.abused.entries[i].sources, nil, countKeyBytes, sketch+heavyBytes)
	}
	for _, es := range []*endpoints{&s.listen, &s.calls} {
		for i := range es.list {
			consider(&es.list[i].peers, &es.peers, setKeyBytes, sketch)
		}
	}
	for i := range s.scan.suspects {
		consider(&s.scan.suspects[i].ports, &s.scan.ports, setKeyBytes, sketch)
		consider(&s.scan.suspects[i].hosts, &s.scan.hosts, setKeyBytes, sketch)
	}
	return cands
}
