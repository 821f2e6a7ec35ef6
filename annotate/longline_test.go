package annotate

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// Lines longer than MaxLine pass through text mode byte for byte, around
// records that are still annotated, however the input is cut by reads.
func TestLongLines(t *testing.T) {
	annotated := func(l string) string { return l + " #pn 22/tcp ssh well-known\n" }
	long := strings.Repeat("x", MaxLine)
	tests := []struct{ name, in, want string }{
		{"MaxLine is parsed", sshLine + strings.Repeat(" ", MaxLine-len(sshLine)) + "\n", annotated(sshLine + strings.Repeat(" ", MaxLine-len(sshLine)))},
		{"one byte more is not", sshLine + strings.Repeat(" ", MaxLine+1-len(sshLine)) + "\n", ""},
		{"between records", sshLine + "\n" + long + "y\n" + sshLine + "\n", annotated(sshLine) + long + "y\n" + annotated(sshLine)},
		{"three times MaxLine", sshLine + "\n" + long + long + long + "\n" + sshLine + "\n", annotated(sshLine) + long + long + long + "\n" + annotated(sshLine)},
		{"last line without newline", sshLine + "\n" + long + long + "z", annotated(sshLine) + long + long + "z"},
		{"ends right after its start", long + "z", ""},
		{"crlf and binary", long + "\xff\x00\r\n" + sshLine + "\r\n", long + "\xff\x00\r\n" + sshLine + " #pn 22/tcp ssh well-known\r\n"},
	}
	readers := map[string]func(io.Reader) io.Reader{
		"whole": nil,
		"half":  iotest.HalfReader,
		"odd":   func(r io.Reader) io.Reader { return &chunkReader{r, 7919} },
	}
	for _, tt := range tests {
		want := tt.want
		if want == "" {
			want = tt.in
		}
		for rname, wrap := range readers {
			t.Run(tt.name+"/"+rname, func(t *testing.T) {
				a := newTest(Config{})
				var out bytes.Buffer
				var r io.Reader = strings.NewReader(tt.in)
				if wrap != nil {
					r = wrap(r)
				}
				if err := a.Run(t.Context(), r, &out); err != nil {
					t.Fatal(err)
				}
				if out.String() != want {
					t.Errorf("output differs (%d bytes, want %d)\n%s", out.Len(), len(want), firstDiff(out.Bytes(), []byte(want)))
				}
				lines := int64(strings.Count(tt.in, "\n"))
				if !strings.HasSuffix(tt.in, "\n") {
					lines++
				}
				if s := a.Stats(); s.Lines != lines || s.Bytes != int64(len(tt.in)) {
					t.Errorf("stats: %d lines, %d bytes; want %d, %d", s.Lines, s.Bytes, lines, len(tt.in))
				}
			})
		}
	}
}

// chunkReader returns at most n bytes a read.
type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

// JSON keeps a long line's first MaxLine bytes, whole characters only,
// and says it was cut; the lines around it are records as usual.
func TestLongLineJSON(t *testing.T) {
	long := "a" + strings.Repeat("é", MaxLine/2) // a cut at MaxLine splits an é
	in := sshLine + "\n" + long + "\n" + sshLine + "\n"
	for _, cfg := range []Config{{Output: JSON}, {Output: JSON, WithFilename: true}} {
		out := run(t, cfg, []byte(in), nil)
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("%d lines of output", len(lines))
		}
		var v struct {
			Message string
			Log     struct{ Flags []string }
		}
		if err := json.Unmarshal([]byte(lines[1]), &v); err != nil {
			t.Fatal(err)
		}
		if want := "a" + strings.Repeat("é", MaxLine/2-1); v.Message != want || len(v.Log.Flags) != 1 || v.Log.Flags[0] != "truncated" {
			t.Errorf("long line as %d bytes of message, flags %q", len(v.Message), v.Log.Flags)
		}
		if !strings.Contains(lines[2], `"destination":{"ip":"192.0.2.10","port":22}`) {
			t.Errorf("the record after the long line: %.200s", lines[2])
		}
	}
	// Bytes that are not UTF-8 are kept in message_base64, as for any line.
	out := run(t, Config{Output: JSON}, []byte(strings.Repeat("\xff", MaxLine+10)), nil)
	var v struct {
		Portnote struct {
			Base64 string `json:"message_base64"`
		}
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	if b, _ := base64.StdEncoding.DecodeString(v.Portnote.Base64); !bytes.Equal(b, bytes.Repeat([]byte{0xff}, MaxLine)) {
		t.Errorf("message_base64 holds %d bytes", len(b))
	}
}

// endless yields n bytes of 'x' without a newline, holding none of them.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	if e.n == 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), e.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	e.n -= k
	return int(k), nil
}

// heapSampler checks what it is written (all 'x') and samples the heap
// in use now and then.
type heapSampler struct {
	n, writes int64
	peak      uint64
	bad       bool
}

func (h *heapSampler) Write(p []byte) (int, error) {
	h.n += int64(len(p))
	if bytes.Count(p, []byte{'x'}) != len(p) {
		h.bad = true
	}
	if h.writes++; h.writes%16 == 1 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.peak = max(h.peak, m.HeapInuse)
	}
	return len(p), nil
}

// A line that never ends costs the same memory as a short one.
func TestLongLineMemory(t *testing.T) {
	const size = 128 << 20
	for _, out := range []Output{Text, JSON} {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h := &heapSampler{peak: m.HeapInuse}
		a := newTest(Config{Output: out})
		if err := a.Run(t.Context(), &endless{size}, h); err != nil {
			t.Fatal(err)
		}
		if out == Text && (h.n != size || h.bad) {
			t.Errorf("text: %d bytes out of %d", h.n, size)
		}
		if grew := h.peak - m.HeapInuse; grew > 48<<20 {
			t.Errorf("output %d: the heap grew by %d MiB for a line of %d MiB", out, grew>>20, size>>20)
		}
		if s := a.Stats(); s.Lines != 1 || s.Bytes != size {
			t.Errorf("output %d: stats %+v", out, s)
		}
	}
}

// A source that ends inside a long line ends that line; the next
// source's lines follow on a line of their own.
func TestLongLineSources(t *testing.T) {
	a, b := &Source{Path: "a.log"}, &Source{Path: "b.log"}
	long := strings.Repeat("x", MaxLine+100)
	in := &scriptedSources{[]piece{{a, sshLine + "\n" + long[:MaxLine/2]}, {a, long[MaxLine/2:]}, {b, "uno\n"}}}
	var out bytes.Buffer
	an := New(Config{})
	if err := an.Run(t.Context(), in, &out); err != nil {
		t.Fatal(err)
	}
	want := sshLine + sshNote + "\n" + long + "\nuno\n"
	if out.String() != want {
		t.Errorf("output differs:\n%s", firstDiff(out.Bytes(), []byte(want)))
	}
	if s := an.Stats(); s.Lines != 3 {
		t.Errorf("%d lines", s.Lines)
	}
}

// lastWithEOF is a reader of sources whose last read brings data of a
// new source together with io.EOF, as io.Reader allows.
type lastWithEOF struct {
	scriptedSources
}

func (r *lastWithEOF) ReadSource(p []byte) (int, *Source, error) {
	n, src, err := r.scriptedSources.ReadSource(p)
	if err == nil && len(r.pieces) == 0 {
		err = io.EOF
	}
	return n, src, err
}

// The last line of an input whose last read changes the source (inside
// a line of the one before) and ends the input at once is still
// annotated.
func TestLastSourceEndsWithEOF(t *testing.T) {
	a, b := &Source{Path: "a.log"}, &Source{Path: "b.log"}
	in := &lastWithEOF{scriptedSources{[]piece{{a, "one\ntw"}, {b, sshLine}}}}
	var out bytes.Buffer
	if err := New(Config{}).Run(t.Context(), in, &out); err != nil {
		t.Fatal(err)
	}
	if want := "one\ntw\n" + sshLine + sshNote; out.String() != want {
		t.Errorf("got %q\nwant %q", out.String(), want)
	}
}
