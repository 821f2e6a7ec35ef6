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
// never nil, so that JSON shows them as []. Counts are exact unless a
// field says otherwise (an ..._estimated member, or a source's
// records_min and records_max).
type Report struct {
	Lines            int64            `json:"lines"`             // lines read, from Stats
	Records          int64            `json:"records"`           // firewall records observed
	RecordsByFormat  map[string]int64 `json:"records_by_format"` // formats with records only
	Unparsed         int64            `json:"unparsed"`          // lines shaped like firewall records that did not parse, from Stats
	UnparsedByFormat map[string]int64 `json:"unparsed_by_format"`
	Untimed          int64            `json:"records_without_time"`
	Partial          int64            `json:"records_partial"` // with a field unreadable (a masked address) or left out
	First            time.Time        `json:"first,omitzero"`  // earliest and latest record time
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

	Abused []AbusedEntry `json:"abused"` // every abused catalogue entry hit, busiest first
	// Scanners are the flagged sources kept (vertical scans, sweeps and
	// the Mirai pattern), highest danger level first; Mirai repeats the
	// Mirai-pattern ones with their telnet counts.
	Scanners   []Scanner     `json:"scanners"`
	SweepHosts int           `json:"sweep_hosts"`
	Mirai      []MiraiSource `json:"mirai"`
	// Listeners are every listener kept, odd ones first; with a
	// baseline, New says which it did not know.
	Listeners       []Listener `json:"listeners"`
	BaselineCreated time.Time  `json:"baseline_created,omitzero"`
	Callouts        []Callout  `json:"callouts"` // destinations home hosts called out to
	Floods          []Flood    `json:"floods"`   // reflected floods
	HomeNet         []string   `json:"home_net"`

	// Rules count records by firewall host, interface and rule, busiest
	// first; RulesOther counts the records of those not kept (beyond
	// 1,024). Timeline counts records over log time.
	Rules      []RuleCount  `json:"rules"`
	RulesOther int64        `json:"rules_other,omitempty"`
	Timeline   []TimeBucket `json:"timeline"`

	Bounds Bounds `json:"bounds"`

	top int // rows per list in text
}

// PortSummary is one destination port of one transport. Transport is
// "tcp", "udp", "sctp", "dccp", "udplite", or "?" for pf records that do
// not say (their Service and Class are the registry's guess).
type PortSummary struct {
	Port                  uint16    `json:"port"`
	Transport             string    `json:"transport"`
	Service               string    `json:"service"` // "" when unassigned
	Class                 string    `json:"class"`
	Abused                bool      `json:"abused"`
	Category              string    `json:"category,omitempty"` // of the abuse
	Severity              string    `json:"severity,omitempty"`
	Records               int64     `json:"records"`
	Sources               int64     `json:"sources"` // distinct
	SourcesEstimated      bool      `json:"sources_estimated,omitempty"`
	Destinations          int64     `json:"destinations"` // distinct
	DestinationsEstimated bool      `json:"destinations_estimated,omitempty"`
	Blocked               int64     `json:"blocked"` // block and reject verdicts
	Passed                int64     `json:"passed"`
	First                 time.Time `json:"first,omitzero"`
	Last                  time.Time `json:"last,omitzero"`
	// Hourly counts records in the 24 hours up to HourlyEnd, oldest
	// first; nil when none fell in them, or when the port was not one of
	// the first 4,096 with a time (Bounds.PortsWithoutHourly).
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

// AbusedEntry is an entry of the abused catalogue (or a site rule) that
// records hit, on one transport: a single port, or a range (MyDoom's
// 3127-3198/tcp) whose ports seen are listed.
type AbusedEntry struct {
	Port      uint16   `json:"port"`                // the entry's first port
	PortHigh  uint16   `json:"port_high,omitempty"` // its last, for a range
	Transport string   `json:"transport"`
	Service   string   `json:"service"` // of a single port; "" for a range
	Label     string   `json:"label"`
	Category  string   `json:"category"`
	Severity  string   `json:"severity"`
	PortsSeen []uint16 `json:"ports_seen"` // the entry's ports with records

	Records          int64     `json:"records"`
	Sources          int64     `json:"sources"` // distinct, over all its ports
	SourcesEstimated bool      `json:"sources_estimated,omitempty"`
	Blocked          int64     `json:"blocked"`
	Passed           int64     `json:"passed"`
	First            time.Time `json:"first,omitzero"`
	Last             time.Time `json:"last,omitzero"`

	// TopSources are the heaviest sources, at most five. While sources
	// are counted exactly (TopSourcesExact) they are the true top five
	// with their counts. Past the memory budget only sources that are
	// certainly among the heaviest are named, with bounds on their
	// counts; the list may then be empty although Records is not.
	TopSources      []SourceCount `json:"top_sources"`
	TopSourcesExact bool          `json:"top_sources_exact"`

	sev registry.Severity
}

// SourceCount is a heavy source of an abused entry: Records is its exact
// count; when only bounds are known, Records is 0 and the source sent
// between RecordsMin and RecordsMax records.
type SourceCount struct {
	Source     netip.Addr `json:"source"`
	Records    int64      `json:"records,omitempty"`
	RecordsMin int64      `json:"records_min,omitempty"`
	RecordsMax int64      `json:"records_max,omitempty"`
}

// Bounds states what the memory budget cost the report.
type Bounds struct {
	MemoryBudget int64 `json:"memory_budget_bytes"`
	MemoryUsed   int64 `json:"memory_used_bytes"` // of the Summary now
	MemoryPeak   int64 `json:"memory_peak_bytes"`
	// EstimatedCounts is how many distinct counts kept (of ports, abused
	// entries, listeners and scanners, listed or not) are HyperLogLog
	// estimates, of Precision and relative standard error StdError.
	EstimatedCounts int     `json:"estimated_counts"`
	Precision       int     `json:"hll_precision"`
	StdError        float64 `json:"hll_standard_error"`
	// ApproximateSources is how many abused entries no longer count
	// their sources exactly.
	ApproximateSources int `json:"abused_sources_approximate"`
	// PortsWithoutHourly is how many ports with timed records have no
	// hourly counts (only the first 4,096 have).
	PortsWithoutHourly int   `json:"ports_without_hourly"`
	TrackedSources     int   `json:"scan_sources_tracked"`
	TrackMemory        int64 `json:"scan_memory_limit_bytes"`
	EvictedSources     int64 `json:"scan_sources_evicted"`
	SuspectsDropped    int64 `json:"suspects_dropped"`         // flagged sources not kept
	ListenersDropped   int64 `json:"listener_records_dropped"` // records of listeners not kept
	CalloutsDropped    int64 `json:"callout_records_dropped"`  // records to callout destinations not kept
	FloodsDropped      int64 `json:"floods_dropped"`
	EventsTold         int64 `json:"events_told"`
}

// topListed is how many sources of an abused entry are reported.
const topListed = 5

// Report returns a snapshot of what s has counted, with the line counts
// of st. It allocates, and costs time in proportion to the ports seen,
// the sources of abused ports counted exactly and the sources flagged,
// not to the records.
func (s *Summary) Report(st annotate.Stats) *Report {
	rep := &Report{
		Lines:            st.Lines,
		Records:          s.records,
		RecordsByFormat:  formatCounts(&s.formats),
		Unparsed:         st.Unparsed,
		UnparsedByFormat: formatCounts(&st.Broken),
		Untimed:          s.untimed,
		Partial:          s.partial,
		First:            s.time(s.first),
		Last:             s.time(s.last),
		ScanPorts:        s.cfg.ScanPorts,
		ScanWindow:       s.cfg.ScanWindow,
		PortsSeen:        s.nrows,
		top:              s.cfg.Top,
		Ports:            []PortSummary{},
		OtherProtocols:   []ProtocolCount{},
		Abused:           []AbusedEntry{},
		Scanners:         []Scanner{},
		SweepHosts:       s.cfg.SweepHosts,
		Mirai:            []MiraiSource{},
		Listeners:        []Listener{},
		Callouts:         []Callout{},
		Floods:           []Flood{},
		HomeNet:          []string{},
		Rules:            []RuleCount{},
		Timeline:         []TimeBucket{},
	}
	if s.hasHours {
		rep.HourlyEnd = s.time(s.lastHour * int64(time.Hour))
	}
	count := func(d *distinct) (int64, bool) { return d.count(&s.sk) }

	busiest := make([]*portRow, 0, s.nrows)
	s.eachRow(func(row *portRow) { busiest = append(busiest, row) })
	slices.SortFunc(busiest, func(a, b *portRow) int {
		return cmp.Or(cmp.Compare(b.records, a.records), cmp.Compare(a.port, b.port), cmp.Compare(a.slot, b.slot))
	})
	n := len(busiest)
	if s.cfg.Top >= 0 {
		n = min(n, s.cfg.Top)
	}
	var covered int64
	for _, row := range busiest[:n] {
		p := s.portSummary(row)
		p.Sources, p.SourcesEstimated = count(&row.sources)
		p.Destinations, p.DestinationsEstimated = count(&row.dests)
		rep.Ports = append(rep.Ports, p)
		covered += row.records
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

	rep.Abused = s.abusedReport(busiest)

	s.detectionsReport(rep)
	s.sourcesReport(rep)

	estimated, approximate := s.estimates()
	rep.Bounds = Bounds{
		MemoryBudget:       s.led.limit,
		MemoryUsed:         s.led.used,
		MemoryPeak:         s.led.peak,
		EstimatedCounts:    estimated,
		Precision:          int(s.sk.p),
		StdError:           s.sk.stdError(),
		ApproximateSources: approximate,
		PortsWithoutHourly: s.ringless,
		TrackedSources:     len(s.scan.index),
		TrackMemory:        s.scan.maxBytes,
		EvictedSources:     s.scan.evicted,
		SuspectsDropped:    s.scan.dropped,
		ListenersDropped:   s.listen.dropped,
		CalloutsDropped:    s.calls.dropped,
		FloodsDropped:      s.floods.dropped,
		EventsTold:         s.events,
	}
	return rep
}

// estimates returns how many distinct counts kept are estimates, and
// how many abused entries count their sources approximately.
func (s *Summary) estimates() (estimated, approximate int) {
	add := func(d *distinct) {
		if d.estimated() {
			estimated++
		}
	}
	s.eachRow(func(row *portRow) {
		add(&row.sources)
		add(&row.dests)
	})
	for i := range s.abused.entries {
		if s.abused.entries[i].sources.estimated() {
			estimated++
			approximate++
		}
	}
	for _, es := range []*endpoints{&s.listen, &s.calls} {
		for i := range es.list {
			add(&es.list[i].peers)
		}
	}
	for i := range s.scan.suspects {
		add(&s.scan.suspects[i].ports)
		add(&s.scan.suspects[i].hosts)
	}
	return estimated, approximate
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

func (s *Summary) portSummary(row *portRow) PortSummary {
	e := s.entryOf(row)
	p := PortSummary{
		Port: row.port, Transport: slotNames[row.slot], Service: e.Service, Class: e.Class.String(),
		Records: row.records, Blocked: row.blocked, Passed: row.passed, First: s.time(row.first), Last: s.time(row.last),
	}
	if ab := e.Abuse; ab != nil {
		p.Abused, p.Category, p.Severity, p.sev = true, ab.Category.String(), ab.Severity.String(), ab.Severity
	}
	if row.ring > 0 {
		ring := &s.rings[row.ring-1]
		hourly := make([]uint32, sparkHours)
		for i := range hourly {
			hourly[i] = ring.at(s.lastHour - sparkHours + 1 + int64(i))
			if hourly[i] > 0 {
				p.Hourly = hourly
			}
		}
	}
	return p
}

// abusedReport sums the rows of each abused entry and names their
// heaviest sources. Entries come busiest first, ties in the order of
// their busiest port (rows are given busiest first).
func (s *Summary) abusedReport(busiest []*portRow) []AbusedEntry {
	entries := make([]AbusedEntry, len(s.abused.entries))
	spans := make([]span, len(entries))
	seen := make([]bool, len(entries))
	var order []int32
	for _, row := range busiest {
		if row.entry == 0 {
			continue
		}
		id := row.entry - 1
		a := &entries[id]
		if !seen[id] {
			seen[id] = true
			order = append(order, id)
			e := &s.abused.entries[id]
			ab := e.abuse
			*a = AbusedEntry{
				Port: ab.Low, Transport: slotNames[e.slot], Label: ab.Label,
				Category: ab.Category.String(), Severity: ab.Severity.String(), sev: ab.Severity,
			}
			if ab.High > ab.Low {
				a.PortHigh = ab.High
			} else {
				a.Service = s.entryOf(row).Service
			}
		}
		a.PortsSeen = append(a.PortsSeen, row.port)
		a.Records += row.records
		a.Blocked += row.blocked
		a.Passed += row.passed
		spans[id].see(row.first)
		spans[id].see(row.last)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(entries[b].Records, entries[a].Records) })
	exact := s.abused.topExact(topListed)
	out := make([]AbusedEntry, 0, len(order))
	for _, id := range order {
		a := &entries[id]
		slices.Sort(a.PortsSeen)
		a.First, a.Last = s.time(spans[id].first), s.time(spans[id].last)
		e := &s.abused.entries[id]
		a.Sources, a.SourcesEstimated = e.sources.count(&s.sk)
		a.TopSources = []SourceCount{}
		if !e.sources.estimated() {
			a.TopSourcesExact = true
			for _, c := range exact[id] {
				a.TopSources = append(a.TopSources, SourceCount{Source: c.addr, Records: c.count})
			}
		} else {
			a.TopSources = e.heavy.certainlyHeaviest()
		}
		out = append(out, *a)
	}
	return out
}
