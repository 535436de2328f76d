#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The data sets of the Mail benchmark, made with the test servers (tests/servers): a
# 10,000-message INBOX for the header sync and a 100,000-message folder "Big" for the
# cached folder, scrolling and search. Generated mail (seed-mail), the same every run.
#
#   bench-mail-data.sh seed [OPTIONS]                 the servers of with-servers.sh
#   bench-mail-data.sh run [OPTIONS] -- COMMAND...    seed those, then run COMMAND
#   bench-mail-data.sh start DIR [OPTIONS]            by hand: start servers in DIR, seed
#   bench-mail-data.sh stop DIR                       and stop them again
#
# OPTIONS: --user USER (the harness's first user), --inbox N (10000), --big N (100000),
# --big-folder NAME (Big); a count of 0 leaves that folder alone. Seeding prints
# "data.seed.FOLDER.messages: N" and "data.seed.FOLDER.seconds: S" (Dovecot's indexing
# included; about 1 s for 10,000 and 9 s for 100,000 on 2 cores).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cli=${KONTOR_TEST_SERVERS_CLI:-$here/../../servers/kontor-test-servers}

usage() {
  sed -n '7,10p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
  exit 2
}

user=
inbox=10000
big=100000
big_folder=Big

parse_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --user) user=$2; shift 2 ;;
      --inbox) inbox=$2; shift 2 ;;
      --big) big=$2; shift 2 ;;
      --big-folder) big_folder=$2; shift 2 ;;
      --) shift; rest=("$@"); return 0 ;;
      *) echo "bench-mail-data.sh: unknown option $1" >&2; usage ;;
    esac
  done
  rest=()
}

# seed_folder DIR FOLDER COUNT
seed_folder() {
  local began ended log total
  [ "$3" -gt 0 ] || return 0
  began=$(date +%s.%N)
  if ! log=$("$cli" seed-mail "$1" "$user" "$2" "$3" 2>&1); then
    printf '%s\n' "$log" >&2
    echo "bench-mail-data.sh: seeding $user/$2 failed" >&2
    return 1
  fi
  ended=$(date +%s.%N)
  # "kontor-test-servers: test/Big: 100000 messages (8.5 s)": the folder's total.
  total=$(printf '%s\n' "$log" | sed -n 's/.*: \([0-9]\+\) messages (.*/\1/p' | tail -n 1)
  if [ -z "$total" ] || [ "$total" -lt "$3" ]; then
    printf '%s\n' "$log" >&2
    echo "bench-mail-data.sh: $user/$2 holds ${total:-no} messages, not $3" >&2
    return 1
  fi
  echo "data.seed.$2.messages: $total"
  awk -v f="$2" -v a="$began" -v b="$ended" 'BEGIN { printf "data.seed.%s.seconds: %.1f\n", f, b - a }'
}

# seed_all DIR
seed_all() {
  if [ -z "$user" ]; then
    user=$(sed -n 's/^KONTOR_TEST_USER=//p' "$1/servers.env" | tr -d "'\"")
  fi
  [ -n "$user" ] || { echo "bench-mail-data.sh: no user in $1/servers.env" >&2; return 1; }
  seed_folder "$1" INBOX "$inbox" && seed_folder "$1" "$big_folder" "$big"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  seed | run)
    if [ -z "${KONTOR_TEST_SERVERS_DIR:-}" ]; then
      echo "bench-mail-data.sh: run it under tests/servers/with-servers.sh" >&2
      exit 2
    fi
    parse_options "$@"
    seed_all "$KONTOR_TEST_SERVERS_DIR" || exit 1
    if [ "$command" = run ]; then
      [ ${#rest[@]} -gt 0 ] || usage
      "${rest[@]}"
      exit $?
    fi
    ;;
  start)
    [ $# -gt 0 ] || usage
    dir=$1
    shift
    parse_options "$@"
    "$cli" start "$dir" || exit 1
    if ! seed_all "$dir"; then
      "$cli" stop "$dir"
      exit 1
    fi
    echo "# servers in $dir: set -a; . $dir/servers.env; set +a"
    echo "# stop them with: $0 stop $dir"
    ;;
  stop)
    [ $# = 1 ] || usage
    "$cli" stop "$1"
    ;;
  *)
    usage
    ;;
esac
