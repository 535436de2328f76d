#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# New mail end to end: after the first sync (which announces nothing), a message
# delivered to the Inbox reaches Kontor by IMAP IDLE, without a Sync call, and shows as
# Mail1.MessagesAdded and as exactly one desktop notification (a stand-in notification
# server on the private bus records what Kontor sends). TAP output.
import os
import subprocess
import sys
import time

from gi.repository import Gio, GLib

n = 0
failed = 0


def check(ok, description, detail=None):
    global n, failed
    n += 1
    failed += 0 if ok else 1
    print(('ok' if ok else 'not ok') + f' {n} - {description}')
    if not ok and detail:
        print('# ' + str(detail).replace('\n', '\n# '))


env = os.environ
bus = Gio.bus_get_sync(Gio.BusType.SESSION)
loop_context = GLib.MainContext.default()

# The stand-in notification server, owned before Kontor starts.
NOTIFY_XML = '''<node><interface name="org.freedesktop.Notifications">
<method name="Notify"><arg type="s" direction="in"/><arg type="u" direction="in"/>
<arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="s" direction="in"/>
<arg type="as" direction="in"/><arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
<arg type="u" direction="out"/></method>
<method name="GetCapabilities"><arg type="as" direction="out"/></method>
<method name="CloseNotification"><arg type="u" direction="in"/></method>
<method name="GetServerInformation"><arg type="s" direction="out"/><arg type="s" direction="out"/>
<arg type="s" direction="out"/><arg type="s" direction="out"/></method>
</interface></node>'''
notifications = []


def on_call(connection, sender, path, interface, method, params, invocation):
    if method == 'Notify':
        notifications.append(params.unpack())
        invocation.return_value(GLib.Variant('(u)', (len(notifications),)))
    elif method == 'GetCapabilities':
        invocation.return_value(GLib.Variant('(as)', (['body', 'actions'],)))
    elif method == 'GetServerInformation':
        invocation.return_value(GLib.Variant('(ssss)', ('stand-in', 'kontor', '1', '1.2')))
    else:
        invocation.return_value(None)


node = Gio.DBusNodeInfo.new_for_xml(NOTIFY_XML)
bus.register_object('/org/freedesktop/Notifications', node.interfaces[0], on_call, None, None)
Gio.bus_own_name_on_connection(bus, 'org.freedesktop.Notifications', Gio.BusNameOwnerFlags.NONE,
                               None, None)

added = []
bus.signal_subscribe('io.github.kontor.Kontor', 'io.github.kontor.Mail1', 'MessagesAdded',
                     '/io/github/kontor/Kontor', None, Gio.DBusSignalFlags.NONE,
                     lambda *a: added.append(a[5].unpack()))


def spin(seconds, until=lambda: False):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        loop_context.iteration(False)
        time.sleep(0.02)
    return until()


def mail(method, args, signature):
    return bus.call_sync('io.github.kontor.Kontor', '/io/github/kontor/Kontor',
                         'io.github.kontor.Mail1', method, GLib.Variant(signature, args), None,
                         Gio.DBusCallFlags.NONE, 300000, None).unpack()


email = f"{env['KONTOR_TEST_USER']}@{env['KONTOR_TEST_MAIL_DOMAIN']}"
r = subprocess.run([env['KONTORCTL_BIN'], 'accounts', 'add', email, '--username', env['KONTOR_TEST_USER'],
                    '--imap-host', env['KONTOR_TEST_HOST'], '--imap-port', env['KONTOR_TEST_IMAPS_PORT'],
                    '--imap-security', 'tls', '--smtp-host', env['KONTOR_TEST_HOST'],
                    '--smtp-port', env['KONTOR_TEST_SMTP_PORT'], '--smtp-security', 'starttls',
                    '--trusted-certificate', env['KONTOR_TEST_CA_CERT']],
                   input=env['KONTOR_TEST_PASSWORD'] + '\n', capture_output=True, text=True)
account = r.stdout.strip()
check(r.returncode == 0 and account, 'the account is added', r.stderr)
mail('Sync', (account,), '(s)')
spin(2)
check(not added and not notifications, 'the first sync announces nothing',
      f'{len(added)} signals, {len(notifications)} notifications')

subprocess.run([env['KONTOR_TEST_SERVERS_CLI'], 'seed-mail', env['KONTOR_TEST_SERVERS_DIR'],
                env['KONTOR_TEST_USER'], 'INBOX', '1', '--seed', '77'], check=True,
               capture_output=True)
check(spin(60, lambda: added), 'a new message arrives by IDLE as MessagesAdded, without a Sync call')
if added:
    folder, ids = added[0]
    check(folder == f'{account}/INBOX' and len(ids) == 1, '... for the Inbox, with one message id',
          added)
check(spin(10, lambda: notifications), '... and as a desktop notification')
spin(2)
check(len(notifications) == 1, 'exactly one notification', notifications)
if notifications:
    app, _, _, summary, body, actions, _, _ = notifications[0]
    message = mail('GetMessage', (added[0][1][0],), '(s)')[0] if added else {}
    check(message.get('subject', '?') in body, 'the notification shows the subject', (summary, body))
    check('Mark as Read' in actions, 'it offers Mark as Read', actions)

print(f'1..{n}')
sys.exit(1 if failed else 0)
