package main

// Follow mode: portnote's own "tail -F".
//
// Each FILE is followed by name. Over time a name leads to a sequence of
// files, its generations: the original, then whatever rotation puts in
// its place. The follower keeps every generation open until it is sure
// the generation is finished, so that the last lines a writer appends
// after a rename or delete are still delivered. Lines of one name come
// out in file order: a new generation is not read until every older one
// has been retired (the name leads elsewhere) and has stayed quiet for
// drainQuiet. A retired generation is then watched for lingerFor more in
// case a slow writer (a syslog daemon that reopens on SIGHUP) still
// appends to it; what it appends that late is delivered, out of order,
// rather than lost.
//
// Change notification comes from fsnotify watching each file's directory
// (a watch on the file itself would not see its replacement being
// created). Events are only hints: every decision is made from stat and
// read results, so a missed or overflowed event costs latency, never data,
// and the same code runs in the polling fallback.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/portnote/portnote/annotate"
)

// followOptions: from -n. startLines >= 0 means "the last N lines" (N=0:
// only new data); fromLine >= 1 means "+N": start at line N (1 = whole
// file). Exactly one applies.
type followOptions struct {
	startLines int
	fromLine   int
	poll       time.Duration // polling interval for the fallback and for safety re-checks; 0 means followPollDefault
	warn       func(error)   // non-fatal problems; called from follow and then from the follower goroutine, never concurrently; may be nil

	// noNotify forces the polling fallback even where fsnotify works, so
	// that tests exercise it.
	noNotify bool
}

const (
	followPollDefault = 250 * time.Millisecond

	// drainQuiet is how long a replaced file must stay unchanged before
	// its successor is read. Writers that keep the old descriptor after a
	// rotation usually reopen within this time; the few that do not are
	// caught by lingerFor.
	drainQuiet    = 50 * time.Millisecond
	drainInterval = 10 * time.Millisecond

	// lingerFor is how long a replaced, drained file stays open in case
	// its writer still appends to it; lingerInterval is how often it is
	// looked at meanwhile (writes to an unlinked file raise no event).
	lingerFor      = 2 * time.Second
	lingerInterval = 100 * time.Millisecond

	// A file written to within activeFor is looked at every activePoll
	// as well as on events: copytruncate empties a file in place, and the
	// sooner that is seen, the less the writer has written into the
	// emptied file, which a follower that misses the truncation would
	// read from its old offset on.
	activeFor  = time.Second
	activePoll = 25 * time.Millisecond

	followReadSize   = 64 << 10
	followMaxPending = 4 << 20 // delivered but unread bytes before the follower waits for the reader
)

// follow returns a reader that yields whole lines (each ending in '\n')
// from all the named files, in the order they complete, never splitting
// or mixing a line, until ctx is done; then Read returns io.EOF after
// everything already complete has been delivered, and all watches and
// files are released (Close also releases them).
//
// A file that does not exist yet is waited for and read from its start
// when it appears, as is every file that replaces one being followed. A
// last line without its newline is held until the newline arrives; it is
// never delivered if the file stays that way, except for a replaced file
// whose writer has gone, whose final fragment is delivered with a newline
// added. A line longer than annotate.MaxLine, which the engine passes
// on unparsed as it comes, is yielded in pieces as it is written, so
// that memory stays bounded, and no newline is added; until it ends, no
// other file is read, so that no other line can get into it. The reader
// is meant for one goroutine at a time.
func follow(ctx context.Context, names []string, opt followOptions) (io.ReadCloser, error) {
	if len(names) == 0 {
		return nil, errors.New("follow needs at least one file name")
	}
	for _, name := range names {
		if name == "-" {
			return nil, errors.New("standard input cannot be followed by name: give a file")
		}
	}
	if opt.poll <= 0 {
		opt.poll = followPollDefault
	}
	if opt.warn == nil {
		opt.warn = func(error) {}
	}
	ctx, cancel := context.WithCancel(ctx)
	fl := &follower{
		opt:      opt,
		q:        newLineQueue(),
		byPath:   make(map[string][]*followedName),
		watching: make(map[string]dirWatch),
		buf:      make([]byte, followReadSize),
		done:     make(chan struct{}),
	}
	if !opt.noNotify {
		w, err := fsnotify.NewWatcher()
		if err != nil {
			opt.warn(fmt.Errorf("cannot watch files (%v): polling every %v", err, opt.poll))
		} else {
			fl.watcher = w
		}
	}
	now := time.Now()
	for _, name := range names {
		t := &followedName{name: name, dir: filepath.Dir(name)}
		key := filepath.Join(t.dir, filepath.Base(name))
		fl.files = append(fl.files, t)
		fl.byPath[key] = append(fl.byPath[key], t)
		// Watch before opening: a change between the two is then seen.
		fl.watchDir(t.dir)
		fl.start(t, now)
	}
	go fl.run(ctx)
	return &followReader{q: fl.q, cancel: cancel, done: fl.done}, nil
}

// followReader is what follow returns.
type followReader struct {
	q      *lineQueue
	cancel context.CancelFunc
	done   <-chan struct{} // closed once the follower has released everything
}

// Read is ReadSource without the source.
func (r *followReader) Read(p []byte) (int, error) {
	n, _, err := r.q.read(p)
	return n, err
}

// ReadSource makes the follower an [annotate.SourceReader]: each read
// holds whole lines of one file.
func (r *followReader) ReadSource(p []byte) (int, *annotate.Source, error) { return r.q.read(p) }

// Close stops following and waits until every file and watch is
// released. Reads then return what was already queued, then io.EOF.
func (r *followReader) Close() error {
	r.cancel()
	<-r.done
	return nil
}

// generation is one file a name has led to.
type generation struct {
	src     *annotate.Source // what the engine knows the lines as
	f       *os.File
	info    os.FileInfo // identity, for os.SameFile
	off     int64       // next byte to read
	partial []byte      // the start of a line whose newline has not arrived
	// before holds the last bytes read, those just before off: when the
	// file no longer holds them there, it has been truncated and written
	// again, even if it is already longer than off.
	before    [64]byte
	beforeLen int
	long      bool      // a line longer than annotate.MaxLine is being passed on
	skip      int       // lines still to drop, for -n +N
	active    bool      // being read; set in order, older generations first
	retired   bool      // the name leads elsewhere now
	stirred   time.Time // when it last grew, or was retired
}

// followedName is one name given on the command line.
type followedName struct {
	name        string
	dir         string
	srcs        []*generation // oldest first; the last is what the name led to when last looked at
	seen        bool          // the name has led to a file since following began
	problem     string        // the last problem reported, so that it is reported once
	generations int           // sources made for the name so far
}

// newSource returns the engine's source for the next file the name
// leads to (or the same file started over), whose first line delivered
// is line firstLine (0: unknown).
func (t *followedName) newSource(firstLine int64) *annotate.Source {
	src := &annotate.Source{Path: t.name, Generation: t.generations, FirstLine: firstLine}
	t.generations++
	return src
}

type follower struct {
	opt      followOptions
	q        *lineQueue
	files    []*followedName
	byPath   map[string][]*followedName // by the path fsnotify reports for them
	watcher  *fsnotify.Watcher          // nil when polling
	watching map[string]dirWatch        // directories of followed files
	buf      []byte
	done     chan struct{}
	// streaming is the generation whose long line is being passed on:
	// until it ends, no other is read.
	streaming *generation
}

// start opens a name that was given on the command line and positions it
// as -n says. Unlike later files, only this first one is not read whole.
func (fl *follower) start(t *followedName, now time.Time) {
	f, err := openFollowed(t.name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			fl.problem(t, t.name+": no such file yet; following it when it appears")
		} else {
			fl.problem(t, problemText(t.name, err))
		}
		return
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = errors.New("not a regular file")
	}
	var off int64
	if err == nil && fl.opt.fromLine < 1 {
		off, err = lastLinesStart(f, info.Size(), fl.opt.startLines, fl.buf)
	}
	if err != nil {
		f.Close()
		fl.problem(t, problemText(t.name, err))
		return
	}
	s := &generation{f: f, info: info, off: off, active: true, stirred: now}
	// What lies before the start, for telling a truncation from then on.
	k := int(min(off, int64(len(s.before))))
	s.beforeLen, _ = f.ReadAt(s.before[:k], off-int64(k))
	first := int64(0) // unknown: starting at the last lines
	switch {
	case fl.opt.fromLine > 0:
		s.skip = fl.opt.fromLine - 1
		first = int64(fl.opt.fromLine)
	case off == 0:
		first = 1
	}
	s.src = t.newSource(first)
	t.srcs = append(t.srcs, s)
	t.seen = true
}

// lastLinesStart returns the offset where the last n complete lines of f
// begin; a partial line after them is included, so that it is delivered
// whole once completed.
func lastLinesStart(f io.ReaderAt, size int64, n int, buf []byte) (int64, error) {
	need := n + 1 // the newline that ends the line before the first wanted
	for pos := size; pos > 0; {
		b := buf[:min(int64(len(buf)), pos)]
		pos -= int64(len(b))
		n, err := f.ReadAt(b, pos)
		if err != nil && err != io.EOF {
			return 0, err
		}
		b = b[:n] // less if the file shrank meanwhile
		for i := len(b); ; {
			i = bytes.LastIndexByte(b[:i], '\n')
			if i < 0 {
				break
			}
			if need--; need == 0 {
				return pos + int64(i) + 1, nil
			}
		}
	}
	return 0, nil
}

// run is the follower goroutine: it owns every file, the watcher and the
// writing end of the queue.
func (fl *follower) run(ctx context.Context) {
	defer close(fl.done)
	defer fl.release()

	var events <-chan fsnotify.Event
	var errs <-chan error
	if fl.watcher != nil {
		events, errs = fl.watcher.Events, fl.watcher.Errors
	}
	tick := time.NewTicker(fl.opt.poll)
	defer tick.Stop()
	drain := time.NewTimer(time.Hour)
	drain.Stop()
	defer drain.Stop()
	var drainAt time.Time // when drain fires; zero when it is not armed

	dirty := make(map[*followedName]bool) // files with events: true if the name may lead elsewhere
	fl.syncAll(ctx)
	for {
		select {
		case <-ctx.Done():
			// Deliver what is complete already, as far as the queue
			// takes it without waiting.
			now := time.Now()
			for _, t := range fl.files {
				if !fl.pumpAll(ctx, t, now) {
					break
				}
			}
			return
		case ev, ok := <-events:
			if !ok {
				events, errs = nil, nil
				fl.opt.warn(fmt.Errorf("file watching stopped: polling every %v", fl.opt.poll))
				continue
			}
			fl.note(ev, dirty)
			// One read serves a burst of writes: take what else is queued.
			for more := true; more; {
				select {
				case ev, ok = <-events:
					if ok {
						fl.note(ev, dirty)
					} else {
						more = false
					}
				default:
					more = false
				}
			}
			now := time.Now()
			for t, look := range dirty {
				fl.sync(ctx, t, look, now)
				delete(dirty, t)
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			// An overflow means events were dropped: look at everything.
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				fl.opt.warn(fmt.Errorf("watching files: %w", err))
			}
			fl.syncAll(ctx)
		case <-tick.C:
			for dir, state := range fl.watching {
				if state == dirMissing {
					fl.watchDir(dir)
				}
			}
			fl.syncAll(ctx)
		case <-drain.C:
			drainAt = time.Time{}
			fl.syncAll(ctx)
		}
		// Only ever brought forward, never pushed back by events: a busy
		// directory must not starve a file waiting to be switched to.
		if d := fl.drainWait(time.Now()); d > 0 {
			if at := time.Now().Add(d); drainAt.IsZero() || at.Before(drainAt) {
				drain.Reset(d)
				drainAt = at
			}
		}
	}
}

// note records which followed files an event concerns.
func (fl *follower) note(ev fsnotify.Event, dirty map[*followedName]bool) {
	path := filepath.Clean(ev.Name)
	if fl.watching[path] == dirWatched && ev.Op.Has(fsnotify.Remove|fsnotify.Rename) {
		// The directory itself went away, and its watch with it. Ticks
		// try again; until then its files are polled.
		fl.watching[path] = dirMissing
		_ = fl.watcher.Remove(path)
	}
	look := !ev.Op.Has(fsnotify.Write) || ev.Op.Has(fsnotify.Create|fsnotify.Remove|fsnotify.Rename|fsnotify.Chmod)
	for _, t := range fl.byPath[path] {
		dirty[t] = dirty[t] || look
	}
}

func (fl *follower) syncAll(ctx context.Context) {
	now := time.Now()
	for _, t := range fl.files {
		fl.sync(ctx, t, true, now)
	}
}

// sync delivers what t's generations have gained and, if look, checks where
// the name leads now.
func (fl *follower) sync(ctx context.Context, t *followedName, look bool, now time.Time) {
	if !fl.pumpAll(ctx, t, now) {
		return
	}
	if look {
		fl.look(t, now)
		if !fl.pumpAll(ctx, t, now) {
			return
		}
	}
	// Close what has been replaced, drained and quiet for long enough.
	kept := t.srcs[:0]
	for _, s := range t.srcs {
		if s.active && s.retired && now.Sub(s.stirred) >= lingerFor {
			if len(s.partial) > 0 || s.long {
				// Nobody will complete it: deliver what there is.
				s.partial = append(s.partial, '\n')
				fl.q.push(ctx, s.src, nil, s.partial)
				fl.endLong(s)
			}
			s.f.Close()
			continue
		}
		kept = append(kept, s)
	}
	clear(t.srcs[len(kept):])
	t.srcs = kept
}

// pumpAll reads every generation that may be read, activating a newer one
// once all older ones are retired and quiet. It reports false when ctx
// ended the delivery.
func (fl *follower) pumpAll(ctx context.Context, t *followedName, now time.Time) bool {
	ready := true
	for _, s := range t.srcs {
		if !s.active {
			if !ready {
				break
			}
			s.active = true
		}
		if !fl.pump(ctx, t, s, now) {
			return false
		}
		ready = ready && s.retired && now.Sub(s.stirred) >= drainQuiet
	}
	return true
}

// pump delivers the whole lines s has gained since last time.
func (fl *follower) pump(ctx context.Context, t *followedName, s *generation, now time.Time) bool {
	if fl.streaming != nil && fl.streaming != s {
		return true // its turn comes when the long line ends
	}
	if truncated(s) {
		// Emptied in place (copytruncate): start it over. A held
		// partial line is kept: its end, if the writer was mid-line, is
		// what the file starts with now.
		fl.opt.warn(fmt.Errorf("%s: file truncated", t.name))
		s.off, s.beforeLen = 0, 0
		s.stirred = now
		// New content: the engine sees a new source, whose lines count
		// from 1 again (and ends a long line there).
		s.src = t.newSource(1)
		fl.endLong(s)
	}
	for {
		n, err := s.f.ReadAt(fl.buf, s.off)
		if n > 0 {
			s.off += int64(n)
			s.stirred = now
			s.remember(fl.buf[:n])
			if !fl.deliver(ctx, t, s, fl.buf[:n]) {
				return false
			}
		}
		if err != nil {
			if err != io.EOF {
				fl.problem(t, problemText(t.name, err))
			}
			return true
		}
	}
}

// truncated reports whether s has been truncated since it was last read:
// it is shorter than what was read, or no longer holds the bytes last
// read where they were (truncated and written again past that point
// before the follower looked). Checked on every wake-up, as tail -F does
// its size check, and cheap: a stat and a read of 64 bytes.
func truncated(s *generation) bool {
	info, err := s.f.Stat()
	if err != nil {
		return false
	}
	if info.Size() < s.off {
		return true
	}
	if s.beforeLen == 0 {
		return false
	}
	var b [len(s.before)]byte
	n, _ := s.f.ReadAt(b[:s.beforeLen], s.off-int64(s.beforeLen))
	return !bytes.Equal(b[:n], s.before[:s.beforeLen])
}

// remember keeps the last bytes read for truncated; data was read just
// before s.off.
func (s *generation) remember(data []byte) {
	if len(data) >= len(s.before) {
		s.beforeLen = copy(s.before[:], data[len(data)-len(s.before):])
		return
	}
	keep := min(s.beforeLen, len(s.before)-len(data))
	copy(s.before[:], s.before[s.beforeLen-keep:s.beforeLen])
	s.beforeLen = keep + copy(s.before[keep:], data)
}

// deliver queues the whole lines of data, keeping the incomplete end.
func (fl *follower) deliver(ctx context.Context, t *followedName, s *generation, data []byte) bool {
	for s.skip > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return true
		}
		data = data[i+1:]
		s.skip--
	}
	if s.long {
		end := bytes.IndexByte(data, '\n') + 1
		if end == 0 {
			return fl.q.push(ctx, s.src, nil, data)
		}
		if !fl.q.push(ctx, s.src, nil, data[:end]) {
			return false
		}
		fl.endLong(s)
		data = data[end:]
	}
	i := bytes.LastIndexByte(data, '\n')
	if i < 0 {
		s.partial = append(s.partial, data...)
		if len(s.partial) > annotate.MaxLine {
			// Too long to be a record: the engine passes it on as it
			// comes, and so does the follower, from now on.
			s.long, fl.streaming = true, s
			ok := fl.q.push(ctx, s.src, nil, s.partial)
			s.partial = nil
			return ok
		}
		return true
	}
	ok := fl.q.push(ctx, s.src, s.partial, data[:i+1])
	s.partial = append(s.partial[:0], data[i+1:]...)
	return ok
}

// endLong notes that s has no long line on its way any more.
func (fl *follower) endLong(s *generation) {
	s.long = false
	if fl.streaming == s {
		fl.streaming = nil
	}
}

// look checks where t's name leads and opens what has replaced the file
// last read from it.
func (fl *follower) look(t *followedName, now time.Time) {
	var last *generation
	if len(t.srcs) > 0 {
		last = t.srcs[len(t.srcs)-1]
	}
	retire := func() {
		if last != nil && !last.retired {
			last.retired = true
			last.stirred = now
		}
	}
	info, err := os.Stat(t.name)
	if err != nil {
		if last != nil && !last.retired {
			fl.opt.warn(fmt.Errorf("%s: has been removed or renamed; following it when it reappears", t.name))
		}
		retire()
		if !errors.Is(err, fs.ErrNotExist) {
			fl.problem(t, problemText(t.name, err))
		}
		return
	}
	if fl.revive(t, info) {
		return
	}
	f, err := openFollowed(t.name)
	if err != nil {
		retire()
		fl.problem(t, problemText(t.name, err))
		return
	}
	info, err = f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = errors.New("not a regular file")
	}
	if err != nil {
		f.Close()
		retire()
		fl.problem(t, problemText(t.name, err))
		return
	}
	if fl.revive(t, info) { // the name changed again between Stat and Open
		f.Close()
		return
	}
	retire()
	t.srcs = append(t.srcs, &generation{src: t.newSource(1), f: f, info: info, stirred: now})
	t.problem = ""
	if t.seen {
		fl.opt.warn(fmt.Errorf("%s: has been replaced; following new file", t.name))
	} else {
		fl.opt.warn(fmt.Errorf("%s: has appeared; following it", t.name))
	}
	t.seen = true
}

// revive reports whether the name leads to a file already open; if so,
// that file becomes the current one again (a file renamed away and back
// is not read twice).
func (fl *follower) revive(t *followedName, info os.FileInfo) bool {
	for i, s := range t.srcs {
		if !os.SameFile(s.info, info) {
			continue
		}
		if last := len(t.srcs) - 1; i != last {
			if !t.srcs[last].retired {
				t.srcs[last].retired = true
				t.srcs[last].stirred = time.Now()
			}
			copy(t.srcs[i:], t.srcs[i+1:])
			t.srcs[last] = s
		}
		s.retired = false
		return true
	}
	return false
}

// problemText words err about name as "name: what went wrong".
func problemText(name string, err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return name + ": " + err.Error()
}

// problem reports a problem with a name once, until something changes.
func (fl *follower) problem(t *followedName, msg string) {
	if msg != t.problem {
		t.problem = msg
		fl.opt.warn(errors.New(msg))
	}
}

type dirWatch int8

const (
	dirMissing   dirWatch = iota // not watched yet: tried again on every tick
	dirWatched                   // events arrive
	dirUnwatched                 // exists but cannot be watched: polled for good
)

// watchDir puts dir under watch; without a watch, its files are polled.
func (fl *follower) watchDir(dir string) {
	if fl.watcher == nil || fl.watching[dir] != dirMissing {
		return
	}
	err := fl.watcher.Add(dir)
	switch {
	case err == nil:
		fl.watching[dir] = dirWatched
	case errors.Is(err, fs.ErrNotExist):
		fl.watching[dir] = dirMissing
	default:
		fl.watching[dir] = dirUnwatched
		fl.opt.warn(fmt.Errorf("%s: cannot watch (%v): polling every %v", dir, err, fl.opt.poll))
	}
}

// drainWait says how soon generations waiting to be activated, lingering
// or lately written to must be looked at again, or 0 if none is.
func (fl *follower) drainWait(now time.Time) time.Duration {
	var d time.Duration
	for _, t := range fl.files {
		for _, s := range t.srcs {
			switch {
			case !s.active:
				return drainInterval
			case now.Sub(s.stirred) < activeFor:
				d = activePoll
			case s.retired && d == 0:
				d = lingerInterval
			}
		}
	}
	return d
}

func (fl *follower) release() {
	for _, t := range fl.files {
		for _, s := range t.srcs {
			s.f.Close()
		}
		t.srcs = nil
	}
	if fl.watcher != nil {
		fl.watcher.Close()
	}
	fl.q.finish()
}

// lineQueue carries whole lines from the follower to the reader, each
// with its source, and the pieces of lines too long to parse as they
// come. Bytes go into reused chunks, so delivering a line does not
// allocate once the queue is warm; a line (or piece) never spans two
// chunks, and a chunk holds lines of one source.
type lineQueue struct {
	mu       sync.Mutex
	chunks   []queueChunk
	head     int // bytes of chunks[0] already read
	size     int // bytes queued and not read
	spare    [][]byte
	finished bool

	wake chan struct{} // something to read
	room chan struct{} // something was read
	fin  chan struct{} // closed by finish
}

type queueChunk struct {
	b   []byte
	src *annotate.Source
}

const queueChunkSize = 64 << 10

func newLineQueue() *lineQueue {
	return &lineQueue{wake: make(chan struct{}, 1), room: make(chan struct{}, 1), fin: make(chan struct{})}
}

func poke(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// push queues prefix followed by line, of src, waiting while the reader
// is far behind. It reports false, queuing nothing, if ctx ends the wait.
func (q *lineQueue) push(ctx context.Context, src *annotate.Source, prefix, line []byte) bool {
	n := len(prefix) + len(line)
	q.mu.Lock()
	for q.size >= followMaxPending {
		q.mu.Unlock()
		select {
		case <-q.room:
		case <-ctx.Done():
			return false
		}
		q.mu.Lock()
	}
	if k := len(q.chunks); k > 0 && q.chunks[k-1].src == src && cap(q.chunks[k-1].b)-len(q.chunks[k-1].b) >= n {
		q.chunks[k-1].b = append(append(q.chunks[k-1].b, prefix...), line...)
	} else {
		var c []byte
		if k := len(q.spare); k > 0 && n <= queueChunkSize {
			c, q.spare = q.spare[k-1], q.spare[:k-1]
		} else {
			c = make([]byte, 0, max(n, queueChunkSize))
		}
		q.chunks = append(q.chunks, queueChunk{append(append(c, prefix...), line...), src})
	}
	q.size += n
	q.mu.Unlock()
	poke(q.wake)
	return true
}

// finish tells the reader that nothing more will be pushed.
func (q *lineQueue) finish() {
	q.mu.Lock()
	q.finished = true
	q.mu.Unlock()
	close(q.fin)
}

// read fills p with whole lines of one source when they fit, waiting
// for the first one, and says which source they are from.
func (q *lineQueue) read(p []byte) (int, *annotate.Source, error) {
	if len(p) == 0 {
		return 0, nil, nil
	}
	for {
		q.mu.Lock()
		if q.size > 0 {
			src := q.chunks[0].src
			n := q.take(p)
			q.mu.Unlock()
			poke(q.room)
			return n, src, nil
		}
		finished := q.finished
		q.mu.Unlock()
		if finished {
			return 0, nil, io.EOF
		}
		select {
		case <-q.wake:
		case <-q.fin:
		}
	}
}

// take moves queued bytes of the first chunk's source into p, cutting
// after a newline where it has to cut, unless not even one line fits.
func (q *lineQueue) take(p []byte) int {
	n := 0
	src := q.chunks[0].src
	for len(q.chunks) > 0 && n < len(p) && q.chunks[0].src == src {
		c := q.chunks[0].b[q.head:]
		if len(c) > len(p)-n {
			k := bytes.LastIndexByte(c[:len(p)-n], '\n') + 1
			if k == 0 {
				if n > 0 {
					break
				}
				k = len(p)
			}
			n += copy(p[n:], c[:k])
			q.head += k
			break
		}
		n += copy(p[n:], c)
		if cap(q.chunks[0].b) == queueChunkSize && len(q.spare) < 4 {
			q.spare = append(q.spare, q.chunks[0].b[:0])
		}
		copy(q.chunks, q.chunks[1:])
		q.chunks[len(q.chunks)-1] = queueChunk{}
		q.chunks = q.chunks[:len(q.chunks)-1]
		q.head = 0
	}
	q.size -= n
	return n
}
