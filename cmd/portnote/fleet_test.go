package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The fleet tests run the configurations in examples/rsyslog and
// examples/syslog-ng in the real daemons, unprivileged, on loopback
// ports, with every path in a temporary directory: senders write a few
// thousand firewall and other lines over TCP and UDP, and the test
// checks what comes out of portnote. They need the daemons, so they run
// only when PORTNOTE_FLEET=1 (.ci/examples sets it, with RSYSLOGD,
// RSYSLOG_MODULES, SYSLOG_NG, SYSLOG_NG_MODULES and SYSLOG_NG_LIBS
// naming the unpacked Debian packages).

// fleetGenerated is how many lines portnote-gen writes for the test;
// about 4,200 of them (and of the sample logs) are syslog lines with a
// host name, which make two batches.
const fleetGenerated = 9000

// pipeCapacity is a Linux pipe's default capacity, which neither
// collector changes.
const pipeCapacity = 64 << 10

func TestFleetRsyslog(t *testing.T) {
	fleetTest(t, rsyslogCollector(t))
}

func TestFleetSyslogNG(t *testing.T) {
	fleetTest(t, syslogNGCollector(t))
}

// A collector is one daemon running one of the example configurations.
type collector struct {
	name    string
	example string // the configuration file in examples/
	// start writes the daemon's own configuration around the rewritten
	// example (conf) and starts it in dir.
	start func(t *testing.T, dir, conf string) *exec.Cmd
}

func fleetEnabled(t *testing.T) {
	t.Helper()
	if os.Getenv("PORTNOTE_FLEET") != "1" {
		t.Skip("fleet test: set PORTNOTE_FLEET=1 to run rsyslog and syslog-ng for real (.ci/examples does)")
	}
}

// need returns the environment variable, failing the test without it:
// with PORTNOTE_FLEET=1 a missing daemon is an error, not a skip.
func need(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("PORTNOTE_FLEET=1 but %s is not set", name)
	}
	return v
}

func rsyslogCollector(t *testing.T) collector {
	fleetEnabled(t)
	bin, modules := need(t, "RSYSLOGD"), need(t, "RSYSLOG_MODULES")
	return collector{
		name:    "rsyslog",
		example: "../../examples/rsyslog/portnote.conf",
		start: func(t *testing.T, dir, conf string) *exec.Cmd {
			main, work := filepath.Join(dir, "rsyslog.conf"), mkdir(t, dir, "work")
			writeFile(t, main, fmt.Sprintf("global(workDirectory=%q)\ninclude(file=%q)\n", work, conf))
			return exec.Command(bin, "-n", "-f", main, "-i", filepath.Join(work, "rsyslogd.pid"), "-M", modules)
		},
	}
}

func syslogNGCollector(t *testing.T) collector {
	fleetEnabled(t)
	bin, modules, libs := need(t, "SYSLOG_NG"), need(t, "SYSLOG_NG_MODULES"), need(t, "SYSLOG_NG_LIBS")
	return collector{
		name:    "syslog-ng",
		example: "../../examples/syslog-ng/portnote.conf",
		start: func(t *testing.T, dir, conf string) *exec.Cmd {
			env := append(os.Environ(), "LD_LIBRARY_PATH="+libs)
			cmd := exec.Command(bin, "--version")
			cmd.Env = env
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s --version: %v", bin, err)
			}
			m := regexp.MustCompile(`(?m)^Config version: (\S+)`).FindSubmatch(out)
			if m == nil {
				t.Fatalf("%s --version names no config version:\n%s", bin, out)
			}
			main, work := filepath.Join(dir, "syslog-ng.conf"), mkdir(t, dir, "work")
			writeFile(t, main, fmt.Sprintf("@version: %s\n@include %q\n", m[1], conf))
			cmd = exec.Command(bin, "-F", "-f", main, "--module-path="+modules, "--no-caps",
				"--persist-file="+filepath.Join(work, "syslog-ng.persist"),
				"--pidfile="+filepath.Join(work, "syslog-ng.pid"),
				"--control="+filepath.Join(work, "syslog-ng.ctl"))
			cmd.Env = env
			return cmd
		},
	}
}

// fleetTest runs c with its example configuration, paths and ports
// rewritten, and checks two batches of lines: one sent to a running
// portnote, which must come out whole, and one during which portnote is
// killed, which may lose only what the pipe and portnote held.
func fleetTest(t *testing.T, c collector) {
	dir, err := os.MkdirTemp("", "portnote-fleet-"+c.name+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// Readable by the unprivileged daemon when the test runs as root.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pn := buildFleetTools(t, dir)
	out, archive := mkdir(t, dir, "out"), mkdir(t, dir, "remote")
	port := freePort(t)

	example, err := os.ReadFile(c.example)
	if err != nil {
		t.Fatal(err)
	}
	// Only paths and ports change: the rest is the example as shipped.
	conf := rewrite(t, c.example, string(example),
		"port(514)", fmt.Sprintf("port(%d)", port),
		`port="514"`, fmt.Sprintf(`port="%d"`, port),
		"/usr/bin/portnote", pn,
		"/var/log/portnote", out,
		"/var/log/remote", archive)
	confPath := filepath.Join(dir, "portnote.conf")
	writeFile(t, confPath, conf)

	cmd := c.start(t, dir, confPath)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	cmd.Dir = dir
	// No ~/.config/portnote/registry of the user running the test.
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "HOME="+filepath.Join(dir, "work"), "XDG_CONFIG_HOME="+filepath.Join(dir, "work"))
	unprivileged(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("%s said:\n%s", c.name, stderr.String())
		}
	})
	waitListening(t, port, exited)

	batches := fleetBatches(t, dir, pn)
	outFile := filepath.Join(out, "firewall.json")

	// Batch 1: portnote runs throughout; nothing may be lost.
	sent := send(t, port, batches[0], nil)
	got := waitOutput(t, outFile, archive, sent, len(batches[0].records))
	checkDelivery(t, batches[0], got, 0)

	// Batch 2: portnote is killed with SIGKILL once a third of the
	// batch's records have come out; the collector must start it again.
	first := portnotePID(t, pn)
	base := len(got)
	kill := func() {
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if n, _ := countLines(outFile); n-base >= len(batches[1].records)/3 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
			t.Errorf("killing portnote: %v", err)
		}
	}
	sent += send(t, port, batches[1], kill)
	got = waitOutput(t, outFile, archive, sent, -1)
	if again := portnotePID(t, pn); again == first {
		t.Errorf("portnote was not restarted: pid %d still runs", first)
	}
	// What can be lost: the lines in the pipe (64 KiB) and those
	// portnote had read and not yet written, at most 2×CPUs+2 jobs of
	// one pipe read (64 KiB) and the end of a line each.
	jobs := 2*runtime.NumCPU() + 2
	bound := pipeCapacity + jobs*(pipeCapacity+batches[1].longest)
	checkDelivery(t, batches[1], got[base:], bound)
}

// A batch is lines as the senders send them, with what portnote must
// make of them.
type batch struct {
	senders [][]fleetLine // per TCP sender, in order; the last is UDP
	records map[string]fleetLine
	others  int
	longest int
}

type fleetLine struct {
	key    string // the line without its timestamp: how it is found again
	raw    string // as sent, PRI and all
	sender int
	seq    int
	size   int    // bytes as portnote reads it
	port   string // the generator's truth, when it has one
	proto  string
	record bool
}

const tcpSenders = 8

// rfc3164 matches a syslog line with a BSD timestamp and a host name,
// the form firewalls send. (Without a host name, "Mar  1 00:01:00 DENY:
// IN=...", the collector puts the sender's in: the line does not come
// out as it went in, and cannot be found again by its text.)
var rfc3164 = regexp.MustCompile(`^[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [A-Za-z0-9][A-Za-z0-9._-]* \S`)

// fleetBatches makes two batches from cmd/portnote-gen's output and the
// bundled example logs: the syslog lines among them, each key once.
// Which lines are firewall records comes from running portnote -r on
// them directly, and for generated lines also from the generator's
// ground truth, which portnote's output must agree with.
func fleetBatches(t *testing.T, dir, pn string) [2]batch {
	type cand struct{ line, port, proto string }
	var cands []cand
	gen := filepath.Join(dir, "portnote-gen")
	truthPath := filepath.Join(dir, "truth.tsv")
	genOut, err := exec.Command(gen, "-n", strconv.Itoa(fleetGenerated), "-seed", "18", "-truth", truthPath).Output()
	if err != nil {
		t.Fatalf("portnote-gen: %v", err)
	}
	truth, err := os.ReadFile(truthPath)
	if err != nil {
		t.Fatal(err)
	}
	genLines, truthLines := strings.Split(string(genOut), "\n"), strings.Split(string(truth), "\n")
	for i, l := range genLines {
		if l == "" {
			continue
		}
		port, proto, _ := strings.Cut(truthLines[i], "\t")
		cands = append(cands, cand{l, port, proto})
	}
	samples, _ := filepath.Glob("../../examples/*.log")
	for _, f := range samples {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for l := range strings.SplitSeq(strings.TrimSuffix(string(b), "\n"), "\n") {
			cands = append(cands, cand{line: l, port: "?"})
		}
	}

	seen := map[string]bool{}
	var lines []fleetLine
	var input strings.Builder
	for _, c := range cands {
		// Printable ASCII only: the collectors escape control bytes,
		// and that is theirs to do, not this test's to undo.
		if !rfc3164.MatchString(c.line) || strings.ContainsFunc(c.line, func(r rune) bool { return r < ' ' || r > '~' }) {
			continue
		}
		key := strings.TrimRight(c.line[16:], " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		lines = append(lines, fleetLine{key: key, raw: "<13>" + c.line, size: len(c.line) + len("2025-03-01T00:00:00+00:00\n") - len("Mar  1 00:00:00"), port: c.port, proto: c.proto})
		input.WriteString(c.line + "\n")
	}
	ref := exec.Command(pn, "--records")
	ref.Stdin = strings.NewReader(input.String())
	refOut, err := ref.Output()
	if err != nil {
		t.Fatalf("portnote --records on the batch: %v", err)
	}
	isRecord := map[string]bool{}
	for l := range strings.SplitSeq(strings.TrimSuffix(string(refOut), "\n"), "\n") {
		l, _, _ = strings.Cut(l, " #pn ")
		isRecord[strings.TrimRight(l[16:], " ")] = true
	}

	var bs [2]batch
	half := len(lines) / 2
	for k, part := range [][]fleetLine{lines[:half], lines[half:]} {
		b := &bs[k]
		b.senders = make([][]fleetLine, tcpSenders+1)
		b.records = map[string]fleetLine{}
		for i, l := range part {
			l.sender = i % len(b.senders)
			l.seq = len(b.senders[l.sender])
			l.record = isRecord[l.key]
			if l.port != "?" && l.record != (l.port != "" || l.proto != "") {
				t.Fatalf("portnote and the generator's truth disagree on whether this is a record:\n%s", l.raw)
			}
			b.senders[l.sender] = append(b.senders[l.sender], l)
			if l.record {
				b.records[l.key] = l
			} else {
				b.others++
			}
			b.longest = max(b.longest, l.size)
		}
		if len(b.records) == 0 || b.others == 0 {
			t.Fatalf("batch %d has %d records and %d other lines: the input is not a mix", k+1, len(b.records), b.others)
		}
	}
	t.Logf("batches of %d and %d lines (%d and %d firewall records), %d TCP senders and one UDP sender",
		len(lines[:half]), len(lines[half:]), len(bs[0].records), len(bs[1].records), tcpSenders)
	return bs
}

// send sends the batch, each TCP sender on its own connection and the
// last sender over UDP, all at once and paced so that the stream lasts
// about a second, and runs during (when not nil) meanwhile; it returns
// the number of lines sent.
func send(t *testing.T, port int, b batch, during func()) int {
	var wg sync.WaitGroup
	errs := make(chan error, len(b.senders))
	n := 0
	for s, lines := range b.senders {
		n += len(lines)
		network := "tcp"
		if s == len(b.senders)-1 {
			network = "udp"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial(network, fmt.Sprintf("127.0.0.1:%d", port))
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			w := bufio.NewWriter(conn)
			for i, l := range lines {
				if network == "udp" {
					_, err = conn.Write([]byte(l.raw))
				} else {
					_, err = w.WriteString(l.raw + "\n")
				}
				if err != nil {
					errs <- err
					return
				}
				if i%10 == 9 {
					if err := w.Flush(); err != nil {
						errs <- err
						return
					}
					time.Sleep(3 * time.Millisecond)
				}
			}
			if err := w.Flush(); err != nil {
				errs <- err
			}
		}()
	}
	if during != nil {
		during()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("sending: %v", err)
	}
	return n
}

// waitOutput waits until the archive holds all sent lines and, for a
// batch that may lose lines (want < 0), until portnote's output has not
// grown for three seconds, else until it holds want lines past what it
// had; it returns the output's objects.
func waitOutput(t *testing.T, outFile, archive string, sent, want int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var archived int
	for {
		archived = 0
		files, _ := filepath.Glob(filepath.Join(archive, "*.log"))
		for _, f := range files {
			n, err := countLines(f)
			if err != nil {
				t.Fatal(err)
			}
			archived += n
		}
		if archived >= sent || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if archived != sent {
		t.Fatalf("the collector archived %d of the %d lines sent", archived, sent)
	}
	before := -1
	stable := time.Now()
	for {
		n, _ := countLines(outFile)
		if want < 0 && n != before {
			before, stable = n, time.Now()
		}
		done := want >= 0 && n >= want || want < 0 && time.Since(stable) > 3*time.Second
		if done || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	var objs []map[string]any
	for i, l := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
		var o map[string]any
		if err := json.Unmarshal(l, &o); err != nil {
			t.Fatalf("%s:%d: not a JSON object (%v): %s", outFile, i+1, err, l)
		}
		objs = append(objs, o)
	}
	return objs
}

// checkDelivery checks what came out of portnote for a batch: only
// firewall records, annotated and agreeing with the truth, each at most
// once, in order per sender. Records may be lost only when bound > 0,
// and then only one run per sender (the collector hands portnote one
// ordered stream, and what dies with portnote is one stretch of it) of
// at most bound bytes in all.
func checkDelivery(t *testing.T, b batch, got []map[string]any, bound int) {
	t.Helper()
	seen := map[string]bool{}
	last := make([]int, len(b.senders))
	for i := range last {
		last[i] = -1
	}
	for _, o := range got {
		msg, _ := o["message"].(string)
		_, rest, ok := strings.Cut(msg, " ")
		l, isRecord := b.records[strings.TrimRight(rest, " ")]
		if !ok || !isRecord {
			t.Errorf("portnote wrote something that is not a record of the batch: %.200s", msg)
			continue
		}
		if seen[l.key] {
			t.Errorf("written twice: %.200s", msg)
			continue
		}
		seen[l.key] = true
		if l.seq < last[l.sender] {
			t.Errorf("sender %d: line %d came out after line %d", l.sender, l.seq, last[l.sender])
		}
		last[l.sender] = l.seq
		pnote, _ := o["portnote"].(map[string]any)
		if pnote["format"] == nil {
			t.Errorf("not annotated: %.200s", msg)
		}
		if l.port == "?" {
			continue
		}
		dst, _ := o["destination"].(map[string]any)
		nw, _ := o["network"].(map[string]any)
		port := ""
		if p, ok := dst["port"].(float64); ok {
			port = strconv.Itoa(int(p))
		}
		if port != l.port || l.proto != "" && nw["transport"] != l.proto {
			t.Errorf("annotated as port %q %v, want %q %q: %.200s", port, nw["transport"], l.port, l.proto, msg)
		}
	}
	lost, lostBytes := 0, 0
	for s, lines := range b.senders {
		runs, inRun := 0, false
		for _, l := range lines {
			if !l.record {
				continue
			}
			missing := !seen[l.key]
			if missing {
				lost++
				lostBytes += l.size
				if !inRun {
					runs++
				}
			}
			inRun = missing
		}
		if runs > 1 {
			t.Errorf("sender %d: records lost in %d places, not one", s, runs)
		}
	}
	t.Logf("%d of %d records came out of portnote; %d lost (%d bytes; at most %d allowed)",
		len(seen), len(b.records), lost, lostBytes, bound)
	if lostBytes > bound {
		t.Errorf("%d records (%d bytes) lost, more than the %d bytes the pipe and portnote can hold", lost, lostBytes, bound)
	}
}

// buildFleetTools builds portnote and portnote-gen into dir.
func buildFleetTools(t *testing.T, dir string) string {
	t.Helper()
	pn := filepath.Join(dir, "portnote")
	for _, b := range [][2]string{{pn, "."}, {filepath.Join(dir, "portnote-gen"), "../portnote-gen"}} {
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", b[1], err, out)
		}
	}
	return pn
}

// rewrite replaces each old string with its new one, failing if the
// example no longer has it; pairs whose old string the other collector
// uses (port="514" against port(514)) may match nothing, but one of
// each port pair must.
func rewrite(t *testing.T, name, s string, pairs ...string) string {
	t.Helper()
	ports := 0
	for i := 0; i < len(pairs); i += 2 {
		old, new := pairs[i], pairs[i+1]
		n := strings.Count(s, old)
		if strings.Contains(old, "514") {
			ports += n
		} else if n == 0 {
			t.Fatalf("%s no longer mentions %s: update the fleet test", name, old)
		}
		s = strings.ReplaceAll(s, old, new)
	}
	if ports < 2 {
		t.Fatalf("%s listens on port 514 %d times, want TCP and UDP", name, ports)
	}
	return s
}

// unprivileged makes cmd run as nobody when the test runs as root, as
// in CI: the collector needs no privilege on ports above 1023.
func unprivileged(cmd *exec.Cmd) {
	if os.Getuid() != 0 {
		return
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
}

// freePort finds a loopback port free for TCP and UDP.
func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		u, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			u.Close()
			return port
		}
	}
	t.Fatal("no loopback port free for both TCP and UDP")
	return 0
}

func waitListening(t *testing.T, port int, exited <-chan struct{}) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-exited:
			t.Fatal("the collector exited at start")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the collector does not listen on %d: %v", port, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// portnotePID finds the running portnote started from pn.
func portnotePID(t *testing.T, pn string) int {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		procs, _ := filepath.Glob("/proc/[0-9]*/exe")
		for _, p := range procs {
			if exe, err := os.Readlink(p); err == nil && exe == pn {
				pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
				return pid
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no portnote (%s) is running", pn)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func countLines(path string) (int, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	return bytes.Count(b, []byte("\n")), err
}

func mkdir(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.Mkdir(p, 0o777); err != nil {
		t.Fatal(err)
	}
	// The umask took some bits: the unprivileged daemon writes here.
	if err := os.Chmod(p, 0o777); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
