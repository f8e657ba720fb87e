// Command testsummary reads `go test -json` on stdin, prints what plain `go test` would
// (each package's result, and the output of the tests that failed), and ends with one
// line counting the tests that passed, failed and were skipped, under a label:
//
//	go test -json ./... | go run ./internal/testsummary sqlite
//
// It exits 1 when a test or a package failed. `make test` runs it once per engine, so
// CI shows how many tests ran on each.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// event is one line of test2json's output.
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

type counts struct {
	passed, failed, skipped, packages int
	packageFailed                     bool
}

func main() {
	label := "tests"
	if len(os.Args) > 1 {
		label = os.Args[1]
	}
	c, err := summarize(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	fmt.Printf("%s: %d tests passed, %d failed, %d skipped, in %d packages\n", label, c.passed, c.failed, c.skipped, c.packages)
	if c.failed > 0 || c.packageFailed {
		os.Exit(1)
	}
}

// summarize reads the events of in and writes the plain report to out.
func summarize(in io.Reader, out io.Writer) (counts, error) {
	var c counts
	output := map[string][]string{} // package/test → its output lines, until it ends
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil || e.Action == "" {
			fmt.Fprintln(out, string(line)) // build errors come as plain text
			continue
		}
		key := e.Package + "\x00" + e.Test
		switch e.Action {
		case "build-output":
			io.WriteString(out, e.Output)
		case "output":
			output[key] = append(output[key], e.Output)
		case "pass", "fail", "skip":
			if e.Test == "" {
				c.packages++
				if e.Action == "fail" {
					c.packageFailed = true
					io.WriteString(out, strings.Join(output[key], ""))
				}
				fmt.Fprintf(out, "%-4s\t%s\t%s\n", map[string]string{"pass": "ok", "fail": "FAIL", "skip": "?"}[e.Action],
					e.Package, time.Duration(e.Elapsed*float64(time.Second)).Round(time.Millisecond))
			} else {
				switch e.Action {
				case "pass":
					c.passed++
				case "fail":
					c.failed++
					io.WriteString(out, strings.Join(output[key], ""))
				case "skip":
					c.skipped++
				}
			}
			delete(output, key)
		}
	}
	return c, sc.Err()
}
