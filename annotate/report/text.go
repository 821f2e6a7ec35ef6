package report

import (
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
	// columns first), writes times briefly, colours rows with Colors and
	// draws hourly sparklines. Without it the report is plain: every
	// column, RFC 3339 times, no escapes, one row per line, for grep and
	// diff.
	Terminal bool
	Width    int             // of the terminal; 0 means 100
	Colors   annotate.Colors // used only with Terminal; abused rows take Severity, headings Annotation
}

const defaultWidth = 100

// WriteText writes the report for people: sections Ports, Abused ports
// seen, Scanners, Odd listeners and Coverage, each a heading and an
// aligned table. Lists other than abused ports show at most the
// configured number of rows (Config.Top), then how many more
// there are. Text is not a stable interface; [Report.WriteJSON] is.
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

type textReport struct {
	r     *Report
	style Style
	buf   []byte
}

func (t *textReport) write() {
	t.title()
	t.ports()
	t.abused()
	t.scanners()
	t.listeners()
	t.coverage()
}

func (t *textReport) heading(s string) {
	t.buf = append(t.buf, '\n')
	t.buf = append(t.buf, t.style.Colors.Annotation...)
	t.buf = append(t.buf, s...)
	if len(t.style.Colors.Annotation) > 0 {
		t.buf = append(t.buf, t.style.Colors.Reset...)
	}
	t.buf = append(t.buf, '\n')
}

// line writes an indented line of text, cut to the terminal's width.
func (t *textReport) line(s string) {
	line := append([]byte(tableIndent), s...)
	if w := t.style.Width; w > 0 && utf8.RuneCount(line) > w {
		line = append(cutRunes(line, w-1), "…"...)
	}
	t.buf = append(t.buf, line...)
	t.buf = append(t.buf, '\n')
}

func (t *textReport) title() {
	r := t.r
	s := "portnote summary: " + count(r.Records, "record") + " in " + count(r.Lines, "line")
	t.buf = append(t.buf, t.style.Colors.Annotation...)
	t.buf = append(t.buf, s...)
	if len(t.style.Colors.Annotation) > 0 {
		t.buf = append(t.buf, t.style.Colors.Reset...)
	}
	t.buf = append(t.buf, '\n')
	if !r.First.IsZero() {
		t.line("log time " + t.time(r.First) + " to " + t.time(r.Last))
	}
}

// time formats a time: RFC 3339 in plain text, briefly on a terminal.
func (t *textReport) time(tm time.Time) string {
	if tm.IsZero() {
		return "-"
	}
	if t.style.Terminal {
		return tm.Format(time.DateTime)
	}
	return tm.Format(time.RFC3339)
}

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
		{name: "PORT"}, {name: "SERVICE", limit: 14}, {name: "CLASS", drop: 4}, {name: "ABUSED"},
		{name: "RECORDS", right: true}, {name: "SOURCES", right: true}, {name: "DESTS", right: true, drop: 2},
		{name: "BLOCKED", right: true}, {name: "PASSED", right: true},
		{name: "FIRST", drop: 5}, {name: "LAST", drop: 3},
	}}
	if spark {
		tb.cols = append(tb.cols, column{name: "LAST " + strconv.Itoa(sparkHours) + "H", drop: 1})
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
			itoa64(p.Records), itoa64(p.Sources), itoa64(p.Destinations), itoa64(p.Blocked), itoa64(p.Passed),
			t.time(p.First), t.time(p.Last),
		}
		if spark {
			row = append(row, sparkline(p.Hourly))
		}
		tb.add(row, t.style.Colors.Severity[p.sev])
	}
	if len(r.Ports) > 0 {
		t.table(&tb)
	}
	if spark {
		t.line("LAST 24H: records per hour, ending " + t.time(r.HourlyEnd.Add(time.Hour-time.Second)))
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
	t.heading("Abused ports seen: " + strconv.Itoa(len(r.Abused)))
	tb := table{cols: []column{
		{name: "PORT"}, {name: "LABEL", limit: 20}, {name: "CATEGORY", drop: 3}, {name: "SEVERITY"},
		{name: "RECORDS", right: true}, {name: "SOURCES", right: true},
		{name: "BLOCKED", right: true, drop: 1}, {name: "PASSED", right: true},
		{name: "FIRST", drop: 5}, {name: "LAST", drop: 4}, {name: "TOP SOURCES"},
	}}
	for _, a := range r.Abused {
		var top strings.Builder
		for i, s := range a.TopSources {
			if i > 0 {
				top.WriteString(", ")
			}
			top.WriteString(s.Source.String() + " (")
			if s.Overcount > 0 {
				top.WriteString(itoa64(s.Records-s.Overcount) + "-")
			}
			top.WriteString(itoa64(s.Records) + ")")
		}
		tb.add([]string{
			portName(a.Port, a.Transport), a.Label, a.Category, a.Severity,
			itoa64(a.Records), itoa64(a.Sources), itoa64(a.Blocked), itoa64(a.Passed),
			t.time(a.First), t.time(a.Last), top.String(),
		}, t.style.Colors.Severity[a.sev])
	}
	t.table(&tb)
}

func (t *textReport) scanners() {
	r := t.r
	rule := strconv.Itoa(r.ScanPorts) + " distinct ports within " + r.ScanWindow.String()
	if len(r.Scanners) == 0 {
		t.heading("Scanners: none reached " + rule)
	} else {
		t.heading("Scanners: " + count(int64(len(r.Scanners)), "source") + " reached " + rule)
		tb := table{cols: []column{
			{name: "SOURCE"}, {name: "PORTS", right: true}, {name: "RECORDS", right: true},
			{name: "FLAGGED"}, {name: "FIRST", drop: 2}, {name: "LAST", drop: 1}, {name: "MIRAI"},
		}}
		rows := t.limit(len(r.Scanners))
		for _, s := range r.Scanners[:rows] {
			tb.add([]string{
				s.Source.String(), itoa64(s.Ports), itoa64(s.Records),
				t.time(s.FlaggedAt), t.time(s.First), t.time(s.Last), yesNo(s.Mirai),
			}, nil)
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
		{name: "SOURCE"}, {name: "23/TCP", right: true}, {name: "2323/TCP", right: true},
		{name: "RECORDS", right: true}, {name: "FIRST", drop: 2}, {name: "LAST", drop: 1}, {name: "SCANNER"},
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

func (t *textReport) listeners() {
	r := t.r
	if len(r.Listeners) == 0 {
		t.heading("Odd listeners: none")
	} else {
		t.heading("Odd listeners: " + count(int64(len(r.Listeners)), "destination"))
	}
	t.line("in: accepted, to abused or unassigned ports; out: to backdoor, C2, worm ports")
	if len(r.Listeners) == 0 {
		return
	}
	tb := table{cols: []column{
		{name: "DIR"}, {name: "DESTINATION"}, {name: "PORT"}, {name: "SERVICE", limit: 14}, {name: "ABUSED"},
		{name: "RECORDS", right: true}, {name: "PASSED", right: true}, {name: "BLOCKED", right: true, drop: 2},
		{name: "SOURCES", right: true}, {name: "FIRST SOURCE", drop: 3}, {name: "FIRST", drop: 4}, {name: "LAST", drop: 1},
	}}
	rows := t.limit(len(r.Listeners))
	for _, l := range r.Listeners[:rows] {
		tb.add([]string{
			l.Direction, l.Destination.String(), portName(l.Port, l.Transport), serviceName(l.Service),
			abuseName(l.Category, l.Severity), itoa64(l.Records), itoa64(l.Passed), itoa64(l.Blocked),
			itoa64(l.Sources), l.FirstSource.String(), t.time(l.First), t.time(l.Last),
		}, t.style.Colors.Severity[l.sev])
	}
	t.table(&tb)
	t.more(len(r.Listeners) - rows)
}

func (t *textReport) coverage() {
	r := t.r
	b := &r.Bounds
	t.heading("Coverage")
	tb := table{cols: []column{{name: ""}, {name: ""}}}
	tb.add([]string{"lines read", itoa64(r.Lines)}, nil)
	tb.add([]string{"records", itoa64(r.Records) + byFormat(r.RecordsByFormat)}, nil)
	tb.add([]string{"unparsed", itoa64(r.Unparsed) + byFormat(r.UnparsedByFormat) + " (lines shaped like firewall records)"}, nil)
	tb.add([]string{"without time", count(r.Untimed, "record")}, nil)
	tb.add([]string{"distinct counts", "exact up to " + strconv.Itoa(b.ExactUpTo) + ", then HyperLogLog precision " +
		strconv.Itoa(b.Precision) + " (standard error " + percent(b.StdError) + ")"}, nil)
	scan := strconv.Itoa(b.TrackedSources) + " sources tracked (at most " + strconv.Itoa(b.TrackLimit) + "), " +
		itoa64(b.EvictedSources) + " forgotten"
	if b.SuspectsDropped > 0 {
		scan += ", " + itoa64(b.SuspectsDropped) + " flagged sources not kept"
	}
	tb.add([]string{"scan tracking", scan}, nil)
	if b.ListenersDropped > 0 {
		tb.add([]string{"odd listeners", itoa64(b.ListenersDropped) + " records to destinations not kept"}, nil)
	}
	tb.noHeader = true
	t.table(&tb)
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

func (t *textReport) table(tb *table) {
	t.buf = tb.append(t.buf, t.style)
}

// column is a table column. On a terminal, a column with drop > 0 may
// be left out when the table is too wide, highest drop first, and cells
// longer than a non-zero limit are cut.
type column struct {
	name  string
	right bool
	drop  int
	limit int
}

// table lays out rows in aligned columns. Widths are in runes: every
// cell is text without escapes (colour goes around whole rows), and the
// only characters wider than a byte are the sparkline's blocks, each one
// terminal column.
type table struct {
	cols     []column
	rows     [][]string
	colors   [][]byte
	noHeader bool
}

func (tb *table) add(row []string, color []byte) {
	tb.rows = append(tb.rows, row)
	tb.colors = append(tb.colors, color)
}

const tableIndent = "  "

func (tb *table) append(dst []byte, style Style) []byte {
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
		if !tb.noHeader {
			widths[i] = utf8.RuneCountInString(c.name)
		}
		for _, row := range tb.rows {
			widths[i] = max(widths[i], utf8.RuneCountInString(row[i]))
		}
	}
	keep := make([]bool, len(tb.cols))
	for i := range keep {
		keep[i] = true
	}
	if style.Width > 0 {
		for tableWidth(widths, keep) > style.Width {
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
	if !tb.noHeader {
		header := make([]string, len(tb.cols))
		for i, c := range tb.cols {
			header[i] = c.name
		}
		dst = tb.appendRow(dst, header, nil, widths, keep, style)
	}
	for i, row := range tb.rows {
		dst = tb.appendRow(dst, row, tb.colors[i], widths, keep, style)
	}
	return dst
}

func tableWidth(widths []int, keep []bool) int {
	n := len(tableIndent)
	first := true
	for i, w := range widths {
		if keep[i] {
			if !first {
				n += 2
			}
			n += w
			first = false
		}
	}
	return n
}

// appendRow writes one row. On a terminal a row still wider than Width
// after dropping columns has its last cell cut, with an ellipsis.
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
	if style.Width > 0 && utf8.RuneCount(line) > style.Width {
		line = cutRunes(line, style.Width-1)
		line = append(line, "…"...)
	}
	dst = append(dst, color...)
	dst = append(dst, line...)
	if len(color) > 0 {
		dst = append(dst, style.Colors.Reset...)
	}
	return append(dst, '\n')
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

// count writes n and a noun, plural unless n is 1.
func count(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
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
