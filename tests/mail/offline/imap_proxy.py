#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A TCP proxy in front of the test servers' IMAPS port that a test can slow down and cut,
like a bad network: the TLS stream passes through untouched, so the client still talks to
Dovecot and checks its certificate.

    imap_proxy.py PORT-FILE CONTROL-SOCKET TARGET-HOST TARGET-PORT

Listens on a free port of 127.0.0.1 (written to PORT-FILE once it listens) and takes
one-line commands on the Unix socket CONTROL-SOCKET, answering one line:
  stats            "down=BYTES conns=N accepted=N cuts=N": bytes sent to clients so far,
                   connections open now and accepted so far
  rate BYTES       send at most BYTES per second to clients from now on (0: no limit)
  cut-after BYTES  cut every connection once BYTES more were sent to clients
  cut              cut every connection now (a reset, no goodbye)
"""
import asyncio
import os
import socket
import struct
import sys


class Proxy:
    def __init__(self, host, port):
        self.target = (host, port)
        self.conns = set()
        self.rate = 0
        self.down = 0
        self.cut_at = None
        self.cuts = 0
        self.accepted = 0

    async def handle(self, client_reader, client_writer):
        self.accepted += 1
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        conn = (client_writer, server_writer)
        self.conns.add(conn)
        await asyncio.gather(self.pump(client_reader, server_writer, conn, False),
                             self.pump(server_reader, client_writer, conn, True))
        self.conns.discard(conn)

    async def pump(self, reader, writer, conn, down):
        try:
            while True:
                data = await reader.read(max(512, self.rate // 20) if self.rate else 65536)
                if not data:
                    break
                if down and self.rate:
                    await asyncio.sleep(len(data) / self.rate)
                if conn not in self.conns:
                    break
                writer.write(data)
                await writer.drain()
                if down:
                    self.down += len(data)
                    if self.cut_at is not None and self.down >= self.cut_at:
                        self.cut_at = None
                        self.cut()
        except (OSError, ConnectionError):
            pass
        finally:
            for w in conn:
                w.transport.abort()

    def cut(self):
        self.cuts += 1
        for conn in list(self.conns):
            self.conns.discard(conn)
            for w in conn:
                sock = w.get_extra_info('socket')
                try:
                    # RST instead of FIN: the peer sees the connection reset.
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                except (OSError, AttributeError):
                    pass
                w.transport.abort()

    async def control(self, reader, writer):
        line = (await reader.readline()).decode().split()
        answer = 'ok'
        if line[:1] == ['rate'] and len(line) == 2:
            self.rate = int(line[1])
        elif line[:1] == ['cut-after'] and len(line) == 2:
            self.cut_at = self.down + int(line[1])
        elif line == ['cut']:
            self.cut()
        elif line != ['stats']:
            answer = 'error: unknown command'
        writer.write(f'{answer} down={self.down} conns={len(self.conns)} '
                     f'accepted={self.accepted} cuts={self.cuts}\n'.encode())
        await writer.drain()
        writer.close()


async def main(port_file, control_path, host, port):
    proxy = Proxy(host, int(port))
    server = await asyncio.start_server(proxy.handle, '127.0.0.1', 0)
    await asyncio.start_unix_server(proxy.control, control_path)
    tmp = port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write(f"{server.sockets[0].getsockname()[1]}\n")
    os.rename(tmp, port_file)
    # Ends with the test script that started it, whatever happens to that.
    parent = os.getppid()
    while os.getppid() == parent:
        await asyncio.sleep(1)


if __name__ == '__main__':
    asyncio.run(main(*sys.argv[1:5]))
