#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The composer in a real X window against the harness: kontorctl mail compose opens a
# filled composer, Ctrl+Return sends it and the SMTP sink gets it exactly once; a
# composer whose Kontor is killed comes back at the next start from its draft file; a
# mailto: link opens a composer and never attaches the file its attach= names.
# Screenshots are kept in the build folder (tests/screenshots/).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"

# shellcheck source=gui-lib.sh
. "$here/gui-lib.sh"

# The messages the sink got with this subject.
received() { grep -l -F "Subject: $1" "$sink"/*.eml 2>/dev/null | wc -l; }
# The running Kontor, whoever started it (kontorctl may have activated it over D-Bus).
kontor_pid() {
  gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.GetConnectionUnixProcessID io.github.kontor.Kontor |
    grep -o '[0-9]\+' | tail -n 1
}
received_once() { [ "$(received "$1")" = 1 ]; }
drafts_with() { grep -l -F "subject=$1" "$drafts"/* 2>/dev/null | wc -l; }
has_draft() { [ "$(drafts_with "$1")" -ge 1 ]; }
no_draft() { [ "$(drafts_with "$1")" = 0 ]; }
no_window() { ! xdotool search --onlyvisible --name "^$1\$" >/dev/null 2>&1; }

# Started first, so that its messages are in this test's log.
"$KONTOR_BIN" &
pid=$!
win=$(wait_for_window Kontor)
check "the main window opens" [ -n "$win" ]
account=$(add_test_account "Court")
check "the account is added" [ -n "$account" ]
check "the mail syncs" until_ok 60 ctl mail sync "$account"

xdotool windowsize "$win" 1280 800 2>/dev/null
ctl present mail >/dev/null 2>&1
sleep 2

# kontorctl mail compose: a filled composer, sent with Ctrl+Return.
subject="Composer test $$"
ctl mail compose --to "$email" --subject "$subject" \
  --body "Hello from the composer. The agenda follows on Monday." >/dev/null
composer=$(wait_for_window "$subject")
check "kontorctl mail compose opens a composer titled with the subject" [ -n "$composer" ]
sleep 1
shot mail-composer
check "the composer keeps a draft file while it is open" until_ok 10 has_draft "$subject"
xdotool windowactivate --sync "$composer" 2>/dev/null
xdotool windowfocus --sync "$composer" 2>/dev/null
xdotool key --clearmodifiers ctrl+Return
check "Ctrl+Return sends and closes the composer" until_ok 15 no_window "$subject"
sleep 0.5
shot mail-composer-sent-toast
check "the SMTP sink gets the message" until_ok 150 received_once "$subject"
if ! received_once "$subject"; then
  ctl mail outbox 2>&1 | sed 's/^/# outbox: /'
  ls -la "$sink" "$KONTOR_TEST_SERVERS_DIR" 2>&1 | sed 's/^/# /'
fi
sleep 3
check "... exactly once" received_once "$subject"
check "... and the draft file is gone" no_draft "$subject"

# Completion: the address just sent to is offered after two letters.
ctl mail compose --subject "Completion $$" >/dev/null
completion=$(wait_for_window "Completion $$")
check "an empty composer opens" [ -n "$completion" ]
xdotool windowactivate --sync "$completion" 2>/dev/null
xdotool windowfocus --sync "$completion" 2>/dev/null
sleep 0.5
xdotool mousemove --window "$completion" 300 120 click 1
xdotool type --delay 80 "te"
sleep 2
shot mail-composer-completion
xdotool key --clearmodifiers Return
sleep 0.5
xdotool key --clearmodifiers Tab
sleep 4
completed() { grep -q -F "to=test@example.org" "$drafts"/*; }
check "Enter takes the offered address" completed
xdotool key --clearmodifiers Escape
sleep 1
xdotool key --clearmodifiers Tab Return # the dialog's "Discard"
sleep 1

# Reply (Ctrl+R) to the newest message: "Re:" composer, sent with In-Reply-To.
mid=$(newest_message_id "$account")
check "the newest message has a Message-ID" [ -n "$mid" ]
win=$(show_message "$mid")
xdotool key --clearmodifiers ctrl+r
reply=$(wait_for_window_matching "^Re: ")
check "Ctrl+R opens a reply composer" [ -n "$reply" ]
sleep 1
shot mail-composer-reply
xdotool windowactivate --sync "$win" 2>/dev/null
xdotool windowfocus --sync "$win" 2>/dev/null
xdotool key --clearmodifiers ctrl+shift+f
forward=$(wait_for_window_matching "^Fwd: ")
check "Ctrl+Shift+F opens a forward composer" [ -n "$forward" ]
sleep 1
shot mail-composer-forward
xdotool windowactivate --sync "$reply" 2>/dev/null
xdotool windowfocus --sync "$reply" 2>/dev/null
xdotool key --clearmodifiers ctrl+Return
replied() { grep -l -F "In-Reply-To: <$mid>" "$sink"/*.eml >/dev/null 2>&1; }
check "the reply is sent with In-Reply-To" until_ok 60 replied

# An attachment given to kontorctl is sent; a text that mentions one without it warns.
printf 'Quarterly figures\n' >"$HOME/report-$$.txt"
attached="Attached report $$"
ctl mail compose --to "$email" --subject "$attached" --body "The report is attached." \
  --attach "$HOME/report-$$.txt" >/dev/null
composer=$(wait_for_window "$attached")
check "a composer with an attachment opens" [ -n "$composer" ]
sleep 1
shot mail-composer-attachment
xdotool windowactivate --sync "$composer" 2>/dev/null
xdotool windowfocus --sync "$composer" 2>/dev/null
xdotool key --clearmodifiers ctrl+Return
with_file() { grep -l -F "Subject: $attached" "$sink"/*.eml | xargs grep -q "report-$$.txt"; }
check "the message is sent with the file attached" until_ok 60 with_file

forgot="Forgot the file $$"
ctl mail compose --to "$email" --subject "$forgot" --body "Please find the minutes attached." \
  >/dev/null
composer=$(wait_for_window "$forgot")
xdotool windowactivate --sync "$composer" 2>/dev/null
xdotool windowfocus --sync "$composer" 2>/dev/null
xdotool key --clearmodifiers ctrl+Return
sleep 1.5
shot mail-composer-attachment-warning
xdotool key --clearmodifiers Escape # "Cancel", the default
sleep 3
check "a text that mentions an attachment is not sent without asking" \
  bash -c "! grep -l -F 'Subject: $forgot' '$sink'/*.eml"
check "... and the composer stays open" window_shown "$forgot"

# Closing with content asks; "Keep as Draft" (the default) stores it in Drafts.
kept="Kept draft $$"
ctl mail compose --to "$email" --subject "$kept" --body "To be finished later." >/dev/null
composer=$(wait_for_window "$kept")
xdotool windowactivate --sync "$composer" 2>/dev/null
xdotool windowfocus --sync "$composer" 2>/dev/null
xdotool key --clearmodifiers Escape
sleep 1
shot mail-composer-keep
xdotool key --clearmodifiers Return
check "Keep as Draft closes the composer" until_ok 10 no_window "$kept"
in_drafts() {
  local id
  id=$(mail_call Search "'subject:\"$kept\"'" "'$account/Drafts'" | grep -o "'[^']*Drafts:[0-9]*'" |
    head -n 1 | tr -d "'")
  [ -n "$id" ] && mail_call GetMessage "'$id'" | grep -q "'draft'"
}
check "... and the message is in the Drafts folder, flagged as a draft" until_ok 60 in_drafts
check "... and no longer kept on this computer" until_ok 10 no_draft "$kept"

# Mail1.Compose refuses what it does not know, and relative file names.
unknown=$(mail_call Compose "{'subjekt': <'x'>}" 2>&1)
check "Compose with an unknown key is InvalidArgument" grep -q "InvalidArgument" <<<"$unknown"
relative=$(mail_call Compose "{'attachments': <['notes.txt']>}" 2>&1)
check "Compose with a relative attachment is InvalidArgument" grep -q "InvalidArgument" <<<"$relative"

# A composer survives Kontor being killed.
unsent="Unsent draft $$"
ctl mail compose --to "$email" --subject "$unsent" --body "Typed before the crash." >/dev/null
check "a second composer opens" until_ok 15 window_shown "$unsent"
sleep 4
check "its draft is on disk after three seconds" has_draft "$unsent"
victim=$(kontor_pid)
check "Kontor runs" [ -n "$victim" ]
kill -9 "$victim"
wait "$pid" 2>/dev/null
check "kill -9 takes the composer away" until_ok 10 no_window "$unsent"
"$KONTOR_BIN" &
pid=$!
check "after kill -9 and a new start, the composer is restored" until_ok 20 window_shown "$unsent"
sleep 1
shot mail-composer-restored
xdotool windowactivate --sync "$(wait_for_window "$unsent")" 2>/dev/null
sleep 0.5
shot mail-composer-restored-window
check "... from its draft file, which is still there" has_draft "$unsent"

# mailto: opens a composer; attach= is ignored.
ctl open "mailto:$email?subject=Mailto%20check&body=See%20attached&attach=/etc/passwd" \
  >/dev/null 2>&1
check "a mailto: link opens a composer" until_ok 15 window_shown "Mailto check"
check "... whose draft is saved" until_ok 10 has_draft "Mailto check"
mailto_draft=$(grep -l -F "subject=Mailto check" "$drafts"/* | head -n 1)
check "... with no attachment from attach=" \
  bash -c "grep -q '^attachments=\$' '$mailto_draft' && ! grep -q passwd '$mailto_draft'"
xdotool windowactivate --sync "$(wait_for_window "Mailto check")" 2>/dev/null
sleep 0.5
shot mail-composer-mailto

# A composer asked for while Kontor is not running gets its From once the accounts are read.
victim=$(kontor_pid)
[ -n "$victim" ] && kill -9 "$victim" 2>/dev/null
wait "$pid" 2>/dev/null
rm -f "$drafts"/*
until_ok 10 bash -c "! gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
  -m org.freedesktop.DBus.GetNameOwner io.github.kontor.Kontor"
cold="Cold start $$"
ctl mail compose --to "$email" --subject "$cold" >/dev/null
check "kontorctl mail compose starts Kontor with a composer" until_ok 20 window_shown "$cold"
has_from() { grep -q -x "from=$email" "$drafts"/*; }
check "... whose From is the account once it is read" until_ok 20 has_from

victim=$(kontor_pid)
[ -n "$victim" ] && kill "$victim" 2>/dev/null
tap_done
