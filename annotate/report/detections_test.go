package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// hosts returns n home hosts 10.0.0.1, 10.0.0.2...
func hosts(n int) []string {
	var hs []string
	for i := range n {
		hs = append(hs, fmt.Sprintf("10.0.%d.%d", (i+1)/256, (i+1)%256))
	}
	return hs
}

// TestSweeps: one port on SweepHosts home hosts within the window is a
// sweep; one host fewer, or the same hosts more slowly, or hosts that
// are not home, are not.
func TestSweeps(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hosts int
		step  time.Duration
		dst   func(i int) string
		ports func(i int) uint16
		sweep bool
	}{
		{"16 hosts in 30 s", 16, 2 * time.Second, nil, nil, true},
		{"15 hosts", 15, time.Second, nil, nil, false},
		{"16 hosts, slowly", 16, 5 * time.Second, nil, nil, false},
		{"16 hosts, not home", 16, time.Second, func(i int) string { return fmt.Sprintf("198.51.100.%d", i+1) }, nil, false},
		{"16 hosts, each on its own port", 16, time.Second, nil, func(i int) uint16 { return uint16(1000 + i) }, false},
		{"40 hosts, 2 ports", 40, time.Second, nil, func(i int) uint16 { return uint16(23 + 2300*(i%2)) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{ScanWindow: time.Minute, ScanPorts: 100})
			for i, h := range hosts(tc.hosts) {
				port := uint16(23)
				if tc.ports != nil {
					port = tc.ports(i)
				}
				dst := h
				if tc.dst != nil {
					dst = tc.dst(i)
				}
				observe(s, rec{src: "203.0.113.9", dst: dst, dport: port, noDir: true, at: time.Duration(i) * tc.step})
			}
			r := s.Report(annotate.Stats{})
			if !tc.sweep {
				if len(r.Scanners) != 0 {
					t.Errorf("flagged %+v", r.Scanners)
				}
				return
			}
			if len(r.Scanners) != 1 || !r.Scanners[0].Sweep || r.Scanners[0].Vertical || r.Scanners[0].Hosts != int64(tc.hosts) ||
				r.Scanners[0].SweepPort != 23 || r.Scanners[0].SweepTransport != "tcp" {
				t.Errorf("scanners %+v", r.Scanners)
			}
		})
	}
}

// TestRepliesAreNotScansOrListeners: a busy home client's replies from
// web servers reach a port of its range each, and a NAT gateway's
// replies do so for many hosts; neither makes a scanner or a listener,
// though the same records blocked from ordinary ports would.
func TestRepliesAreNotScansOrListeners(t *testing.T) {
	pass := parsers.ActionPass
	var recs []rec
	// The busy client: 200 connections to 198.51.100.80's 443 and 8080,
	// replies to its ephemeral ports within a minute.
	for i := range 200 {
		sport := uint16(443)
		if i%2 == 0 {
			sport = 8080
		}
		recs = append(recs, rec{src: "198.51.100.80", sport: sport, dst: "10.0.0.5", dport: uint16(33000 + i), act: pass,
			at: time.Duration(i) * 100 * time.Millisecond})
	}
	// A client that takes ports from a lower range (FreeBSD, old
	// Windows), replied to from 443 and 3306.
	for i := range 50 {
		sport := uint16(443)
		if i%2 == 0 {
			sport = 3306
		}
		recs = append(recs, rec{src: "198.51.100.81", sport: sport, dst: "10.0.0.6", dport: uint16(10000 + i), act: pass,
			at: time.Duration(i) * 100 * time.Millisecond})
	}
	// The NAT gateway: replies from many servers to its ephemeral ports,
	// DNS over UDP included.
	for i := range 300 {
		recs = append(recs, rec{src: fmt.Sprintf("203.0.113.%d", i%250+1), sport: 53, dst: "100.64.0.1", dport: uint16(40000 + i),
			proto: parsers.ProtoUDP, act: pass, at: time.Duration(i) * 100 * time.Millisecond})
	}
	s := New(Config{})
	observe(s, recs...)
	r := s.Report(annotate.Stats{})
	if len(r.Scanners) != 0 || len(r.Listeners) != 0 {
		t.Errorf("scanners %+v\nlisteners %+v", r.Scanners, r.Listeners)
	}

	// The same traffic blocked to ordinary ports is a scan.
	for i := range recs {
		recs[i].act, recs[i].sport = parsers.ActionBlock, 40000
	}
	s = New(Config{})
	observe(s, recs...)
	if r := s.Report(annotate.Stats{}); len(r.Scanners) < 2 {
		t.Errorf("blocked: scanners %+v", r.Scanners)
	}
}

// TestDangerLevels: the documented points, one by one.
func TestDangerLevels(t *testing.T) {
	scan := func(src string, first uint16, n int, extra ...rec) []rec {
		var rs []rec
		for i := range n {
			rs = append(rs, rec{src: src, dport: first + uint16(i), at: time.Duration(i) * time.Second})
		}
		return append(rs, extra...)
	}
	for _, tc := range []struct {
		name  string
		recs  []rec
		level int
		why   string
	}{
		{"vertical scan of unassigned ports", scan("203.0.113.1", 16290, 15), 2, "vertical scan: 15 ports"},
		{"wide vertical scan", scan("203.0.113.1", 16100, 150), 3, "vertical scan: 150 ports, wide vertical scan"},
		{"with a high-severity port", scan("203.0.113.1", 16290, 15, rec{src: "203.0.113.1", dport: 23, at: 20 * time.Second}),
			4, "vertical scan: 16 ports, high-severity abused ports"},
		{"with a medium-severity port", scan("203.0.113.1", 16290, 15, rec{src: "203.0.113.1", dport: 3389, at: 20 * time.Second}),
			3, "vertical scan: 16 ports, medium-severity abused ports"},
		{"let through", scan("203.0.113.1", 16290, 15, rec{src: "203.0.113.1", dport: 16290, act: parsers.ActionPass, at: 20 * time.Second}),
			3, "vertical scan: 15 ports, 1 record let through"},
		{"over days", scan("203.0.113.1", 16290, 15, rec{src: "203.0.113.1", dport: 16290, at: 50 * time.Hour}),
			3, "vertical scan: 15 ports, active over 2 days"},
		{"Mirai only", []rec{{src: "203.0.113.2", dport: 23}, {src: "203.0.113.2", dport: 2323, at: time.Second}},
			4, "Mirai pattern, high-severity abused ports"},
		{"everything", scan("203.0.113.1", 16100, 150,
			rec{src: "203.0.113.1", dport: 23, at: 3 * time.Minute}, rec{src: "203.0.113.1", dport: 2323, at: 4 * time.Minute},
			rec{src: "203.0.113.1", dport: 16290, act: parsers.ActionPass, at: 50 * time.Hour}),
			5, "vertical scan: 153 ports, wide vertical scan, Mirai pattern, high-severity abused ports, 1 record let through, active over 2 days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{})
			observe(s, tc.recs...)
			r := s.Report(annotate.Stats{})
			if len(r.Scanners) != 1 || r.Scanners[0].Level != tc.level || strings.Join(r.Scanners[0].Reasons, ", ") != tc.why {
				t.Errorf("scanners %+v\nwant level %d: %s", r.Scanners, tc.level, tc.why)
			}
		})
	}
}

// TestExpectedListeners: the site's expected= rules decide which
// listeners are odd.
func TestExpectedListeners(t *testing.T) {
	pass := parsers.ActionPass
	recs := []rec{
		{dst: "10.0.0.5", dport: 22, act: pass},
		{dst: "10.0.0.5", dport: 8443, act: pass},
		{dst: "10.0.0.6", dport: 8443, act: pass},
		{dst: "10.0.0.6", dport: 23, act: pass},
		{dst: "10.0.0.7", dport: 23, act: pass},
	}
	odd := func(reg *registry.Registry) string {
		s := New(Config{Registry: reg})
		for _, x := range recs {
			r := x.record()
			look := annotate.LookupRecord(reg, &r)
			s.Observe(&r, &look)
		}
		var out []string
		for _, l := range s.Report(annotate.Stats{}).Listeners {
			if l.Odd {
				out = append(out, l.Host.String()+" "+portName(l.Port, l.Transport)+" "+strings.Join(l.Why, ","))
			}
		}
		return strings.Join(out, "; ")
	}
	// Telnet is listed (abused); ssh and 8443 (pcsync-https, assigned)
	// are not odd while the site says nothing.
	if got, want := odd(nil), "10.0.0.6 23/tcp abused; 10.0.0.7 23/tcp abused"; got != want {
		t.Errorf("no rules: %s, want %s", got, want)
	}
	reg, err := registry.Default().Load("site", strings.NewReader("22/tcp expected=yes\n10.0.0.5 8443/tcp expected=yes\n10.0.0.7 23/tcp expected=yes\n"))
	if err != nil {
		t.Fatal(err)
	}
	// Now the site says what it expects: 8443 on .6 is not, telnet on
	// .7 is.
	if got, want := odd(reg), "10.0.0.6 23/tcp abused,not expected; 10.0.0.6 8443/tcp not expected"; got != want {
		t.Errorf("with rules: %s, want %s", got, want)
	}
}

// TestEvents: each detection is told at once, in ECS form, once per
// (rule, source, target) per window.
func TestEvents(t *testing.T) {
	var events []*Event
	s := New(Config{Events: func(e *Event) { events = append(events, e) }, EventWindow: time.Hour, ReflectionRecords: 10})
	pass, out := parsers.ActionPass, parsers.DirOut
	var recs []rec
	for i := range 20 { // a vertical scan, told at the 15th port
		recs = append(recs, rec{src: "203.0.113.1", dport: 16290 + uint16(i), at: time.Duration(i) * time.Second})
	}
	for i, h := range hosts(20) { // a sweep of 23/tcp, at the 16th host
		recs = append(recs, rec{src: "203.0.113.2", dst: h, dport: 23, noDir: true, at: time.Duration(i) * time.Second})
	}
	recs = append(recs,
		rec{src: "203.0.113.2", dst: "10.0.0.1", dport: 2323, noDir: true, at: 30 * time.Second},        // and Mirai
		rec{dst: "10.0.0.9", dport: 31337, proto: parsers.ProtoUDP, act: pass, repeat: 3},               // an odd listener, told once
		rec{src: "10.0.0.9", dst: "198.51.100.66", dport: 6667, dir: out, act: pass, repeat: 2},         // a callout, told once
		rec{src: "10.0.0.9", dst: "198.51.100.66", dport: 6667, dir: out, act: pass, at: 2 * time.Hour}, // and again an hour later
		rec{dst: "10.0.0.9", dport: 22, act: pass},                                                      // not odd: not told
	)
	for i := range 25 { // memcached reflection to 10.0.0.8
		recs = append(recs, rec{src: "198.51.100.11", sport: 11211, dst: "10.0.0.8", dport: 40000, proto: parsers.ProtoUDP,
			at: time.Duration(i) * time.Second})
	}
	observe(s, recs...)
	var got []string
	for _, e := range events {
		got = append(got, e.Rule+" "+e.Source.String()+" "+e.Destination.String()+" "+e.Transport+" "+fmt.Sprint(e.Port))
	}
	want := []string{
		"portnote.scan 203.0.113.1 invalid IP  0",
		"portnote.sweep 203.0.113.2 invalid IP tcp 23",
		"portnote.mirai 203.0.113.2 invalid IP  0",
		"portnote.listener 203.0.113.1 10.0.0.9 udp 31337",
		"portnote.callout 10.0.0.9 198.51.100.66 tcp 6667",
		"portnote.callout 10.0.0.9 198.51.100.66 tcp 6667",
		"portnote.reflection invalid IP 10.0.0.8  0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r := s.Report(annotate.Stats{}); r.Bounds.EventsTold != int64(len(events)) || len(r.Floods) != 1 || r.Floods[0].Records != 25 {
		t.Errorf("events told %d, floods %+v", r.Bounds.EventsTold, r.Floods)
	}

	// ECS form.
	var doc map[string]any
	line := events[0].AppendJSON(nil)
	if err := json.Unmarshal(line, &doc); err != nil || bytes.ContainsRune(line, '\n') {
		t.Fatalf("%s: %v", line, err)
	}
	event := doc["event"].(map[string]any)
	if event["kind"] != "alert" || doc["rule"].(map[string]any)["name"] != RuleScan ||
		doc["source"].(map[string]any)["ip"] != "203.0.113.1" || doc["@timestamp"] != "2026-11-25T10:00:14Z" ||
		doc["portnote"].(map[string]any)["level"] != 2.0 || !strings.Contains(event["original"].(string), "DPT=16304") {
		t.Errorf("event %s", line)
	}
	line = events[3].AppendJSON(nil)
	if err := json.Unmarshal(line, &doc); err != nil {
		t.Fatal(err)
	}
	if d := doc["destination"].(map[string]any); d["ip"] != "10.0.0.9" || d["port"] != 31337.0 ||
		doc["network"].(map[string]any)["transport"] != "udp" || doc["portnote"].(map[string]any)["evidence"] != "accepted" {
		t.Errorf("listener event %s", line)
	}
}

// TestBaseline: a baseline written from one run makes the next report
// only what is new; a damaged one is an error, never an empty baseline.
func TestBaseline(t *testing.T) {
	pass := parsers.ActionPass
	s := New(Config{})
	observe(s, rec{dst: "10.0.0.5", dport: 22, act: pass}, rec{dst: "10.0.0.5", dport: 23, act: pass, at: time.Hour})
	var b bytes.Buffer
	if err := s.Baseline().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	base, err := ReadBaseline(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.Bytes())
	}
	if len(base.Listeners) != 2 || !base.Created.Equal(t0.Add(time.Hour)) || base.Listeners[0].Port != 22 ||
		base.Listeners[1].Evidence != "accepted, flags unknown" {
		t.Errorf("baseline %+v", base)
	}

	var events []*Event
	s = New(Config{Baseline: base, Events: func(e *Event) { events = append(events, e) }})
	observe(s, rec{dst: "10.0.0.5", dport: 23, act: pass, at: 48 * time.Hour}, rec{dst: "10.0.0.5", dport: 8443, act: pass, at: 49 * time.Hour})
	r := s.Report(annotate.Stats{})
	var news []string
	for _, l := range r.Listeners {
		if l.New {
			news = append(news, portName(l.Port, l.Transport))
		}
	}
	if strings.Join(news, " ") != "8443/tcp" || len(events) != 1 || events[0].Port != 8443 || !r.BaselineCreated.Equal(base.Created) {
		t.Errorf("new %v, events %+v", news, events)
	}
	var text bytes.Buffer
	if err := r.WriteText(&text, Style{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Listeners: 1 new since 2026-11-25T11:00:00Z, of 2 seen") {
		t.Errorf("text:\n%s", text.String())
	}
	updated := s.Baseline()
	if len(updated.Listeners) != 3 || !updated.Created.Equal(base.Created) || !updated.Updated.Equal(t0.Add(49*time.Hour)) ||
		!updated.Listeners[1].LastSeen.Equal(t0.Add(48*time.Hour)) {
		t.Errorf("updated %+v", updated)
	}

	for _, bad := range []string{
		"", "{}", `{"portnote_baseline": 2, "listeners": []}`, `{"portnote_baseline": 1, "listeners": [{"host": "x"}]}`,
		`{"portnote_baseline": 1, "listeners": [{"host": "10.0.0.5", "port": 22, "transport": "tcp", "evidence": "maybe"}]}`,
		`{"portnote_baseline": 1, "listeners": []} {}`, `{"portnote_baseline": 1, "listeners": [], "extra": 1}`,
		b.String()[:b.Len()/2],
	} {
		if _, err := ReadBaseline(strings.NewReader(bad)); err == nil {
			t.Errorf("read %q without an error", bad)
		}
	}
}

// TestListenerFlags: with the TCP flags in the log, a SYN-ACK from a
// home port is an answer and a SYN let in is accepted; other flags let
// in are a connection's later packets, not a listener.
func TestListenerFlags(t *testing.T) {
	pass, out := parsers.ActionPass, parsers.DirOut
	for _, tc := range []struct {
		name string
		r    rec
		want string
	}{
		{"SYN-ACK from a home port", rec{src: "10.0.0.5", sport: 4444, dst: "198.51.100.9", dport: 51234, dir: out, flags: "SA"}, "10.0.0.5 4444/tcp answer"},
		{"SYN-ACK from a home ephemeral port", rec{src: "10.0.0.5", sport: 50123, dst: "198.51.100.9", dport: 51234, dir: out, flags: "SA"}, "10.0.0.5 50123/tcp answer"},
		{"RST-ACK from a home port", rec{src: "10.0.0.5", sport: 4444, dst: "198.51.100.9", dport: 51234, dir: out, flags: "RA"}, ""},
		{"SYN from a home client", rec{src: "10.0.0.5", sport: 51234, dst: "198.51.100.9", dport: 443, dir: out, act: pass, flags: "S"}, ""},
		{"SYN let in", rec{dst: "10.0.0.5", dport: 8443, act: pass, flags: "S"}, "10.0.0.5 8443/tcp accepted"},
		{"SYN let in to a high port", rec{dst: "10.0.0.5", dport: 50123, act: pass, flags: "S"}, "10.0.0.5 50123/tcp accepted"},
		{"SYN blocked", rec{dst: "10.0.0.5", dport: 8443, flags: "S"}, ""},
		{"ACK let in", rec{dst: "10.0.0.5", dport: 8443, act: pass, flags: "A"}, ""},
		{"PSH-ACK let in", rec{dst: "10.0.0.5", dport: 23, act: pass, flags: "PA"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{})
			observe(s, tc.r)
			var got string
			if ls := s.Report(annotate.Stats{}).Listeners; len(ls) > 0 {
				got = ls[0].Host.String() + " " + portName(ls[0].Port, ls[0].Transport) + " " + ls[0].Evidence
			}
			if got != tc.want {
				t.Errorf("listener %q, want %q", got, tc.want)
			}
		})
	}
}

// TestScanKinds: a scanner's kind comes from its records' flags, as
// psad names them; stealth kinds add a point to its level.
func TestScanKinds(t *testing.T) {
	for _, tc := range []struct {
		flags string
		proto parsers.Protocol
		kind  string
		level int
	}{
		{"S", 0, "SYN", 2}, {"F", 0, "FIN", 3}, {"-", 0, "NULL", 3}, {"FPU", 0, "XMAS", 3}, {"A", 0, "ACK", 2},
		{"", parsers.ProtoUDP, "UDP", 2}, {"", 0, "", 2}, {"SA", 0, "other", 2},
	} {
		s := New(Config{})
		for i := range 15 {
			observe(s, rec{src: "203.0.113.1", dport: 16290 + uint16(i), proto: tc.proto, flags: tc.flags, at: time.Duration(i) * time.Second})
		}
		r := s.Report(annotate.Stats{})
		if len(r.Scanners) != 1 || r.Scanners[0].Kind != tc.kind || r.Scanners[0].Level != tc.level {
			t.Errorf("flags %q: scanners %+v, want kind %q, level %d", tc.flags, r.Scanners, tc.kind, tc.level)
		}
	}
	// Two kinds, most first; more are "mixed".
	s := New(Config{})
	for i := range 15 {
		flags := "S"
		if i%3 == 0 {
			flags = "F"
		}
		observe(s, rec{src: "203.0.113.1", dport: 16290 + uint16(i), flags: flags, at: time.Duration(i) * time.Second})
	}
	if r := s.Report(annotate.Stats{}); r.Scanners[0].Kind != "SYN+FIN" || r.Scanners[0].Kinds["SYN"] != 10 || r.Scanners[0].Kinds["FIN"] != 5 {
		t.Errorf("scanners %+v", r.Scanners)
	}
}

// TestSweepWindowBounded: a source hitting many ports on a few home
// hosts each, all within the window, keeps a bounded sweep window and is
// no sweep (though it is a vertical scan).
func TestSweepWindowBounded(t *testing.T) {
	s := New(Config{})
	var recs []rec
	for p := range 6000 {
		for h := range 15 {
			recs = append(recs, rec{src: "203.0.113.3", dst: fmt.Sprintf("10.0.0.%d", h+1), dport: uint16(1000 + p), noDir: true,
				at: time.Duration(p*15+h) * time.Millisecond})
		}
	}
	observe(s, recs...)
	if b := s.scan.bytes; b > 2<<20 {
		t.Errorf("the tracker holds %d KiB for one source", b>>10)
	}
	r := s.Report(annotate.Stats{})
	if len(r.Scanners) != 1 || r.Scanners[0].Sweep || !r.Scanners[0].Vertical || r.Scanners[0].Hosts != 15 {
		t.Errorf("scanners %+v", r.Scanners)
	}
}
