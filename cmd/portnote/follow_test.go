package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portnote/portnote/annotate"
)

// followWait bounds every wait for the follower; reaching it is a failure,
// never part of a passing run.
const followWait = 10 * time.Second

// followModes are the two ways of noticing changes; the polling one ticks
// fast so that tests stay short.
var followModes = []struct {
	name string
	opt  followOptions
}{
	{"fsnotify", followOptions{startLines: 10}},
	{"polling", followOptions{startLines: 10, noNotify: true, poll: 10 * time.Millisecond}},
}

// followHarness runs follow and collects its lines and warnings.
type followHarness struct {
	t     *testing.T
	r     io.ReadCloser
	lines chan string
	done  chan struct{} // the collecting goroutine has seen io.EOF

	mu     sync.Mutex
	warns  []string
	broken []string // Reads that did not end on a line boundary
}

func startFollowing(t *testing.T, ctx context.Context, names []string, opt followOptions) *followHarness {
	t.Helper()
	h := &followHarness{t: t, lines: make(chan string, 1<<15), done: make(chan struct{})}
	opt.warn = func(err error) {
		h.mu.Lock()
		h.warns = append(h.warns, err.Error())
		h.mu.Unlock()
	}
	r, err := follow(ctx, names, opt)
	if err != nil {
		t.Fatal(err)
	}
	h.r = r
	go h.collect()
	t.Cleanup(func() {
		r.Close()
		select {
		case <-h.done:
		case <-time.After(followWait):
			t.Error("Read still blocked after Close")
		}
		noFollowerLeft(t)
		h.mu.Lock()
		defer h.mu.Unlock()
		if len(h.broken) > 0 {
			t.Errorf("Reads ending inside a line: %q", h.broken)
		}
	})
	return h
}

func (h *followHarness) collect() {
	defer close(h.done)
	buf := make([]byte, 64<<10)
	var pending []byte
	for {
		n, err := h.r.Read(buf)
		// Only a line longer than the buffer may be cut, or one longer
		// than annotate.MaxLine, which comes as it is written.
		open := n - (bytes.LastIndexByte(buf[:n], '\n') + 1)
		if open == n {
			open += len(pending)
		}
		if n > 0 && n < len(buf) && buf[n-1] != '\n' && open <= annotate.MaxLine {
			h.mu.Lock()
			h.broken = append(h.broken, shortened(string(buf[:n])))
			h.mu.Unlock()
		}
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.IndexByte(pending, '\n')
			if i < 0 {
				break
			}
			h.lines <- string(pending[:i])
			pending = pending[i+1:]
		}
		if err != nil {
			if err != io.EOF {
				h.t.Errorf("Read: %v", err)
			}
			return
		}
	}
}

// expect checks the next lines. Ending with a sentinel line written last
// proves that nothing was duplicated or left over before it.
func (h *followHarness) expect(want ...string) {
	h.t.Helper()
	for i, w := range want {
		select {
		case got := <-h.lines:
			if got != w {
				h.t.Fatalf("line %d: got %q, want %q", i+1, shortened(got), shortened(w))
			}
		case <-time.After(followWait):
			h.t.Fatalf("timed out waiting for line %d, %q; warnings: %q", i+1, shortened(w), h.warnings())
		}
	}
}

func (h *followHarness) warnings() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.warns...)
}

func (h *followHarness) warned(part string) bool {
	for _, w := range h.warnings() {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

// noFollowerLeft waits for the follower's and fsnotify's goroutines to
// end, failing if they do not.
func noFollowerLeft(t *testing.T) {
	t.Helper()
	buf := make([]byte, 1<<20)
	deadline := time.Now().Add(followWait)
	for {
		stacks := buf[:runtime.Stack(buf, true)]
		if !bytes.Contains(stacks, []byte("(*follower).run")) && !bytes.Contains(stacks, []byte("fsnotify.")) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("follower goroutines left behind:\n%s", stacks)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func shortened(s string) string {
	if len(s) > 60 {
		return s[:30] + "..." + s[len(s)-30:]
	}
	return s
}

func writeLog(t *testing.T, name, s string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendLog(t *testing.T, name, s string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func numberedLines(prefix string, from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "%s%d\n", prefix, i)
	}
	return b.String()
}

func lineList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func TestFollowStart(t *testing.T) {
	tests := []struct {
		name    string
		content string
		opt     followOptions
		appends string
		want    string // initial lines, then the appended ones
	}{
		{"last 2", numberedLines("l", 1, 5), followOptions{startLines: 2}, "new\n", "l4\nl5\nnew\n"},
		{"last 10 of 12", numberedLines("l", 1, 12), followOptions{startLines: 10}, "", numberedLines("l", 3, 12)},
		{"last 0 only new data", numberedLines("l", 1, 5), followOptions{startLines: 0}, "new\n", "new\n"},
		{"more than the file has", numberedLines("l", 1, 3), followOptions{startLines: 10}, "", numberedLines("l", 1, 3)},
		{"empty file", "", followOptions{startLines: 10}, "first\n", "first\n"},
		{"+1 is the whole file", numberedLines("l", 1, 4), followOptions{fromLine: 1}, "", numberedLines("l", 1, 4)},
		{"+3", numberedLines("l", 1, 4), followOptions{fromLine: 3}, "", "l3\nl4\n"},
		{"+N past the end skips into new data", numberedLines("l", 1, 3), followOptions{fromLine: 5}, numberedLines("l", 4, 6), "l5\nl6\n"},
		{"partial last line not counted", "a\nb\npart", followOptions{startLines: 1}, "ial\n", "b\npartial\n"},
		{"last 0 keeps a partial line whole", "a\npart", followOptions{startLines: 0}, "ial\n", "partial\n"},
		{"lines longer than a read", strings.Repeat("x", 70000) + "\nshort\n", followOptions{startLines: 2}, "", strings.Repeat("x", 70000) + "\nshort\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "kern.log")
			writeLog(t, name, tt.content)
			h := startFollowing(t, context.Background(), []string{name}, tt.opt)
			appendLog(t, name, tt.appends+"END\n")
			h.expect(append(lineList(tt.want), "END")...)
		})
	}
}

// logRotations move kern.log aside the way logrotate does. Where the
// writer's old descriptor still leads to the rotated file (late), tests
// write through it after the rotation, as a daemon does until it has
// been told to reopen.
var logRotations = []struct {
	name   string
	late   bool // the old descriptor still leads to the rotated file
	rotate func(name string, old *os.File, n int) error
}{
	{"rename and create", true, func(name string, old *os.File, n int) error {
		return os.Rename(name, name+"."+strconv.Itoa(n))
	}},
	{"delete and recreate", true, func(name string, old *os.File, n int) error {
		return os.Remove(name)
	}},
	{"copytruncate", false, func(name string, old *os.File, n int) error {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(name+"."+strconv.Itoa(n), data, 0o644); err != nil {
			return err
		}
		return old.Truncate(0)
	}},
}

func TestFollowRotation(t *testing.T) {
	for _, mode := range followModes {
		for _, rot := range logRotations {
			t.Run(mode.name+"/"+rot.name, func(t *testing.T) {
				name := filepath.Join(t.TempDir(), "kern.log")
				w, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
				if err != nil {
					t.Fatal(err)
				}
				defer func() { w.Close() }()
				h := startFollowing(t, context.Background(), []string{name}, mode.opt)
				for n := 1; n <= 2; n++ {
					before := fmt.Sprintf("before rotation %d", n)
					if _, err := w.WriteString(before + "\n"); err != nil {
						t.Fatal(err)
					}
					h.expect(before)
					if err := rot.rotate(name, w, n); err != nil {
						t.Fatal(err)
					}
					var want []string
					if rot.late {
						late := fmt.Sprintf("late %d\n", n)
						if _, err := w.WriteString(late); err != nil {
							t.Fatal(err)
						}
						want = append(want, strings.TrimSuffix(late, "\n"))
						w.Close()
						if w, err = os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err != nil {
							t.Fatal(err)
						}
					}
					// Shorter than what was read before, so that a truncation is
					// seen by size.
					line := fmt.Sprintf("after %d", n)
					if _, err := w.WriteString(line + "\n"); err != nil {
						t.Fatal(err)
					}
					h.expect(append(want, line)...)
				}
				appendLog(t, name, "END\n")
				h.expect("END")
				if rot.name == "copytruncate" {
					if !h.warned("kern.log: file truncated") {
						t.Errorf("no truncation warning in %q", h.warnings())
					}
				} else if !h.warned("kern.log: has been replaced; following new file") && !h.warned("kern.log: has appeared") {
					t.Errorf("no replacement warning in %q", h.warnings())
				}
			})
		}
	}
}

// A file emptied in place and written again past the point the follower
// had read to, before it looked (here by overwriting it from the start,
// so that it is never shorter), is read again from its start: its size
// alone does not tell, what it holds before that point does.
func TestFollowTruncatedAndRegrown(t *testing.T) {
	for _, mode := range followModes {
		t.Run(mode.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "kern.log")
			writeLog(t, name, "")
			h := startFollowing(t, context.Background(), []string{name}, mode.opt)
			appendLog(t, name, numberedLines("old ", 1, 3))
			h.expect(lineList(numberedLines("old ", 1, 3))...)
			f, err := os.OpenFile(name, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteAt([]byte(numberedLines("new ", 1, 5)), 0); err != nil {
				t.Fatal(err)
			}
			f.Close()
			h.expect(lineList(numberedLines("new ", 1, 5))...)
			if !h.warned("kern.log: file truncated") {
				t.Errorf("no truncation warning in %q", h.warnings())
			}
		})
	}
}

func TestFollowLateFile(t *testing.T) {
	for _, mode := range followModes {
		t.Run(mode.name, func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "kern.log")
			// The directory is missing too: its watch has to be added late.
			deeper := filepath.Join(dir, "later", "pf.log")
			opt := mode.opt
			opt.poll = 10 * time.Millisecond
			h := startFollowing(t, context.Background(), []string{name, deeper}, opt)
			if !h.warned("kern.log: no such file yet; following it when it appears") {
				t.Errorf("no warning for the missing file in %q", h.warnings())
			}
			// A file that appears is read from its start, whatever -n says.
			writeLog(t, name, "first\nsecond\n")
			h.expect("first", "second")
			if err := os.Mkdir(filepath.Dir(deeper), 0o755); err != nil {
				t.Fatal(err)
			}
			writeLog(t, deeper, "deep\n")
			h.expect("deep")
			appendLog(t, name, "END\n")
			h.expect("END")
		})
	}
}

func TestFollowPartialLine(t *testing.T) {
	for _, mode := range followModes {
		t.Run(mode.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "kern.log")
			// "hel" is read with "ready", so when "ready" arrives it is held.
			writeLog(t, name, "ready\nhel")
			h := startFollowing(t, context.Background(), []string{name}, mode.opt)
			h.expect("ready")
			appendLog(t, name, "lo")
			appendLog(t, name, " world\nnext")
			h.expect("hello world")
			appendLog(t, name, "\nEND\n")
			h.expect("next", "END")
		})
	}
}

func TestFollowSeveralFiles(t *testing.T) {
	const files, lines = 3, 400
	for _, mode := range followModes {
		t.Run(mode.name, func(t *testing.T) {
			dir := t.TempDir()
			var names []string
			for i := range files {
				names = append(names, filepath.Join(dir, fmt.Sprintf("fw%d.log", i)))
				writeLog(t, names[i], "")
			}
			h := startFollowing(t, context.Background(), names, mode.opt)
			var wg sync.WaitGroup
			for i, name := range names {
				wg.Go(func() {
					f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
					if err != nil {
						t.Error(err)
						return
					}
					defer f.Close()
					for n := range lines {
						// Two writes per line, so lines are completed later.
						fmt.Fprintf(f, "file %d ", i)
						fmt.Fprintf(f, "line %d\n", n)
					}
				})
			}
			wg.Wait()
			next := make([]int, files)
			for got := 0; got < files*lines; got++ {
				var line string
				select {
				case line = <-h.lines:
				case <-time.After(followWait):
					t.Fatalf("timed out after %d lines; next per file %v", got, next)
				}
				var i, n int
				if _, err := fmt.Sscanf(line, "file %d line %d", &i, &n); err != nil || i < 0 || i >= files {
					t.Fatalf("mixed or broken line %q", line)
				}
				if n != next[i] {
					t.Fatalf("file %d: got line %d, want %d", i, n, next[i])
				}
				next[i]++
			}
		})
	}
}

func TestFollowStops(t *testing.T) {
	for _, mode := range followModes {
		t.Run(mode.name+"/cancel", func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "kern.log")
			writeLog(t, name, "old\n")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			h := startFollowing(t, ctx, []string{name, filepath.Join(dir, "missing.log")}, mode.opt)
			h.expect("old")
			// Complete lines written before the cancel are delivered; the
			// partial one is not.
			appendLog(t, name, "just in time\nhalf")
			cancel()
			select {
			case <-h.done:
			case <-time.After(followWait):
				t.Fatal("Read did not return io.EOF after cancel")
			}
			h.expect("just in time")
			select {
			case line := <-h.lines:
				t.Errorf("unexpected line %q after cancel", line)
			default:
			}
			noFollowerLeft(t)
		})
		t.Run(mode.name+"/close", func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "kern.log")
			writeLog(t, name, "old\n")
			h := startFollowing(t, context.Background(), []string{name}, mode.opt)
			h.expect("old")
			if err := h.r.Close(); err != nil {
				t.Fatal(err)
			}
			noFollowerLeft(t)
			if err := h.r.Close(); err != nil {
				t.Fatalf("second Close: %v", err)
			}
		})
	}
}

func TestFollowRejects(t *testing.T) {
	for _, names := range [][]string{nil, {"a.log", "-"}} {
		if r, err := follow(context.Background(), names, followOptions{}); err == nil {
			r.Close()
			t.Errorf("follow(%q) succeeded", names)
		}
	}
}

// A rotated file whose writer left a last line unfinished gives it up
// once it has been quiet for lingerFor, with a newline added.
func TestFollowRotatedFragment(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for lingerFor")
	}
	name := filepath.Join(t.TempDir(), "kern.log")
	writeLog(t, name, "")
	h := startFollowing(t, context.Background(), []string{name}, followOptions{startLines: 10})
	appendLog(t, name, "whole\nfrag")
	h.expect("whole")
	if err := os.Rename(name, name+".1"); err != nil {
		t.Fatal(err)
	}
	writeLog(t, name, "new file\n")
	h.expect("new file", "frag")
}

func TestLineQueueRead(t *testing.T) {
	tests := []struct {
		name   string
		pushes []string
		size   int      // of each Read
		reads  []string // what each Read returns
	}{
		{"lines fit", []string{"a\n", "bb\n"}, 64, []string{"a\nbb\n"}},
		{"cut after a newline", []string{"aaa\nbbb\nccc\n"}, 9, []string{"aaa\nbbb\n", "ccc\n"}},
		{"line longer than the buffer", []string{"abcdefgh\n", "x\n"}, 4, []string{"abcd", "efgh", "\nx\n"}},
		{"whole lines across pushes", []string{"aaa\n", "bbb\n", "ccc\n"}, 10, []string{"aaa\nbbb\n", "ccc\n"}},
		{"beyond one chunk", []string{strings.Repeat("y", queueChunkSize-1) + "\n", "z\n"}, queueChunkSize + 8, []string{strings.Repeat("y", queueChunkSize-1) + "\nz\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newLineQueue()
			for _, p := range tt.pushes {
				q.push(context.Background(), nil, nil, []byte(p))
			}
			q.finish()
			buf := make([]byte, tt.size)
			var got []string
			for {
				n, _, err := q.read(buf)
				if err == io.EOF {
					break
				}
				got = append(got, string(buf[:n]))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.reads) {
				t.Errorf("reads %q, want %q", got, tt.reads)
			}
		})
	}
}

// A read returns lines of one source only, and says which.
func TestLineQueueSources(t *testing.T) {
	a, b := &annotate.Source{Path: "a"}, &annotate.Source{Path: "b"}
	q := newLineQueue()
	ctx := context.Background()
	q.push(ctx, a, nil, []byte("a1\n"))
	q.push(ctx, a, []byte("a"), []byte("2\n"))
	q.push(ctx, b, nil, []byte("b1\n"))
	q.push(ctx, a, nil, []byte("a3\n"))
	q.finish()
	buf := make([]byte, 64)
	var got []string
	for {
		n, src, err := q.read(buf)
		if err == io.EOF {
			break
		}
		got = append(got, src.Path+":"+string(buf[:n]))
	}
	want := []string{"a:a1\na2\n", "b:b1\n", "a:a3\n"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reads %q, want %q", got, want)
	}
}

// Delivering lines and reading them allocates nothing once warm.
func TestFollowDeliverNoAllocs(t *testing.T) {
	fl := &follower{q: newLineQueue(), opt: followOptions{warn: func(error) {}}}
	tr := &followedName{name: "kern.log"}
	s := &generation{}
	data := []byte("Jan  1 00:00:00 fw kernel: IN=eth0 SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=22\nJan  1 00:00:01 fw kernel: IN=eth0 SR")
	rest := []byte("C=1.2.3.4 DST=5.6.7.8 PROTO=UDP SPT=1 DPT=53\n")
	buf := make([]byte, 64<<10)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		fl.deliver(ctx, tr, s, data)
		fl.deliver(ctx, tr, s, rest)
		if n, _, _ := fl.q.read(buf); n != len(data)+len(rest) {
			t.Fatalf("read %d bytes", n)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per two lines", allocs)
	}
}

// The soak test writes numbered lines at about 10,000 a second through
// five rotations and checks that every line arrives once, in order.
func TestFollowSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test")
	}
	const total, rotationsEach, perSecond = 10000, 5, 10000
	for _, mode := range followModes {
		for _, rot := range logRotations[:2] {
			t.Run(mode.name+"/"+rot.name, func(t *testing.T) {
				name := filepath.Join(t.TempDir(), "kern.log")
				writeLog(t, name, "")
				h := startFollowing(t, context.Background(), []string{name}, mode.opt)

				start := time.Now()
				writerDone := make(chan error, 1)
				go func() { writerDone <- soakWriter(name, total, rotationsEach, perSecond, rot.rotate) }()

				next, dups := 0, 0
				deadline := time.After(followWait + total/perSecond*time.Second)
				for next < total {
					select {
					case line := <-h.lines:
						n, err := strconv.Atoi(line)
						switch {
						case err != nil:
							t.Fatalf("broken line %q", line)
						case n < next:
							dups++
						case n > next:
							t.Fatalf("line %d arrived when %d was due: %d lost; warnings: %q", n, next, n-next, h.warnings())
						default:
							next++
						}
					case <-deadline:
						t.Fatalf("%d of %d lines delivered before the deadline", next, total)
					}
				}
				if err := <-writerDone; err != nil {
					t.Fatal(err)
				}
				elapsed := time.Since(start)
				appendLog(t, name, "END\n")
				h.expect("END")
				if dups > 0 {
					t.Errorf("%d lines delivered twice", dups)
				}
				t.Logf("%d/%d lines, %d rotations, %d duplicates, %v", next, total, rotationsEach, dups, elapsed.Round(time.Millisecond))
			})
		}
	}
}

// soakWriter writes total numbered lines to name, paced to perSecond,
// rotating it evenly rotationsEach times.
func soakWriter(name string, total, rotationsEach, perSecond int, rotate func(string, *os.File, int) error) error {
	return soakWriterPrefixed(name, "", total, rotationsEach, perSecond, rotate)
}

// soakWriterPrefixed is soakWriter with prefix before each number.
func soakWriterPrefixed(name, prefix string, total, rotationsEach, perSecond int, rotate func(string, *os.File, int) error) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer func() { f.Close() }()
	every := total / (rotationsEach + 1)
	// Paced in steps of ten lines. After a stall (a busy machine) the
	// writer catches up by 10 ms at most: a burst that writes, rotates
	// and deletes a whole file before the follower runs again would lose
	// that file for any follower, GNU tail included.
	step := 10 * time.Second / time.Duration(perSecond)
	next := time.Now()
	line := make([]byte, 0, 16)
	for i := range total {
		if i > 0 && i%every == 0 && i/every <= rotationsEach {
			if err := rotate(name, f, i/every); err != nil {
				return err
			}
			f.Close()
			if f, err = os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err != nil {
				return err
			}
		}
		line = append(strconv.AppendInt(append(line[:0], prefix...), int64(i), 10), '\n')
		if _, err := f.Write(line); err != nil {
			return err
		}
		if i%10 == 9 {
			next = next.Add(step)
			switch d := time.Until(next); {
			case d > 0:
				time.Sleep(d)
			case d < -10*time.Millisecond:
				next = time.Now()
			}
		}
	}
	return nil
}

// A line longer than annotate.MaxLine is passed on as it is written,
// whole: no newline is added, and no other file's line gets into it.
func TestFollowLongLine(t *testing.T) {
	long := strings.Repeat("x", 3*annotate.MaxLine) + "y"
	for _, mode := range followModes {
		t.Run(mode.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
			writeLog(t, a, "")
			writeLog(t, b, "")
			h := startFollowing(t, context.Background(), []string{a, b}, mode.opt)
			appendLog(t, a, "before\n"+long+"\nafter\n")
			h.expect("before", long, "after")

			// Written in parts, with another file's line in between.
			appendLog(t, a, long[:len(long)/2])
			appendLog(t, b, "from b\n")
			time.Sleep(20 * time.Millisecond) // let the follower see both
			appendLog(t, a, long[len(long)/2:]+"\n")
			var wholeLong, fromB int
			var others []string
			for range 2 {
				select {
				case line := <-h.lines:
					switch line {
					case long:
						wholeLong++
					case "from b":
						fromB++
					default:
						others = append(others, shortened(line))
					}
				case <-time.After(followWait):
					t.Fatalf("timed out; %d long, %d from b, others %q", wholeLong, fromB, others)
				}
			}
			if wholeLong != 1 || fromB != 1 {
				t.Errorf("%d long lines whole, %d from b; others %q", wholeLong, fromB, others)
			}
			appendLog(t, b, "END\n")
			h.expect("END")
		})
	}
}

// TestFollowSoakCopytruncate follows files that logrotate's copytruncate
// empties in place, with "portnote -f" and, where it is installed, GNU
// "tail -F" in the same run, each a process of its own. Each of several
// writers writes numbered lines and five times, once both followers
// have delivered what it wrote (a rotation at a quiet moment: what a
// follower has not read when the copy is made is lost to it, and that
// is a matter of luck on a busy machine), copies the file, truncates
// it and at once writes more lines than it held before, as a busy
// daemon does. A follower that looks only at the size then misses the
// truncation and reads on from its old offset; portnote must lose no
// line, break none and repeat none, and so lose no more than tail.
func TestFollowSoakCopytruncate(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test")
	}
	const files, total, rotationsEach, perSecond = 20, 3000, 5, 3000 // per file
	portnote, err := exec.LookPath("portnote")                       // the test binary, as testscript.Main installs it
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var names []string
	for i := range files {
		names = append(names, filepath.Join(dir, fmt.Sprintf("fw%d.log", i)))
		writeLog(t, names[i], "")
	}
	followers := []*soakTally{newSoakTally("portnote", files, total)}
	followers[0].collect(startProcess(t, portnote, append([]string{"-f", "-n", "+1"}, names...)))
	if tail := gnuTail(); tail != "" {
		followers = append(followers, newSoakTally("tail -F", files, total))
		followers[1].collect(startProcess(t, tail, append([]string{"-n", "+1", "-q", "-F"}, names...)))
	} else {
		t.Log("no GNU tail to compare with")
	}

	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			caughtUp := func(n int) {
				for k, f := range followers {
					limit := time.Second // tail may have lost the line
					if k == 0 {
						limit = followWait // portnote must not have
					}
					f.waitFor(i, n, limit)
				}
			}
			if err := copytruncateWriter(name, fmt.Sprintf("%d:", i), total, rotationsEach, perSecond, caughtUp); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	var report []string
	for _, f := range followers {
		f.wait(t)
		report = append(report, fmt.Sprintf("%s lost %d of %d lines %q, broke %d, repeated %d", f.who, f.lost(), files*total, f.lostLines(), f.broken, f.dups))
	}
	t.Log(strings.Join(report, "; "))
	ours := followers[0]
	if ours.lost() > 0 || ours.broken > 0 || ours.dups > 0 || ours.disorder > 0 {
		t.Errorf("portnote: %d lost, %d broken (%q), %d repeated, %d out of order", ours.lost(), ours.broken, ours.firstBroken, ours.dups, ours.disorder)
	}
}

// copytruncateWriter writes total lines "PREFIX N" to name, paced to
// perSecond, and rotationsEach times waits until caughtUp(N) returns for
// the last N written, copies the file, truncates it and writes the next
// lines, more than the file held, unpaced.
func copytruncateWriter(name, prefix string, total, rotationsEach, perSecond int, caughtUp func(n int)) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	every := total / (rotationsEach + 1)
	step := 10 * time.Second / time.Duration(perSecond)
	next := time.Now()
	burstUntil := 0
	line := make([]byte, 0, 16)
	for i := range total {
		if i > 0 && i%every == 0 && i/every <= rotationsEach {
			caughtUp(i - 1)
			if err := logRotations[2].rotate(name, f, i/every); err != nil {
				return err
			}
			burstUntil = i + every + every/2
		}
		line = append(strconv.AppendInt(append(line[:0], prefix...), int64(i), 10), '\n')
		if _, err := f.Write(line); err != nil {
			return err
		}
		if i < burstUntil {
			next = time.Now()
			continue
		}
		if i%10 == 9 {
			next = next.Add(step)
			if d := time.Until(next); d > 0 {
				time.Sleep(d)
			}
		}
	}
	_, err = fmt.Fprintf(f, "%sEND\n", prefix)
	return err
}

// gnuTail returns the path of GNU tail, or "" when there is none.
func gnuTail() string {
	path, err := exec.LookPath("tail")
	if err != nil {
		return ""
	}
	out, err := exec.Command(path, "--version").Output()
	if err != nil || !bytes.Contains(out, []byte("GNU coreutils")) {
		return ""
	}
	return path
}

// startProcess runs path with args and returns the lines it writes; it
// is stopped when the test ends.
func startProcess(t *testing.T, path string, args []string) <-chan string {
	t.Helper()
	cmd := exec.Command(path, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	lines := make(chan string, 1<<16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return lines
}

// soakTally counts what a follower delivered of the soak's lines
// "FILE:N", until every file's "FILE:END".
type soakTally struct {
	who string

	mu          sync.Mutex
	changed     *sync.Cond
	seen        [][]bool
	next        []int // per file, the number after the last one seen
	ended       int
	stopped     bool // the follower's output ended
	broken      int
	firstBroken string
	dups        int
	disorder    int
}

func newSoakTally(who string, files, total int) *soakTally {
	c := &soakTally{who: who, seen: make([][]bool, files), next: make([]int, files)}
	c.changed = sync.NewCond(&c.mu)
	for i := range c.seen {
		c.seen[i] = make([]bool, total)
	}
	return c
}

// collect counts lines in the background.
func (c *soakTally) collect(lines <-chan string) {
	go func() {
		for line := range lines {
			c.mu.Lock()
			c.add(line)
			c.changed.Broadcast()
			c.mu.Unlock()
		}
		c.mu.Lock()
		c.stopped = true
		c.changed.Broadcast()
		c.mu.Unlock()
	}()
}

// waitFor waits until line n of file has arrived, or a later one, or
// limit has passed: a follower that has lost it must not hold the
// writer up for long.
func (c *soakTally) waitFor(file, n int, limit time.Duration) {
	deadline := time.Now().Add(limit)
	timer := time.AfterFunc(limit, func() {
		c.mu.Lock()
		c.changed.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.next[file] <= n && !c.stopped && time.Now().Before(deadline) {
		c.changed.Wait()
	}
}

// wait waits until every file has ended, failing after followWait.
func (c *soakTally) wait(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(followWait)
	for {
		c.mu.Lock()
		ended, stopped := c.ended, c.stopped
		c.mu.Unlock()
		if ended == len(c.seen) {
			return
		}
		if stopped || time.Now().After(deadline) {
			t.Fatalf("%s: only %d of %d files ended", c.who, ended, len(c.seen))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (c *soakTally) add(line string) {
	f, rest, ok := strings.Cut(line, ":")
	file, err := strconv.Atoi(f)
	if ok && err == nil && file >= 0 && file < len(c.seen) {
		if rest == "END" {
			c.ended++
			return
		}
		if n, err := strconv.Atoi(rest); err == nil && n >= 0 && n < len(c.seen[file]) {
			switch {
			case c.seen[file][n]:
				c.dups++
			case n < c.next[file]:
				c.disorder++
			}
			c.seen[file][n] = true
			c.next[file] = max(c.next[file], n+1)
			return
		}
	}
	if c.broken == 0 {
		c.firstBroken = shortened(line)
	}
	c.broken++
}

// lostLines names a few lost lines, for the log.
func (c *soakTally) lostLines() []string {
	var out []string
	for f, s := range c.seen {
		for n, ok := range s {
			if !ok && len(out) < 4 {
				out = append(out, fmt.Sprintf("%d:%d", f, n))
			}
		}
	}
	return out
}

func (c *soakTally) lost() int {
	n := 0
	for _, s := range c.seen {
		for _, ok := range s {
			if !ok {
				n++
			}
		}
	}
	return n
}
