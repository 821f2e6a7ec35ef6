package annotate

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"net/netip"
	"strconv"
	"strings"

	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Selection keeps only some lines, like grep. The zero value keeps all.
// Criteria combine with AND; within a list any member matches. Every
// criterion but Records keeps only firewall records that have what it
// asks about: a record without a destination port never matches Ports.
type Selection struct {
	Records bool     // firewall records only
	Abused  bool     // records whose destination port is abused, or that come from an amplification reflector
	Ports   *PortSet // destination port (and transport) in the set
	Protos  *ProtoSet
	Classes ClassSet // range class of the destination port
	Src     *AddrSet // source address in the set
	Dst     *AddrSet // destination address in the set
	Actions ActionSet
	// MinSeverity keeps abused records whose severity (of the
	// destination's entry or of the reflector, whichever is higher) is
	// at least this.
	MinSeverity registry.Severity
	// Categories keeps abused records whose destination's entry, or
	// reflector, is of one of these categories.
	Categories CategorySet
}

// Active reports whether any criterion is set.
func (s *Selection) Active() bool {
	return s.Records || s.Abused || s.Ports != nil || s.Protos != nil || s.Classes != 0 ||
		s.Src != nil || s.Dst != nil || s.Actions != 0 || s.MinSeverity != 0 || s.Categories != 0
}

// PortSet is a set of destination ports, each on any transport or on one
// ("22/tcp"), one bit per port: membership is a shift and a mask.
type PortSet struct {
	any [65536 / 64]uint64
	on  [4][65536 / 64]uint64 // by transport: tcp, udp, sctp, dccp
}

// Match reports whether a record to port over proto (unknown when
// !hasProto) is in the set. A record whose log hides the transport
// matches a member on any transport by its port alone.
func (s *PortSet) Match(port uint16, proto parsers.Protocol, hasProto bool) bool {
	w, bit := port>>6, uint64(1)<<(port&63)
	if s.any[w]&bit != 0 {
		return true
	}
	if !hasProto {
		return (s.on[0][w]|s.on[1][w]|s.on[2][w]|s.on[3][w])&bit != 0
	}
	i := transportIndex(LookupTransport(proto))
	return i >= 0 && s.on[i][w]&bit != 0
}

// transportIndex is the PortSet.on table for a transport, or -1.
func transportIndex(t registry.Transport) int {
	switch t {
	case registry.TCP:
		return 0
	case registry.UDP:
		return 1
	case registry.SCTP:
		return 2
	case registry.DCCP:
		return 3
	}
	return -1
}

// ParsePortList parses "22,23/tcp,2323,6660-6669/tcp,ssh,telnet": port
// numbers, ranges and service names, each optionally for one transport,
// as [registry.Registry.ParsePorts] reads them; reg nil means
// registry.Default().
func ParsePortList(list string, reg *registry.Registry) (*PortSet, error) {
	if reg == nil {
		reg = registry.Default()
	}
	ranges, err := reg.ParsePorts(list)
	if err != nil {
		return nil, err
	}
	set := new(PortSet)
	for _, r := range ranges {
		bits := &set.any
		if r.Transport != 0 {
			bits = &set.on[transportIndex(r.Transport)]
		}
		for p := uint32(r.Low); p <= uint32(r.High); p++ {
			bits[p>>6] |= 1 << (p & 63)
		}
	}
	return set, nil
}

// ProtoSet is a set of IP protocol numbers.
type ProtoSet [4]uint64

func (s *ProtoSet) Has(p parsers.Protocol) bool { return s[p>>6]&(1<<(p&63)) != 0 }

// ParseProtoList parses "tcp,udp,icmp" (names as in /etc/protocols, any
// case) or protocol numbers ("47").
func ParseProtoList(list string) (*ProtoSet, error) {
	set := new(ProtoSet)
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		p, ok := parsers.LookupProtocol([]byte(item))
		if !ok {
			n, err := strconv.ParseUint(item, 10, 8)
			if err != nil {
				return nil, fmt.Errorf("unknown protocol %q", item)
			}
			p = parsers.Protocol(n)
		}
		set[p>>6] |= 1 << (p & 63)
	}
	return set, nil
}

// ClassSet is a set of range classes, one bit per registry.Class.
type ClassSet uint8

func (s ClassSet) Has(c registry.Class) bool { return s&(1<<c) != 0 }

// ParseClassList parses "well-known,registered,dynamic".
func ParseClassList(list string) (ClassSet, error) {
	var set ClassSet
	for item := range strings.SplitSeq(list, ",") {
		c, ok := registry.ParseClass(strings.TrimSpace(item))
		if !ok {
			return 0, fmt.Errorf("unknown port class %q (want well-known, registered or dynamic)", item)
		}
		set |= 1 << c
	}
	return set, nil
}

// AddrSet is a set of address prefixes, IPv4 and IPv6. Membership scans
// the list, IPv4 prefixes as 32-bit masks; it does not allocate.
type AddrSet struct {
	v4 []v4Prefix
	v6 []netip.Prefix
}

type v4Prefix struct{ bits, mask uint32 }

// Has reports whether a is in one of the set's prefixes. An IPv4 address
// mapped into IPv6 counts as IPv4; a zone is ignored.
func (s *AddrSet) Has(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.Unmap()
	if a.Is4() {
		b := a.As4()
		x := binary.BigEndian.Uint32(b[:])
		for _, p := range s.v4 {
			if x&p.mask == p.bits {
				return true
			}
		}
		return false
	}
	a = a.WithZone("")
	for _, p := range s.v6 {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Prefixes returns the set's prefixes, IPv4 first, each in the order
// given.
func (s *AddrSet) Prefixes() []netip.Prefix {
	ps := make([]netip.Prefix, 0, len(s.v4)+len(s.v6))
	for _, p := range s.v4 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], p.bits)
		ps = append(ps, netip.PrefixFrom(netip.AddrFrom4(b), bits.OnesCount32(p.mask)))
	}
	return append(ps, s.v6...)
}

// ParseAddrList parses addresses and CIDR prefixes, IPv4 or IPv6:
// "192.0.2.7,198.51.100.0/24,2001:db8::/32". A prefix's host bits are
// ignored (203.0.113.5/24 is 203.0.113.0/24).
func ParseAddrList(list string) (*AddrSet, error) {
	set := new(AddrSet)
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		var p netip.Prefix
		var err error
		if strings.Contains(item, "/") {
			p, err = netip.ParsePrefix(item)
		} else {
			var a netip.Addr
			if a, err = netip.ParseAddr(item); err == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			}
		}
		// An address with a zone (fe80::1%eth0) names no prefix.
		if err != nil || strings.Contains(item, "%") {
			return nil, fmt.Errorf("%q is not an address or a prefix (192.0.2.0/24, 2001:db8::/32)", item)
		}
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		p = p.Masked()
		if p.Addr().Is4() {
			b := p.Addr().As4()
			mask := ^uint32(0)
			if p.Bits() < 32 {
				mask = ^(^uint32(0) >> p.Bits())
			}
			set.v4 = append(set.v4, v4Prefix{binary.BigEndian.Uint32(b[:]), mask})
		} else {
			set.v6 = append(set.v6, p)
		}
	}
	return set, nil
}

// ActionSet is a set of verdicts, one bit per parsers.Action.
type ActionSet uint16

func (s ActionSet) Has(a parsers.Action) bool { return s&(1<<a) != 0 }

// actionSynonyms are the words other firewalls use for portnote's
// verdicts.
var actionSynonyms = map[string]parsers.Action{
	"drop": parsers.ActionBlock, "deny": parsers.ActionBlock,
	"accept": parsers.ActionPass, "allow": parsers.ActionPass, "permit": parsers.ActionPass,
}

// ActionNames are the verdicts ParseActionList takes, as portnote
// writes them (block, reject, pass, ...).
func ActionNames() []string {
	var names []string
	for a := parsers.Action(1); a.String() != ""; a++ {
		names = append(names, a.String())
	}
	return names
}

// ParseActionList parses "block,reject,pass": the verdicts portnote
// writes (event.action), any case, and the synonyms drop and deny
// (block), accept, allow and permit (pass).
func ParseActionList(list string) (ActionSet, error) {
	var set ActionSet
	for item := range strings.SplitSeq(list, ",") {
		item = strings.ToLower(strings.TrimSpace(item))
		a, ok := actionSynonyms[item]
		for b := parsers.Action(1); !ok && b.String() != ""; b++ {
			a, ok = b, b.String() == item
		}
		if !ok {
			return 0, fmt.Errorf("unknown action %q (want %s)", item, strings.Join(ActionNames(), ", "))
		}
		set |= 1 << a
	}
	return set, nil
}

// CategorySet is a set of abuse categories, one bit per
// registry.Category.
type CategorySet uint16

func (s CategorySet) Has(c registry.Category) bool { return c != 0 && s&(1<<c) != 0 }

// CategoryNames are the abuse categories ParseCategoryList takes.
func CategoryNames() []string {
	var names []string
	for c := registry.Category(1); c.String() != ""; c++ {
		names = append(names, c.String())
	}
	return names
}

// ParseCategoryList parses "backdoor,worm-botnet": abuse categories of
// the catalogue.
func ParseCategoryList(list string) (CategorySet, error) {
	var set CategorySet
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		c, ok := registry.ParseCategory(strings.ToLower(item))
		if !ok {
			return 0, fmt.Errorf("unknown category %q (want %s)", item, strings.Join(CategoryNames(), ", "))
		}
		set |= 1 << c
	}
	return set, nil
}
