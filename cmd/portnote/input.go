package main

import (
	"bytes"
	"compress/bzip2"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// A codec is a compression format recognised by its magic bytes, so that
// "portnote /var/log/kern.log*" reads a rotated set whatever the names.
type codec struct {
	name  string
	magic []byte
	open  func(io.Reader) (io.Reader, func(), error)
}

var codecs = []codec{
	{"gzip", []byte{0x1f, 0x8b}, func(r io.Reader) (io.Reader, func(), error) {
		// klauspost's gzip decodes about twice as fast as compress/gzip
		// and, like it, reads concatenated members as one stream.
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return z, func() { z.Close() }, nil
	}},
	{"bzip2", []byte("BZh"), func(r io.Reader) (io.Reader, func(), error) {
		return bzip2.NewReader(r), func() {}, nil
	}},
	{"xz", []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}, func(r io.Reader) (io.Reader, func(), error) {
		z, err := xz.NewReader(r)
		return z, func() {}, err
	}},
	{"zstd", []byte{0x28, 0xb5, 0x2f, 0xfd}, func(r io.Reader) (io.Reader, func(), error) {
		// One decoder goroutine: the annotator already runs beside it,
		// and more would only compete for the same cores.
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, nil, err
		}
		return z, z.Close, nil
	}},
}

// decompress looks at the first bytes of src and, when they are the
// magic of a known compression format, returns a reader of the
// decompressed data. Otherwise it returns src's bytes unchanged. It reads
// at most once before deciding, so a live pipe is never held waiting for
// more bytes than its first write.
func decompress(src io.Reader) (r io.Reader, release func(), err error) {
	head := make([]byte, 512)
	n, err := io.ReadAtLeast(src, head, 1)
	head = head[:n]
	if err != nil {
		if err == io.EOF {
			err = nil
		}
		return bytes.NewReader(head), func() {}, err
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

// codecOf returns the compression format whose magic head starts with,
// or nil.
func codecOf(head []byte) *codec {
	for i, c := range codecs {
		if bytes.HasPrefix(head, c.magic) && (c.name != "bzip2" || isBzip2Level(head)) {
			return &codecs[i]
		}
	}
	return nil
}

// isBzip2Level checks the block-size digit after "BZh", so that a text
// file that happens to start with those letters stays text.
func isBzip2Level(head []byte) bool {
	return len(head) > 3 && '1' <= head[3] && head[3] <= '9'
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
