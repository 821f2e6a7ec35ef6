package report

import (
	"slices"
	"unsafe"
)

// window holds the ports one source hit within the scan window of log
// time, in time order, and how many distinct ports are live in it. Each
// hit costs amortised constant time whatever the threshold: expired hits
// leave from the front, a repeated port's older hit stays behind as a
// dead entry until it expires or the window is compacted, and from
// smallWindow distinct ports on a map finds a port's latest hit.
//
// Time within a window does not go back: a record up to one window
// older than the window's newest hit counts as of that newest hit (logs
// merged from several hosts are a little out of order); one older than
// that starts the window over (logs concatenated out of order), so that
// ports from another time do not add up.
type window struct {
	hits    []portHit
	head    int32
	live    int32
	mapPeak int32            // largest len(latest) so far, for its memory
	latest  map[uint64]int64 // key -> time of its latest hit; nil while small
	// groups counts the live keys of each group (the bits of a key
	// above valueBits) in a window of hitGrouped (grouped), once latest
	// is; groupPeak is its largest size so far.
	groups    map[uint32]int32
	groupPeak int32
	grouped   bool
}

// portHit is a hit on a key (a portID, or a portID and a host) at a log
// time.
type portHit struct {
	at  int64
	key uint64
}

const smallWindow = 16

// hitGrouped is hit for a window that also counts the live keys of each
// group: it returns the live keys and those of key's group. Past
// maxLive live keys the oldest hits go first, so that a source hitting
// many ports on a few hosts each keeps a bounded window. Groups are
// counted in a map only from smallWindow live keys on; below, by
// looking.
func (w *window) hitGrouped(work *int64, key uint64, clock, span int64, maxLive int) (live, group int) {
	w.grouped = true
	live = w.hit(work, key, clock, span)
	for live > maxLive && int(w.head) < len(w.hits) {
		w.drop(work)
		live = int(w.live)
	}
	g := uint32(key >> valueBits)
	if w.groups != nil {
		return live, int(w.groups[g])
	}
	// Small: at most smallWindow live keys, each latest at its last hit.
	var seen [smallWindow]uint64
	n := 0
	for i := len(w.hits) - 1; i >= int(w.head); i-- {
		*work++
		k := w.hits[i].key
		if uint32(k>>valueBits) != g || slices.Contains(seen[:n], k) {
			continue
		}
		if n == len(seen) {
			break
		}
		seen[n] = k
		n++
	}
	return live, n
}

// gone and came keep the groups of a grouped window.
func (w *window) gone(key uint64) {
	if w.groups != nil {
		g := uint32(key >> valueBits)
		if w.groups[g]--; w.groups[g] <= 0 {
			delete(w.groups, g)
		}
	}
}

func (w *window) came(key uint64) {
	if w.groups != nil {
		w.groups[uint32(key>>valueBits)]++
		w.groupPeak = max(w.groupPeak, int32(len(w.groups)))
	}
}

// hit records a hit on key at clock and returns the live keys.
func (w *window) hit(work *int64, key uint64, clock, span int64) int {
	if n := len(w.hits); n > int(w.head) {
		newest := w.hits[n-1].at
		if clock < newest-span {
			w.clear()
		} else {
			clock = max(clock, newest)
		}
	}
	for int(w.head) < len(w.hits) && clock-w.hits[w.head].at > span {
		w.drop(work)
	}
	if at, ok := w.latestOf(work, key); ok {
		if at == clock {
			return int(w.live)
		}
	} else {
		w.live++
		w.came(key)
	}
	w.hits = append(w.hits, portHit{at: clock, key: key})
	switch {
	case w.latest != nil:
		w.latest[key] = clock
		w.mapPeak = max(w.mapPeak, int32(len(w.latest)))
	case w.live > smallWindow:
		w.latest = make(map[uint64]int64, 2*w.live)
		for _, h := range w.hits[w.head:] {
			*work++
			w.latest[h.key] = h.at
		}
		w.mapPeak = int32(len(w.latest))
		if w.grouped {
			w.groups = make(map[uint32]int32)
			for k := range w.latest {
				w.came(k)
			}
		}
	}
	if dead := int32(len(w.hits)) - w.live; dead > w.live+smallWindow {
		w.compact(work)
	}
	return int(w.live)
}

// drop lets the oldest hit go.
func (w *window) drop(work *int64) {
	*work++
	h := w.hits[w.head]
	w.head++
	if w.isLatest(work, h, int(w.head)) {
		w.live--
		w.gone(h.key)
		if w.latest != nil {
			delete(w.latest, h.key)
		}
	}
}

// isLatest reports whether h, which was at hits[next-1], is its port's
// latest hit.
func (w *window) isLatest(work *int64, h portHit, next int) bool {
	if w.latest != nil {
		return w.latest[h.key] == h.at
	}
	for _, later := range w.hits[next:] {
		*work++
		if later.key == h.key {
			return false
		}
	}
	return true
}

// latestOf returns the time of key's latest live hit.
func (w *window) latestOf(work *int64, key uint64) (int64, bool) {
	if w.latest != nil {
		at, ok := w.latest[key]
		return at, ok
	}
	for i := len(w.hits) - 1; i >= int(w.head); i-- {
		*work++
		if w.hits[i].key == key {
			return w.hits[i].at, true
		}
	}
	return 0, false
}

// compact drops expired and dead hits, in place.
func (w *window) compact(work *int64) {
	n := 0
	for i := int(w.head); i < len(w.hits); i++ {
		*work++
		if h := w.hits[i]; w.isLatest(work, h, i+1) {
			w.hits[n] = h
			n++
		}
	}
	w.hits = w.hits[:n]
	w.head = 0
}

// each calls f for every live port.
func (w *window) each(work *int64, f func(key uint64)) {
	for i := int(w.head); i < len(w.hits); i++ {
		if h := w.hits[i]; w.isLatest(work, h, i+1) {
			f(h.key)
		}
	}
}

// clear empties the window, keeping its memory.
func (w *window) clear() {
	w.hits, w.head, w.live = w.hits[:0], 0, 0
	if w.latest != nil {
		clear(w.latest)
	}
	if w.groups != nil {
		clear(w.groups)
	}
}

// release empties the window and lets its memory go.
func (w *window) release() { *w = window{} }

// bytes is what the window's hits and map take, the map at a flat
// estimate per entry.
func (w *window) bytes() int64 {
	return int64(cap(w.hits))*int64(unsafe.Sizeof(portHit{})) + int64(w.mapPeak+w.groupPeak)*mapEntryBytes
}
