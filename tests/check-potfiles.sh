#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file with translatable strings must be listed in po/POTFILES.in, and
# every listed file must exist, so no string silently escapes translation.
set -u
cd "${KONTOR_SOURCE_DIR:?}" || exit 1
status=0
listed=$(grep -v '^#' po/POTFILES.in | grep -v '^$' | sort -u)

for f in $listed; do
  [ -f "$f" ] || { echo "listed but missing: $f"; status=1; }
done

found=$( (git ls-files 'src/*.c' 'src/*.h' 2>/dev/null || find src -name '*.[ch]') |
           xargs grep -l -E '(^|[^a-zA-Z_])(N|C|NC)?_ ?\(|g_dngettext' 2>/dev/null
         (git ls-files 'src/*.ui' 2>/dev/null || find src -name '*.ui') |
           xargs grep -l 'translatable="yes"' 2>/dev/null
         ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null)
for f in $found; do
  grep -qx "$f" <<<"$listed" || { echo "missing from po/POTFILES.in: $f"; status=1; }
done
[ $status = 0 ] && echo "po/POTFILES.in is complete"
exit $status
