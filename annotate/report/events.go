package report

import (
	"encoding/json"
	"net/netip"
	"time"
)

// An Event is a detection, told to Config.Events as soon as the record
// that makes it is observed: a source crossed a scan threshold (a
// vertical scan, a sweep) or showed the Mirai pattern, a listener is
// odd or new, a home host called out to a backdoor, DDoS-control or worm
// port, a reflected flood started. Each (rule, source, target) is told
// once per Config.EventWindow of log time, so that a flood is one event,
// not a million.
type Event struct {
	Time        time.Time // the record's log time; zero when it had none
	Rule        string    // one of the Rule... constants
	Source      netip.Addr
	Destination netip.Addr // the target host, if the event has one
	Port        uint16     // the target port, when Transport is set
	Transport   string
	Level       int    // the source's danger level for scans; for the rest 1, plus the port's abuse severity (info 1 ... high 4)
	Evidence    string // a listener's
	Message     string // what happened, in words
	Host        string // the host that logged the record
	Line        string // the log line
}

// Rules of events.
const (
	RuleScan       = "portnote.scan"       // a vertical scan: ScanPorts ports within the window
	RuleSweep      = "portnote.sweep"      // SweepHosts home hosts on one port within the window
	RuleMirai      = "portnote.mirai"      // 23/tcp, then 2323/tcp
	RuleListener   = "portnote.listener"   // an odd listener, or one new since the baseline
	RuleCallout    = "portnote.callout"    // a home host to a backdoor, C2 or worm port
	RuleReflection = "portnote.reflection" // a reflected flood reached ReflectionRecords within the window
)

// DefaultEventWindow is the default of Config.EventWindow.
const DefaultEventWindow = time.Hour

// maxEventKeys is how many (rule, source, target) a Summary remembers
// before forgetting those told more than a window ago.
const maxEventKeys = 1 << 16

var ruleBits = map[string]uint64{RuleScan: 1, RuleSweep: 2, RuleMirai: 3, RuleListener: 4, RuleCallout: 5, RuleReflection: 6}

// emit tells e unless the same (rule, source, target) was told within
// the event window of clock. target is a value of the target (host and
// port) that tells targets apart; (rule, source, target) are remembered
// by a 64-bit hash.
func (s *Summary) emit(e *Event, target uint64, clock int64) {
	k := mix64(ruleBits[e.Rule]<<56^mix64(addrValueOr0(e.Source))^mix64(target^0x5bd1e995)) | 1
	if s.told.n >= maxEventKeys && s.told.full() {
		window := int64(s.cfg.EventWindow)
		s.told.filter(func(_ uint64, at *int64) bool { d := clock - *at; return d <= window && -d <= window })
	}
	s.told.makeRoom()
	at, isNew := s.told.get(k)
	if !isNew {
		if d := clock - *at; d <= int64(s.cfg.EventWindow) && -d <= int64(s.cfg.EventWindow) {
			return
		}
	}
	*at = clock
	s.events++
	s.cfg.Events(e)
}

func addrValueOr0(a netip.Addr) uint64 {
	if !a.IsValid() {
		return 0
	}
	return addrValue(a)
}

// AppendJSON appends the event as one JSON object in Elastic Common
// Schema form, without a newline: event.kind "alert", event.category,
// event.type, rule.name, source.ip, destination.ip and .port,
// network.transport, observer.hostname, message, event.original (the
// log line), portnote.level and portnote.evidence.
func (e *Event) AppendJSON(dst []byte) []byte {
	category, typ := []string{"intrusion_detection", "network"}, []string{"info"}
	switch e.Rule {
	case RuleListener:
		category, typ = []string{"network"}, []string{"info", "connection"}
	case RuleCallout:
		typ = []string{"connection", "info"}
	case RuleReflection:
		typ = []string{"start"}
	}
	type ip struct {
		IP   string `json:"ip,omitempty"`
		Port uint16 `json:"port,omitempty"`
	}
	doc := struct {
		Timestamp string `json:"@timestamp,omitempty"`
		Event     struct {
			Kind     string   `json:"kind"`
			Category []string `json:"category"`
			Type     []string `json:"type"`
			Module   string   `json:"module"`
			Dataset  string   `json:"dataset"`
			Original string   `json:"original,omitempty"`
		} `json:"event"`
		Rule struct {
			Name string `json:"name"`
		} `json:"rule"`
		Source      *ip `json:"source,omitempty"`
		Destination *ip `json:"destination,omitempty"`
		Network     *struct {
			Transport string `json:"transport"`
		} `json:"network,omitempty"`
		Observer *struct {
			Hostname string `json:"hostname"`
		} `json:"observer,omitempty"`
		Message  string `json:"message"`
		Portnote struct {
			Level    int    `json:"level,omitempty"`
			Evidence string `json:"evidence,omitempty"`
		} `json:"portnote"`
	}{Message: e.Message}
	if !e.Time.IsZero() {
		doc.Timestamp = e.Time.Format(time.RFC3339Nano)
	}
	doc.Event.Kind, doc.Event.Category, doc.Event.Type = "alert", category, typ
	doc.Event.Module, doc.Event.Dataset, doc.Event.Original = "portnote", "portnote.events", e.Line
	doc.Rule.Name = e.Rule
	if e.Source.IsValid() {
		doc.Source = &ip{IP: e.Source.String()}
	}
	if e.Destination.IsValid() || e.Transport != "" {
		doc.Destination = &ip{}
		if e.Destination.IsValid() {
			doc.Destination.IP = e.Destination.String()
		}
		if e.Transport != "" {
			doc.Destination.Port = e.Port
			doc.Network = &struct {
				Transport string `json:"transport"`
			}{e.Transport}
		}
	}
	if e.Host != "" {
		doc.Observer = &struct {
			Hostname string `json:"hostname"`
		}{e.Host}
	}
	doc.Portnote.Level, doc.Portnote.Evidence = e.Level, e.Evidence
	b, err := json.Marshal(doc)
	if err != nil {
		// Only strings and numbers: Marshal cannot fail.
		panic(err)
	}
	return append(dst, b...)
}
