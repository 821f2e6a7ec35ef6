package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

const usage = `Usage: portnote [flags] [FILE...]

Annotates firewall log lines (iptables/nftables, pf, pfSense/OPNsense
filterlog, in any syslog envelope) with the destination port's IANA
service, range class and, when the port is commonly abused, why. Every
line is written out; other lines pass through untouched. With no FILE,
or FILE "-", reads standard input. Compressed files are read as is.

Examples:
  tail -f /var/log/kern.log | portnote
  portnote /var/log/kern.log.*.gz --summary
  portnote -f /var/log/filter.log --abused
  portnote -o json /var/log/ufw.log | jq 'select(.portnote.abused)'
  portnote --lookup 23,514,31337/udp,6660-6669/tcp

Output:
  -o, --output FORMAT     text (default) or json (one ECS object per line)
      --color WHEN        auto (default), always or never
      --explain           show what each parser made of each line
      --stats             print line and record counts on stderr at exit

Selecting lines (exit status 1 when nothing is selected):
      --abused            records to commonly abused ports or from reflectors
      --port LIST         destination ports: 22,23,2323,6660-6669
      --proto LIST        protocols: tcp,udp,icmp,gre or numbers
      --class LIST        well-known, registered, dynamic
  -r, --records           firewall records only

Input:
  -f, --follow            follow FILEs by name like tail -F
  -n, --lines N           with -f, start with the last N lines (default 10);
                          +N starts at line N (+1: the whole file)
      --format NAME       only try this format: netfilter, pf, filterlog
      --tz ZONE           time zone of timestamps without one (default Local)
      --year YYYY         year of RFC 3164 timestamps (default: inferred)
      --no-progress       never show a progress bar

Registry:
      --registry FILE     site overrides or a services(5) file; repeatable,
                          read after ~/.config/portnote/registry and
                          /etc/portnote/registry
      --lookup SPEC,...   print what the registry says about PORT,
                          PORT/PROTO or LOW-HIGH[/PROTO], then exit

Reports:
      --summary           print a report on stderr when input ends
      --summary-only      print the report on stdout instead of the lines
      --summary-every D   also print it every D (e.g. 10m)
      --top N             ports in the report (default 20)
      --scan-ports K      distinct ports that make a scanner (default 15)
      --scan-window D     within this much log time (default 60s)

  -V, --version           print the version
  -h, --help              print this help
`

// options are the parsed command line.
type options struct {
	output  string
	color   string
	explain bool
	stats   bool

	abused  bool
	ports   string
	protos  string
	classes string
	records bool

	follow     bool
	lines      string
	format     string
	tz         string
	year       int
	noProgress bool

	registries []string
	lookup     string

	summary      bool
	summaryOnly  bool
	summaryEvery time.Duration
	top          int
	scanPorts    int
	scanWindow   time.Duration

	version bool
	help    bool

	files []string
}

// usageError is a mistake on the command line: exit status 2 and a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

func parseFlags(args []string) (*options, error) {
	o := &options{output: "text", color: "auto", lines: "10", top: 20, scanPorts: 15, scanWindow: time.Minute}
	fs := flag.NewFlagSet("portnote", flag.ContinueOnError)
	fs.SetOutput(io.Discard)

	both := func(short, long string, set func(name string)) {
		if short != "" {
			set(short)
		}
		set(long)
	}
	str := func(p *string, short, long string) {
		both(short, long, func(n string) { fs.StringVar(p, n, *p, "") })
	}
	boolean := func(p *bool, short, long string) {
		both(short, long, func(n string) { fs.BoolVar(p, n, *p, "") })
	}
	str(&o.output, "o", "output")
	str(&o.color, "", "color")
	str(&o.color, "", "colour")
	boolean(&o.explain, "", "explain")
	boolean(&o.stats, "", "stats")
	boolean(&o.abused, "", "abused")
	str(&o.ports, "", "port")
	str(&o.protos, "", "proto")
	str(&o.classes, "", "class")
	boolean(&o.records, "r", "records")
	boolean(&o.follow, "f", "follow")
	str(&o.lines, "n", "lines")
	str(&o.format, "", "format")
	str(&o.tz, "", "tz")
	fs.IntVar(&o.year, "year", 0, "")
	boolean(&o.noProgress, "", "no-progress")
	fs.Var((*stringList)(&o.registries), "registry", "")
	str(&o.lookup, "", "lookup")
	boolean(&o.summary, "", "summary")
	boolean(&o.summaryOnly, "", "summary-only")
	fs.DurationVar(&o.summaryEvery, "summary-every", 0, "")
	fs.IntVar(&o.top, "top", o.top, "")
	fs.IntVar(&o.scanPorts, "scan-ports", o.scanPorts, "")
	fs.DurationVar(&o.scanWindow, "scan-window", o.scanWindow, "")
	boolean(&o.version, "V", "version")
	boolean(&o.help, "h", "help")

	// The standard flag package stops at the first operand; portnote
	// takes flags anywhere ("portnote kern.log.*.gz --summary"), so
	// parse again after each operand. "--" ends the flags for good.
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				o.help = true
				return o, nil
			}
			return nil, &usageError{flagMessage(err)}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			o.files = append(o.files, rest...)
			break
		}
		o.files = append(o.files, rest[0])
		args = rest[1:]
	}
	// An empty list would select nothing, or everything, without a word.
	var empty error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "port", "proto", "class", "format":
			if empty == nil && f.Value.String() == "" {
				empty = &usageError{"--" + f.Name + " needs a value"}
			}
		}
	})
	if empty != nil {
		return nil, empty
	}
	return o, o.check()
}

// flagMessage rewords the flag package's errors in portnote's style.
func flagMessage(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "unknown flag " + name
	}
	return msg
}

// check rejects values and combinations that cannot work.
func (o *options) check() error {
	switch o.output {
	case "text", "json":
	default:
		return &usageError{fmt.Sprintf("unknown output format %q (want text or json)", o.output)}
	}
	switch o.color {
	case "auto", "always", "never":
	default:
		return &usageError{fmt.Sprintf("--color must be auto, always or never, not %q", o.color)}
	}
	if o.explain && o.output == "json" {
		return &usageError{"--explain writes text: drop -o json"}
	}
	if o.lookup != "" && len(o.files) > 0 {
		return &usageError{"--lookup takes no FILE: did you mean to annotate " + o.files[0] + " instead?"}
	}
	if o.follow {
		if len(o.files) == 0 || slices.Contains(o.files, "-") {
			return &usageError{"-f follows files by name; for standard input use a pipe: tail -f FILE | portnote"}
		}
		n := strings.TrimPrefix(o.lines, "+")
		if v, err := strconv.Atoi(n); err != nil || v < 0 {
			return &usageError{fmt.Sprintf("-n wants a number of lines or +LINE, not %q", o.lines)}
		}
	}
	if o.year < 0 || o.year > 9999 {
		return &usageError{fmt.Sprintf("--year %d is out of range", o.year)}
	}
	if o.top < 1 {
		return &usageError{"--top must be at least 1"}
	}
	if o.scanPorts < 2 {
		return &usageError{"--scan-ports must be at least 2"}
	}
	if o.summaryEvery < 0 || o.scanWindow <= 0 {
		return &usageError{"durations must be positive"}
	}
	return nil
}

// selectionSet reports whether any line-selection flag was given.
func (o *options) selectionSet() bool {
	return o.abused || o.ports != "" || o.protos != "" || o.classes != "" || o.records
}
