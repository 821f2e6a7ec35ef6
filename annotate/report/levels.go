package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/portnote/portnote/registry"
)

// A flagged source's danger level runs from 1 to 5: 1, plus a point for
// each of these, at most 5:
//
//   - a vertical scan (ScanPorts ports within the window), and another
//     for a wide one (ten times as many ports in all);
//   - a sweep (SweepHosts home hosts on one port within the window), and
//     another for a wide one (ten times as many hosts in all);
//   - the Mirai pattern;
//   - an abused port of medium severity hit, two for high;
//   - a stealth scan (FIN, NULL or XMAS records, which no client sends);
//   - a record let through to where it went;
//   - activity over more than a day.
//
// Reasons name the points, in this order.
const (
	maxLevel  = 5
	wideScale = 10
	repeatFor = 24 * time.Hour
)

// level returns s's danger level and its reasons. ports and hosts are
// the distinct destination ports and home hosts it hit.
func (t *tracker) level(s *suspect, ports, hosts int64) (int, []string) {
	var why []string
	add := func(r string) { why = append(why, r) }
	points := 0
	if s.scan {
		points++
		add("vertical scan: " + strconv.FormatInt(ports, 10) + " ports")
		if ports >= int64(wideScale*t.k) {
			points++
			add("wide vertical scan")
		}
	}
	if s.sweep {
		points++
		add("sweep of " + portName(uint16(s.sweepPort), slotNames[s.sweepPort>>16]) + ": " + strconv.FormatInt(hosts, 10) + " hosts")
		if hosts >= int64(wideScale*t.sweepK) {
			points++
			add("wide sweep")
		}
	}
	if s.mirai {
		points++
		add("Mirai pattern")
	}
	switch s.severity {
	case registry.High:
		points += 2
		add("high-severity abused ports")
	case registry.Medium:
		points++
		add("medium-severity abused ports")
	}
	var stealth []string
	for _, k := range []scanKind{kindFIN, kindNULL, kindXMAS} {
		if s.kinds[k] > 0 {
			stealth = append(stealth, kindNames[k])
		}
	}
	if len(stealth) > 0 {
		points++
		add("stealth scan (" + strings.Join(stealth, ", ") + ")")
	}
	if s.passed > 0 {
		points++
		add(count(s.passed, "record") + " let through")
	}
	if s.first != 0 && time.Duration(s.last-s.first) > repeatFor {
		points++
		add("active over " + strconv.FormatInt(int64(time.Duration(s.last-s.first)/(24*time.Hour)), 10) + " days")
	}
	return min(maxLevel, 1+points), why
}

// kind names how a source scans: the kinds of its records, most first,
// "mixed" beyond two, "" when none is known.
func (a *activity) kind() string {
	type kc struct {
		k scanKind
		n uint32
	}
	var ks []kc
	for k := kindSYN; k < numKinds; k++ {
		if a.kinds[k] > 0 {
			ks = append(ks, kc{k, a.kinds[k]})
		}
	}
	if len(ks) > 2 {
		return "mixed"
	}
	if len(ks) == 2 && ks[1].n > ks[0].n {
		ks[0], ks[1] = ks[1], ks[0]
	}
	var names []string
	for _, x := range ks {
		names = append(names, kindNames[x.k])
	}
	return strings.Join(names, "+")
}
