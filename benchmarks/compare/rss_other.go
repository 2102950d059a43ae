//go:build !unix

package main

import "os"

// maxRSSKiB is 0 where rusage is unavailable; the report shows "n/a".
func maxRSSKiB(*os.ProcessState) int64 { return 0 }
