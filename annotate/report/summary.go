package report

import (
	"time"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Config tunes a [Summary]. The zero value asks for the defaults.
type Config struct {
	Top        int           // ports listed (default 20 when 0; all when negative)
	ScanPorts  int           // distinct destination ports that make a scanner (default 15)
	ScanWindow time.Duration // of log time (default 60s)

	// Registry names source ports, to tell a reply from a service (an
	// accepted packet from 443/tcp to an unassigned port) from a
	// connection to an odd listener. Nil means registry.Default().
	Registry *registry.Registry
}

// The defaults of Config.
const (
	DefaultTop        = 20
	DefaultScanPorts  = 15
	DefaultScanWindow = 60 * time.Second
)

// A Summary is an [annotate.Observer] that condenses the records of a
// stream into a port report in the spirit of the SANS ISC/DShield port
// report and psad's status: the busiest destination ports, every abused
// port seen, scanning sources, accepted traffic to ports where nothing
// should listen, and how much of the input was understood. Create it
// with [New], pass it as [annotate.Config].Observer and take
// [Summary.Report] snapshots whenever a report is due.
//
// Memory stays bounded however many distinct addresses stream by:
//
//   - Per (port, transport) seen: about 180 bytes, 104 more for its
//     hourly counts once a record has a time, 328 more for the top-source
//     counters of an abused port; and a 512 KiB index per transport seen.
//   - Distinct sources and destinations per port (and distinct ports per
//     flagged source): exact up to 64 values (8 bytes each); beyond, a
//     HyperLogLog sketch of precision 12 (4 KiB, standard error 1.6%).
//     The registers of all sketches share a 32 MiB budget: when it is
//     full every sketch is folded to the next lower precision (error
//     ×1.41), down to precision 8 (256 bytes, 6.5%), where sketches keep
//     being added past the budget at 256 bytes each. [Report.Bounds]
//     says which precision is in force.
//   - Scan detection: at most 100,000 sources are tracked (fewer when
//     ScanPorts is large: their windows are kept under 64 MiB), each with
//     the ports it hit within ScanWindow, at most ScanPorts of them
//     (at most 400 bytes a source at the default 15; a million distinct
//     sources take 23 MiB in the tests). The least recently seen source
//     is forgotten to make room: a scan slower than the arrival of that
//     many other sources is missed. Flagged sources are kept up to
//     10,000, odd-listener (destination, port) pairs up to 10,000; beyond
//     that they are counted in [Bounds], not listed.
//
// Times are log times (parsers.Record.Time): first and last seen, scan
// windows and hourly counts use them, and the clock of the machine
// plays no part. A record without a time is counted everywhere else; in
// scan windows it takes the time of the latest timed record before it.
//
// Observe does not allocate for a record of a port, source and
// destination already seen; a new port, a new tracked source or a new
// value of an exact distinct count may allocate. A Summary is not safe
// for concurrent use: call Observe and Report on one goroutine, the
// engine's ([annotate.Config].Requests runs a function there).
type Summary struct {
	cfg Config

	records  int64
	formats  [parsers.FormatCount]int64
	untimed  int64
	span                    // of all records
	clock    int64          // the latest record time in input order: the time of a record without one
	loc      *time.Location // of the first record with a time: how times are shown
	lastHour int64          // the latest hour (Unix hours) any record fell in
	hasHours bool

	pool  sketchPool
	ports [numSlots]*[1 << 16]*portStat
	seen  []*portStat

	portless        [256]int64 // records without ports, by protocol
	portlessUnknown int64      // records without ports or protocol

	scan tracker

	listeners        map[listenerKey]*listener
	listenerLimit    int
	listenersDropped int64
}

// New returns an empty Summary, with cfg's zero fields set to
// their defaults.
func New(cfg Config) *Summary {
	if cfg.Top == 0 {
		cfg.Top = DefaultTop
	}
	if cfg.ScanPorts <= 0 {
		cfg.ScanPorts = DefaultScanPorts
	}
	if cfg.ScanWindow <= 0 {
		cfg.ScanWindow = DefaultScanWindow
	}
	if cfg.Registry == nil {
		cfg.Registry = registry.Default()
	}
	return &Summary{
		cfg:           cfg,
		pool:          newSketchPool(sketchBudget),
		scan:          newTracker(cfg.ScanPorts, int64(cfg.ScanWindow)),
		listeners:     make(map[listenerKey]*listener),
		listenerLimit: maxListeners,
	}
}

// Transport slots of the port table. A record names its protocol; pf
// text does not always, and such records are counted apart, under "?",
// with the registry's guess of their service: folding them into TCP
// would invent TCP traffic. UDP-Lite is kept apart from UDP although it
// shares UDP's port names.
const (
	slotTCP = iota
	slotUDP
	slotSCTP
	slotDCCP
	slotUDPLite
	slotUnknown
	numSlots
)

var slotNames = [numSlots]string{"tcp", "udp", "sctp", "dccp", "udplite", "?"}

// portSlot returns r's slot, or false for a protocol with ports that the
// table does not cover.
func portSlot(r *parsers.Record) (int, bool) {
	if !r.HasProto {
		return slotUnknown, true
	}
	switch r.Proto {
	case parsers.ProtoTCP:
		return slotTCP, true
	case parsers.ProtoUDP:
		return slotUDP, true
	case parsers.ProtoSCTP:
		return slotSCTP, true
	case parsers.ProtoDCCP:
		return slotDCCP, true
	case parsers.ProtoUDPLite:
		return slotUDPLite, true
	}
	return 0, false
}

// portStat is everything counted for one port of one transport.
type portStat struct {
	port    uint16
	slot    uint8
	service string
	class   registry.Class
	abuse   *registry.Abuse

	tally
	sources, dests distinct
	hours          *hourRing
	top            *topSources // abused ports only
}

// sparkHours is how many hours of log time the sparklines show: the
// last ones, up to the hour of the latest record.
const sparkHours = 24

// hourRing counts records in the last sparkHours hours (Unix hours) of
// one port: counts[h%sparkHours] is hour h, for h in (last-sparkHours, last].
type hourRing struct {
	last   int64
	counts [sparkHours]uint32
}

func (h *hourRing) add(hour int64) {
	if hour > h.last {
		for x := h.last + 1; x <= hour && x <= h.last+sparkHours; x++ {
			h.counts[x%sparkHours] = 0
		}
		h.last = hour
	}
	if hour > h.last-sparkHours {
		h.counts[hour%sparkHours]++
	}
}

// at returns the count of hour.
func (h *hourRing) at(hour int64) uint32 {
	if hour > h.last || hour <= h.last-sparkHours {
		return 0
	}
	return h.counts[hour%sparkHours]
}

// span is the time range of some records, in Unix nanoseconds; 0 while
// none of them had a time.
type span struct{ first, last int64 }

// see widens the span to at, the time of a record (0 for none).
func (s *span) see(at int64) {
	if at == 0 {
		return
	}
	if s.first == 0 || at < s.first {
		s.first = at
	}
	s.last = max(s.last, at)
}

// tally counts records by what the firewall did with them, over a span.
type tally struct {
	records, blocked, passed int64
	span
}

func (t *tally) add(a parsers.Action, at int64) {
	t.records++
	switch a {
	case parsers.ActionBlock, parsers.ActionReject:
		t.blocked++
	case parsers.ActionPass:
		t.passed++
	}
	t.see(at)
}

// Observe counts one record. It implements [annotate.Observer]: it copies what it
// keeps and never retains r or l.
func (s *Summary) Observe(r *parsers.Record, l *annotate.Lookup) {
	s.records++
	if int(r.Format) < len(s.formats) {
		s.formats[r.Format]++
	}
	var at int64
	if r.Time.IsZero() {
		s.untimed++
	} else {
		at = r.Time.UnixNano()
		if s.loc == nil {
			s.loc = r.Time.Location()
		}
		s.see(at)
		s.clock = at
	}
	slot, ok := portSlot(r)
	if !r.HasPorts || !ok {
		if r.HasProto {
			s.portless[r.Proto]++
		} else {
			s.portlessUnknown++
		}
		return
	}

	ps := s.port(slot, r.DstPort, l)
	ps.add(r.Action, at)
	if at != 0 {
		hour := floorDiv(at, int64(time.Hour))
		if ps.hours == nil {
			ps.hours = &hourRing{last: hour}
		}
		ps.hours.add(hour)
		if !s.hasHours || hour > s.lastHour {
			s.lastHour, s.hasHours = hour, true
		}
	}
	src, dst := r.Src.Unmap(), r.Dst.Unmap()
	if src.IsValid() {
		ps.sources.add(hashAddr(src), &s.pool)
		if ps.top != nil {
			ps.top.add(src)
		}
		s.scan.observe(src, r.DstPort, slot == slotTCP, at, s.clock, &s.pool)
	}
	if dst.IsValid() {
		ps.dests.add(hashAddr(dst), &s.pool)
	}
	if s.odd(r, ps) {
		s.listen(listenerKey{dst: dst, port: r.DstPort, slot: uint8(slot), dir: r.Direction}, ps, r, src, at)
	}
}

// floorDiv divides rounding towards minus infinity, so that times before
// 1970 fall in the right hour too.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// port returns the entry of port in slot, creating it from l.
func (s *Summary) port(slot int, port uint16, l *annotate.Lookup) *portStat {
	table := s.ports[slot]
	if table == nil {
		table = new([1 << 16]*portStat)
		s.ports[slot] = table
	}
	ps := table[port]
	if ps == nil {
		ps = &portStat{port: port, slot: uint8(slot), service: l.Dest.Service, class: l.Dest.Class, abuse: l.Dest.Abuse}
		if ps.abuse != nil {
			ps.top = new(topSources)
		}
		table[port] = ps
		s.seen = append(s.seen, ps)
	}
	return ps
}
