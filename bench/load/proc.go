package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clockTick is USER_HZ, the unit of utime and stime in /proc/PID/stat: 100
// on every Linux architecture Go runs on.
const clockTick = 100

// buildBinaries builds bluehats-bot and the echo bot into dir, as an
// operator would, so that each runs as a process of its own.
func buildBinaries(ctx context.Context, root, dir string) (bluehats, echo string, err error) {
	bluehats, echo = filepath.Join(dir, "bluehats-bot"), filepath.Join(dir, "echobot")
	for _, b := range []struct{ out, pkg string }{{bluehats, "./cmd/bluehats-bot"}, {echo, "./bench/echobot"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-tags", "goolm", "-o", b.out, b.pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("build %s: %w\n%s", b.pkg, err, out)
		}
	}
	return bluehats, echo, nil
}

// proc is a bot running as a separate process. Its output lines are kept
// (and copied to a log file) so that scenarios can wait for one.
type proc struct {
	name    string
	cmd     *exec.Cmd
	started time.Time
	exited  chan struct{}
	exitErr error

	mu     sync.Mutex
	lines  []line
	notify chan struct{} // closed and replaced at each new line
}

type line struct {
	text string
	at   time.Time
}

// startProc runs bin with args; stdout and stderr are both read as lines.
func startProc(name, bin, logPath string, args ...string) (*proc, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: exec.Command(bin, args...), exited: make(chan struct{}), notify: make(chan struct{})}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	var readers sync.WaitGroup
	var logMu sync.Mutex
	for _, r := range []io.Reader{stdout, stderr} {
		readers.Add(1)
		go func() {
			defer readers.Done()
			sc := bufio.NewScanner(r)
			sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
			for sc.Scan() {
				p.add(sc.Text())
				logMu.Lock()
				fmt.Fprintln(logFile, sc.Text())
				logMu.Unlock()
			}
		}()
	}
	go func() {
		// Wait must come after the pipes are drained.
		readers.Wait()
		p.exitErr = p.cmd.Wait()
		logFile.Close()
		close(p.exited)
		p.add("") // wake waiters so they see the exit
	}()
	return p, nil
}

func (p *proc) add(text string) {
	p.mu.Lock()
	if text != "" {
		p.lines = append(p.lines, line{text: text, at: time.Now()})
	}
	close(p.notify)
	p.notify = make(chan struct{})
	p.mu.Unlock()
}

// mark is the number of lines so far: waitLine(mark, …) looks only at
// what comes after.
func (p *proc) mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.lines)
}

// waitLine returns the first line from index from on that satisfies pred.
func (p *proc) waitLine(ctx context.Context, from int, timeout time.Duration, what string, pred func(string) bool) (line, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		for _, l := range p.lines[min(from, len(p.lines)):] {
			if pred(l.text) {
				p.mu.Unlock()
				return l, nil
			}
		}
		from = len(p.lines)
		ch := p.notify
		p.mu.Unlock()
		select {
		case <-ch:
		case <-p.exited:
			return line{}, fmt.Errorf("%s exited (%v) while waiting for %s; last lines:\n%s", p.name, p.exitErr, what, p.tail(15))
		case <-deadline.C:
			return line{}, fmt.Errorf("%s: no %s within %s; last lines:\n%s", p.name, what, timeout, p.tail(15))
		case <-ctx.Done():
			return line{}, fmt.Errorf("%s: waiting for %s: %w", p.name, what, ctx.Err())
		}
	}
}

func (p *proc) tail(n int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, l := range p.lines[max(0, len(p.lines)-n):] {
		b.WriteString("  " + l.text + "\n")
	}
	return b.String()
}

// stop sends SIGTERM and waits for the exit, killing the process after 20 s.
func (p *proc) stop() error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s did not stop within 20 s of SIGTERM; killed", p.name)
	}
	if p.exitErr != nil {
		return fmt.Errorf("%s exited with %w; last lines:\n%s", p.name, p.exitErr, p.tail(15))
	}
	return nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// memory reads the resident set size and its high-water mark, in bytes.
func memory(pid int) (rss, hwm int64, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, fmt.Errorf("read memory of %d: %w", pid, err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		key, val, ok := strings.Cut(l, ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("parse %s of %d: %w", key, pid, err)
		}
		if key == "VmRSS" {
			rss = kb * 1024
		} else {
			hwm = kb * 1024
		}
	}
	return rss, hwm, nil
}

// resetPeak restarts VmHWM from the current RSS (Linux ≥ 4.0), so that a
// peak can be read for one scenario rather than the whole life.
func resetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// cpuTime reads the user plus system CPU time a process has used.
func cpuTime(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read CPU time of %d: %w", pid, err)
	}
	// The command name may hold spaces; the fields after it do not.
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	// utime and stime are fields 14 and 15 of the file, 12 and 13 here.
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse /proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTick, nil
}
