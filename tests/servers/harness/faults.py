# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault proxy, run as its own process: python3 faults.py CONFIG.

One listener per fault on 127.0.0.1, each on its own free port:
  imap-strip-starttls  in front of IMAP: STARTTLS removed from every capability list,
                       a STARTTLS command answered with BAD (a stripping attacker)
  imap-drop            forwards the greeting, closes after the client's first command
  imap-refuse-login    forwards, but LOGIN/AUTHENTICATE get NO [AUTHENTICATIONFAILED]
  smtp-strip-starttls  in front of the SMTP sink: STARTTLS removed from EHLO, the
                       command answered with 502
  http-drop            reads the request head, closes without an answer
  tarpit               accepts and never answers
and a closed port: bound but never listening, so connecting is refused.
"""

import asyncio
import json
import os
import re
import socket
import sys

LIMIT = 16 * 1024 * 1024
FAULTS = ('imap-strip-starttls', 'imap-drop', 'imap-refuse-login', 'smtp-strip-starttls',
          'http-drop', 'tarpit')

CAPABILITY_LINE = re.compile(rb'^(\* OK \[CAPABILITY |\* CAPABILITY |\S+ OK \[CAPABILITY )',
                             re.I)
STARTTLS_TOKEN = re.compile(rb' STARTTLS(?=[ \]\r\n])', re.I)
IMAP_STARTTLS = re.compile(rb'^(\S+) +STARTTLS\s*$', re.I)
IMAP_LOGIN = re.compile(rb'^(\S+) +(LOGIN|AUTHENTICATE)\b', re.I)
LITERAL_PLUS = re.compile(rb'\{(\d+)\+\}\r?\n$')


def close(*writers):
    for w in writers:
        try:
            w.close()
        except (OSError, RuntimeError):
            pass


async def pump_lines(reader, writer, transform=None):
    """Copies lines from READER to WRITER until EOF, through TRANSFORM if given."""
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            if transform is not None:
                line = transform(line)
            if line:
                writer.write(line)
                await writer.drain()
    except (OSError, asyncio.LimitOverrunError, ValueError):
        pass


async def relay(creader, cwriter, upstream, client_to_server, server_to_client=None):
    """Connects to UPSTREAM and relays both ways; CLIENT_TO_SERVER(line, uwriter) may
    answer the client itself and returns the line to forward (or None)."""
    try:
        ureader, uwriter = await asyncio.open_connection(*upstream, limit=LIMIT)
    except OSError:
        close(cwriter)
        return

    async def up():
        try:
            while True:
                line = await creader.readline()
                if not line:
                    break
                line = await client_to_server(line, creader, cwriter)
                if line:
                    uwriter.write(line)
                    await uwriter.drain()
        except (OSError, asyncio.LimitOverrunError, ValueError):
            pass

    tasks = [asyncio.ensure_future(up()),
             asyncio.ensure_future(pump_lines(ureader, cwriter, server_to_client))]
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for t in tasks:
        t.cancel()
    close(cwriter, uwriter)


# ---------------------------------------------------------------- IMAP

def strip_imap_capability(line):
    if CAPABILITY_LINE.match(line):
        return STARTTLS_TOKEN.sub(b'', line)
    return line


async def skip_literals(line, creader):
    """After refusing a command, drops the LITERAL+ data the client sends with it."""
    while True:
        m = LITERAL_PLUS.search(line)
        if not m:
            return
        await creader.readexactly(int(m.group(1)))
        line = await creader.readline()


def imap_strip_starttls(cfg):
    async def client_to_server(line, creader, cwriter):
        m = IMAP_STARTTLS.match(line)
        if m:
            cwriter.write(m.group(1) + b' BAD STARTTLS is not available\r\n')
            await cwriter.drain()
            return None
        return line

    async def handle(creader, cwriter):
        await relay(creader, cwriter, cfg['imap'], client_to_server, strip_imap_capability)
    return handle


def imap_refuse_login(cfg):
    async def client_to_server(line, creader, cwriter):
        m = IMAP_LOGIN.match(line)
        if m:
            await skip_literals(line, creader)
            cwriter.write(m.group(1) + b' NO [AUTHENTICATIONFAILED] Authentication failed.\r\n')
            await cwriter.drain()
            return None
        return line

    async def handle(creader, cwriter):
        await relay(creader, cwriter, cfg['imap'], client_to_server)
    return handle


def imap_drop(cfg):
    async def handle(creader, cwriter):
        uwriter = None
        try:
            ureader, uwriter = await asyncio.open_connection(*cfg['imap'], limit=LIMIT)
            greeting = await ureader.readline()
            cwriter.write(greeting)
            await cwriter.drain()
            await creader.readline()
        except (OSError, ValueError):
            pass
        close(cwriter, *([uwriter] if uwriter else []))
    return handle


# ---------------------------------------------------------------- SMTP

def smtp_strip_starttls(cfg):
    async def handle(creader, cwriter):
        pending = []  # this connection's multi-line reply, until its last line

        def server_to_client(line):
            pending.append(line)
            if len(line) >= 4 and line[3:4] == b'-':
                return b''
            lines = [ln for ln in pending if ln[4:].strip().upper() != b'STARTTLS']
            pending.clear()
            if not lines:
                return b''
            out = [ln[:3] + b'-' + ln[4:] for ln in lines[:-1]]
            last = lines[-1]
            out.append(last[:3] + b' ' + last[4:] if len(last) >= 4 else last)
            return b''.join(out)

        async def client_to_server(line, creader, cwriter):
            if line.strip().upper() == b'STARTTLS':
                cwriter.write(b'502 5.5.1 STARTTLS not available\r\n')
                await cwriter.drain()
                return None
            return line

        await relay(creader, cwriter, cfg['smtp'], client_to_server, server_to_client)
    return handle


# ---------------------------------------------------------------- HTTP and TCP

def http_drop(cfg):
    async def handle(creader, cwriter):
        try:
            await asyncio.wait_for(creader.readuntil(b'\r\n\r\n'), timeout=5)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError):
            pass
        close(cwriter)
    return handle


def tarpit(cfg):
    async def handle(creader, cwriter):
        try:
            while await creader.read(65536):
                pass
        except OSError:
            pass
        close(cwriter)
    return handle


HANDLERS = {
    'imap-strip-starttls': imap_strip_starttls,
    'imap-drop': imap_drop,
    'imap-refuse-login': imap_refuse_login,
    'smtp-strip-starttls': smtp_strip_starttls,
    'http-drop': http_drop,
    'tarpit': tarpit,
}


def listen_socket(host):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((host, 0))
    s.listen(64)
    return s


async def main(cfg):
    cfg['imap'] = (cfg['host'], cfg['imap_port'])
    cfg['smtp'] = (cfg['host'], cfg['smtp_port'])
    ports = {}
    servers = []
    for name in FAULTS:
        sock = listen_socket(cfg['host'])
        servers.append(await asyncio.start_server(HANDLERS[name](cfg), sock=sock, limit=LIMIT))
        ports[name] = sock.getsockname()[1]

    # Bound, never listening: the kernel refuses connections, and no one else can take it.
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed.bind((cfg['host'], 0))
    ports['closed'] = closed.getsockname()[1]
    ports['pid'] = os.getpid()

    with open(cfg['ready'] + '.tmp', 'w') as f:
        json.dump(ports, f)
    os.rename(cfg['ready'] + '.tmp', cfg['ready'])
    await asyncio.Event().wait()


if __name__ == '__main__':
    with open(sys.argv[1]) as f:
        config = json.load(f)
    try:
        asyncio.run(main(config))
    except KeyboardInterrupt:
        pass
