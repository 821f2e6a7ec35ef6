package main

import (
	"bytes"
	"compress/bzip2"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// A codec is a compression format recognised by its header, so that
// "portnote /var/log/kern.log*" reads a rotated set whatever the names.
// A magic number alone is not enough: a text file may start with "BZh9"
// or, in a binary log, with gzip's two bytes. header checks the whole
// fixed part of the format's header, which text cannot pass by chance.
type codec struct {
	name string
	// magic starts every stream of the format; header reports whether b,
	// which starts with magic and holds at least headerLen bytes (or all
	// of a shorter input), is a real header.
	magic     []byte
	headerLen int
	header    func(b []byte) bool
	open      func(io.Reader) (io.Reader, func(), error)
}

var codecs = []codec{
	{"gzip", []byte{0x1f, 0x8b}, 4, isGzipHeader, func(r io.Reader) (io.Reader, func(), error) {
		// klauspost's gzip decodes about twice as fast as compress/gzip
		// and, like it, reads concatenated members as one stream.
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return z, func() { z.Close() }, nil
	}},
	{"bzip2", []byte("BZh"), 10, isBzip2Header, func(r io.Reader) (io.Reader, func(), error) {
		return bzip2.NewReader(r), func() {}, nil
	}},
	{"xz", []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}, 12, isXzHeader, func(r io.Reader) (io.Reader, func(), error) {
		z, err := xz.NewReader(r)
		return z, func() {}, err
	}},
	{"zstd", []byte{0x28, 0xb5, 0x2f, 0xfd}, maxHeaderLen, isZstdHeader, func(r io.Reader) (io.Reader, func(), error) {
		// One decoder goroutine: the annotator already runs beside it,
		// and more would only compete for the same cores.
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, nil, err
		}
		return z, z.Close, nil
	}},
}

// isGzipHeader checks RFC 1952's method (8, deflate, the only one) and
// that no reserved flag is set.
func isGzipHeader(b []byte) bool {
	return len(b) >= 4 && b[2] == 8 && b[3]&0xe0 == 0
}

// isBzip2Header checks the block size digit after "BZh" and the magic
// of the first block (the digits of pi), or of the end of the stream
// for an empty one.
func isBzip2Header(b []byte) bool {
	if len(b) < 10 || b[3] < '1' || b[3] > '9' {
		return false
	}
	block := string(b[4:10])
	return block == "\x31\x41\x59\x26\x53\x59" || block == "\x17\x72\x45\x38\x50\x90"
}

// isXzHeader checks the stream flags (one reserved byte, then a check
// type in the low four bits) and their CRC32.
func isXzHeader(b []byte) bool {
	return len(b) >= 12 && b[6] == 0 && b[7]&0xf0 == 0 &&
		crc32.ChecksumIEEE(b[6:8]) == binary.LittleEndian.Uint32(b[8:12])
}

// isZstdHeader checks RFC 8878's frame header: the reserved bit of the
// descriptor, and the type of the first block, which must not be the
// reserved one.
func isZstdHeader(b []byte) bool {
	if len(b) < 5 {
		return false
	}
	fhd := b[4]
	if fhd&0x08 != 0 {
		return false
	}
	singleSegment := fhd&0x20 != 0
	n := 5
	if !singleSegment {
		n++ // Window_Descriptor
	}
	n += [4]int{0, 1, 2, 4}[fhd&3] // Dictionary_ID
	fcs := [4]int{0, 2, 4, 8}[fhd>>6]
	if fcs == 0 && singleSegment {
		fcs = 1
	}
	n += fcs
	if len(b) < n+3 {
		return false
	}
	return (b[n]>>1)&3 != 3
}

// decompress looks at the first bytes of src and, when they are the
// header of a known compression format, returns a reader of the
// decompressed data. Otherwise it returns src's bytes unchanged. It
// reads again only while the bytes so far start a header, so that a
// live pipe of text is never held waiting for more than its first write.
func decompress(src io.Reader) (r io.Reader, release func(), err error) {
	head := make([]byte, 0, 512)
	for {
		n, err := src.Read(head[len(head):cap(head)])
		head = head[:len(head)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return bytes.NewReader(head), func() {}, err
		}
		if len(head) > 0 && !headerPending(head) {
			break
		}
	}
	whole := io.MultiReader(bytes.NewReader(head), src)
	if c := codecOf(head); c != nil {
		z, release, err := c.open(whole)
		if err != nil {
			return nil, nil, fmt.Errorf("bad %s header: %w", c.name, err)
		}
		return &codecErrors{z, c.name}, release, nil
	}
	return whole, func() {}, nil
}

// codecOf returns the compression format whose header head starts with,
// or nil. head must hold maxHeaderLen bytes, or the whole input.
func codecOf(head []byte) *codec {
	for i, c := range codecs {
		if bytes.HasPrefix(head, c.magic) && c.header(head) {
			return &codecs[i]
		}
	}
	return nil
}

// maxHeaderLen is the most bytes any codec's header check looks at:
// zstd's magic and frame descriptor (5), window (1), dictionary (4) and
// content size (8) at their longest, then a block header (3).
const maxHeaderLen = 5 + 1 + 4 + 8 + 3

// headerPending reports whether head could still become a codec's header
// with more bytes: it starts like one, and is too short to tell.
func headerPending(head []byte) bool {
	for _, c := range codecs {
		k := min(len(head), len(c.magic))
		if bytes.Equal(head[:k], c.magic[:k]) && len(head) < c.headerLen {
			return true
		}
	}
	return false
}

// codecErrors names the format in decoding errors: "corrupt gzip data:
// unexpected EOF" says more than "unexpected EOF".
type codecErrors struct {
	r    io.Reader
	name string
}

func (c *codecErrors) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("corrupt %s data: %w", c.name, err)
	}
	return n, err
}

// cancellable runs open, which opens an input and reads its first bytes,
// and returns what it returns, unless ctx ends first: opening a FIFO
// waits for a writer, and the first read of a pipe or terminal waits for
// data, neither of which may keep a signal from ending the run. What it
// abandons is released when (if ever) open returns.
func cancellable(ctx context.Context, open func() (io.Reader, func(), error)) (io.Reader, func(), error) {
	type opened struct {
		r       io.Reader
		release func()
		err     error
	}
	done := make(chan opened, 1)
	go func() {
		r, release, err := open()
		done <- opened{r, release, err}
	}()
	select {
	case o := <-done:
		return o.r, o.release, o.err
	case <-ctx.Done():
		go func() {
			if o := <-done; o.release != nil {
				o.release()
			}
		}()
		return nil, nil, ctx.Err()
	}
}
