package registry_test

import (
	"fmt"
	"strings"

	"github.com/portnote/portnote/registry"
)

func Example() {
	r := registry.Default()
	for _, q := range []struct {
		port uint16
		t    registry.Transport
	}{
		{514, registry.TCP},
		{514, registry.UDP},
		{31337, registry.UDP},
		{50123, registry.UDP},
	} {
		e := r.Lookup(q.port, q.t)
		service := e.Service
		if !e.Assigned() {
			service = "unassigned"
		}
		fmt.Printf("%d/%v %s (%v)", e.Port, e.Transport, service, e.Class)
		if e.Abuse != nil {
			fmt.Printf(" abused: %s, %v, %v", e.Abuse.Label, e.Abuse.Category, e.Abuse.Severity)
		}
		fmt.Println()
	}
	// Output:
	// 514/tcp shell (well-known) abused: rsh, legacy-cleartext, high
	// 514/udp syslog (well-known)
	// 31337/udp eldim (registered) abused: Back Orifice, backdoor, high
	// 50123/udp unassigned (dynamic)
}

func ExampleRegistry_Reflector() {
	// A UDP packet from port 11211 to a random high port: memcached
	// replies nobody asked for, that is, reflection aimed at us.
	if a := registry.Default().Reflector(11211, registry.UDP); a != nil {
		fmt.Printf("reflection from %d/%v (%s, %v)\n", a.Low, a.Transport, a.Label, a.Severity)
	}
	fmt.Println(registry.Default().Reflector(11211, registry.TCP) == nil)
	// Output:
	// reflection from 11211/udp (memcached, high)
	// true
}

func ExampleRegistry_Load() {
	const rules = `
# PORT[-HIGH]/PROTO[/PROTO...] [NAME] [key=value ...]
8443/tcp   vpn        description="our VPN concentrator"
2222/tcp   admin-ssh  abused=no
6667/tcp   abused=backdoor:high  reason="no IRC leaves this network"

# services(5) lines work too
webcache   8080/tcp   # the proxy
`
	r, err := registry.Default().Load("site.rules", strings.NewReader(rules))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, port := range []uint16{8443, 2222, 6667, 8080} {
		e := r.Lookup(port, registry.TCP)
		fmt.Printf("%d/tcp %s %q", port, e.Service, e.Description)
		if e.Abuse != nil {
			fmt.Printf(" abused: %v (%s, from %s)", e.Abuse.Category, e.Abuse.Reason, e.Abuse.Source)
		}
		fmt.Println()
	}

	_, err = registry.Default().Load("bad.rules", strings.NewReader("8443/tpc vpn\n"))
	fmt.Println(err)
	// Output:
	// 8443/tcp vpn "our VPN concentrator"
	// 2222/tcp admin-ssh ""
	// 6667/tcp ircu "IRCU" abused: backdoor (no IRC leaves this network, from site.rules:5)
	// 8080/tcp webcache "the proxy"
	// bad.rules:1: unknown protocol "tpc", want tcp, udp, sctp or dccp
}

func ExampleClass_Description() {
	for _, port := range []uint16{443, 8443, 51820} {
		c := registry.ClassOf(port)
		fmt.Printf("%d: %v, IANA's %s\n", port, c, c.Description())
	}
	// Output:
	// 443: well-known, IANA's System Ports
	// 8443: registered, IANA's User Ports
	// 51820: dynamic, IANA's Dynamic and/or Private Ports
}
