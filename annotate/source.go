package annotate

import (
	"io"
	"sync/atomic"

	"github.com/portnote/portnote/parsers"
)

// Source is one input of the engine: a file, standard input, or one of
// the files a followed name leads to over time. The engine tells lines
// apart by the *Source they come from (pointer identity): a rotated-in
// file is a new Source with the same Path and a higher Generation, so
// that whatever is learnt of one input (its line count, a header line's
// meaning) never carries over to the next.
type Source struct {
	// Path is the file's name as the user gave it; "" for standard input.
	Path string
	// Generation counts the files a followed name has led to: 0 for the
	// one found at start, 1 after the first rotation or truncation, and
	// so on. It is 0 for inputs that are not followed.
	Generation int
	// FirstLine is the number, in the file, of the source's first line
	// that reaches the engine: 1 when it is read from its start, N for
	// "-n +N", 0 when unknown (reading started at the last lines).
	FirstLine int64

	lines int64 // lines the engine has read from it; on Run's goroutine

	// state is what the source's lines have said about later ones (a
	// header's columns...), made on first need; on Run's goroutine.
	state *parsers.InputState
	// ordered is state.Ordered(), for the workers: set, the source's
	// lines are all annotated by Run, in order.
	ordered atomic.Bool
}

// State that belongs to one input (what a format's header line says of
// the lines after it, in the same file only) lives in its Source: split
// sees every job's source in input order, before any worker; each
// worker switches to a job's source in setSource; Run's goroutine sees
// jobs, and counts lines per source, in input order, and so is where
// that state is read and changed (annotateInOrder). A new *Source, not a
// new Path, is what starts such state afresh.

// inputState returns the source's state, made on first use. A nil
// source is an input of its own each time.
func (s *Source) inputState() *parsers.InputState {
	if s == nil {
		return new(parsers.InputState)
	}
	if s.state == nil {
		s.state = new(parsers.InputState)
	}
	return s.state
}

// orderedLines reports whether every line of the source must be
// annotated in input order, with its state.
func (s *Source) orderedLines() bool { return s != nil && s.ordered.Load() }

// Name is how output and messages show the source: its Path, or
// "(standard input)", as grep does.
func (s *Source) Name() string {
	if s == nil || s.Path == "" {
		return "(standard input)"
	}
	return s.Path
}

// SourceReader is a reader of several sources at once, such as the
// files followed by name: each read returns bytes of one source and
// says which. When the source changes, the previous one's last line
// ends there, with a newline or not; the engine never puts lines of two
// sources into one job, and ends a line left open at a source's end
// before another source's output follows. Plain readers passed to
// [Annotator.Run] are one source without a name.
type SourceReader interface {
	ReadSource(p []byte) (n int, src *Source, err error)
}

// oneSource reads all of r as src.
type oneSource struct {
	r   io.Reader
	src *Source
}

func (o oneSource) ReadSource(p []byte) (int, *Source, error) {
	n, err := o.r.Read(p)
	return n, o.src, err
}

// Unparsed is a line that looked like a firewall record of some format
// but did not parse, kept so that a user can be shown where it is.
type Unparsed struct {
	Source *Source // nil for lines given to AppendLine
	// Line counts the source's lines from the first one read (1), as
	// Source.FirstLine places it in the file; for AppendLine, all lines
	// so far.
	Line int64
	Err  string // what the parser said
}

// FileLine is the line's number in its file, or 0 when the file was
// not read from a known line.
func (u *Unparsed) FileLine() int64 {
	if u.Source == nil {
		return u.Line
	}
	if u.Source.FirstLine == 0 {
		return 0
	}
	return u.Source.FirstLine - 1 + u.Line
}

// unparsedKept is how many unparsed lines an Annotator keeps to show:
// enough to find the pattern, few enough to read.
const unparsedKept = 5

// Unparsed returns the first lines, up to five, that looked like
// firewall records but did not parse, in input order. Stats.Unparsed
// counts them all.
func (a *Annotator) Unparsed() []Unparsed { return a.unparsed }

// setSource makes src the source of the lines that follow, and renders
// its name for WithFilename once. It runs for every job, on the worker's
// goroutine; a change of src is where per-source worker state would
// switch.
func (w *lineWorker) setSource(src *Source) {
	if src == w.src {
		return
	}
	w.src = src
	if !w.cfg.WithFilename {
		return
	}
	w.filePrefix, w.fileJSON = w.filePrefix[:0], w.fileJSON[:0]
	if w.cfg.Output == JSON {
		// Standard input has no path to give.
		if src != nil && src.Path != "" {
			w.fileJSON = append(w.fileJSON, `,"log":{"file":{"path":`...)
			w.fileJSON = appendJSONString(w.fileJSON, []byte(src.Path))
			w.fileJSON = append(w.fileJSON, "}}"...)
		}
		return
	}
	if w.cfg.Visible {
		w.filePrefix = appendVisible(w.filePrefix, []byte(src.Name()), &w.cfg.Colors)
	} else {
		w.filePrefix = append(w.filePrefix, src.Name()...)
	}
	w.filePrefix = append(w.filePrefix, ':')
}
