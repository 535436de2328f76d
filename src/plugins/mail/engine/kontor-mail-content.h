/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-content.h: what a user reads of a parsed message (decoded headers, text,
 * HTML, attachments), for the reader and for Mail1.GetMessage; GTK-free. */
#pragma once

#include <camel/camel.h>
#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _KontorMailAttachment KontorMailAttachment;
typedef struct _KontorMailContent KontorMailContent;
typedef struct _KontorMailContentPrivate KontorMailContentPrivate;

/**
 * KontorMailAttachment:
 * @name: the file name, decoded (RFC 2231, RFC 2047, raw 8-bit), without directories;
 *   "attachment-N.ext" when the message gives none
 * @mime_type: the lower-case "type/subtype"
 * @size: the size in bytes once decoded, what saving it writes
 * @content_id: the Content-ID without angle brackets, or %NULL
 * @is_inline: the sender meant it to be shown in the body (Content-Disposition: inline,
 *   or a part of a multipart/related)
 * @is_referenced: the reader's document shows it (a cid: reference of the HTML, or an
 *   inline image placed where it stands)
 * @part: the MIME part
 */
struct _KontorMailAttachment
{
  char *name;
  char *mime_type;
  guint64 size;
  char *content_id;
  gboolean is_inline;
  gboolean is_referenced;
  CamelMimePart *part;
};

/**
 * KontorMailContent:
 * @subject: the decoded subject, or %NULL
 * @from: the From addresses, "Name <address>, ...", or %NULL
 * @to: the To addresses (all To headers), or %NULL
 * @cc: the Cc addresses, or %NULL
 * @reply_to: the Reply-To addresses, or %NULL
 * @message_id: the Message-ID without angle brackets, or %NULL
 * @date: the Date as unix time, 0 when missing or unreadable
 * @text: the readable body as plain UTF-8, never %NULL
 * @html: the HTML body decoded to UTF-8, exactly as sent, or %NULL
 * @attachments: (element-type KontorMailAttachment): the attachments, in message order
 * @is_signed: the message is signed (S/MIME or OpenPGP), not verified here
 * @is_encrypted: the message, or its body, is encrypted and cannot be shown
 * @is_partial_or_broken: the structure could not be fully understood
 * @problem: (nullable): what went wrong, for the user, when @is_partial_or_broken
 */
struct _KontorMailContent
{
  char *subject;
  char *from;
  char *to;
  char *cc;
  char *reply_to;
  char *message_id;
  gint64 date;
  char *text;
  char *html;
  GPtrArray *attachments;
  gboolean is_signed;
  gboolean is_encrypted;
  gboolean is_partial_or_broken;
  char *problem;

  /*< private >*/
  KontorMailContentPrivate *priv;
};

#define KONTOR_TYPE_MAIL_CONTENT    (kontor_mail_content_get_type ())
#define KONTOR_TYPE_MAIL_ATTACHMENT (kontor_mail_attachment_get_type ())

GType kontor_mail_content_get_type (void) G_GNUC_CONST;
GType kontor_mail_attachment_get_type (void) G_GNUC_CONST;

KontorMailContent *kontor_mail_content_new (CamelMimeMessage *message);
KontorMailContent *kontor_mail_content_ref (KontorMailContent *content);
void kontor_mail_content_unref (KontorMailContent *content);
CamelMimeMessage *kontor_mail_content_get_message (KontorMailContent *content);
CamelMimePart *kontor_mail_content_find_cid (KontorMailContent *content, const char *cid);
char *kontor_mail_content_build_document (KontorMailContent *content, gboolean allow_remote);
gboolean kontor_mail_content_has_remote_content (KontorMailContent *content);

KontorMailAttachment *kontor_mail_attachment_ref (KontorMailAttachment *attachment);
void kontor_mail_attachment_unref (KontorMailAttachment *attachment);
gboolean kontor_mail_attachment_save (KontorMailAttachment *attachment,
                                      GFile *destination,
                                      GCancellable *cancellable,
                                      GError **error);

GBytes *kontor_mail_part_dup_bytes (CamelMimePart *part, GCancellable *cancellable, GError **error);
char *kontor_mail_decode_to_utf8 (const char *data, gsize length, const char *charset);

CamelMimeMessage *kontor_mail_message_from_bytes (GBytes *bytes, GError **error);
CamelMimeMessage *
kontor_mail_message_from_file (GFile *file, GCancellable *cancellable, GError **error);
GBytes *kontor_mail_message_dup_source (CamelMimeMessage *message,
                                        GCancellable *cancellable,
                                        GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorMailContent, kontor_mail_content_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorMailAttachment, kontor_mail_attachment_unref)

G_END_DECLS
