package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portnote/portnote/annotate"
)

// Windows Firewall rows: in the default layout, and in another that a
// "#Fields:" line announces, which the default layout cannot read.
const (
	otherFields   = "#Fields: time date action protocol dst-ip dst-port src-ip src-port path"
	defaultFields = "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid"
)

func defaultW3CRow(port int) string {
	return "2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 " + strconv.Itoa(port) + " 52 S 1743 0 64240 - - - RECEIVE"
}

func otherW3CRow(port int) string {
	return "14:05:12 2026-03-02 DROP UDP 192.0.2.10 " + strconv.Itoa(port) + " 203.0.113.9 51235 RECEIVE"
}

// TestFollowRotationState follows a Windows Firewall log whose header
// names other columns than the default, through a rotation after which
// the new file has none: the old header holds for the old file's rows,
// also those written late through the old descriptor, and not for the
// new file's.
func TestFollowRotationState(t *testing.T) {
	for _, mode := range followModes {
		for _, rot := range logRotations {
			if !rot.late {
				continue // a truncated file goes on without a header of its own
			}
			t.Run(mode.name+"/"+rot.name, func(t *testing.T) {
				name := filepath.Join(t.TempDir(), "pfirewall.log")
				w, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
				if err != nil {
					t.Fatal(err)
				}
				defer func() { w.Close() }()
				write := func(lines ...string) {
					t.Helper()
					for _, l := range lines {
						if _, err := w.WriteString(l + "\n"); err != nil {
							t.Fatal(err)
						}
					}
				}
				write(otherFields, otherW3CRow(100))

				opt := mode.opt
				opt.fromLine = 1
				lines, err := follow(context.Background(), []string{name}, opt)
				if err != nil {
					t.Fatal(err)
				}
				ports := annotatedPorts(t, lines)
				expectPorts(t, ports, 100)
				write(otherW3CRow(101))
				expectPorts(t, ports, 101)

				if err := rot.rotate(name, w, 1); err != nil {
					t.Fatal(err)
				}
				write(otherW3CRow(102)) // late, to the rotated file
				expectPorts(t, ports, 102)
				w.Close()
				if w, err = os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err != nil {
					t.Fatal(err)
				}
				// The header line makes its lines be read in order, the
				// rows before it too: with the new file's state.
				write(otherW3CRow(200), defaultW3CRow(201), defaultFields, otherW3CRow(202), defaultW3CRow(203))
				expectPorts(t, ports, 201, 203)
			})
		}
	}
}

// annotatedPorts runs the engine over lines, keeping records only, and
// sends the destination port of each annotation it writes. The engine
// stops when the test ends.
func annotatedPorts(t *testing.T, lines io.ReadCloser) <-chan string {
	t.Helper()
	pr, pw := io.Pipe()
	ran := make(chan error, 1)
	go func() {
		a := annotate.New(annotate.Config{Select: annotate.Selection{Records: true}})
		err := a.Run(context.Background(), lines, pw)
		pw.Close()
		ran <- err
	}()
	ports := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			_, note, _ := strings.Cut(sc.Text(), " #pn ")
			port, _, _ := strings.Cut(note, "/")
			ports <- port
		}
		close(ports)
	}()
	t.Cleanup(func() {
		lines.Close()
		if err := <-ran; err != nil {
			t.Errorf("Run: %v", err)
		}
		for port := range ports {
			t.Errorf("a record more than expected, at port %s", port)
		}
		noFollowerLeft(t)
	})
	return ports
}

func expectPorts(t *testing.T, ports <-chan string, want ...int) {
	t.Helper()
	for _, w := range want {
		select {
		case got := <-ports:
			if got != strconv.Itoa(w) {
				t.Fatalf("record at port %s, want %d", got, w)
			}
		case <-time.After(followWait):
			t.Fatalf("timed out waiting for the record at port %d", w)
		}
	}
}
