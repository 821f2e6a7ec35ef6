package main

import (
	"io"
	"os"
	"time"

	"github.com/cheggaaa/pb/v3"
)

// progress shows, on a terminal's stderr, how much of the input files has
// been read: bytes on disk (compressed size for archives), rate, ETA and
// the current file. A nil *progress shows nothing.
type progress struct {
	bar    *pb.ProgressBar
	stderr io.Writer
}

// progressTemplate is the bar's one line: file, bytes read of the total,
// the bar, percentage, rate ("12.50 MiB/s": pb's own default would say
// "12.50 MiB p/s") and time left.
const progressTemplate = `{{string . "file"}} {{counters . }} {{bar . }} {{percent . }} {{speed . "%s/s" "? B/s"}} {{rtime . "ETA %s"}}`

// newProgress returns a progress bar when it helps: reading regular files
// (not a pipe, not following) with stderr on a terminal and nothing
// else being printed there, as in "portnote -o json kern.log.*.gz >
// out.json" or "portnote --summary-only kern.log.*.gz". Otherwise nil.
//
// cheggaaa/pb is used rather than schollz/progressbar, which imports
// net/http: that put crypto/x509 and a megabyte of start-up work into
// every run of portnote, --lookup included.
func newProgress(o *options, stdout, stderr io.Writer) *progress {
	if !showProgress(o, isTerminal(stdout), isTerminal(stderr)) {
		return nil
	}
	var total int64
	for _, name := range o.files {
		if name == "-" {
			return nil
		}
		fi, err := os.Stat(name)
		if err != nil || !fi.Mode().IsRegular() {
			continue // reported when the file is opened
		}
		total += fi.Size()
	}
	if total == 0 {
		return nil
	}
	return &progress{newBar(total, stderr).Start(), stderr}
}

// showProgress decides whether a bar would help: on a terminal's stderr,
// when lines are not being written to that terminal too (the bar would
// fight them for it), and when reading files, not following them.
func showProgress(o *options, stdoutTerminal, stderrTerminal bool) bool {
	linesOnTerminal := stdoutTerminal && !o.summaryOnly
	return !o.noProgress && !o.follow && stderrTerminal && !linesOnTerminal
}

func newBar(total int64, w io.Writer) *pb.ProgressBar {
	return pb.New64(total).
		SetTemplateString(progressTemplate).
		SetWriter(w).
		SetRefreshRate(200*time.Millisecond).
		Set(pb.Bytes, true).
		Set(pb.Terminal, true).
		Set(pb.CleanOnFinish, true)
}

// reader counts what r reads into the bar, under the file's name.
func (p *progress) reader(name string, r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	p.bar.Set("file", name)
	return &countingReader{r, p.bar}
}

// skip counts n bytes of the current file that are not read at all.
func (p *progress) skip(n int64) {
	if p != nil {
		p.bar.Add64(n)
	}
}

// finish removes the bar, so that what follows on stderr (stats, a
// summary, an error) starts on a clean line.
func (p *progress) finish() {
	if p != nil {
		p.bar.Finish()
	}
}

// clear erases the bar's line before a message is printed; the bar is
// drawn again below the message at its next refresh.
func (p *progress) clear() {
	if p != nil {
		io.WriteString(p.stderr, "\r\x1b[K")
	}
}

type countingReader struct {
	r   io.Reader
	bar *pb.ProgressBar
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.bar.Add(n)
	return n, err
}
