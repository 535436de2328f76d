#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A TCP forwarder in front of a test server: stopped (or, run as a program, killed),
# its port refuses connections, so the server "goes away" for Kontor.
#   tcp_forwarder.py LISTEN-PORT TARGET-PORT   forwards until killed
import socket
import sys
import threading


class Forwarder:
    """TCP forwarder in front of the SMTP sink; stopped, its port refuses connections."""

    def __init__(self, target, port=0):
        self.target, self.server, self.port = target, None, port
        if port == 0:
            probe = socket.socket()
            probe.bind(('127.0.0.1', 0))
            self.port = probe.getsockname()[1]
            probe.close()

    def start(self):
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(('127.0.0.1', self.port))
        self.server.listen(8)
        threading.Thread(target=self.accept, args=(self.server,), daemon=True).start()

    def stop(self):
        # shutdown() first: it wakes the thread blocked in accept() and stops listening.
        try:
            self.server.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.server.close()
        self.server = None

    def accept(self, server):
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(('127.0.0.1', self.target))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def pipe(a, b):
        try:
            while (data := a.recv(65536)):
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


if __name__ == '__main__':
    forwarder = Forwarder(int(sys.argv[2]), int(sys.argv[1]))
    forwarder.start()
    threading.Event().wait()
