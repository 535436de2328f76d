/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-reader.h: one message: its headers, remote-content banner, body and
 * attachments, or its source. */
#pragma once

#include <adwaita.h>

#include "kontor-mail-engine.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_READER (kontor_mail_reader_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailReader, kontor_mail_reader, KONTOR, MAIL_READER, GtkWidget)

void kontor_mail_reader_set_engine (KontorMailReader *self, KontorMailEngine *engine);
void kontor_mail_reader_show (KontorMailReader *self, const char *message_id);
void kontor_mail_reader_clear (KontorMailReader *self, const char *title);
const char *kontor_mail_reader_get_message_id (KontorMailReader *self);

G_END_DECLS
