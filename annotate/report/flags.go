package report

import "github.com/portnote/portnote/parsers"

// TCP header flags, at their bits in the header.
const (
	flagFIN = 1 << iota
	flagSYN
	flagRST
	flagPSH
	flagACK
	flagURG
)

// tcpFlags returns the TCP flags of r and whether the log shows them.
func tcpFlags(r *parsers.Record) (uint16, bool) { return 0, false }
