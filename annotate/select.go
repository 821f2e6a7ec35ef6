package annotate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Selection keeps only some lines, like grep. The zero value keeps all.
// Criteria combine with AND; within a list any member matches.
type Selection struct {
	Records bool     // firewall records only
	Abused  bool     // records whose destination port is abused, or that come from an amplification reflector
	Ports   *PortSet // destination port in the set
	Protos  *ProtoSet
	Classes ClassSet // range class of the destination port
}

// Active reports whether any criterion is set.
func (s *Selection) Active() bool {
	return s.Records || s.Abused || s.Ports != nil || s.Protos != nil || s.Classes != 0
}

// PortSet is a set of port numbers, one bit each: membership is a shift
// and a mask.
type PortSet [65536 / 64]uint64

func (s *PortSet) Has(p uint16) bool { return s[p>>6]&(1<<(p&63)) != 0 }

func (s *PortSet) addRange(lo, hi uint16) {
	for p := uint32(lo); p <= uint32(hi); p++ {
		s[p>>6] |= 1 << (p & 63)
	}
}

// ParsePortList parses "22,23,2323,6660-6669".
func ParsePortList(list string) (*PortSet, error) {
	set := new(PortSet)
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		lo, hi, isRange := strings.Cut(item, "-")
		l, ok := parsePort(lo)
		h := l
		if isRange && ok {
			h, ok = parsePort(hi)
		}
		if !ok {
			// The whole item: "-1" is not a range from "" to 1.
			return nil, fmt.Errorf("%q is not a port number (0-65535) or range (LOW-HIGH)", item)
		}
		if h < l {
			return nil, fmt.Errorf("port range %q runs backwards", item)
		}
		set.addRange(l, h)
	}
	return set, nil
}

func parsePort(s string) (uint16, bool) {
	n, err := strconv.ParseUint(s, 10, 16)
	return uint16(n), err == nil
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
