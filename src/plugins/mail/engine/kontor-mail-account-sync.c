/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-account-sync.c: the account's work with the server, each step in a
 * worker thread; what the UI shows (folder tree, counts) is updated on the main
 * thread through idles queued behind Camel's own change notifications. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-error.h"
#include "kontor-mail-account-private.h"

#define FOLDER_INFO_FLAGS (CAMEL_STORE_FOLDER_INFO_RECURSIVE | CAMEL_STORE_FOLDER_INFO_SUBSCRIBED)

/* Main-thread updates ---------------------------------------------------------- */

/* Servers without SPECIAL-USE (or a LIST that Camel read without it) still name their
 * folders the usual way; only top-level folders count. */
static KontorMailRole
role_from_name (const char *full_name)
{
  static const struct
  {
    const char *name;
    KontorMailRole role;
  } names[] = {
    { "Drafts", KONTOR_MAIL_ROLE_DRAFTS },
    { "Sent", KONTOR_MAIL_ROLE_SENT },
    { "Sent Items", KONTOR_MAIL_ROLE_SENT },
    { "Sent Messages", KONTOR_MAIL_ROLE_SENT },
    { "Archive", KONTOR_MAIL_ROLE_ARCHIVE },
    { "Archives", KONTOR_MAIL_ROLE_ARCHIVE },
    { "Junk", KONTOR_MAIL_ROLE_JUNK },
    { "Spam", KONTOR_MAIL_ROLE_JUNK },
    { "Trash", KONTOR_MAIL_ROLE_TRASH },
    { "Deleted Items", KONTOR_MAIL_ROLE_TRASH },
    { "Deleted Messages", KONTOR_MAIL_ROLE_TRASH },
    { "Outbox", KONTOR_MAIL_ROLE_OUTBOX },
    /* German and French servers (OX, Dovecot with localized defaults). */
    { "Entwürfe", KONTOR_MAIL_ROLE_DRAFTS },
    { "Gesendet", KONTOR_MAIL_ROLE_SENT },
    { "Gesendete Objekte", KONTOR_MAIL_ROLE_SENT },
    { "Archiv", KONTOR_MAIL_ROLE_ARCHIVE },
    { "Papierkorb", KONTOR_MAIL_ROLE_TRASH },
    { "Gelöschte Elemente", KONTOR_MAIL_ROLE_TRASH },
    { "Brouillons", KONTOR_MAIL_ROLE_DRAFTS },
    { "Envoyés", KONTOR_MAIL_ROLE_SENT },
    { "Éléments envoyés", KONTOR_MAIL_ROLE_SENT },
    { "Corbeille", KONTOR_MAIL_ROLE_TRASH },
    { "Éléments supprimés", KONTOR_MAIL_ROLE_TRASH },
    { "Indésirables", KONTOR_MAIL_ROLE_JUNK },
  };

  g_autofree char *folded = g_utf8_casefold (full_name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = g_utf8_casefold (names[i].name, -1);

      if (g_strcmp0 (folded, name) == 0)
        return names[i].role;
    }
  return KONTOR_MAIL_ROLE_NONE;
}

static KontorMailRole
role_from_info (CamelFolderInfo *fi)
{
  if (g_ascii_strcasecmp (fi->full_name, "INBOX") == 0)
    return KONTOR_MAIL_ROLE_INBOX;
  if ((fi->flags & CAMEL_FOLDER_TYPE_MASK) == 0)
    return role_from_name (fi->full_name);
  switch (fi->flags & CAMEL_FOLDER_TYPE_MASK)
    {
      case CAMEL_FOLDER_TYPE_INBOX:
        return KONTOR_MAIL_ROLE_INBOX;
      case CAMEL_FOLDER_TYPE_DRAFTS:
        return KONTOR_MAIL_ROLE_DRAFTS;
      case CAMEL_FOLDER_TYPE_SENT:
        return KONTOR_MAIL_ROLE_SENT;
      case CAMEL_FOLDER_TYPE_ARCHIVE:
        return KONTOR_MAIL_ROLE_ARCHIVE;
      case CAMEL_FOLDER_TYPE_JUNK:
        return KONTOR_MAIL_ROLE_JUNK;
      case CAMEL_FOLDER_TYPE_TRASH:
        return KONTOR_MAIL_ROLE_TRASH;
      case CAMEL_FOLDER_TYPE_OUTBOX:
        return KONTOR_MAIL_ROLE_OUTBOX;
      default:
        return KONTOR_MAIL_ROLE_NONE;
    }
}

static int
compare_folders_cb (gconstpointer a, gconstpointer b)
{
  KontorMailFolder *fa = *(KontorMailFolder **) a, *fb = *(KontorMailFolder **) b;
  KontorMailRole ra = kontor_mail_folder_get_role (fa), rb = kontor_mail_folder_get_role (fb);

  /* Inbox, Drafts, Sent, Archive, Junk, Trash, then the rest by name. */
  if (ra != rb && (ra == KONTOR_MAIL_ROLE_NONE || rb == KONTOR_MAIL_ROLE_NONE))
    return ra == KONTOR_MAIL_ROLE_NONE ? 1 : -1;
  if (ra != rb)
    return (int) ra - (int) rb;
  return g_utf8_collate (kontor_mail_folder_get_name (fa), kontor_mail_folder_get_name (fb));
}

static void
build_level (KontorMailAccount *self, CamelFolderInfo *fi, GListStore *children, GHashTable *seen)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (children));
  gboolean same = TRUE;

  for (; fi != NULL; fi = fi->next)
    {
      KontorMailFolder *folder = g_hash_table_lookup (self->folders, fi->full_name);

      if ((fi->flags & CAMEL_FOLDER_VIRTUAL) != 0)
        continue;

      if (folder == NULL)
        {
          folder = kontor_mail_folder_new (KONTOR_MAIL_FOLDER_KIND_FOLDER, self->id, fi->full_name,
                                           fi->display_name);
          g_hash_table_insert (self->folders, g_strdup (fi->full_name), folder);
        }
      kontor_mail_folder_set_name (
        folder, g_ascii_strcasecmp (fi->full_name, "INBOX") == 0 ? _ ("Inbox") : fi->display_name);
      kontor_mail_folder_set_role (folder, role_from_info (fi));
      kontor_mail_folder_set_selectable (folder, (fi->flags & CAMEL_FOLDER_NOSELECT) == 0);
      kontor_mail_folder_set_subscribed (folder, (fi->flags & CAMEL_FOLDER_SUBSCRIBED) != 0);
      if (fi->total >= 0 && fi->unread >= 0)
        kontor_mail_folder_set_counts (folder, fi->total, fi->unread);
      g_hash_table_add (seen, (gpointer) kontor_mail_folder_get_full_name (folder));
      build_level (self, fi->child, kontor_mail_folder_get_children (folder), seen);
      g_ptr_array_add (items, g_object_ref (folder));
    }
  g_ptr_array_sort (items, compare_folders_cb);

  same = n_old == items->len;
  for (guint i = 0; same && i < items->len; i++)
    {
      g_autoptr (GObject) old = g_list_model_get_item (G_LIST_MODEL (children), i);

      same = old == g_ptr_array_index (items, i);
    }
  if (!same)
    g_list_store_splice (children, 0, n_old, items->pdata, items->len);
}

static void
apply_folder_info (KontorMailAccount *self, CamelFolderInfo *fi)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();

  build_level (self, fi, kontor_mail_folder_get_children (self->root), seen);
  g_hash_table_iter_init (&iter, self->folders);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (seen, key))
      g_hash_table_iter_remove (&iter);
    else if (kontor_mail_folder_get_selectable (g_hash_table_lookup (self->folders, key)))
      g_strv_builder_add (names, key);
  g_mutex_lock (&self->lock);
  g_strfreev (self->folder_names);
  self->folder_names = g_strv_builder_end (names);
  for (guint role = 0; role < G_N_ELEMENTS (self->role_names); role++)
    {
      KontorMailFolder *folder =
        role != KONTOR_MAIL_ROLE_NONE ? kontor_mail_account_find_role (self, role) : NULL;

      g_free (self->role_names[role]);
      self->role_names[role] =
        folder != NULL ? g_strdup (kontor_mail_folder_get_full_name (folder)) : NULL;
    }
  g_mutex_unlock (&self->lock);
  kontor_mail_account_emit_folders_changed (self);
}

typedef struct
{
  KontorMailAccount *self;
  CamelFolderInfo *info; /* a tree to apply, or NULL */
  char *full_name;       /* a folder whose counts or state changed */
  guint total;
  guint unread;
  gboolean prime;
} Update;

static gboolean
apply_update_cb (gpointer data)
{
  Update *update = data;
  KontorMailAccount *self = update->self;

  if (update->info != NULL)
    apply_folder_info (self, update->info);
  if (update->full_name != NULL)
    {
      KontorMailFolder *folder = g_hash_table_lookup (self->folders, update->full_name);

      if (folder != NULL)
        kontor_mail_folder_set_counts (folder, update->total, update->unread);
      if (update->prime)
        {
          g_mutex_lock (&self->lock);
          g_hash_table_add (self->primed, g_strdup (update->full_name));
          g_mutex_unlock (&self->lock);
        }
    }
  return G_SOURCE_REMOVE;
}

static void
update_free (gpointer data)
{
  Update *update = data;

  g_object_unref (update->self);
  g_clear_pointer (&update->info, camel_folder_info_free);
  g_free (update->full_name);
  g_free (update);
}

/* Low priority, like Camel's "changed" idles, so a folder counts as synced only after
 * the changes of its first sync were delivered (they are no "new mail"). */
static void
post_update (KontorMailAccount *self, CamelFolderInfo *info, CamelFolder *folder, gboolean prime)
{
  Update *update = g_new0 (Update, 1);

  update->self = g_object_ref (self);
  update->info = info;
  if (folder != NULL)
    {
      CamelFolderSummary *summary = camel_folder_get_folder_summary (folder);

      update->full_name = g_strdup (camel_folder_get_full_name (folder));
      update->total =
        camel_folder_summary_count (summary) - camel_folder_summary_get_deleted_count (summary);
      update->unread = camel_folder_summary_get_unread_count (summary);
      update->prime = prime;
    }
  g_idle_add_full (G_PRIORITY_LOW, apply_update_cb, update, update_free);
}

static void
folder_changed_cb (CamelFolder *folder, CamelFolderChangeInfo *changes, KontorMailAccount *self)
{
  GPtrArray *added = camel_folder_change_info_get_added_uids (changes);
  const char *full_name = camel_folder_get_full_name (folder);
  gboolean primed;

  post_update (self, NULL, folder, FALSE);
  g_mutex_lock (&self->lock);
  primed = g_hash_table_contains (self->primed, full_name);
  g_mutex_unlock (&self->lock);
  if (primed && added != NULL && added->len > 0)
    {
      g_autofree char *folder_id = kontor_mail_folder_id_build (self->id, full_name);
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
      g_auto (GStrv) ids = NULL;

      for (guint i = 0; i < added->len; i++)
        {
          g_autofree char *id =
            kontor_mail_message_id_build (folder_id, g_ptr_array_index (added, i));

          g_strv_builder_add (builder, id);
        }
      ids = g_strv_builder_end (builder);
      kontor_mail_account_emit_messages_added (self, folder_id, (const char *const *) ids);
    }
}

/* Folders -------------------------------------------------------------------------- */

CamelFolder *
kontor_mail_account_ref_folder_sync (KontorMailAccount *self,
                                     const char *full_name,
                                     GCancellable *cancellable,
                                     GError **error)
{
  CamelFolder *folder = kontor_mail_account_peek_folder (self, full_name);

  if (folder != NULL)
    return folder;

  folder = camel_store_get_folder_sync (self->store, full_name, 0, cancellable, error);
  if (folder == NULL)
    {
      kontor_mail_error_from_camel (error);
      return NULL;
    }
  g_mutex_lock (&self->lock);
  if (!g_hash_table_contains (self->opened, full_name))
    {
      g_hash_table_insert (self->opened, g_strdup (full_name), g_object_ref (folder));
      g_signal_connect_object (folder, "changed", G_CALLBACK (folder_changed_cb), self, 0);
      /* Mail already here from an earlier session: what arrives now is new. */
      if (camel_folder_summary_count (camel_folder_get_folder_summary (folder)) > 0)
        g_hash_table_add (self->primed, g_strdup (full_name));
    }
  g_mutex_unlock (&self->lock);
  return folder;
}

static CamelFolderInfo *
folder_info_sync (KontorMailAccount *self,
                  gboolean refresh,
                  GCancellable *cancellable,
                  GError **error)
{
  CamelFolderInfo *info = camel_store_get_folder_info_sync (
    self->store, NULL, FOLDER_INFO_FLAGS | (refresh ? CAMEL_STORE_FOLDER_INFO_REFRESH : 0),
    cancellable, error);

  kontor_mail_error_from_camel (error);
  return info;
}

/* The store's cached list keeps the counts of its last refresh from the server;
 * changes made since (offline ones too) are in each folder's own summary record. */
static void
apply_saved_counts (CamelDB *db, CamelFolderInfo *fi)
{
  for (; fi != NULL; fi = fi->next)
    {
      CamelFIRecord record = { 0 };

      if ((fi->flags & CAMEL_FOLDER_NOSELECT) == 0 &&
          camel_db_read_folder_info_record (db, fi->full_name, &record, NULL) == 0 &&
          record.folder_name != NULL)
        {
          fi->total = record.saved_count - MIN (record.deleted_count, record.saved_count);
          fi->unread = record.unread_count;
        }
      g_free (record.folder_name);
      g_free (record.bdata);
      apply_saved_counts (db, fi->child);
    }
}

static void
load_folders_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  KontorMailAccount *self = source;
  GError *error = NULL;
  CamelFolderInfo *info;

  /* The cached tree only. A new store starts offline; one the session already had may
   * still be online, and would sign in first (without a password yet) and fail. Going
   * online comes after, on the engine's word. */
  if (camel_offline_store_get_online (CAMEL_OFFLINE_STORE (self->store)))
    camel_offline_store_set_online_sync (CAMEL_OFFLINE_STORE (self->store), FALSE, cancellable,
                                         NULL);
  info = folder_info_sync (self, FALSE, cancellable, &error);

  if (info == NULL && error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (camel_store_get_db (self->store) != NULL)
    apply_saved_counts (camel_store_get_db (self->store), info);
  post_update (self, info, NULL, FALSE);
  g_task_return_boolean (task, TRUE);
}

/* The folder tree as cached: no network. */
void
kontor_mail_account_load_folders_async (KontorMailAccount *self,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kontor_mail_account_load_folders_async);
  g_task_run_in_thread (task, load_folders_thread);
}

gboolean
kontor_mail_account_load_folders_finish (KontorMailAccount *self,
                                         GAsyncResult *result,
                                         GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Online / offline ------------------------------------------------------------------- */

static gboolean
connect_sync (KontorMailAccount *self, GCancellable *cancellable, GError **error)
{
  CamelService *service = CAMEL_SERVICE (self->store);
  g_autofree char *password = NULL;

  if (!g_atomic_int_get (&self->network_allowed))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_OFFLINE, _ ("Working offline"));
      return FALSE;
    }
  if (camel_service_get_connection_status (service) == CAMEL_SERVICE_CONNECTED &&
      camel_offline_store_get_online (CAMEL_OFFLINE_STORE (self->store)))
    return TRUE;
  password = self->password_func (self->id, self->password_data, cancellable, error);
  if (password == NULL)
    return FALSE;
  camel_service_set_password (service, password);
  /* Asked to connect, so online: the engine does not ask while the user works offline. */
  if (!camel_offline_store_get_online (CAMEL_OFFLINE_STORE (self->store)) &&
      !camel_offline_store_set_online_sync (CAMEL_OFFLINE_STORE (self->store), TRUE, cancellable,
                                            error))
    {
      kontor_mail_error_from_camel (error);
      return FALSE;
    }
  if (!camel_service_connect_sync (service, cancellable, error))
    {
      kontor_mail_error_from_camel (error);
      return FALSE;
    }
  return TRUE;
}

static void
set_online_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  KontorMailAccount *self = source;
  gboolean online = GPOINTER_TO_INT (task_data);
  GError *error = NULL;

  if (online && !g_atomic_int_get (&self->network_allowed))
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_OFFLINE, _ ("Working offline"));
      return;
    }
  /* Going online signs in: the password must be on the service first. */
  if (online)
    {
      g_autofree char *password =
        self->password_func (self->id, self->password_data, cancellable, &error);

      if (password == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      camel_service_set_password (CAMEL_SERVICE (self->store), password);
    }
  if (!camel_offline_store_set_online_sync (CAMEL_OFFLINE_STORE (self->store), online, cancellable,
                                            &error))
    {
      kontor_mail_error_from_camel (&error);
      g_task_return_error (task, error);
      return;
    }
  if (!online)
    camel_service_disconnect_sync (CAMEL_SERVICE (self->store), TRUE, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

void
kontor_mail_account_set_online_async (KontorMailAccount *self,
                                      gboolean online,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kontor_mail_account_set_online_async);
  g_task_set_task_data (task, GINT_TO_POINTER (!!online), NULL);
  g_task_run_in_thread (task, set_online_thread);
}

gboolean
kontor_mail_account_set_online_finish (KontorMailAccount *self,
                                       GAsyncResult *result,
                                       GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Offline moves ------------------------------------------------------------------------ */

static gboolean
is_connection_error (const GError *error)
{
  return error->domain == KONTOR_ERROR &&
         (error->code == KONTOR_ERROR_OFFLINE || error->code == KONTOR_ERROR_TIMEOUT ||
          error->code == KONTOR_ERROR_CONNECTION_REFUSED ||
          error->code == KONTOR_ERROR_HOST_NOT_FOUND);
}

/* Done in the order they were made; a message that is no longer in its source folder
 * was moved already (by us before a crash, or by another client): nothing to redo. */
static gboolean
replay_journal (KontorMailAccount *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) entries = kontor_mail_journal_dup_entries (self->journal);

  for (guint i = 0; i < entries->len; i++)
    {
      KontorMailJournalEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (CamelFolder) source = NULL;
      g_autoptr (CamelFolder) destination = NULL;
      g_autoptr (CamelMessageInfo) info = NULL;
      g_autoptr (GPtrArray) uids = g_ptr_array_new ();
      g_autoptr (GError) local_error = NULL;

      source = kontor_mail_account_ref_folder_sync (self, entry->source, cancellable, &local_error);
      if (source != NULL)
        destination =
          kontor_mail_account_ref_folder_sync (self, entry->destination, cancellable, &local_error);
      if (source != NULL && destination != NULL &&
          (info = camel_folder_get_message_info (source, entry->uid)) != NULL)
        {
          g_ptr_array_add (uids, entry->uid);
          if (!camel_folder_transfer_messages_to_sync (source, uids, destination, TRUE, NULL,
                                                       cancellable, &local_error))
            kontor_mail_error_from_camel (&local_error);
        }
      if (local_error != NULL && is_connection_error (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (local_error != NULL)
        g_warning ("Dropped a move made offline (%s → %s): %s", entry->source, entry->destination,
                   local_error->message);
      if (!kontor_mail_journal_remove (self->journal, entry, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
kontor_mail_account_move_sync (KontorMailAccount *self,
                               const char *source_name,
                               GPtrArray *uids,
                               const char *destination_name,
                               GCancellable *cancellable,
                               GError **error)
{
  g_autoptr (CamelFolder) source = NULL;
  g_autoptr (CamelFolder) destination = NULL;
  g_autoptr (GError) local_error = NULL;

  source = kontor_mail_account_ref_folder_sync (self, source_name, cancellable, error);
  if (source == NULL)
    return FALSE;
  destination = kontor_mail_account_ref_folder_sync (self, destination_name, cancellable, error);
  if (destination == NULL)
    return FALSE;
  if (kontor_mail_account_get_online (self) && connect_sync (self, cancellable, &local_error) &&
      camel_folder_transfer_messages_to_sync (source, uids, destination, TRUE, NULL, cancellable,
                                              &local_error))
    return TRUE;
  kontor_mail_error_from_camel (&local_error);
  if (local_error != NULL && !is_connection_error (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < uids->len; i++)
    if (!kontor_mail_journal_add (self->journal, source_name, g_ptr_array_index (uids, i),
                                  destination_name, error))
      return FALSE;
  return TRUE;
}

/* Sync -------------------------------------------------------------------------------- */

static void
collect_names (CamelFolderInfo *fi, GPtrArray *names)
{
  for (; fi != NULL; fi = fi->next)
    {
      if ((fi->flags & CAMEL_FOLDER_NOSELECT) == 0 &&
          g_ascii_strcasecmp (fi->full_name, "INBOX") != 0)
        g_ptr_array_add (names, g_strdup (fi->full_name));
      collect_names (fi->child, names);
    }
}

static gboolean
refresh_folder (KontorMailAccount *self,
                const char *full_name,
                GCancellable *cancellable,
                GError **error)
{
  g_autoptr (CamelFolder) folder =
    kontor_mail_account_ref_folder_sync (self, full_name, cancellable, error);

  if (folder == NULL || !camel_folder_refresh_info_sync (folder, cancellable, error) ||
      !camel_folder_synchronize_sync (folder, FALSE, cancellable, error))
    {
      kontor_mail_error_from_camel (error);
      return FALSE;
    }
  post_update (self, NULL, folder, TRUE);
  return TRUE;
}

static void
download_bodies (KontorMailAccount *self, GPtrArray *names, GCancellable *cancellable)
{
  g_autofree char *expression = NULL;

  if (self->body_days == 0)
    return;
  if (self->body_days > 0)
    expression = g_strdup_printf ("(match-all (> (get-sent-date) (- (get-current-date) %d)))",
                                  self->body_days * 86400);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr (CamelFolder) folder = NULL;
      g_autoptr (GError) error = NULL;

      folder =
        kontor_mail_account_ref_folder_sync (self, g_ptr_array_index (names, i), cancellable, NULL);
      if (folder == NULL || !CAMEL_IS_OFFLINE_FOLDER (folder))
        continue;
      if (!camel_offline_folder_downsync_sync (CAMEL_OFFLINE_FOLDER (folder), expression,
                                               cancellable, &error))
        {
          g_debug ("Bodies of %s not downloaded: %s", (char *) g_ptr_array_index (names, i),
                   error->message);
          return;
        }
    }
}

static void
set_last_error (KontorMailAccount *self, const GError *error)
{
  g_mutex_lock (&self->lock);
  g_free (self->last_error);
  self->last_error = error != NULL ? g_strdup (error->message) : NULL;
  g_mutex_unlock (&self->lock);
}

static gboolean sync_locked (KontorMailAccount *self, GCancellable *cancellable, GError **error);

/* Syncs of one account never overlap (the automatic one after going online and a
 * script's Sync, say): a caller that finds one running waits for it and then syncs,
 * so what it asked for is on the server and in the local copy when it returns. */
gboolean
kontor_mail_account_sync_sync (KontorMailAccount *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->sync_lock);

  return sync_locked (self, cancellable, error);
}

static gboolean
sync_locked (KontorMailAccount *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GError *local_error = NULL;
  CamelFolderInfo *info;

  if (!connect_sync (self, cancellable, &local_error) ||
      !replay_journal (self, cancellable, &local_error))
    goto failed;
  info = folder_info_sync (self, TRUE, cancellable, &local_error);
  if (info == NULL && local_error != NULL)
    goto failed;
  collect_names (info, names);
  post_update (self, info, NULL, FALSE);

  /* Headers of the Inbox first, so it is usable while the rest syncs. */
  g_ptr_array_insert (names, 0, g_strdup ("INBOX"));
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr (GError) folder_error = NULL;

      if (!refresh_folder (self, g_ptr_array_index (names, i), cancellable, &folder_error))
        {
          if (is_connection_error (folder_error) || g_cancellable_is_cancelled (cancellable))
            {
              local_error = g_steal_pointer (&folder_error);
              goto failed;
            }
          g_debug ("Folder %s not synced: %s", (char *) g_ptr_array_index (names, i),
                   folder_error->message);
        }
    }
  set_last_error (self, NULL);
  /* The folder list goes to disk now, so a start without network shows it. */
  camel_store_synchronize_sync (self->store, FALSE, cancellable, NULL);
  download_bodies (self, names, cancellable);
  return TRUE;

failed:
  set_last_error (self, local_error);
  g_propagate_error (error, local_error);
  return FALSE;
}

static void
sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (kontor_mail_account_sync_sync (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

gboolean
kontor_mail_account_connect_sync (KontorMailAccount *self,
                                  GCancellable *cancellable,
                                  GError **error)
{
  return connect_sync (self, cancellable, error);
}

void
kontor_mail_account_sync_async (KontorMailAccount *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kontor_mail_account_sync_async);
  g_task_run_in_thread (task, sync_thread);
}

gboolean
kontor_mail_account_sync_finish (KontorMailAccount *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Folder operations: "create" (full_name = parent or NULL, argument = name), "rename"
 * (argument = new name), "delete". Online only. */
gboolean
kontor_mail_account_folder_op_sync (KontorMailAccount *self,
                                    const char *op,
                                    const char *full_name,
                                    const char *argument,
                                    char **out_full_name,
                                    GCancellable *cancellable,
                                    GError **error)
{
  g_autofree char *result_name = NULL;
  gboolean success = FALSE;

  if (!connect_sync (self, cancellable, error))
    return FALSE;
  if (argument != NULL && (*argument == '\0' || strchr (argument, '/') != NULL))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("A folder name must not be empty or contain “/”"));
      return FALSE;
    }
  if (g_str_equal (op, "create"))
    {
      CamelFolderInfo *fi =
        camel_store_create_folder_sync (self->store, full_name, argument, cancellable, error);

      if (fi != NULL)
        {
          result_name = g_strdup (fi->full_name);
          camel_folder_info_free (fi);
          success = !CAMEL_IS_SUBSCRIBABLE (self->store) ||
                    camel_subscribable_subscribe_folder_sync (CAMEL_SUBSCRIBABLE (self->store),
                                                              result_name, cancellable, error);
        }
    }
  else if (g_str_equal (op, "rename"))
    {
      const char *slash = strrchr (full_name, '/');

      result_name = slash != NULL
                      ? g_strdup_printf ("%.*s/%s", (int) (slash - full_name), full_name, argument)
                      : g_strdup (argument);
      success =
        camel_store_rename_folder_sync (self->store, full_name, result_name, cancellable, error);
    }
  else if (g_str_equal (op, "delete"))
    {
      g_mutex_lock (&self->lock);
      g_hash_table_remove (self->opened, full_name);
      g_mutex_unlock (&self->lock);
      success = camel_store_delete_folder_sync (self->store, full_name, cancellable, error);
    }
  if (!success)
    {
      kontor_mail_error_from_camel (error);
      return FALSE;
    }
  {
    CamelFolderInfo *info = folder_info_sync (self, FALSE, cancellable, NULL);

    if (info != NULL)
      post_update (self, info, NULL, FALSE);
  }
  if (out_full_name != NULL)
    *out_full_name = g_steal_pointer (&result_name);
  return TRUE;
}

GStrv
kontor_mail_account_dup_folder_names (KontorMailAccount *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->folder_names != NULL ? g_strdupv (self->folder_names) : g_new0 (char *, 1);
}

/* The full name of the folder with that role, for worker threads: the folder tree
 * itself belongs to the main thread. */
char *
kontor_mail_account_dup_role_folder (KontorMailAccount *self, KontorMailRole role)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return (guint) role < G_N_ELEMENTS (self->role_names) ? g_strdup (self->role_names[role]) : NULL;
}

/* The folder if this account has it open already, else NULL: never touches the disk. */
CamelFolder *
kontor_mail_account_peek_folder (KontorMailAccount *self, const char *full_name)
{
  CamelFolder *folder;

  g_mutex_lock (&self->lock);
  folder = g_hash_table_lookup (self->opened, full_name);
  if (folder != NULL)
    g_object_ref (folder);
  g_mutex_unlock (&self->lock);
  return folder;
}

/* The folder of @role (Sent, Drafts, …), connected and open: for appending to it.
 * An account without such a folder gives KONTOR_ERROR_NOT_FOUND. */
CamelFolder *
kontor_mail_account_ref_role_folder_sync (KontorMailAccount *self,
                                          KontorMailRole role,
                                          GCancellable *cancellable,
                                          GError **error)
{
  g_autofree char *full_name = kontor_mail_account_dup_role_folder (self, role);

  if (full_name == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                   "The account %s has no folder of that role", self->id);
      return NULL;
    }
  if (!kontor_mail_account_connect_sync (self, cancellable, error))
    return NULL;
  return kontor_mail_account_ref_folder_sync (self, full_name, cancellable, error);
}
