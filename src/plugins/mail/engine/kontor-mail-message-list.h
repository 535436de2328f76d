/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-message-list.h: a virtual GListModel of KontorMailMessage over one or
 * more folders' summaries: only uids and sort keys are held, rows are built when shown. */
#pragma once

#include <camel/camel.h>

G_BEGIN_DECLS

typedef enum
{
  KONTOR_MAIL_SORT_DATE,
  KONTOR_MAIL_SORT_SENDER,
  KONTOR_MAIL_SORT_SUBJECT,
  KONTOR_MAIL_SORT_SIZE,
} KontorMailSort;

typedef enum
{
  KONTOR_MAIL_FILTER_NONE = 0,
  KONTOR_MAIL_FILTER_UNREAD = 1 << 0,
  KONTOR_MAIL_FILTER_FLAGGED = 1 << 1,
  KONTOR_MAIL_FILTER_ATTACHMENTS = 1 << 2,
} KontorMailFilter;

#define KONTOR_TYPE_MAIL_MESSAGE_LIST (kontor_mail_message_list_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailMessageList,
                      kontor_mail_message_list,
                      KONTOR,
                      MAIL_MESSAGE_LIST,
                      GObject)

KontorMailMessageList *kontor_mail_message_list_new (void);
KontorMailMessageList *kontor_mail_message_list_new_snapshot (void);
void kontor_mail_message_list_add_folder (KontorMailMessageList *self,
                                          CamelFolder *folder,
                                          const char *folder_id);
void kontor_mail_message_list_add_unopened (KontorMailMessageList *self,
                                            CamelStore *store,
                                            const char *full_name,
                                            const char *folder_id);
void kontor_mail_message_list_attach_folder (KontorMailMessageList *self,
                                             const char *folder_id,
                                             CamelFolder *folder);
GStrv kontor_mail_message_list_dup_unopened (KontorMailMessageList *self);
gboolean kontor_mail_message_list_load_newest_sync (KontorMailMessageList *self,
                                                    guint limit,
                                                    GError **error);
void kontor_mail_message_list_set_sort (KontorMailMessageList *self,
                                        KontorMailSort sort,
                                        gboolean ascending);
void kontor_mail_message_list_set_filter (KontorMailMessageList *self, KontorMailFilter filter);
void kontor_mail_message_list_set_threaded (KontorMailMessageList *self, gboolean threaded);
GPtrArray *kontor_mail_message_list_dup_ids_at (KontorMailMessageList *self, guint position);
void kontor_mail_message_list_set_matches (KontorMailMessageList *self, GHashTable *message_ids);
void kontor_mail_message_list_set_hidden (KontorMailMessageList *self, GHashTable *message_ids);
void kontor_mail_message_list_reload_async (KontorMailMessageList *self,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
gboolean kontor_mail_message_list_reload_finish (KontorMailMessageList *self,
                                                 GAsyncResult *result,
                                                 GError **error);
gboolean kontor_mail_message_list_reload_sync (KontorMailMessageList *self, GError **error);
gboolean kontor_mail_message_list_get_loaded (KontorMailMessageList *self);
char *kontor_mail_message_list_dup_id (KontorMailMessageList *self, guint position);
gint64 kontor_mail_message_list_get_date (KontorMailMessageList *self, guint position);
guint kontor_mail_message_list_find (KontorMailMessageList *self, const char *message_id);

G_END_DECLS
