/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-folder.h: one node of the folder tree (an account, a folder, or the
 * unified Inbox), with its role and counts; children form a GListModel tree. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  KONTOR_MAIL_FOLDER_KIND_FOLDER,
  KONTOR_MAIL_FOLDER_KIND_ACCOUNT, /* an account's top level: not a mailbox */
  KONTOR_MAIL_FOLDER_KIND_UNIFIED, /* every account's Inbox */
} KontorMailFolderKind;

typedef enum
{
  KONTOR_MAIL_ROLE_NONE,
  KONTOR_MAIL_ROLE_INBOX,
  KONTOR_MAIL_ROLE_DRAFTS,
  KONTOR_MAIL_ROLE_SENT,
  KONTOR_MAIL_ROLE_ARCHIVE,
  KONTOR_MAIL_ROLE_JUNK,
  KONTOR_MAIL_ROLE_TRASH,
  KONTOR_MAIL_ROLE_OUTBOX,
} KontorMailRole;

#define KONTOR_MAIL_UNIFIED_INBOX_ID "unified:inbox"
/* Every folder of every account: where "search every folder" lists its results. */
#define KONTOR_MAIL_EVERYWHERE_ID "unified:all"

#define KONTOR_TYPE_MAIL_FOLDER (kontor_mail_folder_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailFolder, kontor_mail_folder, KONTOR, MAIL_FOLDER, GObject)

KontorMailFolder *kontor_mail_folder_new (KontorMailFolderKind kind,
                                          const char *account_id,
                                          const char *full_name,
                                          const char *name);
KontorMailFolderKind kontor_mail_folder_get_kind (KontorMailFolder *self);
const char *kontor_mail_folder_get_id (KontorMailFolder *self);
const char *kontor_mail_folder_get_account_id (KontorMailFolder *self);
const char *kontor_mail_folder_get_full_name (KontorMailFolder *self);
const char *kontor_mail_folder_get_name (KontorMailFolder *self);
void kontor_mail_folder_set_name (KontorMailFolder *self, const char *name);
KontorMailRole kontor_mail_folder_get_role (KontorMailFolder *self);
void kontor_mail_folder_set_role (KontorMailFolder *self, KontorMailRole role);
guint kontor_mail_folder_get_total (KontorMailFolder *self);
guint kontor_mail_folder_get_unread (KontorMailFolder *self);
void kontor_mail_folder_set_counts (KontorMailFolder *self, guint total, guint unread);
gboolean kontor_mail_folder_get_subscribed (KontorMailFolder *self);
void kontor_mail_folder_set_subscribed (KontorMailFolder *self, gboolean subscribed);
gboolean kontor_mail_folder_get_selectable (KontorMailFolder *self);
void kontor_mail_folder_set_selectable (KontorMailFolder *self, gboolean selectable);
const char *kontor_mail_folder_get_icon_name (KontorMailFolder *self);
GListStore *kontor_mail_folder_get_children (KontorMailFolder *self);

const char *kontor_mail_role_to_string (KontorMailRole role);
char *kontor_mail_folder_id_build (const char *account_id, const char *full_name);
gboolean
kontor_mail_folder_id_parse (const char *folder_id, char **out_account_id, char **out_full_name);
char *kontor_mail_message_id_build (const char *folder_id, const char *uid);
gboolean
kontor_mail_message_id_parse (const char *message_id, char **out_folder_id, char **out_uid);

G_END_DECLS
