package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

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

// lookup prints the registry's entries for a --lookup list: a table for
// people, or one JSON object per (port, transport) line. Nothing is kept
// from one entry to the next: a table's columns are as wide as their
// widest cell, which a first pass over the entries measures, so that
// "--lookup 0-65535" runs in the same memory as "--lookup 22".
func lookup(w io.Writer, reg *registry.Registry, specs []registry.PortRange, asJSON, colored bool) error {
	each := func(f func(e *registry.Entry) error) error {
		for _, s := range specs {
			for p := uint32(s.Low); p <= uint32(s.High); p++ {
				port := uint16(p)
				transports := []registry.Transport{s.Transport}
				if s.Transport == 0 {
					transports = reg.Transports(port)
				}
				for _, t := range transports {
					e := reg.Lookup(port, t)
					if err := f(&e); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	bw := bufio.NewWriter(w)
	if asJSON {
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		err := each(func(e *registry.Entry) error { return enc.Encode(newLookupJSON(e)) })
		if err != nil {
			return err
		}
		return bw.Flush()
	}

	var colors struct{ start, reset []byte }
	if colored {
		colors.start, colors.reset = escapes(color.FgRed)
	}
	header := lookupRow{"PORT", "SERVICE", "CLASS", "ABUSED"}
	var widths [len(header)]int
	header.measure(&widths)
	var row lookupRow
	each(func(e *registry.Entry) error {
		row.fill(e)
		row.measure(&widths)
		return nil
	})
	buf := header.appendTo(nil, &widths)
	bw.Write(append(buf, "DESCRIPTION\n"...))
	buf = buf[:0]
	err := each(func(e *registry.Entry) error {
		row.fill(e)
		buf = row.appendTo(buf, &widths)
		if e.Description == "" {
			buf = append(buf, '-')
		}
		buf = append(buf, e.Description...)
		buf = append(buf, '\n')
		if ab := e.Abuse; ab != nil {
			// The reason goes under the description, and carries the
			// colour: in a column, the escape bytes would count as width.
			buf = (&lookupRow{}).appendTo(buf, &widths)
			buf = append(buf, colors.start...)
			buf = append(buf, ab.Label...)
			buf = append(buf, ": "...)
			buf = append(buf, ab.Reason...)
			buf = append(buf, colors.reset...)
			buf = append(buf, '\n')
		}
		_, err := bw.Write(buf)
		buf = buf[:0]
		return err
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// lookupRow holds the cells of a table row before the description: port,
// names, class and abuse.
type lookupRow [4]string

func (r *lookupRow) fill(e *registry.Entry) {
	r[0] = strconv.Itoa(int(e.Port)) + "/" + e.Transport.String()
	r[1] = "unassigned"
	if e.Service != "" {
		r[1] = strings.Join(append([]string{e.Service}, e.Aliases...), ",")
	}
	r[2] = e.Class.String()
	r[3] = "-"
	if ab := e.Abuse; ab != nil {
		r[3] = ab.Category.String() + "/" + ab.Severity.String()
	}
}

// measure widens widths to hold r's cells.
func (r *lookupRow) measure(widths *[len(lookupRow{})]int) {
	for i, c := range r {
		widths[i] = max(widths[i], utf8.RuneCountInString(c))
	}
}

// appendTo writes r's cells, each padded to its column's width and two
// blanks more.
func (r *lookupRow) appendTo(b []byte, widths *[len(lookupRow{})]int) []byte {
	for i, c := range r {
		b = append(b, c...)
		for range widths[i] - utf8.RuneCountInString(c) + 2 {
			b = append(b, ' ')
		}
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
