/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-engine-ops.c: what can be done to messages and folders by id. Each
 * call blocks and runs in a worker thread (kontor_mail_engine_run_async () puts it
 * there); flags and deletions land in the local copy first and reach the server now
 * or at the next sync, moves made offline wait in the account's journal. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-error.h"
#include "kontor-mail-engine-private.h"
#include "kontor-mail-message.h"
#include "kontor-mail-query.h"
#include "kontor-mail-summary.h"

/* Where a message lives: its account, folder, uid. */
typedef struct
{
  KontorMailAccount *account;
  char *folder_id;
  char *full_name;
  char *uid;
} Location;

static void
location_clear (Location *location)
{
  g_clear_object (&location->account);
  g_free (location->folder_id);
  g_free (location->full_name);
  g_free (location->uid);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Location, location_clear)

static KontorMailAccount *
ref_account (KontorMailEngine *self, const char *account_id)
{
  KontorMailAccount *account;

  /* The accounts table changes on the main thread only; the reference keeps the
   * account alive for the call. */
  account = g_hash_table_lookup (self->accounts, account_id);
  return account != NULL ? g_object_ref (account) : NULL;
}

static gboolean
resolve_folder (KontorMailEngine *self, const char *folder_id, Location *out, GError **error)
{
  g_autofree char *account_id = NULL;

  if (!kontor_mail_folder_id_parse (folder_id, &account_id, &out->full_name))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a folder id"), folder_id);
      return FALSE;
    }
  out->account = ref_account (self, account_id);
  if (out->account == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND, _ ("No mail account “%s” exists"),
                   account_id);
      return FALSE;
    }
  out->folder_id = g_strdup (folder_id);
  return TRUE;
}

static gboolean
resolve_message (KontorMailEngine *self, const char *message_id, Location *out, GError **error)
{
  g_autofree char *folder_id = NULL;

  if (!kontor_mail_message_id_parse (message_id, &folder_id, &out->uid))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a message id"), message_id);
      return FALSE;
    }
  return resolve_folder (self, folder_id, out, error);
}

static CamelFolder *
ref_message_folder (KontorMailEngine *self,
                    const char *message_id,
                    Location *location,
                    GCancellable *cancellable,
                    GError **error)
{
  CamelFolder *folder;
  g_autoptr (CamelMessageInfo) info = NULL;

  if (!resolve_message (self, message_id, location, error))
    return NULL;
  folder = kontor_mail_account_ref_folder_sync (location->account, location->full_name, cancellable,
                                                error);
  if (folder == NULL)
    return NULL;
  info = camel_folder_get_message_info (folder, location->uid);
  if (info == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND, _ ("No message “%s” exists"),
                   message_id);
      g_object_unref (folder);
      return NULL;
    }
  return folder;
}

/* What needs the server fails at once while the user chose to work offline. */
static gboolean
check_online (KontorMailEngine *self, GError **error)
{
  if (!self->work_offline)
    return TRUE;
  g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_OFFLINE,
               _ ("Kontor works offline; turn Work Offline off to reach the mail servers"));
  return FALSE;
}

static gboolean
emit_hidden_changed_cb (gpointer data)
{
  kontor_mail_engine_emit_hidden_changed (data);
  return G_SOURCE_REMOVE;
}

/* Adds one folder to @list; with @lazy a folder that is not open yet is added unopened
 * (see kontor_mail_message_list_add_unopened()), to be attached later. */
static gboolean
add_list_folder (KontorMailMessageList *list,
                 KontorMailAccount *account,
                 const char *full_name,
                 gboolean lazy,
                 GCancellable *cancellable,
                 GError **error)
{
  g_autofree char *id =
    kontor_mail_folder_id_build (kontor_mail_account_get_id (account), full_name);
  g_autoptr (CamelFolder) folder = kontor_mail_account_peek_folder (account, full_name);

  if (folder == NULL && lazy)
    {
      kontor_mail_message_list_add_unopened (list, kontor_mail_account_get_store (account),
                                             full_name, id);
      return TRUE;
    }
  if (folder == NULL)
    folder = kontor_mail_account_ref_folder_sync (account, full_name, cancellable, error);
  if (folder == NULL)
    return FALSE;
  kontor_mail_message_list_add_folder (list, folder, id);
  return TRUE;
}

static KontorMailMessageList *
open_list (KontorMailEngine *self,
           const char *folder_id,
           gboolean live,
           gboolean lazy,
           GCancellable *cancellable,
           GError **error)
{
  g_autoptr (KontorMailMessageList) list =
    live ? kontor_mail_message_list_new () : kontor_mail_message_list_new_snapshot ();
  g_autoptr (GHashTable) hidden = kontor_mail_engine_dup_hidden (self);

  if (g_strcmp0 (folder_id, KONTOR_MAIL_UNIFIED_INBOX_ID) == 0 ||
      g_strcmp0 (folder_id, KONTOR_MAIL_EVERYWHERE_ID) == 0)
    {
      gboolean everywhere = g_strcmp0 (folder_id, KONTOR_MAIL_EVERYWHERE_ID) == 0;
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          g_auto (GStrv) names = everywhere ? kontor_mail_account_dup_folder_names (value)
                                            : g_strdupv ((char *[]){ "INBOX", NULL });

          for (guint i = 0; names[i] != NULL; i++)
            add_list_folder (list, value, names[i], lazy, cancellable, NULL);
        }
    }
  else
    {
      g_auto (Location) location = { 0 };

      if (!resolve_folder (self, folder_id, &location, error) ||
          !add_list_folder (list, location.account, location.full_name, lazy, cancellable, error))
        return NULL;
    }
  kontor_mail_message_list_set_hidden (list, hidden);
  return g_steal_pointer (&list);
}

KontorMailMessageList *
kontor_mail_engine_open_list_sync (KontorMailEngine *self,
                                   const char *folder_id,
                                   gboolean live,
                                   GCancellable *cancellable,
                                   GError **error)
{
  return open_list (self, folder_id, live, FALSE, cancellable, error);
}

/* A live list for the window, returned before its folders are open in Camel: it holds
 * the newest @limit messages (see kontor_mail_message_list_load_newest_sync(), which
 * decides when it can), and kontor_mail_engine_open_list_folders_sync() opens the rest. */
KontorMailMessageList *
kontor_mail_engine_open_list_newest_sync (KontorMailEngine *self,
                                          const char *folder_id,
                                          KontorMailSort sort,
                                          KontorMailFilter filter,
                                          guint limit,
                                          GCancellable *cancellable,
                                          GError **error)
{
  g_autoptr (KontorMailMessageList) list =
    open_list (self, folder_id, TRUE, TRUE, cancellable, error);

  if (list == NULL)
    return NULL;
  kontor_mail_message_list_set_sort (list, sort, FALSE);
  kontor_mail_message_list_set_filter (list, filter);
  if (!kontor_mail_message_list_load_newest_sync (list, limit, error))
    return NULL;
  return g_steal_pointer (&list);
}

/* Opens the folders @list was made without: folder id -> CamelFolder, for
 * kontor_mail_message_list_attach_folder() on the main thread. As for
 * kontor_mail_engine_open_list_sync(), a folder of the unified Inbox or of every folder
 * that cannot be opened is left out; for one folder, that is an error. */
GHashTable *
kontor_mail_engine_open_list_folders_sync (KontorMailEngine *self,
                                           KontorMailMessageList *list,
                                           const char *list_id,
                                           GCancellable *cancellable,
                                           GError **error)
{
  g_autoptr (GHashTable) folders =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_auto (GStrv) ids = kontor_mail_message_list_dup_unopened (list);
  gboolean several = g_strcmp0 (list_id, KONTOR_MAIL_UNIFIED_INBOX_ID) == 0 ||
                     g_strcmp0 (list_id, KONTOR_MAIL_EVERYWHERE_ID) == 0;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_auto (Location) location = { 0 };
      g_autoptr (GError) local_error = NULL;
      CamelFolder *folder = NULL;

      if (resolve_folder (self, ids[i], &location, &local_error))
        folder = kontor_mail_account_ref_folder_sync (location.account, location.full_name,
                                                      cancellable, &local_error);
      if (folder != NULL)
        g_hash_table_insert (folders, g_strdup (ids[i]), folder);
      else if (!several || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  return g_steal_pointer (&folders);
}

CamelMimeMessage *
kontor_mail_engine_get_message_sync (KontorMailEngine *self,
                                     const char *message_id,
                                     GCancellable *cancellable,
                                     GError **error)
{
  g_auto (Location) location = { 0 };
  g_autoptr (CamelFolder) folder = NULL;
  g_autoptr (GError) local_error = NULL;
  CamelMimeMessage *message;

  folder = ref_message_folder (self, message_id, &location, cancellable, error);
  if (folder == NULL)
    return NULL;
  message = camel_folder_get_message_sync (folder, location.uid, cancellable, &local_error);
  /* Not in the local copy yet: the store may just not have signed in so far. */
  if (message == NULL && kontor_mail_account_get_online (location.account))
    {
      g_clear_error (&local_error);
      if (kontor_mail_account_connect_sync (location.account, cancellable, &local_error))
        message = camel_folder_get_message_sync (folder, location.uid, cancellable, &local_error);
    }
  if (message == NULL)
    {
      if (!kontor_mail_account_get_online (location.account))
        g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_OFFLINE,
                     _ ("This message has not been downloaded yet, and Kontor is offline"));
      else
        {
          kontor_mail_error_from_camel (&local_error);
          g_propagate_error (error, g_steal_pointer (&local_error));
        }
      return NULL;
    }
  return message;
}

CamelMessageInfo *
kontor_mail_engine_dup_info_sync (KontorMailEngine *self,
                                  const char *message_id,
                                  GCancellable *cancellable,
                                  GError **error)
{
  g_auto (Location) location = { 0 };
  g_autoptr (CamelFolder) folder =
    ref_message_folder (self, message_id, &location, cancellable, error);

  return folder != NULL ? camel_folder_get_message_info (folder, location.uid) : NULL;
}

/* Groups message ids by folder: folder id -> GPtrArray of uids. */
static GHashTable *
group_by_folder (const char *const *message_ids, GError **error)
{
  g_autoptr (GHashTable) groups =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; message_ids != NULL && message_ids[i] != NULL; i++)
    {
      g_autofree char *folder_id = NULL;
      char *uid = NULL;
      GPtrArray *uids;

      if (!kontor_mail_message_id_parse (message_ids[i], &folder_id, &uid))
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not a message id"), message_ids[i]);
          return NULL;
        }
      uids = g_hash_table_lookup (groups, folder_id);
      if (uids == NULL)
        {
          uids = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (groups, g_steal_pointer (&folder_id), uids);
        }
      g_ptr_array_add (uids, uid);
    }
  return g_steal_pointer (&groups);
}

/* Every uid must be a message of the folder: a script's typo is NotFound, not a
 * silent success. */
static gboolean
check_uids (KontorMailEngine *self,
            const char *folder_id,
            GPtrArray *uids,
            GCancellable *cancellable,
            GError **error)
{
  g_auto (Location) location = { 0 };
  g_autoptr (CamelFolder) folder = NULL;
  CamelFolderSummary *summary;

  if (!resolve_folder (self, folder_id, &location, error) ||
      (folder = kontor_mail_account_ref_folder_sync (location.account, location.full_name,
                                                     cancellable, error)) == NULL)
    return FALSE;
  summary = camel_folder_get_folder_summary (folder);
  for (guint i = 0; i < uids->len; i++)
    if (!camel_folder_summary_check_uid (summary, g_ptr_array_index (uids, i)))
      {
        g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND, _ ("No message “%s:%s” exists"),
                     folder_id, (char *) g_ptr_array_index (uids, i));
        return FALSE;
      }
  return TRUE;
}

/* Changes are in the local copy once this returns; reaching the server is best effort
 * here and certain at the next sync. */
static void
push_changes (KontorMailAccount *account,
              CamelFolder *folder,
              gboolean expunge,
              GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;

  camel_folder_summary_save (camel_folder_get_folder_summary (folder), NULL);
  if (!kontor_mail_account_get_online (account) ||
      !kontor_mail_account_connect_sync (account, cancellable, &error) ||
      !camel_folder_synchronize_sync (folder, expunge, cancellable, &error))
    g_debug ("Changes to %s wait for the next sync: %s", camel_folder_get_full_name (folder),
             error != NULL ? error->message : "offline");
}

gboolean
kontor_mail_engine_set_flags_sync (KontorMailEngine *self,
                                   const char *const *message_ids,
                                   const char *const *add,
                                   const char *const *remove,
                                   GCancellable *cancellable,
                                   GError **error)
{
  g_autoptr (GHashTable) groups = group_by_folder (message_ids, error);
  guint32 set = 0, clear = 0;
  gboolean set_junk = FALSE, clear_junk = FALSE;
  GHashTableIter iter;
  gpointer key, value;

  if (groups == NULL || !kontor_mail_flags_from_strv (add, &set, &set_junk, error) ||
      !kontor_mail_flags_from_strv (remove, &clear, &clear_junk, error))
    {
      kontor_mail_error_from_camel (error);
      return FALSE;
    }
  if (set_junk)
    set |= CAMEL_MESSAGE_JUNK, clear |= CAMEL_MESSAGE_NOTJUNK;
  if (clear_junk)
    clear |= CAMEL_MESSAGE_JUNK, set |= CAMEL_MESSAGE_NOTJUNK;

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto (Location) location = { 0 };
      g_autoptr (CamelFolder) folder = NULL;
      GPtrArray *uids = value;

      if (!resolve_folder (self, key, &location, error) ||
          (folder = kontor_mail_account_ref_folder_sync (location.account, location.full_name,
                                                         cancellable, error)) == NULL)
        return FALSE;
      for (guint i = 0; i < uids->len; i++)
        {
          const char *uid = g_ptr_array_index (uids, i);

          if (!camel_folder_summary_check_uid (camel_folder_get_folder_summary (folder), uid))
            {
              g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                           _ ("No message “%s:%s” exists"), (char *) key, uid);
              return FALSE;
            }
          camel_folder_set_message_flags (folder, uid, set | clear, set);
        }
      push_changes (location.account, folder, FALSE, cancellable);
    }
  return TRUE;
}

gboolean
kontor_mail_engine_move_sync (KontorMailEngine *self,
                              const char *const *message_ids,
                              const char *folder_id,
                              GCancellable *cancellable,
                              GError **error)
{
  g_auto (Location) destination = { 0 };
  g_autoptr (GHashTable) groups = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (!resolve_folder (self, folder_id, &destination, error) ||
      (groups = group_by_folder (message_ids, error)) == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto (Location) source = { 0 };

      if (!resolve_folder (self, key, &source, error) ||
          !check_uids (self, key, value, cancellable, error))
        return FALSE;
      if (source.account != destination.account)
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED,
                       _ ("Messages can only be moved within their account"));
          return FALSE;
        }
      if (g_strcmp0 (source.full_name, destination.full_name) == 0)
        continue;
      if (!kontor_mail_account_move_sync (source.account, source.full_name, value,
                                          destination.full_name, cancellable, error))
        return FALSE;
    }
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_hidden_changed_cb, g_object_ref (self), g_object_unref);
  return TRUE;
}

/* To the account's Trash; in the Trash (or without one), deleted for good. */
gboolean
kontor_mail_engine_delete_sync (KontorMailEngine *self,
                                const char *const *message_ids,
                                GCancellable *cancellable,
                                GError **error)
{
  g_autoptr (GHashTable) groups = group_by_folder (message_ids, error);
  GHashTableIter iter;
  gpointer key, value;

  if (groups == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto (Location) location = { 0 };
      g_autoptr (CamelFolder) folder = NULL;
      g_autofree char *trash_name = NULL;
      GPtrArray *uids = value;

      if (!resolve_folder (self, key, &location, error) ||
          !check_uids (self, key, uids, cancellable, error))
        return FALSE;
      trash_name = kontor_mail_account_dup_role_folder (location.account, KONTOR_MAIL_ROLE_TRASH);
      if (trash_name != NULL && g_strcmp0 (trash_name, location.full_name) != 0)
        {
          if (!kontor_mail_account_move_sync (location.account, location.full_name, uids,
                                              trash_name, cancellable, error))
            return FALSE;
          continue;
        }
      folder = kontor_mail_account_ref_folder_sync (location.account, location.full_name,
                                                    cancellable, error);
      if (folder == NULL)
        return FALSE;
      for (guint i = 0; i < uids->len; i++)
        camel_folder_set_message_flags (folder, g_ptr_array_index (uids, i),
                                        CAMEL_MESSAGE_DELETED | CAMEL_MESSAGE_SEEN,
                                        CAMEL_MESSAGE_DELETED | CAMEL_MESSAGE_SEEN);
      push_changes (location.account, folder, TRUE, cancellable);
    }
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_hidden_changed_cb, g_object_ref (self), g_object_unref);
  return TRUE;
}

typedef struct
{
  char *id;
  gint64 date;
} Hit;

static int
compare_hits (gconstpointer a, gconstpointer b)
{
  const Hit *ha = a, *hb = b;

  return (hb->date > ha->date) - (hb->date < ha->date);
}

/* Matches of one folder, newest first, appended to hits. */
/* Matches of one folder by SQL over its summary (kontor_mail_query_to_sql()). */
static gboolean
search_folder_sql (KontorMailAccount *account,
                   CamelFolder *folder,
                   const char *folder_id,
                   const char *sql,
                   GArray *hits,
                   GError **error)
{
  g_autoptr (GPtrArray) uids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) dates = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* What Camel keeps in memory (flags just changed) must be in the database first. */
  camel_folder_summary_save (camel_folder_get_folder_summary (folder), NULL);
  if (!kontor_mail_summary_select (kontor_mail_account_get_store (account),
                                   camel_folder_get_full_name (folder), sql, uids, dates, error))
    return FALSE;
  for (guint i = 0; i < uids->len; i++)
    {
      Hit hit = { kontor_mail_message_id_build (folder_id, g_ptr_array_index (uids, i)),
                  g_array_index (dates, gint64, i) };

      g_array_append_val (hits, hit);
    }
  return TRUE;
}

static gboolean
search_folder (KontorMailAccount *account,
               const char *full_name,
               const char *sexp,
               const char *sql,
               GArray *hits,
               GCancellable *cancellable,
               GError **error)
{
  g_autoptr (CamelFolder) folder = NULL;
  GPtrArray *uids = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GHashTable) matches = NULL;
  g_autoptr (KontorMailMessageList) list = NULL;
  g_autofree char *folder_id =
    kontor_mail_folder_id_build (kontor_mail_account_get_id (account), full_name);

  folder = kontor_mail_account_ref_folder_sync (account, full_name, cancellable, error);
  if (folder == NULL)
    return FALSE;
  if (sql != NULL)
    return search_folder_sql (account, folder, folder_id, sql, hits, error);
  uids = camel_folder_search_by_expression (folder, sexp, cancellable, &local_error);
  if (local_error != NULL)
    {
      kontor_mail_error_from_camel (&local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (uids == NULL || uids->len == 0)
    {
      if (uids != NULL)
        camel_folder_search_free (folder, g_steal_pointer (&uids));
      return TRUE;
    }
  matches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < uids->len; i++)
    g_hash_table_add (matches,
                      kontor_mail_message_id_build (folder_id, g_ptr_array_index (uids, i)));
  camel_folder_search_free (folder, g_steal_pointer (&uids));
  /* The list reads dates straight from the summary database: no message info loads. */
  list = kontor_mail_message_list_new_snapshot ();
  kontor_mail_message_list_add_folder (list, folder, folder_id);
  kontor_mail_message_list_set_matches (list, matches);
  if (!kontor_mail_message_list_reload_sync (list, error))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      Hit hit = { kontor_mail_message_list_dup_id (list, i),
                  kontor_mail_message_list_get_date (list, i) };

      g_array_append_val (hits, hit);
    }
  return TRUE;
}

static void
hit_clear (gpointer data)
{
  g_free (((Hit *) data)->id);
}

GStrv
kontor_mail_engine_search_sync (KontorMailEngine *self,
                                const char *query,
                                const char *folder_id,
                                GCancellable *cancellable,
                                GError **error)
{
  g_autoptr (KontorMailQuery) parsed = NULL;
  g_autofree char *sexp = NULL;
  g_autofree char *sql = NULL;
  g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);

  g_array_set_clear_func (hits, hit_clear);
  parsed = kontor_mail_query_parse (query, error);
  if (parsed == NULL)
    {
      if (error != NULL && *error != NULL)
        {
          (*error)->domain = KONTOR_ERROR;
          (*error)->code = KONTOR_ERROR_INVALID_ARGUMENT;
        }
      return NULL;
    }
  sexp = kontor_mail_query_to_sexp (parsed);
  sql = kontor_mail_query_to_sql (parsed);

  if (folder_id != NULL && *folder_id != '\0' &&
      g_strcmp0 (folder_id, KONTOR_MAIL_UNIFIED_INBOX_ID) != 0)
    {
      g_auto (Location) location = { 0 };

      if (!resolve_folder (self, folder_id, &location, error) ||
          !search_folder (location.account, location.full_name, sexp, sql, hits, cancellable,
                          error))
        return NULL;
    }
  else
    {
      GHashTableIter iter;
      gpointer value;
      gboolean inbox_only = g_strcmp0 (folder_id, KONTOR_MAIL_UNIFIED_INBOX_ID) == 0;

      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (accounts, g_object_ref (value));
      for (guint i = 0; i < accounts->len; i++)
        {
          KontorMailAccount *account = g_ptr_array_index (accounts, i);
          g_auto (GStrv) names = inbox_only ? g_strdupv ((char *[]){ "INBOX", NULL })
                                            : kontor_mail_account_dup_folder_names (account);

          for (guint j = 0; names[j] != NULL; j++)
            {
              g_autoptr (GError) folder_error = NULL;

              if (!search_folder (account, names[j], sexp, sql, hits, cancellable, &folder_error))
                g_debug ("Search skipped %s: %s", names[j], folder_error->message);
            }
        }
    }
  g_array_sort (hits, compare_hits);
  for (guint i = 0; i < hits->len; i++)
    g_strv_builder_add (builder, g_array_index (hits, Hit, i).id);
  return g_strv_builder_end (builder);
}

gboolean
kontor_mail_engine_sync_sync (KontorMailEngine *self,
                              const char *account_id,
                              GCancellable *cancellable,
                              GError **error)
{
  g_autoptr (GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);

  if (!check_online (self, error))
    return FALSE;
  if (account_id != NULL && *account_id != '\0')
    {
      KontorMailAccount *account = ref_account (self, account_id);

      if (account == NULL)
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                       _ ("No mail account “%s” exists"), account_id);
          return FALSE;
        }
      g_ptr_array_add (accounts, account);
    }
  else
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (accounts, g_object_ref (value));
    }
  for (guint i = 0; i < accounts->len; i++)
    if (!kontor_mail_account_sync_sync (g_ptr_array_index (accounts, i), cancellable, error))
      return FALSE;
  g_idle_add_full (G_PRIORITY_LOW, emit_hidden_changed_cb, g_object_ref (self), g_object_unref);
  return TRUE;
}

/* op: "create" (folder_id: the parent folder or an account id), "rename", "delete".
 * Returns the folder's id afterwards. */
char *
kontor_mail_engine_folder_op_sync (KontorMailEngine *self,
                                   const char *op,
                                   const char *folder_id,
                                   const char *name,
                                   GCancellable *cancellable,
                                   GError **error)
{
  g_auto (Location) location = { 0 };
  g_autofree char *result_name = NULL;

  if (!check_online (self, error))
    return NULL;
  if (g_str_equal (op, "create") && folder_id != NULL && strchr (folder_id, '/') == NULL)
    {
      location.account = ref_account (self, folder_id);
      if (location.account == NULL)
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                       _ ("No mail account “%s” exists"), folder_id);
          return NULL;
        }
    }
  else if (!resolve_folder (self, folder_id, &location, error))
    return NULL;
  if (!kontor_mail_account_folder_op_sync (location.account, op, location.full_name, name,
                                           &result_name, cancellable, error))
    return NULL;
  return kontor_mail_folder_id_build (kontor_mail_account_get_id (location.account),
                                      result_name != NULL ? result_name : location.full_name);
}

/* RFC 2392 mid: the message whose Message-ID header is mid (with or without <>),
 * looked up by the hash the summary keeps: Inboxes first, then every folder. */
char *
kontor_mail_engine_find_mid_sync (KontorMailEngine *self,
                                  const char *mid,
                                  GCancellable *cancellable,
                                  GError **error)
{
  g_autofree char *unescaped = g_uri_unescape_string (mid, NULL);
  g_autofree char *bracketed = NULL;
  g_autoptr (GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;
  guint64 hash;

  if (unescaped == NULL || *unescaped == '\0')
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a Message-ID"), mid);
      return NULL;
    }
  bracketed = unescaped[0] == '<' ? g_strdup (unescaped) : g_strdup_printf ("<%s>", unescaped);
  hash = camel_folder_search_util_hash_message_id (bracketed, TRUE);
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (accounts, g_object_ref (value));
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < accounts->len; i++)
      {
        KontorMailAccount *account = g_ptr_array_index (accounts, i);
        g_auto (GStrv) names = pass == 0 ? g_strdupv ((char *[]){ "INBOX", NULL })
                                         : kontor_mail_account_dup_folder_names (account);

        for (guint j = 0; names[j] != NULL; j++)
          {
            g_autoptr (CamelFolder) folder = NULL;
            GPtrArray *uids = NULL;
            CamelFolderSummary *summary;
            char *found = NULL;
            g_autofree char *folder_id = NULL;

            if (pass == 1 && g_ascii_strcasecmp (names[j], "INBOX") == 0)
              continue;
            folder = kontor_mail_account_ref_folder_sync (account, names[j], cancellable, NULL);
            if (folder == NULL)
              continue;
            summary = camel_folder_get_folder_summary (folder);
            camel_folder_summary_prepare_fetch_all (summary, NULL);
            uids = camel_folder_summary_get_array (summary);
            folder_id =
              kontor_mail_folder_id_build (kontor_mail_account_get_id (account), names[j]);
            for (guint k = 0; uids != NULL && k < uids->len; k++)
              {
                g_autoptr (CamelMessageInfo) info =
                  camel_folder_summary_get (summary, g_ptr_array_index (uids, k));

                if (info != NULL && camel_message_info_get_message_id (info) == hash)
                  {
                    found = kontor_mail_message_id_build (folder_id, g_ptr_array_index (uids, k));
                    break;
                  }
              }
            camel_folder_summary_free_array (uids);
            if (found != NULL)
              return found;
          }
      }
  g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
               _ ("No message with Message-ID %s is here"), bracketed);
  return NULL;
}

/* Running any of the above in a worker thread ---------------------------------------- */

typedef struct
{
  KontorMailEngineJob job;
  gpointer data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  gpointer result = job->job (source, job->data, cancellable, &error);

  if (error != NULL)
    {
      if (result != NULL && job->result_free != NULL)
        job->result_free (result);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, result, job->result_free);
}

void
kontor_mail_engine_run_async (KontorMailEngine *self,
                              KontorMailEngineJob func,
                              gpointer data,
                              GDestroyNotify data_free,
                              GDestroyNotify result_free,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->job = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  g_task_set_source_tag (task, kontor_mail_engine_run_async);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, job_thread);
}

gpointer
kontor_mail_engine_run_finish (KontorMailEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
