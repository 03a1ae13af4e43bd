//go:build !linux

package redistest

import "syscall"

// childAttr: elsewhere there is no parent-death signal; Main's deferred stop
// still ends the server on every normal exit.
func childAttr() *syscall.SysProcAttr { return nil }
