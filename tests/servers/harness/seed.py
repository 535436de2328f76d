# SPDX-License-Identifier: GPL-3.0-or-later
"""Filling the servers: bulk mail straight into Maildir, events and contacts into
Radicale, files into WebDAV."""

import base64
import datetime
import email.header
import email.utils
import hashlib
import os
import random
import re
import time
import urllib.parse

from . import davclient, dovecot

FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Elif', 'Farid', 'Greta', 'Hannes', 'Ines', 'Jonas',
         'Katja', 'Lukas', 'Mira', 'Noah', 'Olga', 'Paul', 'Rania', 'Sven', 'Tilda', 'Yusuf',
         'Zoë', 'Åsa', 'Łukasz', 'Renée']
LAST = ['Adler', 'Becker', 'Costa', 'Dietrich', 'Engel', 'Fischer', 'Graf', 'Hoffmann',
        'Iversen', 'Jansen', 'Klein', 'Lorenz', 'Meyer', 'Novak', 'Özdemir', 'Peters',
        'Quast', 'Richter', 'Schulz', 'Weber']
DOMAINS = ['example.org', 'example.com', 'example.net', 'lists.example.org', 'court.example',
           'ministry.example']
TOPICS = ['Budget 2025', 'Quarterly report', 'Meeting notes', 'Travel request',
          'Draft agreement', 'Press release', 'Server migration', 'Holiday schedule',
          'Invitation: workshop', 'Question about the invoice', 'Minutes of the board',
          'New office plan', 'Übersicht der Änderungen', 'Réunion de lundi', 'Access request',
          'Security review', 'Translation of the annex', 'Newsletter', 'Lunch on Friday?',
          'Contract renewal']
WORDS = ('the of and to in is that for on with as be this by we are from at it have not '
         'report meeting draft please review attached agree schedule next week office plan '
         'team budget document change question answer thanks regards update status').split()
ATTACHMENT = b'%PDF-1.4\n% Kontor test attachment\n' + bytes(range(256)) * 4


def _person(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    local = f'{first}.{last}'.lower().encode('ascii', 'ignore').decode() or 'someone'
    return f'{first} {last}', f'{local}@{rng.choice(DOMAINS)}'


def _encode(text):
    return text if text.isascii() else email.header.Header(text, 'utf-8').encode()


def _display(name):
    return f'"{name}"' if name.isascii() else _encode(name)


def _date(ts, rng):
    minutes = rng.choice((0, 60, 60, 120, 120, -300, 330, 540))
    zone = datetime.timezone(datetime.timedelta(minutes=minutes))
    return email.utils.format_datetime(datetime.datetime.fromtimestamp(ts, zone))


def _body(rng, n):
    lines = []
    for _ in range(n):
        lines.append(' '.join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize()
                     + '.')
    return '\n'.join(lines) + '\n'


def generate(count, user_address, seed=1, now=None):
    """Yields (timestamp, flags, bytes) for COUNT messages over the last ~6 months, in date
    order: varied senders and subjects, threads (In-Reply-To/References), some multipart
    with a small attachment, some unread, some flagged or answered."""
    rng = random.Random(seed)
    now = now or time.time()
    span = 180 * 86400
    start = now - span
    step = span / max(count, 1)
    token = hashlib.sha1(f'{seed}{now}{user_address}'.encode()).hexdigest()[:10]
    threads = []  # (subject, [message ids])
    for i in range(count):
        ts = int(start + i * step + rng.random() * step * 0.9)
        name, address = _person(rng)
        msgid = f'<seed.{token}.{i}@example.org>'
        headers = [f'Message-ID: {msgid}']
        if threads and rng.random() < 0.3:
            subject, ids = rng.choice(threads)
            subject = 'Re: ' + subject
            headers.append(f'In-Reply-To: {ids[-1]}')
            headers.append('References: ' + ' '.join(ids[-10:]))
            ids.append(msgid)
        else:
            subject = f'{rng.choice(TOPICS)} #{i}'
            threads.append((subject, [msgid]))
            if len(threads) > 200:
                threads.pop(0)
        headers[0:0] = [
            f'Return-Path: <{address}>',
            f'From: {_display(name)} <{address}>',
            f'To: <{user_address}>',
            f'Subject: {_encode(subject)}',
            f'Date: {_date(ts, rng)}',
            'MIME-Version: 1.0',
        ]
        text = _body(rng, rng.randint(2, 12))
        if rng.random() < 0.1:
            boundary = f'=_kontor_{token}_{i}'
            attachment = base64.encodebytes(ATTACHMENT).decode()
            headers.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
            body = (f'This is a multi-part message in MIME format.\n\n--{boundary}\n'
                    'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'
                    f'{text}\n--{boundary}\n'
                    f'Content-Type: application/pdf; name="report-{i}.pdf"\n'
                    'Content-Transfer-Encoding: base64\n'
                    f'Content-Disposition: attachment; filename="report-{i}.pdf"\n\n'
                    f'{attachment}\n--{boundary}--\n')
        else:
            headers.append('Content-Type: text/plain; charset=utf-8')
            headers.append('Content-Transfer-Encoding: 8bit')
            body = text
        data = ('\n'.join(headers) + '\n\n' + body).encode('utf-8')
        r = rng.random()
        # Older mail is mostly read; the last weeks hold most of the unread.
        unread = r < (0.5 if now - ts < 14 * 86400 else 0.08)
        flags = ('' if unread else 'S')
        if rng.random() < 0.05:
            flags = 'F' + flags
        if not unread and subject.startswith('Re: ') and rng.random() < 0.3:
            flags = flags.replace('S', 'RS')
        yield ts, ''.join(sorted(flags)), data


def from_files(files, count):
    """Yields (timestamp, flags, bytes) for the given .eml files (each once when COUNT is 0,
    else COUNT messages cycling through them); they are written unread."""
    total = count or len(files)
    cache = {}
    for i in range(total):
        path = files[i % len(files)]
        if path not in cache:
            with open(path, 'rb') as f:
                data = f.read().replace(b'\r\n', b'\n')
            ts = None
            m = re.search(rb'^Date:[ \t]*(.+(?:\n[ \t].+)*)', data.split(b'\n\n', 1)[0],
                          re.M | re.I)
            if m:
                try:
                    ts = email.utils.parsedate_to_datetime(
                        m.group(1).decode('ascii', 'replace').strip()).timestamp()
                except (TypeError, ValueError, IndexError, OverflowError):
                    ts = None
            cache[path] = (int(ts or time.time()), data)
        ts, data = cache[path]
        yield ts, '', data


def write_maildir(state, user, folder, messages):
    """Writes MESSAGES into FOLDER's cur/ and lets Dovecot index them. Returns the
    folder's message count afterwards."""
    path = dovecot.mailbox_dir(state, user, folder)
    cur = os.path.join(path, 'cur')
    uid, gid = state['dovecot']['mail_uid'], state['dovecot']['mail_gid']
    pid = os.getpid()
    chown = os.geteuid() == 0 or uid != os.getuid()
    for i, (ts, flags, data) in enumerate(messages):
        crlf_size = len(data) + data.count(b'\n')
        name = f'{ts}.M{i % 1000000}P{pid}Q{i}.kontor,S={len(data)},W={crlf_size}:2,{flags}'
        file = os.path.join(cur, name)
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
            if chown:
                os.fchown(fd, uid, gid)
        finally:
            os.close(fd)
        os.utime(file, (ts, ts))  # the received date (INTERNALDATE) of a Maildir message
    return dovecot.index(state, user, folder)


def seed_mail(state, user, folder, count, eml_files=None, seed=1):
    if user not in state['users']:
        raise SystemExit(f'unknown user {user}')
    if eml_files:
        messages = from_files(eml_files, count)
    else:
        messages = generate(count, f'{user}@{state["mail_domain"]}', seed=seed)
    return write_maildir(state, user, folder, messages)


# ---------------------------------------------------------------- DAV

def _components(text, wanted):
    """Splits iCalendar/vCard TEXT into (uid, component text, top-level block kind).
    For iCalendar returns the VTIMEZONEs separately."""
    lines = text.replace('\r\n', '\n').split('\n')
    depth = 0
    current = None
    parts = []
    for line in lines:
        upper = line.upper()
        if upper.startswith('BEGIN:'):
            depth += 1
            kind = upper[6:].strip()
            if current is None and kind in wanted:
                current = (kind, depth, [])
        if current is not None:
            current[2].append(line)
        if upper.startswith('END:'):
            if current is not None and depth == current[1]:
                parts.append((current[0], current[2]))
                current = None
            depth -= 1
    return parts


def _uid(lines):
    depth = 0
    for i, line in enumerate(lines):
        upper = line.upper()
        if upper.startswith('BEGIN:'):
            depth += 1
        elif upper.startswith('END:'):
            depth -= 1
        elif depth == 1 and upper.startswith('UID') and upper[3:4] in (':', ';'):
            value = line.split(':', 1)[1]
            j = i + 1
            while j < len(lines) and lines[j][:1] in (' ', '\t'):
                value += lines[j][1:]
                j += 1
            return value.strip()
    return None


def _resource_name(uid, ext):
    if re.fullmatch(r'[A-Za-z0-9@._-]{1,120}', uid):
        return uid + ext
    return hashlib.sha1(uid.encode()).hexdigest() + ext


def _ensure_uid(lines, seed):
    uid = _uid(lines)
    if uid:
        return uid, lines
    uid = 'kontor-seed-' + hashlib.sha1(seed.encode()).hexdigest()[:16]
    return uid, [lines[0], 'UID:' + uid] + lines[1:]


def calendar_resources(text, source):
    """One CalDAV resource per UID: its components plus the file's time zones."""
    parts = _components(text, ('VTIMEZONE', 'VEVENT', 'VTODO', 'VJOURNAL'))
    zones = [lines for kind, lines in parts if kind == 'VTIMEZONE']
    by_uid = {}
    for n, (kind, lines) in enumerate(parts):
        if kind == 'VTIMEZONE':
            continue
        uid, lines = _ensure_uid(lines, f'{source}#{n}')
        by_uid.setdefault(uid, []).append(lines)
    for uid, comps in by_uid.items():
        out = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kontor//test servers//EN']
        for z in zones:
            out += z
        for c in comps:
            out += c
        out.append('END:VCALENDAR')
        yield _resource_name(uid, '.ics'), '\r\n'.join(out) + '\r\n'


def contact_resources(text, source):
    for n, (kind, lines) in enumerate(_components(text, ('VCARD',))):
        uid, lines = _ensure_uid(lines, f'{source}#{n}')
        yield _resource_name(uid, '.vcf'), '\r\n'.join(lines) + '\r\n'


class Rejected(Exception):
    pass


def _put(url, data, content_type, auth):
    status, _, text = davclient.request(url, 'PUT', data, {'Content-Type': content_type},
                                        auth=auth)
    if status not in (200, 201, 204):
        raise Rejected(f'PUT {url}: {status} {text.strip()[:300]}')
    return url


def seed_dav(state, user, ics_files, vcf_files, keep_going=False):
    """PUTs every event (one resource per UID) and contact; returns (urls, rejected)."""
    auth = (user, state['users'][user])
    base = state['urls']['dav_base'].rstrip('/')
    done, rejected = [], []
    jobs = [(path, calendar_resources, 'calendar', 'text/calendar') for path in ics_files]
    jobs += [(path, contact_resources, 'contacts', 'text/vcard') for path in vcf_files]
    for path, split, collection, content_type in jobs:
        with open(path, 'rb') as f:
            raw = f.read()
        try:
            text = raw.decode('utf-8-sig')
        except UnicodeDecodeError:
            text = raw.decode('latin-1')  # DAV servers take UTF-8 only
        for name, data in split(text, path):
            url = f'{base}/{user}/{collection}/{urllib.parse.quote(name)}'
            try:
                done.append(_put(url, data.encode(), content_type + '; charset=utf-8', auth))
            except Rejected as e:
                if not keep_going:
                    raise SystemExit(f'{path}: {e}') from None
                rejected.append(f'{path}: {e}')
    return done, rejected


def seed_files(state, user, files, dest=''):
    auth = (user, state['users'][user])
    base = f'{state["urls"]["http_base"]}remote.php/dav/files/{urllib.parse.quote(user)}/'
    folder = base
    for part in [p for p in dest.split('/') if p]:
        folder += urllib.parse.quote(part) + '/'
        status, _, text = davclient.request(folder, 'MKCOL', auth=auth)
        if status not in (201, 405):
            raise SystemExit(f'MKCOL {folder}: {status} {text[:300]}')
    done = []
    for path in files:
        with open(path, 'rb') as f:
            data = f.read()
        try:
            done.append(_put(folder + urllib.parse.quote(os.path.basename(path)), data,
                             'application/octet-stream', auth))
        except Rejected as e:
            raise SystemExit(str(e)) from None
    return done
