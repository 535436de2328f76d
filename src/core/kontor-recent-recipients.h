/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-recent-recipients.h: the addresses the user sent mail to, how often and when,
 * kept in a file across sessions. */
#pragma once

#include <gio/gio.h>

#include "kontor-completion-query.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_RECENT_RECIPIENTS (kontor_recent_recipients_get_type ())

G_DECLARE_FINAL_TYPE (KontorRecentRecipients,
                      kontor_recent_recipients,
                      KONTOR,
                      RECENT_RECIPIENTS,
                      GObject)

KontorRecentRecipients *kontor_recent_recipients_new (const char *path);
void kontor_recent_recipients_load_async (KontorRecentRecipients *self,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean kontor_recent_recipients_load_finish (KontorRecentRecipients *self,
                                               GAsyncResult *result,
                                               GError **error);
void kontor_recent_recipients_note_used (KontorRecentRecipients *self,
                                         const char *const *addresses,
                                         gint64 now);
GPtrArray *kontor_recent_recipients_match (KontorRecentRecipients *self,
                                           const KontorCompletionQuery *query,
                                           gint64 now);
void kontor_recent_recipients_flush_async (KontorRecentRecipients *self,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
gboolean kontor_recent_recipients_flush_finish (KontorRecentRecipients *self,
                                                GAsyncResult *result,
                                                GError **error);
double kontor_recent_recipients_frecency (guint count, gint64 last_used, gint64 now);

G_END_DECLS
