package main

import (
	"bufio"
	"context"
	"debug/buildinfo"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// collectEnv describes the machine, the code and the peers. Anything it
// cannot find reads "unknown (why)" rather than failing the run.
func collectEnv(ctx context.Context, cfg *config, p *peers) envInfo {
	e := envInfo{
		Date:       time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		Commit:     gitCommit(ctx),
		Go:         commandOutput(ctx, "go", "version"),
		KhidiBuild: khidiBuild(cfg.khidi),
		CPU:        cpuModel(),
		NProc:      runtime.NumCPU(),
		SciPy:      "not run (" + p.skipped + ")",
		LEMON:      "not run (" + p.skipped + ")",
	}
	if p.skipped == "" {
		e.SciPy = commandOutput(ctx, python, "-c",
			`import sys, scipy, numpy; print(f"SciPy {scipy.__version__}, NumPy {numpy.__version__}, Python {sys.version.split()[0]} ({sys.executable})")`)
		e.LEMON = "liblemon-dev " + commandOutput(ctx, "dpkg-query", "-W", "-f=${Version}", "liblemon-dev") +
			" (Debian), runner built by setup.sh with g++ -O2"
	}
	return e
}

// gitCommit is the short HEAD, with "+dirty" when the tree has changes.
// --no-optional-locks keeps status from taking the index lock that other
// people working in the checkout may need.
func gitCommit(ctx context.Context) string {
	head := commandOutput(ctx, "git", "rev-parse", "--short", "HEAD")
	out, err := exec.CommandContext(ctx, "git", "--no-optional-locks", "status", "--porcelain").Output()
	if err == nil && len(strings.TrimSpace(string(out))) > 0 {
		head += "+dirty"
	}
	return head
}

// khidiBuild reads the Go version and VCS stamp embedded in the binary.
func khidiBuild(path string) string {
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("%s (build info unreadable: %v)", path, err)
	}
	s := fmt.Sprintf("%s, built with %s", path, bi.GoVersion)
	var rev, modified string
	for _, st := range bi.Settings {
		switch st.Key {
		case "vcs.revision":
			rev = st.Value[:min(len(st.Value), 7)]
		case "vcs.modified":
			modified = st.Value
		}
	}
	if rev != "" {
		s += " from " + rev
		if modified == "true" {
			s += "+dirty"
		}
	}
	return s
}

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return fmt.Sprintf("unknown (%v)", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(val)
		}
	}
	return "unknown (no model name in /proc/cpuinfo)"
}

// commandOutput is the trimmed stdout of a short command, or why it failed.
func commandOutput(ctx context.Context, name string, args ...string) string {
	out, err := exec.CommandContext(ctx, name, args...).Output()
	if err != nil {
		return fmt.Sprintf("unknown (%s: %v%s)", name, err, stderrTail(err))
	}
	return strings.TrimSpace(string(out))
}
