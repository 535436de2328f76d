/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-recent-recipients.c: a GKeyFile with one group per address (name, use count,
 * last use in Unix seconds). A key file rather than SQLite: the store is small (capped
 * at MAX_ENTRIES), read once and rewritten whole, so an atomic replace of a readable
 * file is all it needs. Reading and writing happen in a worker thread; a file that
 * cannot be parsed is ignored (and replaced at the next save) rather than failing
 * completion. Ranking is frecency: the use count, halved for every HALF_LIFE since the
 * last use. */
#define G_LOG_DOMAIN "kontor-completion"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <camel/camel.h>
#include <glib/gi18n-lib.h>

#include "kontor-completion-result.h"
#include "kontor-recent-recipients.h"

#define MAX_ENTRIES 2000
#define HALF_LIFE   (14 * 24 * 60 * 60) /* seconds */

typedef enum
{
  NOT_LOADED,
  LOADING,
  LOADED
} LoadState;

typedef struct
{
  char *address;
  char *name;
  char *folded_address;
  char *folded_name;
  guint count;
  gint64 last_used;
} Entry;

struct _KontorRecentRecipients
{
  GObject parent_instance;

  char *path;
  GHashTable *entries; /* casefolded address -> Entry */
  LoadState load_state;
  GQueue pending_loads;
  gboolean dirty;
  gboolean saving;
  GQueue pending_flushes;
};

G_DEFINE_FINAL_TYPE (KontorRecentRecipients, kontor_recent_recipients, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_free (entry->address);
  g_free (entry->name);
  g_free (entry->folded_address);
  g_free (entry->folded_name);
  g_free (entry);
}

static void
entry_set_name (Entry *entry, const char *name)
{
  g_free (entry->name);
  g_free (entry->folded_name);
  entry->name = g_strdup (name ? name : "");
  entry->folded_name = kontor_completion_fold (entry->name);
}

/* A key file group name cannot hold brackets or control characters; no address a user
 * sends to in practice does. */
static gboolean
is_storable_address (const char *address)
{
  if (address == NULL || *address == '\0' || strchr (address, '@') == NULL ||
      !g_utf8_validate (address, -1, NULL))
    return FALSE;
  for (const char *p = address; *p; p++)
    if (*p == '[' || *p == ']' || g_ascii_iscntrl (*p) || g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Adds @count uses of @address, the last at @when; the latest name given wins. */
static void
add_use (GHashTable *entries, const char *address, const char *name, guint count, gint64 when)
{
  g_autofree char *key = g_utf8_casefold (address, -1);
  Entry *entry = g_hash_table_lookup (entries, key);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->address = g_strdup (address);
      entry->folded_address = kontor_completion_fold (address);
      entry_set_name (entry, name);
      g_hash_table_insert (entries, g_steal_pointer (&key), entry);
    }
  else if (when >= entry->last_used && name != NULL && *name != '\0')
    entry_set_name (entry, name);
  else if (*entry->name == '\0')
    entry_set_name (entry, name);

  entry->count += count;
  entry->last_used = MAX (entry->last_used, when);
}

double
kontor_recent_recipients_frecency (guint count, gint64 last_used, gint64 now)
{
  gint64 age = MAX (now - last_used, 0);

  return count * exp2 (-(double) age / HALF_LIFE);
}

/* ---- Loading, in a worker thread ---- */

static void
load_thread (GTask *task, gpointer object, gpointer task_data, GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GHashTable) entries =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  g_auto (GStrv) groups = NULL;
  g_autoptr (GError) error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_message ("Ignoring the recent recipients in %s: %s", path, error->message);
      g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_hash_table_unref);
      return;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *name = g_key_file_get_string (file, groups[i], "name", NULL);
      guint64 count = g_key_file_get_uint64 (file, groups[i], "count", NULL);
      gint64 last_used = g_key_file_get_int64 (file, groups[i], "last-used", NULL);

      /* A damaged entry is dropped, not the whole file. */
      if (!is_storable_address (groups[i]) || count == 0 || count > G_MAXUINT || last_used <= 0)
        continue;
      add_use (entries, groups[i], name, (guint) count, last_used);
    }
  g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_hash_table_unref);
}

static void maybe_save (KontorRecentRecipients *self);

static void
load_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorRecentRecipients) self = user_data;
  g_autoptr (GHashTable) loaded = g_task_propagate_pointer (G_TASK (result), NULL);
  GHashTableIter iter;
  Entry *entry;
  GTask *task;

  /* What was noted while the file was read counts on top of what it held. */
  g_hash_table_iter_init (&iter, loaded);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    add_use (self->entries, entry->address, entry->name, entry->count, entry->last_used);

  self->load_state = LOADED;
  while ((task = g_queue_pop_head (&self->pending_loads)) != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
  maybe_save (self);
}

static void
ensure_loaded (KontorRecentRecipients *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->load_state != NOT_LOADED)
    return;
  self->load_state = LOADING;
  /* The worker thread may drop its reference to the task after the callback ran: the
   * task has no source object, so that is never the store's last reference. */
  task = g_task_new (NULL, NULL, load_cb, g_object_ref (self));
  g_task_set_source_tag (task, ensure_loaded);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * kontor_recent_recipients_load_async:
 *
 * Reads the file once, in a worker thread; later calls finish at once. A missing or
 * damaged file is an empty store, not an error.
 */
void
kontor_recent_recipients_load_async (KontorRecentRecipients *self,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  GTask *task;

  g_return_if_fail (KONTOR_IS_RECENT_RECIPIENTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_recent_recipients_load_async);
  if (self->load_state == LOADED)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_queue_push_tail (&self->pending_loads, task);
  ensure_loaded (self);
}

gboolean
kontor_recent_recipients_load_finish (KontorRecentRecipients *self,
                                      GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Saving: serialized on the main thread, written atomically in a worker ---- */

static int
compare_frecency (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Entry *x = *(Entry **) a, *y = *(Entry **) b;
  gint64 now = *(gint64 *) user_data;
  double fx = kontor_recent_recipients_frecency (x->count, x->last_used, now);
  double fy = kontor_recent_recipients_frecency (y->count, y->last_used, now);

  return fx > fy ? -1 : fx < fy ? 1 : g_strcmp0 (x->address, y->address);
}

typedef struct
{
  char *path;
  GBytes *bytes;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->path);
  g_bytes_unref (job->bytes);
  g_free (job);
}

static GBytes *
serialize (KontorRecentRecipients *self)
{
  g_autoptr (GPtrArray) sorted = g_ptr_array_sized_new (g_hash_table_size (self->entries));
  g_autoptr (GKeyFile) file = g_key_file_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer entry;
  gsize length;
  char *data;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &entry))
    g_ptr_array_add (sorted, entry);
  g_ptr_array_sort_with_data (sorted, compare_frecency, &now);
  for (guint i = 0; i < sorted->len && i < MAX_ENTRIES; i++)
    {
      Entry *entry = sorted->pdata[i];

      g_key_file_set_string (file, entry->address, "name", entry->name);
      g_key_file_set_uint64 (file, entry->address, "count", entry->count);
      g_key_file_set_int64 (file, entry->address, "last-used", entry->last_used);
    }
  data = g_key_file_to_data (file, &length, NULL);
  return g_bytes_new_take (data, length);
}

static void
save_thread (GTask *task, gpointer object, gpointer task_data, GCancellable *cancellable)
{
  SaveJob *job = task_data;
  g_autofree char *dir = g_path_get_dirname (job->path);
  g_autoptr (GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (job->path, g_bytes_get_data (job->bytes, NULL),
                                 g_bytes_get_size (job->bytes), G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &error))
    g_warning ("Could not save the recent recipients in %s: %s", job->path,
               error ? error->message : g_strerror (errno));
  g_task_return_boolean (task, TRUE);
}

static void
save_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorRecentRecipients) self = user_data;

  self->saving = FALSE;
  maybe_save (self);
}

static void
maybe_save (KontorRecentRecipients *self)
{
  g_autoptr (GTask) task = NULL;
  SaveJob *job;
  GTask *flush;

  if (self->saving || self->load_state != LOADED)
    return;
  if (!self->dirty)
    {
      while ((flush = g_queue_pop_head (&self->pending_flushes)) != NULL)
        {
          g_task_return_boolean (flush, TRUE);
          g_object_unref (flush);
        }
      return;
    }

  self->dirty = FALSE;
  self->saving = TRUE;
  /* The callback's reference keeps the store alive until the file is written. */
  job = g_new0 (SaveJob, 1);
  job->path = g_strdup (self->path);
  job->bytes = serialize (self);
  task = g_task_new (NULL, NULL, save_cb, g_object_ref (self));
  g_task_set_source_tag (task, maybe_save);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

/**
 * kontor_recent_recipients_note_used:
 * @addresses: recipients as in a header: "Name <address>", a bare address, or several
 *   separated by commas
 * @now: the time of sending, in Unix seconds
 *
 * Counts one use of each address and saves the store soon after.
 */
void
kontor_recent_recipients_note_used (KontorRecentRecipients *self,
                                    const char *const *addresses,
                                    gint64 now)
{
  g_return_if_fail (KONTOR_IS_RECENT_RECIPIENTS (self));
  g_return_if_fail (addresses != NULL);

  for (guint i = 0; addresses[i] != NULL; i++)
    {
      g_autoptr (CamelInternetAddress) parsed = camel_internet_address_new ();
      int n = camel_address_decode (CAMEL_ADDRESS (parsed), addresses[i]);

      for (int j = 0; j < n; j++)
        {
          const char *name = NULL, *address = NULL;

          if (camel_internet_address_get (parsed, j, &name, &address) &&
              is_storable_address (address))
            {
              add_use (self->entries, address, name, 1, now);
              self->dirty = TRUE;
            }
          else
            g_debug ("Not remembering the recipient \"%s\"", addresses[i]);
        }
    }
  ensure_loaded (self);
  maybe_save (self);
}

/**
 * kontor_recent_recipients_match:
 * @now: the present, in Unix seconds, for frecency
 *
 * Returns: (transfer full) (element-type KontorCompletionResult): the recipients
 *   matching @query, unsorted, each ranked 1 + its frecency
 */
GPtrArray *
kontor_recent_recipients_match (KontorRecentRecipients *self,
                                const KontorCompletionQuery *query,
                                gint64 now)
{
  GPtrArray *results = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  Entry *entry;

  g_return_val_if_fail (KONTOR_IS_RECENT_RECIPIENTS (self), results);
  g_return_val_if_fail (query != NULL, results);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (kontor_completion_query_match (query, entry->folded_name, entry->folded_address) !=
        KONTOR_COMPLETION_MATCH_NONE)
      g_ptr_array_add (
        results,
        kontor_completion_result_new (
          entry->name, entry->address,
          /* TRANSLATORS: where a completed address came from: people you sent mail to lately */
          C_ ("address completion", "Recent"), KONTOR_COMPLETION_ORIGIN_RECENT,
          1.0 + kontor_recent_recipients_frecency (entry->count, entry->last_used, now)));
  return results;
}

/**
 * kontor_recent_recipients_flush_async:
 *
 * Finishes once everything noted so far is on disk.
 */
void
kontor_recent_recipients_flush_async (KontorRecentRecipients *self,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  GTask *task;

  g_return_if_fail (KONTOR_IS_RECENT_RECIPIENTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_recent_recipients_flush_async);
  g_queue_push_tail (&self->pending_flushes, task);
  if (self->load_state == LOADED)
    maybe_save (self);
}

gboolean
kontor_recent_recipients_flush_finish (KontorRecentRecipients *self,
                                       GAsyncResult *result,
                                       GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
kontor_recent_recipients_finalize (GObject *object)
{
  KontorRecentRecipients *self = KONTOR_RECENT_RECIPIENTS (object);

  /* Loads, saves and flushes hold a reference: nothing is pending here. */
  g_assert (g_queue_is_empty (&self->pending_loads));
  g_assert (g_queue_is_empty (&self->pending_flushes));
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_free (self->path);

  G_OBJECT_CLASS (kontor_recent_recipients_parent_class)->finalize (object);
}

static void
kontor_recent_recipients_class_init (KontorRecentRecipientsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kontor_recent_recipients_finalize;
}

static void
kontor_recent_recipients_init (KontorRecentRecipients *self)
{
  self->entries =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
}

/* @path: the store's file, e.g. $XDG_DATA_HOME/kontor/recent-recipients */
KontorRecentRecipients *
kontor_recent_recipients_new (const char *path)
{
  KontorRecentRecipients *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (KONTOR_TYPE_RECENT_RECIPIENTS, NULL);
  self->path = g_strdup (path);
  return self;
}
