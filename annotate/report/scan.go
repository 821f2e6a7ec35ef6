package report

import (
	"net/netip"
	"strconv"
	"unsafe"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Scan detection keeps, for each recently seen source, two windows of
// log time: the destination ports (port and transport) it hit, and the
// home hosts it hit on each port. It flags the source as a vertical
// scanner when the ports reach Config.ScanPorts within Config.ScanWindow,
// and as a sweep when the home hosts of one port reach Config.SweepHosts
// within it. Tracked sources live within their share of the memory
// budget: the least recently seen source is forgotten to make room, so a
// slow scan interleaved with more than that many other sources is
// missed. A source's port window holds at most ScanPorts ports (it is
// flagged then); its sweep window at most maxHostHits (port, host)
// hits, the oldest going first. Flagged sources ("suspects": scanners,
// sweeps and Mirai-pattern sources) are kept apart, up to maxSuspects,
// and counted after that.
const (
	maxSuspects  = 10_000
	minTracked   = 1     // the source of the record at hand stays tracked, whatever its windows cost
	maxHostHits  = 16384 // (port, home host) a source's sweep window holds at most
	miraiPort    = 23    // telnet
	miraiAltPort = 2323  // the alternate telnet port Mirai tries on about one probe in ten
)

// scanKind is what a record says of how a source scans, as psad names
// it: from the TCP flags (SYN, FIN, NULL, XMAS, ACK), or UDP.
type scanKind uint8

const (
	kindUnknown scanKind = iota // TCP without flags in the log, or another transport
	kindSYN
	kindFIN
	kindNULL
	kindXMAS
	kindACK
	kindUDP
	kindOther // TCP with other flags: SYN-ACK, PSH-ACK...
	numKinds
)

var kindNames = [numKinds]string{"", "SYN", "FIN", "NULL", "XMAS", "ACK", "UDP", "other"}

// kindOf is the scan kind of a record of slot with the given flags.
func kindOf(slot int, flags uint16, known bool) scanKind {
	switch {
	case slot == slotUDP || slot == slotUDPLite:
		return kindUDP
	case slot != slotTCP || !known:
		return kindUnknown
	}
	switch flags & (flagFIN | flagSYN | flagRST | flagPSH | flagACK | flagURG) {
	case flagSYN:
		return kindSYN
	case flagFIN:
		return kindFIN
	case 0:
		return kindNULL
	case flagFIN | flagPSH | flagURG:
		return kindXMAS
	case flagACK:
		return kindACK
	}
	return kindOther
}

// scanHit is what the tracker needs of a record from a source.
type scanHit struct {
	src, dst  netip.Addr
	slot      int
	port      uint16
	dstHome   bool
	passed    bool
	kind      scanKind
	severity  registry.Severity // of the port's abuse; 0 for none
	at, clock int64             // the record's time (0: none) and the windows' time
	record    *parsers.Record   // for events
	look      *annotate.Lookup
}

// srcState is a tracked source, linked in least-recently-seen order.
type srcState struct {
	addr       netip.Addr
	prev, next int32 // indices in tracker.states; -1 ends the list
	ports      window
	hosts      window // keys: port (portID) above home host (addrValue)
	activity
	suspect int32 // 1 + index in tracker.suspects once flagged
	dropped bool  // qualified while the suspects kept were at their limit
}

// activity is what a source did while tracked or flagged.
type activity struct {
	records int64
	span
	telnet    uint32 // records to 23/tcp
	telnetAlt uint32 // records to 2323/tcp
	passed    int64  // records let through
	kinds     [numKinds]uint32
	severity  registry.Severity // the highest of the abused ports it hit
}

func (a *activity) note(h *scanHit) {
	a.records++
	a.see(h.at)
	if h.slot == slotTCP {
		switch h.port {
		case miraiPort:
			a.telnet++
		case miraiAltPort:
			a.telnetAlt++
		}
	}
	if h.passed {
		a.passed++
	}
	a.kinds[h.kind]++
	a.severity = max(a.severity, h.severity)
}

// suspect is a flagged source.
type suspect struct {
	addr netip.Addr
	activity
	ports distinct // destination ports and transports, from the window that flagged it on
	hosts distinct // home hosts, likewise
	// scanAt and sweepAt are when the source reached a threshold; 0 if
	// it has not, or if its records have no time.
	scanAt, sweepAt int64
	sweepPort       uint32 // portID of the sweep
	scan            bool   // reached ScanPorts distinct ports within ScanWindow
	sweep           bool   // reached SweepHosts home hosts on one port within ScanWindow
	mirai           bool   // hit 23/tcp, then 2323/tcp
}

// flagKind is what a source was flagged for, as events name it.
type flagKind uint8

const (
	flaggedScan flagKind = iota
	flaggedSweep
	flaggedMirai
)

// tracker follows sources for scan detection. Not safe for concurrent
// use.
type tracker struct {
	k          int   // ScanPorts
	sweepK     int   // SweepHosts
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
	hosts        family               // of suspects, by index
	// dropped counts sources that qualified while suspectLimit were kept;
	// one forgotten and seen anew counts again.
	dropped int64
}

func newTracker(k, sweepK int, span, maxBytes int64, led *ledger) tracker {
	return tracker{
		k: k, sweepK: sweepK, span: span, maxBytes: maxBytes, keep: minTracked, suspectLimit: maxSuspects, led: led,
		index: make(map[netip.Addr]int32), head: -1, tail: -1,
		flagged: make(map[netip.Addr]int32),
		ports:   family{set: keyTable[struct{}]{led: led}},
		hosts:   family{set: keyTable[struct{}]{led: led}},
	}
}

// stateBytes is what a tracked source costs besides its windows.
const stateBytes = int64(unsafe.Sizeof(srcState{})) + mapEntryBytes

// observe counts a record from h.src and returns the flags it raised
// (bits of flagKind) on the suspect it returns. observe allocates only
// for a source it does not track yet, or for a window growing.
func (t *tracker) observe(h *scanHit, sk *sketches) (raised uint8, sus int32) {
	i := t.touch(h.src)
	st := &t.states[i]
	port := uint32(portID(h.slot, h.port))
	var s *suspect
	if st.suspect != 0 {
		s = &t.suspects[st.suspect-1]
		s.note(h)
		t.ports.add(&s.ports, uint32(st.suspect-1), portValue(h.slot, h.port), sk)
		if h.dstHome && h.dst.IsValid() {
			t.hosts.add(&s.hosts, uint32(st.suspect-1), addrValue(h.dst), sk)
		}
	} else {
		if st.dropped {
			return 0, 0
		}
		st.note(h)
	}
	before := st.ports.bytes() + st.hosts.bytes()
	if s == nil || !s.scan {
		if st.ports.hit(&t.work, uint64(port), h.clock, t.span) >= t.k && t.flagScan(st, h, sk) {
			raised |= 1 << flaggedScan
		}
	}
	if h.dstHome && h.dst.IsValid() && (st.suspect == 0 || !t.suspects[st.suspect-1].sweep) {
		if _, hosts := st.hosts.hitGrouped(&t.work, uint64(port)<<valueBits|addrValue(h.dst), h.clock, t.span, maxHostHits); hosts >= t.sweepK &&
			t.flagSweep(st, h, port, sk) {
			raised |= 1 << flaggedSweep
		}
	}
	t.charge(st.ports.bytes() + st.hosts.bytes() - before)
	if h.slot == slotTCP && h.port == miraiAltPort {
		// 23/tcp then 2323/tcp: Mirai's two telnet ports, in its order.
		if st.suspect == 0 && st.telnet > 0 {
			t.flag(st, sk)
		}
		if st.suspect != 0 {
			if s := &t.suspects[st.suspect-1]; s.telnet > 0 && !s.mirai {
				s.mirai = true
				raised |= 1 << flaggedMirai
			}
		}
	}
	for t.bytes > t.maxBytes && len(t.index) > t.keep && t.tail != i {
		t.forget(t.tail)
	}
	return raised, st.suspect
}

// flagScan flags st as a vertical scanner: h.at, the record's own time,
// dates the flag. The ports of its window count towards the scanner's
// ports, and the window is not needed any more.
func (t *tracker) flagScan(st *srcState, h *scanHit, sk *sketches) bool {
	if st.suspect == 0 && !t.flag(st, sk) {
		return false
	}
	id := st.suspect - 1
	s := &t.suspects[id]
	s.scan, s.scanAt = true, h.at
	st.ports.each(&t.work, func(key uint64) { t.ports.add(&s.ports, uint32(id), portValue(int(key>>16), uint16(key)), sk) })
	st.ports.release()
	return true
}

// flagSweep flags st as sweeping port (a portID).
func (t *tracker) flagSweep(st *srcState, h *scanHit, port uint32, sk *sketches) bool {
	if st.suspect == 0 && !t.flag(st, sk) {
		return false
	}
	id := st.suspect - 1
	s := &t.suspects[id]
	s.sweep, s.sweepAt, s.sweepPort = true, h.at, port
	st.hosts.each(&t.work, func(key uint64) { t.hosts.add(&s.hosts, uint32(id), key&valueMask, sk) })
	st.hosts.release()
	return true
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
	st.ports.each(&t.work, func(key uint64) {
		t.ports.add(&t.suspects[id-1].ports, uint32(id-1), portValue(int(key>>16), uint16(key)), sk)
	})
	st.hosts.each(&t.work, func(key uint64) { t.hosts.add(&t.suspects[id-1].hosts, uint32(id-1), key&valueMask, sk) })
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
	*st = srcState{addr: src, ports: st.ports, hosts: st.hosts, suspect: t.flagged[src]}
	t.charge(mapEntryBytes)
	t.index[src] = i
	t.pushFront(i)
	return i
}

// forget drops tracked source i and its windows' memory: a forgotten
// source's slot waits for another, but its windows would keep room from
// the sources still tracked.
func (t *tracker) forget(i int32) {
	st := &t.states[i]
	t.unlink(i)
	delete(t.index, st.addr)
	t.charge(-mapEntryBytes)
	before := st.ports.bytes() + st.hosts.bytes()
	st.ports.release()
	st.hosts.release()
	t.charge(-before)
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

// flagged tells of a flag as an event.
func (s *Summary) flagged(k flagKind, sus *suspect, h *scanHit) {
	ports, _ := sus.ports.count(&s.sk)
	hosts, _ := sus.hosts.count(&s.sk)
	level, _ := s.scan.level(sus, min(ports, int64(s.nrows)), hosts)
	e := s.event(h.record, h.look, h.at)
	e.Source, e.Level = sus.addr, level
	var target uint64
	switch k {
	case flaggedScan:
		e.Rule = RuleScan
		e.Message = sus.addr.String() + " hit " + strconv.Itoa(s.cfg.ScanPorts) + " distinct ports within " + s.cfg.ScanWindow.String()
		if kind := sus.kind(); kind != "" {
			e.Message += " (" + kind + " scan)"
		}
	case flaggedSweep:
		e.Rule, e.Port, e.Transport = RuleSweep, uint16(sus.sweepPort), slotNames[sus.sweepPort>>16]
		e.Message = sus.addr.String() + " swept " + portName(e.Port, e.Transport) + " on " + strconv.Itoa(s.cfg.SweepHosts) +
			" home hosts within " + s.cfg.ScanWindow.String()
		target = uint64(sus.sweepPort)
	case flaggedMirai:
		e.Rule = RuleMirai
		e.Message = sus.addr.String() + " tried 23/tcp, then 2323/tcp: the Mirai pattern"
	}
	s.emit(e, target, h.clock)
}

// event starts an event from the record that makes it.
func (s *Summary) event(r *parsers.Record, l *annotate.Lookup, at int64) *Event {
	e := &Event{Host: string(r.Host), Line: string(l.Line)}
	if at != 0 {
		e.Time = s.time(at)
	}
	return e
}
