#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The demo workspace end to end: kontor-demo --no-launch sets up servers, data, profile
# and account; kontorctl and ordinary clients (imaplib, curl) find everything there; a
# second start reuses the data; --stop leaves nothing running. Run by session-wrapper.sh
# --x11 (Kontor is D-Bus activated when the account is added).
#
#   test-demo.sh          the whole test
#   test-demo.sh --data   only the checks of make-demo-data.py's files (no servers)
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../tap.sh
. "$here/../tap.sh"

launcher=${KONTOR_DEMO_LAUNCHER:-$here/../../src/demo/kontor-demo}
generator=$(dirname "$launcher")/make-demo-data.py
work=$(mktemp -d "${TMPDIR:-/tmp}/kontor-demo-test.XXXXXX")
profile=${KONTOR_SESSION_DIR:-$work}/demo
stop_demo() { "$launcher" --stop --profile "$profile" >/dev/null 2>&1; }
trap 'stop_demo; rm -rf "$work"' EXIT

# data_checks DIR [TODAY]: make-demo-data.py's files parse (check-demo-data.py).
data_checks() {
  local line status
  /usr/bin/python3 "$here/check-demo-data.py" "$@" >"$work/data.out" 2>&1
  while IFS=$'\t' read -r status line detail; do
    case "$status" in
      ok) ok "data: $line" ;;
      "not ok") not_ok "data: $line"; echo "# $detail" ;;
      *) not_ok "data: check-demo-data.py printed: $status $line" ;;
    esac
  done <"$work/data.out"
}

if [ "${1:-}" = --data ]; then
  # Around a summer time change and a leap day, and today.
  for today in "" 2028-02-29 2027-03-28; do
    out="$work/data-${today:-today}"
    if /usr/bin/python3 "$generator" "$out" ${today:+--today "$today"} >/dev/null 2>"$work/gen.err"
    then
      ok "make-demo-data.py writes the data (today = ${today:-$(date +%F)})"
      data_checks "$out" ${today:+"$today"}
    else
      not_ok "make-demo-data.py writes the data (today = ${today:-$(date +%F)})"
      sed 's/^/# /' "$work/gen.err"
    fi
  done
  tap_done
  exit
fi

: "${KONTOR_BIN:?KONTOR_BIN must name the kontor binary}"
: "${KONTORCTL_BIN:?KONTORCTL_BIN must name kontorctl}"
started_at=$(date +%s)

# ------------------------------------------------------------------ missing packages

PATH=/nonexistent "$launcher" --no-launch --profile "$work/nothing" --kontor "$KONTOR_BIN" \
  >/dev/null 2>"$work/missing.err"
expect_eq "without the servers' programs it exits 1" "$?" 1
check "... naming the packages to install, without a traceback" bash -c "
  grep -q 'gnome-keyring' '$work/missing.err' && grep -q 'openssl' '$work/missing.err' &&
  grep -q 'apt-get install' '$work/missing.err' && ! grep -q Traceback '$work/missing.err'"
check "... and creates no profile" test ! -e "$work/nothing"

# ------------------------------------------------------------------ first start

began=$(date +%s%3N)
"$launcher" --no-launch --profile "$profile" --kontor "$KONTOR_BIN" >"$work/env.sh" \
  2>"$work/setup.err"
status=$?
elapsed=$(($(date +%s%3N) - began))
expect_eq "kontor-demo --no-launch sets everything up (${elapsed} ms)" "$status" 0
if [ "$status" != 0 ]; then
  sed 's/^/# /' "$work/setup.err"
  tap_done
  exit 1
fi
check "... and prints where the profile is" grep -q "profile: *$profile" "$work/setup.err"
check "... and the environment of the demo session (also in PROFILE/demo.env)" \
  cmp -s "$work/env.sh" "$profile/demo.env"
check "the profile and its secrets are private (0700, 0600)" bash -c \
  "[ \$(stat -c %a '$profile') = 700 ] && [ \$(stat -c %a '$profile/demo.json') = 600 ]"

# The checks below run in the demo session: its HOME, XDG folders and bus.
# shellcheck disable=SC1091
. "$work/env.sh"
set -a
# shellcheck disable=SC1090
. "$KONTOR_DEMO_SERVERS_ENV"
set +a
case "$DBUS_SESSION_BUS_ADDRESS" in
  *"$profile"*) ok "the demo has its own session bus in the profile" ;;
  *) not_ok "the demo has its own session bus in the profile"
     echo "# $DBUS_SESSION_BUS_ADDRESS" ;;
esac
expect_eq "... and its own HOME" "$HOME" "$profile/home"

data_checks "$profile/generated"

line=$("$KONTORCTL_BIN" accounts list | grep "^$KONTOR_DEMO_ACCOUNT_ID")
expect_eq "kontorctl accounts list shows Amara's account with every service" \
  "$(echo "$line" | cut -f2-3)" "amara@demo.kontor.example	mail,calendar,contacts,files"
check "... named Amara Okafor" /usr/bin/python3 -c '
import json, sys
a = [a for a in json.load(sys.stdin) if a["id"] == sys.argv[1]][0]
assert a["display-name"] == "Amara Okafor" and a["imap-security"] == "tls", a' \
  "$KONTOR_DEMO_ACCOUNT_ID" < <("$KONTORCTL_BIN" --json accounts list)
verify=$("$KONTORCTL_BIN" accounts verify "$KONTOR_DEMO_ACCOUNT_ID")
check "kontorctl accounts verify succeeds" [ $? = 0 ]
expect_eq "... imap, smtp, caldav, carddav, webdav all ok" \
  "$(echo "$verify" | sort | tr '\t\n' ' ;')" "caldav ok;carddav ok;imap ok;smtp ok;webdav ok;"

# py DESCRIPTION <<'EOF' ... EOF: one test point from a Python script.
py() {
  local description=$1
  shift
  if /usr/bin/python3 - "$@" >"$work/py.out" 2>"$work/py.err"; then
    ok "$description$(head -c 200 "$work/py.out")"
  else
    not_ok "$description"
    sed 's/^/# /' "$work/py.err"
  fi
}

py "IMAP: 300+ messages in 4+ folders, with threads, unread, flagged, attachments" <<'EOF'
import imaplib, os, re, ssl
ctx = ssl.create_default_context(cafile=os.environ['KONTOR_DEMO_CA_CERT'])
m = imaplib.IMAP4_SSL('127.0.0.1', int(os.environ['KONTOR_TEST_IMAPS_PORT']), ssl_context=ctx)
m.login(os.environ['KONTOR_DEMO_USER'], os.environ['KONTOR_DEMO_PASSWORD'])
total, counts, found = 0, {}, {'UNSEEN': 0, 'FLAGGED': 0, 'ANSWERED': 0,
                               'HEADER In-Reply-To @': 0,
                               'HEADER Content-Type multipart/mixed': 0}
typ, boxes = m.list()
for line in boxes:
    name = re.search(rb'"/" (.*)$', line).group(1).decode()
    if '\\Noselect' in line.decode() or '\\NonExistent' in line.decode():
        continue
    typ, data = m.select(name, readonly=True)
    n = int(data[0])
    if n:
        counts[name.strip('"')] = n
        total += n
        for query in found:
            found[query] += len(m.search(None, query)[1][0].split())
assert total >= 300 and len(counts) >= 4, counts
assert found['UNSEEN'] >= 10 and found['FLAGGED'] >= 3 and found['ANSWERED'] >= 5, found
assert found['HEADER In-Reply-To @'] >= 80, found
assert found['HEADER Content-Type multipart/mixed'] >= 10, found
typ, data = m.select('INBOX', readonly=True)
typ, data = m.search(None, 'BODY', '"METHOD:REQUEST"')
assert data[0].split(), 'no invitation in INBOX'
m.logout()
print(f' ({total} in {len(counts)} folders)')
EOF

# dav_report URL DEPTH BODY: a REPORT as Amara.
dav_report() {
  curl -s -u "$KONTOR_DEMO_USER:$KONTOR_DEMO_PASSWORD" -X REPORT -H "Depth: 1" \
    -H 'Content-Type: application/xml; charset=utf-8' --data-binary "$2" "$1"
}
dav_report "${KONTOR_TEST_DAV_BASE}amara/calendar/" '<?xml version="1.0"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter>
</C:calendar-query>' >"$work/events.xml"
py "CalDAV: 20+ events, recurring ones among them" "$work/events.xml" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
uids = set(re.findall(r'^UID:(\S+)', text.replace('&#13;', ''), re.M))
assert len(uids) >= 20, len(uids)
assert re.search(r'^RRULE:FREQ=', text, re.M), 'no recurring event'
assert 'TZID=Europe/Amsterdam' in text and 'ATTENDEE' in text
print(f' ({len(uids)} events)')
EOF

dav_report "${KONTOR_TEST_DAV_BASE}amara/contacts/" '<?xml version="1.0"?>
<CR:addressbook-query xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">
  <D:prop><CR:address-data/></D:prop>
</CR:addressbook-query>' >"$work/contacts.xml"
py "CardDAV: 90+ contacts" "$work/contacts.xml" <<'EOF'
import sys
text = open(sys.argv[1], encoding='utf-8').read()
n = text.count('BEGIN:VCARD')
assert n >= 90, n
assert 'FN:Amara Okafor' in text
print(f' ({n} contacts)')
EOF

curl -s -u "$KONTOR_DEMO_USER:$KONTOR_DEMO_PASSWORD" -X PROPFIND -H 'Depth: 1' \
  "${KONTOR_TEST_HTTP_BASE}remote.php/dav/files/amara/Documents/" >"$work/documents.xml"
py "WebDAV: the documents (PDF, minutes, CSV, .ics, ODT) in Documents" "$work/documents.xml" <<'EOF'
import sys, urllib.parse
text = urllib.parse.unquote(open(sys.argv[1], encoding='utf-8').read())
for name in ('Migration plan.pdf', 'Board meeting minutes.txt', 'Team offsite Amsterdam.ics',
             'Translation glossary.odt', 'Board/', 'Migration/'):
    assert 'Documents/' + name in text, name
assert '.csv' in text
EOF
code=$(curl -s -o "$work/plan.pdf" -w '%{http_code}' -u "$KONTOR_DEMO_USER:$KONTOR_DEMO_PASSWORD" \
  "${KONTOR_TEST_HTTP_BASE}remote.php/dav/files/amara/Documents/Migration%20plan.pdf")
check "... and the PDF comes back whole (HTTP $code)" \
  cmp -s "$work/plan.pdf" "$profile/generated/files/Documents/Migration plan.pdf"

# ------------------------------------------------------------------ stop, start again

# server_pids: what runs for the demo now (servers, bus, keyring).
server_pids() {
  awk '{ print $2 }' "$profile/servers/pids" 2>/dev/null
  /usr/bin/python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
print("\n".join(str(s[k]) for k in ("bus_pid", "keyring_pid") if s.get(k)))' \
    "$profile/session/session.json" 2>/dev/null
}
# left PIDS...: those still running (zombies do not count), with their process groups.
left() {
  local pid out=
  for pid in "$@"; do
    if [ -e "/proc/$pid" ] && [ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f1)" != Z ]
    then
      out="$out $pid"
    fi
    out="$out$(ps -e -o pid=,pgid=,stat= | awk -v g="$pid" '$2 == g && $3 !~ /^Z/ { printf " %s", $1 }')"
  done
  echo "$out"
}

mapfile -t pids < <(server_pids)
"$launcher" --stop --profile "$profile" 2>"$work/stop.err"
expect_eq "kontor-demo --stop exits 0" "$?" 0
sleep 0.2
expect_eq "... and leaves no server, bus or keyring process" "$(left "${pids[@]}")" ""
check "... nor anything using the profile" bash -c \
  "! ps -e -o stat=,args= | grep -v '^Z' | grep -F '$profile/' | grep -v grep"

began=$(date +%s%3N)
"$launcher" --no-launch --profile "$profile" --kontor "$KONTOR_BIN" >"$work/env2.sh" \
  2>"$work/setup2.err"
status=$?
elapsed=$(($(date +%s%3N) - began))
expect_eq "a second start reuses the profile" "$status" 0
[ "$status" = 0 ] || sed 's/^/# /' "$work/setup2.err"
check "... in less than 15 s (${elapsed} ms), without seeding again" bash -c \
  "[ $elapsed -lt 15000 ] && ! grep -q seeded '$work/setup2.err'"
first_id=$KONTOR_DEMO_ACCOUNT_ID
# shellcheck disable=SC1091
. "$work/env2.sh"
expect_eq "... with the same account" "$KONTOR_DEMO_ACCOUNT_ID" "$first_id"
check "... which still verifies" bash -c "'$KONTORCTL_BIN' accounts verify '$KONTOR_DEMO_ACCOUNT_ID' >/dev/null"

mapfile -t pids < <(server_pids)
"$launcher" --stop --profile "$profile" 2>"$work/stop.err"
expect_eq "--stop again" "$?" 0
sleep 0.2
expect_eq "... leaves no process" "$(left "${pids[@]}")" ""
"$launcher" --stop --profile "$profile" 2>/dev/null
expect_eq "a second --stop is harmless" "$?" 0

total=$(($(date +%s) - started_at))
check "the whole test takes less than 60 s (${total} s)" [ "$total" -lt 60 ]
tap_done
