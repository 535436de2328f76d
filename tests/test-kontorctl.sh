#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kontorctl against the real application, D-Bus activated on a private bus with the
# test plugins: what a script sees (output, JSON, exit status, named errors).
set -u
. "$(dirname "$0")/tap.sh"

ctl() { "$KONTORCTL_BIN" "$@"; }
prop() {
  gdbus call --session --dest io.github.kontor.Kontor --object-path /io/github/kontor/Kontor \
    --method org.freedesktop.DBus.Properties.Get io.github.kontor.Shell1 "$1"
}
last_opened() {
  gdbus call --session --dest io.github.kontor.Kontor --object-path "/io/github/kontor/Kontor/test/$1" \
    --method org.freedesktop.DBus.Properties.Get io.github.kontor.Test1 "LastOpened$2"
}

out=$(ctl plugins 2>"$KONTOR_SESSION_DIR/err")
check "plugins exits 0 (Kontor started by D-Bus activation)" [ $? = 0 ]
expect_eq "plugins lists every plugin in display order" "$(echo "$out" | cut -f1,3 | tr '\t\n' ' ;')" \
  "alpha loaded;beta loaded;broken failed;"
check "a failed plugin's line says why" grep -q "refuses to load" <<<"$out"

json=$(ctl --json plugins)
check "--json prints valid JSON" python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[2]["id"]=="broken" and d[2]["state"]=="failed" and "refuses" in d[2]["error"], d' <<<"$json"

expect_eq "version matches the Version property" "$(ctl version | head -n 1)" "Kontor $(prop Version | grep -o "[0-9][0-9.]*[0-9]")"

check "present beta exits 0" ctl present beta
expect_eq "ActivePlugin is beta" "$(prop ActivePlugin)" "(<'beta'>,)"

ctl present nosuch 2>"$KONTOR_SESSION_DIR/err"
expect_eq "present of an unknown plugin exits 1" "$?" 1
check "... with io.github.kontor.Error.NotFound" grep -q "io.github.kontor.Error.NotFound" "$KONTOR_SESSION_DIR/err"

check "open a URI of alpha's scheme" ctl open kontor-test-alpha:hello
expect_eq "the plugin got the URI" "$(last_opened alpha Alpha)" "(<'kontor-test-alpha:hello'>,)"
expect_eq "and is shown" "$(prop ActivePlugin)" "(<'alpha'>,)"

check "open mailto: goes to beta" ctl open "mailto:someone@example.org?subject=Hi"
expect_eq "beta got it" "$(last_opened beta Beta)" "(<'mailto:someone@example.org?subject=Hi'>,)"

mkdir -p "$KONTOR_SESSION_DIR/files"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n' >"$KONTOR_SESSION_DIR/files/meeting.ics"
(cd "$KONTOR_SESSION_DIR/files" && ctl open meeting.ics)
check "open a relative file name" [ $? = 0 ]
expect_eq "it arrives as an absolute file URI, routed by MIME type" "$(last_opened alpha Alpha)" \
  "(<'file://$KONTOR_SESSION_DIR/files/meeting.ics'>,)"

# What a plugin hands on (a mail attachment's private copy) goes through app.open-file.
cp "$KONTOR_SESSION_DIR/files/meeting.ics" "$KONTOR_SESSION_DIR/files/attached.ics"
gdbus call --session --dest io.github.kontor.Kontor --object-path /io/github/kontor/Kontor \
  --method org.gtk.Actions.Activate open-file "[<'file://$KONTOR_SESSION_DIR/files/attached.ics'>]" \
  '{}' >/dev/null
check "app.open-file is an action of the application" [ $? = 0 ]
sleep 0.5
expect_eq "it routes a file by type to the plugin that opens it" "$(last_opened alpha Alpha)" \
  "(<'file://$KONTOR_SESSION_DIR/files/attached.ics'>,)"

ctl open https://example.org/ 2>"$KONTOR_SESSION_DIR/err"
expect_eq "a URI no plugin opens exits 1" "$?" 1
check "... with io.github.kontor.Error.NotSupported" grep -q "Error.NotSupported" "$KONTOR_SESSION_DIR/err"

ctl open /nonexistent/meeting.ics 2>"$KONTOR_SESSION_DIR/err"
check "a missing file is NotFound" grep -q "Error.NotFound" "$KONTOR_SESSION_DIR/err"

check "plugins disable alpha" ctl plugins disable alpha
expect_eq "alpha is disabled" "$(ctl plugins | grep ^alpha | cut -f3)" "disabled"
ctl present alpha 2>"$KONTOR_SESSION_DIR/err"
check "a disabled plugin cannot be presented (PluginUnavailable)" grep -q "Error.PluginUnavailable" "$KONTOR_SESSION_DIR/err"
check "plugins enable alpha" ctl plugins enable alpha
expect_eq "alpha is loaded again" "$(ctl plugins | grep ^alpha | cut -f3)" "loaded"
ctl plugins enable broken 2>"$KONTOR_SESSION_DIR/err"
expect_eq "enabling a plugin that fails exits 1" "$?" 1
check "... and says why" grep -q "refuses to load" "$KONTOR_SESSION_DIR/err"

# A second "kontor URI" hands the URI to the running instance.
"$KONTOR_BIN" "kontor-test-alpha:from-command-line"
check "kontor URI on the command line exits 0" [ $? = 0 ]
expect_eq "the running instance opened it" "$(last_opened alpha Alpha)" "(<'kontor-test-alpha:from-command-line'>,)"

ctl frobnicate 2>/dev/null
expect_eq "an unknown command exits 2" "$?" 2
ctl present a b 2>/dev/null
expect_eq "too many arguments exit 2" "$?" 2
check "every command has --help" bash -c "for c in plugins open present version; do \"$KONTORCTL_BIN\" \$c --help | grep -q Usage: || exit 1; done"
check "--help lists the commands" bash -c "\"$KONTORCTL_BIN\" --help | grep -q present"

expect_eq "kontor --demo hands over to the demo launcher with this kontor" \
  "$(KONTOR_DEMO_LAUNCHER=/bin/echo "$KONTOR_BIN" --demo)" "--kontor $(readlink -f "$KONTOR_BIN")"
KONTOR_DEMO_LAUNCHER=/nonexistent/kontor-demo "$KONTOR_BIN" --demo 2>/dev/null
expect_eq "a missing demo launcher is an error, not a crash" "$?" 1

DBUS_SESSION_BUS_ADDRESS="unix:path=$KONTOR_SESSION_DIR/no-such-bus" ctl plugins 2>/dev/null
expect_eq "no session bus exits 3" "$?" 3

tap_done
