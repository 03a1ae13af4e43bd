//go:build !linux

package main

import (
	"errors"
	"syscall"
	"time"
)

func childAttr() *syscall.SysProcAttr { return nil }

func processCPU(int) (time.Duration, error) {
	return 0, errors.New("process CPU time is read from /proc, on Linux only")
}

func selfCPU() time.Duration { return 0 }
