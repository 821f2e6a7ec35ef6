package main

import (
	"bytes"
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// TestDecompress: real archives of every format and size are recognised,
// however their header arrives, and text that starts like one is text.
func TestDecompress(t *testing.T) {
	type archive struct {
		name string
		data []byte
		want string
	}
	var archives []archive
	for _, text := range []string{"", "a\n", strings.Repeat("Nov 25 06:25:14 web1 kernel: DPT=23\n", 5000)} {
		var g bytes.Buffer
		gw := gzip.NewWriter(&g)
		gw.Name = "kern.log" // sets FNAME: flags other than 0
		gw.Write([]byte(text))
		gw.Close()
		archives = append(archives, archive{"gzip", g.Bytes(), text})

		var x bytes.Buffer
		xw, err := xz.NewWriter(&x)
		if err != nil {
			t.Fatal(err)
		}
		xw.Write([]byte(text))
		xw.Close()
		archives = append(archives, archive{"xz", x.Bytes(), text})

		for _, opts := range [][]zstd.EOption{nil, {zstd.WithSingleSegment(true)}, {zstd.WithWindowSize(1 << 20)}, {zstd.WithZeroFrames(true)}} {
			enc, err := zstd.NewWriter(nil, opts...)
			if err != nil {
				t.Fatal(err)
			}
			archives = append(archives, archive{"zstd", enc.EncodeAll([]byte(text), nil), text})
		}
	}
	// bzip2 has no encoder in Go: an empty stream, and "a\n" from bzip2 -9.
	for _, b := range []struct{ b64, want string }{
		{"QlpoORdyRThQkAAAAAA=", ""},
		{"QlpoOTFBWSZTWWM+1uIAAADBAAAQIAAgACEAgrF3JFOFCQYz7W4g", "a\n"},
	} {
		data, err := base64.StdEncoding.DecodeString(b.b64)
		if err != nil {
			t.Fatal(err)
		}
		archives = append(archives, archive{"bzip2", data, b.want})
	}
	for _, a := range archives {
		for _, byteByByte := range []bool{false, true} {
			var src io.Reader = bytes.NewReader(a.data)
			if byteByByte {
				src = iotest.OneByteReader(src)
			}
			r, release, err := decompress(src)
			if err != nil {
				t.Fatalf("%s of %d bytes: %v", a.name, len(a.want), err)
			}
			got, err := io.ReadAll(r)
			release()
			if err != nil || string(got) != a.want {
				t.Errorf("%s of %d bytes, one byte a read %v: read %d bytes, %v", a.name, len(a.want), byteByByte, len(got), err)
			}
		}
	}

	for _, text := range []string{
		"BZh9 is how a bzip2 file starts\n", "BZh", "BZh91AY&S", "\x1f\x8b", "\x1f\x8b\x08\xff gzip's reserved flags\n",
		"\x1f\x8b\x07\x00 not deflate\n", "\x28\xb5\x2f\xfd\x08 reserved bit\n", "\x28\xb5\x2f\xfd\x20\x00\x07 reserved block type\n",
		"\xfd7zXZ\x00\x00\x01 bad crc\n", "plain text\n",
	} {
		r, release, err := decompress(iotest.HalfReader(strings.NewReader(text)))
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		got, err := io.ReadAll(r)
		release()
		if err != nil || string(got) != text {
			t.Errorf("%q read as %q, %v", text, got, err)
		}
	}
}

// A live pipe of text is passed on after its first write, without
// waiting for more bytes to decide.
func TestDecompressDoesNotWait(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte("B"))
	done := make(chan error, 1)
	go func() {
		_, _, err := decompress(pr)
		done <- err
	}()
	// "B" may start "BZh": one more byte decides.
	go pw.Write([]byte("Y line\n"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
