package report

import (
	"net/netip"
	"unsafe"

	"github.com/portnote/portnote/annotate"
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
	tally
	sources     distinct
	firstSource netip.Addr
}

// listeners are the odd-listener destinations kept, in the order seen.
type listeners struct {
	list    []listener
	byKey   map[listenerKey]int32
	sources family // of listeners, by index
	dropped int64  // records to destinations not kept
	limit   int
	led     *ledger
}

func newListeners(led *ledger) listeners {
	return listeners{byKey: make(map[listenerKey]int32), sources: family{set: keyTable[struct{}]{led: led}}, limit: maxListeners, led: led}
}

func (ls *listeners) observe(k listenerKey, a parsers.Action, src netip.Addr, at int64, sk *sketches) {
	i, ok := ls.byKey[k]
	if !ok {
		if len(ls.list) >= ls.limit {
			ls.dropped++
			return
		}
		ls.led.reserve(growth(ls.list) + mapEntryBytes)
		old := cap(ls.list)
		ls.list = append(ls.list, listener{key: k, firstSource: src})
		ls.led.charge(int64(cap(ls.list)-old)*int64(unsafe.Sizeof(listener{})) + mapEntryBytes)
		i = int32(len(ls.list) - 1)
		ls.byKey[k] = i
	}
	ln := &ls.list[i]
	ln.add(a, at)
	if src.IsValid() {
		ls.sources.add(&ln.sources, uint32(i), addrValue(src), sk)
	}
}

// oddRecord reports whether r is odd-listener traffic:
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
func (s *Summary) oddRecord(r *parsers.Record, l *annotate.Lookup) bool {
	ab := l.Dest.Abuse
	switch r.Direction {
	case parsers.DirIn:
		if r.Action != parsers.ActionPass {
			return false
		}
		if ab != nil {
			return ab.Severity > registry.Info
		}
		if l.Dest.Assigned() || l.Dest.Class == registry.Dynamic {
			return false
		}
		// Replies come from the service's port to the client's.
		return !r.HasProto || !s.cfg.Registry.Lookup(r.SrcPort, registryTransport(r.Proto)).Assigned()
	case parsers.DirOut:
		if ab == nil {
			return false
		}
		switch ab.Category {
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
