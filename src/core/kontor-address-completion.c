/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-address-completion.c: one completion = the recent recipients (in memory once
 * read) and the address books (kontor-address-books.c), asked at the same time and
 * merged: recent recipients first by frecency, then address-book matches, one result
 * per address. A new query cancels the one still running, so a fast typist waits only
 * for the last keystroke; nothing blocks the main loop. */
#define G_LOG_DOMAIN "kontor-completion"

#include "config.h"

#include "kontor-address-books.h"
#include "kontor-address-completion.h"
#include "kontor-recent-recipients.h"

/* When to answer without the address books that are still busy. */
#define BOOK_TIMEOUT_MS 2500

struct _KontorAddressCompletion
{
  GObject parent_instance;

  KontorRecentRecipients *recent;
  KontorAddressBooks *books;
  GCancellable *running; /* of the query still running */
};

G_DEFINE_FINAL_TYPE (KontorAddressCompletion, kontor_address_completion, G_TYPE_OBJECT)

typedef struct
{
  char *text;
  guint limit;
  guint pending;
  GCancellable *cancellable; /* cancelled by the caller's or by the next query */
  gulong cancelled_id;       /* on the caller's cancellable */
  GPtrArray *book_results;
} Completion;

static void
completion_free (Completion *completion)
{
  g_free (completion->text);
  g_clear_object (&completion->cancellable);
  g_clear_pointer (&completion->book_results, g_ptr_array_unref);
  g_free (completion);
}

static void
completion_step_done (GTask *task)
{
  KontorAddressCompletion *self = g_task_get_source_object (task);
  Completion *completion = g_task_get_task_data (task);
  g_autoptr (KontorCompletionQuery) query = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) merged = NULL;
  GListStore *store;

  if (--completion->pending > 0)
    return;

  g_cancellable_disconnect (g_task_get_cancellable (task), completion->cancelled_id);
  if (self->running == completion->cancellable)
    g_clear_object (&self->running);
  if (g_cancellable_set_error_if_cancelled (completion->cancellable, NULL))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Completion cancelled");
      return;
    }

  store = g_list_store_new (KONTOR_TYPE_COMPLETION_RESULT);
  query = kontor_completion_query_new (completion->text);
  if (query != NULL)
    {
      all =
        kontor_recent_recipients_match (self->recent, query, g_get_real_time () / G_USEC_PER_SEC);
      if (completion->book_results != NULL)
        g_ptr_array_extend_and_steal (all, g_steal_pointer (&completion->book_results));
      merged = kontor_completion_results_merge (all, completion->limit);
      g_list_store_splice (store, 0, 0, merged->pdata, merged->len);
    }
  g_task_return_pointer (task, store, g_object_unref);
}

static void
recent_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  kontor_recent_recipients_load_finish (KONTOR_RECENT_RECIPIENTS (object), result, NULL);
  completion_step_done (task);
}

static void
books_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Completion *completion = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  completion->book_results =
    kontor_address_books_query_finish (KONTOR_ADDRESS_BOOKS (object), result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Address books left out of the completion: %s", error->message);
  completion_step_done (task);
}

static void
caller_cancelled_cb (GCancellable *caller, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/**
 * kontor_address_completion_complete_async:
 * @text: what the user typed so far
 * @limit: the most results to give, 0 for all
 *
 * Finds the recipients whose name has a word starting with each word of @text, or
 * whose address starts with @text, ignoring case and accents. Starting another query
 * cancels this one if it is still running: it then fails with %G_IO_ERROR_CANCELLED.
 * An address book that is offline, slow or failing is left out (and logged); the
 * query does not fail for it.
 */
void
kontor_address_completion_complete_async (KontorAddressCompletion *self,
                                          const char *text,
                                          guint limit,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Completion *completion;

  g_return_if_fail (KONTOR_IS_ADDRESS_COMPLETION (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (self->running != NULL)
    g_cancellable_cancel (self->running);

  completion = g_new0 (Completion, 1);
  completion->text = g_strdup (text);
  completion->limit = limit;
  completion->pending = 2;
  completion->cancellable = g_cancellable_new ();
  g_set_object (&self->running, completion->cancellable);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_address_completion_complete_async);
  g_task_set_task_data (task, completion, (GDestroyNotify) completion_free);
  /* Either cancellation ends the query; the caller's is not ours to cancel. */
  g_task_set_check_cancellable (task, FALSE);
  if (cancellable != NULL)
    completion->cancelled_id =
      g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                             g_object_ref (completion->cancellable), g_object_unref);

  kontor_recent_recipients_load_async (self->recent, NULL, recent_loaded_cb, g_object_ref (task));
  kontor_address_books_query_async (self->books, text, BOOK_TIMEOUT_MS, completion->cancellable,
                                    books_cb, g_object_ref (task));
}

/**
 * kontor_address_completion_complete_finish:
 *
 * Returns: (transfer full): a #GListModel of #KontorCompletionResult, best first
 */
GListModel *
kontor_address_completion_complete_finish (KontorAddressCompletion *self,
                                           GAsyncResult *result,
                                           GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * kontor_address_completion_note_used:
 * @addresses_in_rfc822_form: the recipients of a message just sent, each as in a
 *   header ("Name <address>", a bare address, or several separated by commas)
 *
 * Remembers the recipients for completion; the store is saved in the background.
 */
void
kontor_address_completion_note_used (KontorAddressCompletion *self,
                                     const char *const *addresses_in_rfc822_form)
{
  g_return_if_fail (KONTOR_IS_ADDRESS_COMPLETION (self));
  g_return_if_fail (addresses_in_rfc822_form != NULL);

  kontor_recent_recipients_note_used (self->recent, addresses_in_rfc822_form,
                                      g_get_real_time () / G_USEC_PER_SEC);
}

static void
flush_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (kontor_recent_recipients_flush_finish (KONTOR_RECENT_RECIPIENTS (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Finishes once the recipients noted so far are on disk. */
void
kontor_address_completion_flush_async (KontorAddressCompletion *self,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  GTask *task;

  g_return_if_fail (KONTOR_IS_ADDRESS_COMPLETION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_address_completion_flush_async);
  kontor_recent_recipients_flush_async (self->recent, cancellable, flush_cb, task);
}

gboolean
kontor_address_completion_flush_finish (KontorAddressCompletion *self,
                                        GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
kontor_address_completion_dispose (GObject *object)
{
  KontorAddressCompletion *self = KONTOR_ADDRESS_COMPLETION (object);

  /* A running query holds a reference, so none is left here. */
  g_clear_object (&self->running);
  g_clear_object (&self->books);
  g_clear_object (&self->recent);

  G_OBJECT_CLASS (kontor_address_completion_parent_class)->dispose (object);
}

static void
kontor_address_completion_class_init (KontorAddressCompletionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kontor_address_completion_dispose;
}

static void
kontor_address_completion_init (KontorAddressCompletion *self)
{
}

/**
 * kontor_address_completion_new:
 * @accounts: (nullable): the account service, whose source registry lists the address
 *   books; %NULL to complete from recent recipients only
 * @data_dir: (nullable): Kontor's data folder, where "recent-recipients" is kept;
 *   %NULL for `$XDG_DATA_HOME/kontor`
 *
 * Nothing is read or connected before the first query.
 */
KontorAddressCompletion *
kontor_address_completion_new (KontorAccountService *accounts, const char *data_dir)
{
  KontorAddressCompletion *self;
  g_autofree char *default_dir = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (accounts == NULL || KONTOR_IS_ACCOUNT_SERVICE (accounts), NULL);

  if (data_dir == NULL)
    data_dir = default_dir = g_build_filename (g_get_user_data_dir (), "kontor", NULL);
  path = g_build_filename (data_dir, "recent-recipients", NULL);

  self = g_object_new (KONTOR_TYPE_ADDRESS_COMPLETION, NULL);
  self->recent = kontor_recent_recipients_new (path);
  self->books = kontor_address_books_new (accounts);
  return self;
}
