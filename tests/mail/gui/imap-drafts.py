#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the test server holds, asked over IMAP as another client would, for the drafts
test: "count FOLDER SUBJECT" prints how many messages of FOLDER have SUBJECT in their
subject (deleted ones included: a copy flagged \\Deleted is still a copy); "show FOLDER
SUBJECT" prints the flags and then the whole first such message."""
import imaplib
import os
import ssl
import sys

env = os.environ
command, folder, subject = sys.argv[1:4]
ctx = ssl.create_default_context(cafile=env['KONTOR_TEST_CA_CERT'])
m = imaplib.IMAP4_SSL('127.0.0.1', int(env['KONTOR_TEST_IMAPS_PORT']), ssl_context=ctx)
m.login(env['KONTOR_TEST_USER'], env['KONTOR_TEST_PASSWORD'])
m.select(folder, readonly=True)
nums = m.search(None, 'SUBJECT', '"%s"' % subject)[1][0].split()
if command == 'count':
    print(len(nums))
elif nums:
    flags = m.fetch(nums[0], '(FLAGS)')[1][0].decode()
    raw = m.fetch(nums[0], '(BODY.PEEK[])')[1][0][1].decode('utf-8', 'replace')
    print(flags)
    print(raw)
m.logout()
