#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Accounts in the real window, driven by the keyboard against the servers of
# tests/servers: the first-run bar and the empty Accounts page without an account; the
# assistant set up by hand, cancelled while it verifies, then a wrong password refused
# (and nothing stored) after the test certificate was trusted in the trust dialog; the
# account added, listed and checked in Preferences, a wrong new password refused, its
# name changed in Edit Settings… and a wrong port refused there (nothing changed), and
# the account removed. Kontor's debug log tells what the window shows; screenshots of
# each step are kept in the build folder (tests/screenshots/accounts-*).
set -u
. "$(dirname "$0")/tap.sh"

shots="$KONTOR_BUILD_DIR/tests/screenshots"
mkdir -p "$shots"
log="$KONTOR_SESSION_DIR/kontor.log"
user="$KONTOR_TEST_USER"
email="$user@$KONTOR_TEST_MAIL_DOMAIN"
host="$KONTOR_TEST_HOST"

wait_for_window() { # TITLE-REGEX: up to 10 s for a visible window with that exact title
  for _ in $(seq 100); do
    xdotool search --onlyvisible --name "^$1\$" 2>/dev/null | head -n 1 | grep . && return 0
    sleep 0.1
  done
  return 1
}
window_shown() { wait_for_window "$1" >/dev/null; }
window_gone() { # TITLE-REGEX [SECONDS]
  for _ in $(seq $((${2:-10} * 10))); do
    xdotool search --onlyvisible --name "^$1\$" >/dev/null 2>&1 || return 0
    sleep 0.1
  done
  return 1
}
assistant_gone() { window_gone "Add Account" && window_gone "Confirm Settings"; }
wait_gone() { # PID
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}
log_count() { grep -cF -- "$1" "$log"; }
wait_log() { # TEXT [COUNT] [SECONDS]: until Kontor's debug log has TEXT COUNT times
  for _ in $(seq $((${3:-20} * 10))); do
    [ "$(log_count "$1")" -ge "${2:-1}" ] && return 0
    sleep 0.1
  done
  return 1
}
focus() { # WINDOW: no window manager under Xvfb, so focus directly
  xdotool windowfocus --sync "$1" 2>/dev/null
  sleep 0.3
}
key() {
  xdotool key --clearmodifiers "$@"
  sleep 0.3
}
type_text() {
  xdotool type --delay 30 -- "$1"
  sleep 0.3
}
shot() { # NAME [WINDOW]
  sleep 0.3
  import -window "${2:-root}" "$shots/accounts-$1.png"
}
activate() { # an app.* action, as a menu or button would
  gdbus call --session --dest io.github.kontor.Kontor --object-path /io/github/kontor/Kontor \
    --method org.gtk.Actions.Activate "$1" "[]" "{}" >/dev/null
}
accounts() { "$KONTORCTL_BIN" accounts list 2>&1 | cut -f2; }
setting() { # KEY: of the first account, as kontorctl --json shows it
  "$KONTORCTL_BIN" --json accounts list 2>&1 |
    python3 -c 'import json, sys; print(json.load(sys.stdin)[0].get(sys.argv[1], ""))' "$1"
}

# manual_setup PASSWORD IMAPS-PORT: in the assistant's first step, the address and
# PASSWORD, then Set Up Manually and the mail servers. The first empty field has the
# focus there, the incoming server; the user names come just before it.
manual_setup() {
  type_text "$email"
  key Tab
  type_text "$1"
  key alt+m
  window_shown "Confirm Settings" || return 1
  key shift+Tab
  type_text "$user"
  key shift+Tab
  type_text "$user"
  key Tab Tab
  type_text "$host"
  key Tab
  type_text "$2"
  key Tab Tab
  type_text "$host"
  key Tab
  type_text "$KONTOR_TEST_SMTP_PORT"
}

G_MESSAGES_DEBUG=kontor-shell "$KONTOR_BIN" >"$log" 2>&1 &
pid=$!
win=$(wait_for_window Kontor)
check "the main window opens" [ -n "$win" ]

# First start: no account.
focus "$win"
check "without an account the window shows the first-run bar" wait_log "First-run bar shown"
shot first-run "$win"

key ctrl+comma
prefs=$(wait_for_window Preferences)
check "Preferences opens" [ -n "$prefs" ]
check "its Accounts page shows the empty state" wait_log "Accounts page shows 0 accounts"
shot empty "$prefs"
focus "$prefs"
key Escape
window_gone Preferences

# The assistant closes with Escape at any point.
activate add-account
assistant=$(wait_for_window "Add Account")
check "app.add-account opens the assistant" [ -n "$assistant" ]
focus "$assistant"
key Escape
check "Escape closes it" window_gone "Add Account"

# A server that never answers: Escape while verifying closes the assistant.
activate add-account
assistant=$(wait_for_window "Add Account")
focus "$assistant"
check "Set Up Manually goes to Confirm Settings" \
  manual_setup "$KONTOR_TEST_PASSWORD" "$KONTOR_TEST_FAULT_TARPIT_PORT"
key Return
check "Add verifies the settings first" wait_log "Assistant step: progress"
shot verifying "$assistant"
key Escape
check "Escape while verifying closes the assistant" assistant_gone
expect_eq "... and nothing is stored" "$(accounts)" ""

# Set up by hand, with a wrong password first.
activate add-account
assistant=$(wait_for_window "Add Account")
focus "$assistant"
type_text "$email"
key Tab
type_text "wrong-$KONTOR_TEST_PASSWORD"
shot start "$assistant"
xdotool windowsize "$assistant" 360 600
shot start-narrow "$assistant"
xdotool windowsize "$assistant" 480 600
key ctrl+a BackSpace shift+Tab ctrl+a BackSpace

manual_setup "wrong-$KONTOR_TEST_PASSWORD" "$KONTOR_TEST_IMAPS_PORT"
# STARTTLS is the default for outgoing mail; then Calendars: its row, its switch.
key Tab Tab Tab
key space
type_text "$KONTOR_TEST_DAV_BASE$user/"
key Tab Tab
key space
type_text "$KONTOR_TEST_DAV_BASE$user/"
xdotool windowsize "$assistant" 480 790
shot confirm "$assistant"
xdotool windowsize "$assistant" 360 600
shot confirm-narrow "$assistant"
xdotool windowsize "$assistant" 480 600

key Return
trust=$(wait_for_window "Trust This Certificate\\?")
check "the test certificate is not trusted silently: the trust dialog asks" [ -n "$trust" ]
check "... showing its SHA-256 fingerprint" grep -qF "SHA-256 $KONTOR_TEST_CA_CERT_SHA256" "$log"
shot trust "$trust"
focus "$trust"
key alt+t

check "the wrong password is refused with AuthFailed" wait_log "Error.AuthFailed" 1 40
check "... and the assistant stays on Confirm Settings" window_shown "Confirm Settings"
shot auth-failed "$assistant"
expect_eq "nothing was stored" "$(accounts)" ""

# The password field has the focus, marked; the certificate stays trusted.
focus "$assistant"
key ctrl+a
type_text "$KONTOR_TEST_PASSWORD"
key Return
check "with the right password the account is added" wait_log "Added the account" 1 40
check "... and the assistant closes" assistant_gone
expect_eq "kontorctl lists the account" "$(accounts)" "$email"
expect_eq "... with mail, calendars and contacts" \
  "$("$KONTORCTL_BIN" accounts list | cut -f3)" "mail,calendar,contacts"
check "the first-run bar goes away" wait_log "First-run bar hidden"
shot added "$win"

focus "$win"
key ctrl+comma
prefs=$(wait_for_window Preferences)
check "the Accounts page lists it" wait_log "Accounts page shows 1 accounts"
# Past the page switcher to the account's row, open it, and down its rows (mail,
# calendars, contacts, Edit Settings…, Re-enter Password…) to Check Connection.
focus "$prefs"
key Tab Tab Return
xdotool windowsize "$prefs" 640 790
key Down Down Down Down Down Down Return
check "Check Connection verifies every service" wait_log "Connection check of" 1 30
check "... and all of them work" grep -qF "imap ok, smtp ok, caldav ok, carddav ok" "$log"
shot listed "$prefs"

key Up Return
pw=$(wait_for_window "Re-enter Password")
check "Re-enter Password… asks for the new password" [ -n "$pw" ]
focus "$pw"
type_text "wrong-$KONTOR_TEST_PASSWORD"
key Return
check "... and refuses a wrong one (AuthFailed), shown in the dialog" \
  wait_log "Changing the password failed (io.github.kontor.Error.AuthFailed)" 1 30
shot password-refused "$pw"
key Escape
check "Escape closes the password dialog" window_gone "Re-enter Password"

# Edit Settings…, just above Re-enter Password…: it opens on the stored settings with
# the account name focused, and saves a new one.
focus "$prefs"
key Up Return
edit=$(wait_for_window "Edit Account")
check "Edit Settings… opens the assistant to edit the account" [ -n "$edit" ]
check "... over Preferences" wait_log "over KontorPreferencesWindow"
focus "$edit"
key ctrl+a
type_text "Work Mail"
xdotool windowsize "$edit" 480 790
shot edit "$edit"
xdotool windowsize "$edit" 480 600
key Return
check "Save verifies and changes the account" wait_log "Changed the account" 1 40
check "... and the assistant closes" window_gone "Edit Account"
expect_eq "kontorctl shows the new name" "$(setting display-name)" "Work Mail"
expect_eq "... and the old port" "$(setting imap-port)" "$KONTOR_TEST_IMAPS_PORT"
shot edited "$prefs"

# A port nothing listens on: refused, the port marked, nothing stored. From the
# account name past the password and its show button, the name and user names and
# the incoming server.
focus "$prefs"
key Return
edit=$(wait_for_window "Edit Account")
check "Edit Settings… opens again" [ -n "$edit" ]
focus "$edit"
key Tab Tab Tab Tab Tab Tab Tab
key ctrl+a
type_text "$KONTOR_TEST_CLOSED_PORT"
key Return
check "a closed port is refused with ConnectionRefused" \
  wait_log "Changing the account failed (io.github.kontor.Error.ConnectionRefused)" 1 40
check "... the port is marked" wait_log "Marked the field imap_port_row"
check "... and the assistant stays open" window_shown "Edit Account"
xdotool windowsize "$edit" 480 790
shot edit-error "$edit"
expect_eq "the stored port is unchanged" "$(setting imap-port)" "$KONTOR_TEST_IMAPS_PORT"
expect_eq "... and so is the name" "$(setting display-name)" "Work Mail"
key Escape
check "Escape closes it without saving" window_gone "Edit Account"

# Down to Re-enter Password…, past Check Connection and its four results, then on to
# Remove Account….
focus "$prefs"
key Down Down Down Down Down Down Tab Return
remove=$(wait_for_window "Remove Account")
check "Remove Account… asks first" [ -n "$remove" ]
shot remove "$remove"
focus "$remove"
key alt+r
check "the account is removed" wait_log "Accounts page shows 0 accounts" 2 30
expect_eq "... and kontorctl lists none" "$(accounts)" ""
check "the first-run bar is back" wait_log "First-run bar shown" 2
focus "$prefs"
key Escape

focus "$win"
key ctrl+q
check "Kontor quits" wait_gone $pid
# Kept beside the screenshots, to read when a step failed.
cp "$log" "$shots/accounts-kontor.log"

tap_done
