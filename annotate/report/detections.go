package report

import (
	"cmp"
	"net/netip"
	"slices"
	"time"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/registry"
)

// Scanner is a flagged source: a vertical scan (Report.ScanPorts
// distinct destination ports within Report.ScanWindow of log time), a
// sweep (Report.SweepHosts home hosts on one port within it) or the
// Mirai pattern, graded by a danger level from 1 to 5 whose reasons are
// listed (see the package's levels.go). Ports counts the distinct ports
// (port and transport, the units of Report.PortsSeen, which an estimate
// never exceeds) of the window that flagged it and of every record
// after; Hosts the home hosts likewise. Records and First count from the
// first record the tracker kept of it before the flag (see [Summary] on
// forgotten sources). Kind is how it scans, from the TCP flags: SYN,
// FIN, NULL, XMAS, ACK or UDP, two of them ("SYN+UDP", most first),
// "mixed", or "" when the log shows no flags; Kinds counts its records by
// kind.
type Scanner struct {
	Source         netip.Addr       `json:"source"`
	Level          int              `json:"level"`
	Reasons        []string         `json:"reasons"`
	Kind           string           `json:"kind,omitempty"`
	Kinds          map[string]int64 `json:"kinds,omitempty"`
	Vertical       bool             `json:"vertical"`
	Sweep          bool             `json:"sweep"`
	Mirai          bool             `json:"mirai"`
	Ports          int64            `json:"ports"`
	PortsEstimated bool             `json:"ports_estimated,omitempty"`
	Hosts          int64            `json:"hosts"`
	HostsEstimated bool             `json:"hosts_estimated,omitempty"`
	SweepPort      uint16           `json:"sweep_port,omitempty"`
	SweepTransport string           `json:"sweep_transport,omitempty"`
	Records        int64            `json:"records"`
	Passed         int64            `json:"passed"`
	First          time.Time        `json:"first,omitzero"`
	Last           time.Time        `json:"last,omitzero"`
	FlaggedAt      time.Time        `json:"flagged_at,omitzero"` // when it reached ScanPorts
	SweptAt        time.Time        `json:"swept_at,omitzero"`   // when it reached SweepHosts
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

// Listener is a port of a home host with evidence that something
// listens there: "answer", "accepted" or "accepted, flags unknown" (see
// the package's listeners.go). Odd says it deserves a look, Why says
// why ("abused", "unassigned", "not expected"); Expected is what the
// site's rules say ("yes", "no" or ""). With a baseline, New says the
// baseline did not know it. Clients are the distinct sources of its
// records (for an answer, the hosts answered).
type Listener struct {
	Host             netip.Addr `json:"host"`
	Port             uint16     `json:"port"`
	Transport        string     `json:"transport"`
	Service          string     `json:"service"`
	Class            string     `json:"class"`
	Abused           bool       `json:"abused"`
	Category         string     `json:"category,omitempty"`
	Severity         string     `json:"severity,omitempty"`
	Evidence         string     `json:"evidence"`
	Expected         string     `json:"expected,omitempty"`
	Odd              bool       `json:"odd"`
	Why              []string   `json:"why,omitempty"`
	New              bool       `json:"new,omitempty"`
	Records          int64      `json:"records"`
	Passed           int64      `json:"passed"`
	Blocked          int64      `json:"blocked"`
	Clients          int64      `json:"clients"`
	ClientsEstimated bool       `json:"clients_estimated,omitempty"`
	FirstClient      netip.Addr `json:"first_client,omitzero"`
	First            time.Time  `json:"first,omitzero"`
	Last             time.Time  `json:"last,omitzero"`

	sev registry.Severity
}

// Callout is a destination home hosts sent to on a backdoor,
// DDoS-control or worm port: the host behind them may be the
// compromised one. Hosts are the distinct home hosts.
type Callout struct {
	Destination    netip.Addr `json:"destination"`
	Port           uint16     `json:"port"`
	Transport      string     `json:"transport"`
	Label          string     `json:"label"`
	Category       string     `json:"category"`
	Severity       string     `json:"severity"`
	Records        int64      `json:"records"`
	Passed         int64      `json:"passed"`
	Blocked        int64      `json:"blocked"`
	Hosts          int64      `json:"hosts"`
	HostsEstimated bool       `json:"hosts_estimated,omitempty"`
	FirstHost      netip.Addr `json:"first_host,omitzero"`
	First          time.Time  `json:"first,omitzero"`
	Last           time.Time  `json:"last,omitzero"`

	sev registry.Severity
}

// Flood is a reflected flood: ReflectionRecords UDP records from an
// amplification reflector's source port to one home host within
// ScanWindow, and every such record to it after.
type Flood struct {
	Target        netip.Addr `json:"target"`
	ReflectorPort uint16     `json:"reflector_port"` // of the record that started it
	Label         string     `json:"label"`
	Records       int64      `json:"records"`
	Passed        int64      `json:"passed"`
	Blocked       int64      `json:"blocked"`
	First         time.Time  `json:"first,omitzero"`
	Last          time.Time  `json:"last,omitzero"`
}

// detectionsReport fills in the scanners, listeners, callouts and
// floods.
func (s *Summary) detectionsReport(rep *Report) {
	for i := range s.scan.suspects {
		sus := &s.scan.suspects[i]
		ports, portsEst := sus.ports.count(&s.sk)
		ports = min(ports, int64(s.nrows))
		hosts, hostsEst := sus.hosts.count(&s.sk)
		level, why := s.scan.level(sus, ports, hosts)
		sc := Scanner{
			Source: sus.addr, Level: level, Reasons: why, Kind: sus.kind(),
			Vertical: sus.scan, Sweep: sus.sweep, Mirai: sus.mirai,
			Ports: ports, PortsEstimated: portsEst, Hosts: hosts, HostsEstimated: hostsEst,
			Records: sus.records, Passed: sus.passed, First: s.time(sus.first), Last: s.time(sus.last),
			FlaggedAt: s.time(sus.scanAt), SweptAt: s.time(sus.sweepAt),
		}
		for k, n := range sus.kinds {
			if n > 0 && scanKind(k) != kindUnknown {
				if sc.Kinds == nil {
					sc.Kinds = map[string]int64{}
				}
				sc.Kinds[kindNames[k]] = int64(n)
			}
		}
		if sus.sweep {
			sc.SweepPort, sc.SweepTransport = uint16(sus.sweepPort), slotNames[sus.sweepPort>>16]
		}
		rep.Scanners = append(rep.Scanners, sc)
		if sus.mirai {
			rep.Mirai = append(rep.Mirai, MiraiSource{
				Source: sus.addr, Telnet: int64(sus.telnet), TelnetAlt: int64(sus.telnetAlt), Records: sus.records,
				First: s.time(sus.first), Last: s.time(sus.last), Scanner: sus.scan || sus.sweep,
			})
		}
	}
	slices.SortFunc(rep.Scanners, func(a, b Scanner) int {
		return cmp.Or(cmp.Compare(b.Level, a.Level), cmp.Compare(b.Ports+b.Hosts, a.Ports+a.Hosts),
			cmp.Compare(b.Records, a.Records), a.Source.Compare(b.Source))
	})
	slices.SortFunc(rep.Mirai, func(a, b MiraiSource) int {
		return cmp.Or(cmp.Compare(b.Records, a.Records), a.Source.Compare(b.Source))
	})

	for i := range s.listen.list {
		e := &s.listen.list[i]
		entry := s.entryAt(e.key.port, int(e.key.slot))
		l := Listener{
			Host: e.key.host, Port: e.key.port, Transport: slotNames[e.key.slot], Service: entry.Service,
			Class: entry.Class.String(), Evidence: e.evidence.String(), Records: e.records, Passed: e.passed,
			Blocked: e.blocked, FirstClient: e.firstPeer, First: s.time(e.first), Last: s.time(e.last),
		}
		if ab := entry.Abuse; ab != nil {
			l.Abused, l.Category, l.Severity, l.sev = true, ab.Category.String(), ab.Severity.String(), ab.Severity
		}
		if e.key.slot != slotUnknown {
			switch s.cfg.Registry.Expected(e.key.host, e.key.port, annotate.LookupTransport(slotProto[e.key.slot])) {
			case registry.ExpectYes:
				l.Expected = "yes"
			case registry.ExpectNo:
				l.Expected = "no"
			}
		}
		l.Why = s.oddness(e, entry)
		l.Odd = len(l.Why) > 0
		l.New = s.cfg.Baseline != nil && !s.cfg.Baseline.knows(e.key)
		l.Clients, l.ClientsEstimated = e.peers.count(&s.sk)
		rep.Listeners = append(rep.Listeners, l)
	}
	slices.SortFunc(rep.Listeners, func(a, b Listener) int {
		return cmp.Or(compareBool(b.New, a.New), compareBool(b.Odd, a.Odd), cmp.Compare(b.sev, a.sev),
			cmp.Compare(b.Records, a.Records), a.Host.Compare(b.Host), cmp.Compare(a.Port, b.Port), cmp.Compare(a.Transport, b.Transport))
	})
	if b := s.cfg.Baseline; b != nil {
		rep.BaselineCreated = b.Created
	}

	for i := range s.calls.list {
		e := &s.calls.list[i]
		ab := s.entryAt(e.key.port, int(e.key.slot)).Abuse
		c := Callout{
			Destination: e.key.host, Port: e.key.port, Transport: slotNames[e.key.slot],
			Records: e.records, Passed: e.passed, Blocked: e.blocked, FirstHost: e.firstPeer,
			First: s.time(e.first), Last: s.time(e.last),
		}
		if ab != nil {
			c.Label, c.Category, c.Severity, c.sev = ab.Label, ab.Category.String(), ab.Severity.String(), ab.Severity
		}
		c.Hosts, c.HostsEstimated = e.peers.count(&s.sk)
		rep.Callouts = append(rep.Callouts, c)
	}
	slices.SortFunc(rep.Callouts, func(a, b Callout) int {
		return cmp.Or(cmp.Compare(b.sev, a.sev), cmp.Compare(b.Records, a.Records), a.Destination.Compare(b.Destination),
			cmp.Compare(a.Port, b.Port))
	})

	for _, f := range s.floods.list {
		rep.Floods = append(rep.Floods, Flood{
			Target: f.target, ReflectorPort: f.port, Label: f.label, Records: f.records, Passed: f.passed,
			Blocked: f.blocked, First: s.time(f.first), Last: s.time(f.last),
		})
	}
	slices.SortFunc(rep.Floods, func(a, b Flood) int { return cmp.Compare(b.Records, a.Records) })

	for _, p := range s.cfg.HomeNet.Prefixes() {
		rep.HomeNet = append(rep.HomeNet, p.String())
	}
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// RuleCount is records logged by one firewall host, on one ingress
// interface, by one rule (log prefix or rule label). The strings come
// from the log: each is cut to its first 64 bytes and has control bytes
// and invalid UTF-8 written as \xNN.
type RuleCount struct {
	Host      string    `json:"host"`
	Interface string    `json:"interface"`
	Rule      string    `json:"rule"`
	Records   int64     `json:"records"`
	Blocked   int64     `json:"blocked"`
	Passed    int64     `json:"passed"`
	First     time.Time `json:"first,omitzero"`
	Last      time.Time `json:"last,omitzero"`
}

// TimeBucket counts the timed records of a stretch of log time by
// verdict, and the sources flagged in it: hours, or, for a long log,
// Hours hours each, so that there are at most 2,048.
type TimeBucket struct {
	Start   time.Time `json:"start"`
	Hours   int       `json:"hours"`
	Blocked int64     `json:"blocked"`
	Passed  int64     `json:"passed"`
	Other   int64     `json:"other"`
	Flagged int       `json:"flagged"`
}

// sourcesReport fills in the rules and the timeline.
func (s *Summary) sourcesReport(rep *Report) {
	for _, c := range s.rules.list {
		rep.Rules = append(rep.Rules, RuleCount{
			Host: visible(c.host), Interface: visible(c.iface), Rule: visible(c.rule),
			Records: c.records, Blocked: c.blocked, Passed: c.passed, First: s.time(c.first), Last: s.time(c.last),
		})
	}
	slices.SortStableFunc(rep.Rules, func(a, b RuleCount) int { return cmp.Compare(b.Records, a.Records) })
	rep.RulesOther = s.rules.others.records

	width := s.series.width
	flagged := map[int64]int{}
	for i := range s.scan.suspects {
		sus := &s.scan.suspects[i]
		at := sus.scanAt
		if at == 0 || sus.sweepAt != 0 && sus.sweepAt < at {
			at = sus.sweepAt
		}
		if at == 0 {
			at = sus.last
		}
		if at != 0 {
			flagged[floorDiv(floorDiv(at, int64(time.Hour)), width)]++
		}
	}
	for _, c := range s.series.counts {
		rep.Timeline = append(rep.Timeline, TimeBucket{
			Start: s.time(c.bucket * width * int64(time.Hour)), Hours: int(width),
			Blocked: c.blocked, Passed: c.passed, Other: c.other, Flagged: flagged[c.bucket],
		})
	}
	slices.SortFunc(rep.Timeline, func(a, b TimeBucket) int { return a.Start.Compare(b.Start) })
}
