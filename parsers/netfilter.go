package parsers

// parseNetfilter is being written; see the parsers issue.
func parseNetfilter(msg []byte, r *Record, e *SyntaxError) result { return notMine }
