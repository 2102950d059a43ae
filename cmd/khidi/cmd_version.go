package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// cmdVersion prints the module version and VCS revision of this build.
func cmdVersion(_ context.Context, e env, _ []string) int {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(e.stdout, "khidi (unknown build)")
		return exitOK
	}
	rev, modified := "", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	fmt.Fprintf(e.stdout, "khidi %s %s%s %s\n", info.Main.Version, rev, modified, info.GoVersion)
	return exitOK
}
