#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The test servers themselves, checked with ordinary clients (imaplib, smtplib, curl,
# openssl s_client): run by with-servers.sh, so every KONTOR_TEST_* variable is set.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../tap.sh
. "$here/../tap.sh"

: "${KONTOR_TEST_SERVERS_DIR:?run under with-servers.sh}"
cli="$KONTOR_TEST_SERVERS_CLI"
dir="$KONTOR_TEST_SERVERS_DIR"
work=$(mktemp -d "${TMPDIR:-/tmp}/kontor-harness-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
h=127.0.0.1
D=$KONTOR_TEST_MAIL_DOMAIN

# py DESCRIPTION <<'EOF' ... EOF: one test point from a Python script (system Python).
py() {
  local description=$1
  shift
  if /usr/bin/python3 - "$@" 2>"$work/py.err"; then
    ok "$description"
  else
    not_ok "$description"
    sed 's/^/# /' "$work/py.err"
  fi
}

# ------------------------------------------------------------------ IMAP

py "IMAP: STARTTLS with the CA verified, then LOGIN; special-use folders exist" <<'EOF'
import imaplib, os, ssl
ctx = ssl.create_default_context(cafile=os.environ['KONTOR_TEST_CA_CERT'])
m = imaplib.IMAP4('127.0.0.1', int(os.environ['KONTOR_TEST_IMAP_PORT']))
assert 'STARTTLS' in m.capabilities, m.capabilities
m.starttls(ssl_context=ctx)
m.login('test', 'secret')
typ, lines = m.list()
text = b'\n'.join(lines).decode()
for flag in ('\\Drafts', '\\Sent', '\\Trash', '\\Archive', '\\Junk'):
    assert flag in text, (flag, text)
m.logout()
EOF

py "IMAPS: implicit TLS with the CA and host name verified, LOGIN" <<'EOF'
import imaplib, os, ssl
ctx = ssl.create_default_context(cafile=os.environ['KONTOR_TEST_CA_CERT'])
for host in ('127.0.0.1', 'localhost'):
    m = imaplib.IMAP4_SSL(host, int(os.environ['KONTOR_TEST_IMAPS_PORT']), ssl_context=ctx)
    m.login('alice', 'secret')
    m.logout()
EOF

py "IMAP: a wrong password is refused" <<'EOF'
import imaplib, os
m = imaplib.IMAP4('127.0.0.1', int(os.environ['KONTOR_TEST_IMAP_PORT']))
try:
    m.login('test', 'wrong')
except imaplib.IMAP4.error as e:
    assert 'AUTHENTICATIONFAILED' in str(e), e
else:
    raise SystemExit('logged in with a wrong password')
EOF

subject=$(timeout 5 openssl s_client -connect "$KONTOR_TEST_IMAPS_WRONG_HOST" </dev/null \
  2>/dev/null | openssl x509 -noout -subject 2>/dev/null)
expect_eq "IMAPS on 127.0.0.2 presents the other.example certificate" "$subject" \
  "subject=CN = other.example"

py "127.0.0.2: trusted chain, only the host name is wrong" <<'EOF'
import os, socket, ssl
host, port = os.environ['KONTOR_TEST_IMAPS_WRONG_HOST'].split(':')
ctx = ssl.create_default_context(cafile=os.environ['KONTOR_TEST_CA_CERT'])
try:
    with ctx.wrap_socket(socket.create_connection((host, int(port)), 5),
                         server_hostname='localhost'):
        raise SystemExit('the wrong host name was accepted')
except ssl.SSLCertVerificationError as e:
    assert e.verify_code == 62, (e.verify_code, e)  # X509_V_ERR_HOSTNAME_MISMATCH
ctx.check_hostname = False
with ctx.wrap_socket(socket.create_connection((host, int(port)), 5)) as s:
    assert s.recv(100).startswith(b'* OK')
EOF

# ------------------------------------------------------------------ SMTP

py "SMTP: STARTTLS + AUTH, a message to bob is stored in the sink" "$D" <<'EOF'
import os, smtplib, ssl, sys
domain = sys.argv[1]
ctx = ssl.create_default_context(cafile=os.environ['KONTOR_TEST_CA_CERT'])
s = smtplib.SMTP('127.0.0.1', int(os.environ['KONTOR_TEST_SMTP_PORT']), timeout=10)
s.starttls(context=ctx)
s.login('test', 'secret')
msg = (f'From: Test <test@{domain}>\r\nTo: Bob <bob@{domain}>\r\n'
       'Subject: harness delivery check\r\nMessage-ID: <harness-1@example.org>\r\n\r\n'
       'Hello Bob.\r\n')
s.sendmail(f'test@{domain}', [f'bob@{domain}', 'someone@elsewhere.example'], msg)
s.quit()
path = os.path.join(os.environ['KONTOR_TEST_SMTP_DIR'], '000001.eml')
data = open(path, 'rb').read()
assert data.startswith(f'X-Sink-Mail-From: test@{domain}\r\n'.encode()), data[:200]
assert f'X-Sink-Rcpt-To: bob@{domain}, someone@elsewhere.example'.encode() in data, data[:300]
assert b'Subject: harness delivery check' in data
EOF

py "SMTP: the message appears in bob's INBOX over IMAP" <<'EOF'
import imaplib, os, time
m = imaplib.IMAP4_SSL('127.0.0.1', int(os.environ['KONTOR_TEST_IMAPS_PORT']),
                      ssl_context=__import__('ssl').create_default_context(
                          cafile=os.environ['KONTOR_TEST_CA_CERT']))
m.login('bob', 'secret')
typ, data = m.select('INBOX')
assert data == [b'1'], data
typ, data = m.fetch('1', '(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT DELIVERED-TO)])')
head = data[0][1].decode()
assert 'harness delivery check' in head and 'Delivered-To: bob@' in head, head
assert '\\Seen' not in data[0][0].decode(), data[0][0]
m.logout()
EOF

py "SMTP: AUTH and MAIL are refused before STARTTLS; implicit TLS port works" "$D" <<'EOF'
import base64, os, smtplib, ssl, sys
domain = sys.argv[1]
s = smtplib.SMTP('127.0.0.1', int(os.environ['KONTOR_TEST_SMTP_PORT']), timeout=10)
s.ehlo()
assert s.has_extn('starttls'), s.esmtp_features
assert not s.has_extn('auth'), s.esmtp_features
code, _ = s.docmd('AUTH', 'PLAIN ' + base64.b64encode(b'\0test\0secret').decode())
assert code == 530, code
code, _ = s.docmd('MAIL', f'FROM:<test@{domain}>')
assert code == 530, code
s.quit()
ctx = ssl.create_default_context(cafile=os.environ['KONTOR_TEST_CA_CERT'])
s = smtplib.SMTP_SSL('127.0.0.1', int(os.environ['KONTOR_TEST_SMTPS_PORT']), context=ctx,
                     timeout=10)
s.login('alice', 'secret')
try:
    s.sendmail(f'alice@{domain}', [f'reject-me@{domain}'], 'Subject: x\r\n\r\nx\r\n')
    raise SystemExit('a reject- recipient was accepted')
except smtplib.SMTPRecipientsRefused as e:
    assert list(e.recipients.values())[0][0] == 550, e.recipients
s.quit()
EOF

# ------------------------------------------------------------------ bulk mail

start=$(date +%s%3N)
"$cli" seed-mail "$dir" test INBOX 10000 2>"$work/seed.err"
seed_status=$?
elapsed=$(($(date +%s%3N) - start))
expect_eq "seed-mail 10000 exits 0" "$seed_status" 0
check "seed-mail 10000 takes less than 15 s (${elapsed} ms)" [ "$elapsed" -lt 15000 ]

py "IMAP SELECT shows 10000 EXISTS, with threads, attachments and unread mail" <<'EOF'
import imaplib, os, ssl
ctx = ssl.create_default_context(cafile=os.environ['KONTOR_TEST_CA_CERT'])
m = imaplib.IMAP4_SSL('127.0.0.1', int(os.environ['KONTOR_TEST_IMAPS_PORT']), ssl_context=ctx)
m.login('test', 'secret')
typ, data = m.select('INBOX', readonly=True)
assert data == [b'10000'], data
for query, low, high in (('UNSEEN', 100, 5000), ('HEADER In-Reply-To @', 1000, 5000),
                         ('HEADER Content-Type multipart/mixed', 300, 2000)):
    typ, data = m.search(None, query)
    n = len(data[0].split())
    assert low <= n <= high, (query, n)
m.logout()
EOF

# ------------------------------------------------------------------ CalDAV, CardDAV

code=$(curl -s -o /dev/null -w '%{http_code}' -u test:secret -X PROPFIND -H 'Depth: 0' \
  "$KONTOR_TEST_CALDAV_URL")
expect_eq "CalDAV PROPFIND on the calendar with auth: 207" "$code" 207
code=$(curl -s -o /dev/null -w '%{http_code}' -X PROPFIND -H 'Depth: 0' "$KONTOR_TEST_CALDAV_URL")
expect_eq "CalDAV PROPFIND without auth: 401" "$code" 401
code=$(curl -s -o /dev/null -w '%{http_code}' -u alice:secret -X PROPFIND -H 'Depth: 0' \
  "$KONTOR_TEST_CALDAV_URL")
check "CalDAV: another user cannot read test's calendar ($code)" \
  grep -qx '403\|404' <<<"$code"
curl -s -u test:secret -X PROPFIND -H 'Depth: 0' "$KONTOR_TEST_CARDDAV_URL" >"$work/card.xml"
check "CardDAV: the address book is an addressbook collection" \
  grep -q 'addressbook' "$work/card.xml"

cat >"$work/event.ics" <<'EOF'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Kontor//harness test//EN
BEGIN:VEVENT
UID:harness-event-1@example.org
DTSTAMP:20250101T090000Z
DTSTART:20250110T100000Z
DTEND:20250110T110000Z
SUMMARY:Harness planning meeting
END:VEVENT
BEGIN:VEVENT
UID:harness-event-2@example.org
DTSTAMP:20250101T090000Z
DTSTART:20250111T100000Z
DTEND:20250111T110000Z
SUMMARY:Second event
END:VEVENT
END:VCALENDAR
EOF
cat >"$work/contacts.vcf" <<'EOF'
BEGIN:VCARD
VERSION:3.0
UID:harness-contact-1
FN:Alice Example
EMAIL:alice@example.org
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:No Uid
EMAIL:nouid@example.org
END:VCARD
EOF
"$cli" seed-dav "$dir" test --ics "$work/event.ics" --vcf "$work/contacts.vcf" >"$work/dav.out"
expect_eq "seed-dav PUTs one resource per event and contact" "$(wc -l <"$work/dav.out")" 4
curl -s -u test:secret "${KONTOR_TEST_CALDAV_URL}harness-event-1@example.org.ics" >"$work/got.ics"
check "the event is found back with GET" grep -q 'SUMMARY:Harness planning meeting' "$work/got.ics"
check "the event's resource holds only its own UID" \
  bash -c "! grep -q harness-event-2 '$work/got.ics'"
curl -s -u test:secret "${KONTOR_TEST_CARDDAV_URL}harness-contact-1.vcf" >"$work/got.vcf"
check "the contact is found back with GET" grep -q 'FN:Alice Example' "$work/got.vcf"

# ------------------------------------------------------------------ WebDAV files

printf 'Kontor file %s\n' "$RANDOM" >"$work/note.txt"
code=$(curl -s -o /dev/null -w '%{http_code}' -u test:secret -T "$work/note.txt" \
  "${KONTOR_TEST_WEBDAV_URL}note.txt")
expect_eq "WebDAV PUT: 201" "$code" 201
expect_eq "WebDAV GET returns the file" \
  "$(curl -s -u test:secret "${KONTOR_TEST_WEBDAV_URL}note.txt")" "$(cat "$work/note.txt")"
curl -s -u test:secret -X PROPFIND -H 'Depth: 1' -w '\n%{http_code}' "$KONTOR_TEST_WEBDAV_URL" \
  >"$work/propfind.xml"
check "WebDAV PROPFIND lists the file (207)" \
  bash -c "tail -n 1 '$work/propfind.xml' | grep -qx 207 && grep -q note.txt '$work/propfind.xml'"
code=$(curl -s -o /dev/null -w '%{http_code}' -u alice:secret "${KONTOR_TEST_WEBDAV_URL}note.txt")
expect_eq "WebDAV: alice cannot read test's files" "$code" 401
code=$(curl -s -o /dev/null -w '%{http_code}' "${KONTOR_TEST_WEBDAV_URL}note.txt")
expect_eq "WebDAV without auth: 401" "$code" 401
"$cli" seed-files "$dir" alice "$work/note.txt" --dest Documents/2025 >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' -u alice:secret \
  "${KONTOR_TEST_HTTP_BASE}remote.php/dav/files/alice/Documents/2025/note.txt")
expect_eq "seed-files puts a file into a new folder" "$code" 200

# ------------------------------------------------------------------ discovery

for kind in caldav carddav; do
  out=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' \
    "${KONTOR_TEST_HTTP_BASE}.well-known/$kind")
  expect_eq "/.well-known/$kind redirects (301) to Radicale" "$out" "301 $KONTOR_TEST_DAV_BASE"
done
for url in "$KONTOR_TEST_AUTOCONFIG_URL" "${KONTOR_TEST_HTTP_BASE}mail/config-v1.1.xml"; do
  curl -s -f "$url?emailaddress=test%40$D" >"$work/autoconfig.xml"
  check "autoconfig ${url#"$KONTOR_TEST_HTTP_BASE"} names the real ports" \
    grep -q "<port>$KONTOR_TEST_IMAP_PORT</port>" "$work/autoconfig.xml"
done
py "autoconfig: IMAP STARTTLS and SSL, SMTP STARTTLS, for the mail domain" \
  "$work/autoconfig.xml" "$D" <<'EOF'
import os, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
p = root.find('emailProvider')
assert p.find('domain').text == sys.argv[2]
inc = [(s.find('port').text, s.find('socketType').text) for s in p.findall('incomingServer')]
assert inc == [(os.environ['KONTOR_TEST_IMAP_PORT'], 'STARTTLS'),
               (os.environ['KONTOR_TEST_IMAPS_PORT'], 'SSL')], inc
out = p.find('outgoingServer')
assert (out.find('port').text, out.find('socketType').text) == \
    (os.environ['KONTOR_TEST_SMTP_PORT'], 'STARTTLS')
assert out.find('username').text == '%EMAILLOCALPART%'
EOF

# ------------------------------------------------------------------ faults

py "fault imap-strip-starttls: no STARTTLS anywhere, STARTTLS gets BAD" <<'EOF'
import os, socket
port = int(os.environ['KONTOR_TEST_FAULT_IMAP_STRIP_STARTTLS_PORT'])
s = socket.create_connection(('127.0.0.1', port), 5)
f = s.makefile('rwb')
greeting = f.readline()
assert greeting.startswith(b'* OK') and b'CAPABILITY' in greeting, greeting
assert b'STARTTLS' not in greeting, greeting
f.write(b'a CAPABILITY\r\n'); f.flush()
cap = f.readline(); done = f.readline()
assert cap.startswith(b'* CAPABILITY') and b'IMAP4REV1' in cap.upper(), cap
assert b'STARTTLS' not in cap, cap
assert done.startswith(b'a OK'), done
f.write(b'b STARTTLS\r\n'); f.flush()
assert f.readline().startswith(b'b BAD'), 'STARTTLS was not refused'
f.write(b'c LOGIN test secret\r\n'); f.flush()
line = f.readline()
while line.startswith(b'*'):
    line = f.readline()
assert line.startswith(b'c OK'), line  # the rest passes through
EOF

py "fault imap-drop: greeting, then closed after the first command" <<'EOF'
import os, socket
s = socket.create_connection(('127.0.0.1', int(os.environ['KONTOR_TEST_FAULT_IMAP_DROP_PORT'])), 5)
f = s.makefile('rwb')
assert f.readline().startswith(b'* OK')
f.write(b'a CAPABILITY\r\n'); f.flush()
try:
    assert f.read() == b''
except ConnectionResetError:
    pass
EOF

py "fault imap-refuse-login: NO [AUTHENTICATIONFAILED] for LOGIN and AUTHENTICATE" <<'EOF'
import imaplib, os
port = int(os.environ['KONTOR_TEST_FAULT_IMAP_REFUSE_LOGIN_PORT'])
m = imaplib.IMAP4('127.0.0.1', port)
try:
    m.login('test', 'secret')
    raise SystemExit('LOGIN went through')
except imaplib.IMAP4.error as e:
    assert '[AUTHENTICATIONFAILED]' in str(e), e
assert m.noop()[0] == 'OK'  # the connection itself still works
m = imaplib.IMAP4('127.0.0.1', port)
try:
    m.authenticate('PLAIN', lambda _: b'\0test\0secret')
    raise SystemExit('AUTHENTICATE went through')
except imaplib.IMAP4.error as e:
    assert '[AUTHENTICATIONFAILED]' in str(e), e
EOF

py "fault smtp-strip-starttls: EHLO without STARTTLS, STARTTLS gets 502" <<'EOF'
import os, smtplib
port = int(os.environ['KONTOR_TEST_FAULT_SMTP_STRIP_STARTTLS_PORT'])
s = smtplib.SMTP('127.0.0.1', port, timeout=10)
code, text = s.ehlo()
assert code == 250, (code, text)
assert not s.has_extn('starttls'), s.esmtp_features
code, _ = s.docmd('STARTTLS')
assert code == 502, code
assert s.noop()[0] == 250
s.quit()
EOF

curl -s -m 5 "http://$h:$KONTOR_TEST_FAULT_HTTP_DROP_PORT/remote.php/dav/files/test/" >/dev/null
expect_eq "fault http-drop: closed without an answer (curl: empty reply)" "$?" 52

py "fault tarpit: accepts, sends nothing for 2 s" <<'EOF'
import os, socket, time
s = socket.create_connection(('127.0.0.1', int(os.environ['KONTOR_TEST_FAULT_TARPIT_PORT'])), 5)
s.sendall(b'a CAPABILITY\r\n')
s.settimeout(2)
began = time.monotonic()
try:
    data = s.recv(100)
    raise SystemExit(f'the tarpit answered {data!r}')
except socket.timeout:
    assert time.monotonic() - began >= 1.9
EOF

curl -s -m 5 "http://$h:$KONTOR_TEST_CLOSED_PORT/" >/dev/null
expect_eq "closed port: connection refused (curl exit 7)" "$?" 7

# ------------------------------------------------------------------ keyring

gdbus introspect --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  >"$work/secrets.txt" 2>&1
check "gnome-keyring answers org.freedesktop.secrets on the private bus" \
  grep -q 'interface org.freedesktop.Secret.Service' "$work/secrets.txt"
on_private_bus() {
  case "${DBUS_SESSION_BUS_ADDRESS:-}" in
    *"${KONTOR_SESSION_DIR:?}"*) return 0 ;;
    *) return 1 ;;
  esac
}
check "the keyring is on the private bus, not a user's" on_private_bus

# ------------------------------------------------------------------ stop

pids=$(awk '{ print $2 }' "$dir/pids")
servers_running() { "$cli" status "$dir" >/dev/null; }
check "every server runs before stop" servers_running
"$cli" stop "$dir"
expect_eq "stop exits 0" "$?" 0
left=
for pid in $pids; do
  # A process counts while it is neither gone nor a zombie; its group is checked as well
  # (Dovecot's children).
  if [ -e "/proc/$pid" ] && [ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f1)" != Z ]; then
    left="$left $pid"
  fi
  left="$left$(ps -e -o pid=,pgid=,stat= |
    awk -v g="$pid" '$2 == g && $3 !~ /^Z/ { printf " %s", $1 }')"
done
expect_eq "stop leaves no process behind" "$left" ""
"$cli" stop "$dir"
expect_eq "a second stop is harmless" "$?" 0

# ------------------------------------------------------------------ start --keep

"$cli" start "$dir" --keep 2>"$work/keep.err"
keep_status=$?
expect_eq "start --keep exits 0" "$keep_status" 0
[ "$keep_status" = 0 ] || sed 's/^/# /' "$work/keep.err"
kept() { (. "$dir/servers.env" && eval "echo \"\$$1\""); }
expect_eq "start --keep serves the same users" "$(kept KONTOR_TEST_USERS)" "$KONTOR_TEST_USERS"
expect_eq "... on the same ports" \
  "$(kept KONTOR_TEST_IMAPS_PORT) $(kept KONTOR_TEST_SMTP_PORT) $(kept KONTOR_TEST_DAV_PORT) $(kept KONTOR_TEST_HTTP_PORT)" \
  "$KONTOR_TEST_IMAPS_PORT $KONTOR_TEST_SMTP_PORT $KONTOR_TEST_DAV_PORT $KONTOR_TEST_HTTP_PORT"
expect_eq "... with the same certificate" "$(kept KONTOR_TEST_CA_CERT_SHA256)" \
  "$KONTOR_TEST_CA_CERT_SHA256"
py "... and the mail of the last run" <<'EOF'
import imaplib, os, ssl
ctx = ssl.create_default_context(cafile=os.environ['KONTOR_TEST_CA_CERT'])
m = imaplib.IMAP4_SSL('127.0.0.1', int(os.environ['KONTOR_TEST_IMAPS_PORT']), ssl_context=ctx)
m.login('bob', 'secret')
typ, data = m.select('INBOX', readonly=True)
assert data == [b'1'], data
m.logout()
EOF
expect_eq "... its files" "$(curl -s -u test:secret "${KONTOR_TEST_WEBDAV_URL}note.txt")" \
  "$(cat "$work/note.txt")"
curl -s -u test:secret "${KONTOR_TEST_CALDAV_URL}harness-event-1@example.org.ics" >"$work/kept.ics"
check "... its events" grep -q 'SUMMARY:Harness planning meeting' "$work/kept.ics"
"$cli" stop "$dir"
expect_eq "stop after start --keep exits 0" "$?" 0

tap_done
