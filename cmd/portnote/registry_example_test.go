package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/portnote/portnote/registry"
)

// TestRegistryExample checks examples/registry.example, which the
// packages install as /etc/portnote/registry: read as it is, it changes
// nothing; with its example rules uncommented, each of them loads.
func TestRegistryExample(t *testing.T) {
	const path = "../../examples/registry.example"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	asIs, err := registry.Default().Load(path, strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("as installed: %v", err)
	}
	if e := asIs.Lookup(8443, registry.TCP); e.Service != registry.Default().Lookup(8443, registry.TCP).Service {
		t.Errorf("as installed, it changes 8443/tcp to %q", e.Service)
	}
	rules := regexp.MustCompile(`(?m)^#([0-9].*)$`).FindAllStringSubmatch(string(b), -1)
	if len(rules) < 4 {
		t.Fatalf("%s has %d example rules, want at least 4", path, len(rules))
	}
	var uncommented strings.Builder
	for _, r := range rules {
		uncommented.WriteString(r[1] + "\n")
	}
	reg, err := registry.Default().Load(path, strings.NewReader(uncommented.String()))
	if err != nil {
		t.Fatalf("example rules: %v", err)
	}
	if e := reg.Lookup(8443, registry.TCP); e.Service != "vpn" {
		t.Errorf("example rule 8443/tcp vpn gives %q", e.Service)
	}
}
