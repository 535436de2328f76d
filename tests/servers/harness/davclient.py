# SPDX-License-Identifier: GPL-3.0-or-later
"""A minimal HTTP client for the harness' own DAV requests."""

import base64
import http.client
import urllib.parse


def request(url, method='GET', body=None, headers=None, auth=None, timeout=10):
    """Returns (status, headers, text)."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    h = dict(headers or {})
    if auth is not None:
        token = base64.b64encode(f'{auth[0]}:{auth[1]}'.encode()).decode()
        h['Authorization'] = 'Basic ' + token
    try:
        conn.request(method, u.path + (('?' + u.query) if u.query else ''), body=body, headers=h)
        r = conn.getresponse()
        text = r.read().decode('utf-8', 'replace')
        return r.status, dict(r.getheaders()), text
    finally:
        conn.close()
