package report

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Report is a snapshot of a [Summary]: nothing in it changes when the
// Summary observes more records. Times are in the zone of the first
// record that had one; a zero time means no record had one. Lists are
// never nil, so that JSON shows them as [].
type Report struct {
	Lines            int64            `json:"lines"`             // lines read, from Stats
	Records          int64            `json:"records"`           // firewall records observed
	RecordsByFormat  map[string]int64 `json:"records_by_format"` // formats with records only
	Unparsed         int64            `json:"unparsed"`          // lines shaped like firewall records that did not parse, from Stats
	UnparsedByFormat map[string]int64 `json:"unparsed_by_format"`
	Untimed          int64            `json:"records_without_time"`
	First            time.Time        `json:"first,omitzero"` // earliest and latest record time
	Last             time.Time        `json:"last,omitzero"`

	ScanPorts  int           `json:"scan_ports"`
	ScanWindow time.Duration `json:"-"` // written as scan_window_seconds

	// Ports are the busiest ports, at most Config.Top of them;
	// PortsSeen counts them all and TopShare is the share of Records
	// that Ports cover.
	Ports     []PortSummary `json:"ports"`
	PortsSeen int           `json:"ports_seen"`
	TopShare  float64       `json:"top_share"`
	// HourlyEnd is the start of the hour of the latest record: the last
	// of each port's Hourly counts.
	HourlyEnd      time.Time       `json:"hourly_end,omitzero"`
	OtherProtocols []ProtocolCount `json:"other_protocols"` // records without ports

	Abused    []AbusedPort  `json:"abused"`    // every abused port seen
	Scanners  []Scanner     `json:"scanners"`  // every port scanner kept
	Mirai     []MiraiSource `json:"mirai"`     // every Mirai-pattern source kept
	Listeners []Listener    `json:"listeners"` // every odd-listener destination kept

	Bounds Bounds `json:"bounds"`

	top int // rows per list in text
}

// PortSummary is one destination port of one transport. Transport is
// "tcp", "udp", "sctp", "dccp", "udplite", or "?" for pf records that do
// not say (their Service and Class are the registry's guess).
type PortSummary struct {
	Port         uint16    `json:"port"`
	Transport    string    `json:"transport"`
	Service      string    `json:"service"` // "" when unassigned
	Class        string    `json:"class"`
	Abused       bool      `json:"abused"`
	Category     string    `json:"category,omitempty"` // of the abuse
	Severity     string    `json:"severity,omitempty"`
	Records      int64     `json:"records"`
	Sources      int64     `json:"sources"`      // distinct, see Bounds
	Destinations int64     `json:"destinations"` // distinct, see Bounds
	Blocked      int64     `json:"blocked"`      // block and reject verdicts
	Passed       int64     `json:"passed"`
	First        time.Time `json:"first,omitzero"`
	Last         time.Time `json:"last,omitzero"`
	// Hourly counts records in the 24 hours up to HourlyEnd, oldest
	// first; nil when none fell in them.
	Hourly []uint32 `json:"hourly,omitempty"`

	sev registry.Severity
}

// ProtocolCount counts records of a protocol without ports. Protocol is
// the keyword ("icmp"), the number for protocols without one, or "?".
// TCP or UDP here are records without ports: fragments.
type ProtocolCount struct {
	Protocol string `json:"protocol"`
	Records  int64  `json:"records"`
}

// AbusedPort is a port of the abused catalogue (or of a site rule) that
// records hit.
type AbusedPort struct {
	Port       uint16        `json:"port"`
	Transport  string        `json:"transport"`
	Service    string        `json:"service"`
	Label      string        `json:"label"`
	Category   string        `json:"category"`
	Severity   string        `json:"severity"`
	Records    int64         `json:"records"`
	Sources    int64         `json:"sources"`
	Blocked    int64         `json:"blocked"`
	Passed     int64         `json:"passed"`
	First      time.Time     `json:"first,omitzero"`
	Last       time.Time     `json:"last,omitzero"`
	TopSources []SourceCount `json:"top_sources"`

	sev registry.Severity
}

// SourceCount is a heavy source of an abused port. Records may exceed
// the source's true count by at most Overcount (space-saving counters):
// it is exact when Overcount is 0, which it is while a port has had at
// most 8 sources.
type SourceCount struct {
	Source    netip.Addr `json:"source"`
	Records   int64      `json:"records"`
	Overcount int64      `json:"overcount,omitempty"`
}

// Scanner is a source that hit Report.ScanPorts distinct destination
// ports within Report.ScanWindow of log time. Ports counts the distinct
// ports of the window that flagged it and of every record after;
// Records and First count from the first record the tracker kept of it
// before the flag (see [Summary] on forgotten sources).
type Scanner struct {
	Source    netip.Addr `json:"source"`
	Ports     int64      `json:"ports"`
	Records   int64      `json:"records"`
	First     time.Time  `json:"first,omitzero"`
	Last      time.Time  `json:"last,omitzero"`
	FlaggedAt time.Time  `json:"flagged_at,omitzero"`
	Mirai     bool       `json:"mirai"`
}

// MiraiSource is a source that hit 23/tcp and later 2323/tcp, the order
// in which Mirai and its descendants try telnet (psad calls it out the
// same way; one 23/tcp record is enough here).
type MiraiSource struct {
	Source    netip.Addr `json:"source"`
	Telnet    int64      `json:"telnet"`     // records to 23/tcp
	TelnetAlt int64      `json:"telnet_alt"` // records to 2323/tcp
	Records   int64      `json:"records"`
	First     time.Time  `json:"first,omitzero"`
	Last      time.Time  `json:"last,omitzero"`
	Scanner   bool       `json:"scanner"`
}

// Listener is a destination port that received odd traffic: accepted
// inbound records to an abused or unassigned port ("in"), or outbound
// records to a backdoor, DDoS or worm port ("out").
type Listener struct {
	Direction   string     `json:"direction"`
	Destination netip.Addr `json:"destination"`
	Port        uint16     `json:"port"`
	Transport   string     `json:"transport"`
	Service     string     `json:"service"`
	Class       string     `json:"class"`
	Abused      bool       `json:"abused"`
	Category    string     `json:"category,omitempty"`
	Severity    string     `json:"severity,omitempty"`
	Records     int64      `json:"records"`
	Passed      int64      `json:"passed"`
	Blocked     int64      `json:"blocked"`
	Sources     int64      `json:"sources"`
	FirstSource netip.Addr `json:"first_source,omitzero"`
	First       time.Time  `json:"first,omitzero"`
	Last        time.Time  `json:"last,omitzero"`

	sev registry.Severity
}

// Bounds states how exact the report is.
type Bounds struct {
	ExactUpTo        int     `json:"distinct_exact_up_to"` // distinct counts up to this are exact
	Precision        int     `json:"hll_precision"`        // of the sketches beyond
	StdError         float64 `json:"hll_standard_error"`   // relative, of a sketch's estimate
	Sketches         int     `json:"sketches"`
	TrackedSources   int     `json:"scan_sources_tracked"`
	TrackLimit       int     `json:"scan_sources_limit"`
	EvictedSources   int64   `json:"scan_sources_evicted"`
	SuspectsDropped  int64   `json:"suspects_dropped"`         // scanners and Mirai sources not kept
	ListenersDropped int64   `json:"listener_records_dropped"` // records to odd-listener destinations not kept
}

// Report returns a snapshot of what s has counted, with the line counts
// of st. It allocates, and costs time in proportion to the ports seen
// and the sources flagged, not to the records.
func (s *Summary) Report(st annotate.Stats) *Report {
	rep := &Report{
		Lines:            st.Lines,
		Records:          s.records,
		RecordsByFormat:  formatCounts(&s.formats),
		Unparsed:         st.Unparsed,
		UnparsedByFormat: formatCounts(&st.Broken),
		Untimed:          s.untimed,
		First:            s.time(s.first),
		Last:             s.time(s.last),
		ScanPorts:        s.cfg.ScanPorts,
		ScanWindow:       s.cfg.ScanWindow,
		PortsSeen:        len(s.seen),
		top:              s.cfg.Top,
		Ports:            []PortSummary{},
		OtherProtocols:   []ProtocolCount{},
		Abused:           []AbusedPort{},
		Scanners:         []Scanner{},
		Mirai:            []MiraiSource{},
		Listeners:        []Listener{},
	}
	if s.hasHours {
		rep.HourlyEnd = s.time(s.lastHour * int64(time.Hour))
	}

	busiest := slices.Clone(s.seen)
	slices.SortFunc(busiest, func(a, b *portStat) int {
		return cmp.Or(cmp.Compare(b.records, a.records), cmp.Compare(a.port, b.port), cmp.Compare(a.slot, b.slot))
	})
	n := len(busiest)
	if s.cfg.Top >= 0 {
		n = min(n, s.cfg.Top)
	}
	var covered int64
	for _, ps := range busiest[:n] {
		rep.Ports = append(rep.Ports, s.portSummary(ps))
		covered += ps.records
	}
	if s.records > 0 {
		rep.TopShare = float64(covered) / float64(s.records)
	}

	for p, c := range s.portless {
		if c > 0 {
			rep.OtherProtocols = append(rep.OtherProtocols, ProtocolCount{Protocol: protocolName(parsers.Protocol(p)), Records: c})
		}
	}
	if s.portlessUnknown > 0 {
		rep.OtherProtocols = append(rep.OtherProtocols, ProtocolCount{Protocol: "?", Records: s.portlessUnknown})
	}
	slices.SortStableFunc(rep.OtherProtocols, func(a, b ProtocolCount) int { return cmp.Compare(b.Records, a.Records) })

	for _, ps := range busiest {
		if ps.abuse != nil {
			rep.Abused = append(rep.Abused, s.abusedPort(ps))
		}
	}

	for _, sus := range s.scan.suspects {
		if sus.scan {
			rep.Scanners = append(rep.Scanners, Scanner{
				Source: sus.addr, Ports: sus.ports.count(), Records: sus.records,
				First: s.time(sus.first), Last: s.time(sus.last), FlaggedAt: s.time(sus.scanAt), Mirai: sus.mirai,
			})
		}
		if sus.mirai {
			rep.Mirai = append(rep.Mirai, MiraiSource{
				Source: sus.addr, Telnet: sus.telnet, TelnetAlt: sus.telnetAlt, Records: sus.records,
				First: s.time(sus.first), Last: s.time(sus.last), Scanner: sus.scan,
			})
		}
	}
	slices.SortFunc(rep.Scanners, func(a, b Scanner) int {
		return cmp.Or(cmp.Compare(b.Ports, a.Ports), cmp.Compare(b.Records, a.Records), a.Source.Compare(b.Source))
	})
	slices.SortFunc(rep.Mirai, func(a, b MiraiSource) int {
		return cmp.Or(cmp.Compare(b.Records, a.Records), a.Source.Compare(b.Source))
	})

	for _, ln := range s.listeners {
		rep.Listeners = append(rep.Listeners, s.listenerReport(ln))
	}
	slices.SortFunc(rep.Listeners, func(a, b Listener) int {
		return cmp.Or(cmp.Compare(a.Direction, b.Direction), cmp.Compare(b.Records, a.Records),
			a.Destination.Compare(b.Destination), cmp.Compare(a.Port, b.Port), cmp.Compare(a.Transport, b.Transport))
	})

	rep.Bounds = Bounds{
		ExactUpTo:        exactLimit,
		Precision:        int(s.pool.p),
		StdError:         s.pool.stdError(),
		Sketches:         len(s.pool.sketches),
		TrackedSources:   len(s.scan.index),
		TrackLimit:       s.scan.limit,
		EvictedSources:   s.scan.evicted,
		SuspectsDropped:  s.scan.dropped,
		ListenersDropped: s.listenersDropped,
	}
	return rep
}

// time converts Unix nanoseconds to a time in the report's zone; 0 is
// the zero time.
func (s *Summary) time(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	loc := s.loc
	if loc == nil {
		loc = time.UTC
	}
	return time.Unix(0, ns).In(loc)
}

func formatCounts(c *[parsers.FormatCount]int64) map[string]int64 {
	m := make(map[string]int64)
	for f, n := range c {
		if name := parsers.Format(f).String(); name != "" && n > 0 {
			m[name] = n
		}
	}
	return m
}

func protocolName(p parsers.Protocol) string {
	if name := p.Name(); name != "" {
		return name
	}
	return strconv.Itoa(int(p))
}

func (s *Summary) portSummary(ps *portStat) PortSummary {
	p := PortSummary{
		Port: ps.port, Transport: slotNames[ps.slot], Service: ps.service, Class: ps.class.String(),
		Records: ps.records, Sources: ps.sources.count(), Destinations: ps.dests.count(),
		Blocked: ps.blocked, Passed: ps.passed, First: s.time(ps.first), Last: s.time(ps.last),
	}
	if ab := ps.abuse; ab != nil {
		p.Abused, p.Category, p.Severity, p.sev = true, ab.Category.String(), ab.Severity.String(), ab.Severity
	}
	if ps.hours != nil {
		hourly := make([]uint32, sparkHours)
		for i := range hourly {
			hourly[i] = ps.hours.at(s.lastHour - sparkHours + 1 + int64(i))
			if hourly[i] > 0 {
				p.Hourly = hourly
			}
		}
	}
	return p
}

func (s *Summary) abusedPort(ps *portStat) AbusedPort {
	ab := ps.abuse
	a := AbusedPort{
		Port: ps.port, Transport: slotNames[ps.slot], Service: ps.service, Label: ab.Label,
		Category: ab.Category.String(), Severity: ab.Severity.String(),
		Records: ps.records, Sources: ps.sources.count(), Blocked: ps.blocked, Passed: ps.passed,
		First: s.time(ps.first), Last: s.time(ps.last), TopSources: []SourceCount{}, sev: ab.Severity,
	}
	counters := slices.Clone(ps.top.counters[:ps.top.n])
	slices.SortFunc(counters, func(a, b topCounter) int {
		return cmp.Or(cmp.Compare(b.count, a.count), a.addr.Compare(b.addr))
	})
	for _, c := range counters[:min(len(counters), topListed)] {
		a.TopSources = append(a.TopSources, SourceCount{Source: c.addr, Records: c.count, Overcount: c.err})
	}
	return a
}

// topListed is how many of a port's top-source counters are reported:
// fewer than there are, because the last counters churn.
const topListed = 5
