// Package parsers recognises firewall log records in single log lines:
// netfilter (iptables, ip6tables, nftables, ulogd), pf as printed by
// tcpdump, and pfSense/OPNsense filterlog CSV, each inside any common
// envelope (RFC 3164 and RFC 5424 syslog, ISO 8601 timestamps, journalctl
// -o json, dmesg).
//
// The package is pure: functions take a line as []byte and fill a
// caller-owned [Record]; they do no I/O and allocate nothing per line.
// Results alias the input line. A line that is not a firewall record
// yields [ErrNotRecord] and should pass through a filter untouched; a line
// that has a firewall record's shape but is malformed yields a
// [*SyntaxError] saying where parsing gave up.
package parsers
