package bench

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// process is a started server: its command and how long it took to answer.
type process struct {
	cmd     *exec.Cmd
	waitc   chan error // receives the exit status
	startup time.Duration

	stopOnce sync.Once
	stopErr  error
}

// startProcess starts cmd and waits until GET url answers 200 (at most 30 s).
func startProcess(ctx context.Context, cmd *exec.Cmd, url string) (*process, error) {
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	p := &process{cmd: cmd, waitc: exited}
	client := &http.Client{Timeout: time.Second}
	for time.Since(start) < 30*time.Second {
		select {
		case err := <-exited:
			return nil, fmt.Errorf("%s exited before answering: %v", cmd.Path, err)
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		default:
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				p.startup = time.Since(start)
				return p, nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	p.cmd.Process.Kill()
	return nil, fmt.Errorf("%s did not answer %s within 30 s", cmd.Path, url)
}

// peakRSS returns the process's peak resident set (VmHWM) in MiB.
func (p *process) peakRSS() (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", p.cmd.Process.Pid)
}

// stop sends SIGTERM and waits up to 15 s for a clean exit before killing; calling it
// again returns the first result.
func (p *process) stop() error {
	p.stopOnce.Do(func() { p.stopErr = p.terminate() })
	return p.stopErr
}

func (p *process) terminate() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.waitc:
		return err
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		return fmt.Errorf("%s did not stop within 15 s", p.cmd.Path)
	}
}
