#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Identities end to end: an alias and signatures set with kontorctl land in the EDS
# identity source and Kontor's signature store; Send from the alias reaches the SMTP
# sink with the alias as From, through the account's transport, with the signature
# only when asked; a composer opened from the alias shows its signature (screenshot
# in the build folder's tests/screenshots/), and a restored draft does not get a
# second one.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"
# shellcheck source=../gui/gui-lib.sh
. "$here/../gui/gui-lib.sh"

alias_address="sales@$KONTOR_TEST_MAIL_DOMAIN"
err="$KONTOR_SESSION_DIR/identities-err"
kontor_pid() {
  gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.GetConnectionUnixProcessID io.github.kontor.Kontor |
    grep -o '[0-9]\+' | tail -n 1
}
# The sink's message with this subject (the first), or nothing.
received() { grep -l -F "Subject: $1" "$sink"/*.eml 2>/dev/null | head -n 1; }
has_received() { [ -n "$(received "$1")" ]; }
# expect_error DESCRIPTION ERROR-NAME -- COMMAND...: fails with that named error.
expect_error() {
  local description=$1 name=$2
  shift 3
  if ! "$@" >/dev/null 2>"$err" && grep -q "io.github.kontor.Error.$name" "$err"; then
    ok "$description"
  else
    not_ok "$description"
    echo "# $(head -n 3 "$err")"
  fi
}

"$KONTOR_BIN" &
pid=$!
win=$(wait_for_window Kontor)
check "the main window opens" [ -n "$win" ]
account=$(add_test_account "Shop" "" --full-name "Ada Shop")
check "the account is added" [ -n "$account" ]
check "the mail syncs" until_ok 60 ctl mail sync "$account"

# ------------------------------------------------------------------ aliases
expect_eq "at first the account sends as its own address only" \
  "$(ctl mail identities | cut -f 1,2,4,5)" "$email${tab:=$'\t'}Ada Shop${tab}main$tab-"
check "kontorctl mail alias add takes \"Name <address>\"" \
  ctl mail alias add "$email" "Sales Desk <$alias_address>"
expect_eq "the alias is listed after the account's address, with its name" \
  "$(ctl mail identities | cut -f 1-4)" \
  "$email${tab}Ada Shop$tab$account${tab}main"$'\n'"$alias_address${tab}Sales Desk$tab$account${tab}alias"
identity_source=$(grep -l -F "Address=$email" "$XDG_CONFIG_HOME"/evolution/sources/*.source 2>/dev/null |
  head -n 1)
# The registry writes its files a moment after it answered.
check "the alias is stored in the account's EDS identity source, as Evolution keeps it" \
  until_ok 10 grep -q -x -F "Aliases=Sales Desk <$alias_address>" "$identity_source"
check "a second alias without a name is added too" ctl mail alias add "$account" "help@$KONTOR_TEST_MAIL_DOMAIN"
check "... and listed with the account's name" \
  bash -c "ctl() { \"\$KONTORCTL_BIN\" \"\$@\"; }; ctl mail identities | grep -q -x -F \
  'help@$KONTOR_TEST_MAIL_DOMAIN${tab}Ada Shop$tab$account${tab}alias$tab-'"
expect_error "an alias that is no address is InvalidArgument" InvalidArgument -- \
  ctl mail alias add "$account" "Nobody <not an address>"
expect_error "the account's own address is no alias of it (InvalidArgument)" InvalidArgument -- \
  ctl mail alias add "$account" "$email"
check "kontorctl mail alias remove takes it out" ctl mail alias remove "$account" "help@$KONTOR_TEST_MAIL_DOMAIN"
check "... and it is gone from the identity source" \
  until_ok 10 bash -c "! grep -q -F 'help@' '$identity_source'"
json=$(ctl mail identities --json)
check "identities --json marks the alias" \
  python3 -c "import json,sys; l=json.loads(sys.argv[1]); sys.exit(not (len(l)==2 and l[1]['alias'] and \
  l[1]['address']=='$alias_address' and l[1]['account-id']=='$account' and not l[0]['alias']))" "$json"

# --------------------------------------------------------------- signatures
printf 'Sales Desk\nCall us: +49 30 1234\n\n' | ctl mail signature "$alias_address" --file -
expect_eq "kontorctl mail signature sets the alias's signature from the standard input" \
  "$(ctl mail signature "$alias_address")" $'Sales Desk\nCall us: +49 30 1234'
printf 'Ada\n' >"$KONTOR_SESSION_DIR/main-signature"
ctl mail signature "$email" --file "$KONTOR_SESSION_DIR/main-signature"
expect_eq "... and the main address's from a file; identities shows the first lines" \
  "$(ctl mail identities | cut -f 1,5)" "$email${tab}Ada"$'\n'"$alias_address${tab}Sales Desk"
until_ok 10 grep -q '^SignatureUid=[0-9a-f]' "$identity_source"
signature_uid=$(sed -n 's/^SignatureUid=//p' "$identity_source")
evolution_signature="$XDG_CONFIG_HOME/evolution/signatures/$signature_uid"
check "the main address's signature is also an EDS signature source the identity names" \
  until_ok 10 grep -q -x "Ada" "$evolution_signature"
check "... a plain-text one" grep -q -x "MimeType=text/plain" \
  "$XDG_CONFIG_HOME/evolution/sources/$signature_uid.source"
printf '<div>Ada from Evolution</div>' >"$evolution_signature"
expect_eq "a signature changed in Evolution is the one Kontor uses (as text)" \
  "$(ctl mail signature "$email")" "Ada from Evolution"
ctl mail signature "$email" --clear
check "--clear makes the identity's signature \"none\", as Evolution says it" \
  until_ok 10 grep -q -x "SignatureUid=none" "$identity_source"
expect_eq "... and Kontor shows none" "$(ctl mail signature "$email")" ""
ctl mail signature "$email" --file "$KONTOR_SESSION_DIR/main-signature"
expect_error "a signature for an address that is not the user's is NotFound" NotFound -- \
  mail_call SetSignature "'stranger@example.net'" "'x'"

# ------------------------------------------------------------------ sending
subject="From the alias $$"
printf 'Your quote follows.\n' | ctl mail send --to "ada@example.net" --subject "$subject" \
  --from "$alias_address" --signature >/dev/null
check "Send from the alias reaches the SMTP sink" until_ok 60 has_received "$subject"
sent=$(received "$subject")
# The sink keeps the SMTP data's CRLF line ends.
header() { tr -d '\r' <"$sent" | grep -q -x -F "$1"; }
check "... with the alias and its name as From" header "From: Sales Desk <$alias_address>"
check "... through the account's transport, the alias as envelope sender" \
  header "X-Sink-Mail-From: $alias_address"
check "... and the alias's signature below the text, after \"-- \"" \
  python3 -c "import email,sys; m=email.message_from_binary_file(open(sys.argv[1],'rb')); \
  t=m.get_payload(decode=True).decode().replace('\r\n','\n'); \
  sys.exit(not t.endswith('Your quote follows.\n\n-- \nSales Desk\nCall us: +49 30 1234\n'))" "$sent"
plain="No signature $$"
printf 'Scripted.\n' | ctl mail send --to "ada@example.net" --subject "$plain" --from "$alias_address" >/dev/null
check "a scripted Send without --signature" until_ok 60 has_received "$plain"
check "... has no signature" bash -c "! grep -q -F -e 'Call us' -e '-- ' '$(received "$plain")'"
expect_error "Send's \"signature\" must be a boolean (InvalidArgument)" InvalidArgument -- \
  mail_call Send "{'to': <['ada@example.net']>, 'signature': <'yes'>}"

# ----------------------------------------------------------------- composer
xdotool windowsize "$win" 1280 800 2>/dev/null
ctl present mail >/dev/null 2>&1
sleep 2
shot mail-identities-main
# Mail Preferences, from the list's menu (its last item): the Identities page, whose
# only group starts at the top, whatever groups the General page has.
xdotool windowactivate --sync "$win" 2>/dev/null
xdotool mousemove --sync 743 75 click 1
sleep 1
shot mail-identities-menu
xdotool key --clearmodifiers Up Return
prefs=$(wait_for_window "Mail Preferences")
check "Mail Preferences opens" [ -n "$prefs" ]
xdotool windowsize "$prefs" 640 780 2>/dev/null
sleep 1
xdotool mousemove --window "$prefs" 380 27 click 1 # "Identities" in the view switcher
sleep 1
xdotool mousemove --window "$prefs" 319 143 click 1 # the account's expander
sleep 1
shot mail-identities-preferences
listed() { ctl mail identities | cut -f 1 | grep -q -x -F "$1"; }
# The expander shows the main address, the alias, then the row that adds one.
xdotool mousemove --window "$prefs" 300 307 click 1
sleep 0.5
xdotool type --delay 30 "Support <support@$KONTOR_TEST_MAIL_DOMAIN>"
xdotool key --clearmodifiers Return
check "an alias typed in Preferences is added" until_ok 10 listed "support@$KONTOR_TEST_MAIL_DOMAIN"
sleep 1
shot mail-identities-preferences-added
# Its row comes after the alias before; its trash button removes it.
xdotool mousemove --window "$prefs" 553 307 click 1
check "... and its trash button removes it" until_ok 10 bash -c \
  "! \"\$KONTORCTL_BIN\" mail identities | grep -q -F support@"
# The pencil of the main address edits its signature in a dialog.
xdotool mousemove --window "$prefs" 553 197 click 1
check "the pencil opens the signature dialog" until_ok 10 window_shown "Signature of Ada Shop <$email>"
sleep 1
shot mail-identities-signature-dialog
dialog=$(wait_for_window "Signature of Ada Shop <$email>")
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 30 "Ada Shop, Berlin"
xdotool mousemove --window "$dialog" 350 289 click 1
expect_eq "... whose Save stores the new signature" \
  "$(until_ok 10 bash -c "[ \"\$(\"\$KONTORCTL_BIN\" mail signature $email)\" = 'Ada Shop, Berlin' ]"
    ctl mail signature "$email")" "Ada Shop, Berlin"
xdotool key --clearmodifiers Escape
composed="Signed composer $$"
ctl mail compose --to "ada@example.net" --subject "$composed" --from "$alias_address" >/dev/null
composer=$(wait_for_window "$composed")
check "a composer opens from the alias" [ -n "$composer" ]
draft_with() { grep -l -F "subject=$composed" "$drafts"/* 2>/dev/null | head -n 1; }
signed() { grep -q -F 'body=\n\n-- \nSales Desk\nCall us: +49 30 1234' "$(draft_with)"; }
check "... with the alias's signature below an empty line to type on" until_ok 10 signed
check "... sending from the alias" grep -q -x "from=$alias_address" "$(draft_with)"
xdotool windowactivate --sync "$composer" 2>/dev/null
sleep 1
shot mail-composer-signature
# Another From, the signature untouched: it is swapped for that address's.
xdotool mousemove --window "$composer" 410 80 click 1
sleep 1
xdotool key --clearmodifiers Up Return
swapped() {
  grep -q -F 'body=\n\n-- \nAda Shop, Berlin' "$(draft_with)" && ! grep -q -F 'Call us' "$(draft_with)"
}
check "choosing the main address as From swaps in its signature" until_ok 10 swapped
sleep 1
shot mail-composer-signature-swapped

victim=$(kontor_pid)
kill -9 "$victim"
wait "$pid" 2>/dev/null
"$KONTOR_BIN" &
pid=$!
check "after kill -9 and a new start, the composer is restored" until_ok 20 window_shown "$composed"
sleep 4
once() { [ "$(grep -o -F -- '-- \n' "$(draft_with)" | wc -l)" = 1 ] && swapped; }
check "... with its signature once, not twice" once

# ---------------------------------------------------------- reply to the alias
# A message to the alias, put in the INBOX as delivered; the reply is from the alias
# and has its signature below the quote.
python3 - "$alias_address" "$$" <<'PY'
import imaplib, os, ssl, sys, time
alias, tag = sys.argv[1:]
ctx = ssl.create_default_context(cafile=os.environ['KONTOR_TEST_CA_CERT'])
m = imaplib.IMAP4_SSL('127.0.0.1', int(os.environ['KONTOR_TEST_IMAPS_PORT']), ssl_context=ctx)
m.login(os.environ['KONTOR_TEST_USER'], os.environ['KONTOR_TEST_PASSWORD'])
message = (f'From: Bob Buyer <bob@example.net>\r\nTo: Sales <{alias}>\r\n'
           f'Subject: Price list {tag}\r\nMessage-ID: <price-{tag}@example.net>\r\n'
           'Date: ' + time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime()) +
           '\r\n\r\nWhat does it cost?\r\n').encode()
m.append('INBOX', None, None, message)
m.logout()
PY
check "the message to the alias syncs" until_ok 60 ctl mail sync "$account"
show_message "price-$$@example.net" >/dev/null
xdotool key --clearmodifiers ctrl+r
check "Ctrl+R opens the reply" until_ok 15 window_shown "Re: Price list $$"
reply_draft() { grep -l -F "subject=Re: Price list $$" "$drafts"/* 2>/dev/null | head -n 1; }
replied_from_alias() { grep -q -x "from=$alias_address" "$(reply_draft)"; }
check "... from the alias the message was sent to" until_ok 10 replied_from_alias
check "... with the alias's signature below the quote" grep -q -F \
  '> What does it cost?\n\n-- \nSales Desk\nCall us: +49 30 1234' "$(reply_draft)"
xdotool windowactivate --sync "$(wait_for_window "Re: Price list $$")" 2>/dev/null
sleep 1
shot mail-composer-signature-reply

victim=$(kontor_pid)
[ -n "$victim" ] && kill "$victim" 2>/dev/null
tap_done
