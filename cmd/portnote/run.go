package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Exit statuses. A selection that matches nothing is not an error, as
// with grep.
const (
	exitOK          = 0
	exitNoMatch     = 1
	exitError       = 2
	exitInterrupted = 128 + int(syscall.SIGINT)  // 130
	exitTerminated  = 128 + int(syscall.SIGTERM) // 143
)

// cli carries a run's streams and remembers whether anything failed.
type cli struct {
	stdin          io.Reader
	stdout, stderr *checkedWriter
	progress       *progress

	mu     sync.Mutex // the follower warns from its own goroutine
	failed bool       // something was reported: exit 2 at the end
}

// report prints a problem that makes the run fail (exit status 2).
func (c *cli) report(err error) { c.print(err, true) }

// warn prints a problem that does not, such as a followed file that
// disappears for a while.
func (c *cli) warn(err error) { c.print(err, false) }

// print is the one place that writes problems, as
// "portnote: what went wrong" (the message names file and line when it
// has them), lower case, no trailing period.
func (c *cli) print(err error, fails bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failed = c.failed || fails
	c.progress.clear()
	var pe *fs.PathError
	var we *writeError
	if !errors.As(err, &we) && errors.As(err, &pe) {
		err = fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	fmt.Fprintf(c.stderr, "portnote: %v\n", err) // a failure here shows in c.stderr
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(c.stderr, "portnote: run \"portnote --help\" for usage")
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{stdin: stdin, stdout: &checkedWriter{w: stdout}, stderr: &checkedWriter{w: stderr}}
	status := c.run(args)
	// Whatever failed to write, the run has failed: a report cut short
	// or lines lost on a full disk must not end with status 0.
	if err := c.stdout.failure(); err != nil {
		c.report(&writeError{err})
	}
	if c.stderr.failure() != nil || (c.failed && status < exitError) {
		status = exitError
	}
	return status
}

func (c *cli) run(args []string) int {
	stdout, stderr := c.stdout, c.stderr
	o, err := parseFlags(args)
	if err != nil {
		c.report(err)
		return exitError
	}
	switch {
	case o.help:
		fmt.Fprint(stdout, usage())
		return exitOK
	case o.version:
		fmt.Fprintln(stdout, version())
		return exitOK
	case o.completion != "":
		writeCompletion(stdout, o.completion)
		return exitOK
	}

	reg, err := loadRegistry(o.registries, c.warn)
	if err != nil {
		c.report(err)
		return exitError
	}
	if o.lookup != "" {
		specs, err := reg.ParsePorts(o.lookup)
		if err != nil {
			c.report(usageErrorf("%s: %v", o.flag("lookup"), err))
			return exitError
		}
		if err := lookup(stdout, reg, specs, o.output == "json", decideColor(o.color, stdout)); err != nil {
			if stdout.failure() == nil { // else run reports it
				c.report(err)
			}
			return exitError
		}
		return exitOK
	}

	cfg, err := o.config(reg, stdout)
	if err != nil {
		c.report(err)
		return exitError
	}
	rep, err := c.newReporter(o, &cfg)
	if err != nil {
		c.report(err)
		return exitError
	}
	onRequest := c.printCounts
	if rep != nil && rep.printing {
		onRequest = rep.print
	}
	var stopAsking func()
	cfg.Requests, stopAsking = requests(o.summaryEvery, onRequest)
	defer stopAsking()
	a := annotate.New(cfg)

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	var caught os.Signal
	go func() {
		select {
		case caught = <-sigs:
			stop()
		case <-ctx.Done():
		}
	}()

	if o.follow {
		err = c.followAll(ctx, a, o)
	} else {
		c.progress = newProgress(o, stdout, stderr)
		err = c.annotateAll(ctx, a, o)
		c.progress.finish()
	}

	// After a failed write the counts describe a run that did not
	// happen: "0 records in 0 lines" would be a lie.
	if stdout.failure() == nil {
		if rep != nil {
			rep.print(a.Stats())
			rep.finish()
		}
		if o.stats {
			printStats(stderr, a.Stats(), !o.summaryOnly)
			printUnparsed(stderr, a.Unparsed(), a.Stats().Unparsed)
		}
	}
	var we *annotate.WriteError
	if err != nil && !errors.Is(err, context.Canceled) && !errors.As(err, &we) { // run reports write errors
		c.report(err)
	}
	if ctx.Err() != nil {
		if caught == syscall.SIGTERM {
			return exitTerminated
		}
		return exitInterrupted
	}
	if c.failed {
		return exitError
	}
	if o.selectionSet() && a.Stats().Selected == 0 {
		return exitNoMatch
	}
	return exitOK
}

// annotateAll runs the engine over every input in order. A file that
// cannot be read is reported and skipped; an output error ends the run.
func (c *cli) annotateAll(ctx context.Context, a *annotate.Annotator, o *options) error {
	files := o.files
	if len(files) == 0 {
		files = []string{"-"}
	}
	for _, name := range files {
		err := c.annotateOne(ctx, a, name, o.lines)
		var we *annotate.WriteError
		switch {
		case err == nil:
		case errors.Is(err, context.Canceled), errors.As(err, &we):
			return err
		default:
			c.report(err)
		}
	}
	return nil
}

// followAll follows the named files like tail -F until a signal. The
// follower, not the engine, watches for the signal: it then hands over
// every line already complete and ends its stream, so that the engine
// writes them all before the run ends.
func (c *cli) followAll(ctx context.Context, a *annotate.Annotator, o *options) error {
	fo := followOptions{warn: c.warn, startLines: 10}
	if o.lines.given {
		if o.lines.fromLine {
			fo.fromLine = o.lines.n
		} else {
			fo.startLines = o.lines.n
		}
	}
	lines, err := follow(ctx, o.files, fo)
	if err != nil {
		return err
	}
	defer lines.Close()
	return a.Run(context.Background(), lines, c.stdout)
}

func (c *cli) annotateOne(ctx context.Context, a *annotate.Annotator, name string, start lineStart) error {
	in := &annotate.Source{FirstLine: 1}
	display := "standard input"
	if name != "-" {
		in.Path, display = name, name
	}
	// Opening (a FIFO waits for a writer) and the first reads (the
	// compression sniff, the last lines of a stream) may wait for input
	// that never comes: a signal must be able to leave them behind.
	r, release, err := cancellable(ctx, func() (io.Reader, func(), error) {
		return c.openInput(name, display, start, in)
	})
	if err != nil {
		return err
	}
	defer release()
	before := a.Stats().Lines
	if err := a.RunSource(ctx, in, r, c.stdout); err != nil {
		var we *annotate.WriteError
		if errors.Is(err, context.Canceled) || errors.As(err, &we) {
			return err
		}
		return fmt.Errorf("%s:%d: %w", display, max(in.FirstLine, 1)+a.Stats().Lines-before, err)
	}
	return nil
}

// openInput opens name ("-": standard input), decompresses it and starts
// it where -n says, setting in.FirstLine to the number of its first line
// (0: unknown). release closes what it opened.
func (c *cli) openInput(name, display string, start lineStart, in *annotate.Source) (io.Reader, func(), error) {
	src, closeFile := c.stdin, func() {}
	seeked := false
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, err
		}
		closeFile = func() { f.Close() }
		if start.given && !start.fromLine {
			var off int64
			if off, seeked, err = seekLastLines(f, start.n); err != nil {
				f.Close()
				return nil, nil, err
			}
			if seeked {
				c.progress.skip(off)
				in.FirstLine = 0 // counting the lines before would read the whole file
			}
		}
		src = c.progress.reader(name, f)
	}
	r, release := src, closeFile
	if !seeked {
		z, decompressed, err := decompress(src)
		if err != nil {
			closeFile()
			return nil, nil, fmt.Errorf("%s: %w", display, err)
		}
		r, release = z, func() { decompressed(); closeFile() }
	}
	switch {
	case !start.given || seeked:
	case start.fromLine:
		r = &lineSkipper{r, start.n - 1}
		in.FirstLine = int64(start.n)
	default:
		rest, skipped, err := lastLines(r, start.n)
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("%s:%d: %w", display, skipped+1, err)
		}
		r = bytes.NewReader(rest)
		in.FirstLine = skipped + 1
	}
	return r, release, nil
}

// config turns options into the engine's configuration.
func (o *options) config(reg *registry.Registry, stdout io.Writer) (annotate.Config, error) {
	cfg := annotate.Config{Registry: reg, Explain: o.explain, WithFilename: o.withFilename}
	if o.output == "json" {
		cfg.Output = annotate.JSON
	}
	if o.ports != "" {
		var err error
		if cfg.Select.Ports, err = annotate.ParsePortList(o.ports, reg); err != nil {
			return cfg, usageErrorf("%s: %v", o.flag("port"), err)
		}
	}
	cfg.Select.Protos, cfg.Select.Classes = o.protos, o.classes
	cfg.Select.Abused, cfg.Select.Records = o.abused, o.records
	cfg.Select.Src, cfg.Select.Dst, cfg.Select.Actions = o.src, o.dst, o.actions
	cfg.Select.MinSeverity, cfg.Select.Categories = o.minSeverity, o.categories
	cfg.Format = o.format
	cfg.Location = time.Local
	if o.tz != nil {
		cfg.Location = o.tz
	}
	if o.year != 0 {
		// Year inference never moves a date later than Now's year, so the
		// last second of the year pins every date to it.
		cfg.Now = time.Date(o.year, time.December, 31, 23, 59, 59, 0, cfg.Location)
	}
	terminal := isTerminal(stdout)
	cfg.Visible = terminal && cfg.Output == annotate.Text
	if decideColor(o.color, stdout) {
		cfg.Colors = terminalColors()
	}
	return cfg, nil
}

func printStats(w io.Writer, s annotate.Stats, linesWritten bool) {
	fmt.Fprintf(w, "portnote: %d lines, %d records (%s), %d partial, %d unparsed",
		s.Lines, s.TotalRecords(), perFormat(&s.Records), s.Partial, s.Unparsed)
	if s.Unparsed > 0 {
		fmt.Fprintf(w, " (%s: see --explain)", perFormat(&s.Broken))
	}
	if !linesWritten {
		s.Selected = 0
	}
	fmt.Fprintf(w, ", %d written\n", s.Selected)
}

// perFormat writes counts by format, "netfilter 3, pf 1, filterlog 0",
// every family named.
func perFormat(c *[parsers.FormatCount]int64) string {
	var b strings.Builder
	for f := parsers.FormatUnknown + 1; f < parsers.FormatCount; f++ {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", f, c[f])
	}
	return b.String()
}

// printUnparsed says where the first unparsed lines are and what the
// parser said of each, so that a user can look at them:
// "portnote: kern.log:5: not parsed: pf: at byte 60: bad address".
func printUnparsed(w io.Writer, kept []annotate.Unparsed, total int64) {
	for i := range kept {
		u := &kept[i]
		where := fmt.Sprintf("%s:%d", u.Source.Name(), u.FileLine())
		if u.FileLine() == 0 {
			// Reading began at the last lines: their numbers in the
			// file are unknown.
			where = fmt.Sprintf("%s, line %d of those read", u.Source.Name(), u.Line)
		}
		fmt.Fprintf(w, "portnote: %s: not parsed: %s\n", where, u.Err)
	}
	if more := total - int64(len(kept)); more > 0 {
		fmt.Fprintf(w, "portnote: and %d more lines not parsed\n", more)
	}
}
