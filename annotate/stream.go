package annotate

import (
	"bytes"
	"context"
	"io"
)

const (
	chunkSize = 64 << 10 // read size, and the output size that triggers a write
	chunks    = 4        // buffers in flight between the reader and the annotator
)

// A chunk is one read from the input.
type chunk struct {
	buf []byte
	err error
}

// WriteError wraps a failure to write the output, so that callers can
// tell it from a failure to read the input.
type WriteError struct{ Err error }

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// Run annotates src until its end, writing to w, and returns nil at EOF.
// It stops early, with ctx.Err(), when ctx is done; everything processed
// so far has then been written.
//
// Reading happens on a separate goroutine, a few 64 KiB chunks ahead, so
// that a slow source (a decompressor, a disk) overlaps with annotation.
// Output is written in blocks of about 64 KiB, and whenever no input is
// waiting: a live pipe sees each line as soon as it is complete.
//
// A line may be longer than a chunk: it is assembled in a buffer that
// grows to the longest line seen. The last line of src is processed
// even without a newline and written without one.
func (a *Annotator) Run(ctx context.Context, src io.Reader, w io.Writer) error {
	full := make(chan chunk, chunks)
	free := make(chan []byte, chunks)
	for len(a.bufs) < chunks {
		a.bufs = append(a.bufs, make([]byte, chunkSize))
	}
	for _, b := range a.bufs {
		free <- b
	}
	done := make(chan struct{})
	defer close(done)
	go readChunks(src, free, full, done)

	a.w = w
	defer func() { a.w = nil }()
	for {
		var c chunk
		select {
		case c = <-full:
		case f := <-a.cfg.Requests:
			if err := a.flush(); err != nil {
				return err
			}
			f(a.stats)
			continue
		case <-ctx.Done():
			if err := a.flush(); err != nil {
				return err
			}
			return ctx.Err()
		}
		if err := a.consume(c.buf); err != nil {
			return err
		}
		free <- c.buf[:cap(c.buf)]
		if c.err != nil {
			if len(a.pending) > 0 {
				// A last line without newline keeps it that way; a line cut
				// by a read error (a truncated archive) is closed, so that
				// the error does not glue the next input onto it.
				a.out = a.AppendLine(a.out, a.pending, c.err != io.EOF)
				a.pending = a.pending[:0]
			}
			if err := a.flush(); err != nil {
				return err
			}
			if c.err == io.EOF {
				return nil
			}
			return c.err
		}
		if len(full) == 0 {
			if err := a.flush(); err != nil {
				return err
			}
		}
	}
}

// readChunks fills free buffers from src and hands them over until an
// error (io.EOF included) or until done is closed.
func readChunks(src io.Reader, free <-chan []byte, full chan<- chunk, done <-chan struct{}) {
	for {
		var buf []byte
		select {
		case buf = <-free:
		case <-done:
			return
		}
		n, err := src.Read(buf)
		for n == 0 && err == nil {
			n, err = src.Read(buf)
		}
		select {
		case full <- chunk{buf: buf[:n], err: err}:
		case <-done:
			return
		}
		if err != nil {
			return
		}
	}
}

// consume annotates the complete lines in b and keeps a trailing partial
// line for the next chunk.
func (a *Annotator) consume(b []byte) error {
	if len(a.pending) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			a.pending = append(a.pending, b...)
			return nil
		}
		a.pending = append(a.pending, b[:i]...)
		a.out = a.AppendLine(a.out, a.pending, true)
		a.pending = a.pending[:0]
		b = b[i+1:]
	}
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break
		}
		a.out = a.AppendLine(a.out, b[:i], true)
		b = b[i+1:]
		if len(a.out) >= chunkSize {
			if err := a.flush(); err != nil {
				return err
			}
		}
	}
	a.pending = append(a.pending, b...)
	return nil
}

// flush writes any buffered output.
func (a *Annotator) flush() error {
	if len(a.out) == 0 || a.w == nil {
		return nil
	}
	_, err := a.w.Write(a.out)
	a.out = a.out[:0]
	if err != nil {
		return &WriteError{err}
	}
	return nil
}
