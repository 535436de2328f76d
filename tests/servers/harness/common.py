# SPDX-License-Identifier: GPL-3.0-or-later
"""Ports, processes, certificates and readiness probes shared by the servers."""

import hashlib
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time

HOST = '127.0.0.1'
OTHER_HOST = '127.0.0.2'
PYTHON = '/usr/bin/python3'  # aiosmtpd and radicale live in the system Python
HERE = os.path.dirname(os.path.abspath(__file__))


class StartError(Exception):
    """A server did not come up: NAME: what happened, with its log."""

    def __init__(self, name, message):
        super().__init__(f'{name}: {message}')
        self.name = name


def write_atomic(path, data, mode=0o644):
    tmp = path + '.tmp'
    with open(tmp, 'wb' if isinstance(data, bytes) else 'w') as f:
        f.write(data)
    os.chmod(tmp, mode)
    os.rename(tmp, path)


def write_json(path, obj):
    write_atomic(path, json.dumps(obj, indent=2, sort_keys=True) + '\n')


def read_json(path):
    with open(path) as f:
        return json.load(f)


def tail(path, lines=30):
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError:
        return '(no log)\n'


# ---------------------------------------------------------------- processes

def spawn(name, argv, logs_dir):
    """Starts a server in its own session (so its process group can be ended as a
    whole), in the servers' folder, with its output in LOGS/NAME.log. Returns the Popen."""
    log = open(os.path.join(logs_dir, name + '.log'), 'ab')
    try:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True, close_fds=True,
                                cwd=os.path.dirname(logs_dir))
    finally:
        log.close()


def pid_alive(pid):
    """True while PID runs; a zombie counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f'/proc/{pid}/stat') as f:
            state = f.read().rsplit(')', 1)[1].split()[0]
        return state not in ('Z', 'X')
    except (OSError, IndexError):
        return False


def group_members(pgid):
    """Live processes of process group PGID."""
    members = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        # fields: state ppid pgrp ...
        if fields[0] not in ('Z', 'X') and int(fields[2]) == pgid:
            members.append(int(entry))
    return members


def reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _signal_group(pid, sig):
    """Signals PID's process group (servers are started as group leaders, and Dovecot
    shuts down at once when its children get the signal too), or PID alone."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _gone(pid):
    reap(pid)
    return not pid_alive(pid) and not group_members(pid)


def stop_pid(pid, grace=3.0):
    """SIGTERM to the server's group, wait for the exit, SIGKILL after GRACE seconds.
    True when nothing of it is left."""
    if _gone(pid):
        return True
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.01)
    _signal_group(pid, signal.SIGKILL)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.01)
    return False


# ---------------------------------------------------------------- certificates

OPENSSL_CNF = '''[req]
distinguished_name = dn
prompt = no
[dn]
CN = localhost
[localhost_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
[other_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.example
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
'''


def make_certs(cert_dir):
    """A fresh self-signed certificate for localhost/127.0.0.1 (also the trust anchor
    tests pass to clients) and one for other.example issued by it, so that a client
    trusting the first sees only a wrong name on the second."""
    os.makedirs(cert_dir, exist_ok=True)
    cnf = os.path.join(cert_dir, 'openssl.cnf')
    write_atomic(cnf, OPENSSL_CNF)
    p = {k: os.path.join(cert_dir, k + '.pem') for k in ('cert', 'key', 'other-cert', 'other-key')}
    common = ['openssl', 'req', '-x509', '-config', cnf, '-newkey', 'ec',
              '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30']
    for args in (['-extensions', 'localhost_ext', '-subj', '/CN=localhost',
                  '-keyout', p['key'], '-out', p['cert']],
                 ['-extensions', 'other_ext', '-subj', '/CN=other.example',
                  '-CA', p['cert'], '-CAkey', p['key'],
                  '-keyout', p['other-key'], '-out', p['other-cert']]):
        r = subprocess.run(common + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
        if r.returncode != 0:
            raise StartError('openssl', r.stderr)
    return p


def reuse_certs(cert_dir):
    """The certificates of an earlier start when all are there and valid for another
    day, else None."""
    p = {k: os.path.join(cert_dir, k + '.pem') for k in ('cert', 'key', 'other-cert', 'other-key')}
    if not all(os.path.exists(path) for path in p.values()):
        return None
    for cert in (p['cert'], p['other-cert']):
        r = subprocess.run(['openssl', 'x509', '-checkend', '86400', '-noout', '-in', cert],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            return None
    return p


def cert_sha256(path):
    with open(path) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    return ':'.join(f'{b:02X}' for b in hashlib.sha256(der).digest())


# ---------------------------------------------------------------- probes

def _connect(host, port, timeout):
    return socket.create_connection((host, port), timeout=timeout)


def probe_banner(host, port, prefix, tls=None, server_hostname=None, timeout=1.0):
    """True when HOST:PORT (optionally over TLS) sends a first line starting with PREFIX."""
    try:
        with _connect(host, port, timeout) as s:
            if tls is not None:
                s = tls.wrap_socket(s, server_hostname=server_hostname)
            data = b''
            while b'\n' not in data:
                chunk = s.recv(4096)
                if not chunk:
                    return False
                data += chunk
            ok = data.startswith(prefix)
            try:
                if tls is not None:
                    s.close()
            except OSError:
                pass
            return ok
    except (OSError, ssl.SSLError):
        return False


def probe_http(host, port, path='/', method='GET', expect=None, timeout=1.0):
    """True when an HTTP request gets a status (in EXPECT, if given)."""
    import http.client
    try:
        c = http.client.HTTPConnection(host, port, timeout=timeout)
        c.request(method, path)
        status = c.getresponse().status
        c.close()
        return expect is None or status in expect
    except (OSError, http.client.HTTPException):
        return False


def probe_connect(host, port, timeout=1.0):
    try:
        with _connect(host, port, timeout):
            return True
    except OSError:
        return False


def wait_file(path, proc, deadline):
    """Waits for a ready file written by a child process; False when the child died."""
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    return False


def log(*args):
    print('kontor-test-servers:', *args, file=sys.stderr)
