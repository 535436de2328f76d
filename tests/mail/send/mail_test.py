# SPDX-License-Identifier: GPL-3.0-or-later
# What the Python mail tests share: TAP checks, Mail1 calls on the session bus, waiting
# for a condition, stopping Kontor cleanly and adding the test user's account.
import os
import signal
import subprocess
import sys
import time

from gi.repository import Gio, GLib

env = os.environ
NAME, PATH, MAIL1 = 'io.github.kontor.Kontor', '/io/github/kontor/Kontor', 'io.github.kontor.Mail1'
_count = 0
_failed = 0


def check(ok, description, detail=None):
    global _count, _failed
    _count += 1
    _failed += 0 if ok else 1
    print(('ok' if ok else 'not ok') + f' {_count} - {description}', flush=True)
    if not ok and detail is not None:
        print('# ' + str(detail).replace('\n', '\n# '), flush=True)
    return ok


def done():
    """Ends the TAP output with the plan; exits 1 when a check failed."""
    print(f'1..{_count}')
    sys.exit(1 if _failed else 0)


bus = Gio.bus_get_sync(Gio.BusType.SESSION)


def call(method, signature=None, *args, interface=MAIL1, name=NAME, path=PATH, timeout=120):
    reply = bus.call_sync(name, path, interface, method,
                          GLib.Variant(signature, args) if signature else None, None,
                          Gio.DBusCallFlags.NONE, timeout * 1000, None)
    return reply.unpack() if reply is not None else ()


def remote_error(function):
    try:
        function()
    except GLib.Error as e:
        return Gio.DBusError.get_remote_error(e) or e.message
    return None


def outbox():
    return {m['id']: m for m in call('ListOutbox')[0]}


def wait(until, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = until()
        if value:
            return value
        time.sleep(0.1)
    return until()


def bus_call(method, *args):
    return call(method, '(s)', *args, interface='org.freedesktop.DBus', name='org.freedesktop.DBus',
                path='/org/freedesktop/DBus')[0]


def stop_app():
    pid = bus_call('GetConnectionUnixProcessID', NAME)
    os.kill(pid, signal.SIGTERM)
    wait(lambda: not os.path.exists(f'/proc/{pid}') or
         open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()[0] == 'Z', 20)
    # The bus drops the name a moment after the process is gone; a call before that
    # would go to the old owner and end in NoReply.
    wait(lambda: not bus_call('NameHasOwner', NAME), 20)


def add_test_account(display_name, smtp_port=None, *options):
    """Adds the test user's mail account (SMTP on the sink unless @smtp_port) and waits
    until Mail syncs it; bails out of the test when it cannot be added."""
    r = subprocess.run([env['KONTORCTL_BIN'], 'accounts', 'add',
                        f"{env['KONTOR_TEST_USER']}@{env['KONTOR_TEST_MAIL_DOMAIN']}",
                        '--display-name', display_name, *options,
                        '--username', env['KONTOR_TEST_USER'],
                        '--imap-host', env['KONTOR_TEST_HOST'],
                        '--imap-port', env['KONTOR_TEST_IMAPS_PORT'], '--imap-security', 'tls',
                        '--smtp-host', env['KONTOR_TEST_HOST'],
                        '--smtp-port', str(smtp_port or env['KONTOR_TEST_SMTP_PORT']),
                        '--smtp-security', 'starttls', '--caldav-url', '', '--carddav-url', '',
                        '--webdav-url', '', '--trusted-certificate', env['KONTOR_TEST_CA_CERT']],
                       input=env['KONTOR_TEST_PASSWORD'] + '\n', capture_output=True, text=True)
    account = r.stdout.strip()
    if not check(r.returncode == 0 and account, 'the account is added', r.stderr):
        print('Bail out! no account')
        sys.exit(1)
    wait(lambda: remote_error(lambda: call('Sync', '(s)', account)) is None, 30)
    return account
