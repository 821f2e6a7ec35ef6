package parsers

// InputState is what the earlier lines of one input (a file, standard
// input, one generation of a rotated file) say about its later lines: the
// columns that a header line names, for the families whose records are
// rows of a table (the "#Fields:" line of a Windows Firewall log, the
// first line of an AWS VPC Flow Logs file in S3), or what a connection's
// first message said that its last one leaves out.
//
// A Parser given a State (Parser.State) reads and changes it as it parses,
// so the lines of an input must reach that Parser in their order, and
// each input needs its own State: one never carries over into another,
// since a rotated-in file starts with its own header. The zero value is
// an input of which nothing is known yet: records are read in their
// family's documented default layout.
//
// Its size is fixed whatever the input, so memory stays bounded however
// many inputs are read. It is not safe for concurrent use.
//
// How a family uses it (for those adding one): a line that changes the
// state, or whose reading depends on more than a layout (a connection
// table), gets it from Parser.inputState, which marks the line Stateful
// for callers that parse out of order; with no State it gets nil and
// reads the line alone. A family whose header sets a layout that every
// later row is read by makes Ordered report it, so that its rows need
// not each be marked: a file with no header, or with the default one,
// stays free to be parsed in parallel. A field added here must be small
// or bounded (a fixed-size table, allocated on first use), and cleared
// by the zero value.
type InputState struct {
	w3c w3cState  // windows-firewall: the "#Fields:" line
	asa *asaConns // cisco-asa: which end opened recent connections
}

// Reset forgets everything s has learnt, to start another input.
func (s *InputState) Reset() { *s = InputState{} }

// Ordered reports whether every later line of the input must be parsed
// with s, in input order, whether or not Parse marks it Stateful: s holds
// a layout that differs from its family's default, which rows of that
// family are read by without saying so.
func (s *InputState) Ordered() bool {
	return s.w3c.cols.n > 0
}

// Stateful reports whether the line Parse read last changed or consulted
// the state of its input (Parser.State), whether or not the Parser has
// one: a header line, or a record whose meaning depends on earlier lines
// of its input. A caller that parses lines out of their order, or without
// a State (such as workers each given a part of the input), must parse
// such a line again, in order, with its input's State, and after it
// every line while that State is Ordered.
func (p *Parser) Stateful() bool { return p.stateful }

// inputState returns the state of the input the line being parsed comes
// from, to read or change, and marks the line Stateful; nil when the
// Parser holds no State, and the line is then read on its own.
func (p *Parser) inputState() *InputState {
	p.stateful = true
	return p.State
}
