/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-compose.h: a new message from its fields (recipients, subject, text,
 * HTML, attachments) as a CamelMimeMessage ready to send. GTK-free. */
#pragma once

#include <camel/camel.h>

G_BEGIN_DECLS

typedef struct
{
  char *from; /* an e-mail address or an account id; NULL for the default account */
  GStrv to;   /* each entry one or more addresses ("Ada <ada@example.net>, b@example.org") */
  GStrv cc;
  GStrv bcc; /* in the envelope only, never in the headers (but in a draft's) */
  char *subject;
  char *body;          /* plain text, UTF-8 */
  char *html_body;     /* or NULL */
  GStrv attachments;   /* file names */
  GStrv inline_images; /* images the HTML shows, as files; with inline_ids, or NULL */
  GStrv inline_ids;    /* their Content-IDs, which the HTML names as "cid:ID" */
  char *in_reply_to;   /* a Message-ID, with or without <> */
  char *references;    /* Message-IDs separated by spaces */
  gboolean signature;  /* Send(): add the sender's signature to the text */
} KontorMailComposeFields;

/* Who the message is from, resolved from KontorMailComposeFields.from. */
typedef struct
{
  const char *name; /* may be NULL */
  const char *address;
} KontorMailSender;

KontorMailComposeFields *kontor_mail_compose_fields_new (void);
KontorMailComposeFields *kontor_mail_compose_fields_new_from_variant (GVariant *fields,
                                                                      GError **error);
void kontor_mail_compose_fields_free (KontorMailComposeFields *fields);

CamelMimeMessage *kontor_mail_compose_build (const KontorMailComposeFields *fields,
                                             const KontorMailSender *sender,
                                             CamelInternetAddress **out_recipients,
                                             GCancellable *cancellable,
                                             GError **error);
CamelMimeMessage *kontor_mail_compose_build_draft (const KontorMailComposeFields *fields,
                                                   const KontorMailSender *sender,
                                                   GCancellable *cancellable,
                                                   GError **error);
char *kontor_mail_compose_flow_text (const char *text);
gboolean kontor_mail_compose_address_is_valid (const char *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorMailComposeFields, kontor_mail_compose_fields_free)

G_END_DECLS
