package main

// -n without -f means what it means to tail: start with the last N
// lines of each input, or, with +N, at its line N. A regular file is
// read from the start of its last lines; anything else (an archive,
// standard input) is read whole, keeping only as much as can still be
// among the last N lines.

import (
	"bytes"
	"io"
	"os"
)

// seekLastLines moves f to the start of its last n lines when f is a
// regular file that is not compressed, and reports where that is and
// whether it did.
func seekLastLines(f *os.File, n int) (int64, bool, error) {
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return 0, false, nil // read as a stream; a real problem shows then
	}
	var head [maxHeaderLen]byte
	k, _ := f.ReadAt(head[:], 0)
	if codecOf(head[:k]) != nil {
		return 0, false, nil
	}
	off, err := lastLinesOffset(f, info.Size(), n)
	if err == nil {
		_, err = f.Seek(off, io.SeekStart)
	}
	return off, err == nil, err
}

// lastLinesOffset returns where the last n lines of the size bytes of f
// begin. As for tail, a last line without its newline is a line.
func lastLinesOffset(f io.ReaderAt, size int64, n int) (int64, error) {
	if n == 0 || size == 0 {
		return size, nil
	}
	var last [1]byte
	if _, err := f.ReadAt(last[:], size-1); err != nil {
		return 0, err
	}
	if last[0] != '\n' {
		n-- // the unfinished line is the last one
	}
	return lastLinesStart(f, size, n, make([]byte, 64<<10))
}

// lastLines reads r to its end and returns its last n lines, and how
// many lines came before them. Memory stays within about twice the size
// of those lines, or 8 MiB.
func lastLines(r io.Reader, n int) ([]byte, int64, error) {
	const floor = 4 << 20
	buf := make([]byte, 0, 64<<10)
	scratch := make([]byte, 64<<10)
	var skipped int64
	// cut drops what cannot be among the last n lines, keeping the
	// complete lines after the cut, and a partial line after them, whole.
	cut := func(off int64) {
		skipped += int64(bytes.Count(buf[:off], newline))
		buf = buf[:copy(buf, buf[off:])]
	}
	limit := floor
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, make([]byte, len(buf))...)[:len(buf)]
		}
		k, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, err
		}
		if len(buf) >= limit {
			off, _ := lastLinesStart(bytes.NewReader(buf), int64(len(buf)), n, scratch)
			cut(off)
			limit = max(floor, 2*len(buf))
		}
	}
	off, _ := lastLinesOffset(bytes.NewReader(buf), int64(len(buf)), n)
	cut(off)
	return buf, skipped, nil
}

var newline = []byte{'\n'}

// lineSkipper drops the first skip lines of r.
type lineSkipper struct {
	r    io.Reader
	skip int
}

func (s *lineSkipper) Read(p []byte) (int, error) {
	for s.skip > 0 {
		k, err := s.r.Read(p)
		data := p[:k]
		for s.skip > 0 {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				data = nil
				break
			}
			data = data[i+1:]
			s.skip--
		}
		if len(data) > 0 || err != nil {
			return copy(p, data), err
		}
	}
	return s.r.Read(p)
}
