package main

// The command line: one table of flags, Flags, from which parsing,
// --help and (through generators that walk the table) the man page and
// the shell completions are made, so that they cannot drift apart.
//
// Parsing follows getopt_long, as users of grep and tail expect:
// grouped short flags (-rf), a short flag's value attached or next
// (-ojson, -o json, -n5), --long=value or --long value, flags before,
// between and after the files, and "--" to end them. Errors name a flag
// the way it was typed (--year, -n), so the user finds it in the
// command line.

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/annotate/report"
	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Flag is one command-line option, a row of Flags.
type Flag struct {
	Long    string   // the name after "--"
	Short   byte     // the letter after "-"; 0 when there is none
	Aliases []string // further long names accepted ("colour"); not shown in help

	// Arg names the value in help ("FORMAT"); "" for a switch, which
	// takes none.
	Arg string
	// Bare, when set, makes the value optional, as GNU grep's --color:
	// the long flag alone means Bare. A value then follows "=", or is
	// the next argument only when it is one of Values, so that
	// "--color kern.log" reads kern.log.
	Bare string
	// Values are the words a shell offers for the value, and, with
	// Complete == CompleteValues, the only ones accepted.
	Values []string
	// List: the value is a comma-separated list of items.
	List bool
	// Complete says how a shell completes the value.
	Complete Completion
	// Repeat: the flag may be given again, each value adding to a list
	// (--registry); otherwise the last one wins.
	Repeat bool
	// Default is the value when the flag is not given, as shown in
	// help; "" when there is nothing worth showing.
	Default string
	// Help is one paragraph, wrapped when printed.
	Help string
	// Section is the Name of the FlagSection the flag is listed under.
	Section string

	// set applies the flag's value (for a switch, "") to o; its error
	// says what is wrong with the value, and the parser adds the flag's
	// name as typed.
	set func(o *options, value string) error
}

// Completion is how a shell completes a flag's value.
type Completion uint8

const (
	CompleteNone      Completion = iota // a number, a duration or free text: nothing to offer
	CompleteValues                      // one of Flag.Values (items of them when List)
	CompleteFiles                       // file names
	CompleteProtocols                   // protocol names (Flag.Values) or numbers
	CompleteServices                    // port numbers, ranges or service names from the registry
	CompleteZones                       // IANA time zone names (tzdata)
)

// FlagSection is a heading in help and the man page.
type FlagSection struct {
	Name string // the heading
	Note string // said after the heading, in parentheses; may be ""
}

// FlagSections are the headings of Flags, in the order they are shown.
var FlagSections = []FlagSection{
	{Name: "Output"},
	{Name: "Selecting lines", Note: "exit status 1 when nothing is selected"},
	{Name: "Input"},
	{Name: "Registry"},
	{Name: "Reports"},
	{Name: "Information"},
}

// Flags is every flag portnote takes, in the order help lists them.
var Flags = []Flag{
	{
		Long: "output", Short: 'o', Arg: "FORMAT", Values: []string{"text", "json"}, Complete: CompleteValues,
		Default: "text", Section: "Output",
		Help: "text writes each line with its annotation; json writes one ECS object per line",
		set: func(o *options, v string) error {
			if v != "text" && v != "json" {
				return fmt.Errorf("unknown output format %q (want text or json)", v)
			}
			o.output = v
			return nil
		},
	},
	{
		Long: "color", Aliases: []string{"colour"}, Arg: "WHEN", Bare: "auto",
		Values: []string{"auto", "always", "never"}, Complete: CompleteValues,
		Default: "auto", Section: "Output",
		Help: "colour the annotation: always, never, or auto, on a terminal when NO_COLOR is unset " +
			"and TERM is not dumb; --color alone means auto",
		set: func(o *options, v string) error {
			switch v {
			case "auto", "always", "never":
				o.color = v
				return nil
			}
			return fmt.Errorf("want auto, always or never, not %q", v)
		},
	},
	{
		Long: "with-filename", Short: 'H', Section: "Output",
		Help: "begin each line with the name of its file and a colon, as grep -H does " +
			"(\"(standard input)\" for a pipe); in JSON, log.file.path",
		set: func(o *options, _ string) error { o.withFilename = true; return nil },
	},
	{
		Long: "explain", Section: "Output",
		Help: "show what each parser made of each line",
		set:  func(o *options, _ string) error { o.explain = true; return nil },
	},
	{
		Long: "stats", Section: "Output",
		Help: "print line and record counts on stderr at exit, and where the first unparsed lines are; " +
			"SIGUSR1 prints the counts so far when no report is kept",
		set: func(o *options, _ string) error { o.stats = true; return nil },
	},

	{
		Long: "abused", Section: "Selecting lines",
		Help: "records to commonly abused ports or from amplification reflectors",
		set:  func(o *options, _ string) error { o.abused = true; return nil },
	},
	{
		Long: "port", Arg: "LIST", List: true, Complete: CompleteServices, Section: "Selecting lines",
		Help: "destination ports, ranges or service names, on any transport or one " +
			"(22,23/tcp,6660-6669,ssh); a name means all its ports and transports",
		set: func(o *options, v string) error { o.ports = v; return nil },
	},
	{
		Long: "proto", Arg: "LIST", List: true, Values: protocolWords(), Complete: CompleteProtocols,
		Section: "Selecting lines",
		Help:    "protocols: tcp,udp,icmp,gre or numbers",
		set: func(o *options, v string) (err error) {
			o.protos, err = annotate.ParseProtoList(v)
			return err
		},
	},
	{
		Long: "class", Arg: "LIST", List: true, Values: classWords(), Complete: CompleteValues,
		Section: "Selecting lines",
		Help:    "range classes of the destination port: well-known, registered, dynamic",
		set: func(o *options, v string) (err error) {
			o.classes, err = annotate.ParseClassList(v)
			return err
		},
	},
	{
		Long: "src", Arg: "LIST", List: true, Section: "Selecting lines",
		Help: "source addresses or prefixes, IPv4 or IPv6: 192.0.2.7,198.51.100.0/24,2001:db8::/32",
		set: func(o *options, v string) (err error) {
			o.src, err = annotate.ParseAddrList(v)
			return err
		},
	},
	{
		Long: "dst", Arg: "LIST", List: true, Section: "Selecting lines",
		Help: "destination addresses or prefixes, as --src",
		set: func(o *options, v string) (err error) {
			o.dst, err = annotate.ParseAddrList(v)
			return err
		},
	},
	{
		Long: "action", Arg: "LIST", List: true, Values: annotate.ActionNames(), Complete: CompleteValues,
		Section: "Selecting lines",
		Help: "verdicts: " + strings.Join(annotate.ActionNames(), ", ") +
			" (drop and deny mean block; accept, allow and permit mean pass)",
		set: func(o *options, v string) (err error) {
			o.actions, err = annotate.ParseActionList(v)
			return err
		},
	},
	{
		Long: "severity", Arg: "LEVEL", Values: severityWords(), Complete: CompleteValues,
		Section: "Selecting lines",
		Help: "abused records of at least this severity: medium keeps medium and high (" +
			strings.Join(severityWords(), ", ") + ")",
		set: func(o *options, v string) error {
			s, ok := registry.ParseSeverity(strings.ToLower(v))
			if !ok {
				return fmt.Errorf("unknown severity %q (want %s)", v, orList(severityWords()))
			}
			o.minSeverity = s
			return nil
		},
	},
	{
		Long: "category", Arg: "LIST", List: true, Values: annotate.CategoryNames(), Complete: CompleteValues,
		Section: "Selecting lines",
		Help:    "abused records of these catalogue categories: " + strings.Join(annotate.CategoryNames(), ", "),
		set: func(o *options, v string) (err error) {
			o.categories, err = annotate.ParseCategoryList(v)
			return err
		},
	},
	{
		Long: "records", Short: 'r', Section: "Selecting lines",
		Help: "firewall records only",
		set:  func(o *options, _ string) error { o.records = true; return nil },
	},

	{
		Long: "follow", Short: 'f', Section: "Input",
		Help: "follow FILEs by name like tail -F",
		set:  func(o *options, _ string) error { o.follow = true; return nil },
	},
	{
		Long: "lines", Short: 'n', Arg: "N", Section: "Input",
		Help: "start with the last N lines of each file, as tail does (with -f: default 10); " +
			"+N starts at line N (+1: the whole file)",
		set: (*options).setLines,
	},
	{
		Long: "format", Arg: "NAME", Values: formatWords(), Complete: CompleteValues, Section: "Input",
		Help: "only try this format: " + strings.Join(formatWords(), ", "),
		set: func(o *options, v string) error {
			f, ok := parsers.ParseFormat(v)
			if !ok {
				return fmt.Errorf("unknown format %q (want %s)", v, orList(formatWords()))
			}
			o.format = f
			return nil
		},
	},
	{
		Long: "tz", Arg: "ZONE", Complete: CompleteZones, Default: "Local", Section: "Input",
		Help: "time zone of timestamps without one",
		set: func(o *options, v string) error {
			loc, err := time.LoadLocation(v)
			if err != nil || v == "" {
				return fmt.Errorf("unknown time zone %q", v)
			}
			o.tz = loc
			return nil
		},
	},
	{
		Long: "year", Arg: "YYYY", Section: "Input",
		Help: "year of RFC 3164 timestamps, which have none (default: inferred)",
		set: func(o *options, v string) error {
			y, err := strconv.Atoi(v)
			if err != nil || y < minYear || y > maxYear {
				return fmt.Errorf("%q is not a year from %d to %d", v, minYear, maxYear)
			}
			o.year = y
			return nil
		},
	},
	{
		Long: "no-progress", Section: "Input",
		Help: "never show the progress bar (on a terminal stderr while files are read and no lines go to the terminal)",
		set:  func(o *options, _ string) error { o.noProgress = true; return nil },
	},

	{
		Long: "registry", Arg: "FILE", Complete: CompleteFiles, Repeat: true, Section: "Registry",
		Help: "site overrides or a services(5) file; repeatable, read after " +
			"/etc/portnote/registry and ~/.config/portnote/registry",
		set: func(o *options, v string) error { o.registries = append(o.registries, v); return nil },
	},
	{
		Long: "lookup", Arg: "SPEC,...", List: true, Complete: CompleteServices, Section: "Registry",
		Help: "print what the registry says about PORT, LOW-HIGH or a service NAME, each " +
			"optionally /PROTO (22, 6660-6669/tcp, ssh), then exit",
		set: func(o *options, v string) error { o.lookup = v; return nil },
	},

	{
		Long: "summary", Section: "Reports",
		Help: "print a report on stderr when input ends, and on SIGUSR1",
		set:  func(o *options, _ string) error { o.summary = true; return nil },
	},
	{
		Long: "summary-only", Section: "Reports",
		Help: "print the report on stdout instead of the lines",
		set:  func(o *options, _ string) error { o.summaryOnly = true; return nil },
	},
	{
		Long: "summary-every", Arg: "D", Section: "Reports",
		Help: "also print it every D (e.g. 10m); alone, it implies --summary",
		set: func(o *options, v string) (err error) {
			o.summaryEvery, err = positiveDuration(v)
			return err
		},
	},
	{
		Long: "top", Arg: "N", Default: "20", Section: "Reports",
		Help: "ports in the report",
		set: func(o *options, v string) (err error) {
			o.top, err = atLeast(v, 1)
			return err
		},
	},
	{
		Long: "scan-ports", Arg: "K", Default: "15", Section: "Reports",
		Help: "distinct destination ports that make a scanner",
		set: func(o *options, v string) (err error) {
			o.scanPorts, err = atLeast(v, 2)
			return err
		},
	},
	{
		Long: "scan-window", Arg: "D", Default: "60s", Section: "Reports",
		Help: "within this much log time",
		set: func(o *options, v string) (err error) {
			o.scanWindow, err = positiveDuration(v)
			return err
		},
	},
	{
		Long: "sweep-hosts", Arg: "K", Default: "16", Section: "Reports",
		Help: "home hosts on one port that make a sweep, within the scan window",
		set: func(o *options, v string) (err error) {
			o.sweepHosts, err = atLeast(v, 2)
			return err
		},
	},
	{
		Long: "home-net", Arg: "LIST", List: true, Section: "Reports",
		Help: "home networks, addresses or prefixes (default " + strings.ReplaceAll(report.DefaultHomeNet, ",", ", ") +
			"); the destination of an inbound record and the source of an outbound one are home hosts too",
		set: func(o *options, v string) (err error) {
			o.homeNet, err = annotate.ParseAddrList(v)
			return err
		},
	},
	{
		Long: "baseline", Arg: "FILE", Complete: CompleteFiles, Section: "Reports",
		Help: "listeners seen before: the report and events show only new ones; written with what this run saw when FILE does not exist",
		set:  func(o *options, v string) error { o.baseline = v; return nonEmpty(v) },
	},
	{
		Long: "baseline-update", Section: "Reports",
		Help: "add the new listeners to the --baseline FILE",
		set:  func(o *options, _ string) error { o.baselineUpdate = true; return nil },
	},
	{
		Long: "events", Arg: "FILE", Complete: CompleteFiles, Section: "Reports",
		Help: "append one ECS JSON line per detection to FILE as soon as it is made; - is stderr",
		set:  func(o *options, v string) error { o.events = v; return nonEmpty(v) },
	},
	{
		Long: "summary-format", Arg: "FORMAT", Values: []string{"text", "json", "html"}, Complete: CompleteValues, Section: "Reports",
		Help: "the report's form: text, json (the default with -o json) or html (a page with charts, for --summary-file)",
		set:  func(o *options, v string) error { o.summaryFormat = v; return nil },
	},
	{
		Long: "summary-file", Arg: "FILE", Complete: CompleteFiles, Section: "Reports",
		Help: "write the report to FILE, replaced whole at every report, instead of stderr",
		set:  func(o *options, v string) error { o.summaryFile = v; return nonEmpty(v) },
	},

	{
		Long: "version", Short: 'V', Section: "Information",
		Help: "print the version",
		set:  func(o *options, _ string) error { o.version = true; return nil },
	},
	{
		Long: "completion", Arg: "SHELL", Values: completionShells(), Complete: CompleteValues, Section: "Information",
		Help: "print the completion script for bash, zsh or fish, then exit: " +
			"source <(portnote --completion bash)",
		set: func(o *options, v string) error {
			if !slices.Contains(completionShells(), v) {
				return fmt.Errorf("no completion for %q (want %s)", v, orList(completionShells()))
			}
			o.completion = v
			return nil
		},
	},
	{
		Long: "help", Short: 'h', Section: "Information",
		Help: "print this help",
		set:  func(o *options, _ string) error { o.help = true; return nil },
	},
}

// RFC 3164 dates are from syslog's time; a two-digit "year" is a typo.
const minYear, maxYear = 1970, 9999

// options are the parsed command line.
type options struct {
	output       string
	color        string
	withFilename bool
	explain      bool
	stats        bool

	abused  bool
	ports   string // resolved against the registry, which --registry changes
	protos  *annotate.ProtoSet
	classes annotate.ClassSet
	records bool

	src, dst    *annotate.AddrSet
	actions     annotate.ActionSet
	minSeverity registry.Severity
	categories  annotate.CategorySet

	follow     bool
	lines      lineStart
	format     parsers.Format
	tz         *time.Location // nil: time.Local
	year       int            // 0: inferred
	noProgress bool

	registries []string
	lookup     string

	summary      bool
	summaryOnly  bool
	summaryEvery time.Duration
	top          int
	scanPorts    int
	scanWindow   time.Duration
	sweepHosts   int
	homeNet      *annotate.AddrSet // nil: the report's default

	baseline       string
	baselineUpdate bool
	events         string
	summaryFormat  string // "": text, or json with -o json
	summaryFile    string

	version    bool
	help       bool
	completion string // a shell name: print its completion script

	files []string

	// typed remembers how each flag given was spelled ("-n", "--lines"),
	// by long name, so that later errors name it that way.
	typed map[string]string
}

// lineStart is -n: the last N lines, or (fromLine) line N onwards.
type lineStart struct {
	given    bool
	n        int
	fromLine bool
}

func (o *options) setLines(v string) error {
	from, plus := strings.CutPrefix(v, "+")
	n, err := strconv.Atoi(from)
	if err != nil || n < 0 || from == "" || from[0] == '+' || from[0] == '-' {
		return fmt.Errorf("want a number of lines or +LINE, not %q", v)
	}
	if plus && n == 0 {
		n = 1 // as tail: +0 is the first line too
	}
	o.lines = lineStart{given: true, n: n, fromLine: plus}
	return nil
}

// usageError is a mistake on the command line: exit status 2 and a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// flagNamed returns the row of the long name or alias name, or nil.
func flagNamed(name string) *Flag {
	for i := range Flags {
		if f := &Flags[i]; f.Long == name || slices.Contains(f.Aliases, name) {
			return f
		}
	}
	return nil
}

// flagLetter returns the row of the short name c, or nil.
func flagLetter(c byte) *Flag {
	for i := range Flags {
		if Flags[i].Short == c {
			return &Flags[i]
		}
	}
	return nil
}

func parseFlags(args []string) (*options, error) {
	o := &options{
		output: "text", color: "auto", top: 20, scanPorts: 15, scanWindow: time.Minute, sweepHosts: 16,
		typed: make(map[string]string),
	}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			o.files = append(o.files, args[i+1:]...)
			return o, o.check()
		case strings.HasPrefix(arg, "--"):
			name, value, hasValue := strings.Cut(arg[2:], "=")
			typed := "--" + name
			f := flagNamed(name)
			switch {
			case f == nil:
				return nil, usageErrorf("unknown flag %s", typed)
			case f.Arg == "" && hasValue:
				return nil, usageErrorf("%s takes no value", typed)
			case f.Arg == "" || hasValue:
			case f.Bare != "":
				value = f.Bare
				if i+1 < len(args) && slices.Contains(f.Values, args[i+1]) {
					i++
					value = args[i]
				}
			case i+1 < len(args):
				i++
				value = args[i]
			default:
				return nil, usageErrorf("%s needs a value", typed)
			}
			if err := o.apply(f, typed, value); err != nil {
				return nil, err
			}
		case len(arg) > 1 && arg[0] == '-':
			// A group of short flags; a flag that takes a value takes
			// the rest of the group, or else the next argument.
			for k := 1; k < len(arg); k++ {
				typed := "-" + arg[k:k+1]
				f := flagLetter(arg[k])
				if f == nil {
					return nil, unknownShort(arg, typed)
				}
				if f.Arg == "" {
					if err := o.apply(f, typed, ""); err != nil {
						return nil, err
					}
					continue
				}
				value := arg[k+1:]
				if value == "" {
					if i+1 == len(args) {
						return nil, usageErrorf("%s needs a value", typed)
					}
					i++
					value = args[i]
				}
				if err := o.apply(f, typed, value); err != nil {
					return nil, err
				}
				break
			}
		default:
			o.files = append(o.files, arg) // "-" among them: standard input
		}
	}
	return o, o.check()
}

// apply sets one flag, naming it as typed in any error.
func (o *options) apply(f *Flag, typed, value string) error {
	o.typed[f.Long] = typed
	if f.Arg != "" && value == "" {
		// An empty list would select nothing, or everything, without
		// a word.
		return usageErrorf("%s needs a value", typed)
	}
	if err := f.set(o, value); err != nil {
		return usageErrorf("%s: %v", typed, err)
	}
	return nil
}

// unknownShort words an unknown letter in a group, with a hint when
// the group is a long flag typed with one dash ("-records").
func unknownShort(group, typed string) error {
	name, _, _ := strings.Cut(group[1:], "=")
	if len(group) > 2 && flagNamed(name) != nil {
		return usageErrorf("unknown flag %s in %s: did you mean -%s?", typed, group, group)
	}
	if len(group) > 2 {
		return usageErrorf("unknown flag %s in %s", typed, group)
	}
	return usageErrorf("unknown flag %s", typed)
}

// flag returns how the flag with this long name was typed, or its long
// form when it was not given.
func (o *options) flag(long string) string {
	if t, ok := o.typed[long]; ok {
		return t
	}
	return "--" + long
}

// check rejects combinations that cannot work.
func (o *options) check() error {
	if o.explain && o.output == "json" {
		return usageErrorf("%s writes text: drop %s json", o.flag("explain"), o.flag("output"))
	}
	if o.lookup != "" && len(o.files) > 0 {
		return usageErrorf("%s takes no FILE: did you mean to annotate %s instead?", o.flag("lookup"), o.files[0])
	}
	if o.follow {
		if len(o.files) == 0 || slices.Contains(o.files, "-") {
			return usageErrorf("%s follows files by name; for standard input use a pipe: tail -f FILE | portnote", o.flag("follow"))
		}
	}
	if o.baselineUpdate && o.baseline == "" {
		return usageErrorf("%s needs %s FILE", o.flag("baseline-update"), "--baseline")
	}
	if o.summaryFormat == "html" && o.summaryFile == "" && !o.summaryOnly {
		return usageErrorf("%s html makes a page for a browser: add --summary-file FILE, or --summary-only to write it on standard output",
			o.flag("summary-format"))
	}
	if o.summaryFile != "" && o.summaryOnly {
		return usageErrorf("%s and %s both say where the report goes: choose one", o.flag("summary-file"), o.flag("summary-only"))
	}
	return nil
}

// nonEmpty refuses an empty FILE.
func nonEmpty(v string) error {
	if v == "" {
		return errors.New("needs a file name")
	}
	return nil
}

// selectionSet reports whether any line-selection flag was given.
func (o *options) selectionSet() bool {
	return o.abused || o.ports != "" || o.protos != nil || o.classes != 0 || o.records ||
		o.src != nil || o.dst != nil || o.actions != 0 || o.minSeverity != 0 || o.categories != 0
}

func atLeast(v string, low int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", v)
	}
	if n < low {
		return 0, fmt.Errorf("must be at least %d, not %d", low, n)
	}
	return n, nil
}

func positiveDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 90s or 10m", v)
	}
	if d <= 0 {
		return 0, fmt.Errorf("must be positive, not %s", v)
	}
	return d, nil
}

// formatWords are the names --format takes.
func formatWords() []string {
	var names []string
	for f := parsers.FormatUnknown + 1; f < parsers.FormatCount; f++ {
		names = append(names, f.String())
	}
	return names
}

// classWords are the names --class takes.
func classWords() []string {
	return []string{registry.WellKnown.String(), registry.Registered.String(), registry.Dynamic.String()}
}

// severityWords are the names --severity takes, lowest first.
func severityWords() []string {
	var names []string
	for s := registry.Info; s <= registry.High; s++ {
		names = append(names, s.String())
	}
	return names
}

// protocolWords are the protocol names a shell offers for --proto; any
// name from /etc/protocols, and numbers, are accepted too.
func protocolWords() []string {
	var names []string
	for _, p := range []parsers.Protocol{
		parsers.ProtoTCP, parsers.ProtoUDP, parsers.ProtoICMP, parsers.ProtoICMPv6, parsers.ProtoSCTP,
		parsers.ProtoDCCP, parsers.ProtoUDPLite, parsers.ProtoGRE, parsers.ProtoESP, parsers.ProtoAH, parsers.ProtoIGMP,
	} {
		names = append(names, p.Name())
	}
	return names
}

// orList writes "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
