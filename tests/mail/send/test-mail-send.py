#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Sending end to end: Mail1.Send and kontorctl -> the Outbox -> the test servers' SMTP
# sink (through a forwarder this test can stop, so the server "goes away") and the
# Sent folder on Dovecot. Checks the exact bytes the sink got, that each message
# arrives once and is in Sent once, and what the Outbox shows when sending fails:
# no connection (and a restart of Kontor meanwhile), a refused recipient, a refused
# password, working offline. TAP output.
import base64
import email
import email.policy
import imaplib
import os
import ssl
import subprocess
import time

from gi.repository import GLib

from tcp_forwarder import Forwarder
from mail_test import add_test_account, call, check, done, env, outbox, remote_error, stop_app, wait

def sink_messages(message_id):
    out = []
    for name in sorted(os.listdir(env['KONTOR_TEST_SMTP_DIR'])):
        if name.endswith('.eml'):
            with open(os.path.join(env['KONTOR_TEST_SMTP_DIR'], name), 'rb') as f:
                raw = f.read()
            if message_id.encode() in raw:
                out.append(raw)
    return out


def in_sent(message_id):
    ctx = ssl.create_default_context(cafile=env['KONTOR_TEST_CA_CERT'])
    m = imaplib.IMAP4_SSL('127.0.0.1', int(env['KONTOR_TEST_IMAPS_PORT']), ssl_context=ctx)
    m.login(env['KONTOR_TEST_USER'], env['KONTOR_TEST_PASSWORD'])
    m.select('Sent', readonly=True)
    nums = m.search(None, 'HEADER', 'Message-ID', message_id)[1][0].split()
    flags = [m.fetch(x, '(FLAGS)')[1][0].decode() for x in nums]
    m.logout()
    return len(nums), flags


def sent_once(entry_id, message_id):
    """Waits until the entry left the Outbox; (sink copies, Sent copies, Sent flags)."""
    wait(lambda: entry_id not in outbox())
    time.sleep(1)
    count, flags = in_sent(message_id)
    return len(sink_messages(message_id)), count, flags


def set_keyring_password(old, new):
    """Replaces the stored mail password (a refused login without Kontor's own check)."""
    gi_code = '''
import sys, gi
gi.require_version('Secret', '1')
from gi.repository import Secret
old, new = sys.argv[1:]
service = Secret.Service.get_sync(Secret.ServiceFlags.LOAD_COLLECTIONS | Secret.ServiceFlags.OPEN_SESSION)
changed = 0
for collection in service.get_collections():
    collection.load_items_sync()
    for item in collection.get_items() or []:
        item.load_secret_sync()
        if item.get_secret() and item.get_secret().get_text() == old:
            item.set_secret_sync(Secret.Value.new(new, len(new.encode()), 'text/plain'))
            changed += 1
print(changed)
'''
    r = subprocess.run(['/usr/bin/python3', '-c', gi_code, old, new], capture_output=True, text=True)
    return r.stdout.strip()


user, password, domain = env['KONTOR_TEST_USER'], env['KONTOR_TEST_PASSWORD'], env['KONTOR_TEST_MAIL_DOMAIN']
address = f'{user}@{domain}'
forwarder = Forwarder(int(env['KONTOR_TEST_SMTP_PORT']))
forwarder.start()
ctl = env['KONTORCTL_BIN']
account = add_test_account('Send Test', forwarder.port, '--full-name', 'Jürgen Größ')

# ------------------------------------------------------------- the bytes sent
work = os.path.join(env['KONTOR_SESSION_DIR'], 'mail-send')
os.makedirs(work, exist_ok=True)
binary = bytes(range(256)) * 8
binary_path = os.path.join(work, 'Übersicht – 2026.bin')
with open(binary_path, 'wb') as f:
    f.write(binary)
notes_path = os.path.join(work, 'notes.txt')
notes = 'Notes for the meeting.\nOne umlaut: ä, and otherwise plain ASCII text here.\n'
with open(notes_path, 'w') as f:
    f.write(notes)
sentence = ('this paragraph is long enough to be wrapped into several lines of format=flowed '
            'text by Kontor, with Grüße from Jürgen at its end.')
body = f'Hallo Ada,\n\n{sentence} {sentence}\nFrom here on a line that needs stuffing.\n'
subject = 'Grüße – Plan für die Woche'
fields = {'to': GLib.Variant('as', ['Ada Lovelace <ada@example.net>']),
          'cc': GLib.Variant('as', [f'{user}@{domain}']),
          'bcc': GLib.Variant('as', ['hidden@example.com']),
          'subject': GLib.Variant('s', subject), 'body': GLib.Variant('s', body),
          'html-body': GLib.Variant('s', '<p>Hallo <b>Ada</b></p>'),
          'attachments': GLib.Variant('as', [binary_path, notes_path])}
entry = call('Send', '(a{sv})', fields)[0]
check(bool(entry), 'Send returns an Outbox id', entry)
listed = outbox().get(entry, {})
message_id = listed.get('message-id', '')
check(listed.get('subject') == subject and message_id.endswith(f'@{domain}>'),
      'ListOutbox shows it with its subject and a Message-ID of the sender\'s domain', listed)
sink_copies, sent_copies, flags = sent_once(entry, message_id)
check(sink_copies == 1, 'the sink got the message once', sink_copies)
check(sent_copies == 1 and '\\Seen' in flags[0], 'it is in Sent once, marked read', (sent_copies, flags))
raw = sink_messages(message_id)[0] if sink_copies else b''
head = raw.split(b'\r\n\r\n', 1)[0].replace(b'\r\n ', b' ').replace(b'\r\n\t', b' ').decode('ascii', 'replace')
msg = email.message_from_bytes(raw, policy=email.policy.default)
check('Subject: =?UTF-8?' in head and str(msg['Subject']) == subject,
      'the subject is RFC 2047 encoded UTF-8 and decodes to what was sent', head)
check('From: =?UTF-8?' in head and msg['From'].addresses[0].display_name == 'Jürgen Größ'
      and msg['From'].addresses[0].addr_spec == address, 'From: the account\'s encoded name and address', head)
check('bcc' not in head.lower() and 'hidden@' not in head.replace(msg['X-Sink-Rcpt-To'] or '', ''),
      'Bcc appears in no header', head)
check('hidden@example.com' in (msg['X-Sink-Rcpt-To'] or '') and 'ada@example.net' in msg['X-Sink-Rcpt-To']
      and address in msg['X-Sink-Rcpt-To'], '... but the Bcc recipient is in the envelope', msg['X-Sink-Rcpt-To'])
check(msg['User-Agent'] == 'Kontor' and msg['Date'] is not None and msg['MIME-Version'] == '1.0',
      'User-Agent, Date and MIME-Version', head)
parts = [p.get_content_type() for p in msg.walk()]
check(parts == ['multipart/mixed', 'multipart/alternative', 'text/plain', 'text/html',
                'application/octet-stream', 'text/plain'],
      'multipart/mixed of multipart/alternative (plain, then HTML) and the attachments', parts)
walk = list(msg.walk())
if len(walk) == 6:
    plain, html, attachment, text = walk[2], walk[3], walk[4], walk[5]
    check(plain.get_param('format') == 'flowed' and plain.get_content_charset() == 'utf-8',
          'the text is text/plain; charset=UTF-8; format=flowed', plain['Content-Type'])
    # The sink keeps the SMTP data's CRLF line ends.
    lines = plain.get_content().replace('\r\n', '\n').split('\n')
    unflowed = ''
    for line in lines[:-1]:
        line = line[1:] if line.startswith(' ') else line
        unflowed += line if line.endswith(' ') else line + '\n'
    check(all(len(line) <= 78 for line in lines) and unflowed == body and any(line.startswith(' From here') for line in lines),
          'its lines are wrapped with soft breaks and space-stuffed, and read back as sent',
          plain.get_content())
    check(attachment['Content-Transfer-Encoding'] == 'base64' and
          attachment.get_payload(decode=True) == binary, 'the binary attachment is base64 and decodes to the same bytes')
    check("filename*=UTF-8''%C3%9Cbersicht%20%E2%80%93%202026.bin" in attachment['Content-Disposition'].replace('\r\n ', '') or
          "filename*=UTF-8''%C3%9Cbersicht" in head + raw.decode('ascii', 'replace'),
          'its non-ASCII file name is an RFC 2231 parameter in UTF-8', attachment['Content-Disposition'])
    check(attachment.get_filename() == os.path.basename(binary_path), '... that decodes to the file\'s name',
          attachment.get_filename())
    check(text.get_filename() == 'notes.txt' and text.get_content().replace('\r\n', '\n') == notes,
          'the text attachment arrives as it was', text.get_content())

# ------------------------------------------------------- the server goes away
forwarder.stop()
entry = call('Send', '(a{sv})', {'to': GLib.Variant('as', ['ada@example.net']),
                                 'subject': GLib.Variant('s', 'While the server is away'),
                                 'body': GLib.Variant('s', 'Queued first.')})[0]
check(bool(entry), 'with the SMTP server unreachable Send still returns an id')
listed = wait(lambda: (m := outbox().get(entry)) and m['attempts'] >= 1 and m['state'] == 'queued' and m)
check(listed and 'refused' in listed['error'].lower() and listed['next-attempt'] > time.time(),
      'ListOutbox: queued, the reason, and a later attempt planned', listed or outbox())
message_id = (listed or {}).get('message-id', '')
stop_app()
check(entry in outbox(), 'after Kontor restarted the message is still in the Outbox', outbox())
forwarder.start()
call('RetryOutbox', '(s)', entry)
sink_copies, sent_copies, _ = sent_once(entry, message_id)
check(sink_copies == 1 and sent_copies == 1, 'server back: delivered once, in Sent once',
      (sink_copies, sent_copies))

# ------------------------------------------------------------------ offline
call('SetWorkOffline', '(b)', True)
entry = call('Send', '(a{sv})', {'to': GLib.Variant('as', ['ada@example.net']),
                                 'subject': GLib.Variant('s', 'Written offline'),
                                 'body': GLib.Variant('s', 'Goes when online.')})[0]
time.sleep(2)
listed = outbox().get(entry, {})
check(listed.get('state') == 'queued' and listed.get('attempts') == 0,
      'working offline: queued, not tried', listed)
call('SetWorkOffline', '(b)', False)
sink_copies, sent_copies, _ = sent_once(entry, listed.get('message-id', '?'))
check(sink_copies == 1 and sent_copies == 1, 'going online sends it: once, and once in Sent',
      (sink_copies, sent_copies))

# ------------------------------------------------------------ refusals
entry = call('Send', '(a{sv})', {'to': GLib.Variant('as', [f'reject@{domain}']),
                                 'subject': GLib.Variant('s', 'Refused'),
                                 'body': GLib.Variant('s', 'No.')})[0]
listed = wait(lambda: (m := outbox().get(entry)) and m['state'] == 'failed' and m)
check(listed and 'Recipient refused by the test sink' in listed['error'],
      'a 550 for a recipient: failed, with the server\'s reason', listed or outbox())
call('CancelOutbox', '(s)', entry)
check(entry not in outbox(), 'CancelOutbox removes it')

changed = set_keyring_password(password, 'wrong-password')
entry = call('Send', '(a{sv})', {'to': GLib.Variant('as', ['ada@example.net']),
                                 'subject': GLib.Variant('s', 'Refused login'),
                                 'body': GLib.Variant('s', 'Wrong password.')})[0]
listed = wait(lambda: (m := outbox().get(entry)) and m['state'] == 'failed' and m)
check(changed != '0' and listed and 'password' in listed['error'],
      'a refused password: failed, saying so', (changed, listed or outbox()))
set_keyring_password('wrong-password', password)
call('RetryOutbox', '(s)', entry)
sink_copies, sent_copies, _ = sent_once(entry, (listed or {}).get('message-id', '?'))
check(sink_copies == 1 and sent_copies == 1, 'the right password back and retried: sent once',
      (sink_copies, sent_copies))

# ---------------------------------------------------------------- kontorctl
error = remote_error(lambda: call('Send', '(a{sv})', {'to': GLib.Variant('as', ['not an address'])}))
check(error == 'io.github.kontor.Error.InvalidArgument', 'an invalid address is InvalidArgument', error)
r = subprocess.run([ctl, 'mail', 'send', '--to', 'not-an-address', '--subject', 'x'], input='x',
                   capture_output=True, text=True)
check(r.returncode != 0 and 'InvalidArgument' in r.stderr, 'kontorctl mail send with a bad address fails', r.stderr)
call('SetWorkOffline', '(b)', True)
r = subprocess.run([ctl, 'mail', 'send', '--to', 'ada@example.net', '--subject', 'From kontorctl',
                    '--attach', notes_path], input='Body from stdin.\n', capture_output=True, text=True)
entry = r.stdout.strip()
check(r.returncode == 0 and entry in outbox(), 'kontorctl mail send prints the Outbox id', r.stderr)
r = subprocess.run([ctl, 'mail', 'outbox'], capture_output=True, text=True)
check(r.returncode == 0 and any(line.split('\t')[:2] == [entry, 'queued'] and 'From kontorctl' in line
                                for line in r.stdout.splitlines()),
      'kontorctl mail outbox lists it: id, state, ...', r.stdout)
r = subprocess.run([ctl, 'mail', 'outbox', '--json'], capture_output=True, text=True)
check(r.returncode == 0 and f'"{entry}"' in r.stdout, 'kontorctl mail outbox --json', r.stdout)
r = subprocess.run([ctl, 'mail', 'outbox', 'cancel', entry], capture_output=True, text=True)
check(r.returncode == 0 and entry not in outbox(), 'kontorctl mail outbox cancel ID', r.stderr)
call('SetWorkOffline', '(b)', False)

# ------------------------------------------------ an HTML body with an inline image
png = bytes.fromhex('89504e470d0a1a0a0000000d4948445200000001000000010806000000'
                    '1f15c4890000000d49444154789c63f8cfc0f01f0005000101ff89993d1d'
                    '0000000049454e44ae426082')
image_path = os.path.join(work, 'logo.png')
with open(image_path, 'wb') as f:
    f.write(png)
html_path = os.path.join(work, 'letter.html')
with open(html_path, 'w') as f:
    f.write('<div>Our <b>logo</b>:</div><div><img src="cid:logo.png" alt="logo.png"/></div>')
r = subprocess.run([ctl, 'mail', 'send', '--to', 'ada@example.net', '--subject', 'Inline image',
                    '--html-file', html_path, '--inline', image_path, '--attach', notes_path],
                   input='Our logo:\n[logo.png]\n', capture_output=True, text=True)
entry = r.stdout.strip()
check(r.returncode == 0 and bool(entry), 'kontorctl mail send --inline queues the message', r.stderr)
listed = outbox().get(entry, {})
sink_copies, _, _ = sent_once(entry, listed.get('message-id', '?'))
raw = sink_messages(listed.get('message-id', '?'))[0] if sink_copies else b''
msg = email.message_from_bytes(raw, policy=email.policy.default)
walk = list(msg.walk())
types = [p.get_content_type() for p in walk]
check(types == ['multipart/mixed', 'multipart/alternative', 'text/plain', 'multipart/related',
                'text/html', 'image/png', 'text/plain'],
      'mixed of an alternative (plain; related of HTML and image) and the attachment', types)
if len(walk) == 7:
    plain, html, image = walk[2], walk[4], walk[5]
    check(plain.get_content().replace('\r\n', '\n') == 'Our logo:\n[logo.png]\n',
          'the plain part is the text given', plain.get_content())
    check(image['Content-ID'] == '<logo.png>' and 'src="cid:logo.png"' in html.get_content(),
          'the image\'s Content-ID is the one the HTML names', (image['Content-ID'], html.get_content()))
    check(image.get_content_disposition() == 'inline' and image.get_payload(decode=True) == png,
          'the image is inline and arrives as it was')

done()
