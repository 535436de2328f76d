#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# German and French are complete: every string the sources have now (not only those
# of the last template) is translated, none fuzzy.
set -u
cd "${KONTOR_SOURCE_DIR:?}" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

xgettext --package-name=kontor --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --directory=. --files-from=<(grep -v '^#' po/POTFILES.in | grep -v '^$') \
  --output="$tmp/kontor.pot" || exit 1

status=0
for lang in $(grep -v '^#' po/LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/kontor.pot" -o "$tmp/$lang.po" || exit 1
  stats=$(msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  echo "$lang: $stats"
  case "$stats" in
    *fuzzy* | *untranslated*)
      status=1
      msgattrib --untranslated --only-fuzzy "$tmp/$lang.po" 2>/dev/null | grep -A3 '^msgid' | head -40
      msgattrib --untranslated "$tmp/$lang.po" | grep -A3 '^msgid' | head -40
      ;;
  esac
done
exit $status
