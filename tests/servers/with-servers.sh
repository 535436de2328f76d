#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command with the test servers up and their KONTOR_TEST_* variables exported;
# the servers (and with --keyring a gnome-keyring on the session bus) are always stopped.
#
#   with-servers.sh [--keyring] [kontor-test-servers start options] -- COMMAND [ARGS...]
#
# The servers live in $KONTOR_SESSION_DIR/servers (under session-wrapper.sh) or in a
# temporary folder that is removed afterwards.
# shellcheck disable=SC2317  # keyring_stop and cleanup run from the EXIT trap
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cli="$here/kontor-test-servers"

keyring=0
start_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keyring) keyring=1; shift ;;
    --) shift; break ;;
    *) start_args+=("$1"); shift ;;
  esac
done
if [ $# = 0 ]; then
  echo "usage: with-servers.sh [--keyring] [start options] -- COMMAND [ARGS...]" >&2
  exit 2
fi

own_dir=0
if [ -n "${KONTOR_SESSION_DIR:-}" ]; then
  dir="$KONTOR_SESSION_DIR/servers"
else
  dir=$(mktemp -d "${TMPDIR:-/tmp}/kontor-servers.XXXXXX")
  own_dir=1
fi

keyring_pid=
started=0

keyring_start() {
  if [ -z "${KONTOR_SESSION_DIR:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    echo "with-servers.sh: --keyring needs the private session bus of session-wrapper.sh" >&2
    return 1
  fi
  # An unlocked login keyring (password on stdin) serving org.freedesktop.secrets.
  printf '%s' "${KONTOR_TEST_KEYRING_PASSWORD:-kontor}" |
    gnome-keyring-daemon --unlock --daemonize --components=secrets \
      >"$dir/logs/gnome-keyring.log" 2>&1 || return 1
  gdbus wait --session --timeout 10 org.freedesktop.secrets || return 1
  keyring_pid=$(gdbus call --session --dest org.freedesktop.DBus \
    --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets |
    awk '{ gsub(/[^0-9 ]/, ""); print $2 }')
  [ -n "$keyring_pid" ]
}

keyring_stop() {
  [ -n "$keyring_pid" ] || return 0
  kill "$keyring_pid" 2>/dev/null
  for _ in $(seq 60); do
    kill -0 "$keyring_pid" 2>/dev/null || break
    [ "$(sed 's/.*) //' "/proc/$keyring_pid/stat" 2>/dev/null | cut -d' ' -f1)" = Z ] && break
    sleep 0.05
  done
  kill -9 "$keyring_pid" 2>/dev/null
  keyring_pid=
}

cleanup() {
  keyring_stop
  [ "$started" = 1 ] && "$cli" stop "$dir"
  [ "$own_dir" = 1 ] && rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=1
if ! "$cli" start "$dir" --watch $$ "${start_args[@]}"; then
  echo "with-servers.sh: the test servers did not start" >&2
  exit 1
fi
set -a
# shellcheck disable=SC1091
. "$dir/servers.env"
set +a

if [ "$keyring" = 1 ] && ! keyring_start; then
  echo "with-servers.sh: gnome-keyring did not start" >&2
  exit 1
fi

"$@"
status=$?
exit $status
