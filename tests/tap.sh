# SPDX-License-Identifier: GPL-3.0-or-later
# Tiny TAP helpers for the shell tests (sourced).
tap_n=0
tap_failed=0

ok() {
  tap_n=$((tap_n + 1))
  echo "ok $tap_n - $*"
}

not_ok() {
  tap_n=$((tap_n + 1))
  tap_failed=$((tap_failed + 1))
  echo "not ok $tap_n - $*"
}

# check DESCRIPTION COMMAND...: one test point from a command's exit status.
check() {
  local description=$1
  shift
  if "$@"; then ok "$description"; else not_ok "$description"; fi
}

# expect_eq DESCRIPTION ACTUAL EXPECTED
expect_eq() {
  if [ "$2" = "$3" ]; then
    ok "$1"
  else
    not_ok "$1"
    echo "# expected: $3"
    echo "# actual:   $2"
  fi
}

tap_done() {
  echo "1..$tap_n"
  [ "$tap_failed" = 0 ]
}
