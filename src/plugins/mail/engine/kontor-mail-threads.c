/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-threads.c: conversations for the message list. Camel's summary keeps,
 * per message, a hash of its Message-ID and of each References/In-Reply-To entry
 * ("HI LO COUNT HI LO ..." in the "part" column); messages linked through any of them
 * are one conversation (union-find over the hashes), shown as its top message in the
 * list's order with the others as members. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <stdlib.h>

#include "kontor-mail-threads.h"

static guint64
find (GHashTable *parents, guint64 key)
{
  guint64 root = key;
  gpointer value;

  while (g_hash_table_lookup_extended (parents, &root, NULL, &value) && *(guint64 *) value != root)
    root = *(guint64 *) value;
  return root;
}

static guint64 *
key_new (guint64 value)
{
  guint64 *key = g_new (guint64, 1);

  *key = value;
  return key;
}

static void
unite (GHashTable *parents, guint64 a, guint64 b)
{
  guint64 ra = find (parents, a), rb = find (parents, b);

  if (ra != rb)
    g_hash_table_insert (parents, key_new (rb), key_new (ra));
}

static void
ensure (GHashTable *parents, guint64 key)
{
  if (!g_hash_table_contains (parents, &key))
    g_hash_table_insert (parents, key_new (key), key_new (key));
}

/* The message's own hash first, then its references; an empty array when unknown. */
static GArray *
parse_part (const char *part)
{
  GArray *hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  char *end = NULL;
  guint64 hi, lo, count;

  if (part == NULL)
    return hashes;
  hi = g_ascii_strtoull (part, &end, 10);
  lo = g_ascii_strtoull (end, &end, 10);
  count = g_ascii_strtoull (end, &end, 10);
  if (hi != 0 || lo != 0)
    {
      guint64 own = (hi << 32) | lo;

      g_array_append_val (hashes, own);
    }
  for (guint64 i = 0; i < count && end != NULL && *end != '\0'; i++)
    {
      guint64 ref;

      hi = g_ascii_strtoull (end, &end, 10);
      lo = g_ascii_strtoull (end, &end, 10);
      ref = (hi << 32) | lo;
      if (ref != 0)
        g_array_append_val (hashes, ref);
    }
  return hashes;
}

GArray *
kontor_mail_threads_collapse (GArray *entries,
                              const char *const *(*part_of) (gpointer entry),
                              guint entry_size,
                              GDestroyNotify clear,
                              void (*add_member) (gpointer top, gpointer member))
{
  g_autoptr (GHashTable) parents =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr (GHashTable) tops = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GPtrArray) roots = g_ptr_array_new_with_free_func (g_free);
  GArray *kept = g_array_sized_new (FALSE, FALSE, entry_size, entries->len);
  GPtrArray *hashes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint i = 0; i < entries->len; i++)
    {
      gpointer entry = entries->data + (gsize) i * entry_size;
      GArray *own = parse_part (*part_of (entry));

      for (guint j = 0; j < own->len; j++)
        {
          ensure (parents, g_array_index (own, guint64, j));
          if (j > 0)
            unite (parents, g_array_index (own, guint64, 0), g_array_index (own, guint64, j));
        }
      g_ptr_array_add (hashes, own);
    }
  /* Entries are in display order: the first of each conversation is its top row. */
  for (guint i = 0; i < entries->len; i++)
    {
      gpointer entry = entries->data + (gsize) i * entry_size;
      GArray *own = g_ptr_array_index (hashes, i);
      guint64 *root;
      gpointer top_index;

      if (own->len == 0)
        {
          g_array_append_vals (kept, entry, 1);
          continue;
        }
      root = key_new (find (parents, g_array_index (own, guint64, 0)));
      if (g_hash_table_lookup_extended (tops, root, NULL, &top_index))
        {
          add_member (kept->data + (gsize) GPOINTER_TO_UINT (top_index) * entry_size, entry);
          clear (entry);
          g_free (root);
          continue;
        }
      g_hash_table_insert (tops, root, GUINT_TO_POINTER (kept->len));
      g_ptr_array_add (roots, root);
      g_array_append_vals (kept, entry, 1);
    }
  g_ptr_array_unref (hashes);
  /* The entries moved into kept or were cleared: the old array only frees itself. */
  g_array_set_clear_func (entries, NULL);
  g_array_unref (entries);
  return kept;
}
