/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-message-file.h: a message file read with each part's content held once. */
#pragma once

#include <camel/camel.h>

G_BEGIN_DECLS

CamelMimeMessage *kontor_mail_message_load_file (const char *path, GError **error);

G_END_DECLS
