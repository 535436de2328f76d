/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-engine.h: every enabled mail account, the folder tree with the unified
 * Inbox, and the operations the UI and the Mail1 D-Bus interface share. GTK-free. */
#pragma once

#include <camel/camel.h>

#include "kontor-account-service.h"
#include "kontor-mail-account.h"
#include "kontor-mail-folder.h"
#include "kontor-mail-message-list.h"
#include "kontor-mail-outbox.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_ENGINE (kontor_mail_engine_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailEngine, kontor_mail_engine, KONTOR, MAIL_ENGINE, GObject)

KontorMailEngine *kontor_mail_engine_new (KontorAccountService *accounts,
                                          const char *data_dir,
                                          const char *cache_dir);
void kontor_mail_engine_start (KontorMailEngine *self);
void kontor_mail_engine_shutdown (KontorMailEngine *self);
gboolean kontor_mail_engine_get_ready (KontorMailEngine *self);
GListModel *kontor_mail_engine_get_folders (KontorMailEngine *self);
KontorMailFolder *kontor_mail_engine_lookup_folder (KontorMailEngine *self, const char *folder_id);
KontorMailAccount *kontor_mail_engine_lookup_account (KontorMailEngine *self,
                                                      const char *account_id);
GPtrArray *
kontor_mail_engine_list_folders (KontorMailEngine *self, const char *account_id, GError **error);
gboolean kontor_mail_engine_get_work_offline (KontorMailEngine *self);
void kontor_mail_engine_set_work_offline (KontorMailEngine *self, gboolean work_offline);
void kontor_mail_engine_set_body_days (KontorMailEngine *self, int days);
GHashTable *kontor_mail_engine_dup_hidden (KontorMailEngine *self);
KontorMailOutbox *kontor_mail_engine_get_outbox (KontorMailEngine *self);

/* Run in a worker thread (the D-Bus implementation and the async wrappers do). */
KontorMailMessageList *kontor_mail_engine_open_list_sync (KontorMailEngine *self,
                                                          const char *folder_id,
                                                          gboolean live,
                                                          GCancellable *cancellable,
                                                          GError **error);
KontorMailMessageList *kontor_mail_engine_open_list_newest_sync (KontorMailEngine *self,
                                                                 const char *folder_id,
                                                                 KontorMailSort sort,
                                                                 KontorMailFilter filter,
                                                                 guint limit,
                                                                 GCancellable *cancellable,
                                                                 GError **error);
GHashTable *kontor_mail_engine_open_list_folders_sync (KontorMailEngine *self,
                                                       KontorMailMessageList *list,
                                                       const char *list_id,
                                                       GCancellable *cancellable,
                                                       GError **error);
CamelMimeMessage *kontor_mail_engine_get_message_sync (KontorMailEngine *self,
                                                       const char *message_id,
                                                       GCancellable *cancellable,
                                                       GError **error);
CamelMessageInfo *kontor_mail_engine_dup_info_sync (KontorMailEngine *self,
                                                    const char *message_id,
                                                    GCancellable *cancellable,
                                                    GError **error);
gboolean kontor_mail_engine_set_flags_sync (KontorMailEngine *self,
                                            const char *const *message_ids,
                                            const char *const *add,
                                            const char *const *remove,
                                            GCancellable *cancellable,
                                            GError **error);
gboolean kontor_mail_engine_move_sync (KontorMailEngine *self,
                                       const char *const *message_ids,
                                       const char *folder_id,
                                       GCancellable *cancellable,
                                       GError **error);
gboolean kontor_mail_engine_delete_sync (KontorMailEngine *self,
                                         const char *const *message_ids,
                                         GCancellable *cancellable,
                                         GError **error);
GStrv kontor_mail_engine_search_sync (KontorMailEngine *self,
                                      const char *query,
                                      const char *folder_id,
                                      GCancellable *cancellable,
                                      GError **error);
gboolean kontor_mail_engine_sync_sync (KontorMailEngine *self,
                                       const char *account_id,
                                       GCancellable *cancellable,
                                       GError **error);
char *kontor_mail_engine_find_mid_sync (KontorMailEngine *self,
                                        const char *mid,
                                        GCancellable *cancellable,
                                        GError **error);
char *kontor_mail_engine_folder_op_sync (KontorMailEngine *self,
                                         const char *op,
                                         const char *folder_id,
                                         const char *name,
                                         GCancellable *cancellable,
                                         GError **error);

/* The same, asynchronously: func is one of the _sync calls above wrapped by the caller. */
typedef gpointer (*KontorMailEngineJob) (KontorMailEngine *self,
                                         gpointer data,
                                         GCancellable *cancellable,
                                         GError **error);
void kontor_mail_engine_run_async (KontorMailEngine *self,
                                   KontorMailEngineJob job,
                                   gpointer data,
                                   GDestroyNotify data_free,
                                   GDestroyNotify result_free,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
gpointer
kontor_mail_engine_run_finish (KontorMailEngine *self, GAsyncResult *result, GError **error);

G_END_DECLS
