package build

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// TestTerminalOrNil: progress goes only to a terminal; /dev/null is a
// character device but not a terminal, and a redirected stderr must stay
// free of progress lines.
func TestTerminalOrNil(t *testing.T) {
	t.Parallel()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if w := TerminalOrNil(null); w != nil {
		t.Errorf("TerminalOrNil(%s) = %v, want nil", os.DevNull, w)
	}
	file, err := os.Create(t.TempDir() + "/log")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if w := TerminalOrNil(file); w != nil {
		t.Errorf("TerminalOrNil(a regular file) = %v, want nil", w)
	}
	if w := TerminalOrNil(new(bytes.Buffer)); w != nil {
		t.Errorf("TerminalOrNil(a buffer) = %v, want nil", w)
	}
	pty := openPTY(t)
	if w := TerminalOrNil(pty); w != pty {
		t.Errorf("TerminalOrNil(a pseudo-terminal) = %v, want it back", w)
	}
}

// openPTY opens the terminal side of a new pseudo-terminal, skipping the
// test where the system has none.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	ptm, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { ptm.Close() })
	if err := unix.IoctlSetPointerInt(int(ptm.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptm.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pseudo-terminal number: %v", err)
	}
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { pts.Close() })
	return pts
}
