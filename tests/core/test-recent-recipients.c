/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-recent-recipients.c: matching without case or accents, the recent-recipients
 * store (frecency, persistence, a damaged file) and how results are merged, without
 * any address book. */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <glib/gstdio.h>

#include "kontor-address-completion.h"
#include "kontor-completion-query.h"
#include "kontor-completion-result.h"
#include "kontor-recent-recipients.h"

#define NOW ((gint64) 1700000000)
#define DAY ((gint64) 24 * 60 * 60)

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kontor-recent-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "recent-recipients", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_remove (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static KontorRecentRecipients *
load_store (const char *path)
{
  KontorRecentRecipients *store = kontor_recent_recipients_new (path);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  kontor_recent_recipients_load_async (store, NULL, store_result_cb, &result);
  g_assert_true (kontor_recent_recipients_load_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
  return store;
}

static void
flush_store (KontorRecentRecipients *store)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  kontor_recent_recipients_flush_async (store, NULL, store_result_cb, &result);
  g_assert_true (kontor_recent_recipients_flush_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

/* The store's matches for @text, merged and sorted as completion shows them. */
static GPtrArray *
complete (KontorRecentRecipients *store, const char *text, gint64 now)
{
  g_autoptr (KontorCompletionQuery) query = kontor_completion_query_new (text);
  g_autoptr (GPtrArray) matches = NULL;

  g_assert_nonnull (query);
  matches = kontor_recent_recipients_match (store, query, now);
  return kontor_completion_results_merge (matches, 0);
}

static const char *
address_at (GPtrArray *results, guint i)
{
  return kontor_completion_result_get_address (results->pdata[i]);
}

static KontorCompletionMatch
match (const char *text, const char *name, const char *address)
{
  g_autoptr (KontorCompletionQuery) query = kontor_completion_query_new (text);
  g_autofree char *folded_name = kontor_completion_fold (name);
  g_autofree char *folded_address = kontor_completion_fold (address);

  return kontor_completion_query_match (query, folded_name, folded_address);
}

static void
test_match (void)
{
  g_assert_cmpint (match ("mull", "Anna Müller", "anna@example.org"), ==,
                   KONTOR_COMPLETION_MATCH_WORD);
  g_assert_cmpint (match ("MÜL", "Anna Müller", "anna@example.org"), ==,
                   KONTOR_COMPLETION_MATCH_WORD);
  g_assert_cmpint (match ("anna", "Anna Müller", "x@example.org"), ==,
                   KONTOR_COMPLETION_MATCH_START);
  g_assert_cmpint (match ("jose", "José Álvarez", "j@example.org"), ==,
                   KONTOR_COMPLETION_MATCH_START);
  g_assert_cmpint (match ("alv jo", "José Álvarez", "j@example.org"), ==,
                   KONTOR_COMPLETION_MATCH_WORD);
  g_assert_cmpint (match ("ив", "Иван Петров", "ivan@example.org"), ==,
                   KONTOR_COMPLETION_MATCH_START);
  g_assert_cmpint (match ("doe", "", "jane.doe@example.org"), ==, KONTOR_COMPLETION_MATCH_WORD);
  g_assert_cmpint (match ("JANE.D", "", "jane.doe@example.org"), ==, KONTOR_COMPLETION_MATCH_START);
  /* Not inside a word, not the domain, not the same word twice. */
  g_assert_cmpint (match ("ller", "Anna Müller", "anna@example.org"), ==,
                   KONTOR_COMPLETION_MATCH_NONE);
  g_assert_cmpint (match ("exam", "Anna", "anna@example.org"), ==, KONTOR_COMPLETION_MATCH_NONE);
  g_assert_cmpint (match ("an an", "Anna Müller", "x@example.org"), ==,
                   KONTOR_COMPLETION_MATCH_NONE);
  g_assert_null (kontor_completion_query_new (" <,> "));
}

static void
test_frecency (Fixture *fixture, gconstpointer data)
{
  g_autoptr (KontorRecentRecipients) store = load_store (fixture->path);
  const char *old[] = { "Max Often <max@example.org>", NULL };
  const char *recent[] = { "Mia Lately <mia@example.org>, Moritz Once <moritz@example.org>", NULL };
  const char *again[] = { "Mia Lately <mia@example.org>", NULL };
  g_autoptr (GPtrArray) results = NULL;

  /* Max: five times two months ago; Mia: twice this week; Moritz: once, three days ago. */
  for (int i = 0; i < 5; i++)
    kontor_recent_recipients_note_used (store, old, NOW - 60 * DAY);
  kontor_recent_recipients_note_used (store, recent, NOW - 3 * DAY);
  kontor_recent_recipients_note_used (store, again, NOW - 2 * DAY);
  g_assert_cmpfloat (kontor_recent_recipients_frecency (1, NOW, NOW), ==, 1.0);

  results = complete (store, "m", NOW);
  g_assert_cmpuint (results->len, ==, 3);
  g_assert_cmpstr (address_at (results, 0), ==, "mia@example.org");
  g_assert_cmpstr (address_at (results, 1), ==, "moritz@example.org");
  g_assert_cmpstr (address_at (results, 2), ==, "max@example.org");
  g_assert_cmpstr (kontor_completion_result_get_name (results->pdata[0]), ==, "Mia Lately");
  g_assert_cmpint (kontor_completion_result_get_origin (results->pdata[0]), ==,
                   KONTOR_COMPLETION_ORIGIN_RECENT);
  /* Every recent recipient ranks above any address-book match (below 1). */
  g_assert_cmpfloat (kontor_completion_result_get_rank (results->pdata[2]), >, 1.0);
  flush_store (store);
}

static void
test_merge (void)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) merged = NULL;
  g_autofree char *rfc822 = NULL;

  g_ptr_array_add (all, kontor_completion_result_new ("Bea Book", "bea@example.org", "Work",
                                                      KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK, 0.25));
  g_ptr_array_add (all, kontor_completion_result_new (NULL, "Anna.Mueller@Example.org", "Recent",
                                                      KONTOR_COMPLETION_ORIGIN_RECENT, 2.0));
  g_ptr_array_add (all,
                   kontor_completion_result_new ("Anna Müller", "anna.mueller@example.org", "Work",
                                                 KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK, 0.5));
  g_ptr_array_add (all, kontor_completion_result_new ("Anna M.", "ANNA.MUELLER@example.org", "Home",
                                                      KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK, 0.25));
  g_ptr_array_add (all, kontor_completion_result_new ("Al Book", "al@example.org", "Work",
                                                      KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK, 0.25));

  merged = kontor_completion_results_merge (all, 0);
  g_assert_cmpuint (merged->len, ==, 3);
  /* One Anna: the recent recipient's rank and place, the address book's name. */
  g_assert_cmpstr (address_at (merged, 0), ==, "Anna.Mueller@Example.org");
  g_assert_cmpstr (kontor_completion_result_get_name (merged->pdata[0]), ==, "Anna Müller");
  g_assert_cmpint (kontor_completion_result_get_origin (merged->pdata[0]), ==,
                   KONTOR_COMPLETION_ORIGIN_RECENT);
  /* Equal ranks read alphabetically. */
  g_assert_cmpstr (address_at (merged, 1), ==, "al@example.org");
  g_assert_cmpstr (address_at (merged, 2), ==, "bea@example.org");
  rfc822 = kontor_completion_result_to_rfc822 (merged->pdata[0]);
  g_assert_cmpstr (rfc822, ==, "Anna Müller <Anna.Mueller@Example.org>");

  g_clear_pointer (&merged, g_ptr_array_unref);
  merged = kontor_completion_results_merge (all, 2);
  g_assert_cmpuint (merged->len, ==, 2);
}

static void
test_persistence (Fixture *fixture, gconstpointer data)
{
  const char *sent[] = { "Jürgen Groß <juergen@example.org>", "bare@example.org", NULL };
  const char *renamed[] = { "\"Groß, Jürgen\" <JUERGEN@example.org>", NULL };
  g_autoptr (KontorRecentRecipients) first = load_store (fixture->path);
  g_autoptr (KontorRecentRecipients) second = NULL;
  g_autoptr (GPtrArray) results = NULL;

  kontor_recent_recipients_note_used (first, sent, NOW - DAY);
  kontor_recent_recipients_note_used (first, renamed, NOW);
  flush_store (first);
  g_assert_finalize_object (g_steal_pointer (&first));

  second = load_store (fixture->path);
  results = complete (second, "gross", NOW);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (address_at (results, 0), ==, "juergen@example.org");
  g_assert_cmpstr (kontor_completion_result_get_name (results->pdata[0]), ==, "Groß, Jürgen");
  /* Two uses, the last now. */
  g_assert_cmpfloat_with_epsilon (kontor_completion_result_get_rank (results->pdata[0]), 3.0, 1e-9);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = complete (second, "bare", NOW);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (kontor_completion_result_get_name (results->pdata[0]), ==, "");
}

static void
test_corrupted (Fixture *fixture, gconstpointer data)
{
  const char *garbage = "\x01\xff[[not a key file\n=\n";
  const char *damaged = "[ok@example.org]\nname=Okay\ncount=2\nlast-used=1700000000\n\n"
                        "[bad@example.org]\nname=Bad\ncount=many\nlast-used=1700000000\n\n"
                        "[also-bad@example.org]\ncount=1\nlast-used=-5\n";
  const char *sent[] = { "New One <new@example.org>", NULL };
  g_autoptr (KontorRecentRecipients) store = NULL;
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (fixture->path, garbage, -1, NULL));
  store = load_store (fixture->path);
  results = complete (store, "o", NOW);
  g_assert_cmpuint (results->len, ==, 0);
  /* The next save replaces it with a readable file. */
  kontor_recent_recipients_note_used (store, sent, NOW);
  flush_store (store);
  g_assert_true (g_key_file_load_from_file (file, fixture->path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (g_key_file_has_group (file, "new@example.org"));
  g_clear_object (&store);

  /* A damaged entry is dropped, not the rest. */
  g_assert_true (g_file_set_contents (fixture->path, damaged, -1, NULL));
  store = load_store (fixture->path);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = complete (store, "ok", NOW);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (kontor_completion_result_get_name (results->pdata[0]), ==, "Okay");
  g_clear_pointer (&results, g_ptr_array_unref);
  results = complete (store, "bad", NOW);
  g_assert_cmpuint (results->len, ==, 0);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = complete (store, "also", NOW);
  g_assert_cmpuint (results->len, ==, 0);
}

/* The public service without address books: what compose sees. */
static void
test_service (Fixture *fixture, gconstpointer data)
{
  const char *sent[] = { "Zoë Ångström <zoe@example.org>", "Zack <zack@example.org>", NULL };
  g_autoptr (KontorAddressCompletion) completion =
    kontor_address_completion_new (NULL, fixture->dir);
  g_autoptr (GAsyncResult) flushed = NULL;
  g_autoptr (GAsyncResult) older = NULL;
  g_autoptr (GAsyncResult) newer = NULL;
  g_autoptr (GListModel) older_model = NULL;
  g_autoptr (GListModel) model = NULL;
  g_autoptr (KontorCompletionResult) first = NULL;
  g_autoptr (GError) error = NULL;

  kontor_address_completion_note_used (completion, sent);
  kontor_address_completion_flush_async (completion, NULL, store_result_cb, &flushed);
  g_assert_true (kontor_address_completion_flush_finish (completion, wait_for (&flushed), &error));
  g_clear_object (&flushed); /* it holds the completion */
  g_assert_finalize_object (g_steal_pointer (&completion));

  /* Another instance reads the file; a second query cancels the first. */
  completion = kontor_address_completion_new (NULL, fixture->dir);
  kontor_address_completion_complete_async (completion, "z", 10, NULL, store_result_cb, &older);
  kontor_address_completion_complete_async (completion, "ang", 10, NULL, store_result_cb, &newer);
  older_model = kontor_address_completion_complete_finish (completion, wait_for (&older), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (older_model);
  g_clear_error (&error);

  model = kontor_address_completion_complete_finish (completion, wait_for (&newer), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (kontor_completion_result_get_name (first), ==, "Zoë Ångström");
  g_assert_cmpstr (kontor_completion_result_get_address (first), ==, "zoe@example.org");
  g_assert_cmpstr (kontor_completion_result_get_source_name (first), ==, "Recent");
  g_clear_object (&first);
  g_clear_object (&model);
  g_clear_object (&older);
  g_clear_object (&newer);
  g_assert_finalize_object (g_steal_pointer (&completion));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kontor/recent-recipients/match", test_match);
  g_test_add_func ("/kontor/recent-recipients/merge", test_merge);
  g_test_add ("/kontor/recent-recipients/frecency", Fixture, NULL, fixture_set_up, test_frecency,
              fixture_tear_down);
  g_test_add ("/kontor/recent-recipients/persistence", Fixture, NULL, fixture_set_up,
              test_persistence, fixture_tear_down);
  g_test_add ("/kontor/recent-recipients/corrupted", Fixture, NULL, fixture_set_up, test_corrupted,
              fixture_tear_down);
  g_test_add ("/kontor/recent-recipients/service", Fixture, NULL, fixture_set_up, test_service,
              fixture_tear_down);
  return g_test_run ();
}
