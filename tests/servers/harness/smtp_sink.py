# SPDX-License-Identifier: GPL-3.0-or-later
"""SMTP submission sink (aiosmtpd), run as its own process: python3 smtp_sink.py CONFIG.

- submission port: STARTTLS required before AUTH and MAIL, AUTH PLAIN/LOGIN required
- smtps port: implicit TLS, AUTH required
Every accepted message is stored as SMTP_DIR/NNNNNN.eml (written as .tmp, then renamed)
with X-Sink-* headers for the envelope, and a copy goes into the INBOX (new/) of every
recipient that is a local user (user@localhost or user@MAIL_DOMAIN).

Recipients whose local part starts with "reject" get 550, with "tempfail" 451, so that
clients can be tested against refused recipients.
"""

import asyncio
import json
import logging
import os
import socket
import ssl
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, cfg):
        self.cfg = cfg
        self.out = cfg['smtp_dir']
        os.makedirs(self.out, exist_ok=True)
        numbers = [int(n[:6]) for n in os.listdir(self.out) if n[:6].isdigit()]
        self.next = max(numbers, default=0) + 1
        self.deliveries = 0

    def local_user(self, address):
        local, _, domain = address.rpartition('@')
        if domain.lower() in ('localhost', self.cfg['mail_domain'].lower()) \
                and local in self.cfg['users']:
            return local
        return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.rpartition('@')[0].lower()
        if local.startswith('reject'):
            return '550 5.1.1 Recipient refused by the test sink'
        if local.startswith('tempfail'):
            return '451 4.3.0 Temporary failure from the test sink'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode('utf-8', 'surrogateescape')
        login = session.login_data.login.decode() if getattr(session, 'login_data', None) \
            and isinstance(session.login_data, LoginPassword) else ''
        head = (f'X-Sink-Mail-From: {envelope.mail_from}\r\n'
                f'X-Sink-Rcpt-To: {", ".join(envelope.rcpt_tos)}\r\n'
                f'X-Sink-Auth-User: {login}\r\n').encode()
        number = self.next
        self.next += 1
        path = os.path.join(self.out, f'{number:06d}.eml')
        with open(path + '.tmp', 'wb') as f:
            f.write(head + content)
        os.rename(path + '.tmp', path)

        delivered = set()
        for rcpt in envelope.rcpt_tos:
            user = self.local_user(rcpt)
            if user and user not in delivered:
                delivered.add(user)
                self.deliver(user, rcpt, envelope.mail_from, content)
        return f'250 OK stored as {number:06d}.eml'

    def deliver(self, user, rcpt, mail_from, content):
        maildir = os.path.join(self.cfg['mail_dir'], user, 'Maildir')
        body = content.replace(b'\r\n', b'\n')
        data = (f'Return-Path: <{mail_from}>\nDelivered-To: {rcpt}\n').encode() + body
        self.deliveries += 1
        now = time.time()
        name = (f'{int(now)}.M{int(now * 1e6) % 1000000}P{os.getpid()}Q{self.deliveries}'
                f'.kontor-sink,S={len(data)}')
        tmp = os.path.join(maildir, 'tmp', name)
        with open(tmp, 'wb') as f:
            f.write(data)
        os.chown(tmp, self.cfg['mail_uid'], self.cfg['mail_gid'])
        os.rename(tmp, os.path.join(maildir, 'new', name))


def authenticator(users):
    def check(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode('utf-8', 'replace')
            password = auth_data.password.decode('utf-8', 'replace')
            if users.get(login) == password:
                session.login_data = auth_data
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)
    return check


def listen_socket(host, port=0):
    """Listens on PORT when it is free, else on any free port."""
    for p in ((port, 0) if port else (0,)):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, p))
        except OSError:
            s.close()
            if p == 0:
                raise
            continue
        s.listen(64)
        return s


async def main(cfg):
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cfg['cert'], cfg['key'])
    sink = Sink(cfg)
    auth = authenticator(cfg['users'])
    loop = asyncio.get_running_loop()

    wanted = cfg.get('ports', {})
    submission = listen_socket(cfg['host'], wanted.get('smtp', 0))
    smtps = listen_socket(cfg['host'], wanted.get('smtps', 0))

    def submission_factory():
        return SMTP(sink, hostname='localhost', ident='Kontor test sink', tls_context=tls,
                    require_starttls=True, auth_required=True, authenticator=auth,
                    auth_require_tls=True)

    def smtps_factory():
        return SMTP(sink, hostname='localhost', ident='Kontor test sink', auth_required=True,
                    authenticator=auth, auth_require_tls=False)

    await loop.create_server(submission_factory, sock=submission)
    await loop.create_server(smtps_factory, sock=smtps, ssl=tls)
    ready = {'smtp': submission.getsockname()[1], 'smtps': smtps.getsockname()[1],
             'pid': os.getpid()}
    with open(cfg['ready'] + '.tmp', 'w') as f:
        json.dump(ready, f)
    os.rename(cfg['ready'] + '.tmp', cfg['ready'])
    await asyncio.Event().wait()


if __name__ == '__main__':
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(name)s %(message)s')
    with open(sys.argv[1]) as f:
        config = json.load(f)
    try:
        asyncio.run(main(config))
    except KeyboardInterrupt:
        pass
