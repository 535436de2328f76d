/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-message-row.h: one row of the message list, built in code. */
#pragma once

#include <gtk/gtk.h>

#include "kontor-mail-message.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_MESSAGE_ROW (kontor_mail_message_row_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailMessageRow,
                      kontor_mail_message_row,
                      KONTOR,
                      MAIL_MESSAGE_ROW,
                      GtkWidget)

GtkWidget *kontor_mail_message_row_new (void);
void kontor_mail_message_row_set_message (KontorMailMessageRow *self, KontorMailMessage *message);

G_END_DECLS
