#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Mail offline and recovery, end to end: Kontor (the D-Bus service, started here so its
# log is kept) against the real Dovecot of tests/servers, whose INBOX the harness seeded
# (--seed-mail USER:INBOX:200). Kontor's IMAP goes through imap_proxy.py, which can slow
# the connection down and cut it; a second IMAP client checks the server.
#
#  1. the seeded account syncs: counts, order and messages as on the server;
#  2. flags, moves and a delete made offline leave the server alone (no connection at
#     all), survive a restart of Kontor, reach the server once when back online, and a
#     second sync repeats none; a Delete that D-Bus-starts Kontor goes to the Trash too;
#  3. a sync whose connections drop midway (cut by the network, or the server kicks the
#     user) resumes without duplicates; a sync longer than the service's inactivity
#     timeout is answered, and Mail1 calls alone keep the service up;
#  4. a corrupted local cache (the Camel summary database) is rebuilt from the server.
#
# Between calls a keep-alive (a Shell1 call every 3 s, which holds the application)
# stands for a user of the app, so that the service's inactivity timeout (10 s after
# the last call, GApplication's design) does not end it between two steps. The Kontor
# started here must run until the test stops it: each phase ends with a test point on
# that ("ran throughout"), as a Kontor that quits early is D-Bus-started again by the
# next call and the test would go on against another process.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"

work="$KONTOR_SESSION_DIR/mail-offline"
mkdir -p "$work"
applog="$work/kontor.log"
py() { /usr/bin/python3 "$here/mail_offline.py" "$@"; }
# running_pid: the pid of the Kontor on the bus, or nothing.
running_pid() { py app-pid 2>/dev/null | grep -x '[0-9][0-9]*'; }

app_pid=
keep_alive_pid=
proxy_pid=
cleanup() {
  [ -n "$keep_alive_pid" ] && kill "$keep_alive_pid" 2>/dev/null
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null
}
trap cleanup EXIT

# ------------------------------------------------------------------ the proxy
export PROXY_CONTROL="$work/proxy.sock"
/usr/bin/python3 "$here/imap_proxy.py" "$work/proxy.port" "$PROXY_CONTROL" "$KONTOR_TEST_HOST" \
  "$KONTOR_TEST_IMAPS_PORT" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 100); do
  [ -s "$work/proxy.port" ] && break
  sleep 0.05
done
proxy_port=$(cat "$work/proxy.port" 2>/dev/null)
if [ -z "$proxy_port" ]; then
  echo "Bail out! the IMAP proxy did not start: $(cat "$work/proxy.log")"
  exit 1
fi

# ------------------------------------------------------------------ Kontor
# start_app: Kontor as D-Bus would start it, but from here, so its log is kept and its
# exit status seen; returns once Mail1 is there. Another Kontor on the bus (one that a
# call D-Bus-started) would keep this one from registering: it is stopped first.
start_app() {
  local other
  other=$(running_pid)
  if [ -n "$other" ]; then
    echo "# Kontor $other, started by D-Bus, was running; stopped before starting one here"
    py stop-app
  fi
  echo "--- start $(date +%T.%N)" >>"$applog"
  "$KONTOR_BIN" --gapplication-service >>"$applog" 2>&1 &
  app_pid=$!
  gdbus wait --session --timeout 20 io.github.kontor.Kontor || echo "# Kontor did not get its bus name"
  py wait-mail1 30
  start_keep_alive
}

start_keep_alive() {
  /usr/bin/python3 "$here/mail_offline.py" keep-alive &
  keep_alive_pid=$!
}

stop_keep_alive() {
  [ -n "$keep_alive_pid" ] && kill "$keep_alive_pid" 2>/dev/null && wait "$keep_alive_pid" 2>/dev/null
  keep_alive_pid=
}

# app_ended_well DESCRIPTION: one test point after Kontor ended: it exited by itself
# or on SIGTERM, with no crash.
app_ended_well() {
  wait "$app_pid" 2>/dev/null
  local status=$?
  if [ "$status" = 0 ] || [ "$status" = 143 ]; then
    ok "$1"
  else
    not_ok "$1"
    echo "# Kontor $app_pid exited with status $status"
  fi
  app_pid=
}

# stop_app DESCRIPTION: SIGTERM to Kontor; a test point: it was still the one started
# here (it did not quit or crash meanwhile) and it ends cleanly.
stop_app() {
  local running
  stop_keep_alive
  running=$(running_pid)
  py stop-app
  if [ "$running" != "$app_pid" ]; then
    not_ok "$1: Kontor ran throughout and quits on SIGTERM"
    echo "# started as $app_pid, running as ${running:-nothing}"
    kill "$app_pid" 2>/dev/null
    wait "$app_pid" 2>/dev/null
    echo "# Kontor $app_pid had exited with status $?"
    app_pid=
  else
    app_ended_well "$1: Kontor ran throughout and quits on SIGTERM"
  fi
}

# offline_choice_stored VALUE: whether SetWorkOffline over D-Bus stored the choice in
# GSettings; if not, stores it, so the rest still tests what a restart keeps.
offline_choice_stored() {
  local stored
  stored=$(gsettings get io.github.kontor.Kontor mail-work-offline 2>&1)
  if [ "$stored" != "$1" ]; then
    echo "# mail-work-offline is $stored after SetWorkOffline($1); set by the test instead"
    gsettings set io.github.kontor.Kontor mail-work-offline "$1"
    return 1
  fi
}

check "a Mail1 call that D-Bus-starts Kontor is answered" py first-call
py stop-app
start_app
account=$(py add-account "$proxy_port")
check "the account is added" [ -n "$account" ]
if [ -z "$account" ]; then
  tap_done
  exit 1
fi

# ------------------------------------------------------------------ 1. first sync
check "Sync of the seeded account" py sync
check "ListFolders: INBOX has 200 messages and the server's unread count" py folder-counts INBOX 200
check "ListMessages: 200 ids, newest first" py newest-first INBOX 200
check "ListMessages: exactly the server's messages, with their subjects" py same-as-server INBOX

# ------------------------------------------------------------------ 2. offline changes
check "CreateFolder makes Kept on the server" py create-folder Kept
check "... and a sync lists it" py sync
check "three messages to flag, two to move and two to delete are picked" py pick
check "SetWorkOffline(true)" py set-offline true
py proxy-mark
check "... and WorkOffline is true" py work-offline true
check "... and the choice is stored (GSettings mail-work-offline)" offline_choice_stored true
check "offline: Sync and CreateFolder fail with io.github.kontor.Error.Offline" py offline-errors
check "offline: SetFlags adds flagged and seen to three messages" py set-flags
check "offline: Move of two messages to Kept" py move
check "offline: Delete of one message" py delete
check "offline: the server is unchanged" py server-unchanged
check "offline: INBOX no longer lists the moved and deleted ones, shows the new flags" py hidden
check "offline: the three moves (two to Kept, one to the Trash) wait in the journal" py journal

stop_app "offline changes"
check "the journal survives the restart" py journal
# As a script's first call would: Kontor is not running, the Delete starts it.
check "offline: a Delete that D-Bus-starts Kontor is answered" py delete-activating
check "... and moves the message to the Trash through the journal too" py journal
py stop-app
start_app
check "after the restart: WorkOffline is still true" py work-offline true
check "after the restart: ListFolders still lists INBOX, Kept and Trash (the local copy)" \
  py folders-listed INBOX Kept Trash
check "after the restart: INBOX still hides the moved and deleted ones, keeps the flags" py hidden
check "after the restart: the server is still unchanged" py server-unchanged
check "offline, restarts included: no connection was made to the server" \
  py no-connections-since-mark

check "SetWorkOffline(false)" py set-offline false
check "... and WorkOffline is false" py work-offline false
offline_choice_stored false # the same check as above
check "Sync sends the changes" py sync
check "... and empties the journal" py wait-journal-empty 30
check "the server has the flags, each moved message once in Kept, the deleted ones in Trash" \
  py server-applied
for folder in INBOX Kept Trash; do
  check "$folder lists exactly the server's messages" py same-as-server "$folder"
done
check "a second Sync" py sync
check "... repeats nothing on the server" py server-applied
for folder in INBOX Kept Trash; do
  check "... nor in the $folder list" py same-as-server "$folder"
done

# ------------------------------------------------------------------ 3. dropped connections
# Folders Kontor has not seen yet; the proxy slows the sync down so the drop lands midway.
check "3000 messages are seeded into Big" py seed Big 3000
check "a Sync whose connections the network cuts midway (reset)" py sync-dropped Big cut 400000
check "the next Sync succeeds" py sync
check "Big lists exactly the server's messages, none twice" py same-as-server Big
check "... and so does INBOX" py same-as-server INBOX
check "3000 messages are seeded into Big2" py seed Big2 3000
check "a Sync whose connection the server drops midway (doveadm kick)" \
  py sync-dropped Big2 kick 400000
check "the next Sync succeeds" py sync
check "Big2 lists exactly the server's messages, none twice" py same-as-server Big2
check "... and Big still does" py same-as-server Big
stop_app "dropped connections"

# ------------------------------------------------------------------ the inactivity timeout
# No keep-alive here: the Sync call alone must keep the service up, then ListFolders
# calls alone.
start_app
check "200 messages are seeded into Slow" py seed Slow 200
stop_keep_alive
check "a Sync longer than the service's inactivity timeout is answered" py long-sync 12000
check "ListFolders calls alone keep Kontor up (one every 3 s for 14 s)" py calls-keep-alive 14
if [ "$(running_pid)" != "$app_pid" ]; then
  # Reported by the checks above; the rest goes on with a Kontor started here.
  kill "$app_pid" 2>/dev/null
  wait "$app_pid" 2>/dev/null
  echo "# Kontor $app_pid had exited with status $?"
  start_app
else
  start_keep_alive
fi
check "the next Sync succeeds" py sync
check "Slow lists exactly the server's messages" py same-as-server Slow
stop_app "inactivity timeout"

# ------------------------------------------------------------------ 4. corrupted cache
check "the Camel summary database is overwritten with garbage" py corrupt-cache
start_app
check "with a corrupted cache: Sync" py sync
check "... INBOX lists exactly the server's messages, with their subjects" py same-as-server INBOX
check "... and so does Big" py same-as-server Big
stop_app "corrupted cache"

# Camel's own warning when it replaces a corrupt database is expected; nothing else.
problems=$(grep -E 'CRITICAL|WARNING|ERROR|Segmentation|Aborted|core dumped|double free|AddressSanitizer' "$applog" |
             grep -vE "camel_db_new: Failed to open '.*/folders.db', renamed old file to .corrupt")
expect_eq "Kontor logged no warning, critical or crash" "$problems" ""
sed 's/^/# log: /' "$applog" | grep -v -- '--- start' | head -n 40
# Kept beside the screenshots for a look after a failure.
mkdir -p "$KONTOR_BUILD_DIR/tests/logs" && cp "$applog" "$KONTOR_BUILD_DIR/tests/logs/mail-offline-kontor.log"

tap_done
