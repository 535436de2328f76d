/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-draft.h: what a new message starts with (sender, recipients, subject, body,
 * threading headers, attachments), built from a reply, a forward or a mailto: link and
 * handed to the composer or to Mail1; GTK-free. */
#pragma once

#include <camel/camel.h>

G_BEGIN_DECLS

typedef struct _KontorMailDraft KontorMailDraft;
typedef struct _KontorMailDraftPrivate KontorMailDraftPrivate;

typedef enum
{
  KONTOR_MAIL_DRAFT_TO,
  KONTOR_MAIL_DRAFT_CC,
  KONTOR_MAIL_DRAFT_BCC,
} KontorMailDraftField;

/**
 * KontorMailDraft:
 * @identity: the index of the identity to send from, -1 when none was given
 * @from: the identity as "Name <address>", or %NULL
 * @to: (element-type utf8): the To recipients as RFC 5322 "Name <address>" (UTF-8, not
 *   yet RFC 2047 encoded), no address twice in @to, @cc and @bcc together
 * @cc: (element-type utf8): the Cc recipients, alike
 * @bcc: (element-type utf8): the Bcc recipients, alike
 * @subject: the subject on one line, never %NULL
 * @body: the plain-text body, lines ending in "\n", never %NULL
 * @in_reply_to: the In-Reply-To header, "<id>", or %NULL
 * @references: the References header, "<id> <id> ...", or %NULL
 * @attachments: (element-type CamelMimePart): the parts to attach, in order
 * @no_list_found: a reply to the list was asked for, but the message names no list to
 *   post to (RFC 2369 List-Post), so the draft goes where a plain reply would
 */
struct _KontorMailDraft
{
  int identity;
  char *from;
  GPtrArray *to;
  GPtrArray *cc;
  GPtrArray *bcc;
  char *subject;
  char *body;
  char *in_reply_to;
  char *references;
  GPtrArray *attachments;
  gboolean no_list_found;

  /*< private >*/
  KontorMailDraftPrivate *priv;
};

#define KONTOR_TYPE_MAIL_DRAFT (kontor_mail_draft_get_type ())

GType kontor_mail_draft_get_type (void) G_GNUC_CONST;

KontorMailDraft *kontor_mail_draft_new (void);
KontorMailDraft *kontor_mail_draft_ref (KontorMailDraft *draft);
void kontor_mail_draft_unref (KontorMailDraft *draft);
gboolean kontor_mail_draft_add_recipient (KontorMailDraft *draft,
                                          KontorMailDraftField field,
                                          const char *name,
                                          const char *address);
guint kontor_mail_draft_add_recipients (KontorMailDraft *draft,
                                        KontorMailDraftField field,
                                        CamelInternetAddress *addresses);
gboolean kontor_mail_draft_has_recipient (KontorMailDraft *draft, const char *address);
char *kontor_mail_draft_format_address (const char *name, const char *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorMailDraft, kontor_mail_draft_unref)

G_END_DECLS
