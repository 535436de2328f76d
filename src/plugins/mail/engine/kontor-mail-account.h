/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-account.h: one mail account's Camel store, its folder tree, its sync
 * and its offline journal. */
#pragma once

#include <camel/camel.h>

#include "kontor-account.h"
#include "kontor-mail-folder.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_ACCOUNT (kontor_mail_account_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailAccount, kontor_mail_account, KONTOR, MAIL_ACCOUNT, GObject)

typedef char *(*KontorMailPasswordFunc) (const char *account_id,
                                         gpointer data,
                                         GCancellable *cancellable,
                                         GError **error);

KontorMailAccount *kontor_mail_account_new (CamelSession *session,
                                            KontorAccount *account,
                                            const char *data_dir,
                                            KontorMailPasswordFunc password_func,
                                            gpointer password_data,
                                            GError **error);
void kontor_mail_account_update (KontorMailAccount *self, KontorAccount *account);
const char *kontor_mail_account_get_id (KontorMailAccount *self);
const char *kontor_mail_account_get_email (KontorMailAccount *self);
KontorMailFolder *kontor_mail_account_get_root (KontorMailAccount *self);
KontorMailFolder *kontor_mail_account_lookup_folder (KontorMailAccount *self,
                                                     const char *full_name);
KontorMailFolder *kontor_mail_account_find_role (KontorMailAccount *self, KontorMailRole role);
CamelStore *kontor_mail_account_get_store (KontorMailAccount *self);
CamelFolder *kontor_mail_account_peek_folder (KontorMailAccount *self, const char *full_name);
CamelFolder *kontor_mail_account_ref_folder_sync (KontorMailAccount *self,
                                                  const char *full_name,
                                                  GCancellable *cancellable,
                                                  GError **error);
gboolean kontor_mail_account_get_online (KontorMailAccount *self);
const char *kontor_mail_account_get_last_error (KontorMailAccount *self);

void kontor_mail_account_load_folders_async (KontorMailAccount *self,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
gboolean kontor_mail_account_load_folders_finish (KontorMailAccount *self,
                                                  GAsyncResult *result,
                                                  GError **error);
void kontor_mail_account_set_online_async (KontorMailAccount *self,
                                           gboolean online,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
gboolean kontor_mail_account_set_online_finish (KontorMailAccount *self,
                                                GAsyncResult *result,
                                                GError **error);
void kontor_mail_account_sync_async (KontorMailAccount *self,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean
kontor_mail_account_sync_sync (KontorMailAccount *self, GCancellable *cancellable, GError **error);
gboolean kontor_mail_account_connect_sync (KontorMailAccount *self,
                                           GCancellable *cancellable,
                                           GError **error);
GStrv kontor_mail_account_dup_folder_names (KontorMailAccount *self);
char *kontor_mail_account_dup_role_folder (KontorMailAccount *self, KontorMailRole role);
CamelFolder *kontor_mail_account_ref_role_folder_sync (KontorMailAccount *self,
                                                       KontorMailRole role,
                                                       GCancellable *cancellable,
                                                       GError **error);
gboolean
kontor_mail_account_sync_finish (KontorMailAccount *self, GAsyncResult *result, GError **error);

gboolean kontor_mail_account_move_sync (KontorMailAccount *self,
                                        const char *source,
                                        GPtrArray *uids,
                                        const char *destination,
                                        GCancellable *cancellable,
                                        GError **error);
gboolean kontor_mail_account_folder_op_sync (KontorMailAccount *self,
                                             const char *op,
                                             const char *full_name,
                                             const char *argument,
                                             char **out_full_name,
                                             GCancellable *cancellable,
                                             GError **error);
void kontor_mail_account_add_hidden (KontorMailAccount *self, GHashTable *message_ids);
void kontor_mail_account_set_body_days (KontorMailAccount *self, int days);
void kontor_mail_account_set_network_allowed (KontorMailAccount *self, gboolean allowed);

void kontor_mail_error_from_camel (GError **error);

G_END_DECLS
