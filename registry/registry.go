package registry

import (
	"math/bits"
	"net/netip"
	"slices"
	"strings"
)

//go:generate go run gen.go

// Transport is a transport protocol, numbered as in IANA's "Assigned
// Internet Protocol Numbers", so an IP header's protocol field converts
// directly: Transport(6) is TCP.
type Transport uint8

// The transports the IANA port registry covers.
const (
	TCP  Transport = 6
	UDP  Transport = 17
	DCCP Transport = 33
	SCTP Transport = 132
)

// String returns the lower-case name the port registry uses ("tcp"), or ""
// for a protocol the registry does not cover.
func (t Transport) String() string {
	switch t {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	case DCCP:
		return "dccp"
	case SCTP:
		return "sctp"
	}
	return ""
}

// ParseTransport parses "tcp", "udp", "sctp" or "dccp", in any case.
func ParseTransport(s string) (Transport, bool) {
	for _, t := range transports {
		if strings.EqualFold(s, t.String()) {
			return t, true
		}
	}
	return 0, false
}

// transports lists the covered transports in the order [Registry.Transports]
// reports them; a transport's position is its slot in the per-transport
// tables.
var transports = [...]Transport{TCP, UDP, SCTP, DCCP}

const numSlots = len(transports)

// slot returns t's index in transports.
func slot(t Transport) (int, bool) {
	switch t {
	case TCP:
		return 0, true
	case UDP:
		return 1, true
	case SCTP:
		return 2, true
	case DCCP:
		return 3, true
	}
	return 0, false
}

// Class is one of the three port ranges of RFC 6335 section 6.
type Class uint8

// The port classes. The zero Class is not a class.
const (
	WellKnown  Class = iota + 1 // 0-1023
	Registered                  // 1024-49151
	Dynamic                     // 49152-65535
)

// ClassOf returns the class of port.
func ClassOf(port uint16) Class {
	switch {
	case port <= 1023:
		return WellKnown
	case port <= 49151:
		return Registered
	}
	return Dynamic
}

var classNames = [...]string{WellKnown: "well-known", Registered: "registered", Dynamic: "dynamic"}

// IANA's current names for the ranges, as on the registry page.
var classDescriptions = [...]string{
	WellKnown:  "System Ports",
	Registered: "User Ports",
	Dynamic:    "Dynamic and/or Private Ports",
}

// String returns "well-known", "registered" or "dynamic", or "" for the
// zero Class.
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return ""
}

// Description returns IANA's name for the range: "System Ports", "User
// Ports" or "Dynamic and/or Private Ports".
func (c Class) Description() string {
	if int(c) < len(classDescriptions) {
		return classDescriptions[c]
	}
	return ""
}

// ParseClass parses a class name as returned by [Class.String], or IANA's
// "system", "user" or "private", in any case.
func ParseClass(s string) (Class, bool) {
	for c := WellKnown; c <= Dynamic; c++ {
		if strings.EqualFold(s, c.String()) {
			return c, true
		}
	}
	switch strings.ToLower(s) {
	case "system":
		return WellKnown, true
	case "user":
		return Registered, true
	case "private":
		return Dynamic, true
	}
	return 0, false
}

// Category says why a port is in the abused catalogue.
type Category uint8

// The catalogue categories. The zero Category means none.
const (
	Backdoor        Category = iota + 1 // default listener of a trojan or RAT
	DDoSC2                              // control channel of a DDoS tool
	WormBotnet                          // mass-exploited or mass-scanned by worms and botnets
	Amplification                       // UDP reflector
	ExposedService                      // database, API or management plane that must not face the internet
	LegacyCleartext                     // old service sending credentials or data in clear text
	RemoteAdmin                         // remote desktop or administration tool
	ProxyP2P                            // open proxy or peer-to-peer
	ICS                                 // industrial control protocol
	Reserved                            // reserved or invalid port
)

var categoryNames = [...]string{
	Backdoor:        "backdoor",
	DDoSC2:          "ddos-c2",
	WormBotnet:      "worm-botnet",
	Amplification:   "amplification",
	ExposedService:  "exposed-service",
	LegacyCleartext: "legacy-cleartext",
	RemoteAdmin:     "remote-admin",
	ProxyP2P:        "proxy-p2p",
	ICS:             "ics",
	Reserved:        "reserved",
}

// String returns the category's name ("backdoor", "ddos-c2", ...), or ""
// for the zero Category.
func (c Category) String() string {
	if int(c) < len(categoryNames) {
		return categoryNames[c]
	}
	return ""
}

// ParseCategory parses a name returned by [Category.String].
func ParseCategory(s string) (Category, bool) {
	for c := Backdoor; c <= Reserved; c++ {
		if s == categoryNames[c] {
			return c, true
		}
	}
	return 0, false
}

// Severity grades an abused port. Severities are ordered, Info < Low <
// Medium < High, so they compare with >=; the zero Severity means none.
type Severity uint8

// The severities.
const (
	Info Severity = iota + 1
	Low
	Medium
	High
)

var severityNames = [...]string{Info: "info", Low: "low", Medium: "medium", High: "high"}

// String returns "info", "low", "medium" or "high", or "" for the zero
// Severity.
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return ""
}

// ParseSeverity parses a name returned by [Severity.String].
func ParseSeverity(s string) (Severity, bool) {
	for v := Info; v <= High; v++ {
		if s == severityNames[v] {
			return v, true
		}
	}
	return 0, false
}

// Abuse describes why a port range is flagged as commonly abused.
type Abuse struct {
	Low, High uint16 // the inclusive port range the entry covers
	Transport Transport
	Category  Category
	Severity  Severity
	Label     string // short name of the abuse, such as "Back Orifice"
	Reason    string // one line
	Source    string // where the fact comes from; "FILE:LINE" for site rules
}

// Entry is what the registry knows about one port of one transport.
type Entry struct {
	Port      uint16
	Transport Transport
	// Service is the first name IANA lists for the port, or the site's
	// name for it; "" when the port is unassigned.
	Service string
	// Aliases are the further names. The slice shares static storage:
	// do not modify it.
	Aliases []string
	// Description is IANA's description, which may be "" even for an
	// assigned port.
	Description string
	Class       Class
	// Abuse is nil unless the port is in the abused catalogue or flagged
	// by a site rule. It points at shared data: do not modify it.
	Abuse *Abuse
	// Expected is what the site's rules say of a listener on the port
	// on any host (expected=); [Registry.Expected] also weighs the rules
	// for single hosts.
	Expected Expectation
}

// Expectation is what a site says about something listening on a port:
// nothing, that it is expected there, or that it is not.
type Expectation uint8

const (
	ExpectUnset Expectation = iota
	ExpectYes
	ExpectNo
)

// Assigned reports whether the port has a service name.
func (e Entry) Assigned() bool { return e.Service != "" }

// Registry answers port lookups from the embedded IANA table and abused
// catalogue, with any site rules layered on top. A Registry is immutable
// and safe for concurrent use; [Registry.Load] returns a new one. A nil
// *Registry behaves like [Default].
type Registry struct {
	site *site // nil when no rules are loaded
}

var defaultRegistry Registry

// Default returns the registry of the embedded data, without site rules.
// It is shared and read-only; building it costs nothing at start-up.
func Default() *Registry { return &defaultRegistry }

// Lookup returns what r knows about port on transport t. A transport the
// registry does not cover yields an unassigned entry with its Class set.
// Lookup is O(1) and does not allocate.
func (r *Registry) Lookup(port uint16, t Transport) Entry {
	e := Entry{Port: port, Transport: t, Class: ClassOf(port)}
	s, ok := slot(t)
	if !ok {
		return e
	}
	e.setBuiltin(s)
	if r != nil && r.site != nil {
		if id := r.site.ruleAt(s, port); id != 0 {
			r.site.rules[id].apply(&e)
		}
	}
	return e
}

// setBuiltin fills in what the embedded tables say about e.Port in
// transport slot s.
func (e *Entry) setBuiltin(s int) {
	if id := serviceIndex[s].get(e.Port); id != 0 {
		e.Service = services[id].name
		e.Description = services[id].desc
		if int(id) < len(aliasSpans) {
			sp := aliasSpans[id]
			e.Aliases = aliasNames[sp.lo:sp.hi:sp.hi]
		}
	}
	if id := abuseIndex[s].get(e.Port); id != 0 {
		e.Abuse = &catalogue[id-1]
	}
}

// Expected returns what the site's rules say about a listener on port
// of transport t on host: the last rule for a range of hosts that covers
// it, else the rule for the port on any host.
func (r *Registry) Expected(host netip.Addr, port uint16, t Transport) Expectation {
	if r == nil || r.site == nil {
		return ExpectUnset
	}
	s, ok := slot(t)
	if !ok {
		return ExpectUnset
	}
	host = host.Unmap()
	hosts := r.site.hosts
	for i := len(hosts) - 1; i >= 0; i-- {
		h := &hosts[i]
		if h.mask&(1<<s) != 0 && h.lo <= port && port <= h.hi && h.prefix.Contains(host) {
			return h.expected
		}
	}
	if id := r.site.ruleAt(s, port); id != 0 {
		return r.site.rules[id].expected
	}
	return ExpectUnset
}

// Expects reports whether any rule says a listener is expected
// somewhere: a site that says what it expects makes every other
// listener worth a look.
func (r *Registry) Expects() bool { return r != nil && r.site != nil && r.site.expects }

// Reflector returns the abuse entry for traffic whose source port is
// srcPort when that port is a UDP amplification reflector: a flood from
// 11211/udp is memcached reflection aimed at the destination. It returns
// nil for any other port or transport. DNS and NTP replies come from
// reflector ports too; their entries carry the severity to weigh that
// with. Reflector is O(1) and does not allocate.
func (r *Registry) Reflector(srcPort uint16, t Transport) *Abuse {
	if t != UDP {
		return nil
	}
	s, _ := slot(UDP)
	a := r.abuseAt(s, srcPort)
	if a == nil || a.Category != Amplification {
		return nil
	}
	return a
}

// abuseAt is Lookup(port, t).Abuse for t's slot s, without building the
// rest of the entry: Reflector asks it of every UDP record.
func (r *Registry) abuseAt(s int, port uint16) *Abuse {
	if r != nil && r.site != nil {
		if id := r.site.ruleAt(s, port); id != 0 && r.site.rules[id].setAbuse {
			return r.site.rules[id].abuse
		}
	}
	if id := abuseIndex[s].get(port); id != 0 {
		return &catalogue[id-1]
	}
	return nil
}

// Transports returns the transports that IANA, the catalogue or a site
// rule know port by, in the order tcp, udp, sctp, dccp; when none do, it
// returns tcp and udp. The slice is new on every call.
func (r *Registry) Transports(port uint16) []Transport {
	var ts []Transport
	for s, t := range transports {
		known := serviceIndex[s].get(port) != 0 || abuseIndex[s].get(port) != 0
		if !known && r != nil && r.site != nil {
			known = r.site.ruleAt(s, port) != 0
		}
		if known {
			ts = append(ts, t)
		}
	}
	if ts == nil {
		ts = []Transport{TCP, UDP}
	}
	return ts
}

// Catalogue returns a copy of the built-in abused catalogue, sorted by
// Low and then by Transport. Site rules are not included.
func Catalogue() []Abuse { return slices.Clone(catalogue[:]) }

// service is one record of the generated IANA table.
type service struct {
	name, desc string
}

// span is a half-open range of aliasNames.
type span struct{ lo, hi uint16 }

// portIndex maps ports to small non-zero values in O(1) within about
// 10 KB plus two bytes per mapped port, where a dense [65536]uint16 would
// take 128 KB: bits marks the mapped ports, rank[w] counts the marks in
// the words before bits[w], and vals holds the values in port order.
type portIndex struct {
	bits [1024]uint64
	rank [1024]uint16
	vals []uint16
}

// get returns the value for port, or 0 when port is not mapped.
func (x *portIndex) get(port uint16) uint16 {
	w, b := port>>6, uint64(1)<<(port&63)
	word := x.bits[w]
	if word&b == 0 {
		return 0
	}
	return x.vals[int(x.rank[w])+bits.OnesCount64(word&(b-1))]
}
