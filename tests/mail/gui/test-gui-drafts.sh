#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Drafts on the server and pasting, in a real X window against the harness: a composer
# with Bcc that the user types in is stored in Drafts after the save period (five
# seconds here), each save replacing the copy before, so Drafts holds exactly one,
# Bcc included; the draft opens again (kontorctl mail edit-draft) with every field;
# sending it leaves Drafts empty and puts one copy in Sent. Pasting a file list and
# an image attaches them; pasting text still pastes text. The server is asked over
# IMAP, as another client would. Screenshots go to the build folder.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"

# shellcheck source=gui-lib.sh
. "$here/gui-lib.sh"
export KONTOR_MAIL_DRAFT_SAVE_SECONDS=5

imap() { /usr/bin/python3 "$here/imap-drafts.py" "$@"; }
count_is() { [ "$(imap count "$1" "$2")" = "$3" ]; }
server_has() { imap show "$1" "$2" | grep -F -- "$3" >/dev/null; } # reads it all: no broken pipe
draft_file() { grep -l -F "subject=$1" "$drafts"/* 2>/dev/null | head -n 1; }
draft_has() { grep -q -F -- "$2" "$(draft_file "$1")" 2>/dev/null; }
# key_has SUBJECT KEY TEXT: the draft file's KEY line holds TEXT
key_has() { grep "^$2=" "$(draft_file "$1")" 2>/dev/null | grep -q -F -- "$3"; }
no_window() { ! xdotool search --onlyvisible --name "^$1\$" >/dev/null 2>&1; }
focus() {
  xdotool windowactivate --sync "$1" 2>/dev/null
  xdotool windowfocus --sync "$1" 2>/dev/null
  sleep 0.3
}
kontor_pid() {
  gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.GetConnectionUnixProcessID io.github.kontor.Kontor |
    grep -o '[0-9]\+' | tail -n 1
}

"$KONTOR_BIN" &
pid=$!
win=$(wait_for_window Kontor)
check "the main window opens" [ -n "$win" ]
account=$(add_test_account "Court")
check "the account is added" [ -n "$account" ]
check "the mail syncs" until_ok 60 ctl mail sync "$account"
xdotool windowsize "$win" 1280 800 2>/dev/null
ctl present mail >/dev/null 2>&1

# Typing in a composer with Bcc: one copy in Drafts after the period, with the Bcc.
subject="Server draft $$"
hidden="hidden-$$@example.org"
parent="<parent-$$@example.org>"
mail_call Compose "{'to': <['$email']>, 'bcc': <['$hidden']>, 'subject': <'$subject'>,
  'body': <'Dear team,'>, 'in-reply-to': <'$parent'>,
  'references': <'<root-$$@example.org> $parent'>}" >/dev/null
composer=$(wait_for_window "$subject")
check "a composer with Bcc and threading headers opens" [ -n "$composer" ]
sleep 1
check "nothing is stored in Drafts before the user types" count_is Drafts "$subject" 0
focus "$composer"
xdotool key --clearmodifiers ctrl+End
xdotool type --delay 40 " first version"
check "the periodic save stores the draft in Drafts" until_ok 30 count_is Drafts "$subject" 1
sleep 2
check "... exactly once" count_is Drafts "$subject" 1
check "... with the Bcc header" server_has Drafts "$subject" "Bcc: $hidden"
check "... with the typed text" server_has Drafts "$subject" "first version"
check "... flagged as a draft" server_has Drafts "$subject" '\Draft'
check "... with In-Reply-To" server_has Drafts "$subject" "In-Reply-To: $parent"

# More typing: the next save replaces the copy.
focus "$composer"
xdotool type --delay 40 " and the second one"
check "the next save stores the new text" until_ok 30 server_has Drafts "$subject" "second one"
sleep 2
check "... replacing the copy before: still exactly one" count_is Drafts "$subject" 1
check "... which the draft file names, for a crash" until_ok 10 draft_has "$subject" "server-id="
shot mail-drafts-saved

# Closing a message written here asks, even once stored: Discard would delete it.
# Keep as Draft replaces the copy.
focus "$composer"
xdotool key --clearmodifiers Escape
sleep 1
check "closing a stored message written here still asks" window_shown "$subject"
xdotool key --clearmodifiers Return # "Keep as Draft", the default
check "Keep as Draft closes it" until_ok 10 no_window "$subject"
check "... and keeps no draft on this computer" until_ok 10 bash -c "[ -z \"\$(grep -l -F \
'subject=$subject' '$drafts'/* 2>/dev/null)\" ]"
sleep 2
check "... and Drafts still holds exactly one copy" count_is Drafts "$subject" 1

# Reopening it from Drafts.
ctl mail sync "$account" >/dev/null 2>&1
find_draft() {
  ctl mail search "subject:\"$subject\"" --folder "$account/Drafts" 2>/dev/null |
    grep "Drafts:[0-9]*\$" | head -n 1 | grep .
}
check "Kontor lists the draft in Drafts" until_ok 30 find_draft
draft_id=$(find_draft)
inbox_id=$(ctl mail list "$account/INBOX" --limit 1 2>/dev/null | cut -f5)
not_draft=$(ctl mail edit-draft "$inbox_id" 2>&1)
refused() { [ -n "$inbox_id" ] && grep -q "is not in a Drafts folder (.*InvalidArgument)" <<<"$not_draft"; }
check "edit-draft refuses a message that is not in Drafts" refused
ctl mail edit-draft "$draft_id" >/dev/null
composer=$(wait_for_window "$subject")
check "kontorctl mail edit-draft opens the draft in a composer" [ -n "$composer" ]
check "... which saves its fields again" until_ok 10 draft_has "$subject" "server-id=$draft_id"
check "... with the To" key_has "$subject" to "$email"
check "... with the Bcc" key_has "$subject" bcc "$hidden"
check "... with the whole text" key_has "$subject" body "Dear team, first version and the second one"
check "... with the sender" key_has "$subject" from "$email"
check "... with In-Reply-To" key_has "$subject" in-reply-to "$parent"
check "... with References" key_has "$subject" references "<root-$$@example.org> $parent"
sleep 0.5
shot mail-drafts-reopened
ctl mail edit-draft "$draft_id" >/dev/null
sleep 1
check "opening it again brings that composer back, not a second one" \
  [ "$(xdotool search --onlyvisible --name "^$subject\$" | wc -l)" = 1 ]

# Sending it: Drafts holds none, Sent one, and Bcc is in no header that was sent.
focus "$composer"
xdotool key --clearmodifiers ctrl+Return
check "sending the reopened draft closes the composer" until_ok 15 no_window "$subject"
received() { grep -l -F "Subject: $subject" "$sink"/*.eml 2>/dev/null | head -n 1 | grep .; }
check "the SMTP sink gets the message" until_ok 120 received
bcc_in_envelope_only() {
  local file
  file=$(received)
  [ -n "$file" ] && grep -q "^X-Sink-Rcpt-To:.*$hidden" "$file" && ! grep -q '^Bcc:' "$file" &&
    [ "$(grep -c -F "$hidden" "$file")" = 1 ]
}
check "... to the Bcc recipient too, who appears in no header" bcc_in_envelope_only
check "the sent draft is deleted from Drafts" until_ok 30 count_is Drafts "$subject" 0
check "... and Sent has one copy" until_ok 30 count_is Sent "$subject" 1

# Paste: files and an image are attached, text is pasted as text.
pasted="Pasted things $$"
ctl mail compose --to "$email" --subject "$pasted" --body "See below." >/dev/null
composer=$(wait_for_window "$pasted")
check "a composer for pasting opens" [ -n "$composer" ]
printf 'Minutes\n' >"$HOME/minutes-$$.txt"
printf 'Budget\n' >"$HOME/budget-$$.csv"
convert -size 120x80 xc:'#3584e4' "$HOME/screenshot-$$.png" 2>/dev/null
owner=""
own() {
  rm -f "$HOME/clipboard-ready"
  [ -n "$owner" ] && kill "$owner" 2>/dev/null && wait "$owner" 2>/dev/null
  /usr/bin/python3 "$here/clipboard-owner.py" "$HOME/clipboard-ready" "$@" >/dev/null 2>&1 &
  owner=$!
  until_ok 10 test -f "$HOME/clipboard-ready"
}
own files "$HOME/minutes-$$.txt" "$HOME/budget-$$.csv"
focus "$composer"
xdotool key --clearmodifiers ctrl+End ctrl+v
check "pasting copied files attaches them" \
  until_ok 10 draft_has "$pasted" "minutes-$$.txt;$HOME/budget-$$.csv"
no_paths_in_text() {
  local file
  file=$(draft_file "$pasted")
  [ -n "$file" ] && grep -q '^body=See below' "$file" && ! grep '^body=' "$file" | grep -q budget
}
check "... and pastes no text" no_paths_in_text
own image "$HOME/screenshot-$$.png"
focus "$composer"
xdotool key --clearmodifiers ctrl+v
check "pasting an image attaches it as a PNG" until_ok 10 draft_has "$pasted" "Pasted image.png"
pasted_file=$(draft_file "$pasted")
image=$(grep '^attachments=' "$pasted_file" | tr ';' '\n' | grep "Pasted image.png")
check "... kept in the draft's own folder" \
  bash -c "[ -n '$pasted_file' ] && [[ '$image' == '$pasted_file'.parts/* ]]"
check "... as a PNG file" bash -c "file '$image' | grep -q 'PNG image data, 120 x 80'"
own text " Plain words $$"
focus "$composer"
xdotool key --clearmodifiers ctrl+v
check "pasting text still pastes text" until_ok 10 key_has "$pasted" body "See below. Plain words $$"
sleep 1
shot mail-drafts-pasted
kill "$owner" 2>/dev/null
wait "$owner" 2>/dev/null

# Keep as Draft stores the pasted message, images included.
focus "$composer"
xdotool key --clearmodifiers Escape
sleep 1
xdotool key --clearmodifiers Return # "Keep as Draft", the default
check "Keep as Draft closes the composer" until_ok 10 no_window "$pasted"
check "... and stores one copy in Drafts" until_ok 30 count_is Drafts "$pasted" 1
check "... with the pasted image" server_has Drafts "$pasted" 'filename="Pasted image.png"'

# In the main window: activating the draft in the Drafts folder's list opens it, and
# so does the reader's Edit Draft.
ctl mail sync "$account" >/dev/null 2>&1
find_pasted() {
  ctl mail search "subject:\"$pasted\"" --folder "$account/Drafts" 2>/dev/null |
    grep "Drafts:[0-9]*\$" | head -n 1 | grep .
}
check "Kontor lists the kept draft in Drafts" until_ok 30 find_pasted
win=$(wait_for_window Kontor)
focus "$win"
xdotool mousemove --window "$win" 102 189 click 1 # the sidebar's Drafts
sleep 2
ctl open "kontor-mail-id:$(find_pasted)" >/dev/null 2>&1
sleep 2
shot mail-drafts-reader
focus "$win"
xdotool key --clearmodifiers Return
composer=$(wait_for_window "$pasted")
check "activating a draft in the message list opens it in a composer" [ -n "$composer" ]
pasted_parts() {
  [ "$(grep '^attachments=' "$(draft_file "$pasted")" | tr ';' '\n' | grep -c '\.parts/')" = 3 ]
}
check "... with its three attachments, written beside its draft file" until_ok 10 pasted_parts
sleep 0.5
shot mail-drafts-reopened-attachments
focus "$composer"
xdotool key --clearmodifiers Escape
check "closing it unchanged asks nothing and keeps it" until_ok 10 no_window "$pasted"
focus "$win"
xdotool key --clearmodifiers alt+e
composer=$(wait_for_window "$pasted")
check "the reader's Edit Draft (Alt+E) opens it again" [ -n "$composer" ]
sleep 1
focus "$composer"
xdotool type --delay 40 " Changed my mind."
xdotool key --clearmodifiers Escape
sleep 1
shot mail-drafts-discard
xdotool key --clearmodifiers shift+Tab Return # from "Keep as Draft" to "Discard"
check "discarding the reopened draft closes the composer" until_ok 10 no_window "$pasted"
check "... and deletes it from Drafts" until_ok 30 count_is Drafts "$pasted" 0

# Offline: nothing reaches Drafts, the draft stays on this computer, and the save is
# tried again once online.
offline="Offline draft $$"
ctl mail offline on >/dev/null
ctl mail compose --to "$email" --subject "$offline" --body "Written on a train." >/dev/null
composer=$(wait_for_window "$offline")
check "a composer opens while working offline" [ -n "$composer" ]
focus "$composer"
xdotool key --clearmodifiers ctrl+End
xdotool type --delay 40 " No network."
sleep 12
check "working offline, the draft is not stored in Drafts" count_is Drafts "$offline" 0
check "... but kept on this computer" key_has "$offline" body "No network."
shot mail-drafts-offline
ctl mail offline off >/dev/null
check "once online, a later attempt stores it in Drafts" until_ok 40 count_is Drafts "$offline" 1
check "... with the text typed offline" server_has Drafts "$offline" "No network."

# After a crash, the restored composer replaces the copy its draft file names.
focus "$composer"
xdotool type --delay 40 " Typed before the crash."
sleep 4
check "the draft file has the newer text" key_has "$offline" body "before the crash"
victim=$(kontor_pid)
kill -9 "$victim"
wait "$pid" 2>/dev/null
check "kill -9 takes the composer away" until_ok 10 no_window "$offline"
"$KONTOR_BIN" &
pid=$!
check "at the next start the composer is restored" until_ok 30 window_shown "$offline"
check "... and its newer text replaces the copy in Drafts" \
  until_ok 40 server_has Drafts "$offline" "before the crash"
sleep 2
check "... which is still the only one" count_is Drafts "$offline" 1

victim=$(kontor_pid)
[ -n "$victim" ] && kill "$victim" 2>/dev/null
wait "$pid" 2>/dev/null
tap_done
