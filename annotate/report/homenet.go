package report

import (
	"net/netip"

	"github.com/portnote/portnote/parsers"
)

// DefaultHomeNet is the home network when Config.HomeNet is nil: the
// private and shared ranges (RFC 1918, RFC 6598's 100.64.0.0/10) and
// IPv6 unique local addresses (fc00::/7). Besides these, the destination
// of an inbound record and the source of an outbound one are home hosts.
var DefaultHomeNet = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("fc00::/7"),
}

// inHomeNet reports whether a is in one of the home prefixes.
func (s *Summary) inHomeNet(a netip.Addr) bool {
	for _, p := range s.cfg.HomeNet {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// homes says which ends of r are home hosts.
func (s *Summary) homes(r *parsers.Record, src, dst netip.Addr) (srcHome, dstHome bool) {
	srcHome = r.Direction == parsers.DirOut || src.IsValid() && s.inHomeNet(src)
	dstHome = r.Direction == parsers.DirIn || dst.IsValid() && s.inHomeNet(dst)
	return srcHome, dstHome
}
