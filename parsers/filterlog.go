package parsers

// parseFilterlog is being written; see the parsers issue.
func parseFilterlog(msg []byte, r *Record, e *SyntaxError) result { return notMine }
