package report

import (
	"net/netip"
	"time"
	"unsafe"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Config tunes a [Summary]. The zero value asks for the defaults.
type Config struct {
	Top        int           // rows per list (default 20 when 0; all when negative)
	ScanPorts  int           // distinct destination ports that make a vertical scan (default 15)
	SweepHosts int           // home hosts on one port that make a sweep (default 16)
	ScanWindow time.Duration // of log time (default 60s)

	// HomeNet are the home networks (nil: DefaultHomeNet); besides
	// them, the destination of an inbound record and the source of an
	// outbound one are home hosts.
	HomeNet *annotate.AddrSet

	// Memory is the budget in bytes of everything the Summary keeps
	// (default DefaultMemory); see [Summary] for what gives way.
	Memory int64

	// Registry is the engine's: it names the ports in the report, tells
	// a reply from a service (an accepted packet from 443/tcp to an
	// unassigned port) from a connection to a listener, and says which
	// listeners the site expects. Nil means registry.Default().
	Registry *registry.Registry

	// Baseline, if set, holds the listeners of earlier runs: the report
	// then lists only the listeners it does not know, and events tell
	// only of those.
	Baseline *Baseline

	// Events, if set, is told of each detection as soon as it is made,
	// on the goroutine that calls Observe; see [Event]. EventWindow is
	// how long of log time the same event is not told again (default
	// DefaultEventWindow); ReflectionRecords is how many reflected
	// records to one home host within ScanWindow make a flood (default
	// DefaultReflectionRecords).
	Events            func(*Event)
	EventWindow       time.Duration
	ReflectionRecords int
}

// The defaults of Config.
const (
	DefaultTop               = 20
	DefaultScanPorts         = 15
	DefaultSweepHosts        = 16
	DefaultScanWindow        = 60 * time.Second
	DefaultMemory            = 64 << 20
	DefaultReflectionRecords = 100
)

// A Summary is an [annotate.Observer] that condenses the records of a
// stream into a port report in the spirit of the SANS ISC/DShield port
// report and psad's status: the busiest destination ports, every abused
// port seen, scanning sources, accepted traffic to ports where nothing
// should listen, and how much of the input was understood. Create it
// with [New], pass it as [annotate.Config].Observer and take
// [Summary.Report] snapshots whenever a report is due.
//
// Everything a Summary keeps is counted against one memory budget,
// Config.Memory (64 MiB by default), and stays within it whatever the
// input. Record counts, verdicts and times are always exact. What gives
// way, in this order, when the budget is short:
//
//   - Distinct counts and the sources of abused ports are exact while
//     they fit. Then the largest of them become HyperLogLog estimates
//     (marked as such in the report, standard error 1.6%) and abused
//     ports keep their 256 heaviest sources by the space-saving
//     algorithm: a source is then named only when no other source can
//     have sent more than it certainly did.
//   - If that is not enough, every sketch halves its precision (error
//     ×1.41), down to 16 bytes a sketch (26%), which only crafted input
//     needs.
//
// Other structures have fixed bounds inside the budget: one row per
// (port, transport) seen (at most 393,216 rows of 72 bytes: every port
// of every transport), hourly counts for the first 4,096 ports, scan
// tracking within 12 MiB (the least recently seen source is forgotten to
// make room: a scan slower than the arrival of that many other sources
// is missed; a source's windows hold at most ScanPorts ports and 16,384
// (port, host) hits), 10,000 flagged sources, listeners, callout
// destinations and floods (beyond, they are counted, not listed), 1,024
// (host, interface, rule) and 2,048 timeline buckets. [Report.Bounds]
// says what the budget cost.
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
	led ledger

	records  int64
	formats  [parsers.FormatCount]int64
	untimed  int64
	partial  int64          // records with a field unreadable or left out
	span                    // of all records
	clock    int64          // the latest record time in input order: the time of a record without one
	loc      *time.Location // of the first record with a time: how times are shown
	lastHour int64          // the latest hour (Unix hours) any record fell in
	hasHours bool

	sk        sketches
	releasing []*family // of counts given sketches, not yet released; nil for abused entries

	rows     []*[rowPage]portRow
	nrows    int
	index    [numSlots]*[1 << 16]int32 // 1 + row of a port; 0 for none
	sources  family                    // of ports, by portID
	dests    family                    // of ports, by portID
	rings    []hourRing
	ringless int // ports with a time but no hourly counts

	portless        [256]int64 // records without ports, by protocol
	portlessUnknown int64      // records without ports or protocol

	abused abusedEntries
	scan   tracker
	listen endpoints // listeners on home hosts
	calls  endpoints // destinations home hosts call out to
	floods floods
	rules  rules
	series series
	told   keyTable[int64] // events told, by (rule, source, target), when
	events int64           // events told
}

// New returns an empty Summary, with cfg's zero fields set to their
// defaults.
func New(cfg Config) *Summary {
	if cfg.Top == 0 {
		cfg.Top = DefaultTop
	}
	if cfg.ScanPorts <= 0 {
		cfg.ScanPorts = DefaultScanPorts
	}
	if cfg.SweepHosts <= 0 {
		cfg.SweepHosts = DefaultSweepHosts
	}
	if cfg.HomeNet == nil {
		cfg.HomeNet = defaultHomeNet
	}
	if cfg.EventWindow <= 0 {
		cfg.EventWindow = DefaultEventWindow
	}
	if cfg.ReflectionRecords <= 0 {
		cfg.ReflectionRecords = DefaultReflectionRecords
	}
	if cfg.ScanWindow <= 0 {
		cfg.ScanWindow = DefaultScanWindow
	}
	if cfg.Memory <= 0 {
		cfg.Memory = DefaultMemory
	}
	if cfg.Registry == nil {
		cfg.Registry = registry.Default()
	}
	s := &Summary{cfg: cfg}
	s.led = ledger{limit: cfg.Memory}
	s.led.room = s.fit
	s.led.charge(int64(unsafe.Sizeof(*s)))
	s.sk = newSketches(&s.led)
	s.sources = family{set: keyTable[struct{}]{led: &s.led}, of: func(id uint32) *distinct { return &s.rowOf(id).sources }}
	s.dests = family{set: keyTable[struct{}]{led: &s.led}, of: func(id uint32) *distinct { return &s.rowOf(id).dests }}
	s.abused = newAbusedEntries(&s.led)
	s.scan = newTracker(cfg.ScanPorts, cfg.SweepHosts, int64(cfg.ScanWindow), trackMemory(cfg.Memory), &s.led)
	s.scan.ports.of = func(id uint32) *distinct { return &s.scan.suspects[id].ports }
	s.scan.hosts.of = func(id uint32) *distinct { return &s.scan.suspects[id].hosts }
	s.listen = newEndpoints(&s.led)
	s.listen.peers.of = func(id uint32) *distinct { return &s.listen.list[id].peers }
	s.calls = newEndpoints(&s.led)
	s.calls.peers.of = func(id uint32) *distinct { return &s.calls.list[id].peers }
	s.floods = newFloods(&s.led)
	s.rules = newRules(&s.led)
	s.series = newSeries(&s.led)
	s.told = keyTable[int64]{led: &s.led}
	return s
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

// slotProto is the protocol of a slot, for looking its ports up again.
var slotProto = [numSlots]parsers.Protocol{
	parsers.ProtoTCP, parsers.ProtoUDP, parsers.ProtoSCTP, parsers.ProtoDCCP, parsers.ProtoUDPLite, 0,
}

// portRow is everything counted for one port of one transport. What the
// registry says about the port is looked up again when a report needs
// it, which keeps rows small: there may be 393,216 of them.
type portRow struct {
	tally
	sources, dests distinct
	ring           int32 // 1 + index in Summary.rings; 0 for none yet, -1 when none was left
	entry          int32 // 1 + index of its abused entry; 0 for none
	port           uint16
	slot           uint8
}

// Rows live in pages, so that a growing table neither copies rows nor
// holds room for twice as many.
const rowPage = 256

// portID is a row's id in the sources and dests families: its slot and
// port, the same in every report.
func portID(slot int, port uint16) uint32 { return uint32(slot)<<16 | uint32(port) }

func (s *Summary) rowOf(id uint32) *portRow {
	i := s.index[id>>16][uint16(id)] - 1
	return &s.rows[i/rowPage][i%rowPage]
}

// sparkHours is how many hours of log time the sparklines show: the
// last ones, up to the hour of the latest record.
const sparkHours = 24

// maxRings is how many ports get hourly counts: the first ones seen
// with a time, which in real logs include every busy port.
const maxRings = 4096

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

// Observe counts one record. It implements [annotate.Observer]: it
// copies what it keeps and never retains r or l.
func (s *Summary) Observe(r *parsers.Record, l *annotate.Lookup) {
	s.records++
	if int(r.Format) < len(s.formats) {
		s.formats[r.Format]++
	}
	if r.Partial != 0 {
		s.partial++
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
		s.series.add(r.Action, at)
	}
	s.rules.observe(r, at)
	slot, ok := portSlot(r)
	if !r.HasPorts || !ok {
		if r.HasProto {
			s.portless[r.Proto]++
		} else {
			s.portlessUnknown++
		}
		return
	}

	id := portID(slot, r.DstPort)
	row := s.row(id, l)
	row.add(r.Action, at)
	if at != 0 {
		s.hour(row, at)
	}
	src, dst := r.Src.Unmap(), r.Dst.Unmap()
	srcHome, dstHome := s.homes(r, src, dst)
	if src.IsValid() {
		v := addrValue(src)
		s.sources.add(&row.sources, id, v, &s.sk)
		if row.entry != 0 {
			s.abused.add(row.entry-1, src, v, &s.sk)
		}
		s.observeSource(r, l, slot, src, dst, dstHome, at)
	}
	if dst.IsValid() {
		s.dests.add(&row.dests, id, addrValue(dst), &s.sk)
	}
	if host, port, ev, peer := s.listenerEvidence(r, slot, src, dst, srcHome, dstHome); ev != noEvidence {
		s.observeListener(endpointKey{host, port, uint8(slot)}, ev, peer, r, l, at)
	}
	if callout(l, srcHome, dstHome) && dst.IsValid() {
		s.observeCallout(endpointKey{dst, r.DstPort, uint8(slot)}, src, r, l, at)
	}
	if l.Reflector != nil && dstHome && dst.IsValid() {
		s.observeReflection(dst, r, l, at)
	}
}

// reply reports whether a record looks like a reply in a connection
// the firewall let through: passed TCP with ACK but not SYN, or passed
// from a service's port to a client's (see servicePort). Replies are
// not scans, however many ports of a busy client they reach.
func (s *Summary) reply(r *parsers.Record, slot int, flags uint16, known bool) bool {
	if r.Action != parsers.ActionPass {
		return false
	}
	if slot == slotTCP && known {
		return flags&(flagACK|flagSYN) == flagACK
	}
	return r.DstPort >= 1024 && s.servicePort(r.SrcPort, r.DstPort, slot)
}

// observeSource follows a record's source for scan detection, unless
// the record is a reply.
func (s *Summary) observeSource(r *parsers.Record, l *annotate.Lookup, slot int, src, dst netip.Addr, dstHome bool, at int64) {
	flags, known := tcpFlags(r)
	if s.reply(r, slot, flags, known) {
		return
	}
	h := scanHit{
		src: src, dst: dst, slot: slot, port: r.DstPort, dstHome: dstHome, passed: r.Action == parsers.ActionPass,
		kind: kindOf(slot, flags, known), at: at, clock: s.clock, record: r, look: l,
	}
	if ab := l.Dest.Abuse; ab != nil {
		h.severity = ab.Severity
	}
	if raised, sus := s.scan.observe(&h, &s.sk); raised != 0 && s.cfg.Events != nil {
		for k := flaggedScan; k <= flaggedMirai; k++ {
			if raised&(1<<k) != 0 {
				s.flagged(k, &s.scan.suspects[sus-1], &h)
			}
		}
	}
}

// row returns the row of port id, creating it from l.
func (s *Summary) row(id uint32, l *annotate.Lookup) *portRow {
	slot := id >> 16
	index := s.index[slot]
	if index == nil {
		s.led.reserve(int64(unsafe.Sizeof(*index)))
		index = new([1 << 16]int32)
		s.index[slot] = index
		s.led.charge(int64(unsafe.Sizeof(*index)))
	}
	if i := index[uint16(id)]; i != 0 {
		i--
		return &s.rows[i/rowPage][i%rowPage]
	}
	if s.nrows%rowPage == 0 {
		s.led.reserve(int64(unsafe.Sizeof([rowPage]portRow{})) + 8)
		s.rows = append(s.rows, new([rowPage]portRow))
		s.led.charge(int64(unsafe.Sizeof([rowPage]portRow{})) + 8)
	}
	i := s.nrows
	s.nrows++
	index[uint16(id)] = int32(i + 1)
	row := &s.rows[i/rowPage][i%rowPage]
	row.port, row.slot = uint16(id), uint8(slot)
	if ab := l.Dest.Abuse; ab != nil {
		row.entry = s.abused.entry(ab, int(slot)) + 1
	}
	return row
}

// hour counts a timed record in its port's hourly counts.
func (s *Summary) hour(row *portRow, at int64) {
	hour := floorDiv(at, int64(time.Hour))
	if !s.hasHours || hour > s.lastHour {
		s.lastHour, s.hasHours = hour, true
	}
	if row.ring < 0 {
		return
	}
	if row.ring == 0 {
		if len(s.rings) == maxRings {
			row.ring = -1
			s.ringless++
			return
		}
		if len(s.rings) == cap(s.rings) {
			s.led.reserve(growth(s.rings))
			old := cap(s.rings)
			s.rings = append(s.rings, hourRing{})[:len(s.rings)]
			s.led.charge(int64(cap(s.rings)-old) * int64(unsafe.Sizeof(hourRing{})))
		}
		s.rings = append(s.rings, hourRing{last: hour})
		row.ring = int32(len(s.rings))
	}
	s.rings[row.ring-1].add(hour)
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

// each calls f for every port row.
func (s *Summary) eachRow(f func(*portRow)) {
	for i := range s.nrows {
		f(&s.rows[i/rowPage][i%rowPage])
	}
}

// entryOf returns what the registry says about a row's port, as the
// engine looked it up.
func (s *Summary) entryOf(row *portRow) registry.Entry { return s.entryAt(row.port, int(row.slot)) }

// entryAt returns what the registry says about port in slot, as the
// engine would look it up.
func (s *Summary) entryAt(port uint16, slot int) registry.Entry {
	r := parsers.Record{HasPorts: true, DstPort: port}
	if slot != slotUnknown {
		r.Proto, r.HasProto = slotProto[slot], true
	}
	return annotate.LookupRecord(s.cfg.Registry, &r).Dest
}
