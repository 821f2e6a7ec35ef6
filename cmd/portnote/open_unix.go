//go:build unix

package main

import (
	"os"
	"syscall"
)

// openFollowed opens a followed file without waiting: a FIFO in its
// place would otherwise block the open until a writer comes, and with it
// every other followed file. Followed files must be regular, which the
// caller checks once the file is open; for them the flag changes nothing.
func openFollowed(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
