#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks what make-demo-data.py wrote into DIR: every message parses, threads hold
# together, every .ics has a VCALENDAR with valid DTSTARTs, every vCard an FN, and the
# documents are what their names say. One line per check: "ok<TAB>what" or
# "not ok<TAB>what<TAB>why" (test-demo.sh turns them into TAP).
#
#   check-demo-data.py DIR [TODAY]
import csv
import datetime as dt
import email
import email.policy
import glob
import json
import os
import re
import sys
import zipfile

results = []


def check(description):
    def wrap(fn):
        try:
            detail = fn()
        except Exception as e:  # a failed check, with its reason
            results.append((False, description, f'{type(e).__name__}: {e}'))
        else:
            results.append((True, description + (f' ({detail})' if detail else ''), ''))
        return fn
    return wrap


def unfold(text):
    return re.sub(r'\r?\n[ \t]', '', text).replace('\r\n', '\n').split('\n')


out = sys.argv[1]
today = dt.date.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else None
mail_root = os.path.join(out, 'mail')
emls = sorted(glob.glob(os.path.join(mail_root, '**', '*.eml'), recursive=True))
messages = {}


@check('every .eml parses with the email parser, with From, Date and Message-ID')
def _():
    for path in emls:
        with open(path, 'rb') as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        for header in ('From', 'To', 'Subject', 'Date', 'Message-ID'):
            assert msg[header], f'{path}: no {header}'
        assert msg['Date'].datetime is not None, path
        assert not msg.defects, (path, msg.defects)
        for part in msg.walk():
            assert not part.defects, (path, part.defects)
            if not part.is_multipart():
                part.get_content()  # decodes (charset, transfer encoding)
        messages[path] = msg
    return f'{len(emls)} messages'


@check('at least 300 messages in at least 4 folders')
def _():
    folders = {os.path.relpath(os.path.dirname(p), mail_root) for p in emls}
    assert len(emls) >= 300, len(emls)
    assert {'INBOX', 'Archive', 'Sent', 'Projects/Migration'} <= folders, folders
    assert any(f.startswith('Projects/Budget ') for f in folders), folders
    return ', '.join(sorted(folders))


@check('Message-IDs are unique and every In-Reply-To and Reference is one of them')
def _():
    ids = [m['Message-ID'] for m in messages.values()]
    assert len(ids) == len(set(ids))
    known = set(ids)
    replies = 0
    for path, m in messages.items():
        if m['In-Reply-To']:
            replies += 1
            assert m['In-Reply-To'] in known, (path, m['In-Reply-To'])
            refs = str(m['References']).split()
            assert refs and refs[-1] == m['In-Reply-To'] and set(refs) <= known, path
    assert replies >= 80, replies
    return f'{replies} replies'


@check('attachments: PDF, ODT, CSV, PNG and calendar files')
def _():
    kinds = {}
    for m in messages.values():
        for part in m.iter_attachments():
            kinds[part.get_content_type()] = kinds.get(part.get_content_type(), 0) + 1
    for wanted in ('application/pdf', 'application/vnd.oasis.opendocument.text', 'text/csv',
                   'image/png'):
        assert wanted in kinds, (wanted, kinds)
    assert sum(kinds.values()) >= 12, kinds
    return f'{sum(kinds.values())} attachments'


@check('meeting invitations (text/calendar; method=REQUEST) in INBOX')
def _():
    n = 0
    for path, m in messages.items():
        for part in m.walk():
            if part.get_content_type() == 'text/calendar' and \
                    part.get_param('method', '').upper() == 'REQUEST':
                assert os.path.basename(os.path.dirname(path)) == 'INBOX', path
                text = part.get_content()
                assert 'METHOD:REQUEST' in text and 'ATTENDEE' in text and 'ORGANIZER' in text
                n += 1
    assert n >= 1, n
    return f'{n} invitations'


@check('mail-flags.json names only messages that exist, some unread, flagged, answered')
def _():
    with open(os.path.join(out, 'mail-flags.json')) as f:
        flags = json.load(f)
    ids = {m['Message-ID'] for m in messages.values()}
    seen = unread = flagged = answered = 0
    for folder, items in flags.items():
        for mid, value in items.items():
            assert mid in ids, (folder, mid)
            unread += '\\Seen' not in value
            seen += '\\Seen' in value
            flagged += '\\Flagged' in value
            answered += '\\Answered' in value
    assert unread >= 10 and flagged >= 3 and answered >= 5 and seen >= 200, \
        (unread, flagged, answered, seen)
    return f'{unread} unread, {flagged} flagged, {answered} answered'


DATE = re.compile(r'^\d{8}$')
DATETIME = re.compile(r'^\d{8}T\d{6}Z?$')


def parse_date(value, params):
    if 'VALUE=DATE' in params:
        assert DATE.match(value), value
        return dt.datetime.strptime(value, '%Y%m%d')
    assert DATETIME.match(value), value
    return dt.datetime.strptime(value[:15], '%Y%m%dT%H%M%S')


def ics_files():
    return sorted(glob.glob(os.path.join(out, '**', '*.ics'), recursive=True))


@check('every .ics has BEGIN:VCALENDAR and every VEVENT a valid DTSTART and UID')
def _():
    events = 0
    for path in ics_files():
        with open(path, encoding='utf-8', newline='') as f:
            raw = f.read()
        lines = unfold(raw)
        assert lines[0] == 'BEGIN:VCALENDAR' and 'END:VCALENDAR' in lines, path
        assert all(len(line.encode()) <= 75 for line in raw.split('\r\n')), f'{path}: not folded'
        zones = {line[5:] for line in lines if line.startswith('TZID:')}
        current = None
        for line in lines:
            if line == 'BEGIN:VEVENT':
                current = {}
            elif line == 'END:VEVENT':
                assert 'DTSTART' in current and 'UID' in current, (path, current)
                events += 1
                current = None
            elif current is not None and ':' in line:
                name_params, value = line.split(':', 1)
                name, _, params = name_params.partition(';')
                if name in ('DTSTART', 'DTEND', 'RECURRENCE-ID'):
                    tzid = re.search(r'TZID=([^;:]+)', params)
                    assert tzid is None or tzid.group(1) in zones, (path, line)
                    current[name] = parse_date(value, params)
                elif name == 'UID':
                    current['UID'] = value
    return f'{len(ics_files())} files, {events} events'


@check('the calendar: 20+ events around today, recurring, all-day, invitations, two zones')
def _():
    with open(os.path.join(out, 'calendar', 'amara.ics'), encoding='utf-8') as f:
        text = '\n'.join(unfold(f.read()))
    uids = set(re.findall(r'^UID:(.+)$', text, re.M))
    assert len(uids) >= 20, len(uids)
    assert len(re.findall(r'^RRULE:FREQ=(DAILY|WEEKLY)', text, re.M)) >= 3
    assert 'RECURRENCE-ID' in text and 'DTSTART;VALUE=DATE:' in text and 'ATTENDEE' in text
    assert 'TZID=Europe/Berlin' in text and 'TZID=Europe/Amsterdam' in text
    if today:
        starts = [dt.datetime.strptime(v, '%Y%m%d').date() for v in
                  re.findall(r'^DTSTART[^:]*:(\d{8})', text, re.M)]
        near = [s for s in starts if abs((s - today).days) <= 31]
        assert len(near) >= 15, len(near)
    return f'{len(uids)} events'


@check('every vCard has VERSION and FN (and N in 3.0); 90+ contacts')
def _():
    cards = 0
    for path in glob.glob(os.path.join(out, 'contacts', '*.vcf')):
        with open(path, encoding='utf-8', newline='') as f:
            raw = f.read()
        assert all(len(line.encode()) <= 75 for line in raw.split('\r\n')), f'{path}: not folded'
        for card in '\n'.join(unfold(raw)).split('BEGIN:VCARD')[1:]:
            lines = card.strip().split('\n')
            assert lines[-1] == 'END:VCARD', path
            version = next(line[8:] for line in lines if line.startswith('VERSION:'))
            assert version in ('3.0', '4.0'), version
            fn = [line for line in lines if line.startswith('FN:')]
            assert fn and fn[0][3:].strip(), (path, lines[:4])
            if version == '3.0':
                assert any(line.startswith('N:') for line in lines), (path, fn)
            cards += 1
    assert cards >= 90, cards
    return f'{cards} contacts'


docs = os.path.join(out, 'files', 'Documents')


@check('documents: a valid PDF, ODT, CSV, text, calendar and PNG')
def _():
    pdfs = glob.glob(os.path.join(docs, '**', '*.pdf'), recursive=True)
    assert pdfs
    for path in pdfs:
        with open(path, 'rb') as f:
            data = f.read()
        assert data.startswith(b'%PDF-1.') and data.endswith(b'%%EOF\n'), path
        xref = int(re.search(rb'startxref\n(\d+)\n%%EOF\n$', data).group(1))
        table = data[xref:].split(b'\n')
        assert table[0] == b'xref', path
        for n in range(1, int(table[1].split()[1])):
            offset = int(table[2 + n][:10])
            assert data[offset:].startswith(f'{n} 0 obj'.encode()), (path, n)
        length = re.search(rb'/Length (\d+) >>\nstream\n', data)
        end = length.end() + int(length.group(1))
        assert data[end:end + 9] == b'endstream', path
    for path in glob.glob(os.path.join(docs, '**', '*.odt'), recursive=True):
        with zipfile.ZipFile(path) as z:
            first = z.infolist()[0]
            assert first.filename == 'mimetype' and first.compress_type == zipfile.ZIP_STORED
            assert z.read('mimetype') == b'application/vnd.oasis.opendocument.text'
            import xml.dom.minidom
            xml.dom.minidom.parseString(z.read('content.xml'))
    for path in glob.glob(os.path.join(docs, '*.csv')):
        with open(path, encoding='utf-8', newline='') as f:
            rows = list(csv.reader(f))
        assert len(rows) > 5 and all(len(r) == len(rows[0]) for r in rows), path
        total = rows[-1]
        assert int(total[3]) == sum(int(r[3]) for r in rows[1:-1]), 'the total adds up'
    names = os.listdir(docs)
    assert any(n.endswith('.txt') for n in names) and any(n.endswith('.ics') for n in names)
    pngs = glob.glob(os.path.join(docs, '**', '*.png'), recursive=True)
    with open(pngs[0], 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    return f'{sum(len(f) for _, _, f in os.walk(docs))} files'


@check('organisation.json: the demo user and the server logins')
def _():
    with open(os.path.join(out, 'organisation.json'), encoding='utf-8') as f:
        org = json.load(f)
    assert org['user'] == 'amara' and org['display_name'] == 'Amara Okafor'
    assert {'amara', 'jonas', 'lea', 'mateo', 'ines'} <= set(org['logins'])
    emails = [p['email'] for p in org['people']]
    assert f'amara@{org["domain"]}' in emails


for ok, description, detail in results:
    print(('ok' if ok else 'not ok') + '\t' + description + ('\t' + detail if detail else ''))
sys.exit(0 if all(r[0] for r in results) else 1)
