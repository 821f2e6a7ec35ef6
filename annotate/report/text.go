package report

import (
	"cmp"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Style says how [Report.WriteText] lays the report out.
type Style struct {
	// Terminal fits the tables to Width (dropping the least useful
	// columns, with their legends, first), colours rows with Colors and
	// draws hourly sparklines. Without it the report is plain: every
	// column, RFC 3339 times, no escapes, one row per line, for grep and
	// diff.
	Terminal bool
	Width    int             // of the terminal; 0 means 100
	Colors   annotate.Colors // used only with Terminal; abused rows take Severity, headings Annotation
}

const defaultWidth = 100

// WriteText writes the report for people: sections Ports, Abused ports
// seen, Scanners, Odd listeners and Coverage, each a heading, an aligned
// table and a legend of its columns. Lists show at most the configured
// number of rows (Config.Top), then how many more there are. An
// estimated count is written ~N. On a terminal no address or number is
// ever cut: columns are dropped whole instead, and prose is wrapped.
// Text is not a stable interface; [Report.WriteJSON] is.
func (r *Report) WriteText(w io.Writer, style Style) error {
	if !style.Terminal {
		style.Colors = annotate.Colors{}
		style.Width = 0
	} else if style.Width <= 0 {
		style.Width = defaultWidth
	}
	t := textReport{r: r, style: style}
	t.write()
	_, err := w.Write(t.buf)
	return err
}

// textReport writes the sections of a report as text, or, with html
// set, as the body of an HTML page (see html.go).
type textReport struct {
	r     *Report
	style Style
	html  bool
	buf   []byte
}

func (t *textReport) write() {
	t.title()
	if t.html {
		t.charts()
	}
	t.ports()
	t.abused()
	t.scanners()
	t.listeners()
	t.rules()
	t.coverage()
}

func (t *textReport) heading(s string) {
	if t.html {
		t.element("h2", s)
		return
	}
	t.buf = append(t.buf, '\n')
	t.colored(s)
}

// colored writes a line in the heading colour, wrapped to the width.
func (t *textReport) colored(s string) {
	for _, line := range wrap(s, t.proseWidth(), "  ") {
		t.buf = append(t.buf, t.style.Colors.Annotation...)
		t.buf = append(t.buf, line...)
		if len(t.style.Colors.Annotation) > 0 {
			t.buf = append(t.buf, t.style.Colors.Reset...)
		}
		t.buf = append(t.buf, '\n')
	}
}

// line writes an indented paragraph, wrapped at spaces to the width.
func (t *textReport) line(s string) {
	if t.html {
		t.element("p", s)
		return
	}
	for _, l := range wrap(s, t.proseWidth()-len(tableIndent), "  ") {
		t.buf = append(t.buf, tableIndent...)
		t.buf = append(t.buf, l...)
		t.buf = append(t.buf, '\n')
	}
}

// proseWidth is where prose wraps: the terminal's width, or the default
// width in plain text.
func (t *textReport) proseWidth() int {
	if t.style.Width > 0 {
		return t.style.Width
	}
	return defaultWidth
}

// wrap splits s at spaces into lines of at most width runes, the second
// and later lines starting with indent. A word longer than the width
// stays whole.
func wrap(s string, width int, indent string) []string {
	lines := wrapCells(strings.Split(s, " "), width, " ")
	for i := 1; i < len(lines); i++ {
		lines[i] = indent + lines[i]
	}
	return lines
}

// wrapCells joins words with sep into lines of at most width runes (the
// second and later ones for an indent of two runes more than the first).
func wrapCells(words []string, width int, sep string) []string {
	var lines []string
	line, room := "", width
	for _, word := range words {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+len(sep)+utf8.RuneCountInString(word) <= room:
			line += sep + word
		default:
			lines = append(lines, line)
			line, room = word, width-2
		}
	}
	return append(lines, line)
}

func (t *textReport) title() {
	r := t.r
	if t.html {
		t.element("h1", "portnote summary: "+count(r.Records, "record")+" in "+count(r.Lines, "line"))
		if !r.First.IsZero() {
			t.line("log time " + t.time(r.First) + " to " + t.time(r.Last))
		}
		return
	}
	t.colored("portnote summary: " + count(r.Records, "record") + " in " + count(r.Lines, "line"))
	if !r.First.IsZero() {
		t.line("log time " + t.time(r.First) + " to " + t.time(r.Last))
	}
}

// time formats a time: RFC 3339 in plain text; on a terminal with a
// space before the clock and the zone's name after it.
func (t *textReport) time(tm time.Time) string {
	if tm.IsZero() {
		return "-"
	}
	if t.style.Terminal || t.html {
		return tm.Format("2006-01-02 15:04:05 MST")
	}
	return tm.Format(time.RFC3339)
}

// Legends of the time columns: FIRST is always dropped before LAST, so
// its legend may speak for both.
const (
	legendFirst = "FIRST, LAST: log time of the first and last record"
	legendLast  = "LAST: log time of the last record"
)

func (t *textReport) ports() {
	r := t.r
	if r.PortsSeen == 0 {
		t.heading("Ports: none")
	} else {
		t.heading("Ports: top " + strconv.Itoa(len(r.Ports)) + " of " + strconv.Itoa(r.PortsSeen) + " seen, covering " +
			percent(r.TopShare) + " of " + count(r.Records, "record"))
	}
	spark := t.style.Terminal && !r.HourlyEnd.IsZero()
	tb := table{cols: []column{
		{name: "PORT", legend: "PORT: destination port/transport (?: the log does not say)"},
		{name: "SERVICE", limit: 14, drop: 2, legend: "SERVICE: IANA name"},
		{name: "CLASS", drop: 9, legend: "CLASS: IANA range"},
		{name: "ABUSED", drop: 3, legend: "ABUSED: category/severity in the abuse catalogue"},
		{name: "RECORDS", right: true},
		{name: "SOURCES", right: true, drop: 1, legend: "SOURCES: distinct source addresses"},
		{name: "DESTS", right: true, drop: 7, legend: "DESTS: distinct destinations"},
		{name: "BLOCKED", right: true, drop: 5, legend: "BLOCKED: blocked or rejected"},
		{name: "PASSED", right: true, drop: 4, legend: "PASSED: let through"},
		{name: "FIRST", drop: 10, legend: legendFirst},
		{name: "LAST", drop: 8, legend: legendLast},
	}}
	if spark {
		tb.cols = append(tb.cols, column{name: "LAST " + strconv.Itoa(sparkHours) + "H", drop: 6,
			legend: "LAST 24H: records per hour to " + t.time(r.HourlyEnd.Add(time.Hour-time.Second))})
	}
	for _, p := range r.Ports {
		// On a terminal the row's colour tells the severity and the
		// abused section the category: the severity alone keeps the
		// table narrow enough for a sparkline.
		abused := abuseName(p.Category, p.Severity)
		if t.style.Terminal && p.Abused {
			abused = p.Severity
		}
		row := []string{
			portName(p.Port, p.Transport), serviceName(p.Service), p.Class, abused,
			itoa64(p.Records), approx(p.Sources, p.SourcesEstimated), approx(p.Destinations, p.DestinationsEstimated),
			itoa64(p.Blocked), itoa64(p.Passed), t.time(p.First), t.time(p.Last),
		}
		if spark {
			row = append(row, sparkline(p.Hourly))
		}
		tb.add(row, t.style.Colors.Severity[p.sev])
	}
	if len(r.Ports) > 0 {
		t.table(&tb)
	}
	if len(r.OtherProtocols) > 0 {
		var b strings.Builder
		b.WriteString("other protocols (no ports):")
		for _, p := range r.OtherProtocols {
			b.WriteString(" " + p.Protocol + " " + itoa64(p.Records))
		}
		t.line(b.String())
	}
}

func (t *textReport) abused() {
	r := t.r
	if len(r.Abused) == 0 {
		t.heading("Abused ports seen: none")
		return
	}
	t.heading("Abused ports seen: " + count(int64(len(r.Abused)), "catalogue entry") + ", busiest first")
	tb := table{cols: []column{
		{name: "PORT", legend: "PORT: port or range of the catalogue entry"},
		{name: "SEEN", right: true, drop: 6, legend: "SEEN: its ports with records"},
		{name: "LABEL", limit: 20, drop: 3, legend: "LABEL: what abuses it"},
		{name: "CATEGORY", drop: 8, legend: "CATEGORY, SEVERITY: of the abuse"},
		{name: "SEVERITY", drop: 4, legend: "SEVERITY: of the abuse"},
		{name: "RECORDS", right: true},
		{name: "SOURCES", right: true, drop: 2, legend: "SOURCES: distinct source addresses"},
		{name: "BLOCKED", right: true, drop: 7, legend: "BLOCKED: blocked or rejected"},
		{name: "PASSED", right: true, drop: 5, legend: "PASSED: let through"},
		{name: "FIRST", drop: 10, legend: legendFirst},
		{name: "LAST", drop: 9, legend: legendLast},
		{name: "TOP SOURCES", list: true, drop: 1, legend: "TOP SOURCES: the heaviest, with their records"},
	}}
	rows := t.limit(len(r.Abused))
	ranges, inexact, unnamed := false, false, false
	for _, a := range r.Abused[:rows] {
		var top []string
		for _, s := range a.TopSources {
			if s.Records > 0 {
				top = append(top, s.Source.String()+" ("+itoa64(s.Records)+")")
			} else {
				top = append(top, s.Source.String()+" ("+itoa64(s.RecordsMin)+"-"+itoa64(s.RecordsMax)+")")
				inexact = true
			}
		}
		if len(top) == 0 {
			top = append(top, "none can be named")
			unnamed = true
		}
		port := portName(a.Port, a.Transport)
		if a.PortHigh > a.Port {
			port = strconv.Itoa(int(a.Port)) + "-" + portName(a.PortHigh, a.Transport)
			ranges = true
		}
		tb.add([]string{
			port, strconv.Itoa(len(a.PortsSeen)), a.Label, a.Category, a.Severity,
			itoa64(a.Records), approx(a.Sources, a.SourcesEstimated), itoa64(a.Blocked), itoa64(a.Passed),
			t.time(a.First), t.time(a.Last), strings.Join(top, ", "),
		}, t.style.Colors.Severity[a.sev])
	}
	if ranges {
		tb.cols[0].legend = "PORT: port or range of the catalogue entry"
	} else {
		tb.cols[0].legend = "PORT: port of the catalogue entry"
	}
	if inexact {
		tb.cols[11].legend += "; (a-b): between a and b, the source being counted approximately past the memory budget"
	}
	if unnamed {
		tb.cols[11].legend += "; none can be named: past the memory budget no source is certainly the heaviest"
	}
	t.table(&tb)
	t.more(len(r.Abused) - rows)
}

func (t *textReport) scanners() {
	r := t.r
	rule := "flagged for " + strconv.Itoa(r.ScanPorts) + " distinct ports, or " + strconv.Itoa(r.SweepHosts) +
		" home hosts on one port, within " + r.ScanWindow.String() + ", or the Mirai pattern"
	if len(r.Scanners) == 0 {
		t.heading("Scanners: none")
		t.line(rule)
	} else {
		t.heading("Scanners: " + count(int64(len(r.Scanners)), "source") + " by danger level")
		t.line(rule)
		tb := table{cols: []column{
			{name: "SOURCE"},
			{name: "LEVEL", right: true, legend: "LEVEL: danger, 1 to 5"},
			{name: "KIND", drop: 4, legend: "KIND: from the TCP flags (SYN, FIN, NULL, XMAS, ACK) or UDP"},
			{name: "PORTS", right: true, drop: 2, legend: "PORTS: distinct destination ports (port/transport) it hit"},
			{name: "HOSTS", right: true, drop: 3, legend: "HOSTS: distinct home hosts it hit"},
			{name: "RECORDS", right: true, drop: 5, legend: "RECORDS: from it"},
			{name: "PASSED", right: true, drop: 6, legend: "PASSED: let through"},
			{name: "FLAGGED", drop: 9, legend: "FLAGGED: log time it first reached a threshold"},
			{name: "FIRST", drop: 8, legend: legendFirst},
			{name: "LAST", drop: 7, legend: legendLast},
			{name: "WHY", list: true, drop: 1, legend: "WHY: the points of its level"},
		}}
		rows := t.limit(len(r.Scanners))
		for _, s := range r.Scanners[:rows] {
			tb.add([]string{
				s.Source.String(), strconv.Itoa(s.Level), cmp.Or(s.Kind, "-"), approx(s.Ports, s.PortsEstimated),
				approx(s.Hosts, s.HostsEstimated), itoa64(s.Records), itoa64(s.Passed),
				t.time(firstTime(s.FlaggedAt, s.SweptAt)), t.time(s.First), t.time(s.Last), strings.Join(s.Reasons, ", "),
			}, t.style.Colors.Severity[levelSeverity(s.Level)])
		}
		t.table(&tb)
		t.more(len(r.Scanners) - rows)
	}

	if len(r.Mirai) == 0 {
		t.line("Mirai pattern, 23/tcp then 2323/tcp: none")
		return
	}
	t.line("Mirai pattern, 23/tcp then 2323/tcp: " + count(int64(len(r.Mirai)), "source"))
	tb := table{cols: []column{
		{name: "SOURCE"},
		{name: "23/TCP", right: true, drop: 3, legend: "23/TCP: records to telnet"},
		{name: "2323/TCP", right: true, drop: 4, legend: "2323/TCP: records to the alternate telnet port"},
		{name: "RECORDS", right: true, legend: "RECORDS: from it"},
		{name: "FIRST", drop: 6, legend: legendFirst},
		{name: "LAST", drop: 5, legend: legendLast},
		{name: "SCANNER", drop: 2, legend: "SCANNER: it also scanned or swept"},
	}}
	rows := t.limit(len(r.Mirai))
	for _, m := range r.Mirai[:rows] {
		tb.add([]string{
			m.Source.String(), itoa64(m.Telnet), itoa64(m.TelnetAlt), itoa64(m.Records),
			t.time(m.First), t.time(m.Last), yesNo(m.Scanner),
		}, t.style.Colors.Severity[registry.High])
	}
	t.table(&tb)
	t.more(len(r.Mirai) - rows)
}

// firstTime returns the earlier of two times, zero meaning none.
func firstTime(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

// levelSeverity colours a danger level as a severity.
func levelSeverity(level int) registry.Severity {
	switch {
	case level >= 4:
		return registry.High
	case level == 3:
		return registry.Medium
	}
	return 0
}

func (t *textReport) listeners() {
	r := t.r
	var shown []Listener
	for _, l := range r.Listeners {
		if l.New || r.BaselineCreated.IsZero() && l.Odd {
			shown = append(shown, l)
		}
	}
	what := "odd"
	if !r.BaselineCreated.IsZero() {
		what = "new since " + t.time(r.BaselineCreated)
	}
	t.heading("Listeners: " + strconv.Itoa(len(shown)) + " " + what + ", of " + strconv.Itoa(len(r.Listeners)) + " seen")
	t.line("something answered from a home host's port, or was let through to it; odd: abused, unassigned or not expected there")
	if len(shown) > 0 {
		tb := table{cols: []column{
			{name: "HOST"}, {name: "PORT"},
			{name: "SERVICE", limit: 14, drop: 5, legend: "SERVICE: IANA name"},
			{name: "EVIDENCE", legend: "EVIDENCE: answer (a SYN-ACK or UDP reply from the port), accepted (a SYN or datagram let in), or accepted with the flags unknown"},
			{name: "WHY", drop: 3, legend: "WHY: abused, unassigned, not expected"},
			{name: "RECORDS", right: true, drop: 4},
			{name: "CLIENTS", right: true, drop: 2, legend: "CLIENTS: distinct addresses it talked with"},
			{name: "FIRST CLIENT", drop: 7, legend: "FIRST CLIENT: of the first record"},
			{name: "FIRST", drop: 8, legend: legendFirst},
			{name: "LAST", drop: 6, legend: legendLast},
		}}
		rows := t.limit(len(shown))
		for _, l := range shown[:rows] {
			tb.add([]string{
				l.Host.String(), portName(l.Port, l.Transport), serviceName(l.Service), l.Evidence,
				cmp.Or(strings.Join(l.Why, ","), "-"), itoa64(l.Records), approx(l.Clients, l.ClientsEstimated),
				l.FirstClient.String(), t.time(l.First), t.time(l.Last),
			}, t.style.Colors.Severity[l.sev])
		}
		t.table(&tb)
		t.more(len(shown) - rows)
	}

	if len(r.Callouts) > 0 {
		t.heading("Calling out: " + count(int64(len(r.Callouts)), "destination") + " of backdoor, C2 or worm ports")
		tb := table{cols: []column{
			{name: "DESTINATION"}, {name: "PORT"},
			{name: "LABEL", limit: 20, drop: 3, legend: "LABEL: what abuses the port"},
			{name: "RECORDS", right: true},
			{name: "HOSTS", right: true, drop: 2, legend: "HOSTS: distinct home hosts calling out"},
			{name: "FIRST HOST", drop: 1, legend: "FIRST HOST: of the first record"},
			{name: "FIRST", drop: 5, legend: legendFirst},
			{name: "LAST", drop: 4, legend: legendLast},
		}}
		rows := t.limit(len(r.Callouts))
		for _, c := range r.Callouts[:rows] {
			tb.add([]string{
				c.Destination.String(), portName(c.Port, c.Transport), c.Label, itoa64(c.Records),
				approx(c.Hosts, c.HostsEstimated), c.FirstHost.String(), t.time(c.First), t.time(c.Last),
			}, t.style.Colors.Severity[c.sev])
		}
		t.table(&tb)
		t.more(len(r.Callouts) - rows)
	}

	if len(r.Floods) > 0 {
		t.heading("Reflected floods: " + count(int64(len(r.Floods)), "home host"))
		tb := table{cols: []column{
			{name: "TARGET"},
			{name: "FROM", legend: "FROM: the reflector's source port"},
			{name: "LABEL", limit: 20, drop: 2, legend: "LABEL: what reflects"},
			{name: "RECORDS", right: true},
			{name: "FIRST", drop: 4, legend: legendFirst},
			{name: "LAST", drop: 3, legend: legendLast},
		}}
		rows := t.limit(len(r.Floods))
		for _, f := range r.Floods[:rows] {
			tb.add([]string{
				f.Target.String(), portName(f.ReflectorPort, "udp"), f.Label, itoa64(f.Records), t.time(f.First), t.time(f.Last),
			}, nil)
		}
		t.table(&tb)
		t.more(len(r.Floods) - rows)
	}
}

func (t *textReport) rules() {
	r := t.r
	if len(r.Rules) == 0 {
		return
	}
	t.heading("Logged by: top " + strconv.Itoa(t.limit(len(r.Rules))) + " of " + strconv.Itoa(len(r.Rules)) +
		" (firewall host, interface, rule)")
	tb := table{cols: []column{
		{name: "HOST", limit: 24, drop: 3, legend: "HOST: the firewall that logged the records"},
		{name: "IFACE", limit: 12, drop: 4, legend: "IFACE: the ingress interface"},
		{name: "RULE", limit: 32, legend: "RULE: the log prefix or rule (strings from the log: control bytes as \\xNN)"},
		{name: "RECORDS", right: true},
		{name: "BLOCKED", right: true, drop: 2, legend: "BLOCKED: blocked or rejected"},
		{name: "PASSED", right: true, drop: 1, legend: "PASSED: let through"},
		{name: "FIRST", drop: 6, legend: legendFirst},
		{name: "LAST", drop: 5, legend: legendLast},
	}}
	rows := t.limit(len(r.Rules))
	for _, c := range r.Rules[:rows] {
		tb.add([]string{
			cmp.Or(c.Host, "-"), cmp.Or(c.Interface, "-"), cmp.Or(c.Rule, "-"), itoa64(c.Records), itoa64(c.Blocked), itoa64(c.Passed),
			t.time(c.First), t.time(c.Last),
		}, nil)
	}
	t.table(&tb)
	t.more(len(r.Rules) - rows)
	if r.RulesOther > 0 {
		t.line(count(r.RulesOther, "record") + " of other hosts, interfaces and rules (only 1024 are kept)")
	}
}

func (t *textReport) coverage() {
	r := t.r
	b := &r.Bounds
	t.heading("Coverage")
	var kv [][2]string
	add := func(k, v string) { kv = append(kv, [2]string{k, v}) }
	add("lines read", itoa64(r.Lines))
	add("records", itoa64(r.Records)+byFormat(r.RecordsByFormat))
	add("unparsed", itoa64(r.Unparsed)+byFormat(r.UnparsedByFormat)+" (lines shaped like firewall records)")
	add("without time", count(r.Untimed, "record"))
	if r.Partial > 0 {
		add("partial", count(r.Partial, "record")+" with an address or port masked, unreadable or left out")
	}
	add("memory", mib(b.MemoryPeak)+" at most, of a "+mib(b.MemoryBudget)+" budget")
	counts := "exact"
	if b.EstimatedCounts > 0 {
		counts = count(int64(b.EstimatedCounts), "estimate") + " (~N), HyperLogLog precision " + strconv.Itoa(b.Precision) +
			", standard error " + percent(b.StdError) + "; the rest exact"
	}
	add("distinct counts", counts)
	if b.ApproximateSources > 0 {
		add("abused sources", count(int64(b.ApproximateSources), "entry")+
			" counted approximately past the budget, the heaviest "+strconv.Itoa(heavyCounters)+" sources kept")
	}
	if b.PortsWithoutHourly > 0 {
		add("hourly counts", "none for "+count(int64(b.PortsWithoutHourly), "port")+" (kept for the first "+strconv.Itoa(maxRings)+")")
	}
	scan := strconv.Itoa(b.TrackedSources) + " sources tracked in " + mib(b.TrackMemory) + ", " +
		itoa64(b.EvictedSources) + " forgotten"
	if b.SuspectsDropped > 0 {
		scan += ", " + itoa64(b.SuspectsDropped) + " flagged sources not kept"
	}
	add("scan tracking", scan)
	if b.ListenersDropped > 0 {
		add("listeners", itoa64(b.ListenersDropped)+" records of listeners not kept")
	}
	if b.CalloutsDropped > 0 {
		add("callouts", itoa64(b.CalloutsDropped)+" records to destinations not kept")
	}
	if b.FloodsDropped > 0 {
		add("floods", itoa64(b.FloodsDropped)+" not kept")
	}
	if b.EventsTold > 0 {
		add("events", count(b.EventsTold, "event")+" told")
	}
	if t.html {
		t.buf = append(t.buf, "<table class=\"kv\">\n"...)
		for _, p := range kv {
			t.buf = append(t.buf, "<tr><th>"...)
			t.buf = appendHTML(t.buf, p[0])
			t.buf = append(t.buf, "</th><td>"...)
			t.buf = appendHTML(t.buf, p[1])
			t.buf = append(t.buf, "</td></tr>\n"...)
		}
		t.buf = append(t.buf, "</table>\n"...)
		return
	}
	keyWidth := 0
	for _, p := range kv {
		keyWidth = max(keyWidth, len(p[0]))
	}
	for _, p := range kv {
		key := p[0] + strings.Repeat(" ", keyWidth-len(p[0])+2)
		hang := strings.Repeat(" ", len(tableIndent)+len(key))
		for i, l := range wrap(p[1], t.proseWidth()-len(hang), "") {
			if i == 0 {
				t.buf = append(t.buf, tableIndent+key...)
			} else {
				t.buf = append(t.buf, hang...)
			}
			t.buf = append(t.buf, l...)
			t.buf = append(t.buf, '\n')
		}
	}
}

// mib writes a byte count in MiB, one decimal.
func mib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
}

// limit returns how many of n rows a list shows.
func (t *textReport) limit(n int) int {
	if t.r.top < 0 {
		return n
	}
	return min(n, t.r.top)
}

func (t *textReport) more(n int) {
	if n > 0 {
		t.line("... and " + strconv.Itoa(n) + " more")
	}
}

// table writes tb, then the legend of the columns it kept.
func (t *textReport) table(tb *table) {
	var keep []bool
	if t.html {
		t.buf, keep = tb.appendHTML(t.buf)
	} else {
		t.buf, keep = tb.append(t.buf, t.style)
	}
	var legend []string
	covered := map[string]bool{}
	for i, c := range tb.cols {
		if !keep[i] || c.legend == "" || covered[c.name] {
			continue
		}
		legend = append(legend, c.legend)
		names, _, _ := strings.Cut(c.legend, ": ")
		for _, name := range strings.Split(names, ", ") {
			covered[name] = true
		}
	}
	if tb.estimates(keep) {
		legend = append(legend, "~N: an estimate (see Coverage)")
	}
	if len(legend) == 0 {
		return
	}
	if t.html {
		t.buf = append(t.buf, `<p class="legend">`...)
		t.buf = appendHTML(t.buf, strings.Join(legend, "; "))
		t.buf = append(t.buf, "</p>\n"...)
		return
	}
	t.line(strings.Join(legend, "; "))
}

// column is a table column. On a terminal, a column with drop > 0 may
// be left out when the table is too wide, highest drop first; cells of
// a column with a limit (names, never numbers or addresses) longer than
// it are cut; a list column (items separated by ", ") shows the items
// that fit whole, then "+N" for the rest.
type column struct {
	name   string
	right  bool
	drop   int
	limit  int
	list   bool
	legend string
}

// table lays out rows in aligned columns. Widths are in runes: every
// cell is text without escapes (colour goes around whole rows), and the
// only characters wider than a byte are the sparkline's blocks, each one
// terminal column.
type table struct {
	cols   []column
	rows   [][]string
	colors [][]byte
}

func (tb *table) add(row []string, color []byte) {
	tb.rows = append(tb.rows, row)
	tb.colors = append(tb.colors, color)
}

const tableIndent = "  "

// append writes the table and returns which columns it kept.
func (tb *table) append(dst []byte, style Style) ([]byte, []bool) {
	if style.Width > 0 {
		for _, row := range tb.rows {
			for i, c := range tb.cols {
				if c.limit > 0 && utf8.RuneCountInString(row[i]) > c.limit {
					row[i] = string(cutRunes([]byte(row[i]), c.limit-1)) + "…"
				}
			}
		}
	}
	widths := make([]int, len(tb.cols))
	for i, c := range tb.cols {
		widths[i] = utf8.RuneCountInString(c.name)
		for _, row := range tb.rows {
			widths[i] = max(widths[i], utf8.RuneCountInString(row[i]))
		}
	}
	keep := make([]bool, len(tb.cols))
	for i := range keep {
		keep[i] = true
	}
	if style.Width > 0 {
		for tb.width(widths, keep) > style.Width {
			worst := -1
			for i, c := range tb.cols {
				if keep[i] && c.drop > 0 && (worst < 0 || c.drop > tb.cols[worst].drop) {
					worst = i
				}
			}
			if worst < 0 {
				break
			}
			keep[worst] = false
		}
	}
	header := make([]string, len(tb.cols))
	for i, c := range tb.cols {
		header[i] = c.name
	}
	flow := make([]bool, len(tb.rows))
	if style.Width > 0 && tb.width(widths, keep) > style.Width {
		// Even the columns that stay are too wide (a long IPv6
		// address on a narrow terminal): the widest rows flow onto
		// more lines rather than have a cell cut, until the others,
		// aligned among themselves, fit.
		own := make([]int, len(tb.rows))
		one := make([]int, len(widths))
		for r, row := range tb.rows {
			for i, cell := range row {
				one[i] = max(utf8.RuneCountInString(tb.cols[i].name), utf8.RuneCountInString(cell))
			}
			own[r] = tb.width(one, keep)
		}
		for {
			for i, c := range tb.cols {
				widths[i] = utf8.RuneCountInString(c.name)
				for r, row := range tb.rows {
					if !flow[r] {
						widths[i] = max(widths[i], utf8.RuneCountInString(row[i]))
					}
				}
			}
			if tb.width(widths, keep) <= style.Width {
				break
			}
			widest := -1
			for r := range tb.rows {
				if !flow[r] && (widest < 0 || own[r] > own[widest]) {
					widest = r
				}
			}
			if widest < 0 {
				break
			}
			flow[widest] = true
		}
	}
	dst = tb.appendRow(dst, header, nil, widths, keep, style)
	for i, row := range tb.rows {
		if flow[i] {
			dst = tb.appendFlowing(dst, row, tb.colors[i], keep, style)
		} else {
			dst = tb.appendRow(dst, row, tb.colors[i], widths, keep, style)
		}
	}
	return dst, keep
}

// appendFlowing writes a row's kept cells two spaces apart, starting a
// new, further indented line where the next cell would not fit.
func (tb *table) appendFlowing(dst []byte, row []string, color []byte, keep []bool, style Style) []byte {
	var cells []string
	for i, cell := range row {
		if keep[i] {
			cells = append(cells, cell)
		}
	}
	for i, line := range wrapCells(cells, style.Width-len(tableIndent), "  ") {
		dst = append(dst, color...)
		if i == 0 {
			dst = append(dst, tableIndent...)
		} else {
			dst = append(dst, tableIndent+"  "...)
		}
		dst = append(dst, line...)
		if len(color) > 0 {
			dst = append(dst, style.Colors.Reset...)
		}
		dst = append(dst, '\n')
	}
	return dst
}

// listNeed is the least room list column i needs: its header, and the
// first item of every row followed by the "+N" of the others.
func (tb *table) listNeed(i int) int {
	need := utf8.RuneCountInString(tb.cols[i].name)
	for _, row := range tb.rows {
		items := strings.Split(row[i], ", ")
		n := utf8.RuneCountInString(items[0])
		if len(items) > 1 {
			n += len(", +") + len(strconv.Itoa(len(items)-1))
		}
		need = max(need, n)
	}
	return need
}

// estimates reports whether a kept column shows an estimate.
func (tb *table) estimates(keep []bool) bool {
	for _, row := range tb.rows {
		for i, cell := range row {
			if keep[i] && len(cell) > 1 && cell[0] == '~' && cell[1] >= '0' && cell[1] <= '9' {
				return true
			}
		}
	}
	return false
}

// width is the table's width with the columns kept; a list column, which
// is last, counts only what it needs at least.
func (tb *table) width(widths []int, keep []bool) int {
	n := len(tableIndent)
	first := true
	for i, w := range widths {
		if !keep[i] {
			continue
		}
		if !first {
			n += 2
		}
		first = false
		if tb.cols[i].list {
			w = tb.listNeed(i)
		}
		n += w
	}
	return n
}

// appendRow writes one row. On a terminal a list cell keeps the items
// that fit the width whole.
func (tb *table) appendRow(dst []byte, row []string, color []byte, widths []int, keep []bool, style Style) []byte {
	line := make([]byte, 0, 128)
	line = append(line, tableIndent...)
	first := true
	for i, cell := range row {
		if !keep[i] {
			continue
		}
		if !first {
			line = append(line, "  "...)
		}
		first = false
		if tb.cols[i].list && style.Width > 0 {
			cell = fitList(cell, style.Width-utf8.RuneCount(line))
		}
		pad := widths[i] - utf8.RuneCountInString(cell)
		if tb.cols[i].right {
			line = appendSpaces(line, pad)
			line = append(line, cell...)
		} else {
			line = append(line, cell...)
			line = appendSpaces(line, pad)
		}
	}
	line = []byte(strings.TrimRight(string(line), " "))
	dst = append(dst, color...)
	dst = append(dst, line...)
	if len(color) > 0 {
		dst = append(dst, style.Colors.Reset...)
	}
	return append(dst, '\n')
}

// fitList keeps the whole items of a ", "-separated list that fit in
// room runes, then "+N" for the N left out.
func fitList(cell string, room int) string {
	if utf8.RuneCountInString(cell) <= room {
		return cell
	}
	items := strings.Split(cell, ", ")
	for n := len(items) - 1; n >= 0; n-- {
		s := strings.Join(items[:n], ", ")
		more := "+" + strconv.Itoa(len(items)-n)
		if n > 0 {
			more = ", " + more
		}
		if utf8.RuneCountInString(s+more) <= room || n == 0 {
			return s + more
		}
	}
	return cell
}

func appendSpaces(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

// cutRunes returns the first n runes of b.
func cutRunes(b []byte, n int) []byte {
	for i := range string(b) {
		if n == 0 {
			return b[:i]
		}
		n--
	}
	return b
}

// sparkBlocks are the eight heights of a sparkline; an hour without
// records is a space, so that it does not pass for a few.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws counts scaled to their maximum: any hour with records
// gets at least the lowest block.
func sparkline(counts []uint32) string {
	var peak uint32
	for _, c := range counts {
		peak = max(peak, c)
	}
	var b strings.Builder
	for _, c := range counts {
		if c == 0 {
			b.WriteByte(' ')
			continue
		}
		level := (uint64(c)*uint64(len(sparkBlocks)) + uint64(peak) - 1) / uint64(peak) // ceil(c*8/peak), 1..8
		b.WriteRune(sparkBlocks[level-1])
	}
	return b.String()
}

func portName(port uint16, transport string) string {
	return strconv.Itoa(int(port)) + "/" + transport
}

func serviceName(s string) string {
	if s == "" {
		return "unassigned"
	}
	return s
}

func abuseName(category, severity string) string {
	if category == "" {
		return "-"
	}
	return category + "/" + severity
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "-"
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// approx writes a count, with a tilde when it is an estimate.
func approx(n int64, estimated bool) string {
	if estimated {
		return "~" + itoa64(n)
	}
	return itoa64(n)
}

// count writes n and a noun, plural unless n is 1.
func count(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return itoa64(n) + " " + noun[:len(noun)-1] + "ies"
	}
	return itoa64(n) + " " + noun + "s"
}

func percent(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

// byFormat writes ": netfilter 10, pf 2" in the order of the formats.
func byFormat(m map[string]int64) string {
	var b strings.Builder
	for f := parsers.FormatUnknown + 1; f < parsers.FormatCount; f++ {
		if name := f.String(); m[name] > 0 {
			n := m[name]
			if b.Len() == 0 {
				b.WriteString(": ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString(name + " " + itoa64(n))
		}
	}
	return b.String()
}
