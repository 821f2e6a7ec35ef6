package parsers

// parsePF is being written; see the parsers issue.
func parsePF(msg []byte, r *Record, e *SyntaxError) result { return notMine }
