#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Mail page in a real X window against the harness's Dovecot: the three panes
# fill from the account, a mid: link selects its message and the reader marks it read,
# Delete hides it at once and moves it to the Trash when the undo toast goes. The
# screenshots are kept in the build folder (tests/screenshots/).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"

# shellcheck source=gui-lib.sh
. "$here/gui-lib.sh"
harness=$(dirname "$(readlink -f "$KONTOR_TEST_SERVERS_CLI")")

# A message from the corpus with an inline picture, and one with a known Message-ID.
"$KONTOR_TEST_SERVERS_CLI" seed-mail "$KONTOR_TEST_SERVERS_DIR" "$KONTOR_TEST_USER" INBOX 0 \
  --from-eml "$KONTOR_SOURCE_DIR/tests/data/mail/tb-05-HTML+embedded-image.eml" >/dev/null

account=$(add_test_account "Court")
check "the account is added" [ -n "$account" ]
check "the mail syncs" until_ok 60 ctl mail sync "$account"

"$KONTOR_BIN" &
pid=$!
win=$(wait_for_window Kontor)
check "the main window opens" [ -n "$win" ]
xdotool windowsize "$win" 1280 800 2>/dev/null
ctl present mail >/dev/null 2>&1
sleep 3
shot mail-three-panes

# The newest message of the Inbox, by its Message-ID header.
newest=$(mail_call ListMessages "'$account/INBOX'" 0 1 | grep -o "'id': <'[^']*'>" | head -n 1 |
  sed "s/'id': <'\\(.*\\)'>/\\1/")
mid=$(mail_call GetMessage "'$newest'" | grep -o "'message-id': <'[^']*'>" |
  sed "s/'message-id': <'<*\\([^<>]*\\)>*'>/\\1/")
check "the newest message has a Message-ID" [ -n "$mid" ]
unread() { mail_call GetMessage "'$newest'" | grep -q "'flags': <\\['seen'\\|'seen'"; }
ctl open "mid:$mid" >/dev/null 2>&1
check "a mid: link shows its message, which is marked read after the delay" until_ok 15 unread
sleep 1
shot mail-reader

# An HTML message with an inline picture from the corpus, through its mid: link.
ctl open "mid:c1ddcd5d-71c1-9c9d-1b81-e3b9abb99030@example.com" >/dev/null 2>&1
html_id=$(mail_call Search "'subject:\"HTML + embedded image\"'" "''" | grep -o "'[^']*:[0-9]*'" | head -n 1 | tr -d "'")
html_read() { mail_call GetMessage "'$html_id'" | grep -q "'seen'"; }
check "the HTML message from the corpus is shown and marked read" until_ok 15 html_read
sleep 2
shot mail-reader-html

# Delete hides it at once; the move happens when the undo toast goes away.
ctl open "mid:$mid" >/dev/null 2>&1
sleep 2
xdotool windowfocus --sync "$win" 2>/dev/null
xdotool key --clearmodifiers Delete
sleep 1
shot mail-deleted-toast
in_trash() {
  mail_call Search "''" "'$account/Trash'" | grep -q "$account/Trash:"
}
check "Delete moves the message to the Trash after the undo toast" until_ok 30 in_trash
gone() { local out; out=$(mail_call ListMessages "'$account/INBOX'" 0 0) && ! grep -q "'$newest'" <<<"$out"; }
check "... and it is no longer in the Inbox" gone
trashed=$(mail_call Search "''" "'$account/Trash'" | grep -o "'[^']*Trash:[0-9]*'" | head -n 1 | tr -d "'")
expect_eq "... and the one in the Trash is the message that was shown" \
  "$(mail_call GetMessage "'$trashed'" | grep -o "'message-id': <'[^']*'>")" "'message-id': <'$mid'>"

# The context menu of a row, and dragging a row onto a folder. Positions are those of
# the 1280x800 window: the first row of the list, the Archive folder in the sidebar.
archive_total() {
  mail_call Search "''" "'$account/Archive'" | grep -o "Archive:[0-9]*" | wc -l
}
before=$(archive_total)
xdotool mousemove --sync 540 125 click 3
sleep 1
shot mail-context-menu
xdotool key --clearmodifiers Escape
sleep 0.5
xdotool mousemove --sync 540 125 mousedown 1
for step in 1 2 3 4 5 6 7 8 9 10 11 12; do
  xdotool mousemove --sync $((540 - step * 36)) $((125 + step * 12))
  sleep 0.1
done
xdotool mousemove --sync 110 265
sleep 0.3
xdotool mousemove --sync 112 266
sleep 0.5
xdotool mouseup 1
sleep 1
shot mail-dragged
archived() { [ "$(archive_total)" = "$((before + 1))" ]; }
check "dragging a message onto Archive moves it there" until_ok 30 archived

# The account's context menu makes a folder on the server.
xdotool mousemove --sync 80 113 click 3
sleep 1
xdotool key --clearmodifiers n
sleep 1
shot mail-new-folder
xdotool type --delay 50 "Projects 2027"
xdotool key --clearmodifiers Return
has_folder() { mail_call ListFolders "'$account'" | grep -q "'full-name': <'Projects 2027'>"; }
check "New Folder… in the account's menu creates the folder" until_ok 30 has_folder

kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
tap_done
