# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# What the Mail GUI tests share: kontorctl and Mail1 calls, waiting for a window by its
# title, screenshots (into the build folder's tests/screenshots) and retrying a check;
# adding the test account and showing a message.

shots="$KONTOR_BUILD_DIR/tests/screenshots"
# The test user's address, Kontor's draft files and the SMTP sink's folder.
email="${KONTOR_TEST_USER:-}@${KONTOR_TEST_MAIL_DOMAIN:-}"
drafts="$XDG_DATA_HOME/kontor/mail/drafts"
sink="${KONTOR_TEST_SMTP_DIR:-}"
mkdir -p "$shots"

ctl() { "$KONTORCTL_BIN" "$@"; }
mail_call() {
  gdbus call --session -d io.github.kontor.Kontor -o /io/github/kontor/Kontor \
    -m "io.github.kontor.Mail1.$1" "${@:2}" -t 120
}
# wait_for_window_matching REGEX: up to 15 s for a visible window whose title matches;
# prints its id
wait_for_window_matching() {
  for _ in $(seq 150); do
    xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n 1 | grep . && return 0
    sleep 0.1
  done
  return 1
}
# wait_for_window NAME: the same for a window with that exact title
wait_for_window() { wait_for_window_matching "^$1\$"; }
window_shown() { wait_for_window "$1" >/dev/null; } # for checks: TAP output only
shot() { import -window root "$shots/$1.png"; }
# until_ok SECONDS COMMAND...: retries COMMAND every half second
until_ok() {
  local deadline=$(($(date +%s) + $1))
  shift
  while [ "$(date +%s)" -lt "$deadline" ]; do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}
# add_test_account DISPLAY-NAME [SMTP-PORT [OPTION...]]: adds the test user's account on
# the test servers (SMTP on the sink unless SMTP-PORT is given; more kontorctl options
# after it), prints its id; why it failed goes to the standard error as TAP comments.
add_test_account() {
  local err="$KONTOR_SESSION_DIR/accounts-add.err"
  printf '%s\n' "$KONTOR_TEST_PASSWORD" | ctl accounts add \
    "$KONTOR_TEST_USER@$KONTOR_TEST_MAIL_DOMAIN" --display-name "$1" \
    --username "$KONTOR_TEST_USER" --imap-host "$KONTOR_TEST_HOST" \
    --imap-port "$KONTOR_TEST_IMAPS_PORT" --imap-security tls --smtp-host "$KONTOR_TEST_HOST" \
    --smtp-port "${2:-$KONTOR_TEST_SMTP_PORT}" --smtp-security starttls \
    --trusted-certificate "$KONTOR_TEST_CA_CERT" "${@:3}" 2>"$err" ||
    sed 's/^/# /' "$err" >&2
}
# newest_message_id ACCOUNT: the Message-ID of the newest message in its Inbox, without <>
newest_message_id() {
  local newest
  newest=$(mail_call ListMessages "'$1/INBOX'" 0 1 | grep -o "'id': <'[^']*'>" | head -n 1 |
    sed "s/'id': <'\\(.*\\)'>/\\1/")
  mail_call GetMessage "'$newest'" | grep -o "'message-id': <'[^']*'>" |
    sed "s/'message-id': <'<*\\([^<>]*\\)>*'>/\\1/"
}
# show_message MESSAGE-ID: shows the message in the main window, which gets the focus;
# prints the window's id
show_message() {
  local win
  ctl open "mid:$1" >/dev/null 2>&1
  sleep 2
  win=$(wait_for_window Kontor)
  xdotool windowactivate --sync "$win" 2>/dev/null
  xdotool windowfocus --sync "$win" 2>/dev/null
  echo "$win"
}
