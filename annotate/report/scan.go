package report

import (
	"net/netip"
)

// Scan detection keeps, for each recently seen source, the destination
// ports it hit within the scan window, and flags the source when they
// reach Config.ScanPorts. The set of tracked sources is bounded:
// the least recently seen source is forgotten to make room, so a slow
// scan interleaved with more than that many other sources is missed.
// Flagged sources ("suspects": port scanners and Mirai-pattern sources)
// are kept apart, up to maxSuspects, and counted after that.
const (
	maxTracked    = 100_000
	trackedMemory = 64 << 20 // bytes of windows, which bounds maxTracked when ScanPorts is large
	maxSuspects   = 10_000
	miraiPort     = 23   // telnet
	miraiAltPort  = 2323 // the alternate telnet port Mirai tries on about one probe in ten
)

// trackLimit is how many sources are tracked for a scan threshold of k
// ports: maxTracked, or fewer when k windows of 16-byte entries would
// not fit in trackedMemory.
func trackLimit(k int) int {
	const perSource = 160 // state, index entry and window header
	return max(1000, min(maxTracked, trackedMemory/(16*k+perSource)))
}

// portHit is one port in a source's window, with the last log time
// (Unix nanoseconds) it was hit.
type portHit struct {
	at   int64
	port uint16
}

// srcState is a tracked source, linked in least-recently-seen order.
type srcState struct {
	addr       netip.Addr
	prev, next int32 // indices in tracker.states; -1 ends the list
	window     []portHit
	activity
	suspect *suspect // set once the source is flagged
	dropped bool     // qualified while the suspects kept were at their limit
}

// activity is what a source did while tracked or flagged.
type activity struct {
	records int64
	span
	telnet    int64 // records to 23/tcp
	telnetAlt int64 // records to 2323/tcp
}

func (a *activity) note(at int64, port uint16, tcp bool) {
	a.records++
	a.see(at)
	if tcp {
		switch port {
		case miraiPort:
			a.telnet++
		case miraiAltPort:
			a.telnetAlt++
		}
	}
}

// suspect is a flagged source.
type suspect struct {
	addr netip.Addr
	activity
	ports distinct // destination ports, from the window that flagged it on
	// scanAt is when the source reached the threshold; 0 if it has not
	// (a Mirai-pattern source only) or if its records have no time.
	scanAt int64
	scan   bool // reached ScanPorts distinct ports within ScanWindow
	mirai  bool // hit 23/tcp, then 2323/tcp
}

// tracker follows sources for scan detection. Not safe for concurrent
// use.
type tracker struct {
	k          int   // ScanPorts
	window     int64 // ScanWindow in nanoseconds
	limit      int
	index      map[netip.Addr]int32
	states     []srcState
	head, tail int32 // most and least recently seen
	evicted    int64

	suspects     map[netip.Addr]*suspect
	suspectLimit int
	// dropped counts sources that qualified while suspectLimit were kept;
	// one forgotten and seen anew counts again.
	dropped int64
}

func newTracker(k int, window int64) tracker {
	return tracker{
		k: k, window: window, limit: trackLimit(k),
		index: make(map[netip.Addr]int32), head: -1, tail: -1,
		suspects: make(map[netip.Addr]*suspect), suspectLimit: maxSuspects,
	}
}

// observe records that src hit port. at is the record's log time in
// Unix nanoseconds, 0 when unknown; clock is the time windows use: at,
// or the latest log time seen when at is unknown. observe allocates only
// for a source it does not track yet, or for a window growing towards
// k entries.
func (t *tracker) observe(src netip.Addr, port uint16, tcp bool, at, clock int64, sp *sketchPool) {
	st := t.touch(src)
	s := st.suspect
	if s != nil {
		s.note(at, port, tcp)
		s.ports.add(hashPort(port), sp)
	} else {
		if st.dropped {
			return
		}
		st.note(at, port, tcp)
	}
	if s == nil || !s.scan {
		t.slide(st, port, clock, at, sp)
	}
	if !tcp || port != miraiAltPort {
		return
	}
	// 23/tcp then 2323/tcp: Mirai's two telnet ports, in its order.
	s = st.suspect
	if s == nil && st.telnet > 0 {
		s = t.flag(st, sp)
	}
	if s != nil && s.telnet > 0 {
		s.mirai = true
	}
}

// slide updates st's window with a hit on port at time clock, and flags
// the source once the window holds k ports; at, the record's own time,
// dates the flag. A port stays in the window while its last hit is
// within the window of clock, in either direction, so that input that
// goes back in time (logs concatenated out of order) does not keep stale
// ports.
func (t *tracker) slide(st *srcState, port uint16, clock, at int64, sp *sketchPool) {
	w := st.window[:0]
	found := false
	for _, h := range st.window {
		if d := clock - h.at; d > t.window || -d > t.window {
			continue
		}
		if h.port == port {
			h.at, found = clock, true
		}
		w = append(w, h)
	}
	if !found {
		w = append(w, portHit{at: clock, port: port})
	}
	st.window = w
	if len(w) < t.k {
		return
	}
	s := st.suspect
	if s == nil {
		if s = t.flag(st, sp); s == nil {
			return
		}
	}
	s.scan, s.scanAt = true, at
	for _, h := range w {
		s.ports.add(hashPort(h.port), sp)
	}
	st.window = w[:0]
}

// flag turns st into a suspect, or marks it dropped and returns nil
// when the suspects kept are at their limit.
func (t *tracker) flag(st *srcState, sp *sketchPool) *suspect {
	if len(t.suspects) >= t.suspectLimit {
		st.dropped = true
		t.dropped++
		return nil
	}
	s := &suspect{addr: st.addr, activity: st.activity}
	for _, h := range st.window {
		s.ports.add(hashPort(h.port), sp)
	}
	t.suspects[st.addr] = s
	st.suspect = s
	return s
}

// touch returns src's state, creating it (and evicting the least
// recently seen source when full), and moves it to the front.
func (t *tracker) touch(src netip.Addr) *srcState {
	if i, ok := t.index[src]; ok {
		t.moveToFront(i)
		return &t.states[i]
	}
	var i int32
	if len(t.states) < t.limit {
		t.states = append(t.states, srcState{})
		i = int32(len(t.states) - 1)
	} else {
		i = t.tail
		t.unlink(i)
		delete(t.index, t.states[i].addr)
		t.evicted++
	}
	st := &t.states[i]
	*st = srcState{addr: src, window: st.window[:0], suspect: t.suspects[src]}
	t.index[src] = i
	t.pushFront(i)
	return st
}

func (t *tracker) moveToFront(i int32) {
	if t.head == i {
		return
	}
	t.unlink(i)
	t.pushFront(i)
}

func (t *tracker) unlink(i int32) {
	st := &t.states[i]
	if st.prev >= 0 {
		t.states[st.prev].next = st.next
	} else {
		t.head = st.next
	}
	if st.next >= 0 {
		t.states[st.next].prev = st.prev
	} else {
		t.tail = st.prev
	}
}

func (t *tracker) pushFront(i int32) {
	st := &t.states[i]
	st.prev, st.next = -1, t.head
	if t.head >= 0 {
		t.states[t.head].prev = i
	}
	t.head = i
	if t.tail < 0 {
		t.tail = i
	}
}
