#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test in an isolated session: its own HOME and XDG folders, a private D-Bus
# session bus that can activate the build tree's Kontor, and with --x11 an Xvfb.
# Everything it started is stopped on exit, also when the test fails.
#
#   session-wrapper.sh [--x11] -- COMMAND [ARGS...]
set -u

x11=0
while [ $# -gt 0 ]; do
  case "$1" in
    --x11) x11=1; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done

: "${KONTOR_BIN:?KONTOR_BIN must name the kontor binary}"
base=$(mktemp -d "${TMPDIR:-/tmp}/kontor-session.XXXXXX")
export KONTOR_SESSION_DIR="$base"
export HOME="$base/home" XDG_CONFIG_HOME="$base/config" XDG_DATA_HOME="$base/data" \
       XDG_CACHE_HOME="$base/cache" XDG_RUNTIME_DIR="$base/runtime" XDG_STATE_HOME="$base/state"
export GSETTINGS_BACKEND=keyfile GIO_USE_VFS=local NO_AT_BRIDGE=1 GTK_A11Y=none
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" \
         "$XDG_STATE_HOME" "$base/services"
chmod 700 "$XDG_RUNTIME_DIR"

cat > "$base/services/io.github.kontor.Kontor.service" <<SERVICE
[D-BUS Service]
Name=io.github.kontor.Kontor
Exec=$KONTOR_BIN --gapplication-service
SERVICE

cat > "$base/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$XDG_RUNTIME_DIR/bus</listen>
  <servicedir>$base/services</servicedir>
  <standard_session_servicedirs/>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

xvfb_pid=
bus_pid=

bus_names_pids() {
  # The pid of every connection on the private bus but the bus itself.
  for name in $(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
                  --method org.freedesktop.DBus.ListNames 2>/dev/null | grep -o "':[0-9.]*'" | tr -d "'"); do
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.GetConnectionUnixProcessID "$name" 2>/dev/null |
      awk '{ gsub(/[^0-9 ]/, ""); print $2 }'
  done | sort -u
}

cleanup() {
  if [ -n "$bus_pid" ]; then
    pids=$(bus_names_pids | grep -vx "$$" || true)
    [ -n "$pids" ] && kill $pids 2>/dev/null
    kill "$bus_pid" 2>/dev/null
  fi
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  sleep 0.2
  [ -n "${pids:-}" ] && kill -9 $pids 2>/dev/null
  rm -rf "$base"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$x11" = 1 ]; then
  exec 5<> "$base/display"
  Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp -auth /dev/null >"$base/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 100); do
    [ -s "$base/display" ] && break
    sleep 0.05
  done
  export DISPLAY=":$(head -n 1 "$base/display")"
  export GDK_BACKEND=x11
fi

dbus-daemon --config-file="$base/session.conf" --fork --print-pid=4 --print-address=3 \
  3>"$base/bus-address" 4>"$base/bus-pid"
bus_pid=$(cat "$base/bus-pid")
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$base/bus-address")
export DBUS_SESSION_BUS_ADDRESS

"$@"
status=$?
exit $status
