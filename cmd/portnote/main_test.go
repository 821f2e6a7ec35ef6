package main

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/ulikunitz/xz"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script/*.txtar")

func TestMain(m *testing.M) {
	// The test binary doubles as the portnote command that scripts exec.
	testscript.Main(m, map[string]func(){"portnote": main})
}

// TestScript runs the end-to-end tests in testdata/script: each .txtar
// file is a shell-like script with its input files and expected output.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "devfull": // a device whose writes fail with ENOSPC
				_, err := os.Stat("/dev/full")
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"genline":  cmdGenline,
			"unbase64": cmdUnbase64,
			"catfile":  cmdCatfile,
			"compress": cmdCompress,
			"truncate": cmdTruncate,
			"sleep":    cmdSleep,
			"chomp":    cmdChomp,
			"waitfor":  cmdWaitfor,
		},
		Setup: func(env *testscript.Env) error {
			// Colour and terminal decisions must not leak in from the
			// developer's shell.
			env.Setenv("NO_COLOR", "")
			env.Setenv("TERM", "xterm")
			env.Setenv("TZ", "UTC")
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/config")
			// Scripts reach the bundled sample logs as $EXAMPLES.
			examples, err := filepath.Abs("../../examples")
			env.Setenv("EXAMPLES", examples)
			return err
		},
	})
}

// cmdGenline writes a line of N bytes ("x" repeated) and a newline, or no
// newline with -n: genline [-n] N FILE.
func cmdGenline(ts *testscript.TestScript, neg bool, args []string) {
	newline := "\n"
	if len(args) > 0 && args[0] == "-n" {
		newline, args = "", args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: genline [-n] N FILE")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(strings.Repeat("x", n)+newline), 0o644))
}

// cmdUnbase64 decodes a base64 file, for test inputs that a text archive
// cannot hold: unbase64 SRC DST.
func cmdUnbase64(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: unbase64 SRC DST")
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(ts.ReadFile(args[0])))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
}

// cmdCatfile appends SRC to DST: catfile SRC DST.
func cmdCatfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: catfile SRC DST")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	f, err := os.OpenFile(ts.MkAbs(args[1]), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	ts.Check(err)
	_, err = f.Write(data)
	ts.Check(err)
	ts.Check(f.Close())
}

// cmdCompress writes a compressed copy of a file, so that tests do not
// depend on which compressors the machine has: compress gzip|xz|zstd SRC DST.
func cmdCompress(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: compress gzip|xz|zstd SRC DST")
	}
	data, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	var buf bytes.Buffer
	var w io.WriteCloser
	switch args[0] {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "xz":
		w, err = xz.NewWriter(&buf)
	case "zstd":
		w, err = zstd.NewWriter(&buf)
	default:
		ts.Fatalf("compress: unknown format %q", args[0])
	}
	ts.Check(err)
	_, err = w.Write(data)
	ts.Check(err)
	ts.Check(w.Close())
	ts.Check(os.WriteFile(ts.MkAbs(args[2]), buf.Bytes(), 0o644))
}

// cmdTruncate cuts a file to N bytes, to make a damaged archive:
// truncate FILE N.
func cmdTruncate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: truncate FILE N")
	}
	n, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	ts.Check(os.Truncate(ts.MkAbs(args[0]), n))
}

// cmdSleep pauses the script, to let a background portnote reach the
// point a step is about: sleep DURATION. Scripts use it only to order
// events, never to measure speed.
func cmdSleep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sleep DURATION")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	time.Sleep(d)
}

// cmdChomp removes the final newline of each file, for inputs and
// expected outputs that end without one: chomp FILE...
func cmdChomp(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: chomp FILE...")
	}
	for _, name := range args {
		data, err := os.ReadFile(ts.MkAbs(name))
		ts.Check(err)
		ts.Check(os.WriteFile(ts.MkAbs(name), bytes.TrimSuffix(data, []byte("\n")), 0o644))
	}
}

// cmdWaitfor waits until FILE has at least N lines that match REGEXP,
// so that a script's next step comes after what a background portnote
// has written, however slow the machine: waitfor FILE N REGEXP. It
// gives up after a minute.
func cmdWaitfor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: waitfor FILE N REGEXP")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	re, err := regexp.Compile("(?m)" + args[2])
	ts.Check(err)
	found := 0
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		data, _ := os.ReadFile(ts.MkAbs(args[0]))
		if found = len(re.FindAllIndex(data, -1)); found >= n {
			return
		}
	}
	ts.Fatalf("waitfor: %d of %d lines matching %q in %s after a minute", found, n, args[2], args[0])
}
