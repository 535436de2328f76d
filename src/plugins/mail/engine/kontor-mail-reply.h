/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-reply.h: the draft that answers or forwards a message: who it goes to,
 * from which of the user's identities, its subject, threading headers, quoted body and
 * forwarded parts; GTK-free. */
#pragma once

#include <camel/camel.h>

#include "kontor-mail-draft.h"

G_BEGIN_DECLS

typedef enum
{
  KONTOR_MAIL_REPLY_MODE_REPLY,
  KONTOR_MAIL_REPLY_MODE_REPLY_ALL,
  KONTOR_MAIL_REPLY_MODE_REPLY_LIST,
  KONTOR_MAIL_REPLY_MODE_FORWARD_INLINE,
  KONTOR_MAIL_REPLY_MODE_FORWARD_ATTACHMENT,
} KontorMailReplyMode;

/**
 * KontorMailIdentity:
 * @address: the address the user sends from
 * @name: (nullable): the display name sent with it
 * @aliases: (nullable) (array zero-terminated=1): the identity's other addresses,
 *   "address" or "Name <address>": recognised as the user's, and a reply to a message
 *   sent to one of them comes from it
 *
 * One of the user's identities, as the account settings hold it; borrowed.
 */
typedef struct
{
  const char *address;
  const char *name;
  const char *const *aliases;
} KontorMailIdentity;

KontorMailDraft *kontor_mail_reply_new_draft (CamelMimeMessage *message,
                                              const KontorMailIdentity *identities,
                                              guint n_identities,
                                              KontorMailReplyMode mode);
char *kontor_mail_reply_dup_subject (const char *subject, KontorMailReplyMode mode);
char *kontor_mail_reply_quote (const char *text);

G_END_DECLS
