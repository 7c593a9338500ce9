/**
 * A pseudo-terminal for `exec -t` and containers with `tty: true`: a small Python helper (Python 3 is on
 * every machine the local node runs on) runs the command on a pty, copies stdin/stdout, and applies the
 * resize messages it reads on fd 3 (`{"Width":W,"Height":H}` JSON, as the resize stream carries them).
 * `python` is the interpreter to use (inside a container: the host's, by absolute path, whatever the image's
 * PATH puts first).
 */
export function ttyCommand(argv: readonly string[], python = 'python3'): string[] {
  return [python, '-c', PTY_HELPER, ...argv];
}

const PTY_HELPER = `
import fcntl, json, os, pty, select, struct, sys, termios
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
inputs = [0]
try:
    os.fstat(3)
    inputs.append(3)
except OSError:
    pass
buf = ''
def readable(n):
    try:
        return os.read(n, 65536)
    except OSError:
        return b''
while True:
    try:
        r, _, _ = select.select([fd] + inputs, [], [])
    except InterruptedError:
        continue
    if fd in r:
        data = readable(fd)
        if not data:
            break
        os.write(1, data)
    if 0 in r:
        data = readable(0)
        if data:
            os.write(fd, data)
        else:
            inputs.remove(0)
    if 3 in r:
        data = readable(3)
        if not data:
            inputs.remove(3)
        buf = (buf + data.decode(errors='replace')).lstrip()
        while buf:
            try:
                msg, end = json.JSONDecoder().raw_decode(buf)
            except ValueError:
                break
            buf = buf[end:].lstrip()
            size = struct.pack('HHHH', int(msg.get('Height', 24)), int(msg.get('Width', 80)), 0, 0)
            fcntl.ioctl(fd, termios.TIOCSWINSZ, size)
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
`;
