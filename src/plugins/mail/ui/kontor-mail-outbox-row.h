/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-outbox-row.h: one Outbox message as a row of the Outbox view. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *kontor_mail_outbox_row_new (GVariant *entry, gboolean offline);
gboolean kontor_mail_outbox_entry_is_failing (GVariant *entry);
char *kontor_mail_outbox_entry_dup_status (GVariant *entry, gboolean offline);

G_END_DECLS
