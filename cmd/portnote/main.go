// Command portnote annotates firewall logs with what their ports are:
// the IANA service, the range class and whether the port is commonly
// abused. See the README or run "portnote --help".
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
