package main

import (
	"io"
	"os"
	"strings"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/registry"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := file(w)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// decideColor applies --color: auto means a terminal, NO_COLOR unset
// (https://no-color.org: any non-empty value) and TERM not "dumb".
func decideColor(when string, stdout io.Writer) bool {
	switch when {
	case "always":
		return true
	case "never":
		return false
	}
	return os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" && isTerminal(stdout)
}

// terminalColors renders portnote's palette to escape bytes once, so
// that the engine only copies bytes.
func terminalColors() annotate.Colors {
	var c annotate.Colors
	c.Annotation, c.Reset = escapes(color.FgCyan)
	c.Severity[registry.Info], _ = escapes(color.FgCyan)
	c.Severity[registry.Low], _ = escapes(color.FgYellow)
	c.Severity[registry.Medium], _ = escapes(color.FgRed)
	c.Severity[registry.High], _ = escapes(color.FgRed, color.Bold)
	c.Control, _ = escapes(color.ReverseVideo)
	return c
}

// escapes returns the sequences fatih/color writes before and after a
// text in the given attributes.
func escapes(attrs ...color.Attribute) (start, reset []byte) {
	c := color.New(attrs...)
	c.EnableColor() // the package's own terminal guess must not veto our decision
	start2, reset2, _ := strings.Cut(c.Sprint("\x00"), "\x00")
	return []byte(start2), []byte(reset2)
}
