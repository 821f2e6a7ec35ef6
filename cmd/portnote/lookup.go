package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/fatih/color"

	"github.com/portnote/portnote/registry"
)

// defaultRegistries are read, when they exist, before any --registry
// file: the system's rules first, then the user's, so the user wins.
func defaultRegistries() []string {
	files := []string{"/etc/portnote/registry"}
	if dir, err := os.UserConfigDir(); err == nil {
		files = append(files, filepath.Join(dir, "portnote", "registry"))
	}
	return files
}

// loadRegistry layers the default override files, then the --registry
// files in order, over the built-in table. A default file is read if it
// exists: one that cannot be read (a permission, a directory in its
// place) is passed to warn and skipped, since it would otherwise stop
// every run; a bad line in it is an error, as in any rules file.
func loadRegistry(explicit []string, warn func(error)) (*registry.Registry, error) {
	reg := registry.Default()
	load := func(name string) error {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		reg, err = reg.Load(name, f)
		return err
	}
	for _, name := range defaultRegistries() {
		err := load(name)
		var le *registry.LoadError
		switch {
		case err == nil, errors.Is(err, fs.ErrNotExist):
		case errors.As(err, &le) && le.Line > 0:
			return nil, err
		default:
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			warn(fmt.Errorf("%s: %w; skipped", name, err))
		}
	}
	for _, name := range explicit {
		if err := load(name); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

// lookupSpec is one item of --lookup: a port range and, optionally, a
// transport.
type lookupSpec struct {
	low, high uint16
	transport registry.Transport // 0: every transport the registry knows
}

func parseLookup(list string) ([]lookupSpec, error) {
	var specs []lookupSpec
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		var s lookupSpec
		ports, proto, hasProto := strings.Cut(item, "/")
		if hasProto {
			t, ok := registry.ParseTransport(proto)
			if !ok {
				return nil, &usageError{fmt.Sprintf("--lookup %s: unknown transport %q (want tcp, udp, sctp or dccp)", item, proto)}
			}
			s.transport = t
		}
		lo, hi, isRange := strings.Cut(ports, "-")
		l, err := strconv.ParseUint(lo, 10, 16)
		if err != nil {
			return nil, &usageError{fmt.Sprintf("--lookup %s: %q is not a port number (0-65535)", item, lo)}
		}
		h := l
		if isRange {
			if h, err = strconv.ParseUint(hi, 10, 16); err != nil || h < l {
				return nil, &usageError{fmt.Sprintf("--lookup %s: bad port range", item)}
			}
		}
		s.low, s.high = uint16(l), uint16(h)
		specs = append(specs, s)
	}
	return specs, nil
}

// lookup prints the registry's entries for a --lookup list: a table for
// people, or one JSON object per (port, transport) line.
func lookup(w io.Writer, reg *registry.Registry, list string, asJSON, colored bool) error {
	specs, err := parseLookup(list)
	if err != nil {
		return err
	}
	var colors struct{ start, reset []byte }
	if colored {
		colors.start, colors.reset = escapes(color.FgRed)
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var buf []byte
	if !asJSON {
		fmt.Fprintln(tw, "PORT\tSERVICE\tCLASS\tABUSED\tDESCRIPTION")
	}
	for _, s := range specs {
		for p := uint32(s.low); p <= uint32(s.high); p++ {
			port := uint16(p)
			transports := []registry.Transport{s.transport}
			if s.transport == 0 {
				transports = reg.Transports(port)
			}
			for _, t := range transports {
				e := reg.Lookup(port, t)
				if asJSON {
					if err := enc.Encode(newLookupJSON(&e)); err != nil {
						return err
					}
					continue
				}
				buf = appendLookupText(buf[:0], &e, colors.start, colors.reset)
				if _, err := tw.Write(buf); err != nil {
					return err
				}
			}
		}
	}
	if !asJSON {
		return tw.Flush()
	}
	return nil
}

// appendLookupText writes one row for tabwriter: port, names, class,
// abuse and description, and for an abused port a second row with the
// reason under the description.
func appendLookupText(b []byte, e *registry.Entry, start, reset []byte) []byte {
	b = strconv.AppendUint(b, uint64(e.Port), 10)
	b = append(b, '/')
	b = append(b, e.Transport.String()...)
	b = append(b, '\t')
	if e.Service == "" {
		b = append(b, "unassigned"...)
	} else {
		b = append(b, e.Service...)
		for _, a := range e.Aliases {
			b = append(b, ',')
			b = append(b, a...)
		}
	}
	b = append(b, '\t')
	b = append(b, e.Class.String()...)
	b = append(b, '\t')
	if ab := e.Abuse; ab != nil {
		// No colour inside a cell: tabwriter would count the escape
		// bytes as width. The reason, a last cell, carries it instead.
		b = append(b, ab.Category.String()...)
		b = append(b, '/')
		b = append(b, ab.Severity.String()...)
	} else {
		b = append(b, '-')
	}
	b = append(b, '\t')
	if e.Description == "" {
		b = append(b, '-')
	}
	b = append(b, e.Description...)
	b = append(b, '\n')
	if ab := e.Abuse; ab != nil {
		b = append(b, "\t\t\t\t"...)
		b = append(b, start...)
		b = append(b, ab.Label...)
		b = append(b, ": "...)
		b = append(b, ab.Reason...)
		b = append(b, reset...)
		b = append(b, '\n')
	}
	return b
}

// lookupJSON is the --lookup -o json object: exactly these keys, with
// service absent when unassigned and abuse only when abused.
type lookupJSON struct {
	Port        uint16     `json:"port"`
	Transport   string     `json:"transport"`
	Service     string     `json:"service,omitempty"`
	Description string     `json:"description"`
	Class       string     `json:"class"`
	Abused      bool       `json:"abused"`
	Abuse       *abuseJSON `json:"abuse,omitempty"`
}

type abuseJSON struct {
	Category string `json:"category"`
	Severity string `json:"severity"`
	Reason   string `json:"reason"`
}

func newLookupJSON(e *registry.Entry) lookupJSON {
	j := lookupJSON{
		Port:        e.Port,
		Transport:   e.Transport.String(),
		Service:     e.Service,
		Description: e.Description,
		Class:       e.Class.String(),
		Abused:      e.Abuse != nil,
	}
	if ab := e.Abuse; ab != nil {
		j.Abuse = &abuseJSON{Category: ab.Category.String(), Severity: ab.Severity.String(), Reason: ab.Reason}
	}
	return j
}
