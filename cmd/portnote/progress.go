package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows, on a terminal's stderr, how much of the input files has
// been read: bytes on disk (compressed size for archives), rate, ETA and
// the current file. A nil *progress shows nothing.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress returns a progress bar when it helps: reading regular files
// (not a pipe, not following) with stderr on a terminal and stdout not,
// as in "portnote -o json kern.log.*.gz > out.json". Otherwise nil.
func newProgress(o *options, stdout, stderr io.Writer) *progress {
	if o.noProgress || o.follow || !isTerminal(stderr) || isTerminal(stdout) {
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
	return &progress{progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionFullWidth(),
	)}
}

// reader counts what r reads into the bar, under the file's name.
func (p *progress) reader(name string, r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	p.bar.Describe(name)
	return &countingReader{r, p.bar}
}

// finish removes the bar, so that what follows on stderr (stats, a
// summary, an error) starts on a clean line.
func (p *progress) finish() {
	if p != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
}

// clear takes the bar off the screen until the next update, so that a
// message printed meanwhile is not mixed into it.
func (p *progress) clear() {
	if p != nil {
		p.bar.Clear()
	}
}

type countingReader struct {
	r   io.Reader
	bar *progressbar.ProgressBar
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.bar.Add(n)
	return n, err
}
