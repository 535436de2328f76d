#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""make-demo-data.py: the demo workspace's organisation, written as files.

Brückenwerk Foundation, a small non-profit in Berlin with an office in Amsterdam, is
moving its mail, calendars and files to openDesk. This writes what its Head of
Operations, Amara Okafor, would have on her servers:

  OUT/organisation.json       the organisation, its people and the server logins
  OUT/mail/FOLDER/NNNN.eml    ~300 messages (INBOX, Archive, Projects/Budget 2027,
                              Projects/Migration, Sent, Drafts) with threads,
                              attachments and two meeting invitations
  OUT/mail-flags.json         FOLDER -> Message-ID -> IMAP flags
  OUT/calendar/*.ics          a month of events around TODAY (Europe/Berlin and
                              Europe/Amsterdam, recurrences, all-day, invitations)
  OUT/contacts/*.vcf          ~100 contacts, vCard 4.0 and 3.0
  OUT/files/Documents/...     a PDF, an ODT, minutes, a CSV budget, an .ics, a PNG

Standard library only; the same TODAY and --seed give the same files.

  make-demo-data.py OUT [--today YYYY-MM-DD] [--now ISO-TIME] [--domain DOMAIN]
"""

import argparse
import base64
import csv
import datetime as dt
import email.policy
import email.utils
import io
import json
import os
import random
import struct
import sys
import textwrap
import zipfile
import zlib
from email.message import EmailMessage

UTC = dt.timezone.utc
ORG = 'Brückenwerk Foundation'
ORG_SHORT = 'Brückenwerk'
DEFAULT_DOMAIN = 'demo.kontor.example'
PRODID = '-//Kontor//Demo workspace//EN'

# ---------------------------------------------------------------- time

def _last_sunday(year, month):
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else \
        dt.date(year, 12, 31)
    while day.weekday() != 6:
        day -= dt.timedelta(days=1)
    return day


def cet_offset(when_utc):
    """Central European (Berlin, Amsterdam, Paris) offset at a UTC time: summer time from
    the last Sunday of March to the last Sunday of October, 01:00 UTC."""
    y = when_utc.year
    start = dt.datetime.combine(_last_sunday(y, 3), dt.time(1), UTC)
    end = dt.datetime.combine(_last_sunday(y, 10), dt.time(1), UTC)
    return dt.timedelta(hours=2 if start <= when_utc < end else 1)


def cet_to_utc(local):
    """A naive Berlin wall-clock time as an aware UTC time."""
    guess = local.replace(tzinfo=UTC) - dt.timedelta(hours=1)
    return local.replace(tzinfo=UTC) - cet_offset(guess)


ZONES = {
    'cet': None,  # Europe/Berlin rules
    'utc': dt.timedelta(0),
    'lagos': dt.timedelta(hours=1),
    'accra': dt.timedelta(0),
    'lisbon': None,  # handled as CET minus one hour
    'tokyo': dt.timedelta(hours=9),
}


def local_zone(zone, when_utc):
    if zone == 'cet':
        return dt.timezone(cet_offset(when_utc))
    if zone == 'lisbon':
        return dt.timezone(cet_offset(when_utc) - dt.timedelta(hours=1))
    return dt.timezone(ZONES.get(zone) or dt.timedelta(0))


DAYS = ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')
MONTHS = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')


def human_date(when):
    return f'{DAYS[when.weekday()]}, {when.day} {MONTHS[when.month - 1]} {when.year} ' \
           f'at {when:%H:%M}'


# ---------------------------------------------------------------- people

# login, display name, title, department, office, phone extension
STAFF = [
    ('amara', 'Amara Okafor', 'Head of Operations', 'Management', 'berlin', '2100'),
    ('jonas', 'Jonas Becker', 'IT Lead', 'IT', 'berlin', '2140'),
    ('lea', 'Lea Hoffmann', 'Finance Manager', 'Finance', 'berlin', '2120'),
    ('mateo', 'Mateo García', 'Migration Project Manager', 'Programmes', 'berlin', '2131'),
    ('ines', 'Inès Moreau', 'Communications Manager', 'Communications', 'berlin', '2150'),
    ('sanne', 'Sanne de Vries', 'Office Lead Amsterdam', 'Amsterdam Office', 'amsterdam',
     '410'),
    ('piotr', 'Piotr Kowalski', 'System Administrator', 'IT', 'berlin', '2141'),
    ('yuki', 'Yuki Tanaka', 'Finance Assistant', 'Finance', 'berlin', '2122'),
    ('fatma', 'Fatma Yılmaz', 'HR Manager', 'People & Culture', 'berlin', '2160'),
    ('chiara', 'Chiara Romano', 'Translation Coordinator', 'Communications', 'berlin', '2152'),
    ('nia', 'Nia Mensah', 'Press Officer', 'Communications', 'berlin', '2151'),
    ('lukas', 'Lukas Schmid', 'Office Manager', 'Management', 'berlin', '2101'),
    ('daan', 'Daan Jansen', 'Programme Officer', 'Amsterdam Office', 'amsterdam', '412'),
    ('sofia', 'Sofia Almeida', 'Programme Officer', 'Programmes', 'berlin', '2132'),
    ('karim', 'Karim Haddad', 'IT Support', 'IT', 'berlin', '2142'),
    ('olena', 'Olena Kovalenko', 'Accountant', 'Finance', 'berlin', '2121'),
]
# The logins the mail and DAV servers know; the first is the demo user.
LOGINS = ('amara', 'jonas', 'lea', 'mateo', 'ines')

OFFICES = {
    'berlin': {'street': 'Brückenstraße 12', 'city': 'Berlin', 'code': '10179',
               'country': 'Germany', 'phone': '+49 30 5557 '},
    'amsterdam': {'street': 'Noorderkade 17', 'city': 'Amsterdam', 'code': '1013 AX',
                  'country': 'Netherlands', 'phone': '+31 20 555 0'},
}

# key, display name, address, organisation, title, time zone
EXTERNAL = [
    ('henrik', 'Henrik Lindqvist', 'henrik.lindqvist@example.net', ORG,
     'Chair of the Board', 'cet'),
    ('margarethe', 'Margarethe Vogel', 'm.vogel@example.org', ORG, 'Treasurer', 'cet'),
    ('kwame', 'Kwame Asante', 'kwame.asante@example.com', ORG, 'Board Member', 'accra'),
    ('elena', 'Elena Petrova', 'elena.petrova@hosting.example', 'Sovereign Cloud Hosting GmbH',
     'Account Manager', 'cet'),
    ('marc', 'Marc Dubois', 'marc.dubois@training.example', 'Formation Libre SARL',
     'Trainer', 'cet'),
    ('birgit', 'Birgit Wagner', 'b.wagner@audit.example', 'Wagner & Partner',
     'Auditor', 'cet'),
    ('olumide', 'Olumide Adeyemi', 'olumide@translate.example', 'LinguaBridge Translations',
     'Project Manager', 'lagos'),
    ('travel', 'Reisebüro Nord', 'bookings@travel.example', 'Reisebüro Nord', '', 'cet'),
    ('community', 'openDesk Community', 'newsletter@community.example', '', '', 'utc'),
    ('helpdesk', f'{ORG_SHORT} Helpdesk', 'helpdesk@{domain}', ORG, '', 'cet'),
    ('expenses', f'{ORG_SHORT} Expenses', 'expenses@{domain}', ORG, '', 'cet'),
    ('rooms', 'Room booking', 'rooms@{domain}', ORG, '', 'cet'),
    ('files', 'openDesk Files', 'noreply-files@{domain}', ORG, '', 'cet'),
    ('opendesk', 'openDesk', 'noreply@{domain}', ORG, '', 'cet'),
    ('berlin-office', f'{ORG_SHORT} Berlin office', 'berlin-office@{domain}', ORG, '', 'cet'),
    ('agnieszka', 'Agnieszka Wiśniewska', 'agnieszka.wisniewska@fcw.example',
     'Fundacja Cyfrowa Wolność', 'Programme Manager', 'cet'),
    ('camille', 'Camille Lefèvre', 'camille.lefevre@oka.example', 'Open Knowledge Alliance',
     'Programme Manager', 'cet'),
    ('katharina', 'Katharina Schulze', 'katharina.schulze@tagesblick.example', 'Tagesblick',
     'Journalist', 'cet'),
]


class People:
    def __init__(self, domain):
        self.domain = domain
        self.by_key = {}
        for login, name, title, dept, office, ext in STAFF:
            self.by_key[login] = {
                'key': login, 'name': name, 'email': f'{login}@{domain}', 'title': title,
                'department': dept, 'office': office, 'org': ORG, 'zone': 'cet',
                'phone': OFFICES[office]['phone'] + ext, 'staff': True,
            }
        for key, name, address, org, title, zone in EXTERNAL:
            self.by_key[key] = {'key': key, 'name': name, 'email': address.format(domain=domain),
                                'org': org, 'title': title, 'zone': zone, 'staff': False}

    def __getitem__(self, key):
        return self.by_key[key]

    def address(self, key):
        p = self.by_key[key]
        return email.utils.formataddr((p['name'], p['email']))

    def first(self, key):
        return self.by_key[key]['name'].split()[0]

    def signature(self, key):
        p = self.by_key[key]
        if not p['staff']:
            return ''
        return f'\n-- \n{p["name"]}\n{p["title"]}, {ORG}\nT {p["phone"]}\n'


# ---------------------------------------------------------------- small real files

def _pdf_text(text):
    data = text.encode('cp1252', 'replace')
    return data.replace(b'\\', b'\\\\').replace(b'(', b'\\(').replace(b')', b'\\)')


def make_pdf(title, paragraphs, subtitle=''):
    """A one-page A4 PDF with a title and wrapped paragraphs (Helvetica, WinAnsi)."""
    ops = [b'BT', b'/F2 18 Tf', b'56 780 Td', b'(' + _pdf_text(title) + b') Tj', b'/F1 11 Tf',
           b'15 TL']
    if subtitle:
        ops += [b'0 -22 Td', b'(' + _pdf_text(subtitle) + b') Tj', b'T*']
    else:
        ops += [b'0 -10 Td']
    for para in paragraphs:
        ops.append(b'T*')
        for line in textwrap.wrap(para, 84) or ['']:
            ops.append(b'(' + _pdf_text(line) + b') Tj T*')
    ops.append(b'ET')
    stream = b'\n'.join(ops) + b'\n'
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] '
        b'/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold '
        b'/Encoding /WinAnsiEncoding >>',
        b'<< /Length ' + str(len(stream)).encode() + b' >>\nstream\n' + stream + b'endstream',
        b'<< /Title (' + _pdf_text(title) + b') /Author (' + _pdf_text(ORG) +
        b') /Producer (Kontor demo workspace) >>',
    ]
    out = io.BytesIO()
    out.write(b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f'{n} 0 obj\n'.encode() + body + b'\nendobj\n')
    xref = out.tell()
    out.write(f'xref\n0 {len(objects) + 1}\n0000000000 65535 f \n'.encode())
    for off in offsets:
        out.write(f'{off:010d} 00000 n \n'.encode())
    out.write(f'trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 7 0 R >>\n'
              f'startxref\n{xref}\n%%EOF\n'.encode())
    return out.getvalue()


def _xml(text):
    return (text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
            .replace('"', '&quot;'))


def make_odt(title, paragraphs):
    """A small OpenDocument text: a heading and paragraphs ("- " lines become a list)."""
    body = [f'<text:h text:outline-level="1">{_xml(title)}</text:h>']
    for para in paragraphs:
        if para.startswith('## '):
            body.append(f'<text:h text:outline-level="2">{_xml(para[3:])}</text:h>')
        elif para.startswith('- '):
            items = ''.join(f'<text:list-item><text:p>{_xml(i[2:])}</text:p></text:list-item>'
                            for i in para.split('\n'))
            body.append(f'<text:list>{items}</text:list>')
        else:
            body.append(f'<text:p>{_xml(para)}</text:p>')
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ns}>'
               f'<office:body><office:text>{"".join(body)}</office:text></office:body>'
               '</office:document-content>\n')
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {ns}><office:meta>'
            f'<dc:title>{_xml(title)}</dc:title><meta:generator>Kontor demo workspace'
            '</meta:generator></office:meta></office:document-meta>\n')
    styles = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ns}>'
              '<office:styles/></office:document-styles>\n')
    manifest = '''<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
'''
    out = io.BytesIO()
    stamp = (2026, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(out, 'w') as z:
        # The media type comes first and uncompressed, as the format requires.
        z.writestr(zipfile.ZipInfo('mimetype', stamp), 'application/vnd.oasis.opendocument.text',
                   compress_type=zipfile.ZIP_STORED)
        for name, data in (('META-INF/manifest.xml', manifest), ('content.xml', content),
                           ('styles.xml', styles), ('meta.xml', meta)):
            z.writestr(zipfile.ZipInfo(name, stamp), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def make_png(width, height, pixel):
    """An RGB PNG; PIXEL(x, y) -> (r, g, b)."""
    rows = []
    for y in range(height):
        row = bytearray(b'\0')
        for x in range(width):
            row.extend(pixel(x, y))
        rows.append(bytes(row))

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data +
                struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(b''.join(rows), 9)) + chunk(b'IEND', b''))


def floor_plan_png():
    """A small floor plan: rooms in soft colours, walls, a corridor."""
    rooms = [((4, 4, 58, 44), (198, 222, 241)), ((62, 4, 116, 44), (246, 226, 179)),
             ((120, 4, 156, 44), (205, 236, 207)), ((4, 60, 76, 116), (233, 209, 234)),
             ((80, 60, 156, 116), (250, 212, 200))]

    def pixel(x, y):
        for (x0, y0, x1, y1), colour in rooms:
            if x0 <= x < x1 and y0 <= y < y1:
                if x in (x0, x1 - 1) or y in (y0, y1 - 1):
                    return (60, 60, 70)
                return colour
        return (245, 245, 242) if 44 <= y < 60 else (255, 255, 255)
    return make_png(160, 120, pixel)


def avatar_png(seed):
    """A 48x48 avatar: a colour from SEED with a lighter circle."""
    rng = random.Random(seed)
    base = tuple(rng.randint(60, 190) for _ in range(3))
    light = tuple(min(255, c + 60) for c in base)

    def pixel(x, y):
        return light if (x - 24) ** 2 + (y - 20) ** 2 < 100 or \
            ((x - 24) ** 2 + (y - 52) ** 2 < 520) else base
    return make_png(48, 48, pixel)


# ---------------------------------------------------------------- iCalendar and vCard

def fold(line):
    """Folds a content line at 75 octets without splitting a UTF-8 character."""
    data = line.encode('utf-8')
    if len(data) <= 75:
        return line
    parts = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(data[:cut].decode('utf-8'))
        data = data[cut:]
        limit = 74
    parts.append(data.decode('utf-8'))
    return '\r\n '.join(parts)


def esc(text):
    return (text.replace('\\', '\\\\').replace(';', '\\;').replace(',', '\\,')
            .replace('\n', '\\n'))


def vtimezone(tzid):
    # Europe/Berlin and Europe/Amsterdam share the rules since 1980.
    return [
        'BEGIN:VTIMEZONE', f'TZID:{tzid}', 'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0100',
        'TZOFFSETTO:+0200', 'TZNAME:CEST', 'DTSTART:19810329T020000',
        'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT', 'BEGIN:STANDARD',
        'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'TZNAME:CET', 'DTSTART:19961027T030000',
        'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD', 'END:VTIMEZONE',
    ]


def calendar_text(events, method=None, zones=('Europe/Berlin', 'Europe/Amsterdam')):
    lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', f'PRODID:{PRODID}', 'CALSCALE:GREGORIAN']
    if method:
        lines.append(f'METHOD:{method}')
    used = {z for z in zones if any(f'TZID={z}' in line for ev in events for line in ev)}
    for zone in zones:
        if zone in used:
            lines += vtimezone(zone)
    for ev in events:
        lines += ev
    lines.append('END:VCALENDAR')
    return ''.join(fold(line) + '\r\n' for line in lines)


def ical_local(when):
    return when.strftime('%Y%m%dT%H%M%S')


def ical_utc(when):
    return when.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')


# ---------------------------------------------------------------- the generator

class Demo:
    def __init__(self, out, today, now, domain, seed):
        self.out = out
        self.today = today
        self.now = now
        self.domain = domain
        self.rng = random.Random(seed)
        self.people = People(domain)
        self.mail = {}      # folder -> [(timestamp, bytes, message id)]
        self.flags = {}     # folder -> {message id: flags}
        self.files = {}     # name -> bytes, for attachments
        self.msg_count = 0
        self.monday = today - dt.timedelta(days=today.weekday())

    # -------------------------------------------------------- helpers

    def day(self, week, weekday):
        """The date WEEKDAY (0 = Monday) of week WEEK relative to this week."""
        return self.monday + dt.timedelta(days=7 * week + weekday)

    def message_id(self, slug):
        self.msg_count += 1
        return f'<{slug}.{self.msg_count:04d}@{self.domain}>'

    def sent_at(self, days_ago, hour=None):
        """A UTC time DAYS_AGO days back during Berlin working hours, never in the future."""
        day = self.today - dt.timedelta(days=int(days_ago))
        while day.weekday() >= 5 and days_ago > 2:
            day -= dt.timedelta(days=1)
        if hour is None:
            hour = self.rng.uniform(8.2, 18.5)
        local = dt.datetime.combine(day, dt.time(0)) + dt.timedelta(hours=hour)
        when = cet_to_utc(local)
        return min(when, self.now - dt.timedelta(minutes=self.rng.randint(6, 40)))

    def years(self, text):
        """{THIS} and {NEXT}: this year and the next, the one being budgeted."""
        return text.replace('{THIS}', str(self.today.year)).replace('{NEXT}',
                                                                    str(self.today.year + 1))

    def build(self, author, to, cc, subject, body, when, msgid, parents=(), attach=(),
              headers=None):
        p = self.people
        subject, body = self.years(subject), self.years(body)
        msg = EmailMessage(policy=email.policy.default)
        msg['From'] = p.address(author)
        msg['To'] = ', '.join(p.address(k) for k in to)
        if cc:
            msg['Cc'] = ', '.join(p.address(k) for k in cc)
        msg['Subject'] = subject
        zone = local_zone(p[author]['zone'], when)
        msg['Date'] = email.utils.format_datetime(when.astimezone(zone))
        msg['Message-ID'] = msgid
        if parents:
            msg['In-Reply-To'] = parents[-1]
            msg['References'] = ' '.join(parents[-12:])
        if p[author]['staff']:
            msg['Organization'] = ORG
        for key, value in (headers or {}).items():
            msg[key] = value
        msg.set_content(body)
        for name in attach:
            maintype, subtype = ATTACHMENT_TYPES[os.path.splitext(name)[1]]
            msg.add_attachment(self.files[name], maintype=maintype, subtype=subtype,
                               filename=name)
        return msg

    def store(self, folder, msg, when, flags):
        folder = self.years(folder)
        data = msg.as_bytes(policy=email.policy.default)
        self.mail.setdefault(folder, []).append((when.timestamp(), data, msg['Message-ID']))
        self.flags.setdefault(folder, {})[msg['Message-ID']] = flags

    def read_flags(self, folder, when, author, unread_chance=None):
        """Old mail is read; of the last days' some is not."""
        if author == 'amara' or folder in ('Sent', 'Drafts'):
            return ['\\Seen']
        age = (self.now - when).total_seconds() / 86400
        if unread_chance is None:
            unread_chance = 0.65 if age < 2 else 0.35 if age < 7 else 0.08 if age < 20 else 0
            if folder.startswith('Projects/'):
                unread_chance /= 2
            elif folder == 'Archive':
                unread_chance = 0
        return [] if self.rng.random() < unread_chance else ['\\Seen']

    # -------------------------------------------------------- threads

    def thread(self, folder, subject, days_ago, turns, attach=None, flag=(), cc=(),
               gap=(1.5, 26), slug=None, first_to=None, answered=True):
        """TURNS: [(author, text)]. Amara's messages go to Sent, the others' to FOLDER; each
        reply quotes the one before it. FLAG: turn numbers to flag."""
        p = self.people
        slug = slug or ''.join(c for c in subject.lower()
                               if c.isascii() and c.isalnum())[:24] or 'msg'
        participants = []
        for author, _ in turns:
            if author not in participants:
                participants.append(author)
        for k in (first_to or []) + list(cc):
            if k not in participants:
                participants.append(k)
        if 'amara' not in participants:
            participants.append('amara')
        attach = attach or {}
        ids = []
        when = self.sent_at(days_ago)
        previous = None
        stored = []
        for n, (author, text) in enumerate(turns):
            if n:
                when = when + dt.timedelta(hours=self.rng.uniform(*gap))
                # Nights and weekends: the answer comes the next working morning.
                local = when.astimezone(local_zone('cet', when))
                if local.hour >= 19 or local.hour < 8 or local.weekday() >= 5:
                    day = local.date() + dt.timedelta(days=1 if local.hour >= 19 else 0)
                    while day.weekday() >= 5:
                        day += dt.timedelta(days=1)
                    when = cet_to_utc(dt.datetime.combine(day, dt.time(8)) +
                                      dt.timedelta(minutes=self.rng.randint(5, 150)))
                when = min(when, self.now - dt.timedelta(minutes=(len(turns) - n) * 9))
            if n == 0:
                to = first_to or [k for k in participants if k != author][:1]
            else:
                to = [previous[0]] if previous[0] != author else \
                    [k for k in participants if k != author][:1]
            others = [k for k in participants if k != author and k not in to]
            body = text.strip('\n') + '\n' + p.signature(author)
            if previous is not None:
                prev_author, prev_text, prev_when = previous
                quoted = '\n'.join('> ' + line if line else '>'
                                   for line in prev_text.strip('\n').split('\n'))
                zone = local_zone(p[prev_author]['zone'], prev_when)
                body += (f'\nOn {human_date(prev_when.astimezone(zone))}, '
                         f'{p[prev_author]["name"]} wrote:\n{quoted}\n')
            msgid = self.message_id(slug)
            subj = subject if n == 0 else ('Re: ' + subject)
            msg = self.build(author, to, others if (n or cc) else [], subj, body, when, msgid,
                             ids, attach.get(n, ()))
            flags = self.read_flags(folder, when, author)
            if n in flag:
                flags.append('\\Flagged')
            target = 'Sent' if author == 'amara' else folder
            stored.append((target, msg, when, flags))
            ids.append(msgid)
            previous = (author, text, when)
        # What Amara answered carries \Answered.
        for i, (target, msg, when, flags) in enumerate(stored):
            if answered and i + 1 < len(stored) and turns[i + 1][0] == 'amara' and \
                    '\\Seen' in flags:
                flags.append('\\Answered')
            self.store(target, msg, when, flags)
        return ids

    def single(self, folder, author, subject, text, days_ago, to=('amara',), cc=(),
               attach=(), headers=None, flags=None, hour=None, slug='note'):
        when = self.sent_at(days_ago, hour)
        msgid = self.message_id(slug)
        body = text.strip('\n') + '\n' + self.people.signature(author)
        msg = self.build(author, list(to), list(cc), subject, body, when, msgid, (), attach,
                         headers)
        if flags is None:
            flags = self.read_flags(folder, when, author)
        self.store(folder, msg, when, flags)
        return msgid

    # -------------------------------------------------------- output

    def write(self):
        out = self.out
        os.makedirs(out, exist_ok=True)
        for folder, messages in self.mail.items():
            path = os.path.join(out, 'mail', *folder.split('/'))
            os.makedirs(path, exist_ok=True)
            for n, (ts, data, _) in enumerate(sorted(messages, key=lambda m: m[0]), 1):
                with open(os.path.join(path, f'{n:04d}.eml'), 'wb') as f:
                    f.write(data)
        flags = {folder: {mid: ' '.join(sorted(set(fl))) for mid, fl in items.items()}
                 for folder, items in self.flags.items()}
        write_json(os.path.join(out, 'mail-flags.json'), flags)


ATTACHMENT_TYPES = {
    '.pdf': ('application', 'pdf'),
    '.odt': ('application', 'vnd.oasis.opendocument.text'),
    '.csv': ('text', 'csv'),
    '.ics': ('text', 'calendar'),
    '.png': ('image', 'png'),
    '.txt': ('text', 'plain'),
}


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(obj, f, indent=2, ensure_ascii=False, sort_keys=True)
        f.write('\n')


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data.encode('utf-8') if isinstance(data, str) else data)


# ---------------------------------------------------------------- documents

BUDGET = [
    # cost centre, item, this year's actual, next year's draft, note
    ('100 Management', 'Staff costs', 412000, 426500, 'pay scale +3.5 %'),
    ('100 Management', 'Board meetings and travel', 9800, 10500, ''),
    ('200 IT', 'Groupware licences (old system)', 18400, 0, 'ends with the move to openDesk'),
    ('200 IT', 'openDesk hosting', 0, 14900, 'Sovereign Cloud Hosting, 40 seats'),
    ('200 IT', 'Hardware and replacements', 22000, 16000, 'laptops kept a year longer'),
    ('200 IT', 'Training', 3000, 7200, 'openDesk training, four groups'),
    ('300 Programmes', 'Partner grants', 186000, 198000, ''),
    ('300 Programmes', 'Workshops and events', 24500, 26000, ''),
    ('400 Communications', 'Translations', 15600, 17800, 'annual report in FR and NL'),
    ('400 Communications', 'Printing and design', 8200, 6100, 'more online, less print'),
    ('500 Amsterdam office', 'Rent and service charges', 31200, 33600, 'new office from May'),
    ('500 Amsterdam office', 'Travel Berlin - Amsterdam', 7400, 8200, 'train only'),
    ('500 Amsterdam office', 'Reserve for the office move', 0, 12000,
     'from the general reserve, once'),
    ('600 Administration', 'Audit and legal', 12800, 13100, ''),
    ('600 Administration', 'Insurance', 4300, 4450, ''),
]

GLOSSARY = [
    ('board', 'Vorstand', 'conseil d\'administration', 'bestuur'),
    ('annual report', 'Jahresbericht', 'rapport annuel', 'jaarverslag'),
    ('partner organisation', 'Partnerorganisation', 'organisation partenaire',
     'partnerorganisatie'),
    ('grant', 'Förderung', 'subvention', 'subsidie'),
    ('digital sovereignty', 'digitale Souveränität', 'souveraineté numérique',
     'digitale soevereiniteit'),
    ('open source', 'Open Source', 'logiciel libre', 'open source'),
    ('civil society', 'Zivilgesellschaft', 'société civile', 'maatschappelijk middenveld'),
    ('workplace suite', 'Arbeitsplatz-Suite', 'suite bureautique', 'werkplekomgeving'),
    ('data protection', 'Datenschutz', 'protection des données', 'gegevensbescherming'),
    ('volunteer', 'Ehrenamtliche/r', 'bénévole', 'vrijwilliger'),
]


def documents(d):
    """The files of the Documents folder; several are attachments in the mail too."""
    today = d.today
    this, nxt = today.year, today.year + 1
    plan = make_pdf(
        f'Migration plan: {ORG_SHORT} moves to openDesk',
        [
            'Goal. By the end of the quarter all 38 people in Berlin and Amsterdam work in '
            'openDesk: mail and calendars on the new servers, files in shared folders, '
            'documents edited in the browser or with LibreOffice. The old groupware is '
            'switched off two weeks after the last mailbox has moved.',
            'Phases. 1) Pilot with eight people from Finance and IT (done). 2) Training for '
            'every team, two hours each, in small groups. 3) Mailboxes move team by team in '
            'the evening; each move needs a freeze of about two hours. 4) Files: the old file '
            'server is cleaned up first, and what nobody has opened since 2019 goes to the '
            'archive. 5) Shared calendars for the meeting rooms and the car come last.',
            'Schedule. Week 1: Finance (9 mailboxes). Week 2: Communications and Programmes '
            '(14). Week 3: Management and IT (8). Week 4: the Amsterdam office (7), after its '
            'move to the new address.',
            'Risks. Shared mailboxes need their permissions set again. Old mail profiles on '
            'the reception PCs. Invitations sent before the move may arrive twice. What we do: '
            'a script for the permissions, a helpdesk slot every morning at 9:00, a short note '
            'to our partners before each move.',
            'Budget. Training 7,200 EUR, hosting 14,900 EUR a year; the old licences '
            f'(18,400 EUR a year) end with the move. See the Budget {nxt} draft.',
            f'Contacts. Project lead: Mateo García (ext. 2131). Technical lead: Jonas Becker '
            f'(ext. 2140). Helpdesk: helpdesk@{d.domain}, ext. 2199.',
        ],
        subtitle=f'Version 1.3 of {today - dt.timedelta(days=18):%d %B %Y} - '
                 'Mateo García, Jonas Becker')

    meeting = d.day(-3, 3)
    minutes = f'''{ORG} - Board meeting
Minutes

Date:     {meeting:%A, %d %B %Y}, 14:00-16:40
Place:    Meeting room Spree, Brückenstraße 12, Berlin, and video call
Present:  Henrik Lindqvist (chair), Margarethe Vogel (treasurer), Kwame Asante (video),
          Amara Okafor (Head of Operations), Lea Hoffmann (Finance, items 3 and 4)
Minutes:  Lukas Schmid

1. Opening and agenda
   The chair opened the meeting at 14:05. The agenda was adopted without changes.

2. Minutes of the last meeting
   Approved without changes.

3. Moving to openDesk: progress report
   Amara Okafor reported on the pilot with eight people from Finance and IT. Mail,
   calendars and files worked from the first day; two problems (permissions of shared
   mailboxes, old mail profiles on the reception PCs) are being fixed. The staff survey
   after the pilot: 7 of 8 want to keep the new system.
   Decision: the board approves phase 2 (training and moving the mailboxes team by team).

4. Budget {nxt}: first reading
   Lea Hoffmann presented the first draft. The end of the old groupware licences
   (18,400 EUR) pays for the hosting (14,900 EUR) and most of the training. Margarethe
   Vogel asked for a separate line for the Amsterdam office move.
   Action: Lea Hoffmann sends a revised draft two weeks before the next meeting.

5. Translations of the annual report
   The French and Dutch editions will be done by LinguaBridge Translations with our own
   glossary; Chiara Romano coordinates. Publication together with the German edition.

6. Any other business
   Kwame Asante offered to share the experience of the Accra Innovation Hub, which moved
   to open source tools last year. The next meeting is on {d.day(1, 3):%A, %d %B %Y}.

Action items
 - Amara Okafor: tell all staff the migration dates (by Friday)
 - Lea Hoffmann: revised budget draft for the board
 - Henrik Lindqvist: invite the auditor to the next meeting
 - Chiara Romano: timetable for the translations
'''

    budget = io.StringIO()
    w = csv.writer(budget, lineterminator='\r\n')
    w.writerow(['Cost centre', 'Item', f'{this} actual (EUR)', f'{nxt} draft (EUR)', 'Change (EUR)',
                'Note'])
    for centre, item, actual, draft, note in BUDGET:
        w.writerow([centre, item, actual, draft, draft - actual, note])
    w.writerow(['', 'Total', sum(b[2] for b in BUDGET), sum(b[3] for b in BUDGET),
                sum(b[3] - b[2] for b in BUDGET), ''])

    glossary = io.StringIO()
    w = csv.writer(glossary, lineterminator='\r\n')
    w.writerow(['English', 'Deutsch', 'Français', 'Nederlands'])
    w.writerows(GLOSSARY)

    offsite = calendar_text([[
        'BEGIN:VEVENT', f'UID:offsite-{d.day(2, 4):%Y%m%d}@{d.domain}',
        f'DTSTAMP:{ical_utc(d.now)}', f'DTSTART;VALUE=DATE:{d.day(2, 4):%Y%m%d}',
        f'DTEND;VALUE=DATE:{d.day(2, 5):%Y%m%d}', 'SUMMARY:Team offsite Amsterdam',
        'LOCATION:Noorderkade 17\\, Amsterdam',
        'DESCRIPTION:A day for the whole team: what we learnt from the move to '
        'openDesk\\, plans for next year\\, and a boat trip at noon. Ends at 16:00.',
        'CATEGORIES:Team', 'TRANSP:TRANSPARENT', 'END:VEVENT']], method='PUBLISH')

    itinerary = calendar_text([
        ['BEGIN:VEVENT', f'UID:itinerary-out-{d.day(2, 2):%Y%m%d}@travel.example',
         f'DTSTAMP:{ical_utc(d.now)}',
         f'DTSTART;TZID=Europe/Berlin:{d.day(2, 2):%Y%m%d}T075000',
         f'DTEND;TZID=Europe/Amsterdam:{d.day(2, 2):%Y%m%d}T141000',
         'SUMMARY:Train Berlin Hbf → Amsterdam Centraal (ICE 140)',
         'LOCATION:Berlin Hauptbahnhof', 'DESCRIPTION:Coach 7\\, seat 54 (window). '
         'Booking reference KX7Q2M.', 'END:VEVENT'],
        ['BEGIN:VEVENT', f'UID:itinerary-back-{d.day(2, 4):%Y%m%d}@travel.example',
         f'DTSTAMP:{ical_utc(d.now)}',
         f'DTSTART;TZID=Europe/Amsterdam:{d.day(2, 4):%Y%m%d}T163000',
         f'DTEND;TZID=Europe/Berlin:{d.day(2, 4):%Y%m%d}T224500',
         'SUMMARY:Train Amsterdam Centraal → Berlin Hbf (ICE 147)',
         'LOCATION:Amsterdam Centraal', 'DESCRIPTION:Coach 7\\, seat 61 (aisle). '
         'Booking reference KX7Q2M.', 'END:VEVENT'],
    ], method='PUBLISH')

    budget_notes = make_odt(f'Budget {nxt}: notes for the board', [
        f'These notes go with the spreadsheet "Budget {nxt}.csv". All amounts in EUR.',
        '## What changes',
        '- The old groupware licences (18,400) end with the move to openDesk.\n'
        '- Hosting of openDesk for 40 seats: 14,900 a year.\n'
        '- Training for all teams: 7,200, once.\n'
        '- The Amsterdam office moves in May: rent +2,400.',
        '## Open questions',
        '- Reserve for the office move (asked by the treasurer).\n'
        '- Pay scale increase: 3.5 % assumed, the agreement is expected in autumn.',
        f'Lea Hoffmann, Finance, {today - dt.timedelta(days=9):%d %B %Y}',
    ])
    agenda = make_odt('Board meeting: agenda', [
        f'{d.day(1, 3):%A, %d %B %Y}, 14:00-17:00, Meeting room Spree, and video call',
        '- 1. Opening, agenda, minutes of the last meeting\n'
        '- 2. Moving to openDesk: status and go-live\n'
        f'- 3. Budget {nxt}: second reading and decision\n'
        '- 4. Annual report: translations and publication\n'
        '- 5. Auditor: report on the last financial year\n'
        '- 6. Any other business',
        f'Papers: Budget {nxt}.csv, Budget {nxt} notes, Migration plan (version 1.3).',
    ])
    comparison = make_pdf('Groupware for Brückenwerk: the options', [
        'We compared three ways forward for mail, calendars and files: staying with the '
        'current groupware (licences rise by 12 % next year), a large US cloud suite, and '
        'openDesk hosted in Germany.',
        'Criteria: data protection and where the data is kept; cost over five years; open '
        'standards (IMAP, CalDAV, CardDAV, WebDAV) so that we can change provider again; '
        'what our partners and the public administrations we work with use.',
        'Result: openDesk meets all criteria and costs about the same as staying. The US '
        'suite is cheaper in the first year but keeps our data outside the EU and locks us '
        'into one vendor.',
        'Recommendation: move to openDesk, starting with a pilot in Finance and IT.',
    ], subtitle='Jonas Becker, IT')
    dpa = make_pdf('Data processing agreement (signed)', [
        f'Between {ORG}, Brückenstraße 12, 10179 Berlin, and Sovereign Cloud Hosting GmbH, '
        'Frankfurt am Main, for the hosting of openDesk.',
        'Subject: e-mail, calendars, contacts and files of the foundation\'s staff. Place of '
        'processing: data centres in Frankfurt and Nuremberg. Sub-processors: none.',
        'Technical and organisational measures: see annex 2. Deletion: within 30 days after '
        'the end of the contract.',
        'Signed for the foundation: Amara Okafor. Signed for the provider: Elena Petrova.',
    ], subtitle=f'Contract no. SCH-{this}-0142')
    hosting_offers = make_odt('Hosting offers for openDesk', [
        'Three providers answered our request. Prices per year for 40 seats, with backup '
        'and support on working days.',
        '- Sovereign Cloud Hosting GmbH: 14,900, data centres in Frankfurt and Nuremberg\n'
        '- Nordwolke AG: 16,300, Hamburg, support only in German\n'
        '- Cloud Harbour B.V.: 15,800, Amsterdam, no phone support',
        'Recommendation: Sovereign Cloud Hosting (best price, two data centres, '
        'support in English and German).',
    ])

    readme = f'''Welcome to the Kontor demo workspace

This folder belongs to Amara Okafor of the {ORG}, a made-up organisation
that is moving to openDesk. Everything here is demo data: the mail, the calendar, the
contacts and these files live on servers that run on your own computer only while the
demo runs.

Try it: open the migration plan, look at the budget, answer one of the invitations in
the inbox, or write to a colleague: mail to jonas@{d.domain},
lea@{d.domain}, mateo@{d.domain} or ines@{d.domain} is
delivered to their own mailboxes on the demo server.
'''

    files = {
        'Migration plan.pdf': plan,
        'Board meeting minutes.txt': minutes,
        f'Budget {nxt}.csv': budget.getvalue(),
        'Team offsite Amsterdam.ics': offsite,
        'Translation glossary.odt': make_odt('Translation glossary', [
            'Terms we translate the same way everywhere (English, German, French, Dutch).',
            '- ' + '\n- '.join(' / '.join(row) for row in GLOSSARY),
            'Questions: Chiara Romano, ext. 2152.']),
        'README.txt': readme,
        'Board/Agenda board meeting.odt': agenda,
        f'Board/Budget {nxt} notes.odt': budget_notes,
        'Migration/Groupware comparison.pdf': comparison,
        'Migration/Hosting offers.odt': hosting_offers,
        'Migration/Data processing agreement.pdf': dpa,
        'Pictures/Office floor plan.png': floor_plan_png(),
    }
    for name, data in files.items():
        write_bytes(os.path.join(d.out, 'files', 'Documents', *name.split('/')), data)

    d.files.update({
        'migration-plan.pdf': plan,
        'budget-draft.csv': budget.getvalue().encode(),
        'budget-notes.odt': budget_notes,
        'board-agenda.odt': agenda,
        'board-minutes.txt': minutes.encode(),
        'glossary.csv': glossary.getvalue().encode(),
        'itinerary.ics': itinerary.encode(),
        'groupware-comparison.pdf': comparison,
        'dpa-signed.pdf': dpa,
        'hosting-offers.odt': hosting_offers,
        'office-floor-plan.png': floor_plan_png(),
        'offsite.ics': offsite.encode(),
    })

# ---------------------------------------------------------------- mail

MIGRATION = 'Projects/Migration'
BUDGET_FOLDER = 'Projects/Budget {NEXT}'


def migration_threads(d):
    f = MIGRATION
    d.thread(f, 'Mailbox migration schedule', 40, [
        ('mateo', '''Hi Amara, hi Jonas,

here is the proposed order for moving the mailboxes to openDesk:

- Week 1: Finance (9 mailboxes), Monday after 18:00
- Week 2: Communications and Programmes (14)
- Week 3: Management and IT (8)
- Week 4: Amsterdam (7), after their office move

Each batch needs a freeze of about two hours. Amara, could you check the Finance
slot with Lea? The payment run must be done by then.

Thanks,
Mateo'''),
        ('amara', '''Hi Mateo,

the order makes sense. Lea is fine with Monday after 18:00 as long as the payment
run goes out at noon. Please send the freeze notice to Finance on Friday, and copy me.

Amara'''),
        ('jonas', '''I tested the IMAP sync with three test mailboxes: 4.2 GB in 38 minutes, no
errors. Shared mailboxes need their permissions set again afterwards; I'll write a
small script for that so that nobody has to do it by hand.

Jonas'''),
        ('mateo', '''Great, thanks both. The permissions step is in the runbook now, and the notice
goes out on Friday at 12:00.

Mateo'''),
    ], first_to=['amara', 'jonas'], cc=['lea'])

    d.thread(f, 'Single sign-on for the Amsterdam office', 33, [
        ('jonas', '''Hoi Sanne,

before Amsterdam moves we need everyone's accounts in the new sign-on. Could you send
me the list of your team with start dates, and who needs the shared Finance folder?
Daan mentioned two interns starting next month.

Thanks,
Jonas'''),
        ('sanne', '''Hi Jonas,

here you go: Daan Jansen, Sanne de Vries, Femke Bakker (part-time), Joris van den Berg,
and the two interns from the 1st, Lotte Smit and Ruben Mulder. Only Daan and I need
the Finance folder.

Groetjes,
Sanne'''),
        ('jonas', '''Perfect. The accounts are created; everyone gets a letter with a one-time code.
The interns' accounts work from their first day.

Jonas'''),
        ('amara', '''Thank you both, that was quick. Sanne, please tell me if the letters haven't
arrived by Thursday.

Amara'''),
    ], first_to=['sanne'], cc=['amara'])

    d.thread(f, 'File server clean-up before the move', 28, [
        ('piotr', '''Hi all,

the old file server holds 1.8 TB. 640 GB of it has not been opened since 2019, mostly
scans and old project folders. My suggestion: we move those to the archive storage
(read-only, still searchable) and copy only the rest to openDesk. That cuts the
copying from three nights to one.

I need a yes from each team lead for their folders.

Piotr'''),
        ('amara', '''Hi Piotr,

good plan. I'll raise it at Monday's team leads' meeting and ask everyone to answer by
Wednesday. For Management you have my yes already, except the folder "Board
2015-2020", which we keep.

Amara'''),
        ('jonas', '''Agreed. Piotr, please keep a checksum list of what goes to the archive, so that
we can show nothing was lost.

Jonas'''),
        ('piotr', '''Will do. The checksums for the first 200 GB are already running.

Piotr'''),
    ], first_to=['amara', 'jonas'])

    d.thread(f, 'openDesk training: dates and groups', 30, [
        ('mateo', '''Dear Marc,

thank you for your offer. We'd like four sessions of two hours each, with at most ten
people per group: two on mail and calendar, one on files and sharing, one on working
on documents together. Would the weeks after next work for you? Mornings are best
for us.

Best regards,
Mateo García'''),
        ('marc', '''Dear Mateo,

that works well. I propose Tuesday and Thursday mornings, 10:00 to 12:00, in your
office in Berlin. I will bring a test environment, so that people can try everything
without touching their real mailboxes. For the Amsterdam team I can do one session
online, in English.

Kind regards,
Marc Dubois'''),
        ('mateo', '''Dear Marc,

perfect, confirmed. I'll send the invitations today. Could the online session for
Amsterdam be on the Wednesday of the same week?

Mateo'''),
        ('marc', '''Wednesday is fine, 14:00 to 16:00. I'll send the link a day before.

Marc'''),
    ], first_to=['marc'], cc=['amara'])

    d.thread(f, 'Pilot group feedback', 24, [
        ('mateo', '''Hi Amara, hi Jonas,

the eight people of the pilot group answered the survey. The short version:

- 7 of 8 want to keep the new system
- searching mail is faster than before; calendars are easier to share
- problems: the address book from the old system had duplicates, and two people
  could not find the shared Finance folder at first
- wish: a guide on one page

I'll write the one-page guide this week. The full results are in the project folder.

Mateo'''),
        ('jonas', '''The duplicates came from the old system's export: people were in both the
global and their personal address book. I'll merge them during the real migration.

Jonas'''),
        ('amara', '''This is very encouraging. Mateo, could you present these results at the board
meeting? Five minutes is enough. And yes to the one-page guide; Inès can help with
the layout.

Amara'''),
        ('mateo', '''Happy to. I'll prepare three slides.

Mateo'''),
    ], first_to=['amara', 'jonas'], flag=(0,))

    d.thread(f, 'Shared calendars for rooms and the car', 20, [
        ('piotr', '''Hi Lukas,

for the new system I'd set up one shared calendar per meeting room (Spree, Havel,
Wannsee) and one for the car. Everyone can book; you can change or cancel any
booking. Is that how you want it?

Piotr'''),
        ('lukas', '''Hi Piotr,

yes, exactly. Please also add the small room in Amsterdam (Zolder); Sanne should
manage that one. And the car needs a field for the mileage.

Lukas'''),
        ('piotr', '''Done: four room calendars and the car. Sanne manages Zolder. For the mileage
there is a template in the description of every car booking.

Piotr'''),
    ], first_to=['lukas'], cc=['amara'])

    d.thread(f, 'Letterhead templates for documents', 18, [
        ('ines', '''Hi Nia,

could you check the new letterhead templates before we put them in the shared folder?
One for letters, one for press releases, one for minutes. The fonts are the same as in
our printed material.

Thanks!
Inès'''),
        ('nia', '''Hi Inès,

they look great. Only the press release template: the contact box at the end still
has the main number (…2100) instead of the press line (…2151). Otherwise ready to go.

Nia'''),
        ('ines', '''Fixed, thank you! They are in Documents/Templates now.

Inès'''),
    ], first_to=['nia'], cc=['amara'])

    d.thread(f, 'Reception PCs still open the old mail program', 14, [
        ('karim', '''Hi Jonas,

the two PCs at the reception still open the old mail program with the old profile.
The new mail works in the browser, but people keep clicking the old icon. Can I remove
the old program there, or do we still need it for the shared info@ mailbox?

Karim'''),
        ('jonas', '''Hi Karim,

info@ moved last week, so yes, please remove it. Leave a browser shortcut called
"Mail" on the desktop instead.

Jonas'''),
        ('karim', '''Done on both PCs. I also put a little note on the screens for this week.

Karim'''),
    ], first_to=['jonas'], cc=['amara'])

    d.thread(f, 'DNS switch-over on Saturday night', 10, [
        ('jonas', '''Dear Elena,

we'd like to switch the MX and autodiscovery records of our domain on Saturday night,
between 22:00 and 02:00. Could your team be on call during that window? We'll lower
the TTLs to 300 seconds on Thursday.

Best regards,
Jonas Becker'''),
        ('elena', '''Dear Jonas,

yes, our on-call engineer will be available. Please send us the final list of records
by Friday noon. After the switch we recommend keeping the old server reachable for 72
hours for mail still on its way.

Best regards,
Elena Petrova'''),
        ('jonas', '''Thanks, Elena, the list follows on Friday. We'll keep the old server running
until Tuesday evening.

Jonas'''),
        ('amara', '''Thank you both. Jonas, please send a short message to all staff on Friday: what
changes on Monday, and whom to call.

Amara'''),
    ], first_to=['elena'], cc=['amara', 'piotr'])

    d.thread(f, 'Data processing agreement for the hosting', 38, [
        ('elena', '''Dear Ms Okafor,

please find our data processing agreement for the openDesk hosting in the contract
portal. Annex 2 lists the technical and organisational measures. If everything is in
order, we would be grateful for your signature by the end of the month.

Kind regards,
Elena Petrova
Account Manager, Sovereign Cloud Hosting GmbH'''),
        ('amara', '''Dear Ms Petrova,

thank you. We have read it with our data protection officer. One question: section 7
mentions sub-processors, but the list is empty. Does that mean you use none?

Kind regards,
Amara Okafor'''),
        ('elena', '''Dear Ms Okafor,

correct: we run our data centres ourselves and use no sub-processors. I have added
that sentence to section 7; the signed copy is attached.

Kind regards,
Elena Petrova'''),
        ('amara', '''Thank you, signed and filed. Lea will take care of the first invoice.

Amara'''),
    ], first_to=['amara'], cc=['lea'], attach={2: ['dpa-signed.pdf']})

    d.thread(f, 'Go-live checklist', 6, [
        ('mateo', '''Hi both,

attached is version 1.3 of the migration plan, with the go-live checklist. Open
points:

1. final list of DNS records (Jonas, Friday)
2. message to all staff (Jonas, Friday)
3. helpdesk slots in the first week (Karim)
4. note to our external partners (Inès)

Anything missing?

Mateo'''),
        ('amara', '''Hi Mateo,

looks complete. Please add: 5. tell the board that we are live (me, Monday). And let's
have a short check-in call on Monday at 08:30.

Amara'''),
        ('jonas', '''Nothing missing from the IT side. The Monday call works for me.

Jonas'''),
    ], first_to=['amara', 'jonas'], attach={0: ['migration-plan.pdf']}, flag=(0,))

    d.thread(f, 'Invitations arrive twice', 4, [
        ('sofia', '''Hi Karim,

since my mailbox moved, I get some invitations twice: once from the old system and
once from the new one. Should I accept both?

Sofia'''),
        ('karim', '''Hi Sofia,

no, only the newer one (it has the room in it). The old system still sends reminders
for meetings planned before the move; Jonas switches that off on Friday.

Karim'''),
    ], first_to=['karim'], cc=['amara'])

    # Mateo's weekly report, some with an answer.
    progress = [(0, 0, 3), (0, 120, 5), (8, 260, 4), (8, 410, 6), (17, 690, 9),
                (17, 940, 7), (31, 1100, 5), (31, 1160, 3)]
    notes = [
        'The pilot group is set up; training dates are agreed with Formation Libre.',
        'Pilot started on Monday. First feedback: search is fast, shared calendars work.',
        'Finance moved on Monday evening, 2 h 10 min freeze. No data lost.',
        'Permissions script for shared mailboxes is done and tested on info@.',
        'Communications and Programmes moved. Two people needed new one-time codes.',
        'File server: the archive part (640 GB) is copied, checksums all match.',
        'Management and IT moved. Amsterdam follows after their office move.',
        'Go-live checklist sent round. DNS switch-over planned for Saturday night.',
    ]
    answers = {2: ('amara', '''Thank you, Mateo. Please pass my thanks to Finance for their patience.

Amara'''), 4: ('jonas', '''The two codes were a printing problem; the new letters are correct.

Jonas'''), 6: ('amara', '''Excellent progress. Let's keep the Amsterdam date as planned.

Amara''')}
    for i, ((moved, files, tickets), note) in enumerate(zip(progress, notes)):
        weeks_ago = len(progress) - i
        week = (d.today - dt.timedelta(weeks=weeks_ago)).isocalendar()[1]
        turns = [('mateo', f'''Hi all,

the migration status of week {week}:

  Mailboxes moved:      {moved} of 38
  Files copied:         {files} GB of 1,160 GB
  Open helpdesk tickets: {tickets}

{note}

Mateo''')]
        if i in answers:
            turns.append(answers[i])
        d.thread(f, f'Migration status, week {week}', weeks_ago * 7 - 3, turns,
                 first_to=['amara', 'jonas'], cc=['piotr'], slug=f'status{week}')


def budget_threads(d):
    f = BUDGET_FOLDER
    d.thread(f, 'Budget {NEXT}: first draft', 45, [
        ('lea', '''Hi Amara,

attached is the first draft of the {NEXT} budget. The main changes against this year:

- the old groupware licences end (-18,400)
- openDesk hosting (+14,900) and training (+7,200, once)
- the Amsterdam rent goes up with the new office (+2,400)
- a pay scale increase of 3.5 % is assumed

All in all we are 3.6 % above this year, not counting the reserve for the Amsterdam
move. Could we go through it on Thursday?

Lea'''),
        ('amara', '''Hi Lea,

thank you, very clear. Thursday at 13:00 works. Could you add a column with the change
in euros, so that the board sees at once where the money goes?

Amara'''),
        ('lea', '''Done, the new column is in the file on the shared drive. See you on Thursday.

Lea'''),
    ], first_to=['amara'], cc=['yuki'], attach={0: ['budget-draft.csv']})

    d.thread(f, 'Licence savings after the migration', 41, [
        ('jonas', '''Hi Lea,

for the budget: the old groupware licences run until the end of March. If we give
notice by the end of this month, nothing is billed for next year. That saves 18,400 a
year. The virus scanner licence (2,100) we still need.

Jonas'''),
        ('lea', '''Thanks, Jonas! I'll send the notice myself, by registered mail. Do you have the
contract number?

Lea'''),
        ('jonas', '''It's GW-2019-3381. The contract is in the IT folder under Contracts.

Jonas'''),
    ], first_to=['lea'], cc=['amara'])

    d.thread(f, 'Hosting costs: three offers', 36, [
        ('lea', '''Hi both,

we have three offers for the openDesk hosting; a summary is attached. Sovereign Cloud
Hosting is the cheapest (14,900 a year) and has two data centres. Jonas, anything
against them from the technical side?

Lea'''),
        ('jonas', '''No, theirs is the best offer technically too. Cloud Harbour has no phone
support, which worries me for the first weeks.

Jonas'''),
        ('amara', '''Then let's go with Sovereign Cloud Hosting. Lea, please ask them for the data
processing agreement before we sign.

Amara'''),
    ], first_to=['amara', 'jonas'], attach={0: ['hosting-offers.odt']})

    d.thread(f, 'Travel budget for the Amsterdam office', 30, [
        ('sanne', '''Hi Lea,

for {NEXT} we expect more trips between Berlin and Amsterdam: the offsite, the partner
meetings, and training for the new colleagues. I'd estimate 8,200, all by train. Is
that realistic?

Sanne'''),
        ('lea', '''Hi Sanne,

yes, that fits. By train and booked early, a return trip is about 180. I've put 8,200
in the draft.

Lea'''),
    ], first_to=['lea'], cc=['amara'])

    d.thread(f, 'Personnel costs: pay scale increase', 27, [
        ('fatma', '''Hi Lea,

the pay scale negotiations will probably end with 3 to 4 % from next January; I'd plan
with 3.5 %. Also, one IT support position is vacant from the autumn, and we'd like to
fill it without a gap.

Fatma'''),
        ('lea', '''Thanks, Fatma. 3.5 % is in the draft. For the vacant position I've assumed the
same grade as now. OK?

Lea'''),
        ('fatma', '''Yes, the same grade.

Fatma'''),
    ], first_to=['lea'], cc=['amara'])

    d.thread(f, 'Question from the auditor about the reserves', 22, [
        ('birgit', '''Dear Ms Hoffmann,

while preparing the audit we noticed that the reserve for the office move in Amsterdam
is not shown separately. Could you tell us how much of the general reserve is planned
for it?

Kind regards,
Birgit Wagner
Wagner & Partner Wirtschaftsprüfung'''),
        ('lea', '''Dear Ms Wagner,

we plan 12,000 from the general reserve for the move. We will show it as a separate
line in the next version of the budget.

Kind regards,
Lea Hoffmann'''),
        ('birgit', '''Thank you, that is fine for us.

Birgit Wagner'''),
    ], first_to=['lea'], cc=['amara'])

    d.thread(f, 'Budget {NEXT}: the version for the board', 9, [
        ('lea', '''Hi Amara,

here is the version for the board: the spreadsheet and two pages of notes. Changes
since the first draft: the reserve for the Amsterdam move is a separate line now, and
printing is lower because the annual report goes online first.

Lea'''),
        ('amara', '''Hi Lea,

excellent. I'll forward it to Henrik and Margarethe today. One small thing: in the
notes, could you write "openDesk hosting" instead of "cloud costs"? Henrik asked about
that last time.

Amara'''),
        ('lea', '''Changed; the new notes are on the shared drive.

Lea'''),
    ], first_to=['amara'], attach={0: ['budget-draft.csv', 'budget-notes.odt']}, flag=(0,))

    d.thread(f, 'Budget papers for the board meeting', 8, [
        ('amara', '''Dear Henrik, dear Margarethe,

the budget {NEXT} papers are in the board folder: the spreadsheet and Lea's notes. The
reserve for the Amsterdam move is a separate line now, as Margarethe asked.

Best regards,
Amara'''),
        ('margarethe', '''Dear Amara,

thank you, that is much clearer now. I have no further questions and will recommend
approval.

Margarethe'''),
        ('henrik', '''Thank you both. Let's take the decision at the meeting.

Henrik'''),
    ], first_to=['henrik', 'margarethe'], cc=['lea'])

    d.thread(f, 'Cost centre for translation work', 16, [
        ('chiara', '''Hi Lea,

the translations of the annual report (French and Dutch) will cost about 4,800.
Should that go to Communications (400) or to the programme the report is about?

Chiara'''),
        ('lea', '''Hi Chiara,

please book it to 400 Communications, item Translations, and add the purchase order
number from LinguaBridge to the invoice.

Lea'''),
        ('chiara', '''Will do, thanks!

Chiara'''),
    ], first_to=['lea'], cc=['amara'])

    d.thread(f, 'Kosten für die Schulungen', 12, [
        ('yuki', '''Hallo Lea,

die Rechnung von Formation Libre für die ersten zwei Schulungen ist da: 3.600 Euro.
Soll ich sie noch auf {THIS} buchen oder erst aufs nächste Jahr?

Viele Grüße
Yuki'''),
        ('lea', '''Hallo Yuki,

bitte noch auf dieses Jahr, Kostenstelle 200, Position Schulungen. Danke!

Lea'''),
    ], first_to=['lea'], cc=['amara'])

    d.thread(f, 'Expected income: grants', 50, [
        ('amara', '''Hi Lea,

for the income side: the two foundation grants are confirmed for {NEXT} (120,000 and
85,000); the EU project ends in June, so please plan only half of it.

Amara'''),
        ('lea', '''Hi Amara,

got it. I've put 42,500 for the EU project.

Lea'''),
    ], first_to=['lea'])

    # Yuki's weekly cash position.
    balance = 412300
    for i in range(7):
        weeks_ago = 7 - i
        week = (d.today - dt.timedelta(weeks=weeks_ago)).isocalendar()[1]
        balance += d.rng.choice((-1, 1)) * d.rng.randint(3, 19) * 1000 + 2500
        open_invoices = d.rng.randint(6, 21)
        d.single(f, 'yuki', f'Cash position, week {week}', f'''Hi Amara, hi Lea,

the cash position at the end of week {week}:

  Bank balance:       {balance:,} EUR
  Open invoices:      {open_invoices}
  Due next week:      {d.rng.randint(8, 40) * 500:,} EUR

Nothing unusual.

Yuki''', weeks_ago * 7 - 4, to=('amara', 'lea'), slug=f'cash{week}')


INBOX_THREADS = [
    ('Board meeting: agenda for next week', 5, [
        ('henrik', '''Dear Amara,

could you send the agenda for next week's meeting by Wednesday? I'd like to add one
point: the auditor's report on the last financial year, about 20 minutes. Ms Wagner
can join us at 15:30.

Best regards,
Henrik'''),
        ('amara', '''Dear Henrik,

here is the agenda, with the auditor as item 5. The budget papers are already in the
board folder.

Best regards,
Amara'''),
        ('kwame', '''Thank you, Amara. I'll join by video again; could you send the link a day
before?

Kwame'''),
        ('henrik', '''Thank you. See you all on Thursday.

Henrik'''),
    ], dict(first_to=['amara'], cc=['margarethe', 'kwame'], attach={1: ['board-agenda.odt']},
            flag=(0,))),
    ('Translation of the annual report (FR/NL)', 13, [
        ('chiara', '''Dear Olumide,

attached is our glossary for the annual report. Please use it for both the French and
the Dutch version: "board" is "conseil d'administration" and "bestuur", never
"comité". The German text is final from Monday.

Best,
Chiara'''),
        ('olumide', '''Dear Chiara,

thank you, the glossary helps a lot. We can deliver the French version ten working days
after we get the final text, and the Dutch one two days later. Is that in time for the
publication?

Best regards,
Olumide'''),
        ('chiara', '''That works. Inès plans the publication for the end of next month.

Chiara'''),
        ('ines', '''Yes, perfect. Olumide, please send the drafts to both of us.

Inès'''),
        ('olumide', '''Will do. We start on Monday.

Olumide'''),
    ], dict(first_to=['olumide'], cc=['ines', 'amara'], attach={0: ['glossary.csv']})),
    ('Hotel for the partner meeting', 4, [
        ('sanne', '''Hi Amara,

I've booked you a room at Hotel Noorderlicht, five minutes' walk from the office, for
Wednesday and Thursday night. The dinner with the partners is on Wednesday at 19:00
at De Kade, right next to it.

Tot snel,
Sanne'''),
        ('amara', '''Dank je wel, Sanne! Could you also ask whether they have a quiet room for a call
on Thursday morning? Otherwise I'll take it from the office.

Amara'''),
        ('sanne', '''The hotel has a small meeting room; you can use it for free from 8:00. I put your
name on it.

Sanne'''),
    ], {}),
    ('Welcome, Sofia!', 26, [
        ('fatma', '''Dear all,

please welcome Sofia Almeida, who joins the Programmes team today as Programme
Officer. Sofia comes from Civic Tech Lisboa and will look after our partner projects
in Portugal and Spain. Her desk is on the second floor, next to Mateo.

Welcome, Sofia!
Fatma'''),
        ('sofia', '''Thank you all for the warm welcome! I'm looking forward to meeting everyone.
Coffee is on me on Friday.

Sofia'''),
    ], dict(first_to=['amara'], cc=['mateo', 'jonas', 'lea', 'ines', 'sanne'])),
    ('Press release: Brückenwerk moves to openDesk', 7, [
        ('nia', '''Hi Amara,

here is the draft press release for the go-live:

  "Berlin/Amsterdam - The Brückenwerk Foundation now runs its mail, calendars and
  files on openDesk, the sovereign workplace suite. 'We wanted to know where our
  data is, and to be free to change our provider again,' says Amara Okafor, Head of
  Operations ..."

Could you check your quote? We'd like to send it out the day after go-live.

Nia'''),
        ('amara', '''Hi Nia,

the quote is fine. Please add one sentence about the training: every colleague had two
hours with a trainer, and that made the difference. And let's mention that the pilot
group voted to keep the new system.

Amara'''),
        ('ines', '''I'll prepare the French and Dutch versions once the English one is final.

Inès'''),
        ('nia', '''Added both. The final version comes tomorrow morning.

Nia'''),
    ], dict(first_to=['amara'], cc=['ines'], flag=(0,))),
    ('Formation openDesk : supports de cours', 6, [
        ('marc', '''Bonjour Madame Okafor, bonjour Mateo,

voici les supports des deux premières formations : un guide d'une page et les
exercices. Les participants peuvent les garder. Pour la session « Fichiers et
partage », je propose d'ajouter un exercice sur les dossiers partagés de l'équipe
Finance.

Bien cordialement,
Marc Dubois'''),
        ('mateo', '''Merci, Marc ! Yes, please add the Finance exercise; Lea will be happy.

Mateo'''),
    ], dict(first_to=['amara', 'mateo'])),
    ('Vraag over de kantoorsleutels', 5, [
        ('daan', '''Hoi Sanne,

weet jij wanneer we de sleutels van het nieuwe kantoor krijgen? De verhuizers willen
graag op vrijdag om 8:00 beginnen.

Groet,
Daan'''),
        ('sanne', '''Hoi Daan,

de makelaar brengt ze donderdag om 16:00. Ik leg ze in de kluis.

Sanne'''),
    ], dict(first_to=['sanne'], cc=['amara'])),
    ('Lunch on Friday?', 1, [
        ('sofia', '''Hi Amara,

some of us are going to the Vietnamese place around the corner on Friday at 12:30.
Would you like to join?

Sofia'''),
        ('amara', '''Yes, gladly! Count me in.

Amara'''),
        ('mateo', '''Me too, if there's still room.

Mateo'''),
    ], dict(first_to=['amara'], cc=['mateo'], gap=(0.3, 2))),
    ('Annual leave request', 11, [
        ('ines', '''Hi Amara,

I'd like to take Wednesday to Friday off in the week after next. The French version of
the press release will be done before, and Chiara covers for me.

Thanks,
Inès'''),
        ('amara', '''Hi Inès,

approved, enjoy the days off! Please put them in the team calendar.

Amara'''),
    ], {}),
    ('Board minutes for approval', 16, [
        ('lukas', '''Dear Henrik, dear Amara,

attached are the draft minutes of the last board meeting. Please send me your
corrections by Friday; after that I'll file them in the board folder.

Best regards,
Lukas'''),
        ('henrik', '''Thank you, Lukas. One correction under item 4: Margarethe asked for a separate
line for the office move, not for the whole Amsterdam office. Otherwise approved.

Henrik'''),
        ('lukas', '''Corrected and filed. Thank you!

Lukas'''),
    ], dict(first_to=['henrik', 'amara'], attach={0: ['board-minutes.txt']})),
    ('New office in Amsterdam: floor plan', 8, [
        ('sanne', '''Hi all,

attached is the floor plan of the new office. The big room on the right is the meeting
room (we call it "De Kade"); the small one in the middle is the phone booth. Desks are
free for everyone; just leave them tidy in the evening.

Sanne'''),
        ('amara', '''Looks lovely. Is the meeting room big enough for the offsite, twenty people?

Amara'''),
        ('sanne', '''For the talks, yes; for lunch we go to the café downstairs.

Sanne'''),
    ], dict(first_to=['amara'], cc=['daan', 'lukas'], attach={0: ['office-floor-plan.png']})),
    ('Access to the board folder', 2, [
        ('henrik', '''Dear Piotr,

since the move I can't open the board folder any more. The link from last month gives
me an error: "access denied".

Best regards,
Henrik Lindqvist'''),
        ('piotr', '''Dear Mr Lindqvist,

the old link pointed to the old file server. Here is the link to the folder in
openDesk; you'll be asked to sign in with the account from the letter we sent last
week. If the letter hasn't arrived, I'll send you a new code.

Best regards,
Piotr Kowalski'''),
        ('henrik', '''That works, thank you!

Henrik'''),
    ], dict(first_to=['piotr'], cc=['amara'])),
    ('Interview with Tagesblick: digital sovereignty', 4, [
        ('nia', '''Hi Amara,

the journalist from Tagesblick, Katharina Schulze, would like a 30-minute interview
about our move to openDesk, for a piece on digital sovereignty in civil society. She
proposes Wednesday next week at 11:00, by phone. OK for you?

Nia'''),
        ('amara', '''Hi Nia,

yes, 11:00 is fine. Could you send me the questions beforehand, if she has them?

Amara'''),
        ('nia', '''She'll send them on Monday. I put a tentative entry in your calendar.

Nia'''),
    ], {}),
    ('Partner survey: first results', 12, [
        ('daan', '''Hi Amara,

23 of our 31 partner organisations answered the survey. Most important: they want
fewer reports and more exchange with each other. Four of them are interested in
openDesk too, and would like to hear about our experience.

Daan'''),
        ('amara', '''Thank you, Daan. Let's invite those four to the partner meeting in Amsterdam,
for a short session after lunch. Could you prepare that with Sofia?

Amara'''),
        ('sofia', '''Happy to. I'll draft an invitation this week.

Sofia'''),
    ], dict(first_to=['amara'], cc=['sofia'])),
    ('IT support position: shortlist', 19, [
        ('fatma', '''Hi Jonas, hi Amara,

we have 14 applications for the IT support position. Jonas and I shortlisted four.
The interviews are on Tuesday and Wednesday next week; Amara, would you like to join
the second round?

Fatma'''),
        ('amara', '''Yes, please put me in for the second round.

Amara'''),
        ('jonas', '''Two of the four have good Linux experience, which will help with the new system.

Jonas'''),
    ], dict(first_to=['jonas', 'amara'])),
    ('Quarterly all-hands: topics?', 1, [
        ('lukas', '''Hi Amara,

for the all-hands in two weeks: besides the go-live and the budget, should we have a
"show and tell", where people show one thing they like in the new system?

Lukas'''),
    ], {}),
    ('Thank you for the training!', 10, [
        ('amara', '''Dear Marc,

thank you for the two sessions this week. People came out smiling, which I have rarely
seen after an IT training. The one-page guide is already on many desks.

Best regards,
Amara Okafor'''),
        ('marc', '''Dear Ms Okafor,

thank you for your kind words! It was a pleasure; your team asked very good questions.
See you at the session on files and sharing.

Best regards,
Marc Dubois'''),
    ], dict(first_to=['marc'], cc=['mateo'])),
    ('Speaking at the Open Knowledge Forum', 15, [
        ('camille', '''Dear Ms Okafor,

the Open Knowledge Forum in Brussels this autumn has a session on "Civil society
leaving Big Tech". Would you give a 15-minute talk about Brückenwerk's move to
openDesk? Travel costs are covered by the forum.

Best regards,
Camille Lefèvre
Open Knowledge Alliance'''),
        ('amara', '''Dear Ms Lefèvre,

thank you for the invitation, I'd be glad to. May I bring our migration project
manager, Mateo García, for the questions afterwards?

Best regards,
Amara Okafor'''),
        ('camille', '''Of course, both of you are very welcome. I'll send the details in the summer.

Camille'''),
    ], dict(first_to=['amara'], cc=['mateo'])),
    ('Questions for the interview', 1, [
        ('katharina', '''Dear Ms Okafor,

thank you for agreeing to the interview. My questions, roughly:

1. Why did the foundation leave its old groupware?
2. What did the move cost, and what does it save?
3. What was hardest for your colleagues?
4. What would you advise other organisations?

Thirty minutes should be enough. I'll call you at 11:00.

Best regards,
Katharina Schulze
Tagesblick'''),
    ], dict(first_to=['amara'], cc=['nia'], flag=(0,))),
    ('Onboarding plan for the interns', 17, [
        ('fatma', '''Hi Sanne,

for Lotte and Ruben, who start in Amsterdam on the 1st: shall we use the same
onboarding plan as for Sofia? First day with you, second day a video call with Berlin
to meet everyone, and the openDesk training in the first week.

Fatma'''),
        ('sanne', '''Hi Fatma,

yes, that plan works well. I'd add a lunch with Daan on the first day; he'll be their
mentor.

Sanne'''),
    ], dict(first_to=['sanne'], cc=['amara'])),
    ('Annual report: layout proofs', 3, [
        ('ines', '''Hi Amara,

the designer sent the first layout proofs of the annual report. They are in
Documents/Annual report/Proofs. Could you look at your foreword on page 3 by Thursday?

Inès'''),
        ('amara', '''Hi Inès,

looks beautiful. In the foreword, second paragraph: "thirty-eight colleagues", not
"thirty-six". Otherwise fine.

Amara'''),
    ], {}),
    ('Partner meeting Amsterdam: programme', 2, [
        ('sanne', '''Hi Amara,

here is the draft programme for the partner meeting:

  10:00  Welcome and coffee
  10:30  What our partners told us (survey, Daan)
  11:30  Working groups
  13:00  Lunch
  14:00  Moving to openDesk: our experience (Amara, Sofia)
  15:30  Next steps and goodbye

Anything to change?

Sanne'''),
    ], dict(first_to=['amara'], cc=['daan', 'sofia'], flag=(0,))),
]

ARCHIVE_THREADS = [
    ('Decision: we are moving to openDesk', 95, [
        ('amara', '''Dear colleagues,

after the comparison Jonas presented last month, the board has decided: we move our
mail, calendars and files to openDesk in the first half of next year. Our data stays
in Germany, we use open standards, and we can change our provider again if we ever
need to.

Mateo leads the project, Jonas the technical side. There will be training for
everyone, and nobody has to move their own mail.

Questions are welcome, to me or to Mateo.

Amara'''),
        ('jonas', '''Thank you, Amara. For those who asked: yes, your old mail comes with you, all of
it.

Jonas'''),
        ('sanne', '''Great news. Amsterdam is happy to go last, after our office move.

Sanne'''),
        ('lea', '''Finance volunteers for the pilot!

Lea'''),
        ('mateo', '''Thank you all. A first timetable follows next week.

Mateo'''),
    ], dict(first_to=['jonas', 'mateo', 'lea', 'sanne', 'ines', 'fatma'], gap=(0.5, 5))),
    ('Groupware options: comparison', 120, [
        ('jonas', '''Hi Amara,

as promised, the comparison of the three options is attached. In short: openDesk meets
all our criteria and costs about the same as staying with the current system over
five years.

Jonas'''),
        ('amara', '''Thank you, Jonas, this is very well done. Can you present it to the board next
month? Fifteen minutes.

Amara'''),
        ('jonas', '''Yes, gladly.

Jonas'''),
    ], dict(attach={0: ['groupware-comparison.pdf']})),
    ('Hosting tender: questions from bidders', 70, [
        ('lea', '''Hi Jonas,

two bidders asked whether we need a phone hotline or whether support by e-mail is
enough. What should I answer?

Lea'''),
        ('jonas', '''Phone support on working days, at least for the first three months. E-mail
alone is not enough during the migration.

Jonas'''),
        ('lea', '''Thanks, I've answered both.

Lea'''),
    ], dict(first_to=['jonas'], cc=['amara'])),
    ('Team day: thank you!', 80, [
        ('fatma', '''Dear all,

thank you for a wonderful team day! Special thanks to Sanne and Daan for organising the
boat trip, and to Chiara for the pasta. The photos are in the shared folder.

Fatma'''),
        ('amara', '''It was a lovely day. Thank you, Fatma, for bringing us all together.

Amara'''),
    ], dict(first_to=['amara'], cc=['sanne', 'daan', 'chiara'])),
    ('Printer contract renewal', 88, [
        ('lukas', '''Hi Amara,

the printer lease ends in three months. The provider offers a new contract with two
machines instead of three, 20 % cheaper. Since we print much less now, I'd take it.

Lukas'''),
        ('amara', '''Agreed, please go ahead.

Amara'''),
    ], {}),
    ('Translation glossary: update', 60, [
        ('chiara', '''Hi Inès,

I've updated the glossary with the terms of the new strategy paper. Most important:
"digital sovereignty" is "digitale Souveränität" in German and "souveraineté
numérique" in French.

Chiara'''),
        ('ines', '''Thank you! I'll share it with the translation agency.

Inès'''),
    ], dict(first_to=['ines'], cc=['amara'], attach={0: ['glossary.csv']})),
    ('Workshop in Warsaw: travel report', 65, [
        ('piotr', '''Hi,

a short report from the workshop of Fundacja Cyfrowa Wolność in Warsaw: about 60
people from NGOs in Poland, Germany and the Baltic states. Three organisations already
use openDesk or parts of it; they offered to share their migration scripts with us.
Agnieszka Wiśniewska is our contact there.

Piotr'''),
        ('jonas', '''Very useful, thank you! I'll write to Agnieszka about the scripts.

Jonas'''),
        ('amara', '''Thanks, Piotr. Let's stay in touch with them; maybe a joint session at the next
conference.

Amara'''),
    ], dict(first_to=['amara', 'jonas'])),
    ('Pilot group: who is in?', 50, [
        ('mateo', '''Hi all,

for the pilot I'd suggest Lea, Yuki and Olena from Finance, Jonas, Piotr and Karim from
IT, plus Sofia and me. Eight people, four weeks. OK?

Mateo'''),
        ('lea', '''Finance is ready.

Lea'''),
        ('amara', '''Good choice. Please start on Monday in two weeks, after the payment run.

Amara'''),
    ], dict(first_to=['amara', 'lea', 'jonas'])),
    ('Audit dates', 75, [
        ('birgit', '''Dear Ms Hoffmann,

we propose to audit the last financial year in the second half of next month. Two
auditors will be on site for three days. Please prepare the documents on the list
attached to our engagement letter.

Kind regards,
Birgit Wagner'''),
        ('lea', '''Dear Ms Wagner,

the dates suit us. We'll reserve the meeting room Havel for you.

Kind regards,
Lea Hoffmann'''),
    ], dict(first_to=['lea'], cc=['amara'])),
    ('Lessons from Accra', 45, [
        ('kwame', '''Dear Amara,

as promised at the board meeting, a few lessons from our move to open source tools
last year: train people before the switch, not after; move the calendars on a Friday,
never on a Monday; and keep one person on call for the whole first week. Happy to
talk more.

Warm regards,
Kwame'''),
        ('amara', '''Dear Kwame,

thank you, this is gold. The Friday tip goes straight into our plan.

Amara'''),
    ], {}),
    ('Migration scripts from Warsaw', 58, [
        ('agnieszka', '''Dear Jonas,

as promised at the workshop, here is the link to our migration scripts: they copy
mailboxes with imapsync, move the shared folders, and set the permissions again. They
are open source, so please use and change them as you like.

Best regards,
Agnieszka Wiśniewska
Fundacja Cyfrowa Wolność'''),
        ('jonas', '''Dear Agnieszka,

thank you so much! The permissions part is exactly what we were missing. We'll send
our changes back to you.

Best regards,
Jonas'''),
    ], dict(first_to=['jonas'], cc=['amara', 'piotr'])),
    ('Insurance certificate for the partner event', 84, [
        ('lukas', '''Hi Amara,

the venue for the partner event asks for our liability insurance certificate. I've
sent them the current one; it's valid until the end of the year.

Lukas'''),
    ], {}),
]

HELPDESK = [
    ('Printer on the 2nd floor not found', 'The printer got a new address with the network '
     'change. It is back in everyone\'s list.'),
    ('VPN disconnects every hour', 'A new configuration fixed it for the two test users; it '
     'is rolled out to everyone tonight.'),
    ('Shared mailbox info@ not visible', 'The permissions were set again after the move.'),
    ('New laptop for Sofia Almeida', 'The laptop is ready; Sofia can pick it up in the IT '
     'office.'),
    ('Calendar shows meetings one hour late', 'The laptop was set to UTC. It is on '
     'Europe/Berlin now.'),
    ('Cannot open an old .pst archive', 'Converted; the mail is in the folder "Archive/Old '
     'PST".'),
    ('Projector in room Spree flickers', 'Replaced the HDMI cable.'),
    ('Scanner still sends to the old file server', 'The scanner now saves to the "Scans" '
     'folder in openDesk.'),
    ('Large attachment bounced', 'The old server took 10 MB at most; openDesk takes 25 MB. '
     'Please send it again.'),
    ('Mail on the phone', 'Guides for Android and iPhone are in the knowledge base.'),
    ('Duplicate contacts after the move', 'Merged 212 duplicates in the shared address '
     'book.'),
    ('Wi-Fi in room Havel is slow', 'A second access point is installed.'),
    ('Out-of-office reply in two languages', 'Both languages fit in one reply; an example '
     'is in the knowledge base.'),
    ('German keyboard for the Amsterdam office', 'Delivered on Tuesday.'),
    ('Old bookmarks to the intranet', 'The old addresses now forward to the new pages.'),
    ('Phone extension 2199 forwarding', 'Calls to 2199 ring at Karim\'s and Piotr\'s desks.'),
    ('Access for the interns in Amsterdam', 'Accounts are active from their first day.'),
    ('Room display shows old bookings', 'The display reads the new room calendar now.'),
    ('Headset for video calls', 'Two new headsets are in the IT office; take one.'),
    ('Mail forwarding for Ruben Mulder', 'Forwarding removed; the account is active now.'),
    ('Shared folder "Scans" full', 'Old scans moved to the archive; 40 GB free again.'),
    ('Cannot print from the browser', 'The printer driver was updated.'),
    ('Two-factor sign-in on a new phone', 'The old device was removed; please set up the '
     'new one with the code from the letter.'),
    ('Signature image too large', 'Replaced with a smaller version (12 KB).'),
]

BERLIN_OFFICE = [
    ('lukas', 'Window cleaning on Tuesday', '''Hi all,

the window cleaners come on Tuesday from 8:00. Please clear your window sills on Monday
evening.

Lukas'''),
    ('karim', 'Parcel at the reception for Mateo', '''Mateo, there's a big parcel for you at
the reception. It's heavy!

Karim'''),
    ('chiara', 'Cake in the kitchen!', '''It's my birthday: there's lemon cake in the kitchen on the
2nd floor. Help yourselves!

Chiara'''),
    ('lukas', 'Fire drill on Thursday', '''Hi all,

there will be a fire drill on Thursday morning. When the alarm sounds, please leave by
the nearest staircase and meet in front of the bakery across the street.

Lukas'''),
    ('sofia', 'Found: a blue umbrella', '''Someone left a blue umbrella in room Havel. It's at the
reception now.

Sofia'''),
    ('fatma', 'Bike repair day', '''Hi all,

next Wednesday a bike mechanic comes to our courtyard from 12:00 to 15:00. Small
repairs are free; just bring your bike.

Fatma'''),
    ('lukas', 'Heating maintenance', '''Hi all,

the heating will be off on Friday morning for maintenance. It should be warm again by
noon; there are blankets in the kitchen.

Lukas'''),
    ('piotr', 'Network maintenance on Saturday', '''Hi all,

on Saturday from 9:00 to 13:00 the office network is down for maintenance. Working from
home is not affected.

Piotr'''),
    ('yuki', 'New coffee beans', '''The new coffee beans from the fair-trade shop have arrived.
Please tell me if you like them better than the old ones.

Yuki'''),
    ('lukas', 'Keys for the bike room', '''Hi all,

the lock of the bike room has been changed. New keys are at the reception; please
bring your old key back.

Lukas'''),
    ('nia', 'Photos for the website', '''Hi all,

on Tuesday a photographer takes pictures of the office for our new website. If you'd
rather not be in them, just tell me.

Nia'''),
    ('olena', 'Receipts box moved', '''The box for paper receipts is now next to the printer on
the 1st floor, no longer at the reception.

Olena'''),
    ('lukas', 'Printer on the 1st floor is back', '''The printer on the 1st floor works again;
a new drum was needed.

Lukas'''),
    ('karim', 'Old laptops for a good cause', '''Hi all,

we give our eight old laptops, wiped and with a fresh Linux, to a school project in
Neukölln. If you know another project that needs some, tell me.

Karim'''),
    ('chiara', 'Language café on Friday', '''Our monthly language café is on Friday at 16:00 in
the kitchen: French, Dutch and German tables. Everyone welcome!

Chiara'''),
]

TEAM_LEADS = [
    ['Go-live on Monday week: everyone is informed', 'Helpdesk slots every morning at 9:00',
     'Budget papers go to the board on Friday'],
    ['Amsterdam office move: keys on Thursday', 'Interviews for IT support: second round done',
     'Press release ready for the go-live'],
    ['Communications and Programmes moved to openDesk', 'Annual report: translations started',
     'Team offsite: programme draft by Sanne'],
    ['Finance moved without problems', 'File server clean-up: answers from all teams',
     'New colleague Sofia starts on Monday'],
    ['Pilot results: 7 of 8 want to keep openDesk', 'Training dates fixed with Formation '
     'Libre', 'Budget: second draft next week'],
    ['Pilot group started', 'Hosting contract signed', 'Board meeting: minutes approved'],
    ['Hosting offers compared: Sovereign Cloud Hosting', 'Data processing agreement in '
     'review', 'Summer party: date poll'],
    ['Pilot group named', 'Old licences: notice given', 'Partner survey sent to 31 '
     'organisations'],
    ['Migration timetable published', 'Training budget approved', 'IT support position '
     'advertised'],
]

SHARES = [
    ('lea', 'Budget {NEXT}', 'Finance/Budget'),
    ('mateo', 'Migration plan', 'Projects/Migration'),
    ('ines', 'Annual report - proofs', 'Communications/Annual report'),
    ('sanne', 'Amsterdam office move', 'Amsterdam/Office'),
    ('jonas', 'Runbook go-live', 'IT/Migration'),
    ('chiara', 'Translation glossary', 'Communications/Translations'),
    ('lukas', 'Board meeting minutes', 'Board'),
    ('daan', 'Partner survey results', 'Programmes/Partners'),
    ('piotr', 'Archive checksums', 'IT/File server'),
    ('fatma', 'Onboarding plan', 'People/Onboarding'),
    ('nia', 'Press kit', 'Communications/Press'),
]

NEWS = [
    'Release notes: faster search in files, and calendars that can be shared with groups.',
    'Meet-up in Berlin: migration stories from three public bodies, with slides online.',
    'New guide: moving mail from Exchange with imapsync, step by step.',
    'Interview: a city of 40,000 on two years with an open workplace suite.',
    'Accessibility: the screen reader support in the mail client was reviewed.',
    'Security: two-factor sign-in is now on by default for new installations.',
    'Community call: questions and answers on CalDAV and CardDAV clients.',
]


def inbox_and_archive(d):
    for subject, days_ago, turns, opts in INBOX_THREADS:
        d.thread('INBOX', subject, days_ago, turns, **opts)
    for subject, days_ago, turns, opts in ARCHIVE_THREADS:
        d.thread('Archive', subject, days_ago, turns, **opts)

    d.single('INBOX', 'travel', 'Your tickets: Berlin - Amsterdam', '''Dear Ms Okafor,

thank you for your booking. Your tickets:

  Outward: ICE 140, Berlin Hbf 07:50 -> Amsterdam Centraal 14:10, coach 7, seat 54
  Return:  ICE 147, Amsterdam Centraal 16:30 -> Berlin Hbf 22:45, coach 7, seat 61

Booking reference: KX7Q2M. The attached calendar file adds both trains to your
calendar. Please carry an ID card with your tickets.

Have a good trip!
Reisebüro Nord''', 3, attach=['itinerary.ics'], slug='tickets')
    d.single('INBOX', 'lukas', 'Kaffeemaschine im 2. Stock', '''Liebe Kolleginnen und Kollegen,

die Kaffeemaschine im 2. Stock ist repariert. Bitte leert abends den Wassertank, sonst
verkalkt sie wieder. Entkalker steht im Schrank daneben.

Danke und viele Grüße
Lukas''', 2, cc=('jonas', 'lea', 'mateo', 'ines'), slug='kaffee')
    d.single('INBOX', 'sanne', 'Amsterdam: our new address', '''Dear colleagues,

from the 1st, our Amsterdam office is at Noorderkade 17, 1013 AX Amsterdam. The phone
numbers stay the same. Please update your signatures and the address on letters; Inès
has updated the templates.

Groetjes,
Sanne''', 9, cc=('jonas', 'lea', 'mateo', 'ines'), slug='address')
    d.single('INBOX', 'jonas', 'Security update for laptops tonight', '''Hi all,

tonight at 20:00 your laptops will install a security update and restart. Please save
your work and leave your laptop on and plugged in. If it asks tomorrow morning, just
click "Restart now".

Thanks,
Jonas''', 0, hour=9.4, cc=('lea', 'mateo', 'ines'), slug='update')
    d.single('INBOX', 'yuki', 'Reminder: expense claims for last month', '''Hi all,

a friendly reminder: please hand in your expense claims for last month by Friday. Train
tickets as PDF are fine; paper receipts go in the box at the reception.

Thanks,
Yuki''', 6, cc=('jonas', 'mateo', 'ines'), slug='expenses')

    # Helpdesk tickets: opened, then resolved, threaded like a ticket system does.
    for i, (title, answer) in enumerate(HELPDESK):
        number = 4100 + i * 7
        opened = 66 - i * 2.6
        folder = 'INBOX' if opened < 26 else 'Archive'
        subject = f'[Helpdesk #{number}] {title}'
        first = d.single(folder, 'helpdesk', subject, f'''Ticket #{number} was opened.

  Title:    {title}
  Priority: normal
  Assigned: {d.rng.choice(['Karim Haddad', 'Piotr Kowalski'])}

You can answer this mail to add a comment.''', opened, slug=f'ticket{number}')
        parents = [first]
        if i % 3 == 0 and opened > 4:
            when_ago = opened - d.rng.uniform(0.2, 1)
            msgid = d.message_id(f'ticket{number}')
            when = d.sent_at(when_ago)
            msg = d.build('helpdesk', ['amara'], [], 'Re: ' + subject, f'''Ticket #{number}: new comment
by {d.rng.choice(['Karim Haddad', 'Piotr Kowalski'])}.

  "We are on it. Could you tell us whether it happens on other computers too?"

Answer this mail to reply.''', when, msgid, parents)
            d.store(folder, msg, when, d.read_flags(folder, when, 'helpdesk'))
            parents.append(msgid)
        if opened > 3 or i % 2:
            when_ago = max(opened - d.rng.uniform(1.2, 3), 0.2)
            msgid = d.message_id(f'ticket{number}')
            when = d.sent_at(when_ago)
            msg = d.build('helpdesk', ['amara'], [], 'Re: ' + subject, f'''Ticket #{number} was resolved.

{answer}

If the problem comes back, answer this mail and the ticket opens again.''', when, msgid,
                          parents)
            d.store(folder, msg, when, d.read_flags(folder, when, 'helpdesk'))

    # The community newsletter, monthly.
    for i in range(6):
        first_of_month = (d.today.replace(day=1) - dt.timedelta(days=31 * i)).replace(day=3)
        days_ago = (d.today - first_of_month).days
        if days_ago < 0:
            continue
        month = f'{first_of_month:%B %Y}'
        items = '\n\n'.join(f'* {NEWS[(i + k) % len(NEWS)]}' for k in range(3))
        d.single('INBOX' if days_ago < 20 else 'Archive', 'community',
                 f'openDesk community newsletter - {month}', f'''Hello,

this is the community newsletter for {month}.

{items}

Read it online: https://community.example/newsletter

You get this newsletter because you subscribed to it. Unsubscribe:
https://community.example/unsubscribe''', days_ago, hour=7.0, slug='newsletter',
                 headers={'List-Id': 'openDesk community newsletter <newsletter.community.example>',
                          'List-Unsubscribe': '<https://community.example/unsubscribe>',
                          'Precedence': 'list'})

    # Expense claims and room bookings: short system mail.
    claims = [('Train Berlin - Amsterdam', 186.40), ('Hotel Noorderlicht, 1 night', 129.00),
              ('Taxi to the board meeting', 23.50), ('Books for the team library', 64.90),
              ('Train Berlin - Warsaw', 98.20), ('Lunch with partners', 87.30),
              ('Conference ticket', 150.00), ('Train Berlin - Hamburg', 74.80)]
    for i, (what, amount) in enumerate(claims):
        days_ago = 3 + i * 9
        d.single('INBOX' if days_ago < 25 else 'Archive', 'expenses',
                 f'Expense claim EC-{d.today.year}-{120 + i * 3:04d} approved',
                 f'''Your expense claim was approved by Lea Hoffmann.

  Claim:   EC-{d.today.year}-{120 + i * 3:04d}
  Item:    {what}
  Amount:  {amount:.2f} EUR

The amount will be paid with the next payment run.''', days_ago, slug='claim')
    rooms = ['Spree', 'Havel', 'Wannsee', 'Zolder']
    for i in range(12):
        days_ago = 1 + i * 5
        day = d.today - dt.timedelta(days=days_ago) + dt.timedelta(days=d.rng.randint(2, 9))
        start = d.rng.choice([9, 10, 11, 13, 14, 15])
        room = rooms[i % len(rooms)]
        d.single('INBOX' if days_ago < 25 else 'Archive', 'rooms',
                 f'Booking confirmed: room {room}, {day:%a %d %b} {start:02d}:00',
                 f'''Your booking is confirmed.

  Room:  {room}
  When:  {day:%A, %d %B %Y}, {start:02d}:00 - {start + 1:02d}:30
  For:   {d.rng.choice(['Team meeting', 'Call with partners', 'Interview', 'Workshop'])}

To cancel, open the booking in the room calendar.''', days_ago, slug='room')

    # Lukas's notes of the weekly team leads' meeting.
    for i, topics in enumerate(TEAM_LEADS):
        days_ago = 3 + i * 7
        week = (d.today - dt.timedelta(days=days_ago)).isocalendar()[1]
        d.single('INBOX' if days_ago < 22 else 'Archive', 'lukas',
                 f"Team leads' meeting, week {week}: notes",
                 "Hi all,\n\nthe notes of Monday's team leads' meeting:\n\n" +
                 '\n'.join(f'- {t}' for t in topics) + '\n\nLukas', days_ago, hour=15.5,
                 to=('amara',), cc=('jonas', 'lea', 'mateo', 'ines', 'sanne'), slug='leads')

    # Nia's press review, weekly.
    headlines = [
        'Civil society and the cloud: who holds the keys?',
        'Open standards in the public sector: a progress report',
        'Three cities move their mail to European hosting',
        'Interview: why a foundation left its old groupware',
        'Data protection authority publishes guidance on hosting',
        'Digital sovereignty: the new EU strategy explained',
        'Non-profits and IT budgets: a survey',
    ]
    for i in range(9):
        days_ago = 2 + i * 7
        week = (d.today - dt.timedelta(days=days_ago)).isocalendar()[1]
        picks = [headlines[(i + k) % len(headlines)] for k in range(3)]
        d.single('INBOX' if days_ago < 20 else 'Archive', 'nia', f'Press review, week {week}',
                 'Hi all,\n\nthis week\'s articles on our topics:\n\n' +
                 '\n'.join(f'- "{h}" ({d.rng.choice(["Tagesblick", "De Kade Post", "Le Quotidien numérique", "EU Digital Review"])})'
                           for h in picks) +
                 '\n\nThe full texts are in the shared folder Press/Reviews.\n\nNia', days_ago,
                 cc=('ines',), slug='review')

    # The Berlin office's mailing list.
    for i, (author, subject, text) in enumerate(BERLIN_OFFICE):
        days_ago = 1.5 + i * 4.1
        d.single('INBOX' if days_ago < 25 else 'Archive', author, f'[berlin-office] {subject}',
                 text, days_ago, to=('berlin-office',), slug='office',
                 headers={'List-Id': f'Berlin office <berlin-office.{d.domain}>',
                          'List-Post': f'<mailto:berlin-office@{d.domain}>'})

    # Notifications of shared files.
    for i, (who, name, folder) in enumerate(SHARES):
        days_ago = 2.5 + i * 5.3
        d.single('INBOX' if days_ago < 25 else 'Archive', 'files',
                 f'{d.people[who]["name"]} shared "{d.years(name)}" with you',
                 f'''{d.people[who]["name"]} shared "{d.years(name)}" with you.

  Folder:  {folder}
  You can: view and edit

Open it in Files, or in Kontor's Documents.''', days_ago, slug='share',
                 headers={'Auto-Submitted': 'auto-generated'})

    d.single('Archive', 'opendesk', 'Welcome to openDesk, Amara', '''Hello Amara,

your mailbox has moved to openDesk. Everything is where it was: your folders, your
calendar and your contacts.

Three things to try first:
- share a calendar with your team
- put a file in a shared folder instead of attaching it to a mail
- set up mail on your phone (guide in the knowledge base)

Questions? Your helpdesk: helpdesk@''' + d.domain + ', extension 2199.', 21, hour=7.5,
             slug='welcome', headers={'Auto-Submitted': 'auto-generated'})

    # A draft Amara has not sent yet.
    when = d.sent_at(0.5)
    msg = d.build('amara', ['lukas'], [], 'Re: Quarterly all-hands: topics?', '''Hi Lukas,

yes, I like the idea of a "show and tell". Let's keep it to five people, three minutes
each. Could you ask
''', when, d.message_id('draft'))
    d.store('Drafts', msg, when, ['\\Seen', '\\Draft'])


def invitation(d, organizer, attendees, uid, summary, start, end, tzid, location,
               description):
    p = d.people
    lines = ['BEGIN:VEVENT', f'UID:{uid}', f'DTSTAMP:{ical_utc(d.now)}',
             f'DTSTART;TZID={tzid}:{ical_local(start)}', f'DTEND;TZID={tzid}:{ical_local(end)}',
             f'SUMMARY:{esc(summary)}', f'LOCATION:{esc(location)}',
             f'DESCRIPTION:{esc(description)}', 'SEQUENCE:0', 'STATUS:CONFIRMED',
             f'ORGANIZER;CN="{p[organizer]["name"]}":mailto:{p[organizer]["email"]}']
    for key in attendees:
        partstat = 'NEEDS-ACTION' if key == 'amara' else 'ACCEPTED'
        lines.append(f'ATTENDEE;CN="{p[key]["name"]}";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;'
                     f'PARTSTAT={partstat};RSVP=TRUE:mailto:{p[key]["email"]}')
    lines += ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Reminder', 'TRIGGER:-PT15M',
              'END:VALARM', 'END:VEVENT']
    return calendar_text([lines], method='REQUEST')


def invitations(d):
    """Two meeting invitations (METHOD:REQUEST) waiting in the inbox."""
    p = d.people
    rehearsal = d.today + dt.timedelta(days=3)
    while rehearsal.weekday() >= 5:
        rehearsal += dt.timedelta(days=1)
    partner = d.day(2, 3)
    for organizer, attendees, uid, summary, day, start, end, tzid, location, text, days_ago in (
            ('jonas', ['amara', 'mateo', 'piotr', 'karim'],
             f'golive-rehearsal-{rehearsal:%Y%m%d}@{d.domain}', 'Go-live rehearsal',
             rehearsal, 14, 15, 'Europe/Berlin', 'Meeting room Havel',
             'We walk through the go-live checklist once, step by step, with the people on '
             'call that night. Please bring the runbook.', 0.6),
            ('sanne', ['amara', 'daan', 'sofia'], f'partner-meeting-{partner:%Y%m%d}@{d.domain}',
             'Partner meeting Amsterdam', partner, 10, 16, 'Europe/Amsterdam',
             'De Kade, Noorderkade 17, Amsterdam',
             'Our yearly meeting with the partner organisations: survey results, working '
             'groups, and our experience with openDesk after lunch.', 1.3)):
        start_dt = dt.datetime.combine(day, dt.time(start))
        end_dt = dt.datetime.combine(day, dt.time(end))
        ics = invitation(d, organizer, attendees, uid, summary, start_dt, end_dt, tzid, location,
                         text)
        when = d.sent_at(days_ago)
        msg = EmailMessage(policy=email.policy.default)
        msg['From'] = p.address(organizer)
        msg['To'] = ', '.join(p.address(k) for k in attendees)
        msg['Subject'] = f'Invitation: {summary} @ {day:%a %d %b %Y} {start:02d}:00 - ' \
                         f'{end:02d}:00 ({tzid})'
        msg['Date'] = email.utils.format_datetime(when.astimezone(local_zone('cet', when)))
        msg['Message-ID'] = d.message_id('invite')
        msg['Organization'] = ORG
        msg.set_content(f'''{p[organizer]["name"]} invites you to:

  {summary}
  When:  {day:%A, %d %B %Y}, {start:02d}:00 - {end:02d}:00 ({tzid})
  Where: {location}

{text}

Guests: {", ".join(p[k]["name"] for k in attendees)}

Answer in your calendar: accept, tentative or decline.
''' + p.signature(organizer))
        msg.add_alternative(ics, subtype='calendar', params={'method': 'REQUEST'})
        msg.add_attachment(ics.encode('utf-8'), maintype='application', subtype='ics',
                           filename='invite.ics')
        d.store('INBOX', msg, when, [])


def mail(d):
    migration_threads(d)
    budget_threads(d)
    inbox_and_archive(d)
    invitations(d)

# ---------------------------------------------------------------- calendar

def calendar(d):
    """A month of Amara's calendar around today: ~35 events, some recurring."""
    p = d.people
    stamp = ical_utc(d.now)
    events = []

    def person(key, partstat='ACCEPTED', role='REQ-PARTICIPANT'):
        return (f'ATTENDEE;CN="{p[key]["name"]}";ROLE={role};PARTSTAT={partstat}:'
                f'mailto:{p[key]["email"]}')

    def organizer(key):
        return f'ORGANIZER;CN="{p[key]["name"]}":mailto:{p[key]["email"]}'

    def event(uid, summary, day, start=None, end=None, tzid='Europe/Berlin', end_day=None,
              end_tzid=None, extra=(), location='', description='', days=1):
        lines = ['BEGIN:VEVENT', f'UID:{uid}@{d.domain}', f'DTSTAMP:{stamp}',
                 f'CREATED:{ical_utc(d.now - dt.timedelta(days=40))}',
                 f'SUMMARY:{esc(d.years(summary))}']
        if start is None:  # all day
            lines += [f'DTSTART;VALUE=DATE:{day:%Y%m%d}',
                      f'DTEND;VALUE=DATE:{day + dt.timedelta(days=days):%Y%m%d}',
                      'TRANSP:TRANSPARENT']
        else:
            s = dt.datetime.combine(day, dt.time(0)) + dt.timedelta(minutes=round(start * 60))
            e = dt.datetime.combine(end_day or day, dt.time(0)) + \
                dt.timedelta(minutes=round(end * 60))
            if tzid == 'UTC':
                lines += [f'DTSTART:{ical_local(s)}Z', f'DTEND:{ical_local(e)}Z']
            else:
                lines += [f'DTSTART;TZID={tzid}:{ical_local(s)}',
                          f'DTEND;TZID={end_tzid or tzid}:{ical_local(e)}']
        if location:
            lines.append(f'LOCATION:{esc(location)}')
        if description:
            lines.append(f'DESCRIPTION:{esc(d.years(description))}')
        lines += list(extra)
        lines.append('END:VEVENT')
        events.append(lines)
        return lines

    day = d.day
    # --- recurring
    standup = day(-4, 0)
    skipped = day(0, 4)
    event('standup', 'Team stand-up', standup, 9.25, 9.5, location='Video call',
          description='Fifteen minutes: what I did, what I do today, where I am stuck.',
          extra=['RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
                 f'EXDATE;TZID=Europe/Berlin:{skipped:%Y%m%d}T091500', 'CATEGORIES:Team'])
    status = day(-5, 1)
    moved = day(0, 1)
    event('migration-status', 'openDesk migration status', status, 11, 11.75,
          location='Meeting room Havel',
          description='Weekly status of the migration: mailboxes, files, open tickets.',
          extra=['RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12', organizer('mateo'),
                 person('amara'), person('jonas'), person('piotr', 'TENTATIVE'),
                 person('mateo'), 'CATEGORIES:Migration'])
    # This week's is moved to Wednesday afternoon: an exception with the same UID.
    events[-1:] = [events[-1], [
        'BEGIN:VEVENT', f'UID:migration-status@{d.domain}', f'DTSTAMP:{stamp}',
        f'RECURRENCE-ID;TZID=Europe/Berlin:{moved:%Y%m%d}T110000',
        f'DTSTART;TZID=Europe/Berlin:{moved + dt.timedelta(days=1):%Y%m%d}T140000',
        f'DTEND;TZID=Europe/Berlin:{moved + dt.timedelta(days=1):%Y%m%d}T144500',
        'SUMMARY:openDesk migration status (moved)', 'LOCATION:Meeting room Havel',
        organizer('mateo'), person('amara'), person('jonas'), person('mateo'), 'SEQUENCE:1',
        'END:VEVENT']]
    event('jourfixe-jonas', 'Jour fixe Amara / Jonas', day(-4, 3), 16, 16.5,
          location="Amara's office",
          extra=['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH', organizer('amara'), person('jonas'),
                 person('amara')])
    event('amsterdam-sync', 'Amsterdam office sync', day(-6, 2), 15, 15.75,
          tzid='Europe/Amsterdam', location='Video call',
          description='Weekly call between Berlin and Amsterdam.',
          extra=[f'RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL={ical_utc(cet_to_utc(dt.datetime.combine(day(8, 2), dt.time(14))))}',
                 organizer('sanne'), person('amara'), person('daan'), person('sanne')])
    event('focus-time', 'Focus time: no meetings', day(-3, 4), 8, 10,
          description='Time for writing and reading.',
          extra=['RRULE:FREQ=WEEKLY;BYDAY=FR', 'CLASS:PRIVATE'])
    first_monday = (d.today - dt.timedelta(days=40)).replace(day=1)
    while first_monday.weekday() != 0:
        first_monday += dt.timedelta(days=1)
    event('security-briefing', 'IT security briefing', first_monday, 9.75, 10.25,
          location='Meeting room Spree',
          extra=['RRULE:FREQ=MONTHLY;BYDAY=1MO', organizer('jonas'), person('amara')])
    event('dashboard', 'Check the migration dashboard', day(-1, 0), 8.75, 8.92,
          extra=['RRULE:FREQ=DAILY;COUNT=21', 'BEGIN:VALARM', 'ACTION:DISPLAY',
                 'DESCRIPTION:Check the migration dashboard', 'TRIGGER:-PT5M', 'END:VALARM'])
    birthday = day(-1, 3)
    event('birthday-lea', "Lea's birthday", birthday.replace(year=1990) if not (
        birthday.month == 2 and birthday.day == 29) else dt.date(1992, 2, 29),
          extra=['RRULE:FREQ=YEARLY', 'CATEGORIES:Birthday'])

    # --- all day
    event('leave-ines', 'Inès: annual leave', day(1, 2), days=3, extra=['CATEGORIES:Absence'])
    event('golive', 'Go-live: mail and calendars on openDesk', day(1, 0),
          description='From today everyone works in openDesk. Helpdesk at 9:00 every morning.',
          extra=['CATEGORIES:Migration'])
    event('offsite', 'Team offsite Amsterdam', day(2, 4), location='Noorderkade 17, Amsterdam',
          extra=['CATEGORIES:Team'])
    event('budget-deadline', 'Budget {NEXT}: papers to the board', day(0, 4),
          extra=['CATEGORIES:Finance'])

    # --- single events
    event('board-meeting', 'Board meeting', day(1, 3), 14, 17,
          location='Meeting room Spree, Brückenstraße 12, Berlin',
          description='1. Opening\n2. Moving to openDesk\n3. Budget {NEXT}\n'
                      '4. Annual report\n5. Auditor\'s report\n6. Any other business',
          extra=['STATUS:CONFIRMED', organizer('amara'), person('amara', 'ACCEPTED', 'CHAIR'),
                 person('henrik'), person('margarethe'), person('kwame', 'TENTATIVE'),
                 person('lea'), person('birgit', 'ACCEPTED', 'OPT-PARTICIPANT'),
                 'BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Board meeting',
                 'TRIGGER:-PT30M', 'END:VALARM'])
    for uid, title, when, start in (('training-a', 'openDesk training: mail and calendar (A)',
                                     day(-1, 1), 10),
                                    ('training-b', 'openDesk training: mail and calendar (B)',
                                     day(0, 3), 10),
                                    ('training-files', 'openDesk training: files and sharing',
                                     day(1, 1), 13)):
        event(uid, title, when, start, start + 2, location='Meeting room Spree',
              extra=[organizer('marc'), person('amara'), person('mateo')])
    event('hosting-call', 'Call with Sovereign Cloud Hosting', day(0, 0), 15, 15.5,
          location='https://meet.hosting.example/brueckenwerk',
          extra=[organizer('elena'), person('amara'), person('jonas')])
    event('train-out', 'Train to Amsterdam (ICE 140)', day(2, 2), 7.83, 14.17,
          end_tzid='Europe/Amsterdam', location='Berlin Hauptbahnhof',
          description='Coach 7, seat 54. Booking reference KX7Q2M.')
    event('partner-dinner', 'Dinner with the partners', day(2, 2), 19, 22,
          tzid='Europe/Amsterdam', location='De Kade, Amsterdam')
    event('train-back', 'Train to Berlin (ICE 147)', day(2, 4), 16.5, 22.75,
          tzid='Europe/Amsterdam', end_tzid='Europe/Berlin', location='Amsterdam Centraal',
          description='Coach 7, seat 61. Booking reference KX7Q2M.')
    event('translation-review', 'Translation review: annual report (FR)', day(0, 2), 10, 11,
          location='Meeting room Wannsee', extra=[organizer('chiara'), person('amara'),
                                                   person('ines'), person('chiara')])
    event('dentist', 'Dentist', day(-1, 4), 8, 9, extra=['CLASS:PRIVATE'])
    event('budget-workshop', 'Budget workshop with Lea', day(-2, 3), 13, 15,
          location='Meeting room Havel', extra=[organizer('lea'), person('amara'),
                                                person('lea')])
    event('interview', 'Interview: IT support (second round)', day(-2, 2), 10, 11,
          location='Meeting room Wannsee', extra=[organizer('fatma'), person('amara'),
                                                  person('jonas')])
    event('community-call', 'openDesk community call', day(0, 3), 15, 16, tzid='UTC',
          location='https://community.example/call',
          description='Monthly community call, open to everyone.')
    event('dns-switch', 'DNS switch-over (maintenance window)', day(0, 5), 22, 2,
          end_day=day(0, 6), location='On call from home',
          extra=[organizer('jonas'), person('amara', 'TENTATIVE'), person('piotr')])
    event('press-interview', 'Press interview: digital sovereignty (Tagesblick)', day(1, 2),
          11, 11.5, location='Phone', extra=['STATUS:TENTATIVE'])
    event('lunch-sofia', 'Lunch with Sofia (onboarding)', day(-1, 2), 12.5, 13.5,
          location='Café Brücke')
    event('vendor-demo', 'Vendor demo: document management', day(0, 1), 14, 15,
          extra=['STATUS:CANCELLED'])
    event('pilot-retro', 'Pilot group retrospective', day(-2, 4), 14, 15.5,
          tzid='Europe/Amsterdam', location='Video call',
          extra=[organizer('daan'), person('amara'), person('mateo')])
    event('all-hands', 'Quarterly all-hands', day(2, 0), 10, 11.5,
          location='Meeting room Spree and video call',
          extra=[organizer('lukas'), person('amara'), person('jonas'), person('lea'),
                 person('mateo'), person('ines'), person('sanne', 'TENTATIVE')])
    event('one-to-one-fatma', '1:1 with Fatma: team planning', day(0, 1), 9.75, 10.25,
          extra=[organizer('fatma'), person('amara')])
    event('checkin-golive', 'Go-live check-in', day(1, 0), 8.5, 8.75, location='Video call',
          extra=[organizer('mateo'), person('amara'), person('jonas')])

    write_bytes(os.path.join(d.out, 'calendar', 'amara.ics'), calendar_text(events))
    return events


# ---------------------------------------------------------------- contacts

PARTNERS = [
    # organisation, domain, departments, street, code, city, country, phone prefix, titles
    ('Stadtwerke Lindenau', 'lindenau.example', ['IT', 'Procurement'], 'Am Wasserturm 3',
     '04179', 'Leipzig', 'Germany', '+49 341 555 ',
     ['Head of IT', 'Procurement Officer', 'System Administrator']),
    ('Gemeente Noordhaven', 'noordhaven.example', ['ICT', 'Communicatie'], 'Stadhuisplein 1',
     '1781 BC', 'Noordhaven', 'Netherlands', '+31 223 555 ',
     ['Information Manager', 'Communications Advisor', 'Project Leader']),
    ('Open Knowledge Alliance', 'oka.example', ['Policy', 'Programmes'], 'Rue de la Loi 42',
     '1040', 'Brussels', 'Belgium', '+32 2 555 ',
     ['Policy Officer', 'Programme Manager', 'Director']),
    ('Sovereign Cloud Hosting GmbH', 'hosting.example', ['Sales', 'Support'],
     'Mainzer Landstraße 200', '60327', 'Frankfurt am Main', 'Germany', '+49 69 555 ',
     ['Support Engineer', 'Account Manager', 'Solutions Architect']),
    ('LinguaBridge Translations', 'translate.example', ['Project Management', 'Translation'],
     '12 Adeola Odeku Street', '101241', 'Lagos', 'Nigeria', '+234 1 555 ',
     ['Translator', 'Project Manager', 'Reviewer']),
    ('Formation Libre SARL', 'training.example', ['Training'], '8 rue de la République',
     '69001', 'Lyon', 'France', '+33 4 55 55 ', ['Trainer', 'Course Coordinator']),
    ('Wagner & Partner Wirtschaftsprüfung', 'audit.example', ['Audit'], 'Alsterufer 9',
     '20354', 'Hamburg', 'Germany', '+49 40 555 ', ['Auditor', 'Tax Advisor']),
    ('Fundacja Cyfrowa Wolność', 'fcw.example', ['Programmes', 'Technology'], 'ul. Mokotowska 5',
     '00-640', 'Warsaw', 'Poland', '+48 22 555 ',
     ['Programme Manager', 'Developer', 'Community Manager']),
    ('Civic Tech Lisboa', 'civictech.example', ['Community'], 'Rua da Prata 80', '1100-420',
     'Lisbon', 'Portugal', '+351 21 555 ', ['Community Manager', 'Developer']),
    ('Nordic Digital Commons', 'ndc.example', ['Research', 'Operations'], 'Götgatan 22',
     '118 46', 'Stockholm', 'Sweden', '+46 8 555 ', ['Researcher', 'Operations Manager']),
    ('Hochschule Rheinau', 'hs-rheinau.example', ['Computer Science', 'Library'],
     'Campusallee 1', '53113', 'Bonn', 'Germany', '+49 228 555 ',
     ['Professor', 'Research Associate', 'Librarian']),
    ('Tagesblick', 'tagesblick.example', ['Newsroom'], 'Friedrichstraße 150', '10117',
     'Berlin', 'Germany', '+49 30 555 9', ['Journalist', 'Editor']),
    ('Accra Innovation Hub', 'aih.example', ['Programmes'], '14 Oxford Street', 'GA-123',
     'Accra', 'Ghana', '+233 30 555 ', ['Programme Lead', 'Director']),
    ('Kyoto Civic Lab', 'kcl.example', ['Research'], '1-2 Karasuma-dori', '604-8152', 'Kyoto',
     'Japan', '+81 75 555 ', ['Researcher', 'Lab Director']),
]

# given name, family name, and for a name in its own script: (family, given) in it
NAMES = [
    ('Katharina', 'Schulze'), ('Matthias', 'Krüger'), ('Sabine', 'Wolff'), ('Jörg', 'Neumann'),
    ('Anja', 'Zimmermann'), ('Tobias', 'Braun'), ('Ulrike', 'Hartmann'), ('Stefan', 'Lange'),
    ('Wolfgang', 'Richter'), ('Martina', 'Koch'),
    ('Femke', 'Bakker'), ('Joris', 'van den Berg'), ('Marloes', 'Visser'), ('Bram', 'de Jong'),
    ('Lotte', 'Smit'), ('Ruben', 'Mulder'),
    ('Camille', 'Lefèvre'), ('Julien', 'Mercier'), ('Aurélie', 'Fontaine'), ('Théo', 'Garnier'),
    ('Hélène', 'Rousseau'), ('Nadia', 'Benali'),
    ('Agnieszka', 'Wiśniewska'), ('Marek', 'Zieliński'), ('Zofia', 'Wójcik'),
    ('Paweł', 'Lewandowski'),
    ('Lucía', 'Fernández'), ('Javier', 'Ortega'), ('Carmen', 'Ruiz'), ('Pablo', 'Navarro'),
    ('João', 'Ferreira'), ('Beatriz', 'Santos'), ('Rui', 'Carvalho'),
    ('Giulia', 'Bianchi'), ('Marco', 'Esposito'), ('Francesca', 'Ricci'),
    ('Emre', 'Demir'), ('Zeynep', 'Kaya'), ('Mehmet', 'Çelik'),
    ('Chinedu', 'Eze'), ('Funmilayo', 'Balogun'), ('Aisha', 'Bello'), ('Tunde', 'Ogunleye'),
    ('Ama', 'Owusu'), ('Kofi', 'Boateng'),
    ('Dimitris', 'Papadopoulos'), ('Eleni', 'Georgiou'),
    ('Linnea', 'Johansson'), ('Erik', 'Nilsson'), ('Aino', 'Virtanen'), ('Mikko', 'Korhonen'),
    ('Sven', 'Olsen'), ('Ingrid', 'Haugen'), ('Guðrún', 'Jónsdóttir'),
    ('Tereza', 'Dvořáková'), ('Ondřej', 'Procházka'), ('Zsófia', 'Nagy'), ('Bence', 'Kovács'),
    ('Taras', 'Bondarenko'), ('Kateryna', 'Melnyk'),
    ('Layla', 'Mansour'), ('Omar', 'Farouk'), ('Yasmin', 'Rahimi'), ('Amir', 'Hosseini'),
    ('Haruka', 'Yamamoto'), ('Wei', 'Li'),
    ('Lan', 'Nguyễn Thị'), ('Minh', 'Trần'),
    ('Priya', 'Raghunathan'), ('Arjun', 'Mehta'),
    ('Siobhán', "O'Connor"), ('Ciarán', 'Murphy'),
    ('Olympia', 'Papadopoulou', ('Παπαδοπούλου', 'Ολυμπία')),
    ('Olena', 'Shevchenko', ('Шевченко', 'Олена')),
    ('Ken', 'Sato', ('佐藤', '健')),
    ('Fang', 'Wang', ('王', '芳')),
    ('Sara', 'Al-Khatib', ('الخطيب', 'سارة')),
]

# Names the mail speaks of: where they work.
PLACES = {
    ('Femke', 'Bakker'): (None, 'Amsterdam Office', 'Programme Assistant'),
    ('Joris', 'van den Berg'): (None, 'Amsterdam Office', 'Programme Officer'),
    ('Lotte', 'Smit'): (None, 'Amsterdam Office', 'Intern'),
    ('Ruben', 'Mulder'): (None, 'Amsterdam Office', 'Intern'),
    ('Katharina', 'Schulze'): ('Tagesblick', 'Newsroom', 'Journalist'),
    ('Agnieszka', 'Wiśniewska'): ('Fundacja Cyfrowa Wolność', 'Programmes',
                                  'Programme Manager'),
    ('Camille', 'Lefèvre'): ('Open Knowledge Alliance', 'Programmes', 'Programme Manager'),
    ('Ken', 'Sato'): ('Kyoto Civic Lab', 'Research', 'Lab Director'),
    ('Haruka', 'Yamamoto'): ('Kyoto Civic Lab', 'Research', 'Researcher'),
    ('Ama', 'Owusu'): ('Accra Innovation Hub', 'Programmes', 'Programme Lead'),
}


def _ascii(text):
    table = str.maketrans({'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'ß': 'ss', 'ø': 'o', 'å': 'a',
                           'æ': 'ae', 'ł': 'l', 'ð': 'd', 'þ': 'th', 'ı': 'i', "'": ''})
    import unicodedata
    text = text.lower().translate(table)
    text = unicodedata.normalize('NFKD', text).encode('ascii', 'ignore').decode()
    return ''.join(c for c in text if c.isalnum() or c in '.-')


def _photo(version, seed):
    data = base64.b64encode(avatar_png(seed)).decode()
    if version == '4.0':
        return f'PHOTO:data:image/png;base64,{data}'
    return f'PHOTO;ENCODING=b;TYPE=PNG:{data}'


def vcard(version, uid, fn, n, org, title, emails, phones, adr, extra=(), photo=None):
    """N: (family, given); ORG: (name, department); PHONES: [(type, number)];
    ADR: (street, city, code, country) or None."""
    lines = ['BEGIN:VCARD', f'VERSION:{version}']
    if version == '4.0':
        lines += [f'UID:urn:uuid:{uid}', 'KIND:individual']
    else:
        lines.append(f'UID:{uid}')
    lines += [f'FN:{esc(fn)}', f'N:{esc(n[0])};{esc(n[1])};;;']
    if org:
        lines.append('ORG:' + ';'.join(esc(x) for x in org if x))
    if title:
        lines.append(f'TITLE:{esc(title)}')
    for kind, address in emails:
        lines.append(f'EMAIL;TYPE={kind}:{address}' if version == '4.0' else
                     f'EMAIL;TYPE=INTERNET,{kind.upper()}:{address}')
    for kind, number in phones:
        if version == '4.0':
            types = {'work': '"work,voice"', 'cell': '"cell,voice"', 'home': 'home'}[kind]
            lines.append(f'TEL;VALUE=uri;TYPE={types}:tel:{number.replace(" ", "-")}')
        else:
            types = {'work': 'WORK,VOICE', 'cell': 'CELL', 'home': 'HOME'}[kind]
            lines.append(f'TEL;TYPE={types}:{number}')
    if adr:
        street, city, code, country = adr
        value = f';;{esc(street)};{esc(city)};;{esc(code)};{esc(country)}'
        lines.append(f'ADR;TYPE=work:{value}' if version == '4.0' else
                     f'ADR;TYPE=WORK:{value}')
    lines += list(extra)
    if photo:
        lines.append(photo)
    lines.append(f'REV:{ical_utc(dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC))}')
    lines.append('END:VCARD')
    return ''.join(fold(line) + '\r\n' for line in lines)


def _uuid(rng):
    h = '%032x' % rng.getrandbits(128)
    return f'{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}'


def contacts(d):
    """The staff (vCard 4.0), the board and partners (half 4.0, half 3.0): ~100."""
    rng = random.Random(7)
    p = d.people
    staff = []
    for i, (login, *_rest) in enumerate(STAFF):
        x = p[login]
        office = OFFICES[x['office']]
        given, family = x['name'].split(' ', 1)
        phones = [('work', x['phone'])]
        if i % 3 == 0:
            phones.append(('cell', f'+49 170 555 {rng.randint(1000, 9999)}'))
        extra = ['CATEGORIES:Staff,' + x['department'].replace(',', '')]
        if login == 'lea':
            extra.append('BDAY:' + d.day(-1, 3).replace(year=1990).strftime('%Y%m%d')
                         if not (d.day(-1, 3).month == 2 and d.day(-1, 3).day == 29)
                         else 'BDAY:19920229')
        staff.append(vcard('4.0', _uuid(rng), x['name'], (family, given),
                           (ORG, x['department']), x['title'], [('work', x['email'])], phones,
                           (office['street'], office['city'], office['code'], office['country']),
                           extra, _photo('4.0', login) if i % 4 == 1 else None))
    write_bytes(os.path.join(d.out, 'contacts', 'staff.vcf'), ''.join(staff))

    others = []
    for key in ('henrik', 'margarethe', 'kwame', 'elena', 'marc', 'birgit', 'olumide'):
        x = p[key]
        given, family = x['name'].split(' ', 1)
        org = (x['org'], 'Board') if x['org'] == ORG else (x['org'], '')
        partner = next((q for q in PARTNERS if q[0] == x['org']), None)
        adr = (partner[3], partner[5], partner[4], partner[6]) if partner else None
        if x['org'] == ORG:
            office = OFFICES['berlin']
            adr = (office['street'], office['city'], office['code'], office['country'])
        others.append(('4.0', _uuid(rng), x['name'], (family, given), org, x['title'],
                       [('work', x['email'])],
                       [('work', (partner[7] if partner else '+49 30 555 ') +
                         str(rng.randint(1000, 9999)))], adr,
                       ['CATEGORIES:Board' if x['org'] == ORG else 'CATEGORIES:Partners'],
                       key))
    for i, name in enumerate(NAMES):
        given, family = name[0], name[1]
        native = name[2] if len(name) > 2 else None
        fn = ' '.join(native[::-1]) if native and native[0][0] < '\u3000' else \
            ''.join(native) if native else f'{given} {family}'
        partner = PARTNERS[i % len(PARTNERS)]
        place = PLACES.get((given, family))
        title = partner[8][i % len(partner[8])]
        dept = partner[2][i % len(partner[2])]
        if place:
            partner = next((q for q in PARTNERS if q[0] == place[0]), None)
            dept, title = place[1], place[2]
        if partner is None:  # staff
            office = OFFICES['amsterdam']
            org, domain = ORG, d.domain
            street, code, city, country = (office['street'], office['code'], office['city'],
                                           office['country'])
            prefix = office['phone']
        else:
            org, domain, _, street, code, city, country, prefix, _ = partner
        local = f'{_ascii(given)}.{_ascii(family.replace(" ", ""))}'
        if partner is None:
            local = _ascii(given)
        emails = [('work', f'{local}@{domain}')]
        if i % 9 == 4:
            emails.append(('home', f'{_ascii(given)}{rng.randint(10, 99)}@mail.example'))
        phones = []
        if i % 5 != 3:  # some have no phone number
            phones.append(('work', prefix + str(rng.randint(1000, 9999))))
        if i % 4 == 0:
            phones.append(('cell', prefix.split()[0] + f' 15{rng.randint(1, 9)} 555 '
                           f'{rng.randint(1000, 9999)}'))
        adr = (street, city, code, country) if i % 6 != 5 else None
        extra = ['CATEGORIES:' + ('Staff' if partner is None else 'Partners')]
        if i % 7 == 2:
            extra.append(f'NOTE:{esc("Met at the partner meeting. Interested in our move to openDesk.")}')
        if i % 11 == 3:
            extra.append(f'URL:https://www.{domain}/')
        if native:  # a name in its own script: the Latin form as a nickname
            extra.append(f'NICKNAME:{esc(given + " " + family)}')
        others.append(('4.0' if i % 2 == 0 else '3.0', _uuid(rng), fn,
                       native or (family, given), (org, dept), title, emails, phones,
                       adr, extra, f'{given}{family}' if i % 8 == 1 else None))
    for version, name in (('4.0', 'partners.vcf'), ('3.0', 'partners-vcard3.vcf')):
        cards = [vcard(v, uid, fn, n, org, title, emails, phones, adr, extra,
                       _photo(v, photo) if photo else None)
                 for v, uid, fn, n, org, title, emails, phones, adr, extra, photo in others
                 if v == version]
        write_bytes(os.path.join(d.out, 'contacts', name), ''.join(cards))
    return len(staff) + len(others)


# ---------------------------------------------------------------- main

def organisation(d):
    p = d.people
    return {
        'organisation': ORG,
        'domain': d.domain,
        'today': d.today.isoformat(),
        'user': LOGINS[0],
        'logins': list(LOGINS),
        'people': [{k: v for k, v in p[key].items() if k in ('key', 'name', 'email', 'title',
                                                             'department', 'org')}
                   for key in [s[0] for s in STAFF] + [e[0] for e in EXTERNAL]],
        'display_name': p[LOGINS[0]]['name'],
        'mail_folders': sorted(d.years(f) for f in d.mail),
    }


def generate(out, today, now, domain, seed=1):
    d = Demo(out, today, now, domain, seed)
    documents(d)
    mail(d)
    d.write()
    events = calendar(d)
    n_contacts = contacts(d)
    org = organisation(d)
    org['counts'] = {'messages': sum(len(m) for m in d.mail.values()),
                     'events': len({line for ev in events for line in ev
                                    if line.startswith('UID:')}),
                     'contacts': n_contacts}
    write_json(os.path.join(out, 'organisation.json'), org)
    return org


def main(argv):
    ap = argparse.ArgumentParser(description='Writes the demo workspace\'s data.')
    ap.add_argument('out', help='output folder (created; existing files are overwritten)')
    ap.add_argument('--today', type=dt.date.fromisoformat, help='the date the data is around')
    ap.add_argument('--now', type=dt.datetime.fromisoformat,
                    help='the current time (ISO 8601); the newest mail is just before it')
    ap.add_argument('--domain', default=DEFAULT_DOMAIN)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args(argv)
    now = args.now or dt.datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    today = args.today or now.astimezone(local_zone('cet', now)).date()
    if args.today and not args.now:
        now = cet_to_utc(dt.datetime.combine(today, dt.time(17, 30)))
    org = generate(args.out, today, now, args.domain, args.seed)
    c = org['counts']
    print(f'{args.out}: {c["messages"]} messages in {len(org["mail_folders"])} folders, '
          f'{c["events"]} events, {c["contacts"]} contacts')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
