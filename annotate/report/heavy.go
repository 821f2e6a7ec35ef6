package report

import (
	"cmp"
	"net/netip"
	"slices"
	"unsafe"
)

// heavyHitters keeps the heaviest sources of a stream in heavyCounters
// counters with the space-saving algorithm (Metwally, Agrawal and El
// Abbadi, 2005): a source without a counter takes the one with the
// smallest count and adds to it. Every source that sent more than
// 1/heavyCounters of the records has a counter; a counter's count
// exceeds its source's records by at most its err; a source without a
// counter sent at most the smallest count. Counters stay in place; a
// min-heap of their indices finds the smallest, so a record costs
// O(log n) and at most three map operations.
type heavyHitters struct {
	counters []heavyCounter
	heap     []int32 // indices of counters, smallest count first
	pos      []int32 // pos[i] is counter i's place in heap
	index    map[netip.Addr]int32
}

// heavyCounter is a space-saving counter: count records since the
// counter was taken, of which at most err belonged to the sources it
// was taken from. The source sent between count-err and count records.
type heavyCounter struct {
	addr       netip.Addr
	count, err int64
}

// heavyCounters is how many sources an abused entry keeps once its
// sources are estimated; heavyBytes is what they cost.
const (
	heavyCounters = 256
	heavyBytes    = heavyCounters * (int64(unsafe.Sizeof(heavyCounter{})) + 8 + mapEntryBytes)
)

// newHeavyHitters starts from exact counts, at most heavyCounters.
func newHeavyHitters(exact []heavyCounter) *heavyHitters {
	h := &heavyHitters{
		counters: make([]heavyCounter, 0, heavyCounters),
		heap:     make([]int32, 0, heavyCounters),
		pos:      make([]int32, 0, heavyCounters),
		index:    make(map[netip.Addr]int32, heavyCounters),
	}
	for _, c := range exact {
		h.push(c)
	}
	return h
}

func (h *heavyHitters) push(c heavyCounter) {
	i := int32(len(h.counters))
	h.counters = append(h.counters, c)
	h.heap = append(h.heap, i)
	h.pos = append(h.pos, i)
	h.index[c.addr] = i
	h.up(int(i))
}

// add counts one record from src.
func (h *heavyHitters) add(src netip.Addr) {
	if i, ok := h.index[src]; ok {
		h.counters[i].count++
		h.down(int(h.pos[i]))
		return
	}
	if len(h.counters) < heavyCounters {
		h.push(heavyCounter{addr: src, count: 1})
		return
	}
	i := h.heap[0]
	low := &h.counters[i]
	delete(h.index, low.addr)
	*low = heavyCounter{addr: src, count: low.count + 1, err: low.count}
	h.index[src] = i
	h.down(0)
}

// unwatched is the most records a source without a counter can have
// sent.
func (h *heavyHitters) unwatched() int64 {
	if len(h.counters) < heavyCounters {
		return 0
	}
	return h.counters[h.heap[0]].count
}

func (h *heavyHitters) less(a, b int) bool {
	return h.counters[h.heap[a]].count < h.counters[h.heap[b]].count
}

func (h *heavyHitters) swap(a, b int) {
	h.heap[a], h.heap[b] = h.heap[b], h.heap[a]
	h.pos[h.heap[a]], h.pos[h.heap[b]] = int32(a), int32(b)
}

func (h *heavyHitters) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			return
		}
		h.swap(i, parent)
		i = parent
	}
}

func (h *heavyHitters) down(i int) {
	for {
		low := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h.heap) && h.less(c, low) {
				low = c
			}
		}
		if low == i {
			return
		}
		h.swap(i, low)
		i = low
	}
}

// topK keeps the k heaviest of the sources offered, lightest at the
// root of a heap, in O(log k) an offer.
type topK struct {
	k    int
	heap []heavyCounter
}

func (t *topK) offer(c heavyCounter) {
	// lighter reports whether heap[i] sorts after heap[j].
	lighter := func(i, j int) bool { return compareHeavy(t.heap[i], t.heap[j]) > 0 }
	i := 0
	switch {
	case len(t.heap) < t.k:
		t.heap = append(t.heap, c)
		for i = len(t.heap) - 1; i > 0 && lighter(i, (i-1)/2); i = (i - 1) / 2 {
			t.heap[i], t.heap[(i-1)/2] = t.heap[(i-1)/2], t.heap[i]
		}
		return
	case compareHeavy(c, t.heap[0]) < 0:
		t.heap[0] = c
	default:
		return
	}
	for {
		low := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(t.heap) && lighter(c, low) {
				low = c
			}
		}
		if low == i {
			return
		}
		t.heap[i], t.heap[low] = t.heap[low], t.heap[i]
		i = low
	}
}

// sorted returns the sources kept, heaviest first.
func (t *topK) sorted() []heavyCounter {
	s := slices.Clone(t.heap)
	slices.SortFunc(s, compareHeavy)
	return s
}

// compareHeavy orders sources by count, heaviest first, then address.
func compareHeavy(a, b heavyCounter) int {
	return cmp.Or(cmp.Compare(b.count, a.count), a.addr.Compare(b.addr))
}

// certainlyHeaviest names, heaviest first, the sources that are
// certainly the heaviest: no source not named before one can have sent
// more than it certainly did (count - err), whether that source has a
// counter (its count) or not (unwatched). At most topListed.
func (h *heavyHitters) certainlyHeaviest() []SourceCount {
	cs := slices.Clone(h.counters)
	slices.SortFunc(cs, compareHeavy)
	named := []SourceCount{}
	for i, c := range cs[:min(len(cs), topListed)] {
		rival := h.unwatched()
		if i+1 < len(cs) {
			rival = max(rival, cs[i+1].count)
		}
		if c.count-c.err < rival {
			break
		}
		if c.err == 0 {
			named = append(named, SourceCount{Source: c.addr, Records: c.count})
		} else {
			named = append(named, SourceCount{Source: c.addr, RecordsMin: c.count - c.err, RecordsMax: c.count})
		}
	}
	return named
}
