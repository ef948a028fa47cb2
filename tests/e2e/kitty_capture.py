"""kitty_capture.py: the explorer's kitty graphics bytes, read from a pty
and checked against the kitty graphics protocol
(sw.kovidgoyal.net/kitty/graphics-protocol): used by ui-kitty.sh.

  kitty_capture.py LINSCOPE WORKDIR

Runs `LINSCOPE tui --pixels kitty` in a 120x40 pty of 10x20-pixel cells,
waits for the first image, makes a direction and slides it (keys), waits
for the image to be replaced, opens and closes the help, quits. Then
checks every APC G command it wrote:
  - ESC _ G keys ; payload ESC \\, payloads base64 (the standard alphabet),
    at most 4096 bytes each, every chunk but the last a multiple of 4;
  - a transmission starts with a=T, f=32 (RGBA), o=z, s, v, c, r, i, q=2
    (no replies), C=1; its continuations carry only m (m=1 on all but the
    last, m=0 last); the payload inflates to s*v*4 bytes;
  - an image replaced on redraw (the slide, the help screen over the
    panes) is deleted by id (a=d,d=I,i=ID) or by a delete-all (a=d,d=A),
    no image sent is left undeleted, and the last command is d=A (exit);
Prints what it saw; exit 0 when every check holds.
"""
import base64
import fcntl
import os
import pty
import re
import select
import struct
import sys
import termios
import time
import zlib

B64 = re.compile(rb"^[A-Za-z0-9+/]*={0,2}$")
TIMEOUT = float(os.environ.get("UI_TIMEOUT", "60"))


def run(ls, work):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(work)
        for d in ("home", "state"):
            os.makedirs(d, exist_ok=True)
        os.environ.update({"TERM": "xterm-256color", "LC_ALL": "C.UTF-8", "ESCDELAY": "25",
                           "HOME": os.path.abspath("home"), "XDG_STATE_HOME": os.path.abspath("state")})
        for k in ("TMUX", "COLORTERM", "NO_COLOR", "LINSCOPE_PIXELS", "KITTY_WINDOW_ID"):
            os.environ.pop(k, None)
        os.execv(ls, [ls, "tui", "--pixels", "kitty"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 1200, 800))
    out = bytearray()

    def pump(cond, what):
        end = time.time() + TIMEOUT
        while not cond():
            if time.time() > end:
                open(os.path.join(work, "kitty.out"), "wb").write(out)
                raise SystemExit("timed out waiting for %s" % what)
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    out.extend(os.read(fd, 65536))
                except OSError:
                    return

    def nt():
        return out.count(b"\033_Ga=T")

    pump(lambda: nt() >= 1 and b"directions 0" in out, "the first image")
    first = nt()
    mark = len(out)
    os.write(fd, b":dir rows 3 7\r")
    pump(lambda: out.count(b"\033_Ga=T", mark) >= 1, "the direction's strip")
    mark = len(out)
    os.write(fd, b"LLLL")
    pump(lambda: out.count(b"\033_Ga=T", mark) >= 1 and out.count(b"\033_Ga=d", mark) >= 1, "the slide")
    mark = len(out)
    os.write(fd, b"?")
    pump(lambda: b"move in the focused pane" in out[mark:] and out.count(b"\033_Ga=d", mark) >= 1, "the help screen")
    mark = len(out)
    os.write(fd, b"q")
    pump(lambda: out.count(b"\033_Ga=T", mark) >= 1, "the images after the help")
    os.write(fd, b"qy")
    end = time.time() + TIMEOUT
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            out.extend(data)
    _, status = os.waitpid(pid, 0)
    return bytes(out), first, os.WEXITSTATUS(status)


def check(out):
    cmds = re.findall(rb"\033_G([^;\033]*)(?:;([^\033]*))?\033\\", out)
    bad, images, deleted, shown = [], 0, set(), []
    i = 0
    while i < len(cmds):
        keys, payload = cmds[i]
        kv = dict(p.split(b"=", 1) for p in keys.split(b",") if p)
        if kv.get(b"a") == b"q":   # the startup query (detect.c)
            i += 1
            continue
        if kv.get(b"a") == b"d":
            if kv.get(b"d") == b"A":
                deleted.update(shown)
            elif kv.get(b"d") == b"I":
                deleted.add(int(kv[b"i"]))
            i += 1
            continue
        if kv.get(b"a") != b"T":
            bad.append("unexpected command %r" % keys[:60])
            i += 1
            continue
        for k, v in ((b"f", b"32"), (b"o", b"z"), (b"q", b"2"), (b"C", b"1")):
            if kv.get(k) != v:
                bad.append("a=T without %s=%s" % (k.decode(), v.decode()))
        for k in (b"s", b"v", b"c", b"r", b"i", b"m"):
            if k not in kv:
                bad.append("a=T without %s" % k.decode())
        data, chunks = b"", [(kv, payload)]
        while chunks[-1][0].get(b"m") == b"1":
            i += 1
            if i >= len(cmds):
                bad.append("the last chunk is missing")
                break
            ck, cp = cmds[i]
            ckv = dict(p.split(b"=", 1) for p in ck.split(b",") if p)
            if set(ckv) != {b"m"}:
                bad.append("a continuation carries keys other than m: %r" % ck)
            chunks.append((ckv, cp))
        for n, (_, p) in enumerate(chunks):
            p = p or b""
            if len(p) > 4096:
                bad.append("a chunk of %d bytes" % len(p))
            if n + 1 < len(chunks) and len(p) % 4:
                bad.append("a middle chunk of %d bytes (not a multiple of 4)" % len(p))
            if not B64.match(p):
                bad.append("a payload outside the base64 alphabet")
            data += p
        try:
            raw = zlib.decompress(base64.b64decode(data, validate=True))
            if len(raw) != int(kv[b"s"]) * int(kv[b"v"]) * 4:
                bad.append("image %s: %d bytes, want s*v*4" % (kv[b"i"].decode(), len(raw)))
        except Exception as e:   # noqa: BLE001 (any decoding error is a failure)
            bad.append("payload does not decode: %s" % e)
        images += 1
        shown.append(int(kv[b"i"]))
        i += 1
    left = [x for x in set(shown) if x not in deleted]
    return bad, images, len(cmds), shown, left


def main():
    out, first, status = run(sys.argv[1], sys.argv[2])
    bad, images, ncmds, shown, left = check(out)
    tail = out[out.rfind(b"\033_G"):]
    print("%d commands, %d images sent (ids %s), first frame %d, exit %d"
          % (ncmds, images, sorted(set(shown))[:8], first, status))
    if left:
        bad.append("images never deleted: %s" % left)
    if not tail.startswith(b"\033_Ga=d,d=A"):
        bad.append("the last command is not a delete-all")
    if images < 2:
        bad.append("the slide sent no new image")
    if status != 0:
        bad.append("exit status %d" % status)
    for b in bad[:10]:
        print("bad: " + b)
    return 1 if bad else 0


sys.exit(main())
