#!/usr/bin/mawk -f
# The benchmark's baseline: what a competent admin writes in awk to do
# portnote's text-mode job on netfilter logs. It is meant to be fair, not
# slow: the services table is loaded once into an array keyed "port/proto",
# the per-line test is two index() calls, and extraction uses match() and
# substr() as an awk programmer would.
#
# For each line holding both PROTO= and DPT=, it appends
#   " #pn PORT/proto NAME CLASS"
# (NAME "-" when /etc/services has none; CLASS well-known below 1024,
# registered below 49152, dynamic above) and prints every line. Like the
# usual one-liners it trusts the first PROTO= and DPT= it sees, so it
# annotates ICMP errors with the quoted packet's port, application text
# that mentions DPT=, and knows nothing of pf or filterlog.
#
# Usage: mawk -f .ci/annotate.awk [FILE...]

BEGIN {
	services = "/etc/services"
	while ((getline entry < services) > 0) {
		sub(/#.*/, "", entry)
		if (split(entry, f) < 2)
			continue
		# The first name listed for a port/proto wins, as getent does.
		if (!(f[2] in name))
			name[f[2]] = f[1]
	}
	close(services)
}

index($0, "DPT=") && index($0, "PROTO=") {
	if (!match($0, /PROTO=[0-9A-Za-z]+/)) {
		print
		next
	}
	proto = tolower(substr($0, RSTART + 6, RLENGTH - 6))
	if (!match($0, /DPT=[0-9]+/)) {
		print
		next
	}
	port = substr($0, RSTART + 4, RLENGTH - 4) + 0
	key = port "/" proto
	svc = (key in name) ? name[key] : "-"
	if (port < 1024)
		class = "well-known"
	else if (port < 49152)
		class = "registered"
	else
		class = "dynamic"
	print $0 " #pn " key " " svc " " class
	next
}

{ print }
