package logbuf_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"regulars/internal/logbuf"
	"regulars/internal/testkit"
)

func TestLinesArriveWholeAndInOrder(t *testing.T) {
	var out testkit.LogBuffer
	w := logbuf.New(&out, time.Hour)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				fmt.Fprintf(w, "worker=%d line=%d %s\n", g, i, strings.Repeat("x", i%97))
			}
		}()
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	next := map[string]int{}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 16000 {
		t.Fatalf("%d lines, want 16000", len(lines))
	}
	for _, l := range lines {
		var g, i int
		if _, err := fmt.Sscanf(l, "worker=%d line=%d", &g, &i); err != nil {
			t.Fatalf("torn line %q", l)
		}
		key := fmt.Sprint(g)
		if i != next[key] || !strings.HasSuffix(l, " "+strings.Repeat("x", i%97)) {
			t.Fatalf("line %q out of order or cut (want line=%d)", l, next[key])
		}
		next[key]++
	}
}

func TestFlushedWithinTheInterval(t *testing.T) {
	var out testkit.LogBuffer
	w := logbuf.New(&out, 20*time.Millisecond)
	defer w.Close()
	fmt.Fprintln(w, "request served")
	if out.String() != "" {
		t.Fatal("written through at once; want it buffered")
	}
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != "request served\n" {
		if time.Now().After(deadline) {
			t.Fatalf("not flushed within 5 s: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
