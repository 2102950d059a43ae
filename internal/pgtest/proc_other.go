//go:build !linux

package pgtest

import "syscall"

// postmasterAttr runs the postmaster as cred in a process group of its own.
// Outside Linux nothing stops it if the test binary is killed.
func postmasterAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Setpgid: true}
}
