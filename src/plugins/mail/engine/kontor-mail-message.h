/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-message.h: one row of a message list, read from the folder summary
 * when the row is shown and refreshed when its flags change. */
#pragma once

#include <camel/camel.h>

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_MESSAGE (kontor_mail_message_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailMessage, kontor_mail_message, KONTOR, MAIL_MESSAGE, GObject)

KontorMailMessage *kontor_mail_message_new (const char *folder_id, CamelMessageInfo *info);
KontorMailMessage *kontor_mail_message_new_from_fields (const char *folder_id,
                                                        const char *uid,
                                                        const char *subject,
                                                        const char *from,
                                                        const char *to,
                                                        gint64 date,
                                                        guint32 flags,
                                                        guint32 size);
void kontor_mail_message_update (KontorMailMessage *self, CamelMessageInfo *info);
void kontor_mail_message_set_thread_count (KontorMailMessage *self, guint count);
guint kontor_mail_message_get_thread_count (KontorMailMessage *self);
const char *kontor_mail_message_get_id (KontorMailMessage *self);
const char *kontor_mail_message_get_folder_id (KontorMailMessage *self);
const char *kontor_mail_message_get_uid (KontorMailMessage *self);
const char *kontor_mail_message_get_subject (KontorMailMessage *self);
const char *kontor_mail_message_get_from (KontorMailMessage *self);
const char *kontor_mail_message_get_sender (KontorMailMessage *self);
const char *kontor_mail_message_get_to (KontorMailMessage *self);
gint64 kontor_mail_message_get_date (KontorMailMessage *self);
guint32 kontor_mail_message_get_flags (KontorMailMessage *self);
guint32 kontor_mail_message_get_size (KontorMailMessage *self);
gboolean kontor_mail_message_get_unread (KontorMailMessage *self);
gboolean kontor_mail_message_get_flagged (KontorMailMessage *self);
gboolean kontor_mail_message_get_has_attachments (KontorMailMessage *self);

GStrv kontor_mail_flags_to_strv (guint32 flags, gboolean junk);
gboolean kontor_mail_flags_from_strv (const char *const *names,
                                      guint32 *out_flags,
                                      gboolean *out_junk,
                                      GError **error);
char *kontor_mail_address_display (const char *address_list);

G_END_DECLS
