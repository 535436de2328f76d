/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-address-books.c: asks every enabled address book of the source registry for
 * contacts whose name, nickname or address contains the first typed word, then keeps
 * those that match the whole query (kontor-completion-query.c: EDS matches substrings,
 * completion matches word prefixes). Clients stay connected; each book keeps its last
 * answer for CACHE_SECONDS, so typing "m", "mu", "mul" asks it once. A book that does
 * not answer in time, or fails, is left out of this answer (and logged), never the
 * others: a query finishes when every book answered or at its timeout. */
#define G_LOG_DOMAIN "kontor-completion"

#include "config.h"

#include <camel/camel.h>
/* e-flag.h still declares a function with the deprecated GTimeVal. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook/libebook.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#include "kontor-account-service-private.h"
#include "kontor-address-books.h"
#include "kontor-completion-result.h"

#define CACHE_SECONDS 10
#define RETRY_SECONDS 30 /* after a book failed to connect */

typedef struct
{
  char *name;
  char *address;
  char *folded_name; /* with the nickname and a list's name, which match too */
  char *folded_address;
} Candidate;

typedef struct
{
  ESource *source;
  EBookClient *client;
  gboolean connecting;
  gboolean removed;
  GPtrArray *waiters; /* Lookups waiting for the client */
  char *cached_term;
  GPtrArray *cached; /* Candidates for cached_term */
  gint64 cached_at;
  gint64 failed_at;
} Book;

typedef struct
{
  GTask *task; /* NULL once answered */
  KontorCompletionQuery *query;
  char *term;
  GPtrArray *results;
  guint pending;
  guint timeout_id;
  GSource *cancelled_source;
} Lookup;

struct _KontorAddressBooks
{
  GObject parent_instance;

  KontorAccountService *accounts;
  ESourceRegistry *registry;
  GHashTable *books; /* source UID -> Book */
};

G_DEFINE_FINAL_TYPE (KontorAddressBooks, kontor_address_books, G_TYPE_OBJECT)

static void
candidate_free (Candidate *candidate)
{
  g_free (candidate->name);
  g_free (candidate->address);
  g_free (candidate->folded_name);
  g_free (candidate->folded_address);
  g_free (candidate);
}

static void
book_clear (Book *book)
{
  g_clear_object (&book->source);
  g_clear_object (&book->client);
  g_clear_pointer (&book->waiters, g_ptr_array_unref);
  g_clear_pointer (&book->cached_term, g_free);
  g_clear_pointer (&book->cached, g_ptr_array_unref);
}

static Book *
book_ref (Book *book)
{
  return g_rc_box_acquire (book);
}

static void
book_unref (Book *book)
{
  g_rc_box_release_full (book, (GDestroyNotify) book_clear);
}

static void
book_forget (Book *book)
{
  book->removed = TRUE;
  book_unref (book);
}

static void
lookup_clear (Lookup *lookup)
{
  g_assert (lookup->task == NULL);
  kontor_completion_query_free (lookup->query);
  g_free (lookup->term);
  g_ptr_array_unref (lookup->results);
}

static void
lookup_answer (Lookup *lookup)
{
  GTask *task = g_steal_pointer (&lookup->task);

  if (task == NULL)
    return;
  g_clear_handle_id (&lookup->timeout_id, g_source_remove);
  if (lookup->cancelled_source != NULL)
    {
      g_source_destroy (lookup->cancelled_source);
      g_clear_pointer (&lookup->cancelled_source, g_source_unref);
    }
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_ptr_array_ref (lookup->results),
                           (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
lookup_book_done (Lookup *lookup)
{
  g_assert (lookup->pending > 0);
  if (--lookup->pending == 0)
    lookup_answer (lookup);
  g_rc_box_release_full (lookup, (GDestroyNotify) lookup_clear);
}

static void
add_matches (Lookup *lookup, Book *book, GPtrArray *candidates)
{
  const char *book_name = e_source_get_display_name (book->source);

  if (lookup->task == NULL)
    return;
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = candidates->pdata[i];
      KontorCompletionMatch match =
        kontor_completion_query_match (lookup->query, c->folded_name, c->folded_address);

      if (match != KONTOR_COMPLETION_MATCH_NONE)
        g_ptr_array_add (lookup->results,
                         kontor_completion_result_new (
                           c->name, c->address, book_name, KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK,
                           match == KONTOR_COMPLETION_MATCH_START ? 0.5 : 0.25));
    }
}

/* One candidate per address: a contact with several addresses gives several, and a
 * contact list one per member. */
static GPtrArray *
candidates_from_contacts (GSList *contacts)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);

  for (GSList *l = contacts; l != NULL; l = l->next)
    {
      EContact *contact = l->data;
      const char *full_name = e_contact_get_const (contact, E_CONTACT_FULL_NAME);
      const char *nickname = e_contact_get_const (contact, E_CONTACT_NICKNAME);
      gboolean is_list = GPOINTER_TO_INT (e_contact_get (contact, E_CONTACT_IS_LIST));
      GList *emails = e_contact_get_attributes (contact, E_CONTACT_EMAIL);

      for (GList *e = emails; e != NULL; e = e->next)
        {
          g_autofree char *value = e_vcard_attribute_get_value (e->data);
          g_autoptr (CamelInternetAddress) parsed = camel_internet_address_new ();
          const char *name = NULL, *address = NULL;
          g_autofree char *member_name = NULL;
          g_autofree char *words = NULL;
          Candidate *candidate;

          if (value == NULL || camel_address_decode (CAMEL_ADDRESS (parsed), value) < 1 ||
              !camel_internet_address_get (parsed, 0, &name, &address) || address == NULL)
            continue;
          if (is_list)
            {
              GList *dest = e_vcard_attribute_get_param (e->data, EVC_X_DEST_NAME);

              member_name = g_strdup (name && *name ? name : dest ? dest->data : NULL);
            }
          else
            member_name = g_strdup (full_name && *full_name ? full_name : name);

          candidate = g_new0 (Candidate, 1);
          candidate->name = g_strdup (member_name ? member_name : "");
          candidate->address = g_strdup (address);
          words = g_strjoin (" ", candidate->name, is_list && full_name ? full_name : "",
                             nickname ? nickname : "", NULL);
          candidate->folded_name = kontor_completion_fold (words);
          candidate->folded_address = kontor_completion_fold (address);
          g_ptr_array_add (candidates, candidate);
        }
      g_list_free_full (emails, (GDestroyNotify) e_vcard_attribute_free);
    }
  return candidates;
}

typedef struct
{
  Book *book;
  Lookup *lookup;
} BookLookup;

static void
get_contacts_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  BookLookup *op = user_data;
  g_autoptr (GError) error = NULL;
  GSList *contacts = NULL;

  if (e_book_client_get_contacts_finish (E_BOOK_CLIENT (object), result, &contacts, &error))
    {
      g_autoptr (GPtrArray) candidates = candidates_from_contacts (contacts);

      /* Kept even when the answer came too late for this query: the next one uses it. */
      if (!op->book->removed)
        {
          g_free (op->book->cached_term);
          op->book->cached_term = g_strdup (op->lookup->term);
          g_clear_pointer (&op->book->cached, g_ptr_array_unref);
          op->book->cached = g_ptr_array_ref (candidates);
          op->book->cached_at = g_get_monotonic_time ();
        }
      add_matches (op->lookup, op->book, candidates);
      g_slist_free_full (contacts, g_object_unref);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Address book “%s” did not answer: %s", e_source_get_display_name (op->book->source),
               error->message);

  lookup_book_done (op->lookup);
  book_unref (op->book);
  g_free (op);
}

static void
ask_book (Book *book, Lookup *lookup)
{
  EBookQuery *query;
  g_autofree char *sexp = NULL;
  BookLookup *op;

  if (lookup->task == NULL)
    {
      lookup_book_done (lookup);
      return;
    }
  query = e_book_query_orv (
    e_book_query_field_test (E_CONTACT_FULL_NAME, E_BOOK_QUERY_CONTAINS, lookup->term),
    e_book_query_field_test (E_CONTACT_NICKNAME, E_BOOK_QUERY_CONTAINS, lookup->term),
    e_book_query_field_test (E_CONTACT_EMAIL, E_BOOK_QUERY_CONTAINS, lookup->term), NULL);
  sexp = e_book_query_to_string (query);
  e_book_query_unref (query);

  op = g_new0 (BookLookup, 1);
  op->book = book_ref (book);
  op->lookup = lookup; /* the reference the book's turn holds */
  e_book_client_get_contacts (book->client, sexp, g_task_get_cancellable (lookup->task),
                              get_contacts_cb, op);
}

static void
connect_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Book *book = user_data;
  g_autoptr (GError) error = NULL;
  EClient *client = e_book_client_connect_finish (result, &error);
  g_autoptr (GPtrArray) waiters = g_steal_pointer (&book->waiters);

  book->connecting = FALSE;
  book->waiters = g_ptr_array_new ();
  if (client == NULL)
    {
      g_message ("Could not open the address book “%s”: %s",
                 e_source_get_display_name (book->source), error->message);
      book->failed_at = g_get_monotonic_time ();
    }
  else if (!book->removed)
    book->client = E_BOOK_CLIENT (client);
  else
    g_object_unref (client);

  for (guint i = 0; i < waiters->len; i++)
    {
      if (book->client != NULL)
        ask_book (book, waiters->pdata[i]);
      else
        lookup_book_done (waiters->pdata[i]);
    }
  book_unref (book);
}

static void
lookup_in_book (KontorAddressBooks *self, ESource *source, Lookup *lookup)
{
  Book *book = g_hash_table_lookup (self->books, e_source_get_uid (source));
  gint64 now = g_get_monotonic_time ();

  if (book == NULL)
    {
      book = g_rc_box_new0 (Book);
      book->source = g_object_ref (source);
      book->waiters = g_ptr_array_new ();
      g_hash_table_insert (self->books, e_source_dup_uid (source), book);
    }

  if (book->cached != NULL && g_str_has_prefix (lookup->term, book->cached_term) &&
      now - book->cached_at < CACHE_SECONDS * G_USEC_PER_SEC)
    {
      add_matches (lookup, book, book->cached);
      return;
    }
  if (book->client == NULL && book->failed_at != 0 &&
      now - book->failed_at < RETRY_SECONDS * G_USEC_PER_SEC)
    return;

  lookup->pending++;
  g_rc_box_acquire (lookup);
  if (book->client != NULL)
    {
      ask_book (book, lookup);
      return;
    }
  g_ptr_array_add (book->waiters, lookup);
  if (!book->connecting)
    {
      book->connecting = TRUE;
      /* Opened from its cache at once; the backend goes online by itself. Not
       * cancelled with the query: the next one wants the client too. */
      e_book_client_connect (source, (guint32) -1, NULL, connect_cb, book_ref (book));
    }
}

static void
source_gone_cb (KontorAddressBooks *self, ESource *source)
{
  g_hash_table_remove (self->books, e_source_get_uid (source));
}

static gboolean
timeout_cb (gpointer user_data)
{
  Lookup *lookup = user_data;

  lookup->timeout_id = 0;
  g_message ("Address books still busy after the completion timeout; answering without them");
  lookup_answer (lookup);
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  lookup_answer (user_data);
  return G_SOURCE_REMOVE;
}

static void
ask_every_book (KontorAddressBooks *self, Lookup *lookup)
{
  g_autolist (ESource) sources = NULL;

  if (self->registry == NULL && self->accounts != NULL)
    {
      self->registry = kontor_account_service_get_registry (self->accounts);
      if (self->registry != NULL)
        {
          const char *gone[] = { "source-removed", "source-disabled", "source-changed" };

          g_object_ref (self->registry);
          for (guint i = 0; i < G_N_ELEMENTS (gone); i++)
            g_signal_connect_object (self->registry, gone[i], G_CALLBACK (source_gone_cb), self,
                                     G_CONNECT_SWAPPED);
        }
    }
  if (self->registry != NULL)
    sources = e_source_registry_list_enabled (self->registry, E_SOURCE_EXTENSION_ADDRESS_BOOK);

  for (GList *l = sources; l != NULL && lookup->task != NULL; l = l->next)
    lookup_in_book (self, l->data, lookup);
  lookup_book_done (lookup); /* the turn of the setup */
}

static void
load_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Lookup *lookup = user_data;
  KontorAddressBooks *self;
  g_autoptr (GError) error = NULL;

  if (!kontor_account_service_load_finish (KONTOR_ACCOUNT_SERVICE (object), result, &error))
    g_message ("No address books: %s", error->message);
  if (lookup->task == NULL)
    {
      lookup_book_done (lookup);
      return;
    }
  self = g_task_get_source_object (lookup->task);
  ask_every_book (self, lookup);
}

/**
 * kontor_address_books_query_async:
 * @text: what the user typed
 * @timeout_ms: when to answer without the books that did not answer yet
 *
 * Asks every enabled address book for contacts matching @text.
 */
void
kontor_address_books_query_async (KontorAddressBooks *self,
                                  const char *text,
                                  guint timeout_ms,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  Lookup *lookup;

  g_return_if_fail (KONTOR_IS_ADDRESS_BOOKS (self));
  g_return_if_fail (text != NULL);

  lookup = g_rc_box_new0 (Lookup);
  lookup->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (lookup->task, kontor_address_books_query_async);
  lookup->results = g_ptr_array_new_with_free_func (g_object_unref);
  lookup->query = kontor_completion_query_new (text);
  lookup->pending = 1; /* the setup's turn, until every book was asked */
  if (lookup->query == NULL || self->accounts == NULL)
    {
      lookup_book_done (lookup);
      return;
    }
  lookup->term = g_strdup (lookup->query->words[0]);
  lookup->timeout_id = g_timeout_add (timeout_ms, timeout_cb, lookup);
  if (cancellable != NULL)
    {
      lookup->cancelled_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (lookup->cancelled_source, G_SOURCE_FUNC (cancelled_cb), lookup, NULL);
      g_source_attach (lookup->cancelled_source, g_main_context_get_thread_default ());
    }

  if (self->registry != NULL)
    ask_every_book (self, lookup);
  else
    kontor_account_service_load_async (self->accounts, NULL, load_cb, lookup);
}

/* Returns: (transfer full) (element-type KontorCompletionResult): unsorted matches */
GPtrArray *
kontor_address_books_query_finish (KontorAddressBooks *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
kontor_address_books_dispose (GObject *object)
{
  KontorAddressBooks *self = KONTOR_ADDRESS_BOOKS (object);

  if (self->books != NULL)
    g_hash_table_remove_all (self->books);
  if (self->registry != NULL)
    g_signal_handlers_disconnect_by_data (self->registry, self);
  g_clear_object (&self->registry);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (kontor_address_books_parent_class)->dispose (object);
}

static void
kontor_address_books_finalize (GObject *object)
{
  KontorAddressBooks *self = KONTOR_ADDRESS_BOOKS (object);

  g_clear_pointer (&self->books, g_hash_table_unref);

  G_OBJECT_CLASS (kontor_address_books_parent_class)->finalize (object);
}

static void
kontor_address_books_class_init (KontorAddressBooksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_address_books_dispose;
  object_class->finalize = kontor_address_books_finalize;
}

static void
kontor_address_books_init (KontorAddressBooks *self)
{
  self->books =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) book_forget);
}

/* @accounts: (nullable): whose source registry lists the address books; %NULL for none */
KontorAddressBooks *
kontor_address_books_new (KontorAccountService *accounts)
{
  KontorAddressBooks *self;

  g_return_val_if_fail (accounts == NULL || KONTOR_IS_ACCOUNT_SERVICE (accounts), NULL);

  self = g_object_new (KONTOR_TYPE_ADDRESS_BOOKS, NULL);
  self->accounts = accounts ? g_object_ref (accounts) : NULL;
  return self;
}
