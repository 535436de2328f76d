/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-reply-private.h: the bodies kontor-mail-reply-text.c writes for
 * kontor-mail-reply.c. */
#pragma once

#include "kontor-mail-content.h"
#include "kontor-mail-reply.h"

G_BEGIN_DECLS

char *kontor_mail_reply_build_body (KontorMailContent *content, const char *name);
char *kontor_mail_reply_build_forward_body (KontorMailContent *content);

G_END_DECLS
