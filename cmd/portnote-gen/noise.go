package main

// noiseKind is a kind of log line that is not a firewall record. Real
// firewall logs are rarely clean: kern.log carries every kernel message,
// a central syslog host carries everything.
type noiseKind uint8

const (
	nzSSHFail noiseKind = iota
	nzSSHInvalid
	nzSSHClosed
	nzSSHAccepted
	nzPAM
	nzCron
	nzDHCP
	nzNginxAccess
	nzNginxError
	nzSystemd
	nzLogind
	nzKernel
	nzUnbound
	nzPostfix
	nzSyslogd
	nzBlank
	nzPortText // application text that mentions DPT= and PROTO=: must not parse
	numNoise
)

var noiseNames = [numNoise]string{
	"sshd-failed", "sshd-invalid", "sshd-closed", "sshd-accepted", "pam", "cron", "dhcpd",
	"nginx-access", "nginx-error", "systemd", "systemd-logind", "kernel", "unbound",
	"postfix", "syslogd", "blank", "port-text",
}

var noiseShapes = func() (s [numNoise]string) {
	for k, n := range noiseNames {
		s[k] = "noise/" + n
	}
	return s
}()

var noiseKinds = table(
	choice[noiseKind]{nzSSHFail, 20}, choice[noiseKind]{nzSSHInvalid, 8}, choice[noiseKind]{nzSSHClosed, 10},
	choice[noiseKind]{nzSSHAccepted, 3}, choice[noiseKind]{nzPAM, 5}, choice[noiseKind]{nzCron, 10},
	choice[noiseKind]{nzDHCP, 8}, choice[noiseKind]{nzNginxAccess, 10}, choice[noiseKind]{nzNginxError, 2},
	choice[noiseKind]{nzSystemd, 8}, choice[noiseKind]{nzLogind, 3}, choice[noiseKind]{nzKernel, 8},
	choice[noiseKind]{nzUnbound, 3}, choice[noiseKind]{nzPostfix, 4}, choice[noiseKind]{nzSyslogd, 1},
	choice[noiseKind]{nzBlank, 1}, choice[noiseKind]{nzPortText, 3},
)

var (
	noiseEnvs = envs(
		choice[envKind]{envBSD, 40}, choice[envKind]{envISO, 20}, choice[envKind]{envJSON, 12},
		choice[envKind]{envJournalShort, 10}, choice[envKind]{envRFC5424, 8}, choice[envKind]{envBSDPri, 5},
		choice[envKind]{envISOShort, 3}, choice[envKind]{envJournalPrecise, 2},
	)
	kernelNoiseEnvs = envs(
		choice[envKind]{envBSD, 40}, choice[envKind]{envISO, 15}, choice[envKind]{envJSON, 10},
		choice[envKind]{envDmesg, 20}, choice[envKind]{envDmesgT, 10}, choice[envKind]{envJournalShort, 5},
	)
	noiseHosts = uniform("web-01", "db-02.example.net", "nas", "gw", "pfSense.home.arpa", "build-7", "mail")
	userNames  = uniform("root", "admin", "test", "oracle", "ubuntu", "user", "git", "postgres", "pi", "support", "guest", "ftpuser")
	urlPaths   = uniform("/", "/wp-login.php", "/.env", "/admin/", "/index.html", "/api/v1/status",
		"/favicon.ico", "/robots.txt", "/.git/config", "/cgi-bin/luci/;stok=/locale", "/boaform/admin/formLogin",
		"/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/actuator/health")
	userAgents = uniform(
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		"curl/8.5.0", "python-requests/2.31.0", "Go-http-client/1.1", "zgrab/0.x", "-")
	kernelNoise = uniform(
		"usb 1-1: new high-speed USB device number 3 using xhci_hcd",
		"e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
		"EXT4-fs (nvme0n1p2): re-mounted. Opts: errors=remount-ro. Quota mode: none.",
		"TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.",
		"nf_conntrack: nf_conntrack: table full, dropping packet",
		`audit: type=1400 audit(1740787201.512:118): apparmor="DENIED" operation="open" class="file" profile="snap.lxd.daemon" name="/proc/sys/net/netfilter/nf_conntrack_max" pid=2211 comm="lxd" requested_mask="r" denied_mask="r" fsuid=0 ouid=0`,
		"php-fpm8.2[28779]: segfault at 0 ip 000055d5c0a1b2c3 sp 00007ffd4e5f6a70 error 4 in php-fpm8.2[55d5c0800000+2c0000] likely on CPU 1 (core 1, socket 0)",
		"br-lan: port 2(wlan0) entered forwarding state",
		"device eth0 entered promiscuous mode",
		"Out of memory: Killed process 3121 (java) total-vm:8123456kB, anon-rss:3912345kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:8200kB oom_score_adj:0",
	)
	systemdNoise = uniform(
		"Started session-%.scope - Session % of User deploy.",
		"Starting logrotate.service - Rotate log files...",
		"Finished logrotate.service - Rotate log files.",
		"logrotate.service: Deactivated successfully.",
		"Starting apt-daily.service - Daily apt download activities...",
		"Started certbot.service - Certbot.",
		"Reloading nginx.service - A high performance web server and a reverse proxy server...",
	)
)

func (g *generator) noiseLine(b []byte) ([]byte, truth, string) {
	r := &g.r
	k := g.noise.pick(r)
	env := noiseEnvs.pick(r)
	o := origin{host: noiseHosts.pick(r), pid: r.between(300, 99999), pri: 38}
	m := g.body[:0]
	switch k {
	case nzSSHFail:
		o.tag, o.pri = "sshd", 86
		m = append(m, "Failed password for "...)
		if r.intn(3) > 0 {
			m = append(m, "invalid user "...)
		}
		m = g.sshTail(m, userNames.pick(r), true)
	case nzSSHInvalid:
		o.tag, o.pri = "sshd", 86
		m = append(m, "Invalid user "...)
		m = append(m, userNames.pick(r)...)
		m = append(m, " from "...)
		m = g.remote(false).AppendTo(m)
		m = append(m, " port "...)
		m = appendInt(m, int(ephemeral(r)))
	case nzSSHClosed:
		o.tag, o.pri = "sshd", 86
		switch r.intn(3) {
		case 0:
			m = append(m, "Connection closed by authenticating user "...)
			m = append(m, userNames.pick(r)...)
			m = append(m, ' ')
		case 1:
			m = append(m, "Disconnected from invalid user "...)
			m = append(m, userNames.pick(r)...)
			m = append(m, ' ')
		default:
			m = append(m, "Received disconnect from "...)
		}
		m = g.remote(false).AppendTo(m)
		m = append(m, " port "...)
		m = appendInt(m, int(ephemeral(r)))
		m = append(m, " [preauth]"...)
	case nzSSHAccepted:
		o.tag, o.pri = "sshd", 86
		m = append(m, "Accepted publickey for deploy from "...)
		m = g.world.servers4[0].AppendTo(m)
		m = append(m, " port "...)
		m = appendInt(m, int(ephemeral(r)))
		m = append(m, " ssh2: ED25519 SHA256:"...)
		const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		for range 43 {
			m = append(m, b64[r.intn(64)])
		}
	case nzPAM:
		o.tag, o.pri = "sshd", 86
		if r.intn(2) == 0 {
			m = append(m, "pam_unix(sshd:session): session opened for user deploy(uid=1000) by deploy(uid=0)"...)
		} else {
			m = append(m, "pam_unix(sshd:session): session closed for user deploy"...)
		}
	case nzCron:
		o.tag, o.pri = "CRON", 78
		m = append(m, [...]string{
			"(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
			"(root) CMD (   cd / && run-parts --report /etc/cron.hourly)",
			"pam_unix(cron:session): session opened for user root(uid=0) by root(uid=0)",
			"pam_unix(cron:session): session closed for user root",
		}[r.intn(4)]...)
	case nzDHCP:
		o.tag, o.pri, o.pid = "dhcpd", 30, 812
		mac := randMAC(r)
		switch r.intn(4) {
		case 0:
			m = append(m, "DHCPDISCOVER from "...)
			m = appendMAC(m, mac)
		case 1:
			m = append(m, "DHCPOFFER on 192.168.1."...)
			m = appendInt(m, r.between(20, 250))
			m = append(m, " to "...)
			m = appendMAC(m, mac)
		case 2:
			m = append(m, "DHCPREQUEST for 192.168.1."...)
			m = appendInt(m, r.between(20, 250))
			m = append(m, " (192.168.1.1) from "...)
			m = appendMAC(m, mac)
		default:
			m = append(m, "DHCPACK on 192.168.1."...)
			m = appendInt(m, r.between(20, 250))
			m = append(m, " to "...)
			m = appendMAC(m, mac)
			m = append(m, " (android-"...)
			m = r.appendRandHex(m, 16)
			m = append(m, ')')
		}
		m = append(m, " via eth1"...)
	case nzNginxAccess:
		o.tag, o.pri, o.pid = "nginx", 190, 0
		m = g.remote(r.permille(100)).AppendTo(m)
		m = append(m, " - - ["...)
		m = g.clk.appendCLF(m)
		m = append(m, `] "`...)
		m = append(m, [...]string{"GET ", "GET ", "POST ", "HEAD "}[r.intn(4)]...)
		m = append(m, urlPaths.pick(r)...)
		m = append(m, ` HTTP/1.1" `...)
		m = append(m, [...]string{"404 153", "200 612", "301 169", "400 157", "403 153"}[r.intn(5)]...)
		m = append(m, ` "-" "`...)
		m = append(m, userAgents.pick(r)...)
		m = append(m, '"')
		if r.intn(2) == 0 {
			env = envNone // the access log file itself
		}
	case nzNginxError:
		o.tag, o.pri, o.pid = "nginx", 187, 0
		path := urlPaths.pick(r)
		m = append(m, "[error] 1234#1234: *"...)
		m = appendInt(m, r.between(1, 99999))
		m = append(m, ` open() "/usr/share/nginx/html`...)
		m = append(m, path...)
		m = append(m, `" failed (2: No such file or directory), client: `...)
		m = g.remote(false).AppendTo(m)
		m = append(m, `, server: _, request: "GET `...)
		m = append(m, path...)
		m = append(m, ` HTTP/1.1", host: "`...)
		m = g.nfFlav.vals[0].site.wan4.AppendTo(m)
		m = append(m, '"')
	case nzSystemd:
		o.tag, o.pri, o.pid = "systemd", 30, 1
		n := r.between(100, 9999)
		tmpl := systemdNoise.pick(r)
		for i := 0; i < len(tmpl); i++ {
			if tmpl[i] == '%' {
				m = appendInt(m, n)
			} else {
				m = append(m, tmpl[i])
			}
		}
	case nzLogind:
		o.tag, o.pri, o.pid = "systemd-logind", 38, 645
		if r.intn(2) == 0 {
			m = append(m, "New session "...)
			m = appendInt(m, r.between(100, 9999))
			m = append(m, " of user deploy."...)
		} else {
			m = append(m, "Removed session "...)
			m = appendInt(m, r.between(100, 9999))
			m = append(m, '.')
		}
	case nzKernel:
		o.tag, o.pri, o.pid = "kernel", 6, 0
		env = kernelNoiseEnvs.pick(r)
		m = append(m, kernelNoise.pick(r)...)
	case nzUnbound:
		o.tag, o.pri, o.pid = "unbound", 30, 75499
		m = append(m, "[75499:0] info: 192.168.1."...)
		m = appendInt(m, r.between(2, 250))
		m = append(m, [...]string{" example.com. A IN", " api.example.org. AAAA IN", " _dmarc.example.net. TXT IN"}[r.intn(3)]...)
	case nzPostfix:
		o.tag, o.pri = "postfix/smtpd", 22
		ip := g.remote(false)
		switch r.intn(3) {
		case 0:
			m = append(m, "connect from unknown["...)
			m = ip.AppendTo(m)
			m = append(m, ']')
		case 1:
			m = append(m, "disconnect from unknown["...)
			m = ip.AppendTo(m)
			m = append(m, "] ehlo=1 auth=0/1 quit=1 commands=2/3"...)
		default:
			m = append(m, "NOQUEUE: reject: RCPT from unknown["...)
			m = ip.AppendTo(m)
			m = append(m, "]: 554 5.7.1 <spam@example.com>: Relay access denied; from=<> to=<spam@example.com> proto=ESMTP helo=<User>"...)
		}
	case nzSyslogd:
		o.tag, o.pri, o.pid = "rsyslogd", 46, 0
		m = append(m, `[origin software="rsyslogd" swVersion="8.2302.0" x-pid="812" x-info="https://www.rsyslog.com"] rsyslogd was HUPed`...)
	case nzBlank:
		g.body = m
		return b, notRecord, noiseShapes[k]
	case nzPortText:
		m, o.tag = g.portText(m)
		if o.tag == "sudo" {
			o.pid = 0
		}
	}
	g.body = m[:0]
	return g.wrap(b, env, &o, m), notRecord, noiseShapes[k]
}

func (g *generator) sshTail(m []byte, user string, ssh2 bool) []byte {
	m = append(m, user...)
	m = append(m, " from "...)
	m = g.remote(g.r.permille(80)).AppendTo(m)
	m = append(m, " port "...)
	m = appendInt(m, int(ephemeral(&g.r)))
	if ssh2 {
		m = append(m, " ssh2"...)
	}
	return m
}

// portText appends an application message that quotes netfilter keys:
// an audit trail of a rule change, a report, a command line. A filter
// that annotates every line containing "DPT=" gets these wrong.
func (g *generator) portText(m []byte) ([]byte, string) {
	r := &g.r
	port := [...]int{80, 80, 443, 22, 8080}[r.intn(5)]
	switch r.intn(4) {
	case 0:
		m = append(m, "admin added port forward PROTO=TCP DPT="...)
		m = appendInt(m, port)
		m = append(m, " to 192.168.1.20:8080"...)
		return m, "fwaudit"
	case 1:
		m = append(m, "top blocked destinations: DPT="...)
		m = appendInt(m, port)
		m = append(m, " ("...)
		m = appendInt(m, r.between(100, 5000))
		m = append(m, " packets), DPT=443 ("...)
		m = appendInt(m, r.between(10, 999))
		m = append(m, " packets)"...)
		return m, "logwatch"
	case 2:
		m = append(m, "   admin : TTY=pts/0 ; PWD=/home/admin ; USER=root ; COMMAND=/usr/bin/grep -c DPT="...)
		m = appendInt(m, port)
		m = append(m, " /var/log/kern.log"...)
		return m, "sudo"
	}
	m = append(m, "health check ok target=web01 PROTO=TCP DPT="...)
	m = appendInt(m, port)
	m = append(m, " latency_ms="...)
	m = appendInt(m, r.between(1, 400))
	return m, "checker"
}
