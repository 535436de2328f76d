#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Sending a 20 MB attachment: how much Kontor's memory grows, and whether its main loop
# stays responsive meanwhile. Against the test servers (SMTP sink and Dovecot's Sent),
# under tests/session-wrapper.sh and tests/servers/with-servers.sh --keyring:
#
#   meson test -C _build --benchmark mail-send -v
#
# Kontor is D-Bus activated (no window); Mail1.Send queues the message with the file
# attached, and it is sent and copied to Sent. Meanwhile VmRSS is sampled every 20 ms,
# and a D-Bus property read (answered on the main loop) is timed every 50 ms. A small
# message goes first (not measured): the SMTP session and the Sent folder are then
# ready, as they are for all but the first message a user sends. Printed:
# the resident set before, its peak while sending, the growth as a multiple of the
# file's size (goal: under 2x), and the slowest answer of the main loop (informative
# for "the UI stays responsive"; goal: under 100 ms). Each run uses a new file.
import os
import subprocess
import sys
import threading
import time

from gi.repository import Gio, GLib

env = os.environ
NAME, PATH, MAIL1 = 'io.github.kontor.Kontor', '/io/github/kontor/Kontor', 'io.github.kontor.Mail1'
SIZE = 20 * 1024 * 1024
RUNS = int(env.get('KONTOR_BENCH_RUNS', '3'))
GOAL_GROWTH, GOAL_LATENCY_MS = 2.0, 100.0
bus = Gio.bus_get_sync(Gio.BusType.SESSION)


def call(method, signature=None, *args, interface=MAIL1, name=NAME, path=PATH, timeout=600):
    reply = bus.call_sync(name, path, interface, method,
                          GLib.Variant(signature, args) if signature else None, None,
                          Gio.DBusCallFlags.NONE, timeout * 1000, None)
    return reply.unpack() if reply is not None else ()


def rss_mb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return 0.0


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


user, password, domain = env['KONTOR_TEST_USER'], env['KONTOR_TEST_PASSWORD'], env['KONTOR_TEST_MAIL_DOMAIN']
address = f'{user}@{domain}'
r = subprocess.run([env['KONTORCTL_BIN'], 'accounts', 'add', address, '--display-name', 'Bench',
                    '--username', user, '--imap-host', env['KONTOR_TEST_HOST'],
                    '--imap-port', env['KONTOR_TEST_IMAPS_PORT'], '--imap-security', 'tls',
                    '--smtp-host', env['KONTOR_TEST_HOST'], '--smtp-port', env['KONTOR_TEST_SMTP_PORT'],
                    '--smtp-security', 'starttls', '--caldav-url', '', '--carddav-url', '',
                    '--webdav-url', '', '--trusted-certificate', env['KONTOR_TEST_CA_CERT']],
                   input=password + '\n', capture_output=True, text=True)
if r.returncode != 0:
    sys.exit(f'bench-send: the account could not be added: {r.stderr}')
account = r.stdout.strip()
deadline = time.monotonic() + 60
while True:
    try:
        call('Sync', '(s)', account)
        break
    except GLib.Error:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.5)
pid = call('GetConnectionUnixProcessID', '(s)', NAME, interface='org.freedesktop.DBus',
           name='org.freedesktop.DBus', path='/org/freedesktop/DBus')[0]
work = os.path.join(env.get('KONTOR_SESSION_DIR', '/tmp'), 'bench-send')
os.makedirs(work, exist_ok=True)
print(f'# send a {SIZE // (1024 * 1024)} MB attachment, {RUNS} runs, Kontor pid {pid}')

# Warm-up: a small message first, so that the SMTP connection's and the Sent folder's
# one-time costs are not counted as the attachment's.
warm = call('Send', '(a{sv})', {'to': GLib.Variant('as', [f'bob@{domain}']),
                                'subject': GLib.Variant('s', 'Warm-up'),
                                'body': GLib.Variant('s', 'First.')})[0]
while warm in {m['id'] for m in call('ListOutbox')[0]}:
    time.sleep(0.1)
print(f'# warm-up message sent; rss {rss_mb(pid):.1f} MB')

growths, peaks, latencies, seconds = [], [], [], []
for run in range(RUNS):
    path = os.path.join(work, f'attachment-{run}.bin')
    with open(path, 'wb') as f:
        f.write(os.urandom(SIZE))
    time.sleep(1)
    before = rss_mb(pid)
    samples, slowest, done = [before], [0.0], threading.Event()

    def sample():
        while not done.is_set():
            samples.append(rss_mb(pid))
            time.sleep(0.02)

    def ping():
        while not done.is_set():
            start = time.monotonic()
            bus.call_sync(NAME, PATH, 'org.freedesktop.DBus.Properties', 'Get',
                          GLib.Variant('(ss)', (MAIL1, 'WorkOffline')), None,
                          Gio.DBusCallFlags.NONE, 60000, None)
            slowest[0] = max(slowest[0], (time.monotonic() - start) * 1000)
            time.sleep(0.05)

    threads = [threading.Thread(target=sample), threading.Thread(target=ping)]
    for t in threads:
        t.start()
    start = time.monotonic()
    entry = call('Send', '(a{sv})', {'to': GLib.Variant('as', [f'bob@{domain}']),
                                     'subject': GLib.Variant('s', f'Big attachment {run}'),
                                     'body': GLib.Variant('s', 'The file is attached.'),
                                     'attachments': GLib.Variant('as', [path])})[0]
    while entry in {m['id'] for m in call('ListOutbox')[0]}:
        if time.monotonic() - start > 300:
            sys.exit(f'bench-send: {entry} still in the Outbox after 300 s')
        time.sleep(0.1)
    elapsed = time.monotonic() - start
    done.set()
    for t in threads:
        t.join()
    peak = max(samples)
    growth = (peak - before) / (SIZE / (1024 * 1024))
    print(f'# run {run + 1}: rss {before:.1f} MB before, peak {peak:.1f} MB, growth {growth:.2f}x '
          f'the file, sent and in Sent after {elapsed:.1f} s, slowest main-loop answer '
          f'{slowest[0]:.1f} ms')
    growths.append(growth)
    peaks.append(peak)
    latencies.append(slowest[0])
    seconds.append(elapsed)
    os.unlink(path)

print(f'kontor.send.20mb.growth_x.median: {median(growths):.2f}')
print(f'kontor.send.20mb.growth_x.max: {max(growths):.2f}')
print(f'kontor.send.20mb.peak_rss_mb.max: {max(peaks):.1f}')
print(f'kontor.send.20mb.seconds.median: {median(seconds):.1f}')
print(f'kontor.send.20mb.slowest_answer_ms.max: {max(latencies):.1f}')
print()
print(f'goal: memory growth sending 20 MB, worst run   {max(growths):6.2f} x  (goal < {GOAL_GROWTH} x)  '
      f'{"PASS" if max(growths) < GOAL_GROWTH else "MISSED"}')
print(f'goal: slowest main-loop answer while sending  {max(latencies):6.1f} ms (goal < {GOAL_LATENCY_MS} ms)  '
      f'{"PASS" if max(latencies) < GOAL_LATENCY_MS else "MISSED"}')
