package report

import (
	"cmp"
	"html"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/registry"
)

// WriteHTML writes the report as one self-contained HTML page: the
// tables and legends of the text report, and SVG charts of the records
// per hour stacked by verdict, the top ports, the scanners flagged over
// time and the listeners. The page needs nothing else: no script, no
// style sheet, font or image from elsewhere. Every string is escaped,
// and those from logs (hosts, interfaces, rules) also have their control
// bytes written as \xNN: log lines are hostile input.
func (r *Report) WriteHTML(w io.Writer) error {
	t := textReport{r: r, html: true}
	// Rows are coloured by class; Colors carries the class names.
	t.style.Colors = annotate.Colors{Severity: [registry.High + 1][]byte{
		nil, []byte("info"), []byte("low"), []byte("medium"), []byte("high"),
	}}
	t.buf = append(t.buf, pageStart...)
	t.write()
	t.buf = append(t.buf, "</main>\n</body>\n</html>\n"...)
	_, err := w.Write(t.buf)
	return err
}

const pageStart = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="portnote">
<title>portnote report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2329; background: #fbfbfa; }
main { max-width: 1200px; margin: 0 auto; padding: 1em 2em 3em; }
h1 { font-size: 1.5em; margin: .5em 0 .2em; }
h2 { font-size: 1.15em; margin: 1.8em 0 .4em; border-bottom: 1px solid #d8dcde; }
p { margin: .3em 0; }
p.legend { color: #5b6670; font-size: .85em; }
table { border-collapse: collapse; margin: .4em 0; font-variant-numeric: tabular-nums; }
th, td { padding: .15em .7em .15em 0; text-align: left; vertical-align: top; white-space: nowrap; }
th { font-weight: 600; font-size: .85em; color: #3c464f; border-bottom: 1px solid #c5cbcf; }
td.num, th.num { text-align: right; }
td.list { white-space: nowrap; }
tr.high td { background: #fbe3e1; }
tr.medium td { background: #fdf0d9; }
tr.low td { background: #f3f5d7; }
table.kv th { border: 0; padding-right: 1.5em; }
figure { margin: 1em 0; }
figcaption { font-weight: 600; margin-bottom: .3em; }
svg.chart { background: #fff; border: 1px solid #e1e4e6; max-width: 100%; height: auto; }
svg.chart text { font: 11px system-ui, sans-serif; fill: #3c464f; }
.blocked { fill: #c8473d; } .passed { fill: #3f9a5b; } .other { fill: #9aa3ab; }
.answer { fill: #7b2d8e; } .accepted { fill: #b56fc5; } .unknown { fill: #dcb7e4; }
.bar { fill: #4c7bb5; } .flag { fill: #d98a1f; }
</style>
</head>
<body>
<main>
`

// appendHTML appends s made visible and escaped for HTML text or a
// quoted attribute value.
func appendHTML(dst []byte, s string) []byte {
	return append(dst, html.EscapeString(visible(s))...)
}

// element writes <tag>s</tag>.
func (t *textReport) element(tag, s string) {
	t.buf = append(t.buf, '<')
	t.buf = append(t.buf, tag...)
	t.buf = append(t.buf, '>')
	t.buf = appendHTML(t.buf, s)
	t.buf = append(t.buf, "</"...)
	t.buf = append(t.buf, tag...)
	t.buf = append(t.buf, ">\n"...)
}

// appendHTML writes the table as HTML, every column kept; a row's
// colour is its class.
func (tb *table) appendHTML(dst []byte) ([]byte, []bool) {
	keep := make([]bool, len(tb.cols))
	dst = append(dst, "<table>\n<thead><tr>"...)
	for i, c := range tb.cols {
		keep[i] = true
		dst = append(dst, "<th"...)
		if c.right {
			dst = append(dst, ` class="num"`...)
		}
		dst = append(dst, '>')
		dst = appendHTML(dst, c.name)
		dst = append(dst, "</th>"...)
	}
	dst = append(dst, "</tr></thead>\n<tbody>\n"...)
	for r, row := range tb.rows {
		dst = append(dst, "<tr"...)
		if class := tb.colors[r]; len(class) > 0 {
			dst = append(dst, ` class="`...)
			dst = append(dst, class...)
			dst = append(dst, '"')
		}
		dst = append(dst, '>')
		for i, cell := range row {
			dst = append(dst, "<td"...)
			switch {
			case tb.cols[i].right:
				dst = append(dst, ` class="num"`...)
			case tb.cols[i].list:
				dst = append(dst, ` class="list"`...)
			}
			dst = append(dst, '>')
			if tb.cols[i].list {
				// One item a line: a list of addresses wraps only
				// between them.
				for j, item := range strings.Split(cell, ", ") {
					if j > 0 {
						dst = append(dst, "<br>"...)
					}
					dst = appendHTML(dst, item)
				}
			} else {
				dst = appendHTML(dst, cell)
			}
			dst = append(dst, "</td>"...)
		}
		dst = append(dst, "</tr>\n"...)
	}
	return append(dst, "</tbody>\n</table>\n"...), keep
}

// Charts are drawn on a plot of chartWidth by chartHeight, inside
// margins for the axes' labels.
const (
	chartWidth  = 900
	chartHeight = 180
	chartLeft   = 60
	chartBottom = 22
	chartTop    = 8
	chartRight  = 12
)

// charts writes the SVG charts of the report.
func (t *textReport) charts() {
	r := t.r
	if len(r.Timeline) > 0 {
		t.timeChart("Records over log time, by verdict", "records", func(b TimeBucket) []barPart {
			return []barPart{{b.Blocked, "blocked"}, {b.Passed, "passed"}, {b.Other, "other"}}
		})
		flagged := 0
		for _, b := range r.Timeline {
			flagged += b.Flagged
		}
		if flagged > 0 {
			t.timeChart("Scanners flagged over log time", "sources", func(b TimeBucket) []barPart {
				return []barPart{{int64(b.Flagged), "flag"}}
			})
		}
	}
	if len(r.Ports) > 0 {
		var bars []hbar
		for _, p := range r.Ports {
			bars = append(bars, hbar{portName(p.Port, p.Transport) + " " + serviceName(p.Service),
				[]barPart{{p.Blocked, "blocked"}, {p.Passed, "passed"}, {p.Records - p.Blocked - p.Passed, "other"}}})
		}
		t.hbarChart("Top ports, by verdict", bars)
	}
	if len(r.Listeners) > 0 {
		var bars []hbar
		for _, l := range r.Listeners[:min(len(r.Listeners), 20)] {
			class := map[string]string{"answer": "answer", "accepted": "accepted"}[l.Evidence]
			label := l.Host.String() + " " + portName(l.Port, l.Transport)
			if l.Odd {
				label += " (" + strings.Join(l.Why, ", ") + ")"
			}
			bars = append(bars, hbar{label, []barPart{{l.Records, cmp.Or(class, "unknown")}}})
		}
		t.hbarChart("Listeners, by records and evidence (dark: answer, mid: accepted, light: flags unknown)", bars)
	}
}

// barPart is a part of a stacked bar: a count and its class.
type barPart struct {
	n     int64
	class string
}

// timeChart draws a stacked bar per bucket of the timeline.
func (t *textReport) timeChart(caption, unit string, parts func(TimeBucket) []barPart) {
	tl := t.r.Timeline
	var peak int64
	for _, b := range tl {
		var sum int64
		for _, p := range parts(b) {
			sum += p.n
		}
		peak = max(peak, sum)
	}
	start, end := tl[0].Start, tl[len(tl)-1].Start.Add(time.Duration(tl[len(tl)-1].Hours)*time.Hour)
	span := end.Sub(start)
	t.figure(caption, chartWidth+chartLeft+chartRight, chartHeight+chartTop+chartBottom)
	t.axis(peak, unit)
	for _, b := range tl {
		x0 := chartLeft + float64(chartWidth)*float64(b.Start.Sub(start))/float64(span)
		w := max(float64(chartWidth)*float64(time.Duration(b.Hours)*time.Hour)/float64(span), 2)
		y := float64(chartTop + chartHeight)
		var title strings.Builder
		title.WriteString(t.time(b.Start))
		for _, p := range parts(b) {
			title.WriteString(", " + p.class + " " + itoa64(p.n))
		}
		for _, p := range parts(b) {
			if p.n == 0 || peak == 0 {
				continue
			}
			h := float64(chartHeight) * float64(p.n) / float64(peak)
			y -= h
			t.rect(p.class, x0, y, w, h, title.String())
		}
	}
	t.label(chartLeft, chartTop+chartHeight+15, "start", t.time(start))
	t.label(chartLeft+chartWidth, chartTop+chartHeight+15, "end", t.time(end))
	t.buf = append(t.buf, "</svg>\n</figure>\n"...)
}

// hbar is a horizontal bar: a label and its stacked parts.
type hbar struct {
	label string
	parts []barPart
}

// hbarChart draws labelled horizontal bars.
func (t *textReport) hbarChart(caption string, bars []hbar) {
	const row, labelWidth = 18, 360
	var peak int64
	for _, b := range bars {
		var sum int64
		for _, p := range b.parts {
			sum += p.n
		}
		peak = max(peak, sum)
	}
	height := len(bars)*row + chartTop + 4
	t.figure(caption, labelWidth+chartWidth-200+chartRight, height)
	for i, b := range bars {
		y := float64(chartTop + i*row)
		t.label(labelWidth-6, int(y)+12, "end", b.label)
		x := float64(labelWidth)
		var sum int64
		for _, p := range b.parts {
			sum += p.n
		}
		for _, p := range b.parts {
			if p.n <= 0 || peak == 0 {
				continue
			}
			w := float64(chartWidth-200-40) * float64(p.n) / float64(peak)
			t.rect(p.class, x, y+2, w, row-4, b.label+": "+p.class+" "+itoa64(p.n))
			x += w
		}
		t.label(int(x)+4, int(y)+12, "start", itoa64(sum))
	}
	t.buf = append(t.buf, "</svg>\n</figure>\n"...)
}

func (t *textReport) figure(caption string, w, h int) {
	t.buf = append(t.buf, "<figure>\n<figcaption>"...)
	t.buf = appendHTML(t.buf, caption)
	t.buf = append(t.buf, "</figcaption>\n<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\""...)
	t.buf = strconv.AppendInt(t.buf, int64(w), 10)
	t.buf = append(t.buf, `" height="`...)
	t.buf = strconv.AppendInt(t.buf, int64(h), 10)
	t.buf = append(t.buf, `" viewBox="0 0 `...)
	t.buf = strconv.AppendInt(t.buf, int64(w), 10)
	t.buf = append(t.buf, ' ')
	t.buf = strconv.AppendInt(t.buf, int64(h), 10)
	t.buf = append(t.buf, `" aria-label="`...)
	t.buf = appendHTML(t.buf, caption)
	t.buf = append(t.buf, "\">\n"...)
}

// axis draws the vertical axis of a time chart, up to peak.
func (t *textReport) axis(peak int64, unit string) {
	t.buf = append(t.buf, `<line x1="`+strconv.Itoa(chartLeft)+`" y1="`+strconv.Itoa(chartTop)+`" x2="`+strconv.Itoa(chartLeft)+
		`" y2="`+strconv.Itoa(chartTop+chartHeight)+`" stroke="#9aa3ab"/>`+"\n"...)
	t.label(chartLeft-4, chartTop+10, "end", itoa64(peak))
	t.label(chartLeft-4, chartTop+chartHeight, "end", "0")
	t.label(chartLeft-4, chartTop+chartHeight/2, "end", unit)
}

func (t *textReport) rect(class string, x, y, w, h float64, title string) {
	t.buf = append(t.buf, `<rect class="`+class+`" x="`...)
	t.buf = strconv.AppendFloat(t.buf, x, 'f', 2, 64)
	t.buf = append(t.buf, `" y="`...)
	t.buf = strconv.AppendFloat(t.buf, y, 'f', 2, 64)
	t.buf = append(t.buf, `" width="`...)
	t.buf = strconv.AppendFloat(t.buf, w, 'f', 2, 64)
	t.buf = append(t.buf, `" height="`...)
	t.buf = strconv.AppendFloat(t.buf, h, 'f', 2, 64)
	t.buf = append(t.buf, `"><title>`...)
	t.buf = appendHTML(t.buf, title)
	t.buf = append(t.buf, "</title></rect>\n"...)
}

func (t *textReport) label(x, y int, anchor, s string) {
	if utf8.RuneCountInString(s) > 64 {
		s = string([]rune(s)[:63]) + "…"
	}
	t.buf = append(t.buf, `<text x="`+strconv.Itoa(x)+`" y="`+strconv.Itoa(y)+`" text-anchor="`+anchor+`">`...)
	t.buf = appendHTML(t.buf, s)
	t.buf = append(t.buf, "</text>\n"...)
}
