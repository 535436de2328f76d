#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The C sources must be formatted as .clang-format says: prints the diff if not.
set -u
cd "${KONTOR_SOURCE_DIR:?}" || exit 1
command -v clang-format >/dev/null || { echo "clang-format is not installed"; exit 77; }
status=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find src tests -name '*.[ch]'); do
  if ! clang-format "$f" | diff -u "$f" - ; then
    status=1
  fi
done
[ $status = 0 ] && echo "all C sources are formatted"
exit $status
