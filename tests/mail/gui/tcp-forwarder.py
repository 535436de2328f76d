#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# tcp-forwarder.py LISTEN-PORT TARGET-PORT: forwards 127.0.0.1:LISTEN-PORT to
# TARGET-PORT until killed; a GUI test ends it to make a server unreachable.
import socket
import sys
import threading


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


listen, target = int(sys.argv[1]), int(sys.argv[2])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', listen))
server.listen(8)
while True:
    client, _ = server.accept()
    upstream = socket.create_connection(('127.0.0.1', target))
    for a, b in ((client, upstream), (upstream, client)):
        threading.Thread(target=pipe, args=(a, b), daemon=True).start()
