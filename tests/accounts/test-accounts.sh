#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Accounts end to end: kontorctl -> Accounts1 in the D-Bus activated Kontor -> EDS
# registry and keyring, against the real servers of tests/servers. What a script sees,
# what a second EDS client sees, and that no password lands in a file.
set -u
. "$(dirname "$0")/../tap.sh"

ctl() { "$KONTORCTL_BIN" "$@"; }
err="$KONTOR_SESSION_DIR/err"
pass="$KONTOR_TEST_PASSWORD"
host="$KONTOR_TEST_HOST"
email="$KONTOR_TEST_USER@$KONTOR_TEST_MAIL_DOMAIN"

# The options of a complete account, servers given by hand (no discovery here).
opts=(--display-name "Test Account" --username "$KONTOR_TEST_USER" \
    --imap-host "$host" --imap-port "$KONTOR_TEST_IMAPS_PORT" --imap-security tls \
    --smtp-host "$host" --smtp-port "$KONTOR_TEST_SMTP_PORT" --smtp-security starttls \
    --caldav-url "$KONTOR_TEST_DAV_BASE$KONTOR_TEST_USER/" --carddav-url "$KONTOR_TEST_DAV_BASE$KONTOR_TEST_USER/" \
    --webdav-url "$KONTOR_TEST_WEBDAV_URL" --dav-username "$KONTOR_TEST_USER")

# add_expecting NAME DESCRIPTION PASSWORD ARGS...: an Add that must fail with that error.
add_expecting() {
  local name=$1 description=$2 password=$3
  shift 3
  printf '%s\n' "$password" | ctl accounts add "$@" >/dev/null 2>"$err"
  local status=$?
  if [ $status = 1 ] && grep -q "io.github.kontor.Error.$name" "$err"; then
    ok "$description ($name)"
  else
    not_ok "$description ($name)"
    echo "# exit $status: $(cat "$err")"
  fi
}

expect_eq "no account at first" "$(ctl accounts list)" ""

# Faults first: nothing may be stored by a failed Add.
add_expecting AuthFailed "a wrong password is refused" "wrong-$pass" "$email" "${opts[@]}" \
  --trusted-certificate "$KONTOR_TEST_CA_CERT"
add_expecting CertificateUntrusted "a self-signed certificate is not accepted silently" "$pass" "$email" \
  "${opts[@]}"
check "... and the message shows the certificate's SHA-256" grep -q "$KONTOR_TEST_CA_CERT_SHA256" "$err"
add_expecting ConnectionRefused "a closed port" "$pass" "$email" "${opts[@]}" \
  --imap-port "$KONTOR_TEST_CLOSED_PORT" --trusted-certificate "$KONTOR_TEST_CA_CERT"
add_expecting TlsRequired "a server that strips STARTTLS never gets the password in plain text" "$pass" \
  "$email" "${opts[@]}" --imap-port "$KONTOR_TEST_FAULT_IMAP_STRIP_STARTTLS_PORT" \
  --imap-security starttls --trusted-certificate "$KONTOR_TEST_CA_CERT"
add_expecting TlsRequired "plain text to a remote host is refused before connecting" "$pass" "$email" \
  "${opts[@]}" --imap-host mail.example.org --imap-security none
add_expecting HostNotFound "an unknown host" "$pass" "$email" "${opts[@]}" \
  --imap-host nonexistent.invalid --trusted-certificate "$KONTOR_TEST_CA_CERT"
add_expecting InvalidArgument "not an e-mail address" "$pass" "not-an-address" "${opts[@]}"
add_expecting InvalidArgument "an unknown security mode" "$pass" "$email" "${opts[@]}" --imap-security maybe
expect_eq "nothing was stored by the failed attempts" "$(ctl accounts list)" ""

gdbus monitor --session -d io.github.kontor.Kontor -o /io/github/kontor/Kontor \
  >"$KONTOR_SESSION_DIR/signals" 2>/dev/null &
monitor=$!
sleep 0.5
id=$(printf '%s\n' "$pass" | ctl accounts add "$email" "${opts[@]}" \
       --trusted-certificate "$KONTOR_TEST_CA_CERT" 2>"$err")
check "add verifies and stores the account" [ -n "$id" ]
[ -n "$id" ] || echo "# $(cat "$err")"
changed() { grep -q -F "io.github.kontor.Accounts1.Changed ('$id',)" "$KONTOR_SESSION_DIR/signals"; }
for _ in $(seq 20); do changed && break; sleep 0.5; done
check "... and Accounts1 tells listeners with Changed" changed
kill "$monitor" 2>/dev/null

line=$(ctl accounts list | grep "^$id")
expect_eq "list shows its e-mail, services and state" "$(echo "$line" | cut -f2-4)" \
  "$email	mail,calendar,contacts,files	ready"
check "--json list has the settings" python3 -c '
import json, sys
a = json.load(sys.stdin)[0]
assert a["imap-port"] == int(sys.argv[1]) and a["imap-security"] == "tls" and a["smtp-security"] == "starttls", a
assert a["display-name"] == "Test Account" and a["read-only"] is False, a' "$KONTOR_TEST_IMAPS_PORT" \
  < <(ctl --json accounts list)

verify=$(ctl accounts verify "$id")
check "verify connects to every service" [ $? = 0 ]
expect_eq "... imap, smtp, caldav, carddav, webdav all ok" "$(echo "$verify" | sort | tr '\t\n' ' ;')" \
  "caldav ok;carddav ok;imap ok;smtp ok;webdav ok;"

add_expecting InvalidArgument "the same address twice" "$pass" "$email" "${opts[@]}" \
  --trusted-certificate "$KONTOR_TEST_CA_CERT"

# Another EDS client sees the account, and EDS found the DAV collections itself.
children=$("$EDS_CLIENT" children "$id" 20)
check "a second EDS client sees the account's calendar and address book" [ $? = 0 ]
echo "$children" | sed 's/^/# /'
expect_eq "the mail password is in the keyring" "$("$EDS_CLIENT" password "$id")" "stored"

leaks=$(grep -rlF -- "$pass" "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" 2>/dev/null |
          grep -v "/servers/" | grep -v '/keyrings/')
expect_eq "no file of the profile holds the password" "$leaks" ""

check "update changes the display name" ctl accounts update "$id" --display-name "Renamed Account"
check "... as list shows" python3 -c 'import json,sys; assert json.load(sys.stdin)[0]["display-name"] == "Renamed Account"' \
  < <(ctl --json accounts list)
ctl accounts update "$id" --imap-port "$KONTOR_TEST_CLOSED_PORT" 2>"$err"
check "an update that does not verify is refused (ConnectionRefused)" grep -q "Error.ConnectionRefused" "$err"
check "... and changes nothing" python3 -c '
import json, sys
assert json.load(sys.stdin)[0]["imap-port"] == int(sys.argv[1])' "$KONTOR_TEST_IMAPS_PORT" < <(ctl --json accounts list)
check "an empty files URL takes files out of the account" ctl accounts update "$id" --webdav-url ""
sleep 0.5
expect_eq "... so files is no longer a service" "$(ctl accounts list | grep "^$id" | cut -f3)" "mail,calendar,contacts"
check "and a files URL brings it back" ctl accounts update "$id" --webdav-url "$KONTOR_TEST_WEBDAV_URL"
sleep 0.5
expect_eq "... with files enabled" "$(ctl accounts list | grep "^$id" | cut -f3)" "mail,calendar,contacts,files"
check "... and verified" bash -c "'$KONTORCTL_BIN' accounts verify '$id' >/dev/null"

check "calendar can be turned off" ctl accounts disable "$id" calendar
sleep 0.5
expect_eq "... and is no longer listed as enabled" "$(ctl accounts list | grep "^$id" | cut -f3)" \
  "mail,contacts,files"
check "and on again" ctl accounts enable "$id" calendar
ctl accounts enable "$id" telepathy 2>"$err"
check "an unknown service is InvalidArgument" grep -q "Error.InvalidArgument" "$err"

printf 'wrong\n' | ctl accounts set-password "$id" mail 2>"$err"
check "a wrong new password is verified and refused (AuthFailed)" grep -q "Error.AuthFailed" "$err"
check "... and the stored one still works" bash -c "'$KONTORCTL_BIN' accounts verify '$id' >/dev/null"
check "the right one is accepted" bash -c "printf '%s\n' '$pass' | '$KONTORCTL_BIN' accounts set-password '$id' mail"

ctl accounts verify no-such-account 2>"$err"
check "verify of an unknown account is NotFound" grep -q "Error.NotFound" "$err"

check "remove" ctl accounts remove "$id"
sleep 0.5
expect_eq "the account is gone" "$(ctl accounts list)" ""
check "... from the registry too" bash -c "! '$EDS_CLIENT' exists '$id'"
expect_eq "... and its password from the keyring" "$("$EDS_CLIENT" password "$id")" "none"

# Passwords never on the command line: there is no such option.
ctl accounts add "$email" --password "$pass" </dev/null 2>"$err"
expect_eq "--password is not an option (exit 2)" "$?" 2

tap_done
