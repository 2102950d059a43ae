package pgtest

import "syscall"

// postmasterAttr runs the postmaster as cred in a process group of its own.
// SIGQUIT, PostgreSQL's immediate shutdown, is sent to it by the kernel if the
// test binary dies without stopping the cluster.
func postmasterAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGQUIT}
}
