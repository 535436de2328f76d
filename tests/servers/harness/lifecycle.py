# SPDX-License-Identifier: GPL-3.0-or-later
"""start and stop: brings every server up on free loopback ports, checks each one
answers, and writes DIR/servers.json, DIR/servers.env and DIR/pids."""

import os
import shlex
import shutil
import socket
import ssl
import time

from . import common, dovecot, lighttpd, radicale

MANAGED = ('certs', 'dovecot', 'mail', 'smtp', 'radicale', 'webdav', 'logs', 'run')
# What start --keep leaves in place: the certificates (while valid), the mail, the sink's
# messages, the calendars and contacts, the files. Configurations are written anew.
KEPT = ('certs', 'dovecot', 'mail', 'smtp', 'radicale', 'webdav')
# Ports start --keep asks for again, so that clients configured for them keep working.
PORT_NAMES = ('imap', 'imaps', 'imaps_other', 'radicale', 'http', 'smtp', 'smtps')


class PortTaken(Exception):
    pass


# ---------------------------------------------------------------- pids

def _start_time(pid):
    try:
        with open(f'/proc/{pid}/stat') as f:
            return f.read().rsplit(')', 1)[1].split()[19]
    except (OSError, IndexError):
        return '0'


def _record(d, name, pid):
    with open(os.path.join(d, 'pids'), 'a') as f:
        f.write(f'{name} {pid} {_start_time(pid)}\n')


def read_pids(d, path='pids'):
    """[(name, pid, start time)] from DIR/pids."""
    try:
        with open(os.path.join(d, path)) as f:
            rows = [line.split() for line in f if line.strip()]
    except FileNotFoundError:
        return []
    return [(r[0], int(r[1]), r[2] if len(r) > 2 else None) for r in rows]


def _same_process(pid, start):
    return start is None or _start_time(pid) == start


def running(d):
    return [(n, p) for n, p, s in read_pids(d) if common.pid_alive(p) and _same_process(p, s)]


def _stop_rows(rows):
    ok = True
    for name, pid, start in reversed(rows):
        if pid == os.getpid():
            continue
        if common.pid_alive(pid) and not _same_process(pid, start):
            continue  # the pid now belongs to someone else
        if not common.stop_pid(pid):
            common.log(f'{name} (pid {pid}) did not stop')
            ok = False
    return ok


def stop(d):
    """Stops everything DIR/pids names, last started first. True when all are gone."""
    d = os.path.abspath(d)
    ok = _stop_rows(read_pids(d))
    pids = os.path.join(d, 'pids')
    if os.path.exists(pids):
        os.replace(pids, pids + '.stopped')
    return ok


def watch(d, pid):
    """Runs until PID (the script that started the servers) ends, then stops them: a
    test killed by a timeout leaves nothing behind."""
    d = os.path.abspath(d)
    rows = read_pids(d)
    while common.pid_alive(pid):
        rows = read_pids(d) or rows
        time.sleep(0.2)
    rows = read_pids(d) or rows
    if rows:
        common.log(f'pid {pid} is gone: stopping the servers in {d}')
        _stop_rows(rows)
        if os.path.exists(os.path.join(d, 'pids')):
            os.replace(os.path.join(d, 'pids'), os.path.join(d, 'pids.stopped'))


# ---------------------------------------------------------------- start

def _bind(host, preferred=None):
    """A socket bound to PREFERRED when it is free, else to any free port."""
    if preferred:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # The servers themselves bind with SO_REUSEADDR: connections of the last run in
        # TIME_WAIT do not keep the port from them.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, preferred))
            return s
        except OSError:
            s.close()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((host, 0))
    return s


def _pick_ports(preferred=None):
    """Distinct free ports: all held open together while picking. PREFERRED: name ->
    port to take again where still free."""
    preferred = preferred or {}
    socks = []
    try:
        ports = {}
        for name, host in (('imap', common.HOST), ('imaps', common.HOST),
                           ('imaps_other', common.OTHER_HOST), ('radicale', common.HOST),
                           ('http', common.HOST)):
            s = _bind(host, preferred.get(name))
            socks.append(s)
            ports[name] = s.getsockname()[1]
        return ports
    finally:
        for s in socks:
            s.close()


def _tls_client(cafile):
    return ssl.create_default_context(cafile=cafile)


def _insecure_client():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _fail(d, name, message, logs):
    text = ''.join(f'--- {os.path.basename(p)}\n{common.tail(p)}' for p in logs)
    if 'Address already in use' in text:
        raise PortTaken(name)
    raise common.StartError(name, f'{message}\n{text}')


def _wait_ready(d, checks, deadline):
    """CHECKS: [(name, Popen, [log paths], probe)]; polls until every probe is true."""
    pending = list(checks)
    while pending:
        for item in list(pending):
            name, proc, logs, probe = item
            if proc.poll() is not None:
                _fail(d, name, f'exited with status {proc.returncode}', logs)
            if probe():
                pending.remove(item)
        if not pending:
            return
        if time.monotonic() > deadline:
            name, proc, logs, probe = pending[0]
            _fail(d, name, 'did not answer in time', logs)
        time.sleep(0.03)


def _start_python(d, name, script, cfg):
    cfg_path = os.path.join(d, 'run', name + '.json')
    cfg['ready'] = os.path.join(d, 'run', name + '.ready')
    common.write_json(cfg_path, cfg)
    argv = [common.PYTHON, '-B', os.path.join(common.HERE, script), cfg_path]
    proc = common.spawn(name, argv, os.path.join(d, 'logs'))
    _record(d, name, proc.pid)
    return proc, cfg['ready']


def _ready_file(d, name, proc, path, deadline):
    if not common.wait_file(path, proc, deadline):
        log = os.path.join(d, 'logs', name + '.log')
        _fail(d, name, 'did not start', [log])
    return common.read_json(path)


def previous_state(d):
    """The servers.json of the last start in DIR (users in their order), or {}."""
    try:
        state = common.read_json(os.path.join(d, 'servers.json'))
    except (OSError, ValueError):
        return {}
    users = state.get('users') or {}
    order = [u for u in state.get('user_order', []) if u in users]
    state['users'] = {u: users[u] for u in order + sorted(set(users) - set(order))}
    return state


def _clear(d, keep):
    for sub in MANAGED:
        if not (keep and sub in KEPT):
            shutil.rmtree(os.path.join(d, sub), ignore_errors=True)
    if keep:  # sockets and temporary files of the last run
        for sub in ('dovecot/run', 'webdav/tmp'):
            shutil.rmtree(os.path.join(d, sub), ignore_errors=True)
    for f in ('servers.json', 'servers.env', 'pids', 'pids.stopped'):
        if os.path.exists(os.path.join(d, f)):
            os.remove(os.path.join(d, f))


def _start_once(d, users, domain, timeout, keep=False, preferred=None):
    deadline = time.monotonic() + timeout
    _clear(d, keep)
    logs = os.path.join(d, 'logs')
    for sub in ('logs', 'run', 'smtp'):
        os.makedirs(os.path.join(d, sub), exist_ok=True)

    certs = None
    if keep:
        certs = common.reuse_certs(os.path.join(d, 'certs'))
    if certs is None:
        certs = common.make_certs(os.path.join(d, 'certs'))
    preferred = preferred or {}
    ports = _pick_ports(preferred)
    ports['instance'] = f'kontor-test-{ports["imap"]}'
    uid, gid = dovecot.mail_owner()
    mail_dir = os.path.join(d, 'mail')

    # Dovecot
    dconf = dovecot.write_config(d, ports, users, certs)
    dproc = dovecot.start(d, dconf)
    _record(d, 'dovecot', dproc.pid)

    # SMTP sink: binds its own ports and reports them
    sink_proc, sink_ready = _start_python(d, 'smtp-sink', 'smtp_sink.py', {
        'host': common.HOST, 'cert': certs['cert'], 'key': certs['key'],
        'users': users, 'mail_domain': domain, 'smtp_dir': os.path.join(d, 'smtp'),
        'mail_dir': mail_dir, 'mail_uid': uid, 'mail_gid': gid,
        'ports': {k: preferred[k] for k in ('smtp', 'smtps') if preferred.get(k)}})

    # Radicale
    rconf = radicale.write_config(d, ports['radicale'], users)
    rproc = radicale.start(d, rconf)
    _record(d, 'radicale', rproc.pid)

    sink = _ready_file(d, 'smtp-sink', sink_proc, sink_ready, deadline)
    ports['smtp'], ports['smtps'] = sink['smtp'], sink['smtps']

    # Fault proxy: in front of Dovecot's plain IMAP port and the sink
    fproc, fready = _start_python(d, 'faults', 'faults.py', {
        'host': common.HOST, 'imap_port': ports['imap'], 'smtp_port': ports['smtp']})

    # lighttpd: files, discovery and autoconfig
    lconf = lighttpd.write_config(d, ports['http'], users, ports, domain)
    lproc = lighttpd.start(d, lconf)
    _record(d, 'lighttpd', lproc.pid)

    fault_ports = _ready_file(d, 'faults', fproc, fready, deadline)
    ports['closed'] = fault_ports.pop('closed')
    fault_ports.pop('pid', None)
    ports['faults'] = fault_ports

    ca = _tls_client(certs['cert'])
    insecure = _insecure_client()
    h = common.HOST
    dlogs = [os.path.join(logs, 'dovecot.log')]
    checks = [
        ('dovecot imap', dproc, dlogs,
         lambda: common.probe_banner(h, ports['imap'], b'* OK')),
        ('dovecot imaps', dproc, dlogs,
         lambda: common.probe_banner(h, ports['imaps'], b'* OK', ca, 'localhost')),
        ('dovecot imaps on 127.0.0.2', dproc, dlogs,
         lambda: common.probe_banner(common.OTHER_HOST, ports['imaps_other'], b'* OK',
                                     insecure)),
        ('smtp sink', sink_proc, [os.path.join(logs, 'smtp-sink.log')],
         lambda: common.probe_banner(h, ports['smtp'], b'220')),
        ('smtps sink', sink_proc, [os.path.join(logs, 'smtp-sink.log')],
         lambda: common.probe_banner(h, ports['smtps'], b'220', ca, 'localhost')),
        ('radicale', rproc, [os.path.join(logs, 'radicale.log')],
         lambda: common.probe_http(h, ports['radicale'], f'/{next(iter(users))}/',
                                   'PROPFIND', (401,))),
        ('lighttpd', lproc, [os.path.join(logs, 'lighttpd.log'),
                             os.path.join(logs, 'lighttpd-error.log')],
         lambda: common.probe_http(h, ports['http'],
                                   f'/remote.php/dav/files/{next(iter(users))}/', 'PROPFIND',
                                   (401,))),
        ('fault proxy', fproc, [os.path.join(logs, 'faults.log')],
         lambda: common.probe_banner(h, fault_ports['imap-refuse-login'], b'* OK')),
    ]
    _wait_ready(d, checks, deadline)

    urls = {
        'dav_base': f'http://{h}:{ports["radicale"]}/',
        'http_base': f'http://{h}:{ports["http"]}/',
    }
    radicale.make_collections(urls['dav_base'].rstrip('/'), users)
    first = next(iter(users))
    urls.update({
        'caldav': f'{urls["dav_base"]}{first}/calendar/',
        'carddav': f'{urls["dav_base"]}{first}/contacts/',
        'webdav': f'{urls["http_base"]}remote.php/dav/files/{first}/',
        'autoconfig': f'{urls["http_base"]}.well-known/autoconfig/mail/config-v1.1.xml',
    })
    return {
        'dir': d,
        'host': h,
        'other_host': common.OTHER_HOST,
        'mail_domain': domain,
        'users': users,
        'user_order': list(users),  # servers.json sorts the keys; the first user matters
        'ports': ports,
        'urls': urls,
        'certs': {'ca': certs['cert'], 'ca_key': certs['key'], 'other': certs['other-cert'],
                  'other_key': certs['other-key'],
                  'ca_sha256': common.cert_sha256(certs['cert']),
                  'other_sha256': common.cert_sha256(certs['other-cert'])},
        'dovecot': {'conf': dconf, 'instance': ports['instance'],
                    'chroot': os.geteuid() == 0, 'mail_uid': uid, 'mail_gid': gid},
        'paths': {'mail': mail_dir, 'smtp': os.path.join(d, 'smtp'), 'logs': logs},
        'pids': {n: p for n, p, _ in read_pids(d)},
    }


def start(d, users, domain, timeout=10.0, cli=None, watch_pid=None, keep=False):
    """Starts everything in DIR; returns the state (also in DIR/servers.json). On failure
    stops what it started and raises StartError. KEEP: the data of the last start in DIR
    (mail, calendars, contacts, files, certificates) is served again, on the same ports
    where they are still free."""
    d = os.path.abspath(d)
    os.makedirs(d, exist_ok=True)
    if running(d):
        raise common.StartError(d, 'servers are already running here; stop them first')
    preferred = {}
    if keep:
        preferred = {k: v for k, v in previous_state(d).get('ports', {}).items()
                     if k in PORT_NAMES and isinstance(v, int)}
    for attempt in range(3):
        try:
            state = _start_once(d, users, domain, timeout, keep, preferred)
            break
        except PortTaken as e:
            stop(d)
            common.log(f'{e}: a port was taken meanwhile, starting again')
            if attempt == 2:
                raise common.StartError(str(e), 'ports kept being taken') from None
        except BaseException:
            stop(d)
            raise
    state['cli'] = cli
    if watch_pid:
        script = os.path.join(os.path.dirname(common.HERE), 'kontor-test-servers')
        proc = common.spawn('watchdog', [common.PYTHON, '-B', script, 'watch', d,
                                         str(watch_pid)], os.path.join(d, 'logs'))
        _record(d, 'watchdog', proc.pid)
        state['pids']['watchdog'] = proc.pid
    common.write_json(os.path.join(d, 'servers.json'), state)
    common.write_atomic(os.path.join(d, 'servers.env'), env_text(state))
    return state


def env_vars(state):
    """The KONTOR_TEST_* variables tests read."""
    p, u, c = state['ports'], state['urls'], state['certs']
    first = next(iter(state['users']))
    v = {
        'KONTOR_TEST_SERVERS_DIR': state['dir'],
        'KONTOR_TEST_SERVERS_CLI': state.get('cli') or '',
        'KONTOR_TEST_HOST': state['host'],
        'KONTOR_TEST_MAIL_DOMAIN': state['mail_domain'],
        'KONTOR_TEST_USERS': ','.join(f'{k}:{pw}' for k, pw in state['users'].items()),
        'KONTOR_TEST_USER': first,
        'KONTOR_TEST_PASSWORD': state['users'][first],
        'KONTOR_TEST_IMAP_PORT': p['imap'],
        'KONTOR_TEST_IMAPS_PORT': p['imaps'],
        'KONTOR_TEST_IMAPS_WRONG_HOST': f'{state["other_host"]}:{p["imaps_other"]}',
        'KONTOR_TEST_IMAPS_WRONG_HOST_ADDR': state['other_host'],
        'KONTOR_TEST_IMAPS_WRONG_HOST_PORT': p['imaps_other'],
        'KONTOR_TEST_SMTP_PORT': p['smtp'],
        'KONTOR_TEST_SMTPS_PORT': p['smtps'],
        'KONTOR_TEST_DAV_PORT': p['radicale'],
        'KONTOR_TEST_DAV_BASE': u['dav_base'],
        'KONTOR_TEST_CALDAV_URL': u['caldav'],
        'KONTOR_TEST_CARDDAV_URL': u['carddav'],
        'KONTOR_TEST_HTTP_PORT': p['http'],
        'KONTOR_TEST_HTTP_BASE': u['http_base'],
        'KONTOR_TEST_WEBDAV_URL': u['webdav'],
        'KONTOR_TEST_AUTOCONFIG_URL': u['autoconfig'],
        'KONTOR_TEST_CA_CERT': c['ca'],
        'KONTOR_TEST_CA_CERT_SHA256': c['ca_sha256'],
        'KONTOR_TEST_OTHER_CERT': c['other'],
        'KONTOR_TEST_OTHER_CERT_SHA256': c['other_sha256'],
        'KONTOR_TEST_CLOSED_PORT': p['closed'],
        'KONTOR_TEST_MAIL_DIR': state['paths']['mail'],
        'KONTOR_TEST_SMTP_DIR': state['paths']['smtp'],
        'KONTOR_TEST_DOVECOT_CONF': state['dovecot']['conf'],
    }
    for name, port in sorted(p['faults'].items()):
        v['KONTOR_TEST_FAULT_' + name.upper().replace('-', '_') + '_PORT'] = port
    return v


def env_text(state):
    return ''.join(f'{k}={shlex.quote(str(v))}\n' for k, v in env_vars(state).items())
