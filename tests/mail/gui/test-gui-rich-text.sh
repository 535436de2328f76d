#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The composer in rich text, in a real X window against the harness: Mail1.Compose
# with an HTML body and an inline image opens a rich composer (screenshot), its draft
# file keeps the HTML, text typed after Ctrl+B is bold, a new list item follows Enter,
# and Ctrl+Return sends a multipart/alternative whose plain part says what the
# formatting said and whose HTML shows the image by its Content-ID. With the
# preference on, an empty composer starts in rich text too.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"

# shellcheck source=gui-lib.sh
. "$here/gui-lib.sh"
work="$KONTOR_SESSION_DIR/rich-text"
mkdir -p "$work"

received() { grep -l -F "Subject: $1" "$sink"/*.eml 2>/dev/null | head -n 1; }
has_received() { [ -n "$(received "$1")" ]; }
no_window() { ! xdotool search --onlyvisible --name "^$1\$" >/dev/null 2>&1; }
draft_has() { grep -q -F "$1" "$drafts"/* 2>/dev/null; }

"$KONTOR_BIN" &
win=$(wait_for_window Kontor)
check "the main window opens" [ -n "$win" ]
account=$(add_test_account "Rich")
check "the account is added" [ -n "$account" ]
check "the mail syncs" until_ok 60 ctl mail sync "$account"

# A picture to show in the text.
image="$work/chart.png"
convert -size 640x240 gradient:'#3584e4'-'#f6f5f4' "$image"
check "a test image is made" [ -s "$image" ]

subject="Rich text $$"
/usr/bin/python3 - "$email" "$subject" "$image" <<'PY'
import sys
from gi.repository import Gio, GLib
to, subject, image = sys.argv[1:]
html = ('<div>Hello <b>team</b>, the <i>plan</i> for <u>Monday</u>:</div>'
        '<ol><li>first item</li><li>second item<ul><li>a detail</li></ul></li></ol>'
        '<blockquote><div>quoted &lt;words&gt; &amp; more</div></blockquote>'
        '<div>See <a href="https://example.org/plan">the plan</a> and the chart:</div>'
        '<div><img src="cid:chart@kontor" alt="chart.png"/></div>')
bus = Gio.bus_get_sync(Gio.BusType.SESSION)
fields = {'to': GLib.Variant('as', [to]), 'subject': GLib.Variant('s', subject),
          'body': GLib.Variant('s', 'unused plain text'), 'html-body': GLib.Variant('s', html),
          'inline-images': GLib.Variant('a{ss}', {'chart@kontor': image})}
bus.call_sync('io.github.kontor.Kontor', '/io/github/kontor/Kontor', 'io.github.kontor.Mail1',
              'Compose', GLib.Variant('(a{sv})', (fields,)), None, Gio.DBusCallFlags.NONE,
              60000, None)
PY
composer=$(wait_for_window "$subject")
check "Mail1.Compose with an HTML body opens a composer" [ -n "$composer" ]
xdotool windowsize "$composer" 900 760 2>/dev/null
sleep 1.5
xdotool windowactivate --sync "$composer" 2>/dev/null
xdotool windowfocus --sync "$composer" 2>/dev/null
sleep 0.5
shot mail-composer-rich-text
check "its draft file keeps the HTML and the image" until_ok 10 draft_has "chart@kontor"

# Type at the end of the second item: Enter makes a new item, Ctrl+B bold text, Tab
# moves the next item in, Ctrl+K links a word.
xdotool key --clearmodifiers ctrl+Home
for _ in 1 2; do xdotool key --clearmodifiers Down; done
xdotool key --clearmodifiers End Return
xdotool key --clearmodifiers ctrl+b
xdotool type --delay 40 "typed in bold"
xdotool key --clearmodifiers ctrl+b
xdotool type --delay 40 " then plain"
xdotool key --clearmodifiers Return Tab
xdotool type --delay 40 "nested"
# Ctrl+K on the selected word asks for the address it leads to.
xdotool key --clearmodifiers ctrl+shift+Left ctrl+k
sleep 1
shot mail-composer-rich-link
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "https://example.org/nested?a=1&b=2"
xdotool key --clearmodifiers Return
sleep 1
shot mail-composer-rich-text-typed
xdotool key --clearmodifiers ctrl+Return
check "Ctrl+Return sends and closes the composer" until_ok 15 no_window "$subject"
check "the SMTP sink gets the message" until_ok 150 has_received "$subject"
eml=$(received "$subject")

# The message's checks, one line each: "PASS text", "FAIL text", "# detail".
while IFS= read -r line; do
  case "$line" in
    PASS\ *) ok "${line#PASS }" ;;
    FAIL\ *) not_ok "${line#FAIL }" ;;
    *) echo "$line" ;;
  esac
done < <(/usr/bin/python3 - "$eml" <<'PY'
import email, email.policy, re, sys
msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
def check(ok, description, detail=None):
    print(('PASS ' if ok else 'FAIL ') + description)
    if not ok and detail is not None:
        print('# ' + str(detail).replace('\n', '\n# '))
types = [p.get_content_type() for p in msg.walk()]
check(types == ['multipart/alternative', 'text/plain', 'multipart/related', 'text/html',
                'image/png'], 'multipart/alternative of plain text and a multipart/related '
      'of the HTML and the image', types)
parts = list(msg.walk())
if len(parts) == 5:
    plain = parts[1].get_content().replace('\r\n', '\n')
    # Undo format=flowed's soft breaks.
    plain = re.sub(r' \n(?!>)', ' ', plain)
    html = parts[3].get_content()
    print('# ' + html.replace('\n', '\n# '))
    image = parts[4]
    expected = ['Hello team, the plan for Monday:', '1. first item', '2. second item',
                '3. typed in bold then plain', '  - a detail', '> quoted <words> & more',
                'See the plan <https://example.org/plan> and the chart:', '[chart.png]']
    # ... and its space-stuffing.
    lines = [line[1:] if line.startswith(' ') else line for line in plain.split('\n')]
    check(all(line in lines for line in expected[:3] + expected[5:]),
          'the plain part has the numbered list, the quote, the link and the image name', plain)
    check('3. typed in bold then plain' in lines, '... and the item typed after Enter', plain)
    nested = '  1. nested <https://example.org/nested?a=1&b=2>'
    check(nested in lines and lines.index(nested) == lines.index('  - a detail') - 1,
          '... and the one Tab moved a level in, with its link after its text', plain)
    check('<a href="https://example.org/nested?a=1&amp;b=2">nested</a>' in html,
          'the word Ctrl+K made a link is one in the HTML', html)
    check('<b>typed in bold</b> then plain' in html, 'what was typed after Ctrl+B is bold in the HTML', html)
    check('<ol>' in html and '<ul>' in html and '<blockquote' in html and
          '&lt;words&gt; &amp; more' in html, 'the HTML has the lists, the quote, escaped text', html)
    cid = (image['Content-ID'] or '').strip('<>')
    check(cid == 'chart@kontor' and f'src="cid:{cid}"' in html,
          'the image part\'s Content-ID is what the HTML shows', (image['Content-ID'], html))
    check(image.get_content_disposition() == 'inline' and len(image.get_content()) > 100,
          'the image is inline, with its bytes')
PY
)

# With the preference on, a new message starts in rich text.
gsettings set io.github.kontor.Kontor mail-compose-rich-text true
check "the preference is set" [ "$(gsettings get io.github.kontor.Kontor mail-compose-rich-text)" = true ]
ctl mail compose --to "$email" --subject "Default rich $$" --body "Started > plain" >/dev/null
default=$(wait_for_window "Default rich $$")
check "a composer opens" [ -n "$default" ]
check "... in rich text: its draft has HTML" until_ok 10 draft_has "html="
shot mail-composer-rich-default
# Back to plain text: nothing to lose, so no question; the draft has no HTML any more.
xdotool windowactivate --sync "$default" 2>/dev/null
xdotool mousemove --window "$default" 68 28 click 1
no_html() { ! draft_has "html="; }
check "the Rich Text button turns it back to plain text" until_ok 10 no_html
shot mail-composer-rich-off

# A reply in rich text quotes the message as a quote block.
mid=$(newest_message_id "$account")
check "the newest message has a Message-ID" [ -n "$mid" ]
win=$(show_message "$mid")
xdotool key --clearmodifiers ctrl+r
reply=$(wait_for_window_matching "^Re: ")
check "Ctrl+R opens a reply composer" [ -n "$reply" ]
check "... in rich text, the original in a quote block" until_ok 10 draft_has "<blockquote"
xdotool windowsize "$reply" 900 700 2>/dev/null
sleep 1
shot mail-composer-rich-reply

# Back to plain text with formatting: Kontor asks, and Cancel keeps it all.
xdotool windowactivate --sync "$reply" 2>/dev/null
xdotool mousemove --window "$reply" 68 28 click 1
sleep 1
shot mail-composer-rich-plain-asks
xdotool key --clearmodifiers Escape
sleep 4
check "turning formatting off asks first; Cancel keeps the rich text" draft_has "<blockquote"
xdotool windowactivate --sync "$reply" 2>/dev/null
xdotool mousemove --window "$reply" 68 28 click 1
sleep 1
xdotool key --clearmodifiers alt+r
plain_quote() { ! draft_has "html=" && grep -q -F '\n> ' "$drafts"/*; }
check "... Remove Formatting makes it plain text, the quote as \"> \" lines" until_ok 10 plain_quote
gsettings reset io.github.kontor.Kontor mail-compose-rich-text

# A rich draft survives a crash: Kontor killed, started again, the composer comes back
# with its formatting, which its next save writes again.
gsettings reset io.github.kontor.Kontor mail-compose-rich-text
restore="Restore rich $$"
mail_call Compose "{'to': <['$email']>, 'subject': <'$restore'>, 'body': <'x'>, 'html-body': <'<div>Keep <b>this bold</b></div><ul><li>and this list</li></ul>'>}" >/dev/null
check "a rich composer opens" window_shown "$restore"
check "... and saves its draft" until_ok 10 draft_has "subject=$restore"
kill_kontor() {
  local pid
  pid=$(gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.GetConnectionUnixProcessID io.github.kontor.Kontor |
    grep -o '[0-9]\+' | tail -n 1)
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
}
kill_kontor
check "Kontor is gone" until_ok 10 no_window "$restore"
"$KONTOR_BIN" >/dev/null 2>&1 &
again=$(wait_for_window "$restore")
check "after a restart the composer opens again" [ -n "$again" ]
sleep 1
xdotool windowraise "$again" 2>/dev/null
xdotool windowmove "$again" 300 40 2>/dev/null
xdotool windowactivate --sync "$again" 2>/dev/null
xdotool windowfocus --sync "$again" 2>/dev/null
sleep 0.5
shot mail-composer-rich-restored
xdotool key --clearmodifiers ctrl+End
xdotool type --delay 40 " too"
# Home puts the cursor before the list marker; what is typed there goes after it.
xdotool key --clearmodifiers Home
xdotool type --delay 40 "see "
kept() { draft_has "<b>this bold</b>" && draft_has "<li>see and this list too</li>"; }
check "... in rich text: typing saves the bold text and the list again" until_ok 10 kept

victim=$(gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
  -m org.freedesktop.DBus.GetConnectionUnixProcessID io.github.kontor.Kontor |
  grep -o '[0-9]\+' | tail -n 1)
[ -n "$victim" ] && kill "$victim" 2>/dev/null
tap_done
