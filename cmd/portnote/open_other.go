//go:build !unix

package main

import "os"

// openFollowed opens a followed file; see open_unix.go.
func openFollowed(name string) (*os.File, error) { return os.Open(name) }
