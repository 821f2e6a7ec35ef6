package report

import (
	"net/netip"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
)

// DefaultHomeNet is the home network when Config.HomeNet is nil: the
// private and shared ranges (RFC 1918, RFC 6598's 100.64.0.0/10) and
// IPv6 unique local addresses (fc00::/7). Besides these, the destination
// of an inbound record and the source of an outbound one are home hosts.
const DefaultHomeNet = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7"

var defaultHomeNet = func() *annotate.AddrSet {
	set, err := annotate.ParseAddrList(DefaultHomeNet)
	if err != nil {
		panic(err)
	}
	return set
}()

// homes says which ends of r are home hosts.
func (s *Summary) homes(r *parsers.Record, src, dst netip.Addr) (srcHome, dstHome bool) {
	srcHome = r.Direction == parsers.DirOut || s.cfg.HomeNet.Has(src)
	dstHome = r.Direction == parsers.DirIn || s.cfg.HomeNet.Has(dst)
	return srcHome, dstHome
}
