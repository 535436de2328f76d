#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Every real-world message of tests/data/mail, stored on the harness's Dovecot, read back
# through Mail1.GetMessage in the running app: each one loads (broken ones too) with
# valid text, and the charset-heavy ones show the right characters. TAP output.
import glob
import os
import subprocess
import sys

from gi.repository import Gio, GLib

DATA = os.path.join(os.environ['KONTOR_SOURCE_DIR'], 'tests', 'data', 'mail')
EXPECTED = {  # file -> (key, text that must appear)
    'rbmail-japanese-iso-2022.eml': [('subject', 'まみむめも'), ('text', 'すみません。')],
    'rbmail-japanese-shift-jis.eml': [('text', 'このメールはテスト用のメールです。')],
    'tb-11-plaintext-greek.eml': [('text', 'Καλησπέρα')],
    'rbmail-ks_c_5601-1987.eml': [('text', '스티해')],
    'tb-noCharsetKOI8U.eml': [('text', 'Моя семья')],
    'tb-noCharsetWindows1252.eml': [('text', 'Aquí tenemos texto en español')],
    'tb-body-utf16.eml': [('text', 'UTF-16 encoded mail')],
    'rbmail-utf8-headers-rfc6532.eml': [('subject', 'Säying Hello')],
    'tb-mailformed-subject-yahoo.eml': [('subject', 'Rechnung Anwältin')],
    'rbmail-nonascii-filename.eml': [('attachment', 'ciële.txt')],
    'rbmail-japanese-attachment-long-name.eml':
        [('attachment', 'かきくけこかきくけこかきくけこかきくけこかきくけこ.txt')],
}

n = 0
failed = 0


def check(ok, description, detail=None):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(('ok' if ok else 'not ok') + f' {n} - {description}')
    if not ok and detail:
        print('# ' + str(detail).replace('\n', '\n# '))


def run(*args, stdin=None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True)


env = os.environ
files = sorted(glob.glob(os.path.join(DATA, '*.eml')))
r = run(env['KONTOR_TEST_SERVERS_CLI'], 'seed-mail', env['KONTOR_TEST_SERVERS_DIR'],
        env['KONTOR_TEST_USER'], 'Corpus', '0', '--from-eml', *files)
check(r.returncode == 0, f'the {len(files)} corpus messages are stored on the server', r.stderr)

email = f"{env['KONTOR_TEST_USER']}@{env['KONTOR_TEST_MAIL_DOMAIN']}"
r = run(env['KONTORCTL_BIN'], 'accounts', 'add', email, '--username', env['KONTOR_TEST_USER'],
        '--imap-host', env['KONTOR_TEST_HOST'], '--imap-port', env['KONTOR_TEST_IMAPS_PORT'],
        '--imap-security', 'tls', '--smtp-host', env['KONTOR_TEST_HOST'],
        '--smtp-port', env['KONTOR_TEST_SMTP_PORT'], '--smtp-security', 'starttls',
        '--trusted-certificate', env['KONTOR_TEST_CA_CERT'], stdin=env['KONTOR_TEST_PASSWORD'] + '\n')
account = r.stdout.strip()
check(r.returncode == 0 and account, 'the account is added', r.stderr)

bus = Gio.bus_get_sync(Gio.BusType.SESSION)


def mail(method, args, signature):
    return bus.call_sync('io.github.kontor.Kontor', '/io/github/kontor/Kontor',
                         'io.github.kontor.Mail1', method, GLib.Variant(signature, args), None,
                         Gio.DBusCallFlags.NONE, 300000, None).unpack()


try:
    mail('Sync', (account,), '(s)')
    check(True, 'the account syncs')
except GLib.Error as e:
    check(False, 'the account syncs', e.message)

folder = f'{account}/Corpus'
try:
    messages = mail('ListMessages', (folder, 0, 0), '(suu)')[0]
except GLib.Error as e:
    messages = []
    print('# ' + e.message)
check(len(messages) == len(files), 'every corpus message is listed once',
      f'{len(messages)} listed, {len(files)} stored')

by_file = {}
loaded = 0
problems = []
for m in messages:
    try:
        msg = mail('GetMessage', (m['id'],), '(s)')[0]
    except GLib.Error as e:
        problems.append(f"{m['id']} ({m['subject']}): {e.message}")
        continue
    loaded += 1
    if not isinstance(msg.get('text'), str):
        problems.append(f"{m['id']}: no text")
    by_file.setdefault(msg.get('subject', ''), []).append(msg)
check(loaded == len(messages) and not problems,
      'GetMessage returns every message, broken ones included, with its text',
      '\n'.join(problems[:10]))

# Which message came from which file: the subject Kontor shows for it is in the file.
for name, expectations in sorted(EXPECTED.items()):
    with open(os.path.join(DATA, name), 'rb') as f:
        raw = f.read()
    candidates = [msg for msgs in by_file.values() for msg in msgs]
    for key, text in expectations:
        def has(msg):
            if key == 'attachment':
                return any(text in a['name'] for a in msg.get('attachments', []))
            return text in msg.get(key, '')
        found = [msg for msg in candidates if has(msg)]
        check(len(found) >= 1, f'{name}: {key} shows “{text}”')

print(f'1..{n}')
sys.exit(1 if failed else 0)
