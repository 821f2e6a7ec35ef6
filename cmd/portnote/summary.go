package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/annotate/report"
)

// reporter keeps the report (--summary and its kin): it prints it to
// stderr after the lines, to stdout in their place (--summary-only) or
// to a file (--summary-file), in text, JSON or HTML; it writes events as
// they happen (--events) and keeps the --baseline file.
type reporter struct {
	c        *cli
	summary  *report.Summary
	printing bool      // a report is wanted, not only events or a baseline
	w        io.Writer // where reports go, unless file is set
	file     string
	format   string // text, json or html
	style    report.Style

	events      *os.File // nil: none, or stderr
	eventsName  string
	eventsToErr bool
	eventsErr   error
	eventBuf    []byte

	baseline      string // the file, or ""
	writeBaseline bool   // at the end: it did not exist, or --baseline-update
}

// newReporter sets cfg up to feed a summary and returns what prints it,
// or nil when no flag asks for a report, events or a baseline.
// --summary-every alone means a report on stderr, every interval and at
// the end.
func (c *cli) newReporter(o *options, cfg *annotate.Config) (*reporter, error) {
	printing := o.summary || o.summaryOnly || o.summaryEvery != 0 || o.summaryFile != ""
	if !printing && o.events == "" && o.baseline == "" {
		return nil, nil
	}
	r := &reporter{c: c, printing: printing, w: c.stderr, file: o.summaryFile, format: o.summaryFormat}
	if r.format == "" {
		r.format = "text"
		if o.output == "json" {
			r.format = "json"
		}
	}
	rc := report.Config{
		Top: o.top, ScanPorts: o.scanPorts, SweepHosts: o.sweepHosts, ScanWindow: o.scanWindow,
		HomeNet: o.homeNet, Registry: cfg.Registry,
	}
	if o.baseline != "" {
		r.baseline = o.baseline
		b, err := readBaseline(o.baseline)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			r.writeBaseline = true // the first run makes it
		case err != nil:
			return nil, err
		default:
			rc.Baseline, r.writeBaseline = b, o.baselineUpdate
		}
	}
	if o.events != "" {
		if err := r.openEvents(o.events); err != nil {
			return nil, err
		}
		rc.Events = r.event
	}
	r.summary = report.New(rc)
	if o.summaryOnly {
		r.w, cfg.Discard = c.stdout, true
	}
	if !printing && o.summaryFile == "" && !o.summaryOnly {
		r.w = nil
	}
	cfg.Observer = r.summary
	// The report's state stays within its budget, but the tables it
	// rebuilds as it gives way leave garbage: ask the collector to keep
	// the heap near the budget too, unless the user set GOMEMLIMIT.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(2*report.DefaultMemory + 32<<20)
	}
	if r.file == "" && r.w != nil && isTerminal(r.w) {
		r.style.Terminal = true
		if f, ok := file(r.w); ok {
			if width, _, err := term.GetSize(int(f.Fd())); err == nil {
				r.style.Width = width
			}
		}
		if decideColor(o.color, r.w) {
			r.style.Colors = terminalColors()
		}
	}
	return r, nil
}

// print writes the report for the counts so far. It runs on the engine's
// goroutine (through Config.Requests) or after the engine has stopped.
func (r *reporter) print(st annotate.Stats) {
	if !r.printing {
		return
	}
	rep := r.summary.Report(st)
	if r.file != "" {
		// A reader (a browser, a tail) never sees half a report.
		if err := writeFileAtomic(r.file, func(w io.Writer) error { return r.write(rep, w) }); err != nil {
			r.c.report(err)
		}
		return
	}
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	r.c.progress.clear()
	// A failed write is remembered by the stream (checkedWriter) and
	// ends the run with status 2.
	r.write(rep, r.w)
}

func (r *reporter) write(rep *report.Report, w io.Writer) error {
	switch r.format {
	case "json":
		return rep.WriteJSON(w)
	case "html":
		return rep.WriteHTML(w)
	}
	return rep.WriteText(w, r.style)
}

// finish writes the baseline, if it is due, and reports a failed event
// write. It runs after the last report.
func (r *reporter) finish() {
	if r.events != nil && !r.eventsToErr {
		if err := r.events.Close(); err != nil && r.eventsErr == nil {
			r.eventsErr = err
		}
	}
	if r.eventsErr != nil {
		r.c.report(&fs.PathError{Op: "write", Path: r.eventsName, Err: r.eventsErr})
	}
	if r.writeBaseline {
		b := r.summary.Baseline()
		if err := writeFileAtomic(r.baseline, b.WriteJSON); err != nil {
			r.c.report(err)
		}
	}
}

// openEvents opens the --events file for appending, or takes stderr
// for "-".
func (r *reporter) openEvents(name string) error {
	r.eventsName = name
	if name == "-" {
		r.eventsToErr = true
		return nil
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	r.events = f
	return nil
}

// event writes one event as a line of its own, at once: an unbuffered
// write, so that a tail or a shipper sees it as it happens.
func (r *reporter) event(e *report.Event) {
	if r.eventsErr != nil {
		return
	}
	r.eventBuf = append(e.AppendJSON(r.eventBuf[:0]), '\n')
	var err error
	if r.eventsToErr {
		r.c.mu.Lock()
		r.c.progress.clear()
		_, err = r.c.stderr.Write(r.eventBuf)
		r.c.mu.Unlock()
	} else {
		_, err = r.events.Write(r.eventBuf)
	}
	if err != nil {
		r.eventsErr = err
	}
}

// readBaseline reads a --baseline file; a damaged one is an error that
// names it.
func readBaseline(name string) (*report.Baseline, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := report.ReadBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// writeFileAtomic writes name whole or not at all: into a temporary
// file beside it, synced, then renamed over it.
func writeFileAtomic(name string, write func(io.Writer) error) error {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	werr := write(tmp)
	if werr == nil {
		werr = tmp.Chmod(0o644)
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if err := tmp.Close(); werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), name)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		var pe *fs.PathError
		if !errors.As(werr, &pe) {
			werr = &fs.PathError{Op: "write", Path: name, Err: werr}
		}
		return werr
	}
	return nil
}

// printCounts writes the counts so far as --stats does: what SIGUSR1
// prints when no report is being kept, as dd does. (Keeping one costs
// every line some work, so a signal cannot ask for one after the fact.)
func (c *cli) printCounts(st annotate.Stats) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.progress.clear()
	printStats(c.stderr, st, true)
}

// requests returns the channel through which the engine is asked to run
// print on SIGUSR1 and every interval (0: never), and a function that
// stops asking.
func requests(every time.Duration, print func(annotate.Stats)) (<-chan func(annotate.Stats), func()) {
	reqs := make(chan func(annotate.Stats))
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	var tick <-chan time.Time
	var ticker *time.Ticker
	if every > 0 {
		ticker = time.NewTicker(every)
		tick = ticker.C
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-usr1:
			case <-tick:
			case <-done:
				return
			}
			select {
			case reqs <- print:
			case <-done:
				return
			}
		}
	}()
	return reqs, func() {
		signal.Stop(usr1)
		if ticker != nil {
			ticker.Stop()
		}
		close(done)
	}
}
