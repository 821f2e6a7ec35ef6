package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"sync"
)

// checkedWriter is how portnote writes to its standard output and error:
// it remembers the first failed write, so that every write path (lines,
// reports, help, --lookup, --stats, warnings) is checked in one place and
// a full disk ends the run with exit status 2 and a message, never with
// status 0.
type checkedWriter struct {
	w   io.Writer
	mu  sync.Mutex // the engine, the follower and reports write from their own goroutines
	err error      // the first failure
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err != nil {
		c.mu.Lock()
		if c.err == nil {
			c.err = err
		}
		c.mu.Unlock()
	}
	return n, err
}

// failure returns the first write error, or nil.
func (c *checkedWriter) failure() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// file returns the file under w, for terminal checks.
func file(w io.Writer) (*os.File, bool) {
	if c, ok := w.(*checkedWriter); ok {
		w = c.w
	}
	f, ok := w.(*os.File)
	return f, ok
}

// writeError is a failed write of portnote's output, worded the same
// wherever it happened: "write error: no space left on device".
type writeError struct{ err error }

func (e *writeError) Error() string {
	err := e.err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "write error: " + err.Error()
}

func (e *writeError) Unwrap() error { return e.err }
