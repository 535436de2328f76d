#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Undo-send end to end: Mail1.Send with a "delay" holds the message in the Outbox;
# CancelOutbox within the delay means the SMTP sink never gets it; without that it is
# delivered once, not before the delay; Kontor stopped during the delay sends it once
# after the next start. kontorctl mail send --delay and the Outbox listing. TAP output.
import os
import signal
import subprocess
import sys
import time

from gi.repository import Gio, GLib

n = 0
failed = 0
env = os.environ
NAME, PATH, MAIL1 = 'io.github.kontor.Kontor', '/io/github/kontor/Kontor', 'io.github.kontor.Mail1'


def check(ok, description, detail=None):
    global n, failed
    n += 1
    failed += 0 if ok else 1
    print(('ok' if ok else 'not ok') + f' {n} - {description}', flush=True)
    if not ok and detail is not None:
        print('# ' + str(detail).replace('\n', '\n# '), flush=True)
    return ok


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


def received(subject):
    """The sink's messages with this subject, as (arrival time, bytes)."""
    out = []
    sink = env['KONTOR_TEST_SMTP_DIR']
    for name in sorted(os.listdir(sink)):
        if name.endswith('.eml'):
            path = os.path.join(sink, name)
            with open(path, 'rb') as f:
                raw = f.read()
            if f'Subject: {subject}'.encode() in raw:
                out.append((os.stat(path).st_mtime, raw))
    return out


def send(subject, delay=None, bcc=None):
    fields = {'to': GLib.Variant('as', ['ada@example.net']),
              'subject': GLib.Variant('s', subject), 'body': GLib.Variant('s', 'Undo me.')}
    if bcc:
        fields['bcc'] = GLib.Variant('as', [bcc])
    if delay is not None:
        fields['delay'] = GLib.Variant('u', delay)
    return call('Send', '(a{sv})', fields)[0]


def bus_call(method, *args):
    return call(method, '(s)', *args, interface='org.freedesktop.DBus', name='org.freedesktop.DBus',
                path='/org/freedesktop/DBus')[0]


def stop_app():
    pid = bus_call('GetConnectionUnixProcessID', NAME)
    os.kill(pid, signal.SIGTERM)
    wait(lambda: not os.path.exists(f'/proc/{pid}') or
         open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()[0] == 'Z', 20)
    wait(lambda: not bus_call('NameHasOwner', NAME), 20)


user, password, domain = env['KONTOR_TEST_USER'], env['KONTOR_TEST_PASSWORD'], env['KONTOR_TEST_MAIL_DOMAIN']
address = f'{user}@{domain}'
ctl = env['KONTORCTL_BIN']
r = subprocess.run([ctl, 'accounts', 'add', address, '--display-name', 'Undo Test', '--username', user,
                    '--imap-host', env['KONTOR_TEST_HOST'], '--imap-port', env['KONTOR_TEST_IMAPS_PORT'],
                    '--imap-security', 'tls', '--smtp-host', env['KONTOR_TEST_HOST'],
                    '--smtp-port', env['KONTOR_TEST_SMTP_PORT'], '--smtp-security', 'starttls',
                    '--caldav-url', '', '--carddav-url', '', '--webdav-url', '',
                    '--trusted-certificate', env['KONTOR_TEST_CA_CERT']],
                   input=password + '\n', capture_output=True, text=True)
account = r.stdout.strip()
if not check(r.returncode == 0 and account, 'the account is added', r.stderr):
    print('Bail out! no account')
    sys.exit(1)
wait(lambda: remote_error(lambda: call('Sync', '(s)', account)) is None, 30)

# ------------------------------------------------------ cancelled within the delay
subject = f'Undone {os.getpid()}'
before = time.time()
entry = send(subject, delay=5, bcc='hidden@example.com')
listed = outbox().get(entry, {})
check(listed.get('state') == 'queued' and before + 5 <= listed.get('send-after', 0) <= time.time() + 6,
      'Send with delay 5: queued, held until 5 s from now (send-after)', listed)
check(sorted(listed.get('recipients', [])) == ['ada@example.net', 'hidden@example.com'],
      'ListOutbox gives the envelope\'s recipients, Bcc included', listed)
time.sleep(2)
check(outbox().get(entry, {}).get('attempts') == 0, 'nothing is tried during the delay', outbox())
call('CancelOutbox', '(s)', entry)
check(entry not in outbox(), 'CancelOutbox within the delay removes it')
time.sleep(6)
check(received(subject) == [], 'the sink never gets a cancelled message', received(subject))

# ------------------------------------------------------------ sent after the delay
subject = f'Delayed {os.getpid()}'
before = time.time()
entry = send(subject, delay=2)
arrived = wait(lambda: received(subject), 60)
time.sleep(2)
check(len(received(subject)) == 1, 'Send with delay 2: delivered once', received(subject))
check(arrived and arrived[0][0] >= before + 2, '... not before 2 s', (before, arrived and arrived[0][0]))
wait(lambda: entry not in outbox(), 30)
check(entry not in outbox(), '... and gone from the Outbox')
subject = f'At once {os.getpid()}'
entry = send(subject)
check(outbox().get(entry, {'send-after': 0}).get('send-after') == 0,
      'without a delay nothing is held (send-after 0)', outbox())
check(wait(lambda: len(received(subject)) == 1, 60), '... and it is delivered')

# --------------------------------------------------- Kontor stops during the delay
subject = f'Survives {os.getpid()}'
entry = send(subject, delay=6)
held_until = outbox().get(entry, {}).get('send-after', 0)
stop_app()
check(received(subject) == [], 'Kontor stopped during the delay: nothing was sent')
listed = outbox().get(entry, {})  # starts Kontor again
check(listed.get('send-after') == held_until and listed.get('state') == 'queued',
      'after the restart the message is still held, until the same time', (held_until, listed))
arrived = wait(lambda: received(subject), 90)
time.sleep(3)
check(len(received(subject)) == 1, '... and is delivered once after the delay', received(subject))
check(arrived and arrived[0][0] >= held_until - 1, '... not before its time',
      (held_until, arrived and arrived[0][0]))

# ------------------------------------------------------------- errors, kontorctl
error = remote_error(lambda: call('Send', '(a{sv})', {'to': GLib.Variant('as', ['ada@example.net']),
                                                      'delay': GLib.Variant('s', '5')}))
check(error == 'io.github.kontor.Error.InvalidArgument', 'a delay that is not u is InvalidArgument', error)
subject = f'From kontorctl {os.getpid()}'
r = subprocess.run([ctl, 'mail', 'send', '--to', 'ada@example.net', '--bcc', 'secret@example.com',
                    '--subject', subject, '--delay', '30'], input='Body.\n', capture_output=True, text=True)
entry = r.stdout.strip()
held = outbox().get(entry, {})
check(r.returncode == 0 and held.get('send-after', 0) >= time.time() + 25,
      'kontorctl mail send --delay 30 holds the message', (r.stderr, held))
r = subprocess.run([ctl, 'mail', 'outbox'], capture_output=True, text=True)
line = [x.split('\t') for x in r.stdout.splitlines() if x.startswith(entry)]
check(r.returncode == 0 and line and len(line[0]) == 8 and line[0][1] == 'queued' and
      line[0][6] != '-' and 'secret@example.com' in line[0][7],
      'kontorctl mail outbox shows the hold\'s end and every recipient', r.stdout)
r = subprocess.run([ctl, 'mail', 'send', '--to', 'ada@example.net', '--delay', 'soon'], input='x',
                   capture_output=True, text=True)
check(r.returncode != 0 and '--delay' in r.stderr, 'kontorctl mail send --delay needs seconds', r.stderr)
r = subprocess.run([ctl, 'mail', 'outbox', 'retry', entry], capture_output=True, text=True)
check(r.returncode == 0 and wait(lambda: len(received(subject)) == 1, 60),
      'retry (Send Now) ends the hold: delivered at once', (r.stderr, outbox()))

print(f'1..{n}')
sys.exit(1 if failed else 0)
