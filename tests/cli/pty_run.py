"""Runs a command with stderr on a pseudo-terminal (stdout discarded) and
prints what the terminal received, as a Python bytes literal, then the exit
status ("exit N" or "signal NAME").

    pty_run.py [--signal NAME] -- CMD...

--signal: once the progress line shows, stop the process, send it NAME, and
let it continue: the signal arrives while the line is on the terminal."""
import os, pty, select, signal, subprocess, sys

args = sys.argv[1:]
sig = None
if args[0] == "--signal":
    sig = getattr(signal, args[1])
    args = args[2:]
if args[0] == "--":
    args = args[1:]

master, slave = pty.openpty()
p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
out = b""
sent = False
while True:
    r, _, _ = select.select([master], [], [], 30)
    if not r:
        p.kill()
        break
    try:
        chunk = os.read(master, 4096)
    except OSError:  # EIO: the last writer closed the terminal
        break
    if not chunk:
        break
    out += chunk
    if sig and not sent and b"dscan: scanning" in out:
        os.kill(p.pid, signal.SIGSTOP)
        os.kill(p.pid, sig)
        os.kill(p.pid, signal.SIGCONT)
        sent = True
rc = p.wait()
print(repr(out))
print("signal " + signal.Signals(-rc).name if rc < 0 else "exit %d" % rc)
