package annotate

import (
	"bytes"
	"time"

	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Output selects how lines are written.
type Output uint8

const (
	Text Output = iota // the line, then an annotation on records
	JSON               // one ECS-shaped JSON object per line
)

// Config is everything the engine needs to know, decided by the caller.
type Config struct {
	Registry *registry.Registry // nil means registry.Default()
	Output   Output
	Select   Selection
	Colors   Colors

	// Format forces one log format instead of detecting it per line.
	Format parsers.Format
	// Location is the time zone of timestamps that carry none; nil is UTC.
	Location *time.Location
	// Now anchors RFC 3164 year inference; zero means the wall clock.
	Now time.Time

	// Visible replaces control bytes and invalid UTF-8 in the original
	// line by visible escapes (^[, \x9b) in text output, so that a crafted
	// line cannot drive the terminal it is shown on. Set it only when
	// writing to a terminal: in pipes the bytes must stay untouched.
	Visible bool

	// Explain writes, after each line, which parser took it and what it
	// found, or why no parser did.
	Explain bool

	// WithFilename writes the name of each line's Source: "NAME:" before
	// the line in text, as grep -H does, and log.file.path in JSON.
	WithFilename bool

	// Observer, if set, sees every firewall record the selection keeps,
	// after lookup, in input order. It must not keep the *Record or its
	// slices.
	Observer Observer

	// Discard counts, selects and observes lines but writes nothing: for
	// a report without the lines it summarises.
	Discard bool

	// Requests lets another goroutine run a function on the engine's
	// goroutine while Run is active, between two chunks of input or while
	// Run waits for input, with the counts so far: how a periodic or
	// on-signal report reads the engine's state without locks.
	Requests <-chan func(Stats)
}

// Observer receives each firewall record together with its lookups, on
// Run's goroutine and in input order. It is how reports are built on top
// of the stream. The record's Message may be nil.
type Observer interface {
	Observe(r *parsers.Record, l *Lookup)
}

// Lookup is what the registry says about one record.
type Lookup struct {
	// Dest describes the destination port; valid when the record has
	// ports. When the record's transport is unknown (some pf lines) it is
	// the TCP entry, or the UDP one when only UDP knows the port, and
	// Guessed is set.
	Dest    registry.Entry
	Guessed bool
	// Reflector is set when a UDP record comes from an amplification
	// source port: the sign of a reflected flood, not of a probe.
	Reflector *registry.Abuse
	// Line is the input line the record came from, without its line
	// ending, for an Observer to quote (as the events of a report do).
	// It is set only for an Observer and valid only while it observes.
	Line []byte
}

// Abused reports whether the record deserves a second look: its
// destination is in the abuse catalogue or it comes from a reflector.
func (l *Lookup) Abused() bool { return l.Dest.Abuse != nil || l.Reflector != nil }

// Stats counts what the engine has seen.
type Stats struct {
	Lines    int64                      // lines read
	Records  [parsers.FormatCount]int64 // firewall records, indexed by parsers.Format
	Partial  int64                      // records with a field unreadable or left out (parsers.Record.Partial)
	Unparsed int64                      // lines shaped like firewall records that did not parse
	Selected int64                      // lines the selection kept (all of them without one)
	Bytes    int64                      // input bytes, newlines included
	Broken   [parsers.FormatCount]int64 // Unparsed by the format they resembled
}

// TotalRecords sums Records over formats.
func (s *Stats) TotalRecords() int64 {
	var n int64
	for _, c := range s.Records {
		n += c
	}
	return n
}

// Annotator turns input lines into output lines. Create it with New.
type Annotator struct {
	cfg     Config
	reg     *registry.Registry
	stats   Stats
	line    *lineWorker   // AppendLine's state; Run has its own workers
	jobs    []*job        // Run's buffers, kept from one input to the next
	workers []*lineWorker // Run's workers, kept with their memos likewise
	// inOrder annotates, on Run's goroutine, the jobs whose lines depend
	// on earlier lines of their source (annotateInOrder).
	inOrder     *lineWorker
	inOrderJobs int64 // how many, for tests
	// lineOpen: the output so far ends inside a line, the last of an
	// input without a newline; more output starts with one.
	lineOpen bool
	unparsed []Unparsed // the first few, for Unparsed
}

// lineWorker holds what annotating a line needs that goroutines cannot
// share: a parser (with its error and date memo), the record and lookup
// being built, and where counts and observed records go. Config and
// registry are shared read-only.
type lineWorker struct {
	cfg     *Config
	reg     *registry.Registry
	parser  parsers.Parser
	explain parsers.Parser
	rec     parsers.Record
	look    Lookup
	stamp   stampCache
	entries entryCache
	notes   noteCache
	// bare is set when nothing but the output looks at the lookup: no
	// selection, observer or explanation. What the destination adds to
	// the output then comes from notes.
	bare bool
	// selecting is Select.Active(), asked once rather than per line.
	selecting bool
	stats     *Stats
	// observed collects records for the Observer when lines are
	// annotated off the Observer's goroutine; nil means call it directly.
	observed *[]observation
	// unparsed collects lines that did not parse, numbered by
	// stats.Lines, up to unparsedKept.
	unparsed *[]Unparsed
	// src is where the lines come from; filePrefix and fileJSON are its
	// name as WithFilename writes it, in text and JSON.
	src        *Source
	filePrefix []byte
	fileJSON   []byte
}

// observation is a record kept for the Observer until its chunk of input
// is released: the record's slices point into that chunk.
type observation struct {
	rec  parsers.Record
	look Lookup
}

// New returns an Annotator for cfg.
func New(cfg Config) *Annotator {
	a := &Annotator{cfg: cfg, reg: cfg.Registry}
	if a.reg == nil {
		a.reg = registry.Default()
	}
	a.line = a.newWorker(&a.stats, nil)
	a.line.unparsed = &a.unparsed
	// AppendLine's lines are one input, in order.
	a.line.parser.State = new(parsers.InputState)
	return a
}

func (a *Annotator) newWorker(stats *Stats, observed *[]observation) *lineWorker {
	outputOnly := !a.cfg.Explain && a.cfg.Observer == nil
	textOnly := a.cfg.Output == Text && outputOnly
	w := &lineWorker{
		cfg: &a.cfg,
		reg: a.reg,
		parser: parsers.Parser{
			Format: a.cfg.Format, Location: a.cfg.Location, Now: a.cfg.Now,
			// Text annotations show only where the packet went: skip
			// reading the time, the TCP flags, the verdict and, where
			// that can be done, the whole envelope, which holds the
			// verdict. A selection on the verdict needs both.
			NoTime:     textOnly,
			NoTCPFlags: textOnly,
			NoAction:   textOnly && a.cfg.Select.Actions == 0,
			NoEnvelope: textOnly && a.cfg.Select.Actions == 0,
		},
		stats:     stats,
		observed:  observed,
		entries:   entryCache{render: appendEntryText},
		bare:      outputOnly && !a.cfg.Select.Active(),
		selecting: a.cfg.Select.Active(),
	}
	if a.cfg.Output == JSON {
		w.entries.render = appendEntryJSON
	}
	return w
}

// Stats returns the counts so far.
func (a *Annotator) Stats() Stats { return a.stats }

// separator opens every text annotation. It is what makes annotations
// greppable and splittable, and how an annotated line is recognised so
// that it is never annotated twice (see reread.go).
const separator = " #pn "

// AppendLine processes one input line and appends its output to dst.
// line excludes the newline; hasNewline says whether one followed it
// (only the last line of an input may lack it). A line that the
// selection drops appends nothing. It must not be called while Run is
// running.
func (a *Annotator) AppendLine(dst, line []byte, hasNewline bool) []byte {
	return a.line.appendLine(dst, line, hasNewline, bytes.IndexByte(line, '#') >= 0)
}

// appendLine is AppendLine for a line that holds a '#' when hasHash, and
// none otherwise: how the line might already be annotated.
func (w *lineWorker) appendLine(dst, line []byte, hasNewline, hasHash bool) []byte {
	w.stats.Lines++
	w.stats.Bytes += int64(len(line))
	if hasNewline {
		w.stats.Bytes++
	}
	body, cr := line, false
	if n := len(line); n > 0 && line[n-1] == '\r' {
		body, cr = line[:n-1], true
	}
	// A line that ends in annotations (portnote's output read again) is
	// parsed without them, so that it gives the record of the original.
	parsed, trail := body, []byte(nil)
	if hasHash {
		if first, last := trailingAnnotations(body); first >= 0 {
			parsed, trail = body[:first], body[last:]
		}
	}

	err := w.parser.Parse(parsed, &w.rec)
	isRecord := err == nil
	if isRecord {
		w.stats.Records[w.rec.Format]++
		if w.rec.Partial != 0 {
			w.stats.Partial++
		}
		if !w.bare {
			w.lookup() // else when the output is written, if need be
		}
	} else if se, ok := err.(*parsers.SyntaxError); ok {
		w.stats.Unparsed++
		w.stats.Broken[se.Format]++
		if len(*w.unparsed) < unparsedKept {
			*w.unparsed = append(*w.unparsed, Unparsed{Source: w.src, Line: w.stats.Lines, Err: se.Error()})
		}
	}

	selected := w.selected(isRecord)
	if selected {
		w.stats.Selected++
		// The observer sees what the selection keeps, so that a report
		// over "--abused" is a report on abused ports.
		if isRecord && w.cfg.Observer != nil {
			w.look.Line = body
			if w.observed != nil {
				// Message may live in the parser's scratch buffer, which
				// the next line reuses; observers get the rest.
				o := observation{w.rec, w.look}
				o.rec.Message = nil
				*w.observed = append(*w.observed, o)
			} else {
				w.cfg.Observer.Observe(&w.rec, &w.look)
			}
		}
	}
	if !selected || w.cfg.Discard {
		if w.cfg.Explain {
			dst = w.appendExplain(dst, parsed, err)
		}
		return dst
	}

	if len(w.filePrefix) > 0 {
		dst = append(dst, w.filePrefix...)
	}
	switch w.cfg.Output {
	case JSON:
		dst = w.appendJSON(dst, body, line, isRecord)
		dst = append(dst, '\n')
	default:
		if w.cfg.Visible {
			dst = appendVisible(dst, body, &w.cfg.Colors)
		} else {
			dst = append(dst, body...)
		}
		// A line that already carries its record's annotation
		// (portnote's output fed back in) is passed through as it is.
		if isRecord && !(trail != nil && w.annotates(trail)) {
			if w.bare {
				dst = w.appendNote(dst)
			} else {
				dst = w.appendAnnotation(dst)
			}
		}
		if cr {
			dst = append(dst, '\r')
		}
		if hasNewline {
			dst = append(dst, '\n')
		}
	}
	if w.cfg.Explain {
		dst = w.appendExplain(dst, parsed, err)
	}
	return dst
}

// lookup fills w.look for w.rec.
// LookupRecord returns what reg (nil: registry.Default()) says about r,
// exactly as the engine hands it to an [Observer]: for programs and
// tests that feed an Observer records of their own.
func LookupRecord(reg *registry.Registry, r *parsers.Record) Lookup {
	if reg == nil {
		reg = registry.Default()
	}
	w := lineWorker{reg: reg, rec: *r}
	w.lookup()
	return w.look
}

func (w *lineWorker) lookup() {
	r := &w.rec
	w.look = Lookup{}
	if !r.HasPorts {
		return
	}
	if !r.HasProto {
		tcp := w.reg.Lookup(r.DstPort, registry.TCP)
		w.look.Dest, w.look.Guessed = tcp, true
		if !tcp.Assigned() && tcp.Abuse == nil {
			if udp := w.reg.Lookup(r.DstPort, registry.UDP); udp.Assigned() || udp.Abuse != nil {
				w.look.Dest = udp
			}
		}
		return
	}
	t := LookupTransport(r.Proto)
	w.look.Dest = w.reg.Lookup(r.DstPort, t)
	w.look.Reflector = w.reflector()
}

// reflector returns the reflector w.rec comes from, if it is a UDP record
// from an amplification source port worth a flag.
func (w *lineWorker) reflector() *registry.Abuse {
	r := &w.rec
	if LookupTransport(r.Proto) != registry.UDP || r.Partial&parsers.PartialSrcPort != 0 {
		return nil
	}
	// Low-severity reflectors (BitTorrent DHT and the like) are also
	// ordinary peers: replies from them are not worth a flag.
	if ab := w.reg.Reflector(r.SrcPort, registry.UDP); ab != nil && ab.Severity >= registry.Medium {
		return ab
	}
	return nil
}

// LookupTransport maps a record's protocol to the registry table that
// names its ports. UDP-Lite shares UDP's port numbers (RFC 3828, 3.5).
func LookupTransport(p parsers.Protocol) registry.Transport {
	if p == parsers.ProtoUDPLite {
		return registry.UDP
	}
	return registry.Transport(p)
}

func (w *lineWorker) selected(isRecord bool) bool {
	if !w.selecting {
		return true
	}
	s := &w.cfg.Select
	if !isRecord {
		return false
	}
	r := &w.rec
	if s.Abused && !w.look.Abused() {
		return false
	}
	if s.Ports != nil && (!r.HasPorts || !s.Ports.Match(r.DstPort, r.Proto, r.HasProto)) {
		return false
	}
	if s.Protos != nil && (!r.HasProto || !s.Protos.Has(r.Proto)) {
		return false
	}
	if s.Classes != 0 && (!r.HasPorts || !s.Classes.Has(w.look.Dest.Class)) {
		return false
	}
	if s.Src != nil && !s.Src.Has(r.Src) {
		return false
	}
	if s.Dst != nil && !s.Dst.Has(r.Dst) {
		return false
	}
	if s.Actions != 0 && !s.Actions.Has(r.Action) {
		return false
	}
	if s.MinSeverity != 0 || s.Categories != 0 {
		return w.abuseSelected(s)
	}
	return true
}

// abuseSelected applies the criteria on the abuse catalogue: the
// destination's entry and the reflector both count.
func (w *lineWorker) abuseSelected(s *Selection) bool {
	var sev registry.Severity
	cat := false
	for _, ab := range [2]*registry.Abuse{w.look.Dest.Abuse, w.look.Reflector} {
		if ab != nil {
			sev = max(sev, ab.Severity)
			cat = cat || s.Categories.Has(ab.Category)
		}
	}
	return sev != 0 && sev >= s.MinSeverity && (s.Categories == 0 || cat)
}
