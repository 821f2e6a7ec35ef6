package report

import (
	"net/netip"
	"unsafe"
)

// Scan detection keeps, for each recently seen source, the destination
// ports (port and transport) it hit within the scan window, and flags
// the source when they reach Config.ScanPorts. Tracked sources live
// within their share of the memory budget: the least recently seen
// source is forgotten to make room, so a slow scan interleaved with more
// than that many other sources is missed. Flagged sources ("suspects":
// port scanners and Mirai-pattern sources) are kept apart, up to
// maxSuspects, and counted after that.
const (
	maxSuspects  = 10_000
	minTracked   = 1000 // sources tracked whatever their windows cost
	miraiPort    = 23   // telnet
	miraiAltPort = 2323 // the alternate telnet port Mirai tries on about one probe in ten
)

// srcState is a tracked source, linked in least-recently-seen order.
type srcState struct {
	addr       netip.Addr
	prev, next int32 // indices in tracker.states; -1 ends the list
	win        window
	activity
	suspect int32 // 1 + index in tracker.suspects once flagged
	dropped bool  // qualified while the suspects kept were at their limit
}

// activity is what a source did while tracked or flagged.
type activity struct {
	records int64
	span
	telnet    int64 // records to 23/tcp
	telnetAlt int64 // records to 2323/tcp
}

func (a *activity) note(at int64, slot int, port uint16) {
	a.records++
	a.see(at)
	if slot == slotTCP {
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
	ports distinct // destination ports and transports, from the window that flagged it on
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
	span       int64 // ScanWindow in nanoseconds
	index      map[netip.Addr]int32
	states     []srcState
	free       []int32 // states of forgotten sources, for reuse
	head, tail int32   // most and least recently seen
	evicted    int64
	work       int64 // hits the windows looked at
	bytes      int64 // of states, index and windows
	maxBytes   int64
	keep       int // sources tracked whatever their windows cost
	led        *ledger

	suspects     []suspect
	suspectLimit int
	flagged      map[netip.Addr]int32 // 1 + index in suspects
	ports        family               // of suspects, by index
	// dropped counts sources that qualified while maxSuspects were kept;
	// one forgotten and seen anew counts again.
	dropped int64
}

func newTracker(k int, span, maxBytes int64, led *ledger) tracker {
	t := tracker{
		k: k, span: span, maxBytes: maxBytes, keep: minTracked, suspectLimit: maxSuspects, led: led,
		index: make(map[netip.Addr]int32), head: -1, tail: -1,
		flagged: make(map[netip.Addr]int32),
	}
	t.ports = family{set: keyTable[struct{}]{led: led}}
	return t
}

// stateBytes is what a tracked source costs besides its window.
const stateBytes = int64(unsafe.Sizeof(srcState{})) + mapEntryBytes

// observe records that src hit port in slot. at is the record's log
// time in Unix nanoseconds, 0 when unknown; clock is the time windows
// use: at, or the latest log time seen when at is unknown. observe
// allocates only for a source it does not track yet, or for a window
// growing.
func (t *tracker) observe(src netip.Addr, slot int, port uint16, at, clock int64, sk *sketches) {
	i := t.touch(src)
	st := &t.states[i]
	var s *suspect
	if st.suspect != 0 {
		s = &t.suspects[st.suspect-1]
		s.note(at, slot, port)
		t.ports.add(&s.ports, uint32(st.suspect-1), portValue(slot, port), sk)
	} else {
		if st.dropped {
			return
		}
		st.note(at, slot, port)
	}
	if s == nil || !s.scan {
		before := st.win.bytes()
		live := st.win.hit(uint32(portID(slot, port)), clock, t.span)
		if live >= t.k {
			t.flagScan(st, at, sk)
		}
		t.charge(st.win.bytes() - before)
	}
	if slot == slotTCP && port == miraiAltPort {
		// 23/tcp then 2323/tcp: Mirai's two telnet ports, in its order.
		if st.suspect == 0 && st.telnet > 0 {
			t.flag(st, sk)
		}
		if st.suspect != 0 {
			if s := &t.suspects[st.suspect-1]; s.telnet > 0 {
				s.mirai = true
			}
		}
	}
	for t.bytes > t.maxBytes && len(t.index) > t.keep && t.tail != i {
		t.forget(t.tail)
	}
}

// flagScan flags st as a scanner: at, the record's own time, dates the
// flag. The ports of its window count towards the scanner's ports, and
// the window is not needed any more.
func (t *tracker) flagScan(st *srcState, at int64, sk *sketches) {
	if st.suspect == 0 && !t.flag(st, sk) {
		return
	}
	s := &t.suspects[st.suspect-1]
	s.scan, s.scanAt = true, at
	st.win.each(func(key uint32) {
		t.ports.add(&s.ports, uint32(st.suspect-1), portValue(int(key>>16), uint16(key)), sk)
	})
	st.win.release()
}

// flag turns st into a suspect, or marks it dropped and returns false
// when the suspects kept are at their limit.
func (t *tracker) flag(st *srcState, sk *sketches) bool {
	if len(t.suspects) >= t.suspectLimit {
		st.dropped = true
		t.dropped++
		return false
	}
	t.led.reserve(growth(t.suspects) + mapEntryBytes)
	old := cap(t.suspects)
	t.suspects = append(t.suspects, suspect{addr: st.addr, activity: st.activity})
	t.led.charge(int64(cap(t.suspects)-old)*int64(unsafe.Sizeof(suspect{})) + mapEntryBytes)
	id := int32(len(t.suspects))
	t.flagged[st.addr] = id
	st.suspect = id
	s := &t.suspects[id-1]
	st.win.each(func(key uint32) { t.ports.add(&s.ports, uint32(id-1), portValue(int(key>>16), uint16(key)), sk) })
	return true
}

func (t *tracker) charge(n int64) {
	t.bytes += n
	t.led.charge(n)
}

// touch returns src's state, creating it, and moves it to the front.
func (t *tracker) touch(src netip.Addr) int32 {
	if i, ok := t.index[src]; ok {
		t.moveToFront(i)
		return i
	}
	if t.bytes+stateBytes > t.maxBytes && len(t.index) >= t.keep {
		t.forget(t.tail)
	}
	var i int32
	if n := len(t.free); n > 0 {
		i = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		t.led.reserve(growth(t.states))
		old := cap(t.states)
		t.states = append(t.states, srcState{})
		t.charge(int64(cap(t.states)-old) * int64(unsafe.Sizeof(srcState{})))
		i = int32(len(t.states) - 1)
	}
	st := &t.states[i]
	*st = srcState{addr: src, win: st.win, suspect: t.flagged[src]}
	st.win.work = &t.work
	t.charge(mapEntryBytes)
	t.index[src] = i
	t.pushFront(i)
	return i
}

// forget drops tracked source i, keeping a small window's memory for
// the next source.
func (t *tracker) forget(i int32) {
	st := &t.states[i]
	t.unlink(i)
	delete(t.index, st.addr)
	t.charge(-mapEntryBytes)
	before := st.win.bytes()
	st.win.reuse()
	t.charge(st.win.bytes() - before)
	t.free = append(t.free, i)
	t.evicted++
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
