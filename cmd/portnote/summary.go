package main

import (
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/annotate/report"
)

// reporter prints the --summary report: to stderr after the lines, or
// to stdout in their place with --summary-only.
type reporter struct {
	c       *cli
	summary *report.Summary
	w       io.Writer
	json    bool
	style   report.Style
}

// newReporter sets cfg up to feed a summary and returns what prints it,
// or nil without --summary, --summary-only or --summary-every (which
// alone means a report on stderr, every interval and at the end).
func (c *cli) newReporter(o *options, cfg *annotate.Config) *reporter {
	if !o.summary && !o.summaryOnly && o.summaryEvery == 0 {
		return nil
	}
	r := &reporter{
		c: c,
		summary: report.New(report.Config{
			Top: o.top, ScanPorts: o.scanPorts, ScanWindow: o.scanWindow, Registry: cfg.Registry,
		}),
		w:    c.stderr,
		json: o.output == "json",
	}
	if o.summaryOnly {
		r.w, cfg.Discard = c.stdout, true
	}
	cfg.Observer = r.summary
	// The report's state stays within its budget, but the tables it
	// rebuilds as it gives way leave garbage: ask the collector to keep
	// the heap near the budget too, unless the user set GOMEMLIMIT.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(2*report.DefaultMemory + 32<<20)
	}
	if isTerminal(r.w) {
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
	return r
}

// print writes the report for the counts so far. It runs on the engine's
// goroutine (through Config.Requests) or after the engine has stopped.
func (r *reporter) print(st annotate.Stats) {
	rep := r.summary.Report(st)
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	r.c.progress.clear()
	// A failed write is remembered by the stream (checkedWriter) and
	// ends the run with status 2.
	if r.json {
		rep.WriteJSON(r.w)
	} else {
		rep.WriteText(r.w, r.style)
	}
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
