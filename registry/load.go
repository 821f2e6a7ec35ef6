package registry

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// LoadError reports a problem in a rules file. Line is 1-based, or 0 for
// a read error, which belongs to no line.
type LoadError struct {
	File string
	Line int
	Msg  string
	Err  error // the underlying read error, if any
}

// Error returns "FILE:LINE: message", or "FILE: message" when Line is 0.
func (e *LoadError) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}

// Unwrap returns the underlying read error, if any.
func (e *LoadError) Unwrap() error { return e.Err }

// maxLine bounds a rules line; anything longer is certainly not a rule.
const maxLine = 64 << 10

// site holds the rules loaded into a Registry. Each slot's index maps a
// port to the rule for it (0 for none); a rule is the merged effect of
// every line that named that port. Index arrays are shared with the
// Registry loaded before, and copied before the first write.
type site struct {
	index [numSlots]*[65536]uint32
	rules []rule // rules[0] is unused
	// hosts are the rules for ports of some hosts, in file order;
	// expects says whether any rule, of a port or of a host, says a
	// listener is expected.
	hosts   []hostRule
	expects bool
}

// hostRule says whether a listener is expected on the ports lo..hi of
// the transports in mask on the hosts of prefix.
type hostRule struct {
	prefix   netip.Prefix
	lo, hi   uint16
	mask     uint8
	expected Expectation
}

func (s *site) ruleAt(slot int, port uint16) uint32 {
	if x := s.index[slot]; x != nil {
		return x[port]
	}
	return 0
}

// rule is a change to an entry; each part applies only when its flag is
// set, so a rule that only clears the abuse flag keeps IANA's names.
type rule struct {
	setNames    bool
	service     string
	aliases     []string
	setDesc     bool
	description string
	setAbuse    bool
	abuse       *Abuse // nil clears the flag
	expected    Expectation
}

func (r *rule) apply(e *Entry) {
	if r.setNames {
		e.Service, e.Aliases = r.service, r.aliases
	}
	if r.setDesc {
		e.Description = r.description
	}
	if r.setAbuse {
		e.Abuse = r.abuse
	}
	if r.expected != ExpectUnset {
		e.Expected = r.expected
	}
}

// then returns the rule that has the effect of r followed by next.
func (r rule) then(next rule) rule {
	if next.setNames {
		r.setNames, r.service, r.aliases = true, next.service, next.aliases
	}
	if next.setDesc {
		r.setDesc, r.description = true, next.description
	}
	if next.setAbuse {
		r.setAbuse, r.abuse = true, next.abuse
	}
	if next.expected != ExpectUnset {
		r.expected = next.expected
	}
	return r
}

// Load returns a new Registry with the rules read from src layered on top
// of r's; r itself is unchanged. name is the file name used in errors. The
// format is described in the package documentation. The first bad line
// stops the load with a [*LoadError].
func (r *Registry) Load(name string, src io.Reader) (*Registry, error) {
	l := loader{name: name, s: site{rules: []rule{{}}}}
	if r != nil && r.site != nil {
		l.s.index = r.site.index
		// Clip so that appending never writes into r's rules.
		l.s.rules = slices.Clip(r.site.rules)
		l.s.hosts = slices.Clip(r.site.hosts)
		l.s.expects = r.site.expects
	}
	inherited := len(l.s.hosts)
	l.countRefs()
	sc := bufio.NewScanner(src)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		l.line++
		if msg := l.parseLine(sc.Text()); msg != "" {
			return nil, &LoadError{File: name, Line: l.line, Msg: msg}
		}
		if l.garbage > max(len(l.s.rules)-l.garbage, minGarbage) {
			l.compact()
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &LoadError{File: name, Line: l.line + 1, Msg: "line too long"}
		}
		msg := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg = pe.Err.Error() // name already says which file
		}
		return nil, &LoadError{File: name, Msg: msg, Err: err}
	}
	if len(l.s.rules) == 1 && len(l.s.hosts) == inherited {
		// Only comments: nothing changes.
		return &Registry{site: siteOf(r)}, nil
	}
	return &Registry{site: &l.s}, nil
}

func siteOf(r *Registry) *site {
	if r == nil {
		return nil
	}
	return r.site
}

type loader struct {
	name  string
	line  int
	s     site
	owned [numSlots]bool // whether s.index[slot] was copied by this load
	// refs counts, for each rule, the ports whose index entries refer to
	// it; garbage counts the rules none refers to any more.
	refs    []uint32
	garbage int
	// ownRules says s.rules is this load's own array: the rules of the
	// registry loaded before come clipped, and the first append copies.
	ownRules bool
	byOld    []memo // applyRange's memo, by old rule
	gen      uint32 // applyRange's calls so far
}

// minGarbage is the fewest unused rules worth a compaction, which passes
// over every index.
const minGarbage = 65536

// countRefs counts the references to the rules inherited from the
// registry loaded before.
func (l *loader) countRefs() {
	l.refs = make([]uint32, len(l.s.rules))
	for _, x := range l.s.index {
		if x != nil {
			for _, id := range x {
				l.refs[id]++
			}
		}
	}
	l.refs[0] = 0 // no rule is not a rule
	for _, n := range l.refs[1:] {
		if n == 0 {
			l.garbage++
		}
	}
}

// compact drops the rules no port refers to any more. A line over a wide
// range replaces the rule of every port it covers, thousands of rules
// when the ports had different services before; a file of such lines
// (a services file over every port) would otherwise keep every rule
// every line made, and its memory and time would grow with the file,
// not with the ports. The rules stay in the order they were made.
func (l *loader) compact() {
	// In place, as a rule only moves down, once the array is this load's
	// own and not the registry's loaded before.
	if !l.ownRules {
		l.s.rules, l.ownRules = slices.Clone(l.s.rules), true
	}
	newID := make([]uint32, len(l.s.rules))
	n := 1
	for id := 1; id < len(l.s.rules); id++ {
		if l.refs[id] != 0 {
			newID[id] = uint32(n)
			l.s.rules[n], l.refs[n] = l.s.rules[id], l.refs[id]
			n++
		}
	}
	clear(l.s.rules[n:]) // the strings they hold can go
	l.s.rules, l.refs, l.garbage = l.s.rules[:n], l.refs[:n], 0
	for s, x := range l.s.index {
		if x == nil {
			continue
		}
		if !l.owned[s] {
			y := new([65536]uint32)
			*y = *x
			l.s.index[s], l.owned[s], x = y, true, y
		}
		for p, id := range x {
			x[p] = newID[id]
		}
	}
	l.byOld = l.byOld[:0]
}

// parseLine applies one line and returns an error message, or "".
func (l *loader) parseLine(text string) string {
	text = strings.TrimSuffix(text, "\r")
	if !utf8.ValidString(text) {
		return "invalid UTF-8"
	}
	first, rest := nextField(text)
	if first == "" || first[0] == '#' {
		return ""
	}
	// An address (or prefix) is never a service name: it starts a
	// rule for the ports of some hosts.
	if host, ok := parseHost(first); ok {
		return l.hostLine(host, rest)
	}
	// Service names may start with a digit ("9pfs") but never hold a
	// slash there, so a leading digit and a slash mean PORT/PROTO.
	if isDigit(first[0]) && strings.Contains(first, "/") {
		return l.overrideLine(first, rest)
	}
	body, comment, _ := strings.Cut(rest, "#")
	comment = strings.TrimSpace(comment)
	if hasControl(comment) {
		// The comment becomes the port's description.
		return "control character in comment"
	}
	return l.servicesLine(first, body, comment)
}

// overrideLine handles "PORT[-HIGH]/PROTO[/PROTO...] [NAME] [key=value...]".
func (l *loader) overrideLine(portField, rest string) string {
	lo, hi, mask, msg := parsePorts(portField, true)
	if msg != "" {
		return msg
	}
	var (
		change rule
		name   string
		abuse  *Abuse
		label  string
		reason string
		seen   = map[string]bool{}
	)
	for {
		tok, after, msg := nextToken(rest)
		if msg != "" {
			return msg
		}
		if tok == (token{}) {
			break
		}
		rest = after
		if tok.key == "" {
			if name != "" || len(seen) > 0 {
				return "unexpected " + strconv.Quote(tok.text) + ", want key=value"
			}
			if msg := checkName(tok.text); msg != "" {
				return msg
			}
			name = tok.text
			continue
		}
		if seen[tok.key] {
			return "duplicate key " + strconv.Quote(tok.key)
		}
		seen[tok.key] = true
		if !slices.Contains([]string{"description", "abused", "label", "reason", "expected"}, tok.key) {
			return "unknown key " + strconv.Quote(tok.key)
		}
		// description="" clears a description; no other key can be empty.
		if tok.text == "" && !(tok.key == "description" && tok.quoted) {
			return "empty value for " + tok.key
		}
		switch tok.key {
		case "description":
			change.setDesc, change.description = true, tok.text
		case "abused":
			if tok.text == "no" {
				change.setAbuse = true
				break
			}
			cat, sev, ok := strings.Cut(tok.text, ":")
			if !ok {
				return "abused: want no or CATEGORY:SEVERITY, got " + strconv.Quote(tok.text)
			}
			c, ok := ParseCategory(cat)
			if !ok {
				return "abused: unknown category " + strconv.Quote(cat)
			}
			v, ok := ParseSeverity(sev)
			if !ok {
				return "abused: unknown severity " + strconv.Quote(sev)
			}
			change.setAbuse = true
			abuse = &Abuse{Low: lo, High: hi, Category: c, Severity: v}
		case "label":
			label = tok.text
		case "reason":
			reason = tok.text
		case "expected":
			e, msg := parseExpected(tok.text)
			if msg != "" {
				return msg
			}
			change.expected = e
			l.s.expects = l.s.expects || e == ExpectYes
		}
	}
	if (label != "" || reason != "") && abuse == nil {
		return "label and reason need abused=CATEGORY:SEVERITY"
	}
	if name == "" && len(seen) == 0 {
		return "rule changes nothing: give a NAME or key=value"
	}
	if name != "" {
		// A renamed port is the site's service, which IANA's text no
		// longer describes: without description= it gets none.
		change.setNames, change.service, change.setDesc = true, name, true
	}
	if abuse != nil {
		abuse.Label = label
		if abuse.Label == "" {
			abuse.Label = name
		}
		if abuse.Label == "" {
			abuse.Label = "site rule"
		}
		abuse.Reason = reason
		if abuse.Reason == "" {
			abuse.Reason = "flagged by a site rule"
		}
		abuse.Source = l.name + ":" + strconv.Itoa(l.line)
	}
	for s, t := range transports {
		if mask&(1<<s) == 0 {
			continue
		}
		c := change
		if abuse != nil {
			a := *abuse
			a.Transport = t
			c.abuse = &a
		}
		l.applyRange(s, lo, hi, false, func(uint16, rule) rule { return c })
	}
	return ""
}

// parseHost parses an address or a prefix ("10.0.0.5", "10.0.0.0/24",
// "2001:db8::/48").
func parseHost(f string) (netip.Prefix, bool) {
	if a, err := netip.ParseAddr(f); err == nil && a.Zone() == "" {
		return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), true
	}
	if p, err := netip.ParsePrefix(f); err == nil {
		if p.Addr().Is4In6() {
			return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96).Masked(), p.Bits() >= 96
		}
		return p.Masked(), true
	}
	return netip.Prefix{}, false
}

func parseExpected(v string) (Expectation, string) {
	switch v {
	case "yes":
		return ExpectYes, ""
	case "no":
		return ExpectNo, ""
	}
	return ExpectUnset, "expected: want yes or no, got " + strconv.Quote(v)
}

// hostLine handles "HOST[/BITS] PORT[-HIGH]/PROTO[/PROTO...] expected=yes|no".
func (l *loader) hostLine(host netip.Prefix, rest string) string {
	portField, rest := nextField(rest)
	if portField == "" {
		return "want PORT/PROTO after the host"
	}
	lo, hi, mask, msg := parsePorts(portField, true)
	if msg != "" {
		return msg
	}
	var expected Expectation
	for {
		tok, after, msg := nextToken(rest)
		if msg != "" {
			return msg
		}
		if tok == (token{}) {
			break
		}
		rest = after
		if tok.key != "expected" {
			return "a host's rule takes only expected=yes or expected=no, not " + strconv.Quote(tok.text)
		}
		if expected != ExpectUnset {
			return "duplicate key \"expected\""
		}
		if expected, msg = parseExpected(tok.text); msg != "" {
			return msg
		}
	}
	if expected == ExpectUnset {
		return "a host's rule needs expected=yes or expected=no"
	}
	l.s.hosts = append(l.s.hosts, hostRule{prefix: host, lo: lo, hi: hi, mask: mask, expected: expected})
	l.s.expects = l.s.expects || expected == ExpectYes
	return ""
}

// servicesLine handles a services(5) line, "name port/proto [alias...]"
// with its comment already cut off. Unlike an override, its effect depends
// on what the port had before: when the line names the same service (it
// shares a name with the current entry) the current names become aliases
// and the description stays unless the line has a comment.
func (l *loader) servicesLine(name, rest, comment string) string {
	portField, rest := nextField(rest)
	if portField == "" {
		return "want PORT/PROTO or \"name PORT/PROTO\", got " + strconv.Quote(name)
	}
	lo, hi, mask, msg := parsePorts(portField, false)
	if msg != "" {
		return msg
	}
	if msg := checkName(name); msg != "" {
		return msg
	}
	var aliases []string
	for {
		var f string
		f, rest = nextField(rest)
		if f == "" {
			break
		}
		if msg := checkName(f); msg != "" {
			return msg
		}
		if f != name && !slices.Contains(aliases, f) {
			aliases = append(aliases, f)
		}
	}
	for s, t := range transports {
		if mask&(1<<s) == 0 {
			continue
		}
		l.applyRange(s, lo, hi, true, func(port uint16, old rule) rule {
			cur := Entry{Port: port, Transport: t}
			cur.setBuiltin(s)
			old.apply(&cur)
			c := rule{setNames: true, service: name, aliases: aliases}
			same := cur.Service != "" && (sameName(name, cur) || slices.ContainsFunc(aliases, func(a string) bool { return sameName(a, cur) }))
			if same {
				c.aliases = mergeNames(name, aliases, cur)
			} else {
				c.setDesc = true
			}
			if comment != "" {
				c.setDesc, c.description = true, comment
			}
			return c
		})
	}
	return ""
}

func sameName(n string, e Entry) bool {
	return strings.EqualFold(n, e.Service) || slices.ContainsFunc(e.Aliases, func(a string) bool { return strings.EqualFold(n, a) })
}

// mergeNames returns aliases followed by the names of e that are neither
// name nor already listed.
func mergeNames(name string, aliases []string, e Entry) []string {
	out := slices.Clone(aliases)
	for _, n := range append([]string{e.Service}, e.Aliases...) {
		if !strings.EqualFold(n, name) && !slices.ContainsFunc(out, func(a string) bool { return strings.EqualFold(a, n) }) {
			out = append(out, n)
		}
	}
	return slices.Clip(out)
}

// applyRange layers change(port, current rule) over every port of lo..hi
// in slot s. Ports that had the same rule before share one merged rule, so
// a wide range costs a few rules, not thousands; byService says the change
// also depends on the port's built-in service record.
func (l *loader) applyRange(s int, lo, hi uint16, byService bool, change func(port uint16, old rule) rule) {
	if !l.owned[s] {
		x := new([65536]uint32)
		if old := l.s.index[s]; old != nil {
			*x = *old
		}
		l.s.index[s], l.owned[s] = x, true
	}
	x := l.s.index[s]
	if lo == hi {
		l.set(x, lo, l.add(lo, x[lo], change))
		return
	}
	// A port's new rule depends on its old one and, for a services line
	// whose old rule leaves the names alone, on its built-in service:
	// ports that share those share the new rule. byOld remembers it by
	// old rule, for this call (gen); bySvc for the rest.
	l.gen++
	if n := len(l.s.rules); len(l.byOld) < n {
		l.byOld = append(l.byOld, make([]memo, n-len(l.byOld))...)
	}
	var bySvc map[[2]uint32]uint32
	for p := int(lo); p <= int(hi); p++ {
		port := uint16(p)
		old := x[port]
		var id uint32
		if byService && !l.s.rules[old].setNames {
			k := [2]uint32{old, uint32(serviceIndex[s].get(port))}
			var ok bool
			if id, ok = bySvc[k]; !ok {
				if bySvc == nil {
					bySvc = make(map[[2]uint32]uint32)
				}
				id = l.add(port, old, change)
				bySvc[k] = id
			}
		} else if m := &l.byOld[old]; m.gen == l.gen {
			id = m.id
		} else {
			id = l.add(port, old, change)
			*m = memo{l.gen, id}
		}
		l.set(x, port, id)
	}
}

// set makes rule id the rule of port in x, counting references.
func (l *loader) set(x *[65536]uint32, port uint16, id uint32) {
	if old := x[port]; old != 0 {
		if l.refs[old]--; l.refs[old] == 0 {
			l.garbage++
		}
	}
	l.refs[id]++
	x[port] = id
}

// memo is a rule made for an old one during the applyRange call gen.
type memo struct{ gen, id uint32 }

// add makes the rule that has the effect of rule old followed by what
// change makes of it, and returns its number.
func (l *loader) add(port uint16, old uint32, change func(port uint16, old rule) rule) uint32 {
	r := l.s.rules[old]
	l.s.rules = append(l.s.rules, r.then(change(port, r)))
	l.refs = append(l.refs, 0)
	l.ownRules = true
	return uint32(len(l.s.rules) - 1)
}

// parsePorts parses "PORT[-HIGH]/PROTO[/PROTO...]" into a port range and
// a mask of transport slots. With strict unset, as for services(5) files,
// protocols the registry does not cover (such as ddp) are skipped; a
// field naming only such protocols yields an empty mask and no error.
func parsePorts(f string, strict bool) (lo, hi uint16, mask uint8, msg string) {
	ports, protos, ok := strings.Cut(f, "/")
	if !ok || protos == "" {
		return 0, 0, 0, "want PORT/PROTO, got " + strconv.Quote(f)
	}
	loS, hiS, isRange := strings.Cut(ports, "-")
	lo, ok = parsePort(loS)
	if !ok {
		return 0, 0, 0, "bad port " + strconv.Quote(ports)
	}
	hi = lo
	if isRange {
		if hi, ok = parsePort(hiS); !ok || hi < lo {
			return 0, 0, 0, "bad port range " + strconv.Quote(ports)
		}
	}
	for protos != "" {
		var p string
		p, protos, _ = strings.Cut(protos, "/")
		t, ok := ParseTransport(p)
		if !ok {
			if strict || p == "" {
				return 0, 0, 0, "unknown protocol " + strconv.Quote(p) + ", want tcp, udp, sctp or dccp"
			}
			continue
		}
		s, _ := slot(t)
		if mask&(1<<s) != 0 {
			return 0, 0, 0, "protocol " + strconv.Quote(p) + " given twice"
		}
		mask |= 1 << s
	}
	return lo, hi, mask, ""
}

func parsePort(s string) (uint16, bool) {
	if s == "" || len(s) > 5 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	if n > 65535 {
		return 0, false
	}
	return uint16(n), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// checkName accepts what services(5) files use as names: printable ASCII
// without '#', '=' or quotes.
func checkName(n string) string {
	for i := 0; i < len(n); i++ {
		if c := n[i]; c <= ' ' || c >= 0x7f || c == '#' || c == '=' || c == '"' {
			return "bad service name " + strconv.Quote(n)
		}
	}
	return ""
}

// hasControl reports whether s, valid UTF-8, holds a control character
// other than tab: C0, DEL or C1 (U+0080-U+009F). Values end up in
// annotations, reports and --lookup on terminals, where such bytes are
// commands, not text.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < ' ' && c != '\t') || c == 0x7f || (c == 0xc2 && i+1 < len(s) && s[i+1] < 0xa0) {
			return true
		}
	}
	return false
}

// nextField splits off the first blank-separated field of s.
func nextField(s string) (field, rest string) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isSpace(s[j]) {
		j++
	}
	return s[i:j], s[j:]
}

// token is a bare word, or key=value where value may be double-quoted
// with \" and \\ escapes.
type token struct {
	key, text string
	quoted    bool
}

// nextToken splits off the next token of an override line. A '#' that
// starts a token begins a comment, which ends the line.
func nextToken(s string) (tok token, rest string, msg string) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	s = s[i:]
	if s == "" || s[0] == '#' {
		return token{}, "", ""
	}
	j := 0
	for j < len(s) && !isSpace(s[j]) && s[j] != '=' && s[j] != '"' {
		j++
	}
	if j < len(s) && s[j] == '"' {
		return token{}, "", "unexpected quote"
	}
	if j == len(s) || s[j] != '=' {
		return token{text: s[:j]}, s[j:], ""
	}
	tok.key = s[:j]
	if tok.key == "" {
		return token{}, "", "missing key before '='"
	}
	s = s[j+1:]
	if s == "" || s[0] != '"' {
		k := 0
		for k < len(s) && !isSpace(s[k]) {
			if s[k] == '"' {
				return token{}, "", "unexpected quote in value of " + strconv.Quote(tok.key)
			}
			k++
		}
		tok.text = s[:k]
		if hasControl(tok.text) {
			return token{}, "", "control character in value of " + strconv.Quote(tok.key)
		}
		return tok, s[k:], ""
	}
	var b strings.Builder
	for k := 1; k < len(s); k++ {
		switch c := s[k]; c {
		case '"':
			if k+1 < len(s) && !isSpace(s[k+1]) {
				return token{}, "", "missing space after quoted value of " + strconv.Quote(tok.key)
			}
			tok.text, tok.quoted = b.String(), true
			if hasControl(tok.text) {
				return token{}, "", "control character in value of " + strconv.Quote(tok.key)
			}
			return tok, s[k+1:], ""
		case '\\':
			if k+1 < len(s) && (s[k+1] == '"' || s[k+1] == '\\') {
				k++
				b.WriteByte(s[k])
				continue
			}
			return token{}, "", "bad escape in value of " + strconv.Quote(tok.key)
		default:
			b.WriteByte(c)
		}
	}
	return token{}, "", "unterminated quote in value of " + strconv.Quote(tok.key)
}
