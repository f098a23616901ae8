package gateway

import (
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Write deadlines: every response must be written within
// DefaultWriteBase plus its body's size at DefaultMinWriteRate, so a client
// that stops reading is disconnected and the file it asked for is closed.
const (
	// DefaultWriteBase is the time every response gets, whatever its size.
	DefaultWriteBase = 10 * time.Second
	// DefaultMinWriteRate is the slowest rate, in bytes per second, at
	// which a client may read a body before it is disconnected.
	DefaultMinWriteRate = 64 << 10
	// handlerTime is what a response other than a file gets on top of the
	// base time: a sign-in callback waits for the provider first.
	handlerTime = time.Minute
)

// WithWriteDeadline sets the time every response gets (base) and the
// slowest rate in bytes per second a body may be read at (minRate); the
// defaults are DefaultWriteBase and DefaultMinWriteRate.
func WithWriteDeadline(base time.Duration, minRate int64) Option {
	return func(o *options) { o.writeBase, o.writeRate = base, minRate }
}

// writeDeadline sets the response's write deadline to now plus the base
// time plus size bytes at the minimum rate. A writer that cannot take a
// deadline (a test recorder) is left as it is.
func (s *Server) writeDeadline(w http.ResponseWriter, size int64) {
	d := s.writeBase
	if size > 0 && s.writeRate > 0 {
		d += time.Duration(size/s.writeRate)*time.Second +
			time.Duration(size%s.writeRate)*time.Second/time.Duration(s.writeRate)
	}
	setWriteDeadline(w, d)
}

// setWriteDeadline gives the response d from now to be written.
func setWriteDeadline(w http.ResponseWriter, d time.Duration) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
}

// limitListener accepts at most cap(sem) connections at a time: Accept
// waits for one to close before taking the next, which meanwhile waits in
// the kernel's accept queue.
type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// limitConns wraps ln so that at most n connections are open at a time.
func limitConns(ln net.Listener, n int) net.Listener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

// Accept waits for a free slot, then for a connection.
func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

// Close stops accepting and wakes an Accept waiting for a slot.
func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitConn frees its listener's slot when first closed.
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

// Close closes the connection and frees its slot.
func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// ReadFrom keeps the connection's own ReadFrom (sendfile) when it has one.
func (c *limitConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

// CloseWrite half-closes the connection when it can, as net/http asks
// before closing a connection it has answered on.
func (c *limitConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
