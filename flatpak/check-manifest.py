#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sanity checks for the Kontor flatpak manifest.

Usage: check-manifest.py MANIFEST

Checks the identity of the application, that Kontor itself is the last
module and is built with meson, that every third-party source is pinned
(archive/file with sha256, git with a commit), and that the sandbox
permissions stay narrow.
"""

import json
import re
import sys

APP_ID = "io.github.kontor.Kontor"
COMMAND = "kontor"
RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"

# Permissions that would defeat the sandbox, or that we never need.
FORBIDDEN_FINISH_ARGS = [
    (re.compile(r"^--filesystem=(home|host|host-os|host-etc|~|/)(/?$|:|$)"),
     "grants the whole home directory or host file system"),
    (re.compile(r"^--socket=(session-bus|system-bus)$"),
     "grants unfiltered D-Bus access"),
    (re.compile(r"^--device=all$"), "grants every device"),
    (re.compile(r"^--socket=x11$"), "use --socket=fallback-x11 instead"),
    (re.compile(r"^--talk-name=org\.freedesktop\.Flatpak$"),
     "allows escaping the sandbox"),
]

REQUIRED_FINISH_ARGS = [
    "--socket=wayland",
    "--socket=fallback-x11",
    "--share=ipc",
    "--device=dri",
]

# Kontor talks to the host's evolution-data-server factories.
EDS_TALK_NAMES = [
    "--talk-name=org.gnome.evolution.dataserver.Sources5",
    "--talk-name=org.gnome.evolution.dataserver.AddressBook10",
    "--talk-name=org.gnome.evolution.dataserver.Calendar8",
]

BUS_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)+(\.\*)?$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")


def reject_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError("duplicate key %r" % key)
        seen[key] = value
    return seen


class Checker:
    def __init__(self):
        self.errors = []

    def error(self, msg):
        self.errors.append(msg)

    def expect(self, cond, msg):
        if not cond:
            self.error(msg)
        return cond

    def check_identity(self, m):
        app_id = m.get("id", m.get("app-id"))
        self.expect(app_id == APP_ID, "id is %r, expected %r" % (app_id, APP_ID))
        self.expect(not ("id" in m and "app-id" in m), "both 'id' and 'app-id' are set")
        self.expect(m.get("command") == COMMAND,
                    "command is %r, expected %r" % (m.get("command"), COMMAND))
        self.expect(m.get("runtime") == RUNTIME,
                    "runtime is %r, expected %r" % (m.get("runtime"), RUNTIME))
        self.expect(m.get("sdk") == SDK, "sdk is %r, expected %r" % (m.get("sdk"), SDK))
        rv = m.get("runtime-version")
        self.expect(isinstance(rv, str) and rv != "",
                    "runtime-version must be a non-empty string, got %r" % (rv,))

    def check_finish_args(self, m):
        args = m.get("finish-args")
        if not self.expect(isinstance(args, list) and all(isinstance(a, str) for a in args),
                           "finish-args must be a list of strings"):
            return
        self.expect(len(args) == len(set(args)), "finish-args has duplicates")
        for arg in args:
            for pattern, why in FORBIDDEN_FINISH_ARGS:
                if pattern.search(arg):
                    self.error("finish-arg %s is not allowed: %s" % (arg, why))
            if arg.startswith("--own-name="):
                self.error("finish-arg %s: the app id is owned implicitly" % arg)
            for prefix in ("--talk-name=", "--own-name=", "--system-talk-name="):
                if arg.startswith(prefix):
                    name = arg[len(prefix):]
                    self.expect(BUS_NAME.match(name) is not None,
                                "finish-arg %s: malformed bus name" % arg)
        for arg in REQUIRED_FINISH_ARGS:
            self.expect(arg in args, "finish-args lack %s" % arg)
        for arg in EDS_TALK_NAMES:
            self.expect(arg in args, "finish-args lack %s" % arg)

    def check_source(self, where, src):
        if isinstance(src, str):
            self.error("%s: external source file %r is not allowed" % (where, src))
            return
        kind = src.get("type")
        if kind in ("archive", "file"):
            if "url" in src or "mirror-urls" in src:
                self.expect(SHA256.match(src.get("sha256", "")) is not None,
                            "%s: %s source without a valid sha256" % (where, kind))
        elif kind == "git":
            self.expect(COMMIT.match(src.get("commit", "")) is not None,
                        "%s: git source not pinned to a commit" % where)
            self.expect("branch" not in src, "%s: git source follows a branch" % where)
        elif kind in ("dir", "patch", "script", "shell", "inline"):
            pass
        else:
            self.error("%s: unexpected source type %r" % (where, kind))

    def check_modules(self, m):
        modules = m.get("modules")
        if not self.expect(isinstance(modules, list) and modules, "modules must be a non-empty list"):
            return
        names = []
        for i, mod in enumerate(modules):
            if not self.expect(isinstance(mod, dict), "module %d must be inline, not %r" % (i, mod)):
                continue
            name = mod.get("name")
            if not self.expect(isinstance(name, str) and name, "module %d has no name" % i):
                continue
            names.append(name)
            sources = mod.get("sources")
            if not self.expect(isinstance(sources, list) and sources,
                               "module %s has no sources" % name):
                continue
            if name != COMMAND:
                for src in sources:
                    self.check_source("module %s" % name, src)
        self.expect(len(names) == len(set(names)), "duplicate module names: %r" % names)

        last = modules[-1]
        if not isinstance(last, dict):
            return
        self.expect(last.get("name") == COMMAND,
                    "last module is %r, expected %r" % (last.get("name"), COMMAND))
        self.expect(last.get("buildsystem") == "meson",
                    "last module builds with %r, expected 'meson'" % last.get("buildsystem"))
        self.expect("-Dtests=false" in last.get("config-opts", []),
                    "last module must be configured with -Dtests=false")
        self.expect(any(isinstance(s, dict) and s.get("type") == "dir" and s.get("path") == ".."
                        for s in last.get("sources", [])),
                    "last module must build from the repository root (dir source '..')")

    def check_cleanup(self, m):
        cleanup = m.get("cleanup", [])
        for pattern in ("/include", "/lib/pkgconfig", "*.la", "*.a"):
            self.expect(pattern in cleanup, "cleanup lacks %s" % pattern)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s MANIFEST\n" % argv[0])
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            manifest = json.load(f, object_pairs_hook=reject_duplicates)
    except (OSError, ValueError) as e:
        sys.stderr.write("%s: %s\n" % (argv[1], e))
        return 1
    if not isinstance(manifest, dict):
        sys.stderr.write("%s: top level is not an object\n" % argv[1])
        return 1

    c = Checker()
    c.check_identity(manifest)
    c.check_finish_args(manifest)
    c.check_modules(manifest)
    c.check_cleanup(manifest)

    for e in c.errors:
        sys.stderr.write("%s: %s\n" % (argv[1], e))
    if c.errors:
        return 1
    print("%s: ok (%d modules, %d finish-args)"
          % (argv[1], len(manifest["modules"]), len(manifest["finish-args"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
