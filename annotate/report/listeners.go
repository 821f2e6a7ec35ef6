package report

import (
	"net/netip"

	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Odd listeners: destinations that accepted traffic where nothing should
// listen, or that home hosts call out to on backdoor ports. At most
// maxListeners destinations are kept; records to others are counted.
const maxListeners = 10_000

// listenerKey names the destination of odd-listener traffic.
type listenerKey struct {
	dst  netip.Addr
	port uint16
	slot uint8
	dir  parsers.Direction
}

type listener struct {
	key listenerKey
	ps  *portStat
	tally
	sources     distinct
	firstSource netip.Addr
}

// odd reports whether r is odd-listener traffic:
//
//   - accepted inbound traffic to an abused port (severity above info),
//     or to an unassigned port outside the dynamic range (49152-65535,
//     where accepted inbound packets are mostly replies to outgoing
//     connections) and not from an assigned service port (a reply from
//     443/tcp or 6667/tcp to a client's port): something answers where
//     nothing should;
//   - outbound traffic, whatever the verdict, to a port whose abuse is a
//     backdoor, a DDoS control channel or a worm or botnet (4444, 6667,
//     31337...): the host behind it may be the compromised one. Other
//     abused ports (NTP, IMAP, RDP...) are ordinary outbound traffic.
//
// Records with an unknown direction are never odd.
func (s *Summary) odd(r *parsers.Record, ps *portStat) bool {
	switch r.Direction {
	case parsers.DirIn:
		if r.Action != parsers.ActionPass {
			return false
		}
		if ps.abuse != nil {
			return ps.abuse.Severity > registry.Info
		}
		if ps.service != "" || ps.class == registry.Dynamic {
			return false
		}
		// Replies come from the service's port to the client's.
		return !r.HasProto || !s.cfg.Registry.Lookup(r.SrcPort, registryTransport(r.Proto)).Assigned()
	case parsers.DirOut:
		if ps.abuse == nil {
			return false
		}
		switch ps.abuse.Category {
		case registry.Backdoor, registry.DDoSC2, registry.WormBotnet:
			return true
		}
	}
	return false
}

// registryTransport maps a record's protocol to the registry table that
// names its ports, as the engine does: UDP-Lite shares UDP's port
// numbers (RFC 3828, 3.5).
func registryTransport(p parsers.Protocol) registry.Transport {
	if p == parsers.ProtoUDPLite {
		return registry.UDP
	}
	return registry.Transport(p)
}

func (s *Summary) listen(k listenerKey, ps *portStat, r *parsers.Record, src netip.Addr, at int64) {
	ln := s.listeners[k]
	if ln == nil {
		if len(s.listeners) >= s.listenerLimit {
			s.listenersDropped++
			return
		}
		ln = &listener{key: k, ps: ps, firstSource: src}
		s.listeners[k] = ln
	}
	ln.add(r.Action, at)
	if src.IsValid() {
		ln.sources.add(hashAddr(src), &s.pool)
	}
}

func (s *Summary) listenerReport(ln *listener) Listener {
	ps := ln.ps
	l := Listener{
		Direction: ln.key.dir.String(), Destination: ln.key.dst, Port: ln.key.port, Transport: slotNames[ln.key.slot],
		Service: ps.service, Class: ps.class.String(), Records: ln.records, Passed: ln.passed, Blocked: ln.blocked,
		Sources: ln.sources.count(), FirstSource: ln.firstSource, First: s.time(ln.first), Last: s.time(ln.last),
	}
	if ab := ps.abuse; ab != nil {
		l.Abused, l.Category, l.Severity, l.sev = true, ab.Category.String(), ab.Severity.String(), ab.Severity
	}
	return l
}
