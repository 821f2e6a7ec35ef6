package main

import (
	"fmt"
	"io"
	"strings"
)

// Shell completion scripts, written from Flags when asked for
// (--completion SHELL), so that a flag or a value added to the table,
// such as a new --format family, is offered by every shell at once.

// completionShells are the shells --completion writes for.
func completionShells() []string { return []string{"bash", "zsh", "fish"} }

// writeCompletion writes the completion script for shell, one of
// completionShells.
func writeCompletion(w io.Writer, shell string) {
	var b strings.Builder
	switch shell {
	case "bash":
		bashCompletion(&b)
	case "zsh":
		zshCompletion(&b)
	case "fish":
		fishCompletion(&b)
	}
	io.WriteString(w, b.String())
}

// flagNames are a flag's names as typed: "-o", "--output".
func flagNames(f *Flag) []string {
	var names []string
	if f.Short != 0 {
		names = append(names, "-"+string(f.Short))
	}
	return append(names, "--"+f.Long)
}

// zoneList is a shell command that lists IANA time zone names.
const zoneList = `find /usr/share/zoneinfo -type f 2>/dev/null | sed -n 's|^/usr/share/zoneinfo/||; /^[A-Z]/p'`

func bashCompletion(b *strings.Builder) {
	b.WriteString(`# bash completion for portnote(1), written by "portnote --completion bash"
# from its flag table. Load it with: source <(portnote --completion bash)
# or install it as /usr/share/bash-completion/completions/portnote.

# _portnote_value FLAG VALUE PREFIX completes the value of FLAG; PREFIX
# goes in front of every candidate ("--color=" when the shell did not
# split the word at "=").
_portnote_value() {
	local words= list=
	case $1 in
`)
	for i := range Flags {
		f := &Flags[i]
		if f.Arg == "" {
			continue
		}
		fmt.Fprintf(b, "\t%s)\n", strings.Join(flagNames(f), "|"))
		switch f.Complete {
		case CompleteValues, CompleteProtocols:
			fmt.Fprintf(b, "\t\twords=%s", shellQuote(strings.Join(f.Values, " ")))
			if f.List {
				b.WriteString(" list=1")
			}
			b.WriteString(" ;;\n")
		case CompleteFiles:
			b.WriteString("\t\tcompopt -o filenames 2>/dev/null\n\t\tCOMPREPLY=($(compgen -f -P \"$3\" -- \"$2\"))\n\t\treturn ;;\n")
		case CompleteZones:
			fmt.Fprintf(b, "\t\twords=\"Local UTC $(%s)\" ;;\n", zoneList)
		default:
			// A number, a duration or free text: nothing to offer, not
			// even file names.
			b.WriteString("\t\tcompopt +o default 2>/dev/null\n\t\treturn ;;\n")
		}
	}
	b.WriteString(`	esac
	if [ -n "$list" ] && [[ $2 == *,* ]]; then
		COMPREPLY=($(compgen -P "$3${2%,*}," -W "$words" -- "${2##*,}"))
	else
		COMPREPLY=($(compgen -P "$3" -W "$words" -- "$2"))
	fi
	if [ -n "$list" ]; then
		compopt -o nospace 2>/dev/null
	fi
}

_portnote() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev= prev2=
	[ "$COMP_CWORD" -ge 1 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
	[ "$COMP_CWORD" -ge 2 ] && prev2=${COMP_WORDS[COMP_CWORD-2]}
	COMPREPLY=()
	# "--color=al": bash splits it into "--color", "=", "al" when "=" is
	# in COMP_WORDBREAKS (the default), and keeps it whole otherwise.
	if [ "$cur" = "=" ] && [[ $prev == --* ]]; then
		_portnote_value "$prev" "" ""
		return
	fi
	if [ "$prev" = "=" ] && [[ $prev2 == --* ]]; then
		_portnote_value "$prev2" "$cur" ""
		return
	fi
	if [[ $cur == --*=* ]]; then
		_portnote_value "${cur%%=*}" "${cur#*=}" "${cur%%=*}="
		return
	fi
	case $prev in
`)
	var separate []string // flags whose value may be the next word
	for i := range Flags {
		if f := &Flags[i]; f.Arg != "" && f.Bare == "" {
			separate = append(separate, flagNames(f)...)
		}
	}
	fmt.Fprintf(b, "\t%s)\n\t\t_portnote_value \"$prev\" \"$cur\" \"\"\n\t\treturn ;;\n\tesac\n", strings.Join(separate, "|"))
	var all []string
	for i := range Flags {
		all = append(all, flagNames(&Flags[i])...)
	}
	fmt.Fprintf(b, `	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W %s -- "$cur"))
		return
	fi
	# FILE operands: readline's file names (complete -o default).
}
complete -o default -F _portnote portnote
`, shellQuote(strings.Join(all, " ")))
}

func zshCompletion(b *strings.Builder) {
	b.WriteString(`#compdef portnote
# zsh completion for portnote(1), written by "portnote --completion zsh"
# from its flag table. Install it as _portnote in a directory of $fpath,
# or load it with: source <(portnote --completion zsh)

_portnote() {
	_arguments -s -S \
`)
	for i := range Flags {
		f := &Flags[i]
		names := flagNames(f)
		exclusive := ""
		if len(names) > 1 && !f.Repeat {
			exclusive = "(" + strings.Join(names, " ") + ")"
		}
		desc := "[" + zshEscape(shortHelp(f)) + "]"
		for _, n := range names {
			spec, action := n, ""
			if f.Arg != "" {
				action = ":" + f.Arg + ":" + zshAction(f)
				switch {
				case f.Bare != "":
					spec += "=-" // the value only after "=", and optional
					action = ":" + action
				case len(n) == 2:
					spec += "+" // -ojson or -o json
				default:
					spec += "=" // --output=json or --output json
				}
			}
			if f.Repeat {
				spec = "*" + spec
			}
			fmt.Fprintf(b, "\t\t%s \\\n", shellQuote(exclusive+spec+desc+action))
		}
	}
	b.WriteString(`		'*:file:_files'
}

if [ "$funcstack[1]" = "_portnote" ]; then
	_portnote "$@"
else
	compdef _portnote portnote
fi
`)
}

// zshAction is how _arguments completes a flag's value.
func zshAction(f *Flag) string {
	switch f.Complete {
	case CompleteValues, CompleteProtocols:
		if f.List {
			return "_values -s , " + zshWords(f.Arg, f.Values)
		}
		return "(" + strings.Join(f.Values, " ") + ")"
	case CompleteFiles:
		return "_files"
	case CompleteZones:
		return "_time_zone"
	}
	return " " // a message, no candidates
}

// zshWords quotes words for _values: a description, then the words.
func zshWords(what string, words []string) string {
	return strings.ToLower(what) + " " + strings.Join(words, " ")
}

// zshEscape escapes what _arguments reads specially in a description.
func zshEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `:`, `\:`).Replace(s)
}

func fishCompletion(b *strings.Builder) {
	b.WriteString(`# fish completion for portnote(1), written by "portnote --completion fish"
# from its flag table. Install it as
# /usr/share/fish/vendor_completions.d/portnote.fish, or load it with:
# portnote --completion fish | source

# __portnote_list WORD... offers each WORD after the items already typed
# in a comma-separated list.
function __portnote_list
	set -l typed (commandline -ct | string replace -r -- '^--?[^=]*=' '' | string replace -r -- '[^,]*$' '')
	for w in $argv
		echo $typed$w
	end
end

`)
	for i := range Flags {
		f := &Flags[i]
		cmd := "complete -c portnote"
		if f.Short != 0 {
			cmd += " -s " + string(f.Short)
		}
		cmd += " -l " + f.Long
		switch {
		case f.Arg == "":
		case f.Complete == CompleteFiles:
			cmd += " -r -F"
		default:
			cmd += " -x"
		}
		switch f.Complete {
		case CompleteValues, CompleteProtocols:
			words := strings.Join(f.Values, " ")
			if f.List {
				words = "(__portnote_list " + words + ")"
			}
			cmd += " -a " + shellQuote(words)
		case CompleteZones:
			cmd += " -a " + shellQuote("Local UTC ("+zoneList+")")
		}
		cmd += " -d " + shellQuote(shortHelp(f))
		b.WriteString(cmd + "\n")
	}
}

// shortHelp is the start of a flag's help, to its first semicolon or
// colon outside parentheses: what a completion menu has room for.
func shortHelp(f *Flag) string {
	depth := 0
	for i, c := range f.Help {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ';', ':':
			if depth == 0 {
				return f.Help[:i]
			}
		}
	}
	return f.Help
}

// shellQuote quotes s for sh, bash, zsh and fish alike.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
