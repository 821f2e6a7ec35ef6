package registry

import (
	"fmt"
	"strings"
)

// PortRange is an inclusive range of ports on one transport, or on any
// transport when Transport is 0.
type PortRange struct {
	Low, High uint16
	Transport Transport
}

// ParsePorts parses a comma-separated list of ports as people write
// them: PORT, LOW-HIGH or a service NAME (any case, aliases and site
// rules included), each optionally followed by /TRANSPORT, as in
// "22,6660-6669/tcp,telnet,domain/udp". A name stands for every port
// and transport the registry gives it ("ssh": 22/tcp, 22/udp and
// 22/sctp). Errors name the item.
func (r *Registry) ParsePorts(list string) ([]PortRange, error) {
	var ranges []PortRange
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		spec, proto, hasProto := strings.Cut(item, "/")
		var t Transport
		if hasProto {
			var ok bool
			if t, ok = ParseTransport(proto); !ok {
				return nil, fmt.Errorf("%q: unknown transport %q (want tcp, udp, sctp or dccp)", item, proto)
			}
		}
		if isServiceName(spec) {
			named := r.Named(spec)
			if len(named) == 0 {
				return nil, fmt.Errorf("%q is not a port number or a service name the registry knows", spec)
			}
			n := len(ranges)
			for _, e := range named {
				if t == 0 || e.Transport == t {
					ranges = append(ranges, PortRange{e.Port, e.Port, e.Transport})
				}
			}
			if len(ranges) == n {
				return nil, fmt.Errorf("%q: the registry knows no %s on %s", item, spec, t)
			}
			continue
		}
		lo, hi, isRange := strings.Cut(spec, "-")
		l, ok := parsePort(lo)
		h := l
		if isRange && ok {
			h, ok = parsePort(hi)
		}
		if !ok {
			// The whole item: "-1" is not a range from "" to 1.
			return nil, fmt.Errorf("%q is not a port number (0-65535) or range (LOW-HIGH)", spec)
		}
		if h < l {
			return nil, fmt.Errorf("port range %q runs backwards", spec)
		}
		ranges = append(ranges, PortRange{l, h, t})
	}
	return ranges, nil
}

// isServiceName tells a name from a number or range: IANA names hold
// at least one letter (RFC 6335, 5.1), and may start with a digit
// ("3com-tsmux").
func isServiceName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; 'a' <= c && c <= 'z' {
			return true
		}
	}
	return false
}

// Named returns the entries whose service name or one of whose aliases
// is name, in any case, site rules included, ordered by port and then
// transport (tcp, udp, sctp, dccp): "ssh" gives 22/tcp, 22/udp and
// 22/sctp. It looks at every port, so it is for start-up (a command
// line's names), not for each line.
func (r *Registry) Named(name string) []Entry {
	var found []Entry
	for p := 0; p <= 0xffff; p++ {
		for _, t := range transports {
			if e := r.Lookup(uint16(p), t); e.Service != "" && hasName(&e, name) {
				found = append(found, e)
			}
		}
	}
	return found
}

func hasName(e *Entry, name string) bool {
	if strings.EqualFold(e.Service, name) {
		return true
	}
	for _, a := range e.Aliases {
		if strings.EqualFold(a, name) {
			return true
		}
	}
	return false
}
