package report

import (
	"net/netip"
	"strings"
	"unsafe"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Listeners are (home host, port, transport) with evidence that
// something listens there, graded:
//
//   - answer: the home host sent a SYN-ACK from the port, or, for UDP,
//     a reply from a port below the ephemeral range to a port of 1024
//     or above: something answered;
//   - accepted: an inbound SYN (for UDP, a datagram) was let through to
//     the port;
//   - accepted, flags unknown: an inbound TCP record was let through
//     but the log does not show its flags.
//
// Traffic to a home host's ephemeral port (32768 and above), or from a
// service's port (below 1024, or one the registry names, lower than the
// destination port) to a port of 1024 or above, is a reply to one of the
// host's own connections, never evidence of a listener; so is TCP with
// known flags other than a SYN.
//
// Home hosts are those of Config.HomeNet, the destination of an inbound
// record and the source of an outbound one.
//
// Callouts are the other direction: home hosts sending to a backdoor,
// DDoS-control or worm port elsewhere; the host behind them may be the
// compromised one. At most maxListeners of each are kept; records to
// others are counted.
const (
	maxListeners   = 10_000
	ephemeralPorts = 32768 // the start of Linux's range; IANA's dynamic range starts higher
)

// evidence grades what shows that something listens.
type evidence uint8

const (
	noEvidence evidence = iota
	acceptedFlagsUnknown
	accepted
	answered
)

var evidenceNames = [...]string{"", "accepted, flags unknown", "accepted", "answer"}

func (e evidence) String() string { return evidenceNames[e] }

func parseEvidence(s string) (evidence, bool) {
	for e, name := range evidenceNames {
		if name == s && e > 0 {
			return evidence(e), true
		}
	}
	return noEvidence, false
}

// endpointKey is a host, a port and a transport slot.
type endpointKey struct {
	host netip.Addr
	port uint16
	slot uint8
}

// endpoint is a listener or a callout destination.
type endpoint struct {
	key endpointKey
	tally
	evidence  evidence   // of a listener: the strongest seen
	peers     distinct   // a listener's clients; the home hosts calling out
	firstPeer netip.Addr // of the first record
}

// endpoints are the listeners (or callout destinations) kept, in the
// order seen.
type endpoints struct {
	list    []endpoint
	byKey   map[endpointKey]int32
	peers   family // of endpoints, by index
	dropped int64  // records to endpoints not kept
	limit   int
	led     *ledger
}

func newEndpoints(led *ledger) endpoints {
	return endpoints{byKey: make(map[endpointKey]int32), peers: family{set: keyTable[struct{}]{led: led}}, limit: maxListeners, led: led}
}

// observe counts a record of endpoint k with peer, and returns it, or
// nil when it is not kept; isNew says it was not seen before.
func (es *endpoints) observe(k endpointKey, a parsers.Action, peer netip.Addr, at int64, sk *sketches) (e *endpoint, isNew bool) {
	i, ok := es.byKey[k]
	if !ok {
		if len(es.list) >= es.limit {
			es.dropped++
			return nil, false
		}
		es.led.reserve(growth(es.list) + mapEntryBytes)
		old := cap(es.list)
		es.list = append(es.list, endpoint{key: k, firstPeer: peer})
		es.led.charge(int64(cap(es.list)-old)*int64(unsafe.Sizeof(endpoint{})) + mapEntryBytes)
		i = int32(len(es.list) - 1)
		es.byKey[k] = i
	}
	e = &es.list[i]
	if peer.IsValid() {
		es.peers.add(&e.peers, uint32(i), addrValue(peer), sk)
	}
	e.add(a, at)
	return e, !ok
}

// listenerEvidence returns the listener record r is evidence of: its
// host, port and evidence, and the peer on the other side; ev is
// noEvidence when it is none.
func (s *Summary) listenerEvidence(r *parsers.Record, slot int, src, dst netip.Addr, srcHome, dstHome bool) (host netip.Addr, port uint16, ev evidence, peer netip.Addr) {
	flags, known := tcpFlags(r)
	if srcHome && src.IsValid() {
		switch {
		case slot == slotTCP && known && flags&(flagSYN|flagACK|flagRST) == flagSYN|flagACK:
			return src, r.SrcPort, answered, dst
		case slot == slotUDP && r.SrcPort < ephemeralPorts && r.DstPort >= 1024:
			return src, r.SrcPort, answered, dst
		}
	}
	if !dstHome || !dst.IsValid() || r.Action != parsers.ActionPass {
		return
	}
	if slot == slotTCP && known {
		if flags&(flagSYN|flagACK|flagRST|flagFIN) == flagSYN {
			return dst, r.DstPort, accepted, src
		}
		return
	}
	if r.DstPort >= ephemeralPorts || r.DstPort >= 1024 && s.servicePort(r.SrcPort, r.DstPort, slot) {
		return // a reply to the host's own connection
	}
	if slot == slotTCP || slot == slotUnknown {
		return dst, r.DstPort, acceptedFlagsUnknown, src
	}
	return dst, r.DstPort, accepted, src
}

// servicePort reports whether a record from port to dport looks like a
// service's reply to a client: port is below 1024, or one the registry
// names on the transport of slot and below dport (a client's port comes
// from higher up).
func (s *Summary) servicePort(port, dport uint16, slot int) bool {
	if port < 1024 {
		return true
	}
	if port > dport {
		return false
	}
	if slot == slotUnknown {
		return s.cfg.Registry.Lookup(port, registry.TCP).Assigned() || s.cfg.Registry.Lookup(port, registry.UDP).Assigned()
	}
	return s.cfg.Registry.Lookup(port, annotate.LookupTransport(slotProto[slot])).Assigned()
}

// callout reports whether r is a home host sending to a backdoor,
// DDoS-control or worm port elsewhere, whatever the verdict. Other abused
// ports (NTP, IMAP, RDP...) are ordinary outbound traffic.
func callout(l *annotate.Lookup, srcHome, dstHome bool) bool {
	if !srcHome || dstHome || l.Dest.Abuse == nil {
		return false
	}
	switch l.Dest.Abuse.Category {
	case registry.Backdoor, registry.DDoSC2, registry.WormBotnet:
		return true
	}
	return false
}

// oddness says why a listener deserves a look: its port is abused
// (above info), unassigned, or not what the site expects there (see
// registry's expected=). A listener the site expects is never odd.
func (s *Summary) oddness(e *endpoint, entry registry.Entry) []string {
	reg := s.cfg.Registry
	exp := registry.ExpectUnset
	if e.key.slot != slotUnknown {
		exp = reg.Expected(e.key.host, e.key.port, annotate.LookupTransport(slotProto[e.key.slot]))
	}
	if exp == registry.ExpectYes {
		return nil
	}
	var why []string
	if ab := entry.Abuse; ab != nil && ab.Severity > registry.Info {
		why = append(why, "abused")
	}
	if !entry.Assigned() {
		why = append(why, "unassigned")
	}
	if exp == registry.ExpectNo || reg.Expects() {
		why = append(why, "not expected")
	}
	return why
}

// observeListener counts a record that is evidence ev of listener k
// and tells of a listener that is new since the baseline, or, without
// one, odd, when it is first seen or its evidence grows.
func (s *Summary) observeListener(k endpointKey, ev evidence, peer netip.Addr, r *parsers.Record, l *annotate.Lookup, at int64) {
	e, isNew := s.listen.observe(k, r.Action, peer, at, &s.sk)
	if e == nil {
		return
	}
	grew := ev > e.evidence
	e.evidence = max(e.evidence, ev)
	if s.cfg.Events == nil || !isNew && !grew {
		return
	}
	entry := s.entryAt(k.port, int(k.slot))
	why := s.oddness(e, entry)
	if s.cfg.Baseline != nil && s.cfg.Baseline.knows(k) || s.cfg.Baseline == nil && len(why) == 0 {
		return
	}
	ev2 := s.event(r, l, at)
	ev2.Rule, ev2.Source, ev2.Destination, ev2.Port, ev2.Transport = RuleListener, peer, k.host, k.port, slotNames[k.slot]
	ev2.Evidence, ev2.Level = e.evidence.String(), severityLevel(entry.Abuse)
	ev2.Message = "listener " + portName(k.port, slotNames[k.slot]) + " on " + k.host.String() + " (" + ev2.Evidence + ")"
	if s.cfg.Baseline != nil {
		ev2.Message += ", new since the baseline"
	}
	if len(why) > 0 {
		ev2.Message += ": " + strings.Join(why, ", ")
	}
	s.emit(ev2, target(k), s.clock)
}

// observeCallout counts a record from home host src to callout
// destination k, and tells of it.
func (s *Summary) observeCallout(k endpointKey, src netip.Addr, r *parsers.Record, l *annotate.Lookup, at int64) {
	if e, _ := s.calls.observe(k, r.Action, src, at, &s.sk); e == nil || s.cfg.Events == nil {
		return
	}
	ab := l.Dest.Abuse
	ev := s.event(r, l, at)
	ev.Rule, ev.Source, ev.Destination, ev.Port, ev.Transport = RuleCallout, src, k.host, k.port, slotNames[k.slot]
	ev.Level = severityLevel(ab)
	ev.Message = src.String() + " called out to " + k.host.String() + " on " + portName(k.port, slotNames[k.slot]) +
		" (" + ab.Label + ", " + ab.Category.String() + ")"
	s.emit(ev, target(k), s.clock)
}

// target is the value that tells an event's targets apart.
func target(k endpointKey) uint64 {
	return addrValueOr0(k.host) ^ mix64(uint64(k.slot)<<16|uint64(k.port))
}

// severityLevel is the level of an event about a port: 1 plus its abuse
// severity.
func severityLevel(ab *registry.Abuse) int {
	if ab == nil {
		return 1
	}
	return 1 + int(ab.Severity)
}
