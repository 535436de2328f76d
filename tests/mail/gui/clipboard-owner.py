#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Puts something on the clipboard of the X display, as another program would, and
keeps it there until killed: "files PATH..." as a file manager copies files
(text/uri-list, and the paths as text), "image PNG" as a screenshot tool copies an
image, "text TEXT" as plain text. Writes READY-FILE once the clipboard is owned."""
import sys

import gi

gi.require_version('Gdk', '4.0')
gi.require_version('Gtk', '4.0')
from gi.repository import Gdk, Gio, GLib, Gtk  # noqa: E402

ready, kind, values = sys.argv[1], sys.argv[2], sys.argv[3:]
Gtk.init()
clipboard = Gdk.Display.get_default().get_clipboard()


def provider(mime_type, data):
    return Gdk.ContentProvider.new_for_bytes(mime_type, GLib.Bytes.new(data))


if kind == 'files':
    uris = ''.join(Gio.File.new_for_path(p).get_uri() + '\r\n' for p in values)
    content = Gdk.ContentProvider.new_union([
        provider('text/uri-list', uris.encode()),
        provider('text/plain;charset=utf-8', '\n'.join(values).encode()),
    ])
elif kind == 'image':
    with open(values[0], 'rb') as f:
        content = provider('image/png', f.read())
else:
    content = provider('text/plain;charset=utf-8', values[0].encode())
clipboard.set_content(content)


def owned():
    with open(ready, 'w') as f:
        f.write('ready\n')
    return GLib.SOURCE_REMOVE


GLib.timeout_add(300, owned)
GLib.MainLoop().run()
