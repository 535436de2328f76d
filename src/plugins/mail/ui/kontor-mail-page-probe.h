/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-page-probe.h: timing hooks of the message list for the Mail benchmark. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Every call returns at once unless KONTOR_MAIL_PROBE is set in the environment. */
void kontor_mail_page_probe_attach (GtkWidget *page,
                                    GtkListView *message_view,
                                    GListModel *message_list_model_or_null);
void kontor_mail_page_probe_folder_opened (GtkWidget *page, const char *folder_id);
void kontor_mail_page_probe_list_swapped (GtkWidget *page, GListModel *list);
void kontor_mail_page_probe_list_loaded (GtkWidget *page);
void kontor_mail_probe_time_window (GtkWindow *window, const char *kind, gint64 start_us);

G_END_DECLS
