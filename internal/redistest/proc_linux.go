package redistest

import "syscall"

// childAttr has the kernel kill the server if the test binary dies without
// running its cleanup (a panic in a test goroutine, a -timeout, os.Exit), so
// no redis-server outlives the tests.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
