/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-summary.c: message list rows read straight from a store's summary
 * database. Opening a folder of 100,000 messages in Camel reads every uid and flag
 * first; the newest screenful can be shown before that, from one ordered query. While
 * scrolling, rows are read in batches instead of one message info per row. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include "kontor-mail-message.h"
#include "kontor-mail-summary.h"

#define COLUMNS "uid, subject, mail_from, mail_to, " KONTOR_MAIL_SUMMARY_DATE ", flags, size"

typedef struct
{
  const char *folder_id;
  GPtrArray *messages;
} ReadState;

static int
read_row_cb (gpointer data, int ncol, char **values, char **names)
{
  ReadState *state = data;

  if (ncol < 7 || values[0] == NULL)
    return 0;
  g_ptr_array_add (state->messages,
                   kontor_mail_message_new_from_fields (
                     state->folder_id, values[0], values[1], values[2], values[3],
                     values[4] != NULL ? g_ascii_strtoll (values[4], NULL, 10) : 0,
                     values[5] != NULL ? (guint32) g_ascii_strtoull (values[5], NULL, 10) : 0,
                     values[6] != NULL ? (guint32) g_ascii_strtoull (values[6], NULL, 10) : 0));
  return 0;
}

/* Runs @sql on @store's summary database. A folder that was never synced has no table
 * yet: it is simply empty, not an error. */
gboolean
kontor_mail_summary_select_rows (CamelStore *store,
                                 const char *sql,
                                 CamelDBSelectCB callback,
                                 gpointer data,
                                 GError **error)
{
  CamelDB *db = camel_store_get_db (store);
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (CAMEL_IS_STORE (store), FALSE);

  if (db == NULL || camel_db_select (db, sql, callback, data, &local_error) == 0)
    return TRUE;
  if (local_error != NULL && g_strstr_len (local_error->message, -1, "no such table") != NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static GPtrArray *
read_rows (CamelStore *store, const char *folder_id, const char *sql, GError **error)
{
  ReadState state = { folder_id, g_ptr_array_new_with_free_func (g_object_unref) };

  if (!kontor_mail_summary_select_rows (store, sql, read_row_cb, &state, error))
    g_clear_pointer (&state.messages, g_ptr_array_unref);
  return state.messages;
}

/* The newest @limit messages that are not deleted and match @where (SQL over the
 * summary's columns, or NULL), newest first, as KontorMailMessages. */
GPtrArray *
kontor_mail_summary_read_newest (CamelStore *store,
                                 const char *full_name,
                                 const char *folder_id,
                                 const char *where,
                                 guint limit,
                                 GError **error)
{
  char *table;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (CAMEL_IS_STORE (store), NULL);

  table = camel_db_sqlize_string (full_name);
  sql = g_strdup_printf ("SELECT " COLUMNS " FROM %s WHERE deleted = 0%s%s "
                         "ORDER BY 5 DESC, CAST(uid AS INTEGER) DESC LIMIT %u",
                         table, where != NULL ? " AND " : "", where != NULL ? where : "", limit);
  camel_db_free_sqlized_string (table);
  return read_rows (store, folder_id, sql, error);
}

/* The messages of these uids that are in the summary, in no particular order. */
GPtrArray *
kontor_mail_summary_read_uids (CamelStore *store,
                               const char *full_name,
                               const char *folder_id,
                               const char *const *uids,
                               GError **error)
{
  g_autoptr (GString) sql = g_string_new ("SELECT " COLUMNS " FROM ");
  char *quoted;

  g_return_val_if_fail (CAMEL_IS_STORE (store), NULL);

  quoted = camel_db_sqlize_string (full_name);
  g_string_append_printf (sql, "%s WHERE uid IN (", quoted);
  camel_db_free_sqlized_string (quoted);
  for (guint i = 0; uids[i] != NULL; i++)
    {
      quoted = camel_db_sqlize_string (uids[i]);
      g_string_append_printf (sql, "%s%s", i > 0 ? "," : "", quoted);
      camel_db_free_sqlized_string (quoted);
    }
  g_string_append_c (sql, ')');
  return read_rows (store, folder_id, sql->str, error);
}

typedef struct
{
  GPtrArray *uids;
  GArray *dates;
} SelectState;

static int
select_row_cb (gpointer data, int ncol, char **values, char **names)
{
  SelectState *state = data;
  gint64 date;

  if (ncol < 2 || values[0] == NULL)
    return 0;
  date = values[1] != NULL ? g_ascii_strtoll (values[1], NULL, 10) : 0;
  g_ptr_array_add (state->uids, g_strdup (values[0]));
  g_array_append_val (state->dates, date);
  return 0;
}

/* Appends the uid (to @uids, owned strings) and date (to @dates, gint64) of every message
 * that is not deleted and matches @where. */
gboolean
kontor_mail_summary_select (CamelStore *store,
                            const char *full_name,
                            const char *where,
                            GPtrArray *uids,
                            GArray *dates,
                            GError **error)
{
  SelectState state = { uids, dates };
  g_autofree char *sql = NULL;
  char *table;

  g_return_val_if_fail (CAMEL_IS_STORE (store), FALSE);

  table = camel_db_sqlize_string (full_name);
  sql = g_strdup_printf ("SELECT uid, " KONTOR_MAIL_SUMMARY_DATE " FROM %s "
                         "WHERE deleted = 0 AND (%s)",
                         table, where);
  camel_db_free_sqlized_string (table);
  return kontor_mail_summary_select_rows (store, sql, select_row_cb, &state, error);
}
