package main

import (
	"strings"
)

// usageIntro opens --help; the flags follow, written from Flags.
const usageIntro = `Usage: portnote [flags] [FILE...]

Annotates firewall log lines (iptables/nftables, pf, pfSense/OPNsense
filterlog, Cisco ASA/FTD, in any syslog envelope) with the destination
port's IANA service, range class and, when the port is commonly abused,
why. Every line is written out; other lines pass through untouched. With
no FILE, or FILE "-", reads standard input. Compressed files are read as
is. Short flags group (-rf) and take their value attached or next
(-ojson, -o json); "--" ends the flags.

Examples:
  tail -f /var/log/kern.log | portnote
  portnote /var/log/kern.log.*.gz --summary
  portnote -f /var/log/filter.log --abused
  portnote -o json kern.log | jq 'select(.portnote | .abused or .reflection)'
  portnote --lookup 23,514,31337/udp,6660-6669/tcp
`

const (
	helpColumn = 26 // where flag descriptions start
	helpWidth  = 79
)

// usage is the text of --help.
func usage() string {
	var b strings.Builder
	b.WriteString(usageIntro)
	for _, s := range FlagSections {
		b.WriteString("\n")
		b.WriteString(s.Name)
		if s.Note != "" {
			b.WriteString(" (" + s.Note + ")")
		}
		b.WriteString(":\n")
		for i := range Flags {
			if f := &Flags[i]; f.Section == s.Name {
				writeFlagHelp(&b, f)
			}
		}
	}
	return b.String()
}

// FlagSynopsis is how help shows a flag: "-o, --output FORMAT",
// "--color[=WHEN]", "--stats".
func FlagSynopsis(f *Flag) string {
	s := ""
	if f.Short != 0 {
		s = "-" + string(f.Short) + ", "
	}
	s += "--" + f.Long
	switch {
	case f.Arg == "":
	case f.Bare != "":
		s += "[=" + f.Arg + "]"
	default:
		s += " " + f.Arg
	}
	return s
}

// FlagHelp is a flag's help paragraph with its default, if any.
func FlagHelp(f *Flag) string {
	if f.Default == "" {
		return f.Help
	}
	return f.Help + " (default " + f.Default + ")"
}

// writeFlagHelp writes one flag: its synopsis, then its help wrapped
// into a column.
func writeFlagHelp(b *strings.Builder, f *Flag) {
	left := "  " + FlagSynopsis(f)
	if f.Short == 0 {
		left = "      " + FlagSynopsis(f)
	}
	b.WriteString(left)
	col := len(left)
	if col > helpColumn-2 {
		b.WriteString("\n")
		col = 0
	}
	for i, line := range wrap(FlagHelp(f), helpWidth-helpColumn) {
		if i > 0 {
			b.WriteString("\n")
			col = 0
		}
		b.WriteString(strings.Repeat(" ", helpColumn-col))
		b.WriteString(line)
	}
	b.WriteString("\n")
}

// wrap breaks text into lines of at most width bytes, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(lines, line)
}
