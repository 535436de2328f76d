#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The steps of test-mail-offline.sh: Mail1 calls into the running Kontor, and what a
second IMAP client (imaplib over IMAPS, straight to Dovecot) sees on the server.

    mail_offline.py COMMAND [ARGS...]

Each command exits 0 when its check holds; otherwise it prints why as TAP comments
("# ...") and exits 1. What one command learns for the next (the account, the messages
picked, the server before the offline changes) is kept in $KONTOR_SESSION_DIR.
"""
import collections
import email.parser
import email.policy
import imaplib
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time

from gi.repository import Gio, GLib

env = os.environ
STATE_FILE = os.path.join(env['KONTOR_SESSION_DIR'], 'mail-offline.json')
NAME = 'io.github.kontor.Kontor'
OBJECT = '/io/github/kontor/Kontor'
MAIL1 = 'io.github.kontor.Mail1'
DEST = 'Kept'  # the folder the offline moves go to, made with CreateFolder


class Failed(Exception):
    pass


class CallFailed(Failed):
    """A D-Bus call answered with an error; name is the D-Bus error name."""

    def __init__(self, text, name):
        super().__init__(text)
        self.name = name


def note(text):
    for line in str(text).splitlines() or ['']:
        print('# ' + line, flush=True)


def load_state():
    try:
        with open(STATE_FILE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save_state(state):
    with open(STATE_FILE + '.tmp', 'w') as f:
        json.dump(state, f, indent=1)
    os.replace(STATE_FILE + '.tmp', STATE_FILE)


state = load_state()


def account():
    if 'account' not in state:
        raise Failed('no account was added')
    return state['account']


def folder_id(name):
    return f'{account()}/{name}'


def uid_of(message_id):
    return message_id.rsplit(':', 1)[1]


# ------------------------------------------------------------------------- D-Bus

_bus = None


def bus():
    global _bus
    if _bus is None:
        _bus = Gio.bus_get_sync(Gio.BusType.SESSION)
    return _bus


def call(interface, method, signature=None, *args, timeout=300, name=NAME, path=OBJECT,
         auto_start=True):
    """A call to Kontor; with auto_start=False it fails instead of D-Bus-starting one."""
    flags = Gio.DBusCallFlags.NONE if auto_start else Gio.DBusCallFlags.NO_AUTO_START
    try:
        reply = bus().call_sync(name, path, interface, method,
                                GLib.Variant(signature, args) if signature else None, None,
                                flags, int(timeout * 1000), None)
    except GLib.Error as e:
        raise CallFailed(f'{method}: {e.message}', Gio.DBusError.get_remote_error(e))
    return reply.unpack() if reply is not None else ()


def mail(method, signature=None, *args, timeout=300, auto_start=True):
    return call(MAIL1, method, signature, *args, timeout=timeout, auto_start=auto_start)


def app_pid():
    try:
        return call('org.freedesktop.DBus', 'GetConnectionUnixProcessID', '(s)', NAME,
                    name='org.freedesktop.DBus', path='/org/freedesktop/DBus', timeout=5)[0]
    except Failed:
        return None


def list_messages(name):
    return mail('ListMessages', '(suu)', folder_id(name), 0, 0)[0]


def work_offline():
    return call('org.freedesktop.DBus.Properties', 'Get', '(ss)', MAIL1, 'WorkOffline')[0]


# ------------------------------------------------------------------------ server

def imap():
    ctx = ssl.create_default_context(cafile=env['KONTOR_TEST_CA_CERT'])
    m = imaplib.IMAP4_SSL(env['KONTOR_TEST_HOST'], int(env['KONTOR_TEST_IMAPS_PORT']),
                          ssl_context=ctx, timeout=60)
    m.login(env['KONTOR_TEST_USER'], env['KONTOR_TEST_PASSWORD'])
    return m


_headers = email.parser.BytesHeaderParser(policy=email.policy.default)


def normal(text):
    return ' '.join(str(text or '').split())


def server_folder(name, m=None):
    """uid -> {"flags": [...], "subject": ..., "message-id": ...} of every message in
    the server's folder NAME, as a second client sees it; None when there is no folder."""
    own = m is None
    m = m or imap()
    try:
        typ, data = m.select(f'"{name}"', readonly=True)
        if typ != 'OK':
            return None
        messages = {}
        if int(data[0]) > 0:
            typ, data = m.uid('FETCH', '1:*',
                              '(UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT MESSAGE-ID)])')
            items = list(data)
            for i, item in enumerate(items):
                if not isinstance(item, tuple):
                    continue
                head = item[0]
                if i + 1 < len(items) and isinstance(items[i + 1], bytes):
                    head += items[i + 1]
                uid = head.split(b'UID ', 1)[1].split()[0].strip(b')')
                flags = sorted(f.decode() for f in imaplib.ParseFlags(head) if f != b'\\Recent')
                header = _headers.parsebytes(item[1])
                messages[uid.decode()] = {'flags': flags, 'subject': normal(header['subject']),
                                          'message-id': normal(header['message-id'])}
        m.close()
        return messages
    finally:
        if own:
            m.logout()


def server_snapshot():
    m = imap()
    try:
        return {name: server_folder(name, m) for name in ('INBOX', DEST, 'Trash')}
    finally:
        m.logout()


FLAGS = {'\\Seen': 'seen', '\\Flagged': 'flagged', '\\Answered': 'answered',
         '\\Draft': 'draft'}


def server_flags(message):
    return {FLAGS[f] for f in message['flags'] if f in FLAGS}


def by_message_id(messages):
    counts = collections.Counter(v['message-id'] for v in (messages or {}).values())
    return counts


# ---------------------------------------------------------------------- commands

def cmd_add_account(port):
    """Adds the account, its IMAP going through PORT; prints its id."""
    email_address = f"{env['KONTOR_TEST_USER']}@{env['KONTOR_TEST_MAIL_DOMAIN']}"
    r = subprocess.run(
        [env['KONTORCTL_BIN'], 'accounts', 'add', email_address, '--display-name', 'Offline Test',
         '--username', env['KONTOR_TEST_USER'], '--imap-host', env['KONTOR_TEST_HOST'],
         '--imap-port', port, '--imap-security', 'tls', '--smtp-host', env['KONTOR_TEST_HOST'],
         '--smtp-port', env['KONTOR_TEST_SMTP_PORT'], '--smtp-security', 'starttls',
         '--trusted-certificate', env['KONTOR_TEST_CA_CERT']],
        input=env['KONTOR_TEST_PASSWORD'] + '\n', capture_output=True, text=True, timeout=120)
    if r.returncode != 0 or not r.stdout.strip():
        raise Failed(f'kontorctl accounts add: exit {r.returncode}: {r.stderr.strip()}')
    state['account'] = r.stdout.strip()
    save_state(state)
    print(state['account'])


def cmd_sync():
    start = time.monotonic()
    mail('Sync', '(s)', account())
    note(f'Sync took {time.monotonic() - start:.1f} s')


def cmd_folder_counts(name, total, timeout='10'):
    """ListFolders has the folder with TOTAL messages and the server's unread count.
    Kontor posts a sync's folder tree and counts to its main thread in idles of low
    priority, so they may show a moment after Sync returned: asked again for up to
    TIMEOUT seconds, and how long that took is noted."""
    m = imap()
    try:
        m.select(f'"{name}"', readonly=True)
        server_total = len(m.search(None, 'UNDELETED')[1][0].split())
        server_unread = len(m.search(None, 'UNSEEN', 'UNDELETED')[1][0].split())
    finally:
        m.logout()
    if server_total != int(total):
        raise Failed(f'the server has {server_total} messages, the test expected {total}')
    start = time.monotonic()
    while True:
        folders = mail('ListFolders', '(s)', account())[0]
        mine = [f for f in folders if f['id'] == folder_id(name)]
        if len(mine) == 1 and (mine[0]['total'], mine[0]['unread']) == (server_total,
                                                                        server_unread):
            break
        if time.monotonic() - start > float(timeout):
            if len(mine) != 1:
                raise Failed(f'after {timeout} s, {folder_id(name)} is listed {len(mine)} times: '
                             f'{[f["id"] for f in folders]}')
            raise Failed(f"after {timeout} s, Kontor: total {mine[0]['total']}, unread "
                         f"{mine[0]['unread']}; server: {server_total}, unread {server_unread}")
        time.sleep(0.1)
    waited = time.monotonic() - start
    note(f"Kontor: total {mine[0]['total']}, unread {mine[0]['unread']}; "
         f'server: {server_total}, unread {server_unread}'
         + (f'; listed so {waited:.1f} s after Sync returned' if waited > 0.05 else ''))


def cmd_folders_listed(*names):
    """ListFolders(account) lists these folders (from the local copy when offline)."""
    listed = [f['full-name'] for f in mail('ListFolders', '(s)', account())[0]]
    missing = [n for n in names if n not in listed]
    if missing:
        raise Failed(f'{missing} not listed; ListFolders lists {listed}')


def cmd_newest_first(name, count):
    messages = list_messages(name)
    ids = [m['id'] for m in messages]
    dates = [m['date'] for m in messages]
    problems = []
    if len(ids) != int(count):
        problems.append(f'{len(ids)} messages listed, {count} expected')
    if len(set(ids)) != len(ids):
        problems.append(f'{len(ids) - len(set(ids))} ids listed twice')
    wrong = [i for i in range(1, len(dates)) if dates[i] > dates[i - 1]]
    if wrong:
        i = wrong[0]
        problems.append(f'{len(wrong)} dates out of order, first at {i}: '
                        f'{ids[i - 1]} {dates[i - 1]} before {ids[i]} {dates[i]}')
    if problems:
        raise Failed('\n'.join(problems))


def cmd_same_as_server(name):
    """ListMessages(NAME) shows exactly the server's messages: the same UIDs, each once,
    each with its subject; and the server holds no message twice."""
    messages = list_messages(name)
    server = server_folder(name)
    if server is None:
        raise Failed(f'the server has no folder {name}')
    live = {uid: v for uid, v in server.items() if '\\Deleted' not in v['flags']}
    problems = []
    ids = collections.Counter(m['id'] for m in messages)
    twice = [i for i, n in ids.items() if n > 1]
    if twice:
        problems.append(f'{len(twice)} ids listed more than once, e.g. {twice[:3]}')
    mine = {uid_of(m['id']): normal(m['subject']) for m in messages}
    if any(not m['id'].startswith(folder_id(name) + ':') for m in messages):
        problems.append('ids of another folder are listed')
    only_here = sorted(set(mine) - set(live), key=int)
    only_there = sorted(set(live) - set(mine), key=int)
    if only_here:
        problems.append(f'{len(only_here)} listed but not on the server, UIDs {only_here[:10]}')
    if only_there:
        problems.append(f'{len(only_there)} on the server but not listed, UIDs {only_there[:10]}')
    wrong = [uid for uid in set(mine) & set(live) if mine[uid] != live[uid]['subject']]
    if wrong:
        uid = wrong[0]
        problems.append(f'{len(wrong)} subjects differ, e.g. UID {uid}: '
                        f'“{mine[uid]}” here, “{live[uid]["subject"]}” on the server')
    flags = {uid_of(m['id']): set(m['flags']) & set(FLAGS.values()) for m in messages}
    wrong = [uid for uid in set(flags) & set(live) if flags[uid] != server_flags(live[uid])]
    if wrong:
        uid = sorted(wrong, key=int)[0]
        problems.append(f'{len(wrong)} have other flags, e.g. UID {uid}: {sorted(flags[uid])} '
                        f'here, {live[uid]["flags"]} on the server')
    dup = [mid for mid, n in by_message_id(server).items() if n > 1]
    if dup:
        problems.append(f'the server has {len(dup)} Message-IDs more than once, e.g. {dup[:3]}')
    note(f'{name}: {len(messages)} listed, {len(live)} on the server'
         + (f' (+{len(server) - len(live)} marked deleted)' if len(server) != len(live) else ''))
    if problems:
        raise Failed('\n'.join(problems))


def cmd_create_folder(name):
    new_id = mail('CreateFolder', '(ss)', account(), name)[0]
    if new_id != folder_id(name):
        raise Failed(f'CreateFolder returned {new_id}, expected {folder_id(name)}')
    if server_folder(name) != {}:
        raise Failed(f'the server has no empty folder {name}')


def cmd_pick():
    """Picks the messages of the offline changes and records the server's state."""
    server = server_folder('INBOX')
    listed = [uid_of(m['id']) for m in list_messages('INBOX')]
    fresh = [u for u in listed if not set(server[u]['flags']) & {'\\Seen', '\\Flagged'}]
    others = [u for u in listed if u not in fresh[:3]]
    if len(fresh) < 3 or len(others) < 5:
        raise Failed(f'not enough messages: {len(fresh)} unread and unflagged')
    # Spread over the list: newest, middle, oldest.
    picked = {'flag': fresh[:3], 'move': [others[len(others) // 2], others[-1]],
              'delete': [others[1]], 'delete2': [others[2]]}
    for key, uids in picked.items():
        state[key] = [{'uid': u, 'message-id': server[u]['message-id'],
                       'subject': server[u]['subject']} for u in uids]
        note(f'{key}: ' + ', '.join(f'UID {u} “{server[u]["subject"]}”' for u in uids))
    state['before'] = server_snapshot()
    state['done'] = []
    save_state(state)


def done(key):
    """Records that the offline change KEY (flag, move, delete, delete2) was made."""
    if key not in state['done']:
        state['done'].append(key)
        save_state(state)


def moved_keys():
    """The changes done that take messages out of INBOX, and where they go."""
    where = {'move': DEST, 'delete': 'Trash', 'delete2': 'Trash'}
    return [(key, where[key]) for key in state['done'] if key in where]


def ids_of(key):
    return [f"{folder_id('INBOX')}:{m['uid']}" for m in state[key]]


def cmd_set_offline(value):
    mail('SetWorkOffline', '(b)', value == 'true')


def cmd_work_offline(value):
    current = work_offline()
    if current != (value == 'true'):
        raise Failed(f'WorkOffline is {current}')


def cmd_set_flags():
    mail('SetFlags', '(asasas)', ids_of('flag'), ['flagged', 'seen'], [])
    done('flag')


def cmd_move():
    mail('Move', '(ass)', ids_of('move'), folder_id(DEST))
    done('move')


def cmd_delete():
    mail('Delete', '(as)', ids_of('delete'))
    done('delete')


def cmd_delete_activating():
    """Delete of the message picked as delete2 while Kontor is not running: the call
    D-Bus-starts Kontor, as a script's first call would, and is answered."""
    if app_pid() is not None:
        raise Failed(f'Kontor is running already ({app_pid()})')
    try:
        mail('Delete', '(as)', ids_of('delete2'), timeout=60)
    finally:
        note(f'answered by Kontor {app_pid()}')
    done('delete2')


def cmd_offline_errors():
    """While the user works offline, Sync and CreateFolder fail with the error Offline
    (and no folder is made on the server)."""
    problems = []
    for method, signature, args in (('Sync', '(s)', (account(),)),
                                    ('CreateFolder', '(ss)', (account(), 'NotWhileOffline'))):
        try:
            mail(method, signature, *args, timeout=60)
            problems.append(f'{method} succeeded')
        except CallFailed as e:
            if e.name != 'io.github.kontor.Error.Offline':
                problems.append(f'{method} failed with {e.name}: {e}')
    if server_folder('NotWhileOffline') is not None:
        problems.append('the server has a folder NotWhileOffline')
    if problems:
        raise Failed('\n'.join(problems))


def cmd_server_unchanged():
    now = server_snapshot()
    problems = []
    for name, before in state['before'].items():
        after = now[name]
        if after == before:
            continue
        if before is None or after is None:
            problems.append(f'{name}: {before is None and "appeared" or "disappeared"}')
            continue
        for uid in sorted(set(before) | set(after), key=int):
            if before.get(uid) != after.get(uid):
                problems.append(f'{name} UID {uid}: {before.get(uid)} -> {after.get(uid)}')
    if problems:
        raise Failed(f'{len(problems)} changes, e.g.\n' + '\n'.join(problems[:6]))


def cmd_hidden():
    """ListMessages(INBOX) no longer shows the moved and deleted messages, still shows
    the flagged ones, with the new flags."""
    total = len(state['before']['INBOX'])
    messages = {m['id']: m for m in list_messages('INBOX')}
    problems = []
    gone = 0
    for key, _ in moved_keys():
        gone += len(state[key])
        shown = [i for i in ids_of(key) if i in messages]
        if shown:
            problems.append(f'messages of {key} still listed: {shown}')
    for i in ids_of('flag'):
        if i not in messages:
            problems.append(f'{i} (flags changed) is not listed')
        elif not {'flagged', 'seen'} <= set(messages[i]['flags']):
            problems.append(f'{i} has flags {messages[i]["flags"]}, not flagged and seen')
    if len(messages) != total - gone:
        problems.append(f'{len(messages)} listed, {total - gone} expected')
    if problems:
        raise Failed('\n'.join(problems))


def journal_path():
    return os.path.join(env['XDG_DATA_HOME'], 'kontor', 'mail', account(), 'offline-moves')


def cmd_journal():
    """The journal of offline moves holds one entry for each message moved or deleted
    (to the Trash) so far, and nothing else."""
    try:
        with open(journal_path()) as f:
            lines = [line.split('\t') for line in f.read().splitlines() if line]
    except FileNotFoundError:
        lines = []
    want = [['INBOX', m['uid'], where] for key, where in moved_keys() for m in state[key]]
    if sorted(lines) != sorted(want):
        raise Failed(f'the journal holds {lines}, expected {want}')


def cmd_wait_journal_empty(timeout):
    deadline = time.monotonic() + float(timeout)
    while os.path.exists(journal_path()) and os.path.getsize(journal_path()) > 0:
        if time.monotonic() > deadline:
            raise Failed(f'the journal is not empty after {timeout} s')
        time.sleep(0.2)


def cmd_server_applied():
    """The offline changes are on the server, each once."""
    now = server_snapshot()
    inbox, dest, trash = now['INBOX'], now[DEST] or {}, now['Trash'] or {}
    problems = []
    for m in state['flag']:
        flags = set((inbox.get(m['uid']) or {}).get('flags', []))
        if not {'\\Flagged', '\\Seen'} <= flags:
            problems.append(f"INBOX UID {m['uid']}: flags {sorted(flags)}, not \\Flagged \\Seen")
    counts = {'INBOX': by_message_id(inbox), DEST: by_message_id(dest),
              'Trash': by_message_id(trash)}
    for key, where in moved_keys():
        for m in state[key]:
            found = {name: c[m['message-id']] for name, c in counts.items() if c[m['message-id']]}
            if found != {where: 1}:
                problems.append(f"{m['message-id']} ({key}): found {found}, expected {{{where!r}: 1}}")
    deleted = [u for u, v in inbox.items() if '\\Deleted' in v['flags']]
    if deleted:
        problems.append(f'INBOX keeps {len(deleted)} messages marked deleted: UIDs {deleted}')
    into = collections.Counter()
    for key, where in moved_keys():
        into[where] += len(state[key])
    for name, folder, n in (('INBOX', inbox, len(state['before']['INBOX']) - sum(into.values())),
                            (DEST, dest, into[DEST]), ('Trash', trash, into['Trash'])):
        if len(folder) != n:
            problems.append(f'{name} has {len(folder)} messages, expected {n}')
    if problems:
        raise Failed('\n'.join(problems))


def cmd_seed(name, count):
    r = subprocess.run([env['KONTOR_TEST_SERVERS_CLI'], 'seed-mail', env['KONTOR_TEST_SERVERS_DIR'],
                        env['KONTOR_TEST_USER'], name, count, '--seed', str(len(name))],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise Failed(r.stderr)
    note(r.stdout.strip())


def proxy(command):
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(10)
        s.connect(env['PROXY_CONTROL'])
        s.sendall(command.encode() + b'\n')
        answer = s.makefile().readline().strip()
    if not answer.startswith('ok'):
        raise Failed(f'proxy: {command}: {answer}')
    return dict(kv.split('=') for kv in answer.split()[1:])


def cmd_proxy_mark():
    """Records how many connections the proxy has accepted so far."""
    stats = proxy('stats')
    state['mark'] = {'accepted': int(stats['accepted']), 'down': int(stats['down'])}
    save_state(state)


def cmd_no_connections_since_mark():
    """No connection went through the proxy to the server since proxy-mark."""
    stats = proxy('stats')
    new = int(stats['accepted']) - state['mark']['accepted']
    if new:
        raise Failed(f'{new} connections to the server were opened meanwhile; the server sent '
                     f"{int(stats['down']) - state['mark']['down']} bytes")


def kick():
    r = subprocess.run(['doveadm', '-c', env['KONTOR_TEST_DOVECOT_CONF'], 'kick',
                        env['KONTOR_TEST_USER']], capture_output=True, text=True, timeout=30)
    note(f'doveadm kick: exit {r.returncode} {r.stdout.strip()} {r.stderr.strip()}')
    return r.returncode == 0


def cmd_sync_dropped(name, how, after):
    """Starts Sync; once AFTER bytes of the sync went to Kontor, drops its connections
    (how: "cut" resets them in the proxy, "kick" has Dovecot disconnect the user). Passes
    when the drop happened while the sync was running; Sync may fail or recover."""
    loop = GLib.MainLoop()
    outcome = {}

    def done(connection, result):
        try:
            connection.call_finish(result)
            outcome['result'] = 'succeeded'
        except GLib.Error as e:
            outcome['result'] = f'failed: {e.message}'
        outcome['at'] = time.monotonic()
        loop.quit()

    start = time.monotonic()
    base = int(proxy('rate 150000')['down'])  # about 10 s for 3000 headers
    if how == 'cut':
        proxy(f'cut-after {after}')
    bus().call(NAME, OBJECT, MAIL1, 'Sync', GLib.Variant('(s)', (account(),)), None,
               Gio.DBusCallFlags.NONE, 300000, None, done)
    dropped_at = None
    deadline = start + 240

    def poll():
        nonlocal dropped_at
        stats = proxy('stats')
        if dropped_at is None:
            if how == 'cut' and int(stats['cuts']) > 0:
                dropped_at = time.monotonic()
                note(f'connections cut after {int(stats["down"]) - base} bytes, '
                     f'{len(list_messages(name))} messages of {name} cached then')
            elif how == 'kick' and int(stats['down']) - base >= int(after):
                dropped_at = time.monotonic()
                note(f'kicking after {int(stats["down"]) - base} bytes, '
                     f'{len(list_messages(name))} messages of {name} cached then')
                kick()
        if time.monotonic() > deadline:
            outcome['result'] = 'still running after 240 s'
            loop.quit()
        return True

    GLib.timeout_add(50, poll)
    loop.run()
    proxy('rate 0')
    proxy('cut-after 1000000000000')
    note(f"Sync {outcome['result']} after {outcome.get('at', time.monotonic()) - start:.1f} s")
    got = len(list_messages(name))
    note(f'{got} messages of {name} listed after the drop')
    if dropped_at is None:
        raise Failed('the sync ended before the connection could be dropped')
    if 'at' in outcome and outcome['at'] < dropped_at:
        raise Failed('the sync had ended before the drop')


def cmd_first_call():
    """A Mail1 call while Kontor is not running: D-Bus starts Kontor and the call is
    answered, as when a script is the first to use Mail."""
    if app_pid() is not None:
        raise Failed('Kontor is running already')
    try:
        mail('ListFolders', '(s)', '', timeout=60)
    finally:
        note(f'answered by Kontor {app_pid()}')


def cmd_wait_mail1(timeout='30'):
    """Waits until the running Kontor exports Mail1; never starts one."""
    deadline = time.monotonic() + float(timeout)
    while True:
        try:
            xml = call('org.freedesktop.DBus.Introspectable', 'Introspect', timeout=5,
                       auto_start=False)[0]
            if f'<interface name="{MAIL1}">' in xml:
                return
        except Failed:
            pass
        if time.monotonic() > deadline:
            raise Failed(f'Kontor did not export Mail1 within {timeout} s')
        time.sleep(0.05)


def cmd_keep_alive():
    """Until killed: a Shell1 call every 3 s, each of which holds Kontor up for its
    inactivity timeout; never starts Kontor. Ends with the test script, or after 10 min."""
    parent, deadline = os.getppid(), time.monotonic() + 600
    while os.getppid() == parent and time.monotonic() < deadline:
        try:
            bus().call_sync(NAME, OBJECT, 'io.github.kontor.Shell1', 'ListPlugins', None, None,
                            Gio.DBusCallFlags.NO_AUTO_START, 5000, None)
        except GLib.Error:
            pass
        time.sleep(3)


def cmd_long_sync(rate):
    """Sync with the connection slowed to RATE bytes/s, so that it takes longer than
    Kontor's inactivity timeout (10 s) with no other call meanwhile: it is answered, by
    the same Kontor."""
    pid = app_pid()
    proxy(f'rate {rate}')
    start = time.monotonic()
    try:
        mail('Sync', '(s)', account(), timeout=120)
    finally:
        proxy('rate 0')
        elapsed = time.monotonic() - start
        note(f'Sync took {elapsed:.1f} s; Kontor was {pid}, is now {app_pid()}')
    if app_pid() != pid:
        raise Failed('Kontor was restarted meanwhile')
    if elapsed < 11:
        raise Failed('the Sync was too quick to test this: seed more mail or slow down more')


def cmd_calls_keep_alive(seconds):
    """With no other call, a ListFolders every 3 s for SECONDS (more than the 10 s of
    the service's inactivity timeout) keeps the same Kontor up: each Mail1 call holds
    the application. Never starts Kontor."""
    pid, start = app_pid(), time.monotonic()
    while time.monotonic() - start < float(seconds):
        try:
            mail('ListFolders', '(s)', account(), timeout=30, auto_start=False)
        except CallFailed as e:
            raise Failed(f'{time.monotonic() - start:.1f} s into the calls: {e} '
                         f'(Kontor was {pid}, is now {app_pid()})')
        time.sleep(3)
    if app_pid() != pid:
        raise Failed(f'Kontor was {pid}, is now {app_pid()}')


def cmd_app_pid():
    pid = app_pid()
    if pid is None:
        raise Failed('Kontor is not running')
    print(pid)


def cmd_stop_app(timeout='20'):
    """SIGTERM to the process owning Kontor's bus name; waits until it is gone."""
    pid = app_pid()
    if pid is None:
        note('Kontor was not running')
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + float(timeout)
    while time.monotonic() < deadline:
        try:
            with open(f'/proc/{pid}/stat') as f:
                if f.read().rsplit(')', 1)[1].split()[0] == 'Z':
                    break
        except FileNotFoundError:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
        raise Failed(f'Kontor ({pid}) did not quit within {timeout} s of SIGTERM')
    while app_pid() == pid and time.monotonic() < deadline + 5:
        time.sleep(0.1)


def cmd_corrupt_cache():
    """Overwrites the account's Camel summary database with garbage."""
    base = os.path.join(env['XDG_CACHE_HOME'], 'kontor', 'mail', 'camel', account())
    path = os.path.join(base, 'folders.db')
    if not os.path.exists(path):
        raise Failed(f'no {path}; the cache holds {os.listdir(base) if os.path.isdir(base) else "nothing"}')
    size = os.path.getsize(path)
    with open(path, 'r+b') as f:
        f.write(os.urandom(max(size, 8192)))
    for extra in ('folders.db-wal', 'folders.db-shm', 'folders.db-journal'):
        if os.path.exists(os.path.join(base, extra)):
            os.unlink(os.path.join(base, extra))
    note(f'{path}: {size} bytes overwritten')


COMMANDS = {name[4:].replace('_', '-'): f for name, f in globals().items()
            if name.startswith('cmd_')}

if __name__ == '__main__':
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f'usage: mail_offline.py {"|".join(sorted(COMMANDS))} ...')
    try:
        COMMANDS[sys.argv[1]](*sys.argv[2:])
    except Failed as e:
        note(e)
        sys.exit(1)
    except Exception as e:  # a bug of the test or a surprise of the server: say which
        note(f'{type(e).__name__}: {e}')
        sys.exit(1)
