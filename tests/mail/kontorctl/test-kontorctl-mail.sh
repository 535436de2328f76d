#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kontorctl mail end to end: kontorctl -> Mail1 in the D-Bus activated Kontor -> the
# real Dovecot of tests/servers, whose INBOX the harness seeded (--seed-mail
# USER:INBOX:N). Three known messages go into a folder of their own; what a script
# sees (output, JSON, exit status, named errors) is checked against them, against the
# generator of the seeded mail, and against what a second IMAP client sees.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"

ctl() { "$KONTORCTL_BIN" "$@"; }
err="$KONTOR_SESSION_DIR/err"
work="$KONTOR_SESSION_DIR/mail-kontorctl"
user="$KONTOR_TEST_USER"
email="$user@$KONTOR_TEST_MAIL_DOMAIN"
harness=$(dirname "$(readlink -f "$KONTOR_TEST_SERVERS_CLI")")
tab=$'\t'
mkdir -p "$work/eml" "$work/save"

# server count FOLDER CRITERIA... | server flags FOLDER SUBJECT: what a second IMAP
# client sees: how many messages match an IMAP SEARCH, or the flags of each message
# with that subject, one line each ("\Flagged \Seen").
server() {
  python3 - "$@" <<'EOF'
import imaplib, os, ssl, sys
action, folder, *args = sys.argv[1:]
ctx = ssl.create_default_context(cafile=os.environ['KONTOR_TEST_CA_CERT'])
m = imaplib.IMAP4_SSL('127.0.0.1', int(os.environ['KONTOR_TEST_IMAPS_PORT']), ssl_context=ctx)
m.login(os.environ['KONTOR_TEST_USER'], os.environ['KONTOR_TEST_PASSWORD'])
m.select('"%s"' % folder, readonly=True)
if action == 'count':
    print(len(m.search(None, *args)[1][0].split()))
else:
    for num in m.search('UTF-8', 'SUBJECT', '"%s"' % args[0])[1][0].split():
        flags = imaplib.ParseFlags(m.fetch(num, '(FLAGS)')[1][0])
        print(' '.join(sorted(f.decode() for f in flags if f != b'\\Recent')))
m.logout()
EOF
}

# expect_status DESCRIPTION STATUS [ERROR-NAME] -- COMMAND...: one test point from the
# exit status of COMMAND, and the named error on its standard error.
expect_status() {
  local description=$1 expected=$2 name=${3:-}
  shift 3
  [ "${1:-}" = -- ] && shift
  "$@" >/dev/null 2>"$err"
  local status=$?
  if [ "$status" = "$expected" ] && { [ -z "$name" ] || grep -q "io.github.kontor.Error.$name" "$err"; }; then
    ok "$description"
  else
    not_ok "$description"
    echo "# exit $status, expected $expected${name:+ with $name}: $(head -n 3 "$err")"
  fi
}

# --------------------------------------------------------------- known messages
ts_plain=$(date -d '-2 days' +%s)
ts_attachment=$(date -d '-1 day' +%s)
ts_second=$(date -d '-3 hours' +%s)
printf 'Attached notes for kontorctl.\nSecond line of the notes.\n' >"$work/notes.txt"
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 2)' >"$work/data.bin"

cat >"$work/eml/1-plain.eml" <<EOF
From: Ada Lovelace <ada@example.net>
To: $email
Subject: Kontorctl plain
Date: $(date -R -d "@$ts_plain")
Message-ID: <kontorctl-plain@example.net>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

The analytical engine weaves algebraic patterns.
Grüße aus London.
EOF

cat >"$work/eml/2-attachment.eml" <<EOF
From: Grace Hopper <grace@example.com>
To: $email
Subject: Kontorctl attachment
Date: $(date -R -d "@$ts_attachment")
Message-ID: <kontorctl-attachment@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8

See the attached notes, and the bold words.

--inner
Content-Type: text/html; charset=utf-8

<html><body><p>See the attached notes, and the <b>bold words</b>.</p></body></html>

--inner--

--outer
Content-Type: text/plain; name="notes.txt"
Content-Disposition: attachment; filename="notes.txt"
Content-Transfer-Encoding: base64

$(base64 "$work/notes.txt")

--outer
Content-Type: application/octet-stream; name="data.bin"
Content-Disposition: attachment; filename="data.bin"
Content-Transfer-Encoding: base64

$(base64 "$work/data.bin")

--outer--
EOF

cat >"$work/eml/3-second.eml" <<EOF
From: Ada Lovelace <ada@example.net>
To: $email
Subject: =?UTF-8?Q?Kontorctl_second_=E2=80=93_Gr=C3=BC=C3=9Fe?=
Date: $(date -R -d "@$ts_second")
Message-ID: <kontorctl-second@example.net>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Second message from Ada.
EOF

"$KONTOR_TEST_SERVERS_CLI" seed-mail "$KONTOR_TEST_SERVERS_DIR" "$user" Kontorctl 0 \
  --from-eml "$work"/eml/*.eml >/dev/null 2>"$err" ||
  { echo "Bail out! seeding the Kontorctl folder failed: $(cat "$err")"; exit 1; }
inbox_total=$(server count INBOX ALL)
inbox_unread=$(server count INBOX UNSEEN)

# ------------------------------------------------------------------ the account
id=$(printf '%s\n' "$KONTOR_TEST_PASSWORD" | ctl accounts add "$email" --display-name "Mail Test" \
       --username "$user" --imap-host "$KONTOR_TEST_HOST" --imap-port "$KONTOR_TEST_IMAPS_PORT" \
       --imap-security tls --smtp-host "$KONTOR_TEST_HOST" --smtp-port "$KONTOR_TEST_SMTP_PORT" \
       --smtp-security starttls --caldav-url "" --carddav-url "" --webdav-url "" \
       --trusted-certificate "$KONTOR_TEST_CA_CERT" 2>"$err")
[ -n "$id" ] || { echo "Bail out! kontorctl accounts add failed: $(cat "$err")"; exit 1; }

# The Mail plugin picks the new account up on its own time: sync once it knows it.
for _ in $(seq 60); do
  ctl mail sync "$id" 2>"$err" && break
  sleep 0.5
done
check "mail sync ACCOUNT of the new account exits 0" ctl mail sync "$id"

# ---------------------------------------------------------------------- folders
folders=$(ctl mail folders 2>"$err")
check "mail folders exits 0" [ $? = 0 ]
expect_eq "INBOX: role, unread/total as on the server, id" "$(grep "^INBOX$tab" <<<"$folders")" \
  "INBOX${tab}inbox$tab$inbox_unread/$inbox_total$tab$id/INBOX"
expect_eq "the seeded folder: no role (-), 3 unread of 3" "$(grep "^Kontorctl$tab" <<<"$folders")" \
  "Kontorctl$tab-${tab}3/3$tab$id/Kontorctl"
expect_eq "the special-use folders have their roles" \
  "$(for f in Drafts Sent Archive Junk Trash; do grep "^$f$tab" <<<"$folders" | cut -f2; done | tr '\n' ' ')" \
  "drafts sent archive junk trash "
expect_eq "mail folders ACCOUNT lists the same (one account)" "$(ctl mail folders "$id")" "$folders"
expect_eq "... and so does the account's e-mail address" "$(ctl mail folders "$email")" "$folders"
expect_status "mail folders of an unknown account exits 1 (NotFound)" 1 NotFound -- \
  ctl mail folders no-such-account

check "mail folders --json: every key, ids ACCOUNT/FULL-NAME, counts as on the server" python3 -c '
import json, sys
folders = json.load(sys.stdin)
account, total, unread = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
keys = {"id", "account-id", "name", "full-name", "role", "total", "unread", "subscribed"}
for f in folders:
    assert keys <= set(f), f
    assert f["account-id"] == account and f["id"] == account + "/" + f["full-name"], f
by_name = {f["full-name"]: f for f in folders}
inbox, own = by_name["INBOX"], by_name["Kontorctl"]
assert inbox["role"] == "inbox" and inbox["total"] == total and inbox["unread"] == unread, inbox
assert own == dict(own, name="Kontorctl", role="", total=3, unread=3, subscribed=True), own
assert by_name["Trash"]["role"] == "trash", by_name["Trash"]' "$id" "$inbox_total" "$inbox_unread" \
  < <(ctl mail folders --json)
expect_eq "--json before the command works too" "$(ctl --json mail folders)" "$(ctl mail folders --json)"

# ------------------------------------------------------------------------- list
list=$(ctl mail list INBOX --limit 5 2>"$err")
check "mail list INBOX --limit 5 exits 0" [ $? = 0 ]
check "... five lines of date, marks, sender, subject and an id of INBOX, newest first" python3 -c '
import re, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 5, lines
rows = [line.split("\t") for line in lines]
for r in rows:
    assert len(r) == 5, r
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", r[0]) and re.fullmatch(r"[U-][F-][AW-][@-]", r[1]), r
    assert r[2] and r[3] and r[4].startswith(sys.argv[1] + "/INBOX:"), r
assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True), rows' "$id" <<<"$list"
expect_eq "a folder id lists the same as its full name" "$(ctl mail list "$id/INBOX" --limit 5)" "$list"
expect_eq "--offset 5 --limit 5 is the second page" "$(ctl mail list INBOX --offset 5 --limit 5 | cut -f5)" \
  "$(ctl mail list INBOX --limit=10 | tail -n 5 | cut -f5)"
check "--limit 0 --json lists every message of the folder, each once, with its keys" python3 -c '
import json, sys
messages = json.load(sys.stdin)
assert len(messages) == int(sys.argv[1]) == len({m["id"] for m in messages}), len(messages)
keys = {"id", "subject", "from", "to", "date", "flags", "has-attachments", "size"}
assert all(keys <= set(m) for m in messages), messages[0]
assert sum("seen" not in m["flags"] for m in messages) == int(sys.argv[2])' \
  "$inbox_total" "$inbox_unread" < <(ctl mail list INBOX --limit 0 --json)
expect_eq "mail list without --limit prints at most 50" \
  "$(ctl mail list INBOX | wc -l)" "$((inbox_total < 50 ? inbox_total : 50))"
expect_eq "unified:inbox lists the Inbox of every account" "$(ctl mail list unified:inbox --limit 5 | wc -l)" 5

own=$(ctl mail list Kontorctl)
expect_eq "the seeded folder: newest first, unread (U), the attachment marked (@)" \
  "$(cut -f2,4 <<<"$own" | tr '\t\n' ' ;')" \
  "U--- Kontorctl second – Grüße;U--@ Kontorctl attachment;U--- Kontorctl plain;"
expect_eq "... dated in local time" "$(cut -f1 <<<"$own" | tail -n 1)" "$(date -d "@$ts_plain" '+%Y-%m-%d %H:%M')"
m_plain=$(awk -F'\t' '$4 == "Kontorctl plain" { print $5 }' <<<"$own")
m_attachment=$(awk -F'\t' '$4 == "Kontorctl attachment" { print $5 }' <<<"$own")
m_second=$(awk -F'\t' '$4 ~ /^Kontorctl second/ { print $5 }' <<<"$own")
check "... with ids FOLDER-ID:UID" python3 -c '
import re, sys
assert all(re.fullmatch(re.escape(sys.argv[1]) + r":\d+", m) for m in sys.argv[2:]), sys.argv' \
  "$id/Kontorctl" "$m_plain" "$m_attachment" "$m_second"

# ------------------------------------------------------------------------- show
shown=$(ctl mail show "$m_plain" 2>"$err")
check "mail show exits 0" [ $? = 0 ]
check "... From, To, Date and Subject, then a blank line" python3 -c '
import sys
lines = sys.stdin.read().split("\n")
assert lines[0].startswith("From: ") and "Ada Lovelace" in lines[0] and "<ada@example.net>" in lines[0], lines
assert lines[1].startswith("To: ") and sys.argv[1] in lines[1], lines
assert lines[2:5] == ["Date: " + sys.argv[2], "Subject: Kontorctl plain", ""], lines' \
  "$email" "$(date -d "@$ts_plain" '+%Y-%m-%d %H:%M')" <<<"$shown"
check "... and the text, in UTF-8" grep -qx "Grüße aus London." <<<"$shown"
check "... the whole text" grep -qx "The analytical engine weaves algebraic patterns." <<<"$shown"
expect_eq "... and no attachments" "$(grep -c '^Attachments:' <<<"$shown")" 0

shown=$(ctl mail show "$m_attachment")
check "the text of a multipart/alternative message is its plain part" \
  grep -qx "See the attached notes, and the bold words." <<<"$shown"
expect_eq "its attachments: number, name, type, size" \
  "$(sed -n '/^Attachments:$/,$p' <<<"$shown" | tail -n +2 | cut -f1-3 | tr '\t\n' ' ;')" \
  "0 notes.txt text/plain;1 data.bin application/octet-stream;"
check "mail show --html prints the HTML as sent" grep -q "<b>bold words</b>" < <(ctl mail show "$m_attachment" --html)
expect_status "mail show --html of a message without HTML exits 1" 1 "" -- ctl mail show "$m_plain" --html
check "mail show --json: everything, the attachments with their decoded sizes" python3 -c '
import json, sys
m = json.load(sys.stdin)
assert m["id"] == sys.argv[1] and m["subject"] == "Kontorctl attachment", m
assert "grace@example.com" in m["from"] and m["message-id"].strip("<>") == "kontorctl-attachment@example.com", m
assert "See the attached notes" in m["text"] and "<b>bold words</b>" in m["html"], m
assert [(a["name"], a["mime-type"], a["size"]) for a in m["attachments"]] == [
    ("notes.txt", "text/plain", int(sys.argv[2])), ("data.bin", "application/octet-stream", 512)], m
assert isinstance(m["flags"], list) and isinstance(m["date"], int), m' \
  "$m_attachment" "$(stat -c %s "$work/notes.txt")" < <(ctl mail show "$m_attachment" --json)
expect_eq "an encoded subject is decoded" "$(ctl mail show "$m_second" | grep '^Subject:')" \
  "Subject: Kontorctl second – Grüße"

# The seeded mail: the newest message is the generator's last one, body and all.
newest=$(ctl mail list INBOX --limit 1 | cut -f5)
check "mail show of seeded mail has the generated subject and body" python3 -c '
import email, email.policy, json, os, re, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[3])
from harness import seed
m = json.load(sys.stdin)
i = int(re.search(r"seed\.\w+\.(\d+)@", m["message-id"]).group(1))
ts, flags, data = list(seed.generate(int(sys.argv[1]), sys.argv[2]))[i]
sent = email.message_from_bytes(data, policy=email.policy.default)
body = sent.get_body(("plain",)).get_content().strip()
assert m["subject"] == sent["subject"], (m["subject"], sent["subject"])
assert body in m["text"].replace("\r\n", "\n"), (body, m["text"])' \
  "$inbox_total" "$email" "$harness" < <(ctl mail show "$newest" --json)

expect_status "mail show of an unknown message exits 1 (NotFound)" 1 NotFound -- \
  ctl mail show "$id/INBOX:999999"

# ----------------------------------------------------------------------- search
expect_eq "mail search from: prints the ids, newest first" "$(ctl mail search 'from:ada@example.net')" \
  "$m_second"$'\n'"$m_plain"
expect_eq "... within --folder" "$(ctl mail search 'from:ada@example.net' --folder Kontorctl)" \
  "$m_second"$'\n'"$m_plain"
expect_eq "... and nothing in another folder" "$(ctl mail search 'from:ada@example.net' --folder INBOX)" ""
expect_eq "a quoted phrase in from:" "$(ctl mail search 'from:"Ada Lovelace"')" "$m_second"$'\n'"$m_plain"
expect_eq "words of the body (body:)" "$(ctl mail search 'body:"analytical engine"')" "$m_plain"
expect_eq "subject: and has:attachment" \
  "$(ctl mail search 'subject:Kontorctl has:attachment' --folder Kontorctl)" "$m_attachment"
expect_eq "is:unread" "$(ctl mail search 'is:unread' --folder Kontorctl | wc -l)" 3
expect_eq "--long prints the lines of mail list" "$(ctl mail search 'from:ada@example.net' --long)" \
  "$(grep -v "Kontorctl attachment" <<<"$own")"
check "--json prints the ids as a JSON array" python3 -c '
import json, sys
assert json.load(sys.stdin) == sys.argv[1:], sys.argv' "$m_second" "$m_plain" \
  < <(ctl mail search 'from:ada@example.net' --json)
expect_eq "no match prints nothing and exits 0" "$(ctl mail search 'from:nobody@nowhere.invalid'; echo "exit $?")" "exit 0"

seeded_attachment=$(ctl mail search has:attachment --folder INBOX | head -n 1)

# ------------------------------------------------------------------------- flag
check "mail flag --add flagged --add seen" ctl mail flag "$m_plain" --add flagged --add seen
expect_eq "... list shows it read and flagged" "$(ctl mail list Kontorctl | grep "$m_plain" | cut -f2)" "-F--"
check "mail flag --add flagged --remove seen ID ID (options first)" \
  ctl mail flag --add flagged --remove seen "$m_second" "$m_attachment"
expect_eq "... both flagged and unread" \
  "$(ctl mail list Kontorctl | grep -v "$m_plain" | cut -f2 | tr '\n' ' ')" "UF-- UF-@ "
expect_eq "... and the folder counts 2 unread of 3" "$(ctl mail folders | grep "^Kontorctl$tab" | cut -f3)" "2/3"
check "mail sync" ctl mail sync "$id"
expect_eq "the server has the flags" "$(server flags Kontorctl 'Kontorctl plain')" '\Flagged \Seen'
check "--unflagged --unread are short for --remove flagged --remove seen" \
  ctl mail flag "$m_plain" --unflagged --unread
expect_eq "... as list shows" "$(ctl mail list Kontorctl | grep "$m_plain" | cut -f2)" "U---"
ctl mail sync "$id"
expect_eq "... and the server" "$(server flags Kontorctl 'Kontorctl plain')" ""

# ------------------------------------------------------------------ attachments
(cd "$work/save" && ctl mail save-attachment "$m_attachment" 0 notes-copy.txt >"$work/out" 2>"$err")
check "mail save-attachment MESSAGE 0 RELATIVE-FILE exits 0" [ $? = 0 ]
expect_eq "... prints the absolute file name" "$(cat "$work/out")" "$work/save/notes-copy.txt"
check "... which has the attachment, decoded" cmp -s "$work/save/notes-copy.txt" "$work/notes.txt"
echo "something else" >"$work/save/notes-copy.txt"
ctl mail save-attachment "$m_attachment" 0 "$work/save/notes-copy.txt" >/dev/null
check "an existing file is replaced" cmp -s "$work/save/notes-copy.txt" "$work/notes.txt"
expect_eq "a folder gets the attachment under its own name" \
  "$(cd "$work/save" && ctl mail save-attachment "$m_attachment" 1 .)" "$work/save/data.bin"
check "... binary, byte for byte" cmp -s "$work/save/data.bin" "$work/data.bin"
expect_status "an attachment number the message does not have exits 1" 1 "" -- \
  ctl mail save-attachment "$m_attachment" 7 "$work/save/nothing"
check "... and writes nothing" [ ! -e "$work/save/nothing" ]
if [ -n "$seeded_attachment" ]; then
  ctl mail save-attachment "$seeded_attachment" 0 "$work/save/seeded.pdf" >/dev/null
  check "the attachment of seeded mail is the generator's PDF" python3 -c '
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from harness import seed
assert open(sys.argv[2], "rb").read() == seed.ATTACHMENT' "$harness" "$work/save/seeded.pdf"
else
  ok "the attachment of seeded mail is the generator's PDF # SKIP no seeded message has one"
fi

# -------------------------------------------------------------------------- move
check "mail move ID --to FOLDER" ctl mail move "$m_second" --to Archive
expect_eq "... it is no longer in its folder" "$(ctl mail list Kontorctl | grep -c "Kontorctl second")" 0
moved=$(ctl mail search 'subject:"Kontorctl second"' --folder Archive)
expect_eq "... but in the other, with an id there" "${moved%:*}" "$id/Archive"
expect_eq "... its flags kept" "$(ctl mail list Archive | awk -F'\t' -v id="$moved" '$5 == id { print $2 }')" \
  "UF--"
expect_status "the old id is NotFound now" 1 NotFound -- ctl mail show "$m_second"
ctl mail sync "$id"
expect_eq "the server moved it too" "$(server count Archive SUBJECT '"Kontorctl second"') $(server count Kontorctl SUBJECT '"Kontorctl second"')" "1 0"
expect_status "mail move to an unknown folder exits 1" 1 "" -- ctl mail move "$m_plain" --to No/Such/Folder

# ------------------------------------------------------------------------ delete
check "mail delete ID" ctl mail delete "$m_plain"
trashed=$(ctl mail search 'subject:"Kontorctl plain"' --folder Trash)
check "... moves it to the Trash" [ -n "$trashed" ]
expect_eq "... out of its folder" "$(ctl mail list Kontorctl | cut -f4)" "Kontorctl attachment"
check "mail delete of a message in the Trash" ctl mail delete "$trashed"
expect_eq "... deletes it for good" "$(ctl mail search 'subject:"Kontorctl plain"')" ""
expect_status "... so it is NotFound" 1 NotFound -- ctl mail show "$trashed"
ctl mail sync "$id"
expect_eq "... on the server too" "$(server count Trash SUBJECT '"Kontorctl plain"') $(server count Kontorctl SUBJECT '"Kontorctl plain"')" "0 0"
expect_status "mail delete of an unknown message exits 1 (NotFound)" 1 NotFound -- \
  ctl mail delete "$id/Kontorctl:999999"

# ---------------------------------------------------------------------- offline
check "mail offline on" ctl mail offline on
expect_eq "mail offline says on" "$(ctl mail offline)" "on"
check "--json says so too" python3 -c 'import json,sys; assert json.load(sys.stdin) == {"offline": True}' \
  < <(ctl mail offline --json)
check "a message read before can be read offline" grep -q "See the attached notes" < <(ctl mail show "$m_attachment")
check "flags can be changed offline" ctl mail flag "$m_attachment" --read
expect_eq "... list shows the change at once" "$(ctl mail list Kontorctl | grep "$m_attachment" | cut -f2)" "-F-@"
expect_eq "... the server does not have it yet" "$(server flags Kontorctl 'Kontorctl attachment')" '\Flagged'
check "mail offline off" ctl mail offline off
expect_eq "mail offline says off" "$(ctl mail offline)" "off"
check "mail sync sends the change made offline" ctl mail sync "$id"
expect_eq "... the server has it now" "$(server flags Kontorctl 'Kontorctl attachment')" '\Flagged \Seen'

# ------------------------------------------------------------------------- sync
cat >"$work/new.eml" <<EOF
From: Katherine Johnson <katherine@example.org>
To: $email
Subject: Kontorctl fresh
Date: $(date -R)
Message-ID: <kontorctl-fresh@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Arrived after the first sync.
EOF
"$KONTOR_TEST_SERVERS_CLI" seed-mail "$KONTOR_TEST_SERVERS_DIR" "$user" INBOX 0 \
  --from-eml "$work/new.eml" >/dev/null 2>&1
check "mail sync ACCOUNT fetches new mail" ctl mail sync "$id"
expect_eq "... which mail list shows first, unread" "$(ctl mail list INBOX --limit 1 | cut -f2,4)" \
  "U---${tab}Kontorctl fresh"
check "mail sync without an account syncs every account" ctl mail sync
check "mail sync EMAIL" ctl mail sync "$email"
expect_status "mail sync of an unknown account exits 1 (NotFound)" 1 NotFound -- ctl mail sync no-such-account

# ------------------------------------------------------------------------ usage
expect_status "mail without a command exits 2" 2 "" -- ctl mail
expect_status "an unknown mail command exits 2" 2 "" -- ctl mail frobnicate
expect_status "mail list without a folder exits 2" 2 "" -- ctl mail list
expect_status "mail list --limit with no number exits 2" 2 "" -- ctl mail list INBOX --limit many
expect_status "an unknown option exits 2" 2 "" -- ctl mail list INBOX --sort date
expect_status "mail show of two messages exits 2" 2 "" -- ctl mail show "$m_attachment" "$m_attachment"
expect_status "mail flag without a change exits 2" 2 "" -- ctl mail flag "$m_attachment"
expect_status "mail move without --to exits 2" 2 "" -- ctl mail move "$m_attachment"
expect_status "mail delete without a message exits 2" 2 "" -- ctl mail delete
expect_status "mail save-attachment with a non-number exits 2" 2 "" -- \
  ctl mail save-attachment "$m_attachment" first "$work/save/x"
expect_status "mail offline maybe exits 2" 2 "" -- ctl mail offline maybe
check "every mail command has --help" bash -c '
for c in folders list show search flag move delete sync save-attachment offline; do
  "$KONTORCTL_BIN" mail $c --help | grep -q "^  kontorctl mail $c" || { echo "# $c"; exit 1; }
done'
check "mail --help lists the commands" bash -c '"$KONTORCTL_BIN" mail --help | grep -q "save-attachment"'
check "kontorctl --help lists mail" bash -c '"$KONTORCTL_BIN" --help | grep -q "^  mail "'

DBUS_SESSION_BUS_ADDRESS="unix:path=$KONTOR_SESSION_DIR/no-such-bus" ctl mail folders 2>/dev/null
expect_eq "no session bus exits 3" "$?" 3

tap_done
