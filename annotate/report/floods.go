package report

import (
	"net/netip"
	"strconv"
	"unsafe"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
)

// Reflected floods: UDP records to a home host from an amplification
// reflector's source port (memcached, NTP, SSDP...), the engine's
// Lookup.Reflector. ReflectionRecords of them to one host within
// ScanWindow start a flood. Counters live in a table by host, each for
// the window that began with its first record; a flood is kept (at most
// maxListeners of them) with its records from then on.
type floods struct {
	counts  keyTable[floodCounter] // by addrValue of the target
	list    []flood
	dropped int64 // floods not kept
	led     *ledger
}

type floodCounter struct {
	start   int64 // the window's first record
	records int32
	flood   int32 // 1 + index in list once a flood
}

type flood struct {
	target netip.Addr
	port   uint16 // the reflector's source port
	label  string
	tally
}

func newFloods(led *ledger) floods {
	return floods{counts: keyTable[floodCounter]{led: led}, led: led}
}

// observeReflection counts a reflected record to home host dst.
func (s *Summary) observeReflection(dst netip.Addr, r *parsers.Record, l *annotate.Lookup, at int64) {
	f := &s.floods
	v := addrValue(dst)
	if f.counts.n >= maxEventKeys && f.counts.full() {
		window := int64(s.cfg.ScanWindow)
		f.counts.filter(func(_ uint64, c *floodCounter) bool { return c.flood != 0 || s.clock-c.start <= window })
	}
	f.counts.makeRoom()
	c, _ := f.counts.get(v)
	if c.flood != 0 {
		f.list[c.flood-1].add(r.Action, at)
		return
	}
	if d := s.clock - c.start; c.records == 0 || d > int64(s.cfg.ScanWindow) || -d > int64(s.cfg.ScanWindow) {
		c.start, c.records = s.clock, 0
	}
	if c.records++; int(c.records) < s.cfg.ReflectionRecords {
		return
	}
	if len(f.list) >= maxListeners {
		f.dropped++
		return
	}
	f.led.reserve(growth(f.list))
	old := cap(f.list)
	f.list = append(f.list, flood{target: dst, port: r.SrcPort, label: l.Reflector.Label})
	f.led.charge(int64(cap(f.list)-old) * int64(unsafe.Sizeof(flood{})))
	c.flood = int32(len(f.list))
	fl := &f.list[len(f.list)-1]
	fl.records = int64(c.records) - 1
	fl.add(r.Action, at)
	if s.cfg.Events == nil {
		return
	}
	e := s.event(r, l, at)
	e.Rule, e.Destination, e.Level = RuleReflection, dst, severityLevel(l.Reflector)
	e.Message = "reflected " + l.Reflector.Label + " flood: " + strconv.Itoa(s.cfg.ReflectionRecords) + " records from " +
		portName(r.SrcPort, "udp") + " to " + dst.String() + " within " + s.cfg.ScanWindow.String()
	s.emit(e, v, s.clock)
}
