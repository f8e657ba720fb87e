// Package logbuf buffers a process's log lines and writes them out in batches: a busy
// service logs a line per request, and one write call per line was a measurable share
// of a look-up's CPU.
package logbuf

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// Writer buffers writes to an underlying writer and flushes them every interval, when
// the buffer fills, and on Close. Each Write is kept whole. It is safe for concurrent use.
type Writer struct {
	mu   sync.Mutex
	buf  *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

// New starts a Writer on w that flushes at least every interval.
func New(w io.Writer, interval time.Duration) *Writer {
	b := &Writer{buf: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go b.run(interval)
	return b
}

func (b *Writer) run(interval time.Duration) {
	defer close(b.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.Flush()
		case <-b.stop:
			return
		}
	}
}

// Write appends p to the buffer (writing the buffer out first when p does not fit).
func (b *Writer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(p) > b.buf.Available() && b.buf.Buffered() > 0 {
		if err := b.buf.Flush(); err != nil {
			return 0, err
		}
	}
	return b.buf.Write(p)
}

// Flush writes out what is buffered.
func (b *Writer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Flush()
}

// Close stops the timer and writes out what is buffered. Writes after Close still
// buffer; call Flush again for them.
func (b *Writer) Close() error {
	close(b.stop)
	<-b.done
	return b.Flush()
}
