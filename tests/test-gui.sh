#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The real application in a real X window: keyboard shortcuts, the menu's windows,
# what is remembered across restarts, and the empty state. Screenshots of what a user
# sees are kept in the build folder (tests/screenshots/).
set -u
. "$(dirname "$0")/tap.sh"

shots="$KONTOR_BUILD_DIR/tests/screenshots"
mkdir -p "$shots"

prop() {
  gdbus call --session --dest io.github.kontor.Kontor --object-path /io/github/kontor/Kontor \
    --method org.freedesktop.DBus.Properties.Get io.github.kontor.Shell1 "$1" 2>/dev/null
}
wait_for_window() { # NAME: waits up to 10 s for a visible window with that exact title
  for _ in $(seq 100); do
    xdotool search --onlyvisible --name "^$1\$" 2>/dev/null | head -n 1 | grep . && return 0
    sleep 0.1
  done
  return 1
}
wait_gone() { # PID
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}
key() { # WINDOW KEYS...: focus the window, then type
  # No window manager under Xvfb: focus directly.
  xdotool windowfocus --sync "$1" 2>/dev/null
  shift
  xdotool key --clearmodifiers "$@"
  sleep 0.4
}
shot() { import -window root "$shots/$1.png"; }

"$KONTOR_BIN" &
pid=$!
win=$(wait_for_window Kontor)
check "the main window opens" [ -n "$win" ]
sleep 0.5
expect_eq "the first plugin is shown at first start" "$(prop ActivePlugin)" "(<'alpha'>,)"
shot kontor-window

key "$win" ctrl+2
expect_eq "Ctrl+2 switches to the second plugin" "$(prop ActivePlugin)" "(<'beta'>,)"
key "$win" ctrl+1
expect_eq "Ctrl+1 switches back" "$(prop ActivePlugin)" "(<'alpha'>,)"
key "$win" ctrl+4
expect_eq "Ctrl+4 without a fourth plugin changes nothing" "$(prop ActivePlugin)" "(<'alpha'>,)"

key "$win" ctrl+comma
prefs=$(wait_for_window Preferences)
check "Ctrl+, opens Preferences" [ -n "$prefs" ]
sleep 0.5
shot preferences
key "$prefs" Escape
sleep 0.3
check "Escape closes Preferences" bash -c "! xdotool search --onlyvisible --name '^Preferences\$' >/dev/null"

key "$win" ctrl+shift+question
shortcuts=$(wait_for_window "Keyboard Shortcuts")
check "Ctrl+? opens the keyboard shortcuts" [ -n "$shortcuts" ]
sleep 0.3
shot shortcuts
key "$shortcuts" Escape

# Narrow: the view switcher moves to a bar at the bottom.
xdotool windowsize --sync "$win" 360 640 2>/dev/null || xdotool windowsize "$win" 360 640
sleep 0.8
shot kontor-narrow
xdotool windowsize "$win" 900 600
sleep 0.5

key "$win" ctrl+2
key "$win" ctrl+q
check "Ctrl+Q quits" wait_gone $pid

"$KONTOR_BIN" &
pid=$!
win=$(wait_for_window Kontor)
sleep 0.5
expect_eq "the last plugin is shown again after a restart" "$(prop ActivePlugin)" "(<'beta'>,)"
geometry=$(xdotool getwindowgeometry "$win" | grep Geometry | grep -o '[0-9]*x[0-9]*')
expect_eq "the window size is remembered" "$geometry" "900x600"
key "$win" ctrl+w
check "Ctrl+W closes the window and the application ends" wait_gone $pid

# D-Bus activated without a window, then Present opens one.
"$KONTORCTL_BIN" plugins >/dev/null
check "the D-Bus activated service has no window" bash -c "! xdotool search --onlyvisible --name '^Kontor\$' >/dev/null"
"$KONTORCTL_BIN" present beta
win=$(wait_for_window Kontor)
check "kontorctl present opens the window" [ -n "$win" ]
expect_eq "showing the requested plugin" "$(prop ActivePlugin)" "(<'beta'>,)"
key "$win" ctrl+q

# No plugin at all: the window says so.
sleep 0.5
empty=$(mktemp -d)
KONTOR_PLUGIN_DIR="$empty" "$KONTOR_BIN" &
pid=$!
win=$(wait_for_window Kontor)
sleep 0.8
expect_eq "with no plugin installed no plugin is active" "$(prop ActivePlugin)" "(<''>,)"
expect_eq "and none is listed" "$("$KONTORCTL_BIN" plugins | wc -l)" "0"
shot kontor-no-plugins
key "$win" ctrl+q
wait_gone $pid
rmdir "$empty"

tap_done
