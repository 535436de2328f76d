/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-threads.c: conversations from the summary's Message-ID/References hashes:
 * replies join their parent's conversation, also through a missing middle message,
 * the top row is the first in list order, and messages without hashes stay alone. */
#include "config.h"

#include <glib.h>

#include "kontor-mail-threads.h"

typedef struct
{
  char *name;
  char *part;
  GPtrArray *members;
} Row;

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->name);
  g_free (row->part);
  g_clear_pointer (&row->members, g_ptr_array_unref);
}

static const char *const *
row_part (gpointer data)
{
  return (const char *const *) &((Row *) data)->part;
}

static void
row_add_member (gpointer top, gpointer member)
{
  Row *t = top, *m = member;

  if (t->members == NULL)
    t->members = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (t->members, g_strdup (m->name));
}

static GArray *
rows_new (const char *const *spec)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));

  g_array_set_clear_func (rows, row_clear);
  for (guint i = 0; spec[i] != NULL; i += 2)
    {
      Row row = { g_strdup (spec[i]), g_strdup (spec[i + 1]), NULL };

      g_array_append_val (rows, row);
    }
  return rows;
}

static char *
describe (GArray *rows)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      g_string_append_printf (out, "%s%s", i > 0 ? " | " : "", row->name);
      for (guint j = 0; row->members != NULL && j < row->members->len; j++)
        g_string_append_printf (out, "+%s", (char *) g_ptr_array_index (row->members, j));
    }
  return g_string_free (out, FALSE);
}

static void
check (const char *const *spec, const char *expected)
{
  GArray *rows = rows_new (spec);
  GArray *kept =
    kontor_mail_threads_collapse (rows, row_part, sizeof (Row), row_clear, row_add_member);
  g_autofree char *got = NULL;

  g_array_set_clear_func (kept, row_clear);
  got = describe (kept);
  g_assert_cmpstr (got, ==, expected);
  g_array_unref (kept);
}

static void
test_replies (void)
{
  /* Newest first: a reply of a reply, another thread, the reply, the first message. */
  const char *spec[] = { "c", "1 3 2 1 1 1 2", "x", "9 9 0", "b", "1 2 1 1 1", "a", "1 1 0", NULL };

  check (spec, "c+b+a | x");
}

static void
test_missing_middle (void)
{
  /* c refers to a and b; b is not in the folder, a is: still one conversation. */
  const char *spec[] = { "c", "5 3 2 5 1 5 2", "a", "5 1 0", NULL };

  check (spec, "c+a");
}

static void
test_shared_reference (void)
{
  /* Two replies to the same absent message belong together. */
  const char *spec[] = { "r2", "7 2 1 7 1", "r1", "7 3 1 7 1", NULL };

  check (spec, "r2+r1");
}

static void
test_alone (void)
{
  /* No hashes at all (an empty part) and unrelated messages stay single rows. */
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));
  Row a = { g_strdup ("n"), g_strdup ("0 0 0"), NULL };
  Row b = { g_strdup ("m"), NULL, NULL };
  Row c = { g_strdup ("k"), g_strdup ("4 4 0"), NULL };
  GArray *kept;
  g_autofree char *got = NULL;

  g_array_set_clear_func (rows, row_clear);
  g_array_append_val (rows, a);
  g_array_append_val (rows, b);
  g_array_append_val (rows, c);
  kept = kontor_mail_threads_collapse (rows, row_part, sizeof (Row), row_clear, row_add_member);
  g_array_set_clear_func (kept, row_clear);
  got = describe (kept);
  g_assert_cmpstr (got, ==, "n | m | k");
  g_array_unref (kept);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kontor/mail-threads/replies", test_replies);
  g_test_add_func ("/kontor/mail-threads/missing-middle", test_missing_middle);
  g_test_add_func ("/kontor/mail-threads/shared-reference", test_shared_reference);
  g_test_add_func ("/kontor/mail-threads/alone", test_alone);
  return g_test_run ();
}
