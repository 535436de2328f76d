/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-compose-private.h: what building a message and writing its text share. */
#pragma once

#include "kontor-mail-compose.h"

G_BEGIN_DECLS

char *kontor_mail_compose_encode_words (const char *text);
void kontor_mail_compose_set_address_header (CamelMimeMessage *message,
                                             const char *header,
                                             CamelInternetAddress *addresses);
void kontor_mail_compose_set_filename (CamelMimePart *part, const char *name);

/* kontor-mail-compose-related.c */
CamelMimePart *kontor_mail_compose_related_new (CamelMimePart *html,
                                                const char *const *paths,
                                                const char *const *ids,
                                                GError **error);
gboolean kontor_mail_compose_fields_take_inline_images (KontorMailComposeFields *fields,
                                                        GVariant *value,
                                                        GError **error);

G_END_DECLS
