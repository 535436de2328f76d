# SPDX-License-Identifier: GPL-3.0-or-later
"""Real servers on loopback for Kontor's tests: Dovecot, an SMTP sink, Radicale,
lighttpd WebDAV and a fault proxy, all started from one folder."""
