#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Mail page on the demo workspace, as `kontor --demo` opens it: the three panes
# fill from the demo organisation's Dovecot, a click shows a message in the reader and
# marks it read. The screenshots (tests/screenshots/mail-demo*.png) are what a user
# sees on first trying Kontor.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"

shots="$KONTOR_BUILD_DIR/tests/screenshots"
profile="$KONTOR_SESSION_DIR/demo"
mkdir -p "$shots"
launcher=${KONTOR_DEMO_LAUNCHER:-$KONTOR_SOURCE_DIR/src/demo/kontor-demo}
trap '"$launcher" --stop --profile "$profile" >/dev/null 2>&1' EXIT

# The demo sets up its own plugins, libraries and schemas from the build tree.
env -u KONTOR_PLUGIN_DIR -u KONTOR_LIBRARY_DIR -u GSETTINGS_SCHEMA_DIR \
  "$launcher" --profile "$profile" --kontor "$KONTOR_BIN" >"$KONTOR_SESSION_DIR/demo.log" 2>&1 &
win=
for _ in $(seq 180); do
  win=$(xdotool search --onlyvisible --name '^Kontor$' 2>/dev/null | head -n 1) && [ -n "$win" ] && break
  sleep 0.5
done
check "the demo opens Kontor's window" [ -n "$win" ]
xdotool windowsize "$win" 1280 800 2>/dev/null

# kontorctl in the demo's own session (its bus, its profile).
demo_ctl() { (set -a; . "$profile/demo.env"; set +a; "$KONTORCTL_BIN" "$@"); }
listed() { demo_ctl mail list INBOX --limit 1 | grep -q .; }
deadline=$(($(date +%s) + 90))
until listed || [ "$(date +%s)" -gt "$deadline" ]; do sleep 1; done
check "the demo's Inbox is synced" listed
sleep 3
shot() { import -window root "$shots/$1.png"; }
shot mail-demo

# The newest message: the first row of the list.
newest=$(demo_ctl mail list INBOX --limit 1 | cut -f5)
xdotool mousemove --sync 550 125 click 1
read_now() { demo_ctl mail list INBOX --limit 1 | cut -f2 | grep -q '^-'; }
deadline=$(($(date +%s) + 20))
until read_now || [ "$(date +%s)" -gt "$deadline" ]; do sleep 0.5; done
check "a click shows the newest message and marks it read ($newest)" read_now
sleep 1
shot mail-demo-reader
tap_done
