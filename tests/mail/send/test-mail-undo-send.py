#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Undo-send end to end: Mail1.Send with a "delay" holds the message in the Outbox;
# CancelOutbox within the delay means the SMTP sink never gets it; without that it is
# delivered once, not before the delay; Kontor stopped during the delay sends it once
# after the next start. kontorctl mail send --delay and the Outbox listing. TAP output.
import os
import subprocess
import time

from gi.repository import GLib

from mail_test import add_test_account, call, check, done, env, outbox, remote_error, stop_app, wait


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


ctl = env['KONTORCTL_BIN']
account = add_test_account('Undo Test')

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

done()
