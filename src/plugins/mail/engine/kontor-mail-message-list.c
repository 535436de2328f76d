/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-message-list.c: the message list model. A (re)load reads only uid,
 * date, sort key and size of every message from the folder's summary database, in a
 * worker thread; rows (KontorMailMessage) are built from the summary when GTK asks
 * for them, a batch at a time, and kept while somebody holds them (and the last few
 * hundred besides). Camel's "changed" signal becomes precise items-changed emissions,
 * never a full reload.
 *
 * A list can be made before its folders are open in Camel (which reads every uid of a
 * folder first): load_newest_sync() fills it with the newest screenful straight from
 * the database, and attach_folder() adds each folder once it is open; the full load
 * comes after that. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kontor-mail-folder.h"
#include "kontor-mail-message-list.h"
#include "kontor-mail-message.h"
#include "kontor-mail-summary.h"
#include "kontor-mail-threads.h"

/* Rows read at once when GTK asks for one that is not made yet; rows kept after the
 * list view lets them go, so scrolling back does not read them again. */
#define BATCH_SIZE  64
#define RECENT_SIZE 640
/* Rows between two looks ahead while scrolling: a frame binds about a screenful. */
#define PREFETCH_STEP 16

typedef struct
{
  CamelStore *store;
  char *full_name;
  CamelFolder *folder; /* NULL until attached */
  char *folder_id;
  gulong changed_id;
} Source;

typedef struct
{
  const char *uid; /* a camel_pstring */
  guint16 source;
} Member;

typedef struct
{
  const char *uid; /* a camel_pstring */
  gint64 date;
  char *key;       /* casefolded sender or subject when sorting by them */
  char *part;      /* Message-ID and References hashes, while conversations are made */
  GArray *members; /* Member: the rest of its conversation, or NULL */
  guint32 size;
  guint16 source;
} Entry;

struct _KontorMailMessageList
{
  GObject parent_instance;

  GPtrArray *sources; /* Source */
  GArray *entries;    /* Entry */
  GHashTable *items;  /* message id -> KontorMailMessage (weak) */
  GQueue recent;      /* KontorMailMessage (strong): the last rows made */
  gboolean prefetching;
  /* Where prefetch_around() last looked ahead (rows of PREFETCH_STEP), in which list */
  guint prefetch_block;
  gconstpointer prefetch_entries;
  guint prefetch_n_entries;
  GHashTable *matches;
  GHashTable *hidden;
  KontorMailSort sort;
  gboolean ascending;
  KontorMailFilter filter;
  gboolean threaded;
  gboolean loaded;
  gboolean snapshot; /* read once, not following changes (scripts' queries) */
  guint loading;
  gboolean reload_again;
  guint retries;
};

static void list_model_iface_init (GListModelInterface *iface);


G_DEFINE_FINAL_TYPE_WITH_CODE (KontorMailMessageList,
                               kontor_mail_message_list,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void remember (KontorMailMessageList *self, KontorMailMessage *message);
static void folder_changed_cb (CamelFolder *folder,
                               CamelFolderChangeInfo *changes,
                               KontorMailMessageList *self);

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  camel_pstring_free (entry->uid);
  g_free (entry->key);
  g_free (entry->part);
  g_clear_pointer (&entry->members, g_array_unref);
}

static void
member_clear (gpointer data)
{
  camel_pstring_free (((Member *) data)->uid);
}

static const char *const *
entry_part (gpointer data)
{
  return (const char *const *) &((Entry *) data)->part;
}

/* Moves a conversation's other message into its top entry. */
static void
entry_add_member (gpointer top_data, gpointer member_data)
{
  Entry *top = top_data, *entry = member_data;
  Member member = { camel_pstring_strdup (entry->uid), entry->source };

  if (top->members == NULL)
    {
      top->members = g_array_new (FALSE, FALSE, sizeof (Member));
      g_array_set_clear_func (top->members, member_clear);
    }
  g_array_append_val (top->members, member);
}

static GArray *
entries_new (void)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (Entry));

  g_array_set_clear_func (entries, entry_clear);
  return entries;
}

static void
source_free (gpointer data)
{
  Source *source = data;

  if (source->folder != NULL)
    g_clear_signal_handler (&source->changed_id, source->folder);
  g_clear_object (&source->folder);
  g_clear_object (&source->store);
  g_free (source->full_name);
  g_free (source->folder_id);
  g_free (source);
}

/* A copy without the signal handler, for worker threads. */
static Source *
source_copy (const Source *source)
{
  Source *copy = g_new0 (Source, 1);

  copy->store = g_object_ref (source->store);
  copy->full_name = g_strdup (source->full_name);
  copy->folder = source->folder != NULL ? g_object_ref (source->folder) : NULL;
  copy->folder_id = g_strdup (source->folder_id);
  return copy;
}

static void
item_finalized_cb (gpointer data, GObject *where_the_object_was)
{
  KontorMailMessageList *self = data;
  /* Weak references are told before finalize: the id is still there. */
  const char *id = kontor_mail_message_get_id ((KontorMailMessage *) where_the_object_was);

  if (g_hash_table_lookup (self->items, id) == where_the_object_was)
    g_hash_table_remove (self->items, id);
}

static void
kontor_mail_message_list_dispose (GObject *object)
{
  KontorMailMessageList *self = KONTOR_MAIL_MESSAGE_LIST (object);
  GHashTableIter iter;
  gpointer value;

  if (self->items != NULL)
    {
      g_hash_table_iter_init (&iter, self->items);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_object_weak_unref (value, item_finalized_cb, self);
      g_hash_table_remove_all (self->items);
    }
  g_queue_clear_full (&self->recent, g_object_unref);
  if (self->sources != NULL)
    g_ptr_array_set_size (self->sources, 0);

  G_OBJECT_CLASS (kontor_mail_message_list_parent_class)->dispose (object);
}

static void
kontor_mail_message_list_finalize (GObject *object)
{
  KontorMailMessageList *self = KONTOR_MAIL_MESSAGE_LIST (object);

  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->matches, g_hash_table_unref);
  g_clear_pointer (&self->hidden, g_hash_table_unref);

  G_OBJECT_CLASS (kontor_mail_message_list_parent_class)->finalize (object);
}

static void
kontor_mail_message_list_get_property (GObject *object,
                                       guint prop_id,
                                       GValue *value,
                                       GParamSpec *pspec)
{
  KontorMailMessageList *self = KONTOR_MAIL_MESSAGE_LIST (object);

  switch (prop_id)
    {
      case PROP_LOADED:
        g_value_set_boolean (value, self->loaded);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_mail_message_list_class_init (KontorMailMessageListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_mail_message_list_dispose;
  object_class->finalize = kontor_mail_message_list_finalize;
  object_class->get_property = kontor_mail_message_list_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_mail_message_list_init (KontorMailMessageList *self)
{
  self->sources = g_ptr_array_new_with_free_func (source_free);
  self->entries = entries_new ();
  self->prefetch_block = G_MAXUINT;
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Sorting ------------------------------------------------------------------ */

static int
compare_entries (const Entry *a, const Entry *b, KontorMailSort sort, gboolean ascending)
{
  int result = 0;

  switch (sort)
    {
      case KONTOR_MAIL_SORT_SENDER:
      case KONTOR_MAIL_SORT_SUBJECT:
        result = g_strcmp0 (a->key, b->key);
        break;
      case KONTOR_MAIL_SORT_SIZE:
        result = (a->size > b->size) - (a->size < b->size);
        break;
      case KONTOR_MAIL_SORT_DATE:
      default:
        break;
    }
  if (result == 0)
    result = (a->date > b->date) - (a->date < b->date);
  if (result == 0)
    result = (int) (strtoull (a->uid, NULL, 10) > strtoull (b->uid, NULL, 10)) -
             (int) (strtoull (a->uid, NULL, 10) < strtoull (b->uid, NULL, 10));
  /* Dates and sizes read newest/largest first unless asked otherwise; text A to Z. */
  if (sort == KONTOR_MAIL_SORT_DATE || sort == KONTOR_MAIL_SORT_SIZE)
    result = -result;
  return ascending ? -result : result;
}

typedef struct
{
  KontorMailSort sort;
  gboolean ascending;
} SortSpec;

static int
compare_entries_cb (gconstpointer a, gconstpointer b, gpointer data)
{
  const SortSpec *spec = data;

  return compare_entries (a, b, spec->sort, spec->ascending);
}

static char *
sort_key (KontorMailSort sort, const char *from, const char *subject)
{
  const char *text = sort == KONTOR_MAIL_SORT_SENDER ? from : subject;

  if (sort != KONTOR_MAIL_SORT_SENDER && sort != KONTOR_MAIL_SORT_SUBJECT)
    return NULL;
  if (text == NULL)
    return g_strdup ("");
  /* Sort "Re: x" with "x", and "\"Ada\" <a@x>" with "Ada". */
  if (sort == KONTOR_MAIL_SORT_SUBJECT)
    while (g_ascii_strncasecmp (text, "re:", 3) == 0 || g_ascii_strncasecmp (text, "fw:", 3) == 0 ||
           g_ascii_strncasecmp (text, "fwd:", 4) == 0)
      {
        text = strchr (text, ':') + 1;
        while (*text == ' ')
          text++;
      }
  while (*text == '"' || *text == ' ')
    text++;
  return g_utf8_casefold (text, -1);
}

/* Loading ------------------------------------------------------------------ */

typedef struct
{
  GArray *entries;
  GHashTable *matches;
  GHashTable *hidden;
  KontorMailSort sort;
  gboolean ascending;
  KontorMailFilter filter;
  guint16 source;
  const char *folder_id;
  gboolean threaded;
} LoadState;

static gboolean
entry_wanted (LoadState *state, const char *uid)
{
  g_autofree char *id = NULL;

  if (state->matches == NULL && state->hidden == NULL)
    return TRUE;
  id = kontor_mail_message_id_build (state->folder_id, uid);
  if (state->matches != NULL && !g_hash_table_contains (state->matches, id))
    return FALSE;
  return state->hidden == NULL || !g_hash_table_contains (state->hidden, id);
}

static int
select_row_cb (gpointer data, int ncol, char **values, char **names)
{
  LoadState *state = data;
  Entry entry = { 0 };

  if (ncol < 6 || values[0] == NULL || !entry_wanted (state, values[0]))
    return 0;
  if (state->threaded)
    entry.part = g_strdup (values[5]);
  entry.uid = camel_pstring_strdup (values[0]);
  entry.date = values[1] != NULL ? g_ascii_strtoll (values[1], NULL, 10) : 0;
  entry.key = sort_key (state->sort, values[2], values[3]);
  entry.size = values[4] != NULL ? (guint32) g_ascii_strtoull (values[4], NULL, 10) : 0;
  entry.source = state->source;
  g_array_append_val (state->entries, entry);
  return 0;
}

static char *
filter_sql (KontorMailFilter filter)
{
  return g_strconcat ("deleted = 0", (filter & KONTOR_MAIL_FILTER_UNREAD) ? " AND read = 0" : "",
                      (filter & KONTOR_MAIL_FILTER_FLAGGED) ? " AND important = 1" : "",
                      (filter & KONTOR_MAIL_FILTER_ATTACHMENTS) ? " AND attachment = 1" : "", NULL);
}

static gboolean
load_source (LoadState *state, const Source *source, GError **error)
{
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  char *table;

  /* What Camel keeps in memory (new flags, new messages) must be in the database
   * before it is read from there. A folder not open yet has nothing in memory. */
  if (source->folder != NULL)
    camel_folder_summary_save (camel_folder_get_folder_summary (source->folder), NULL);

  where = filter_sql (state->filter);
  table = camel_db_sqlize_string (source->full_name);
  sql =
    g_strdup_printf ("SELECT uid, " KONTOR_MAIL_SUMMARY_DATE ", %s, %s, size, %s FROM %s WHERE %s",
                     state->sort == KONTOR_MAIL_SORT_SENDER ? "mail_from" : "NULL",
                     state->sort == KONTOR_MAIL_SORT_SUBJECT ? "subject" : "NULL",
                     state->threaded ? "part" : "NULL", table, where);
  camel_db_free_sqlized_string (table);
  return kontor_mail_summary_select_rows (source->store, sql, select_row_cb, state, error);
}

static GArray *
load_entries (GPtrArray *sources,
              GHashTable *matches,
              GHashTable *hidden,
              KontorMailSort sort,
              gboolean ascending,
              KontorMailFilter filter,
              gboolean threaded,
              GError **error)
{
  LoadState state = { entries_new (), matches, hidden, sort, ascending, filter, 0, NULL, threaded };
  SortSpec spec = { sort, ascending };

  for (guint i = 0; i < sources->len; i++)
    {
      const Source *source = g_ptr_array_index (sources, i);

      state.source = i;
      state.folder_id = source->folder_id;
      if (!load_source (&state, source, error))
        {
          g_array_unref (state.entries);
          return NULL;
        }
    }
  g_array_sort_with_data (state.entries, compare_entries_cb, &spec);
  if (threaded)
    {
      GArray *kept = kontor_mail_threads_collapse (state.entries, entry_part, sizeof (Entry),
                                                   entry_clear, entry_add_member);

      g_array_set_clear_func (kept, entry_clear);
      for (guint i = 0; i < kept->len; i++)
        g_clear_pointer (&g_array_index (kept, Entry, i).part, g_free);
      return kept;
    }
  return state.entries;
}

typedef struct
{
  GPtrArray *sources; /* Source copies, without signal handlers */
  GHashTable *matches;
  GHashTable *hidden;
  KontorMailSort sort;
  gboolean ascending;
  KontorMailFilter filter;
  gboolean threaded;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_ptr_array_unref (load->sources);
  g_clear_pointer (&load->matches, g_hash_table_unref);
  g_clear_pointer (&load->hidden, g_hash_table_unref);
  g_free (load);
}

static LoadData *
load_data_new (KontorMailMessageList *self)
{
  LoadData *load = g_new0 (LoadData, 1);

  load->sources = g_ptr_array_new_with_free_func (source_free);
  for (guint i = 0; i < self->sources->len; i++)
    {
      g_ptr_array_add (load->sources, source_copy (g_ptr_array_index (self->sources, i)));
    }
  load->matches = self->matches != NULL ? g_hash_table_ref (self->matches) : NULL;
  load->hidden = self->hidden != NULL ? g_hash_table_ref (self->hidden) : NULL;
  load->sort = self->sort;
  load->ascending = self->ascending;
  load->filter = self->filter;
  load->threaded = self->threaded;
  return load;
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  LoadData *load = task_data;
  GError *error = NULL;
  GArray *entries = load_entries (load->sources, load->matches, load->hidden, load->sort,
                                  load->ascending, load->filter, load->threaded, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_array_unref);
}

static gboolean
same_entry (const Entry *a, const Entry *b)
{
  return a->source == b->source && (a->uid == b->uid || strcmp (a->uid, b->uid) == 0);
}

/* Only the span between the unchanged head and tail is announced, so a reload after a
 * few messages came or went keeps the selection and the scroll position. */
static void
swap_entries (KontorMailMessageList *self, GArray *entries)
{
  guint old_n = self->entries->len, new_n = entries->len;
  guint head = 0, tail = 0;

  /* Conversations change inside a row (its count): then everything is announced. */
  while (
    !self->threaded && head < old_n && head < new_n &&
    same_entry (&g_array_index (self->entries, Entry, head), &g_array_index (entries, Entry, head)))
    head++;
  while (!self->threaded && tail < old_n - head && tail < new_n - head &&
         same_entry (&g_array_index (self->entries, Entry, old_n - 1 - tail),
                     &g_array_index (entries, Entry, new_n - 1 - tail)))
    tail++;
  g_array_unref (self->entries);
  self->entries = entries;
  if (old_n - head - tail > 0 || new_n - head - tail > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), head, old_n - head - tail,
                                new_n - head - tail);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

static void reload_done_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static gboolean
retry_reload_cb (gpointer data)
{
  KontorMailMessageList *self = data;

  if (self->loading == 0)
    kontor_mail_message_list_reload_async (self, NULL, reload_done_cb, NULL);
  else
    self->reload_again = TRUE;
  return G_SOURCE_REMOVE;
}

void
kontor_mail_message_list_reload_async (KontorMailMessageList *self,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kontor_mail_message_list_reload_async);
  g_task_set_task_data (task, load_data_new (self), load_data_free);
  self->loading++;
  g_task_run_in_thread (task, load_thread);
}

gboolean
kontor_mail_message_list_reload_finish (KontorMailMessageList *self,
                                        GAsyncResult *result,
                                        GError **error)
{
  g_autoptr (GArray) entries = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  self->loading--;
  entries = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (entries == NULL)
    {
      /* The summary database can be busy with a sync's writes: try again shortly,
       * so the list does not stay behind. */
      if (self->retries < 5 && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->retries++;
          g_timeout_add_full (G_PRIORITY_DEFAULT, 200 * self->retries, retry_reload_cb,
                              g_object_ref (self), g_object_unref);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->retries = 0;
  swap_entries (self, g_steal_pointer (&entries));
  if (self->reload_again && self->loading == 0)
    {
      self->reload_again = FALSE;
      kontor_mail_message_list_reload_async (self, NULL, reload_done_cb, NULL);
    }
  return TRUE;
}

static void
reload_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!kontor_mail_message_list_reload_finish (KONTOR_MAIL_MESSAGE_LIST (object), result, &error))
    g_warning ("Could not read the message list: %s", error->message);
}

/* Fills a list that is not shown yet with its newest @limit messages, straight from the
 * summary databases, whether or not its folders are open. Only for the order by date,
 * newest first, without conversations or a search: otherwise it does nothing, and the
 * full load shows the first rows. Runs in the worker thread that made the list. */
gboolean
kontor_mail_message_list_load_newest_sync (KontorMailMessageList *self, guint limit, GError **error)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *where = NULL;
  GArray *entries = entries_new ();
  SortSpec spec = { self->sort, self->ascending };
  guint old_n = self->entries->len;

  g_return_val_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self), FALSE);

  if (self->sort != KONTOR_MAIL_SORT_DATE || self->ascending || self->threaded ||
      self->matches != NULL || self->loaded)
    {
      g_array_unref (entries);
      return TRUE;
    }
  where = filter_sql (self->filter);
  for (guint16 s = 0; s < self->sources->len; s++)
    {
      const Source *source = g_ptr_array_index (self->sources, s);
      g_autoptr (GPtrArray) read = NULL;

      read = kontor_mail_summary_read_newest (source->store, source->full_name, source->folder_id,
                                              where, limit, error);
      if (read == NULL)
        {
          g_array_unref (entries);
          return FALSE;
        }
      for (guint i = 0; i < read->len; i++)
        {
          KontorMailMessage *message = g_ptr_array_index (read, i);
          Entry entry = { 0 };

          if (self->hidden != NULL &&
              g_hash_table_contains (self->hidden, kontor_mail_message_get_id (message)))
            continue;
          entry.uid = camel_pstring_strdup (kontor_mail_message_get_uid (message));
          entry.date = kontor_mail_message_get_date (message);
          entry.size = kontor_mail_message_get_size (message);
          entry.source = s;
          g_array_append_val (entries, entry);
          g_ptr_array_add (messages, g_object_ref (message));
        }
    }
  g_array_sort_with_data (entries, compare_entries_cb, &spec);
  if (entries->len > limit)
    g_array_set_size (entries, limit);
  for (guint i = 0; i < messages->len && i < RECENT_SIZE; i++)
    remember (self, g_ptr_array_index (messages, i));
  g_array_unref (self->entries);
  self->entries = entries;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, entries->len);
  return TRUE;
}

/* For D-Bus calls and tests, which already run off the main loop's critical path. */
gboolean
kontor_mail_message_list_reload_sync (KontorMailMessageList *self, GError **error)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, NULL, NULL);
  LoadData *load = load_data_new (self);
  GArray *entries = load_entries (load->sources, load->matches, load->hidden, load->sort,
                                  load->ascending, load->filter, load->threaded, error);

  load_data_free (load);
  if (entries == NULL)
    return FALSE;
  swap_entries (self, entries);
  return TRUE;
}

static void
reload_soon (KontorMailMessageList *self)
{
  if (self->loading > 0)
    self->reload_again = TRUE;
  else if (self->sources->len > 0)
    kontor_mail_message_list_reload_async (self, NULL, reload_done_cb, NULL);
}

/* Configuration ------------------------------------------------------------ */

KontorMailMessageList *
kontor_mail_message_list_new (void)
{
  return g_object_new (KONTOR_TYPE_MAIL_MESSAGE_LIST, NULL);
}

/* A list that is read once and does not follow changes, safe to use in one worker
 * thread (Camel announces changes on the main thread). */
KontorMailMessageList *
kontor_mail_message_list_new_snapshot (void)
{
  KontorMailMessageList *self = g_object_new (KONTOR_TYPE_MAIL_MESSAGE_LIST, NULL);

  self->snapshot = TRUE;
  return self;
}

void
kontor_mail_message_list_add_folder (KontorMailMessageList *self,
                                     CamelFolder *folder,
                                     const char *folder_id)
{
  Source *source = g_new0 (Source, 1);

  g_return_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self));
  g_return_if_fail (CAMEL_IS_FOLDER (folder));
  g_return_if_fail (self->sources->len < G_MAXUINT16);

  source->store = g_object_ref (camel_folder_get_parent_store (folder));
  source->full_name = g_strdup (camel_folder_get_full_name (folder));
  source->folder_id = g_strdup (folder_id);
  g_ptr_array_add (self->sources, source);
  kontor_mail_message_list_attach_folder (self, folder_id, folder);
}

/* A folder that is not open in Camel yet: load_newest_sync() can read its newest
 * messages; attach it with attach_folder() before the list is loaded in full. */
void
kontor_mail_message_list_add_unopened (KontorMailMessageList *self,
                                       CamelStore *store,
                                       const char *full_name,
                                       const char *folder_id)
{
  Source *source = g_new0 (Source, 1);

  g_return_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self));
  g_return_if_fail (CAMEL_IS_STORE (store));
  g_return_if_fail (self->sources->len < G_MAXUINT16);

  source->store = g_object_ref (store);
  source->full_name = g_strdup (full_name);
  source->folder_id = g_strdup (folder_id);
  g_ptr_array_add (self->sources, source);
}

void
kontor_mail_message_list_attach_folder (KontorMailMessageList *self,
                                        const char *folder_id,
                                        CamelFolder *folder)
{
  g_return_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self));
  g_return_if_fail (CAMEL_IS_FOLDER (folder));

  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *source = g_ptr_array_index (self->sources, i);

      if (source->folder != NULL || g_strcmp0 (source->folder_id, folder_id) != 0)
        continue;
      source->folder = g_object_ref (folder);
      if (!self->snapshot)
        source->changed_id =
          g_signal_connect (folder, "changed", G_CALLBACK (folder_changed_cb), self);
      return;
    }
}

/* The ids of the folders still to attach. */
GStrv
kontor_mail_message_list_dup_unopened (KontorMailMessageList *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self), NULL);
  for (guint i = 0; i < self->sources->len; i++)
    {
      const Source *source = g_ptr_array_index (self->sources, i);

      if (source->folder == NULL)
        g_strv_builder_add (builder, source->folder_id);
    }
  return g_strv_builder_end (builder);
}

void
kontor_mail_message_list_set_sort (KontorMailMessageList *self,
                                   KontorMailSort sort,
                                   gboolean ascending)
{
  g_return_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self));
  if (self->sort == sort && self->ascending == ascending)
    return;
  self->sort = sort;
  self->ascending = ascending;
  if (self->loaded)
    reload_soon (self);
}

/* One row per conversation (its top message in the list's order), or one per message. */
void
kontor_mail_message_list_set_threaded (KontorMailMessageList *self, gboolean threaded)
{
  g_return_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self));
  if (self->threaded == !!threaded)
    return;
  self->threaded = !!threaded;
  if (self->loaded)
    reload_soon (self);
}

/* The message at position and, for a conversation, every other message of it. */
GPtrArray *
kontor_mail_message_list_dup_ids_at (KontorMailMessageList *self, guint position)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  const Entry *entry;

  g_return_val_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self), ids);
  if (position >= self->entries->len)
    return ids;
  entry = &g_array_index (self->entries, Entry, position);
  g_ptr_array_add (ids, kontor_mail_message_list_dup_id (self, position));
  for (guint i = 0; entry->members != NULL && i < entry->members->len; i++)
    {
      const Member *member = &g_array_index (entry->members, Member, i);
      const Source *source = g_ptr_array_index (self->sources, member->source);

      g_ptr_array_add (ids, kontor_mail_message_id_build (source->folder_id, member->uid));
    }
  return ids;
}

void
kontor_mail_message_list_set_filter (KontorMailMessageList *self, KontorMailFilter filter)
{
  g_return_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self));
  if (self->filter == filter)
    return;
  self->filter = filter;
  if (self->loaded)
    reload_soon (self);
}

static void
replace_set (GHashTable **slot, GHashTable *set)
{
  g_clear_pointer (slot, g_hash_table_unref);
  *slot = set != NULL ? g_hash_table_ref (set) : NULL;
}

/* Only these message ids are listed (a search result); NULL lists all. */
void
kontor_mail_message_list_set_matches (KontorMailMessageList *self, GHashTable *message_ids)
{
  g_return_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self));
  replace_set (&self->matches, message_ids);
  if (self->loaded)
    reload_soon (self);
}

/* These message ids are left out (moved while offline, waiting for the server). */
void
kontor_mail_message_list_set_hidden (KontorMailMessageList *self, GHashTable *message_ids)
{
  g_return_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self));
  replace_set (&self->hidden, message_ids);
  if (self->loaded)
    reload_soon (self);
}

gboolean
kontor_mail_message_list_get_loaded (KontorMailMessageList *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self), FALSE);
  return self->loaded;
}

char *
kontor_mail_message_list_dup_id (KontorMailMessageList *self, guint position)
{
  const Entry *entry;
  const Source *source;

  g_return_val_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self), NULL);
  if (position >= self->entries->len)
    return NULL;
  entry = &g_array_index (self->entries, Entry, position);
  source = g_ptr_array_index (self->sources, entry->source);
  return kontor_mail_message_id_build (source->folder_id, entry->uid);
}

gint64
kontor_mail_message_list_get_date (KontorMailMessageList *self, guint position)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self), 0);
  if (position >= self->entries->len)
    return 0;
  return g_array_index (self->entries, Entry, position).date;
}

guint
kontor_mail_message_list_find (KontorMailMessageList *self, const char *message_id)
{
  g_autofree char *folder_id = NULL;
  g_autofree char *uid = NULL;

  g_return_val_if_fail (KONTOR_IS_MAIL_MESSAGE_LIST (self), G_MAXUINT);
  if (!kontor_mail_message_id_parse (message_id, &folder_id, &uid))
    return G_MAXUINT;
  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);
      const Source *source = g_ptr_array_index (self->sources, entry->source);

      if (strcmp (entry->uid, uid) == 0 && strcmp (source->folder_id, folder_id) == 0)
        return i;
    }
  return G_MAXUINT;
}


/* GListModel ---------------------------------------------------------------- */

static GType
list_get_item_type (GListModel *model)
{
  return KONTOR_TYPE_MAIL_MESSAGE;
}

static guint
list_get_n_items (GListModel *model)
{
  return KONTOR_MAIL_MESSAGE_LIST (model)->entries->len;
}

static void
remember (KontorMailMessageList *self, KontorMailMessage *message)
{
  g_hash_table_insert (self->items, g_strdup (kontor_mail_message_get_id (message)), message);
  g_object_weak_ref (G_OBJECT (message), item_finalized_cb, self);
  g_queue_push_head (&self->recent, g_object_ref (message));
  while (self->recent.length > RECENT_SIZE)
    g_object_unref (g_queue_pop_tail (&self->recent));
}

/* Rows to make: per source, the uids not made yet. Copies of the sources, so a batch
 * can be read in a worker thread while the list changes. */
typedef struct
{
  Source *source;
  GPtrArray *uids; /* owned strings */
} BatchPart;

static void
batch_part_free (gpointer data)
{
  BatchPart *part = data;

  source_free (part->source);
  g_ptr_array_unref (part->uids);
  g_free (part);
}

static GPtrArray *
collect_batch (KontorMailMessageList *self, guint start, guint end)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (batch_part_free);
  g_autofree BatchPart **by_source = g_new0 (BatchPart *, self->sources->len);

  for (guint i = start; i < self->entries->len && i < end; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);
      const Source *source = g_ptr_array_index (self->sources, entry->source);
      g_autofree char *id = kontor_mail_message_id_build (source->folder_id, entry->uid);

      if (g_hash_table_contains (self->items, id))
        continue;
      if (by_source[entry->source] == NULL)
        {
          BatchPart *part = g_new0 (BatchPart, 1);

          part->source = source_copy (source);
          part->uids = g_ptr_array_new_with_free_func (g_free);
          by_source[entry->source] = part;
          g_ptr_array_add (parts, part);
        }
      g_ptr_array_add (by_source[entry->source]->uids, g_strdup (entry->uid));
    }
  return parts;
}

/* Camel's infos in memory are current (their changes may not be saved yet); the others
 * are read from the database with one query per folder. Safe in any thread. */
static GPtrArray *
read_batch (GPtrArray *parts)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint p = 0; p < parts->len; p++)
    {
      BatchPart *part = g_ptr_array_index (parts, p);
      CamelFolderSummary *summary = part->source->folder != NULL
                                      ? camel_folder_get_folder_summary (part->source->folder)
                                      : NULL;
      g_autoptr (GPtrArray) unloaded = g_ptr_array_new ();
      g_autoptr (GPtrArray) read = NULL;
      g_autoptr (GError) error = NULL;

      for (guint i = 0; i < part->uids->len; i++)
        {
          const char *uid = g_ptr_array_index (part->uids, i);
          g_autoptr (CamelMessageInfo) info =
            summary != NULL ? camel_folder_summary_peek_loaded (summary, uid) : NULL;

          if (info != NULL)
            g_ptr_array_add (messages, kontor_mail_message_new (part->source->folder_id, info));
          else
            g_ptr_array_add (unloaded, (gpointer) uid);
        }
      if (unloaded->len == 0)
        continue;
      g_ptr_array_add (unloaded, NULL);
      read = kontor_mail_summary_read_uids (part->source->store, part->source->full_name,
                                            part->source->folder_id,
                                            (const char *const *) unloaded->pdata, &error);
      if (read == NULL)
        {
          g_debug ("Could not read rows of %s: %s", part->source->folder_id, error->message);
          continue;
        }
      g_ptr_array_extend_and_steal (messages, g_steal_pointer (&read));
    }
  return messages;
}

static void
remember_batch (KontorMailMessageList *self, GPtrArray *messages)
{
  for (guint i = 0; i < messages->len; i++)
    {
      KontorMailMessage *message = g_ptr_array_index (messages, i);

      if (!g_hash_table_contains (self->items, kontor_mail_message_get_id (message)))
        remember (self, message);
    }
}

/* Makes the rows from @position on (a batch) that are not made yet. */
static void
make_batch (KontorMailMessageList *self, guint position)
{
  g_autoptr (GPtrArray) parts = collect_batch (self, position, position + BATCH_SIZE);
  g_autoptr (GPtrArray) messages = read_batch (parts);

  remember_batch (self, messages);
}

static void
prefetch_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  g_task_return_pointer (task, read_batch (task_data), (GDestroyNotify) g_ptr_array_unref);
}

static void
prefetch_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorMailMessageList *self = KONTOR_MAIL_MESSAGE_LIST (object);
  g_autoptr (GPtrArray) messages = g_task_propagate_pointer (G_TASK (result), NULL);

  self->prefetching = FALSE;
  if (messages == NULL)
    return;
  /* Flags may have changed in memory while the rows were read. */
  for (guint i = 0; i < messages->len; i++)
    {
      KontorMailMessage *message = g_ptr_array_index (messages, i);

      for (guint s = 0; s < self->sources->len; s++)
        {
          const Source *source = g_ptr_array_index (self->sources, s);
          g_autoptr (CamelMessageInfo) info = NULL;

          if (source->folder == NULL ||
              g_strcmp0 (source->folder_id, kontor_mail_message_get_folder_id (message)) != 0)
            continue;
          info = camel_folder_summary_peek_loaded (camel_folder_get_folder_summary (source->folder),
                                                   kontor_mail_message_get_uid (message));
          if (info != NULL)
            kontor_mail_message_update (message, info);
        }
    }
  remember_batch (self, messages);
}

/* Reads the rows a little ahead of @position (either way) in a worker thread, so that
 * scrolling finds them made and the main thread only binds them. */
static void
prefetch_around (KontorMailMessageList *self, guint position)
{
  g_autoptr (GPtrArray) parts = NULL;
  g_autoptr (GTask) task = NULL;
  guint start;

  /* A look ahead builds and looks up a hundred row ids; the rows bound one after the
   * other in a frame need one of them between them, not one each. */
  if (self->prefetching ||
      (position / PREFETCH_STEP == self->prefetch_block &&
       self->prefetch_entries == self->entries && self->prefetch_n_entries == self->entries->len))
    return;
  self->prefetch_block = position / PREFETCH_STEP;
  self->prefetch_entries = self->entries;
  self->prefetch_n_entries = self->entries->len;
  parts = collect_batch (self, position + BATCH_SIZE / 2, position + BATCH_SIZE * 2);
  if (parts->len == 0)
    {
      start = position > BATCH_SIZE * 2 ? position - BATCH_SIZE * 2 : 0;
      g_clear_pointer (&parts, g_ptr_array_unref);
      parts =
        collect_batch (self, start, position > BATCH_SIZE / 2 ? position - BATCH_SIZE / 2 : 0);
    }
  if (parts->len == 0)
    return;
  self->prefetching = TRUE;
  task = g_task_new (self, NULL, prefetch_done_cb, NULL);
  g_task_set_source_tag (task, prefetch_around);
  g_task_set_task_data (task, g_steal_pointer (&parts), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, prefetch_thread);
}

static gpointer
list_get_item (GListModel *model, guint position)
{
  KontorMailMessageList *self = KONTOR_MAIL_MESSAGE_LIST (model);
  const Entry *entry;
  const Source *source;
  g_autofree char *id = NULL;
  KontorMailMessage *message;

  if (position >= self->entries->len)
    return NULL;
  entry = &g_array_index (self->entries, Entry, position);
  source = g_ptr_array_index (self->sources, entry->source);
  id = kontor_mail_message_id_build (source->folder_id, entry->uid);
  message = g_hash_table_lookup (self->items, id);
  if (message == NULL)
    {
      make_batch (self, position);
      message = g_hash_table_lookup (self->items, id);
    }
  if (!self->snapshot)
    prefetch_around (self, position);
  if (message != NULL)
    {
      /* Its conversation may have grown or gone since it was made. */
      kontor_mail_message_set_thread_count (message,
                                            entry->members != NULL ? entry->members->len + 1 : 1);
      return g_object_ref (message);
    }

  /* Expunged a moment ago; its removal is on the way. */
  message = kontor_mail_message_new_from_fields (source->folder_id, entry->uid, NULL, NULL, NULL,
                                                 entry->date, CAMEL_MESSAGE_SEEN, entry->size);
  remember (self, message);
  return message;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* Changes ------------------------------------------------------------------- */

static gboolean
info_wanted (KontorMailMessageList *self, const Source *source, CamelMessageInfo *info)
{
  guint32 flags = camel_message_info_get_flags (info);
  g_autofree char *id = NULL;

  if ((flags & CAMEL_MESSAGE_DELETED) != 0 ||
      ((self->filter & KONTOR_MAIL_FILTER_UNREAD) && (flags & CAMEL_MESSAGE_SEEN)) ||
      ((self->filter & KONTOR_MAIL_FILTER_FLAGGED) && !(flags & CAMEL_MESSAGE_FLAGGED)) ||
      ((self->filter & KONTOR_MAIL_FILTER_ATTACHMENTS) && !(flags & CAMEL_MESSAGE_ATTACHMENTS)))
    return FALSE;
  id = kontor_mail_message_id_build (source->folder_id, camel_message_info_get_uid (info));
  return (self->matches == NULL || g_hash_table_contains (self->matches, id)) &&
         (self->hidden == NULL || !g_hash_table_contains (self->hidden, id));
}

static guint
find_uid (KontorMailMessageList *self, guint16 source_index, const char *uid)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->source == source_index && strcmp (entry->uid, uid) == 0)
        return i;
    }
  return G_MAXUINT;
}

/* Removes the given uids of one source in one pass, announcing the span touched. */
static void
remove_uids (KontorMailMessageList *self, guint16 source_index, GHashTable *uids)
{
  guint first = G_MAXUINT, last = 0, kept_in_span = 0, out = 0;
  guint n = self->entries->len;

  for (guint i = 0; i < n; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->source == source_index && g_hash_table_contains (uids, entry->uid))
        {
          if (first == G_MAXUINT)
            first = i;
          last = i;
          entry_clear (entry);
          continue;
        }
      if (first != G_MAXUINT)
        kept_in_span++;
      if (out != i)
        g_array_index (self->entries, Entry, out) = *entry;
      out++;
    }
  if (first == G_MAXUINT)
    return;
  /* Entries kept after the last removal are not part of the span. */
  kept_in_span -= n - 1 - last;
  self->entries->len = out; /* the moved-out entries were copied, not cleared */
  g_list_model_items_changed (G_LIST_MODEL (self), first, last - first + 1, kept_in_span);
}

static guint
insertion_point (KontorMailMessageList *self, const Entry *entry)
{
  guint low = 0, high = self->entries->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (compare_entries (&g_array_index (self->entries, Entry, mid), entry, self->sort,
                           self->ascending) <= 0)
        low = mid + 1;
      else
        high = mid;
    }
  return low;
}

static void
add_info (KontorMailMessageList *self, guint16 source_index, CamelMessageInfo *info)
{
  const Source *source = g_ptr_array_index (self->sources, source_index);
  Entry entry = { 0 };
  gint64 date = camel_message_info_get_date_sent (info);
  guint position;

  if (!info_wanted (self, source, info))
    return;
  entry.uid = camel_pstring_strdup (camel_message_info_get_uid (info));
  entry.date = date > 0 ? date : camel_message_info_get_date_received (info);
  entry.key = sort_key (self->sort, camel_message_info_get_from (info),
                        camel_message_info_get_subject (info));
  entry.size = camel_message_info_get_size (info);
  entry.source = source_index;
  position = insertion_point (self, &entry);
  g_array_insert_val (self->entries, position, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
folder_changed_cb (CamelFolder *folder, CamelFolderChangeInfo *changes, KontorMailMessageList *self)
{
  GPtrArray *added = camel_folder_change_info_get_added_uids (changes);
  GPtrArray *removed = camel_folder_change_info_get_removed_uids (changes);
  GPtrArray *changed = camel_folder_change_info_get_changed_uids (changes);
  g_autoptr (GHashTable) gone = g_hash_table_new (g_str_hash, g_str_equal);
  guint16 source_index = 0;
  const Source *source = NULL;

  for (guint i = 0; i < self->sources->len; i++)
    if (((Source *) g_ptr_array_index (self->sources, i))->folder == folder)
      {
        source_index = i;
        source = g_ptr_array_index (self->sources, i);
      }
  if (source == NULL)
    return;
  /* Conversations regroup on any arrival or removal: read them again. */
  if (self->threaded && self->loaded && self->loading == 0 &&
      ((added != NULL && added->len > 0) || (removed != NULL && removed->len > 0)))
    {
      for (guint i = 0; changed != NULL && i < changed->len; i++)
        {
          g_autofree char *id =
            kontor_mail_message_id_build (source->folder_id, g_ptr_array_index (changed, i));
          KontorMailMessage *message = g_hash_table_lookup (self->items, id);
          g_autoptr (CamelMessageInfo) info =
            message != NULL ? camel_folder_get_message_info (folder, g_ptr_array_index (changed, i))
                            : NULL;

          if (info != NULL)
            kontor_mail_message_update (message, info);
        }
      reload_soon (self);
      return;
    }
  /* A load in flight would not see these changes; read everything again after it. */
  if (self->loading > 0 || !self->loaded)
    {
      self->reload_again = self->loaded || self->loading > 0;
      return;
    }

  for (guint i = 0; removed != NULL && i < removed->len; i++)
    g_hash_table_add (gone, g_ptr_array_index (removed, i));
  for (guint i = 0; changed != NULL && i < changed->len; i++)
    {
      const char *uid = g_ptr_array_index (changed, i);
      g_autoptr (CamelMessageInfo) info = camel_folder_get_message_info (folder, uid);
      g_autofree char *id = kontor_mail_message_id_build (source->folder_id, uid);
      KontorMailMessage *message = g_hash_table_lookup (self->items, id);

      if (info == NULL)
        continue;
      if (message != NULL)
        kontor_mail_message_update (message, info);
      if ((camel_message_info_get_flags (info) & CAMEL_MESSAGE_DELETED) != 0)
        g_hash_table_add (gone, (gpointer) uid);
    }
  if (g_hash_table_size (gone) > 0)
    remove_uids (self, source_index, gone);
  /* A big batch (the first sync of a folder) is cheaper to read again as a whole. */
  if (added != NULL && added->len > 64)
    {
      reload_soon (self);
      return;
    }
  for (guint i = 0; added != NULL && i < added->len; i++)
    {
      g_autoptr (CamelMessageInfo) info =
        camel_folder_get_message_info (folder, g_ptr_array_index (added, i));

      if (info != NULL &&
          find_uid (self, source_index, camel_message_info_get_uid (info)) == G_MAXUINT)
        add_info (self, source_index, info);
    }
}
