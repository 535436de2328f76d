#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# How fast a composer opens: a new message (Mail1.Compose, as kontorctl mail compose
# does) and a reply to the last message of a long thread (its Reply button), each
# timed by the Mail page's probe (KONTOR_MAIL_PROBE) from the request to the composer's
# first frame. Goal: under 150 ms. Under tests/session-wrapper.sh --x11 and
# tests/servers/with-servers.sh --keyring:
#
#   meson test -C _build --benchmark mail-composer -v
#
# The thread: 60 messages of References, a 300 KB body quoting 30 levels deep, put in
# INBOX with IMAP before Kontor syncs it.
import imaplib
import os
import re
import ssl
import subprocess
import sys
import time
from email.message import EmailMessage

from gi.repository import Gio, GLib

env = os.environ
NAME, PATH, MAIL1 = 'io.github.kontor.Kontor', '/io/github/kontor/Kontor', 'io.github.kontor.Mail1'
RUNS = int(env.get('KONTOR_BENCH_RUNS', '5'))
GOAL_MS = 150.0
user, password, domain = env['KONTOR_TEST_USER'], env['KONTOR_TEST_PASSWORD'], env['KONTOR_TEST_MAIL_DOMAIN']
address = f'{user}@{domain}'
work = os.path.join(env.get('KONTOR_SESSION_DIR', '/tmp'), 'bench-composer')
os.makedirs(work, exist_ok=True)


def xdotool(*args):
    return subprocess.run(['xdotool', *args], capture_output=True, text=True).stdout.strip()


def window(name, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = xdotool('search', '--onlyvisible', '--name', f'^{name}$').split('\n')[0]
        if found:
            return found
        time.sleep(0.1)
    return None


def probes(log, kind):
    with open(log) as f:
        return [float(m.group(1)) for m in
                re.finditer(rf'kontor-mail-probe: composer kind={kind} ms=([0-9.]+)', f.read())]


def wait_probe(log, kind, count, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(probes(log, kind)) >= count:
            return True
        time.sleep(0.1)
    return False


def close(name):
    win = window(name, 5)
    if win is None:
        return
    xdotool('windowactivate', '--sync', win)
    xdotool('key', '--clearmodifiers', 'Escape')
    time.sleep(0.5)
    xdotool('key', '--clearmodifiers', 'Tab', 'Return')  # "Discard"
    deadline = time.monotonic() + 10
    while window(name, 0.2) and time.monotonic() < deadline:
        time.sleep(0.1)


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


# The long thread's last message, straight into INBOX.
refs = ' '.join(f'<thread.{i}@example.org>' for i in range(60))
body = 'The latest answer, on top.\n\n'
for level in range(30, 0, -1):
    body += '>' * level + ' ' + ('Earlier words in this long discussion. ' * 25) + '\n'
body = body * 10
msg = EmailMessage()
msg['From'] = 'Ada Lovelace <ada@example.net>'
msg['To'] = address
msg['Subject'] = 'Re: The long thread'
msg['Message-ID'] = '<thread.60@example.org>'
msg['In-Reply-To'] = '<thread.59@example.org>'
msg['References'] = refs
msg['Date'] = 'Fri, 27 Nov 2026 09:00:00 +0100'
msg.set_content(body)
ctx = ssl.create_default_context(cafile=env['KONTOR_TEST_CA_CERT'])
imap = imaplib.IMAP4_SSL('127.0.0.1', int(env['KONTOR_TEST_IMAPS_PORT']), ssl_context=ctx)
imap.login(user, password)
imap.append('INBOX', None, None, msg.as_bytes())
imap.logout()

log = os.path.join(work, 'kontor.log')
kontor_env = dict(env, KONTOR_MAIL_PROBE='1')
service = subprocess.Popen([env['KONTOR_BIN'], '--gapplication-service'], env=kontor_env,
                           stdout=subprocess.DEVNULL, stderr=open(log, 'w'))
bus = Gio.bus_get_sync(Gio.BusType.SESSION)
deadline = time.monotonic() + 30
while not bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                        'NameHasOwner', GLib.Variant('(s)', (NAME,)), None, 0, -1, None).unpack()[0]:
    if time.monotonic() > deadline:
        sys.exit('bench-composer: Kontor did not start')
    time.sleep(0.1)
r = subprocess.run([env['KONTORCTL_BIN'], 'accounts', 'add', address, '--display-name', 'Bench',
                    '--username', user, '--imap-host', env['KONTOR_TEST_HOST'],
                    '--imap-port', env['KONTOR_TEST_IMAPS_PORT'], '--imap-security', 'tls',
                    '--smtp-host', env['KONTOR_TEST_HOST'], '--smtp-port', env['KONTOR_TEST_SMTP_PORT'],
                    '--smtp-security', 'starttls', '--caldav-url', '', '--carddav-url', '',
                    '--webdav-url', '', '--trusted-certificate', env['KONTOR_TEST_CA_CERT']],
                   input=password + '\n', capture_output=True, text=True)
if r.returncode != 0:
    sys.exit(f'bench-composer: the account could not be added: {r.stderr}')
account = r.stdout.strip()
# Synced: the thread's message is found in the local copy.
deadline = time.monotonic() + 120
while True:
    subprocess.run([env['KONTORCTL_BIN'], 'mail', 'sync', account], capture_output=True)
    found = subprocess.run([env['KONTORCTL_BIN'], 'mail', 'search', 'from:ada'],
                           capture_output=True, text=True).stdout.strip()
    if found:
        break
    if time.monotonic() > deadline:
        sys.exit('bench-composer: the thread did not arrive')
    time.sleep(1)
subprocess.run([env['KONTOR_BIN']], env=kontor_env)
window('Kontor')
time.sleep(2)
subprocess.run([env['KONTOR_BIN'], 'mid:thread.60@example.org'], env=kontor_env)
main = window('Kontor')
if main is None:
    sys.exit('bench-composer: no Kontor window')
xdotool('windowsize', main, '1280', '800')
time.sleep(3)
print(f'# composer open times, {RUNS} runs each (after one warm-up), GSK_RENDERER={env.get("GSK_RENDERER")}')

for run in range(RUNS + 1):
    subprocess.run([env['KONTORCTL_BIN'], 'mail', 'compose', '--to', 'bob@example.org',
                    '--subject', f'New {run}', '--body', 'Hello.'], capture_output=True)
    if not wait_probe(log, 'fields', run + 1):
        sys.exit('bench-composer: no composer for Compose')
    win = window(f'New {run}', 5)
    if win:  # out of the way of the main window
        xdotool('windowminimize', win)

for run in range(RUNS + 1):
    # The Reply button in the reader's header, as a user clicks it.
    xdotool('windowactivate', '--sync', main)
    xdotool('mousemove', '--window', main, '1018', '81', 'click', '1')
    if not wait_probe(log, 'reply', run + 1):
        shot = os.path.join(env.get('MESON_BUILD_ROOT', '/tmp'), 'bench-composer-failed.png')
        subprocess.run(['import', '-window', 'root', shot])
        sys.exit(f'bench-composer: no reply composer (is the thread selected?), see {shot}')
    win = window('Re: The long thread', 5)
    if win:  # out of the way, so that the main window gets the next Ctrl+R
        xdotool('windowminimize', win)

new = probes(log, 'fields')[1:]
reply = probes(log, 'reply')[1:]
print('# new message (Mail1.Compose): ' + ' '.join(f'{v:.1f}' for v in new) + ' ms')
print('# reply to the long thread (Reply button): ' + ' '.join(f'{v:.1f}' for v in reply) + ' ms')
print(f'kontor.composer.new.median_ms: {median(new):.1f}')
print(f'kontor.composer.new.max_ms: {max(new):.1f}')
print(f'kontor.composer.reply_long_thread.median_ms: {median(reply):.1f}')
print(f'kontor.composer.reply_long_thread.max_ms: {max(reply):.1f}')
print()
for label, values in (('new message', new), ('reply to a long thread', reply)):
    value = median(values)
    print(f'goal: composer opens, {label}, median {value:8.1f} ms (goal < {GOAL_MS} ms)  '
          f'{"PASS" if value < GOAL_MS else "MISSED"}')
service.terminate()
service.wait(20)
