# SPDX-License-Identifier: GPL-3.0-or-later
"""Command line of kontor-test-servers."""

import argparse
import os
import sys
import time

from . import common, lifecycle, seed

USAGE = '''kontor-test-servers start DIR [--users USER:PW,...] [--domain DOMAIN]
                           [--seed-mail USER:FOLDER:COUNT]... [--timeout SECONDS]
                           [--watch PID] [--keep] [-v]
       kontor-test-servers stop DIR
       kontor-test-servers status DIR
       kontor-test-servers env DIR
       kontor-test-servers seed-mail DIR USER FOLDER COUNT [--from-eml FILE...] [--seed N]
       kontor-test-servers seed-dav DIR USER [--ics FILE...] [--vcf FILE...] [--keep-going]
       kontor-test-servers seed-files DIR USER FILE... [--dest FOLDER]'''


def parse_users(text):
    users = {}
    for item in text.split(','):
        name, sep, password = item.strip().partition(':')
        if not name or not sep or not password:
            raise argparse.ArgumentTypeError(f'expected USER:PASSWORD, got {item!r}')
        users[name] = password
    return users


DEFAULT_USERS = 'test:secret,alice:secret,bob:secret'
DEFAULT_DOMAIN = 'example.org'


def parse_seed(text):
    user, sep1, rest = text.partition(':')
    folder, sep2, count = rest.rpartition(':')
    if not (sep1 and sep2 and user and folder and count.isdigit()):
        raise argparse.ArgumentTypeError(f'expected USER:FOLDER:COUNT, got {text!r}')
    return user, folder, int(count)


def load_state(d):
    path = os.path.join(d, 'servers.json')
    if not os.path.exists(path):
        raise SystemExit(f'kontor-test-servers: no servers started in {d}')
    return common.read_json(path)


def cmd_start(args):
    # --keep serves the last start's users and domain again unless others are given.
    previous = lifecycle.previous_state(args.dir) if args.keep else {}
    users = args.users or previous.get('users') or parse_users(DEFAULT_USERS)
    domain = args.domain or previous.get('mail_domain') or DEFAULT_DOMAIN
    try:
        state = lifecycle.start(args.dir, users, domain, args.timeout,
                                cli=os.path.realpath(sys.argv[0]), watch_pid=args.watch,
                                keep=args.keep)
    except common.StartError as e:
        common.log(f'start failed: {e}')
        return 1
    for user, folder, count in args.seed_mail:
        try:
            seed.seed_mail(state, user, folder, count)
        except (Exception, SystemExit) as e:
            common.log(f'seeding {user}:{folder} failed: {e}')
            lifecycle.stop(args.dir)
            return 1
    if args.verbose:
        sys.stderr.write(lifecycle.env_text(state))
    return 0


def cmd_stop(args):
    return 0 if lifecycle.stop(args.dir) else 1


def cmd_status(args):
    rows = lifecycle.read_pids(os.path.abspath(args.dir))
    alive = 0
    for name, pid, _ in rows:
        up = common.pid_alive(pid)
        alive += up
        print(f'{name} {pid} {"running" if up else "stopped"}')
    return 0 if rows and alive == len(rows) else 3


def cmd_env(args):
    with open(os.path.join(args.dir, 'servers.env')) as f:
        sys.stdout.write(f.read())
    return 0


def cmd_seed_mail(args):
    state = load_state(args.dir)
    began = time.monotonic()
    total = seed.seed_mail(state, args.user, args.folder, args.count, args.from_eml, args.seed)
    common.log(f'{args.user}/{args.folder}: {total} messages '
               f'({time.monotonic() - began:.1f} s)')
    return 0


def cmd_seed_dav(args):
    state = load_state(args.dir)
    done, rejected = seed.seed_dav(state, args.user, args.ics, args.vcf, args.keep_going)
    for url in done:
        print(url)
    for message in rejected:
        common.log('skipped', message)
    if rejected:
        common.log(f'{len(done)} stored, {len(rejected)} rejected by the server')
    return 0


def cmd_seed_files(args):
    state = load_state(args.dir)
    for url in seed.seed_files(state, args.user, args.files, args.dest):
        print(url)
    return 0


def parser():
    p = argparse.ArgumentParser(prog='kontor-test-servers', usage=USAGE,
                                description='Real mail, DAV and fault servers on loopback '
                                            'for Kontor\'s tests.')
    sub = p.add_subparsers(dest='command', required=True, metavar='COMMAND')

    s = sub.add_parser('start', help='start every server in DIR')
    s.add_argument('dir')
    s.add_argument('--users', type=parse_users,
                   help=f'USER:PASSWORD,... (default {DEFAULT_USERS})')
    s.add_argument('--domain', help=f'mail domain (default {DEFAULT_DOMAIN})')
    s.add_argument('--seed-mail', type=parse_seed, action='append', default=[],
                   metavar='USER:FOLDER:COUNT')
    s.add_argument('--timeout', type=float,
                   default=float(os.environ.get('KONTOR_TEST_SERVERS_TIMEOUT', '10')))
    s.add_argument('--watch', type=int, metavar='PID',
                   help='stop the servers by themselves when process PID ends')
    s.add_argument('--keep', action='store_true',
                   help='serve the data of the last start in DIR again (mail, calendars, '
                        'contacts, files, certificates), on the same ports where free')
    s.add_argument('-v', '--verbose', action='store_true', help='print the variables')
    s.set_defaults(func=cmd_start)

    s = sub.add_parser('watch', help='stop DIR\'s servers once PID ends (what --watch runs)')
    s.add_argument('dir')
    s.add_argument('pid', type=int)
    s.set_defaults(func=lambda a: lifecycle.watch(a.dir, a.pid) or 0)

    s = sub.add_parser('stop', help='stop what start started in DIR')
    s.add_argument('dir')
    s.set_defaults(func=cmd_stop)

    s = sub.add_parser('status', help='list the servers and whether they run')
    s.add_argument('dir')
    s.set_defaults(func=cmd_status)

    s = sub.add_parser('env', help='print DIR/servers.env')
    s.add_argument('dir')
    s.set_defaults(func=cmd_env)

    s = sub.add_parser('seed-mail', help='bulk-write messages into a folder')
    s.add_argument('dir')
    s.add_argument('user')
    s.add_argument('folder')
    s.add_argument('count', type=int, help='messages to write (0 with --from-eml: each once)')
    s.add_argument('--from-eml', nargs='+', action='extend', default=[], metavar='FILE')
    s.add_argument('--seed', type=int, default=1, help='random seed of generated mail')
    s.set_defaults(func=cmd_seed_mail)

    s = sub.add_parser('seed-dav', help='PUT events and contacts into Radicale')
    s.add_argument('dir')
    s.add_argument('user')
    s.add_argument('--ics', nargs='+', action='extend', default=[], metavar='FILE')
    s.add_argument('--vcf', nargs='+', action='extend', default=[], metavar='FILE')
    s.add_argument('--keep-going', action='store_true',
                   help='skip what the server rejects instead of failing')
    s.set_defaults(func=cmd_seed_dav)

    s = sub.add_parser('seed-files', help='PUT files into the WebDAV folder')
    s.add_argument('dir')
    s.add_argument('user')
    s.add_argument('files', nargs='+', metavar='FILE')
    s.add_argument('--dest', default='', help='a folder under the user\'s root')
    s.set_defaults(func=cmd_seed_files)
    return p


def main(argv):
    args = parser().parse_args(argv)
    return args.func(args)
