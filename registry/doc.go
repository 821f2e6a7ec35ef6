// Package registry names ports: the IANA service registered for a port on
// a transport, the port's IANA range class, and whether the port is
// commonly abused.
//
// The data is compiled in. The service table comes from IANA's "Service
// Name and Transport Protocol Port Number Registry" for tcp, udp, sctp and
// dccp, as packaged by Wireshark in Debian's libwireshark-data, plus the
// names Wireshark's copy drops; the abused catalogue is portnote's own,
// with a reason and a source for every entry. Both are generated into
// Go tables by gen.go from the files under data/, so a program that uses
// this package does no work at start-up: [Default] is ready to use.
//
// Lookups are per transport, because IANA assigns them separately: 514/tcp
// is shell (rsh) while 514/udp is syslog, and 31337/udp is flagged as Back
// Orifice while 31337/tcp is not. [Registry.Lookup] and
// [Registry.Reflector] are O(1) and do not allocate. An unassigned port is
// not an error: its [Entry] has an empty Service and its Class set.
//
// # Site rules
//
// [Registry.Load] layers a site's rules over a registry and returns a new
// one; the original is unchanged, so loading files in order makes later
// files win, and within a file later lines win. A rules file holds one
// rule per line; blank lines and lines starting with # are ignored, and a
// # that starts a word begins a comment. A rule is
//
//	PORT[-HIGH]/PROTO[/PROTO...] [NAME] [key=value ...]
//
// where PROTO is tcp, udp, sctp or dccp and a value containing spaces is
// written in double quotes, with \" and \\ as escapes. The keys are
//
//	description=TEXT   replace the description ("" clears it)
//	abused=no          the port is not abused here, whatever the catalogue says
//	abused=CAT:SEV     flag the port: CAT is a [Category] name, SEV a [Severity] name
//	label=TEXT         the flag's label (default: NAME, else "site rule")
//	reason=TEXT        the flag's reason (default: "flagged by a site rule")
//	expected=yes       something listening on the port is expected here
//	expected=no        it is not, whatever the port is
//
// NAME renames the service and drops IANA's aliases; unless description=
// is also given, the description becomes empty, because IANA's no longer
// applies. label and reason need abused=CAT:SEV on the same line. A flag
// set by a rule records "FILE:LINE" as its Source. For example:
//
//	# our services
//	8443/tcp   vpn        description="our VPN concentrator"
//	2222/tcp   admin-ssh  abused=no
//	6667/tcp   abused=backdoor:high  reason="no IRC leaves this network"
//	30000-30010/udp  game  abused=proxy-p2p:low  label="game relay"
//
// What listens where can also be said of single hosts or networks:
//
//	HOST[/BITS] PORT[-HIGH]/PROTO[/PROTO...] expected=yes|no
//
// as in "10.0.0.5 8443/tcp expected=yes" or "2001:db8:1::/48 22/tcp
// expected=no". For a listener on a host, the last such rule that covers
// the host and port wins over the port's own expected=; see
// [Registry.Expected]. A site that says what it expects anywhere
// ([Registry.Expects]) makes every listener not expected worth a look.
//
// A line whose first word is not PORT/PROTO is read as a services(5)
// entry, "name port/proto [alias ...] [# comment]", so /etc/services and
// similar files load unchanged. Such a line names the service, with the
// comment as description. When it names the service the port already has
// (any of its names match), the names it does not mention are kept as
// aliases and, without a comment, so is the description. Entries for
// protocols the registry does not cover, such as ddp, are skipped.
//
// No value or comment may hold a control character other than tab (C0,
// DEL or C1): values reach annotations, reports and terminals. The first
// bad line stops a load with a [*LoadError], whose message reads
// "FILE:LINE: what went wrong".
package registry
