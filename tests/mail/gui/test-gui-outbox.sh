#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Undo-send and the Outbox view in a real X window against the harness: Send in a
# composer shows "Sending in 5 seconds" with Undo; Undo brings the composer back with
# the text and the SMTP sink never gets the message. With the SMTP server unreachable
# (a forwarder in front of the sink, stopped) the Outbox entry appears in the sidebar
# in the error style, its view says why the message was not sent and when it is tried
# again, and Edit takes it back into a composer; Cancel Sending asks first. Undo Send
# set to Off in Mail Preferences queues without a hold. Screenshots go to the build
# folder.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"

# shellcheck source=gui-lib.sh
. "$here/gui-lib.sh"

received() { grep -l -F "Subject: $1" "$sink"/*.eml 2>/dev/null | wc -l; }
nothing_received() { [ "$(received "$1")" = 0 ]; }
draft_has() { grep -q -s -F "$1" "$drafts"/*; } # not the .parts folders
no_window() { ! xdotool search --onlyvisible --name "^$1\$" >/dev/null 2>&1; }
in_outbox() { ctl mail outbox | grep -q -F "$1"; }
not_in_outbox() { ! in_outbox "$1"; }
focus() {
  xdotool windowactivate --sync "$1" 2>/dev/null
  xdotool windowfocus --sync "$1" 2>/dev/null
}

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 "$here/../send/tcp_forwarder.py" "$port" "$KONTOR_TEST_SMTP_PORT" >/dev/null 2>&1 &
forwarder=$!

"$KONTOR_BIN" &
pid=$!
win=$(wait_for_window Kontor)
check "the main window opens" [ -n "$win" ]
account=$(add_test_account "Court" "$port")
check "the account is added" [ -n "$account" ]
check "the mail syncs" until_ok 60 ctl mail sync "$account"
xdotool windowmove "$win" 0 0 2>/dev/null
xdotool windowsize "$win" 1280 800 2>/dev/null
ctl present mail >/dev/null 2>&1
sleep 2

# Send, then Undo in the toast: the composer comes back, nothing is sent.
subject="Undo test $$"
ctl mail compose --to "$email" --subject "$subject" --body "A sentence to take back." >/dev/null
composer=$(wait_for_window "$subject")
check "a filled composer opens" [ -n "$composer" ]
sleep 1
focus "$composer"
xdotool key --clearmodifiers ctrl+Return
check "Send closes the composer" until_ok 10 no_window "$subject"
check "... and the message waits in the Outbox" in_outbox "$subject"
sleep 0.3
shot mail-undo-send-toast
xdotool mousemove --sync 770 747 click 1 # the toast's Undo
check "Undo opens the composer again" until_ok 10 window_shown "$subject"
check "... with the text" until_ok 10 draft_has "A sentence to take back."
check "... and the message left the Outbox" not_in_outbox "$subject"
sleep 1
shot mail-undo-send-composer
sleep 6
check "the sink never got it" nothing_received "$subject"
focus "$(wait_for_window "$subject")"
sleep 0.5
xdotool key --clearmodifiers Escape
sleep 1
shot mail-undo-send-close
xdotool mousemove --sync 203 164 click 1 # the dialog's "Discard"
check "the reopened composer is discarded" until_ok 10 no_window "$subject"

# The SMTP server goes away: the Outbox shows why, and Edit takes the message back.
kill "$forwarder"
wait "$forwarder" 2>/dev/null
failing="Unreachable $$"
printf 'Minutes of the meeting\n' >"$HOME/minutes-$$.txt"
printf 'Sent while the server is away.\n' |
  ctl mail send --to "$email" --bcc "hidden@example.com" --subject "$failing" \
    --attach "$HOME/minutes-$$.txt" >/dev/null
tried() { ctl mail outbox | grep -F "$failing" | cut -f5 | grep -q -v '^-$'; }
check "with the server unreachable the attempt fails, with a reason" until_ok 60 tried
sleep 1
shot mail-outbox-sidebar
xdotool mousemove --sync 72 768 click 1 # "Outbox" under the folders
sleep 1
shot mail-outbox-view
xdotool mousemove --sync 609 264 click 1 # the entry's "Edit"
check "Edit opens the message in a composer" until_ok 10 window_shown "$failing"
check "... with its Bcc from the envelope" until_ok 10 draft_has "hidden@example.com"
check "... its text" draft_has "Sent while the server is away."
check "... and its attachment" draft_has "minutes-$$.txt"
check "... and it left the Outbox" not_in_outbox "$failing"
sleep 1
shot mail-outbox-edit
xdotool mousemove --sync 732 27 click 1 # the composer's close button
sleep 1
shot mail-outbox-edit-close
xdotool mousemove --sync 203 164 click 1 # the dialog's "Discard"
check "the edited message's composer is discarded" until_ok 10 no_window "$failing"

# Cancel Sending asks first, then the message is gone unsent.
doomed="Doomed $$"
ctl mail send --to "$email" --subject "$doomed" --body-file /dev/null >/dev/null
check "another message waits in the Outbox" until_ok 10 in_outbox "$doomed"
sleep 1
xdotool mousemove --sync 72 768 click 1 # "Outbox" under the folders
sleep 1
xdotool mousemove --sync 489 264 click 1 # the entry's "Cancel Sending…"
sleep 1
shot mail-outbox-cancel
xdotool mousemove --sync 277 141 click 1 # the dialog's "Delete"
check "Cancel Sending, confirmed, removes it" until_ok 10 not_in_outbox "$doomed"
sleep 1
shot mail-outbox-gone

# Undo Send's delay is a Mail preference, on the General page: its row is placed from
# the page's top, the window put where the clicks expect it.
focus "$win"
xdotool mousemove --sync 742 74 click 1 # the list's menu
sleep 1
shot mail-outbox-menu
xdotool key --clearmodifiers Up Return # its last item, "Mail Preferences"
prefs=$(wait_for_window "Mail Preferences")
check "Mail Preferences opens" [ -n "$prefs" ]
xdotool windowsize "$prefs" 640 780 2>/dev/null
xdotool windowmove "$prefs" 0 0 2>/dev/null
sleep 1
shot mail-preferences-undo
xdotool mousemove --window "$prefs" 320 433 click 1 # "Undo Send"
sleep 1
shot mail-preferences-undo-choices
xdotool key --clearmodifiers Home Return # "Off", the first choice
check "Undo Send is set to Off" until_ok 5 bash -c '[ "$(gsettings get io.github.kontor.Kontor mail-undo-send-delay)" = "uint32 0" ]'
sleep 0.5
xdotool key --clearmodifiers Escape # close the preferences
check "the preferences close" until_ok 10 no_window "Mail Preferences"

direct="Not held $$"
ctl mail compose --to "$email" --subject "$direct" --body "Sent without a pause." >/dev/null
composer=$(wait_for_window "$direct")
sleep 1
focus "$composer"
xdotool key --clearmodifiers ctrl+Return
check "with Undo Send off, Send closes the composer" until_ok 10 no_window "$direct"
not_held() { ctl mail outbox | grep -F "$direct" | cut -f7 | grep -q -x -- -; }
check "... and the message is queued without a hold" until_ok 10 not_held

victim=$(gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
  -m org.freedesktop.DBus.GetConnectionUnixProcessID io.github.kontor.Kontor |
  grep -o '[0-9]\+' | tail -n 1)
[ -n "$victim" ] && kill "$victim" 2>/dev/null
wait "$pid" 2>/dev/null
tap_done
