package report

import "github.com/portnote/portnote/parsers"

// TCP header flags, at their bits in the header (as parsers.TCPFlags).
const (
	flagFIN = uint16(parsers.TCPFin)
	flagSYN = uint16(parsers.TCPSyn)
	flagRST = uint16(parsers.TCPRst)
	flagPSH = uint16(parsers.TCPPsh)
	flagACK = uint16(parsers.TCPAck)
	flagURG = uint16(parsers.TCPUrg)
)

// tcpFlags returns the TCP flags of r and whether the log shows them.
func tcpFlags(r *parsers.Record) (uint16, bool) { return uint16(r.TCPFlags), r.HasTCPFlags }
