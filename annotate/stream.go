package annotate

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"sync"
)

// jobSize is how much input one read asks for, and so the usual size of a
// job: large enough that per-job costs vanish, small enough that a few
// jobs per worker stay far below the memory bound.
const jobSize = 256 << 10

// MaxLine is the longest line Run parses, newline excluded. No firewall
// record comes near it; a longer line, such as a stream without
// newlines, is passed through unparsed, as it arrives, so that memory
// stays bounded whatever its length: byte for byte in text, its first
// MaxLine bytes in JSON (see [Annotator.Run]).
const MaxLine = 1 << 20

// A job is a run of whole input lines on its way through the pipeline:
// read by the splitter, annotated by a worker, written and observed by
// Run, then recycled.
type job struct {
	in []byte // whole lines of src; when final or at src's end, the last may lack its newline
	// src is where in comes from: a job never mixes sources.
	src   *Source
	final bool  // in ends the input
	err   error // what ended the input (io.EOF normally), when final
	// ends says in ends the input or its source: its last line may lack
	// a newline.
	ends bool
	// A line longer than MaxLine goes through in pieces: first holds its
	// start (all of in); rest says in starts with more of it, up to the
	// first newline, or all of in when there is none (and !ends).
	first, rest bool
	// inOrder says a worker met a line that reads or changes its
	// source's state (parsers.Parser.Stateful), or left the job alone
	// because its source's lines all depend on that state: Run
	// annotates it again, in input order (annotateInOrder).
	inOrder  bool
	out      []byte
	stats    Stats
	observed []observation
	unparsed []Unparsed    // Line counts from the job's first line
	done     chan struct{} // a worker has finished the job
}

// reset empties a job for reuse, keeping its buffers.
func (j *job) reset() {
	j.in, j.out, j.observed, j.unparsed = j.in[:0], j.out[:0], j.observed[:0], j.unparsed[:0]
	j.src, j.final, j.err, j.stats = nil, false, nil, Stats{}
	j.ends, j.first, j.rest, j.inOrder = false, false, false, false
}

// WriteError wraps a failure to write the output, so that callers can
// tell it from a failure to read the input.
type WriteError struct{ Err error }

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// Run annotates src until its end, writing to w, and returns nil at EOF.
// src is one input without a name, or, if it is a [SourceReader],
// several named ones.
// It stops early, with ctx.Err(), when ctx is done; everything annotated
// by then has been written.
//
// The work is a pipeline: one goroutine reads src (and so runs a
// decompressor) and cuts the input into jobs of whole lines, one worker
// per CPU annotates jobs in parallel, and Run writes the results in input
// order and hands records to the Observer, in order, on its own
// goroutine. A read that returns less than a full job (a live pipe) is
// passed on at once, so "tail -f | portnote" shows each line as soon as
// it is complete, while a file is read and written in 256 KiB blocks.
//
// A line may be longer than a job: the job grows to hold it, up to
// MaxLine bytes. A longer line is no firewall record: it is passed on
// unparsed, piece by piece as it is read, so that memory stays bounded
// however long it is. Text output carries it byte for byte; in JSON it
// becomes {"message": ...} with its first MaxLine bytes (cut back to a
// whole UTF-8 character) and "log":{"flags":["truncated"]}, as Filebeat
// marks lines past its max_bytes. The last line of src is processed
// even without a newline and written without one, unless more output
// follows, from this Run or the next: a line is never glued to the next
// input's first line. A line cut short by a read error is closed with a
// newline.
func (a *Annotator) Run(ctx context.Context, src io.Reader, w io.Writer) error {
	sr, ok := src.(SourceReader)
	if !ok {
		sr = oneSource{src, &Source{}}
	}
	return a.run(ctx, sr, w)
}

// RunSource is Run for one named input.
func (a *Annotator) RunSource(ctx context.Context, src *Source, r io.Reader, w io.Writer) error {
	return a.run(ctx, oneSource{r, src}, w)
}

func (a *Annotator) run(ctx context.Context, src SourceReader, w io.Writer) error {
	workers := runtime.GOMAXPROCS(0)
	slots := 2*workers + 2
	for len(a.jobs) < slots {
		// Buffers come with a job's first use: a short input needs one.
		a.jobs = append(a.jobs, &job{done: make(chan struct{}, 1)})
	}
	free := make(chan *job, slots)
	for _, j := range a.jobs {
		free <- j
	}
	todo := make(chan *job, slots)
	ordered := make(chan *job, slots)
	stop := make(chan struct{})
	for len(a.workers) < workers {
		// Kept from one input to the next: a worker's parser and notes
		// learn a log's sources and ports, and many short inputs would
		// otherwise each pay for making and warming them.
		a.workers = append(a.workers, a.newWorker(nil, nil))
	}
	var wg sync.WaitGroup
	for _, lw := range a.workers[:workers] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lw.work(todo, stop)
		}()
	}
	splitterDone := make(chan struct{})
	go func() {
		defer close(splitterDone)
		split(src, free, todo, ordered, stop)
	}()
	finished := false
	defer func() {
		close(stop)
		wg.Wait()
		if !finished {
			// The splitter may still be blocked reading src and may yet
			// fill a job: this pool must not be used again.
			a.jobs = nil
		}
	}()

	for {
		var j *job
		for j == nil {
			select {
			case j = <-ordered:
			case f := <-a.cfg.Requests:
				f(a.stats)
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err := a.serve(ctx, j.done); err != nil {
			return err
		}
		if j.inOrder || j.src.orderedLines() {
			a.annotateInOrder(j)
		}
		if len(j.out) > 0 {
			if a.lineOpen && !j.rest { // a piece of a long line goes on from the last
				// The last input ended without a newline: end its line
				// before this one starts.
				if _, err := w.Write(newline); err != nil {
					return &WriteError{err}
				}
			}
			if _, err := w.Write(j.out); err != nil {
				return &WriteError{err}
			}
			a.lineOpen = j.out[len(j.out)-1] != '\n'
		}
		for k := range j.observed {
			a.cfg.Observer.Observe(&j.observed[k].rec, &j.observed[k].look)
		}
		if j.src != nil { // nil only for an input with no bytes at all
			for _, u := range j.unparsed {
				if len(a.unparsed) < unparsedKept {
					u.Line += j.src.lines
					a.unparsed = append(a.unparsed, u)
				}
			}
			j.src.lines += j.stats.Lines
		}
		a.stats.add(&j.stats)
		if j.final {
			<-splitterDone
			finished = true
			if j.err == io.EOF {
				return nil
			}
			return j.err
		}
		free <- j
	}
}

// serve waits for done, answering Requests meanwhile. It returns
// ctx.Err() if ctx ends first.
func (a *Annotator) serve(ctx context.Context, done <-chan struct{}) error {
	for {
		select {
		case <-done:
			return nil
		case f := <-a.cfg.Requests:
			f(a.stats)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

var newline = []byte{'\n'}

// split reads src into jobs of whole lines of one source and hands each
// to the workers (todo) and to Run (ordered), in input order. A line
// longer than MaxLine is handed on in pieces (job.first, job.rest).
func split(src SourceReader, free <-chan *job, todo, ordered chan<- *job, stop <-chan struct{}) {
	// carry is what the next job starts with: the start of a line whose
	// end is not read yet or, after a change of source, what was read of
	// the new one. carrySrc is its source; carryErr ends the input after
	// it. long says the next job goes on with a long line.
	var carry []byte
	var carrySrc *Source
	var carryErr error
	long := false
	for {
		var j *job
		select {
		case j = <-free:
		case <-stop:
			return
		}
		j.reset()
		if cap(j.in) == 0 {
			j.in = make([]byte, 0, jobSize)
		}
		j.in = append(j.in, carry...)
		j.src, j.rest = carrySrc, long
		carry = carry[:0]
		// Carried lines of a new source go at once: the next read may
		// wait long on a live input. (A carried start of a line holds
		// no newline.)
		ready := bytes.IndexByte(j.in, '\n') >= 0
		if carryErr != nil {
			j.final, j.err, j.ends, ready = true, carryErr, true, true
		}
		for !ready {
			if len(j.in) == cap(j.in) {
				if j.rest {
					break // a piece of the long line: on with it
				}
				if len(j.in) > MaxLine {
					j.first = true // the start of a line too long to parse
					break
				}
				// A line longer than a job: make room for the rest, up
				// to what tells a long line.
				grown := make([]byte, len(j.in), min(2*cap(j.in), MaxLine+1))
				j.in = grown[:copy(grown, j.in)]
			}
			n, s, err := src.ReadSource(j.in[len(j.in):cap(j.in)])
			if s != j.src && (n > 0 || len(j.in) == 0) {
				if len(j.in) > 0 || j.rest {
					// The job's source has ended, and with it its last
					// line: what was read is the next job's, and so is
					// err.
					carry = append(carry, j.in[len(j.in):len(j.in)+n]...)
					carrySrc, carryErr = s, err
					j.ends = true
					break
				}
				j.src, carrySrc = s, s
			}
			j.in = j.in[:len(j.in)+n]
			if err != nil {
				j.final, j.err, j.ends = true, err, true
				break
			}
			ready = bytes.IndexByte(j.in[len(j.in)-n:], '\n') >= 0
		}
		switch {
		case j.ends:
			long = false
		case j.first:
			long = true
		case j.rest && bytes.IndexByte(j.in, '\n') < 0:
			// All of it goes on with the long line, which goes on.
		default:
			cut := bytes.LastIndexByte(j.in, '\n') + 1
			carry = append(carry, j.in[cut:]...)
			j.in = j.in[:cut]
			long = false
		}
		ordered <- j
		todo <- j
		if j.final {
			return
		}
	}
}

// work annotates jobs until stop is closed, leaving to Run those whose
// lines depend on each other (job.inOrder).
func (w *lineWorker) work(todo <-chan *job, stop <-chan struct{}) {
	for {
		var j *job
		select {
		case j = <-todo:
		case <-stop:
			return
		}
		if j.src.orderedLines() {
			j.inOrder = true // Run annotates it: no need to do it twice
		} else {
			w.annotate(j, true)
		}
		j.done <- struct{}{}
	}
}

// annotate annotates the lines of j into j.out. Out of order, it stops
// at the first line that reads or changes its source's state, and sets
// j.inOrder: the job is to be annotated again, in order, with that state.
func (w *lineWorker) annotate(j *job, outOfOrder bool) {
	w.stats, w.observed, w.unparsed = &j.stats, &j.observed, &j.unparsed
	if w.cfg.Observer == nil {
		w.observed = nil
	}
	w.setSource(j.src)
	if need := w.outputRoom(len(j.in)); cap(j.out) < need {
		// Room at once for what annotating the job's lines usually
		// makes of them: grown by append instead, the output would
		// leave each smaller buffer to the garbage collector and
		// fault in fresh pages at every step. A job more than half
		// full gets the room of a full one, so that the next job,
		// a little longer, finds room too; a short input does not
		// pay for a full job's output.
		if len(j.in) > jobSize/2 {
			need = max(need, w.outputRoom(jobSize))
		}
		j.out = make([]byte, 0, need)
	}
	out, in := j.out, j.in
	start := 0
	switch {
	case j.first:
		out = w.appendLongStart(out, in)
		start = len(in)
	case j.rest:
		end := bytes.IndexByte(in, '\n')
		switch {
		case end >= 0:
			out = w.appendLongRest(out, in[:end], true, true)
			start = end + 1
		default:
			out = w.appendLongRest(out, in, j.ends, j.err != nil && j.err != io.EOF)
			start = len(in)
		}
	}
	// hash is where the next '#' is, at or after the current line, or
	// len(in): firewall logs rarely hold one, and one search a job
	// tells most lines that they cannot carry an annotation.
	hash := -1
	for start < len(in) {
		end := len(in)
		if i := bytes.IndexByte(in[start:], '\n'); i >= 0 {
			end = start + i
		}
		if hash < start {
			hash = len(in)
			if i := bytes.IndexByte(in[start:], '#'); i >= 0 {
				hash = start + i
			}
		}
		if end == len(in) {
			// The last line of the input or source, without newline;
			// closed if a read error cut it.
			out = w.appendLine(out, in[start:], j.err != nil && j.err != io.EOF, hash < end)
		} else {
			out = w.appendLine(out, in[start:end], true, hash < end)
		}
		if outOfOrder && w.parser.Stateful() {
			j.inOrder = true
			break
		}
		start = end + 1
	}
	j.out = out
}

// annotateInOrder annotates j again, on Run's goroutine and so in input
// order, with its source's state: a worker found a line in it that reads
// or changes that state, or the source's lines all depend on it. Jobs
// without such lines never come here.
func (a *Annotator) annotateInOrder(j *job) {
	if a.inOrder == nil {
		a.inOrder = a.newWorker(nil, nil)
	}
	w := a.inOrder
	a.inOrderJobs++
	state := j.src.inputState()
	w.parser.State = state
	j.out, j.stats, j.observed, j.unparsed = j.out[:0], Stats{}, j.observed[:0], j.unparsed[:0]
	w.annotate(j, false)
	w.parser.State = nil
	if j.src != nil {
		j.src.ordered.Store(state.Ordered())
	}
}

// outputRoom is how much output annotating n bytes of input usually
// makes, with some to spare: text adds a short note to most lines, JSON
// comes to near three times the input.
func (w *lineWorker) outputRoom(n int) int {
	if w.cfg.Output == JSON {
		return 3*n + n/4
	}
	return n + n/2
}

// add accumulates another set of counts.
func (s *Stats) add(o *Stats) {
	s.Lines += o.Lines
	s.Unparsed += o.Unparsed
	s.Partial += o.Partial
	s.Selected += o.Selected
	s.Bytes += o.Bytes
	for i := range s.Records {
		s.Records[i] += o.Records[i]
		s.Broken[i] += o.Broken[i]
	}
}
