/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-completion-result.c: an immutable completion (name, address, where it came
 * from, rank), and how the results of all sources become one list: best rank first,
 * one result per address. */
#define G_LOG_DOMAIN "kontor-completion"

#include "config.h"

#include <string.h>

#include <camel/camel.h>

#include "kontor-completion-result.h"

struct _KontorCompletionResult
{
  GObject parent_instance;

  char *name;
  char *address;
  char *source_name;
  KontorCompletionOrigin origin;
  double rank;
};

G_DEFINE_FINAL_TYPE (KontorCompletionResult, kontor_completion_result, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_SOURCE_NAME,
  PROP_ORIGIN,
  PROP_RANK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kontor_completion_result_finalize (GObject *object)
{
  KontorCompletionResult *self = KONTOR_COMPLETION_RESULT (object);

  g_free (self->name);
  g_free (self->address);
  g_free (self->source_name);

  G_OBJECT_CLASS (kontor_completion_result_parent_class)->finalize (object);
}

static void
kontor_completion_result_get_property (GObject *object,
                                       guint prop_id,
                                       GValue *value,
                                       GParamSpec *pspec)
{
  KontorCompletionResult *self = KONTOR_COMPLETION_RESULT (object);

  switch (prop_id)
    {
      case PROP_NAME:
        g_value_set_string (value, self->name);
        break;
      case PROP_ADDRESS:
        g_value_set_string (value, self->address);
        break;
      case PROP_SOURCE_NAME:
        g_value_set_string (value, self->source_name);
        break;
      case PROP_ORIGIN:
        g_value_set_uint (value, self->origin);
        break;
      case PROP_RANK:
        g_value_set_double (value, self->rank);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_completion_result_set_property (GObject *object,
                                       guint prop_id,
                                       const GValue *value,
                                       GParamSpec *pspec)
{
  KontorCompletionResult *self = KONTOR_COMPLETION_RESULT (object);

  switch (prop_id)
    {
      case PROP_NAME:
        self->name = g_value_dup_string (value);
        break;
      case PROP_ADDRESS:
        self->address = g_value_dup_string (value);
        break;
      case PROP_SOURCE_NAME:
        self->source_name = g_value_dup_string (value);
        break;
      case PROP_ORIGIN:
        self->origin = g_value_get_uint (value);
        break;
      case PROP_RANK:
        self->rank = g_value_get_double (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_completion_result_class_init (KontorCompletionResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kontor_completion_result_finalize;
  object_class->get_property = kontor_completion_result_get_property;
  object_class->set_property = kontor_completion_result_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", flags);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE_NAME] = g_param_spec_string ("source-name", NULL, NULL, NULL, flags);
  properties[PROP_ORIGIN] = g_param_spec_uint (
    "origin", NULL, NULL, KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK, KONTOR_COMPLETION_ORIGIN_RECENT,
    KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK, flags);
  properties[PROP_RANK] = g_param_spec_double ("rank", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_completion_result_init (KontorCompletionResult *self)
{
}

/**
 * kontor_completion_result_new:
 * @name: (nullable): the display name, "" or %NULL when none is known
 * @rank: higher ranks come first; recent recipients rank above 1, address books below
 */
KontorCompletionResult *
kontor_completion_result_new (const char *name,
                              const char *address,
                              const char *source_name,
                              KontorCompletionOrigin origin,
                              double rank)
{
  g_return_val_if_fail (address != NULL, NULL);

  return g_object_new (KONTOR_TYPE_COMPLETION_RESULT, "name", name ? name : "", "address", address,
                       "source-name", source_name, "origin", origin, "rank", rank, NULL);
}

/* Returns: the display name; "" when none is known */
const char *
kontor_completion_result_get_name (KontorCompletionResult *self)
{
  g_return_val_if_fail (KONTOR_IS_COMPLETION_RESULT (self), NULL);
  return self->name;
}

const char *
kontor_completion_result_get_address (KontorCompletionResult *self)
{
  g_return_val_if_fail (KONTOR_IS_COMPLETION_RESULT (self), NULL);
  return self->address;
}

/* Returns: the address book's display name, or "Recent" for recent recipients */
const char *
kontor_completion_result_get_source_name (KontorCompletionResult *self)
{
  g_return_val_if_fail (KONTOR_IS_COMPLETION_RESULT (self), NULL);
  return self->source_name;
}

KontorCompletionOrigin
kontor_completion_result_get_origin (KontorCompletionResult *self)
{
  g_return_val_if_fail (KONTOR_IS_COMPLETION_RESULT (self), 0);
  return self->origin;
}

double
kontor_completion_result_get_rank (KontorCompletionResult *self)
{
  g_return_val_if_fail (KONTOR_IS_COMPLETION_RESULT (self), 0);
  return self->rank;
}

/* Returns: (transfer full): "Name <address>", quoted where RFC 5322 needs it, for a
 * recipient field */
char *
kontor_completion_result_to_rfc822 (KontorCompletionResult *self)
{
  g_return_val_if_fail (KONTOR_IS_COMPLETION_RESULT (self), NULL);
  return camel_internet_address_format_address (*self->name ? self->name : NULL, self->address);
}

/* Best first: rank, then name, then address, so equal ranks read alphabetically. */
int
kontor_completion_result_compare (KontorCompletionResult *a, KontorCompletionResult *b)
{
  g_autofree char *a_key = NULL;
  g_autofree char *b_key = NULL;
  int order;

  if (a->rank != b->rank)
    return a->rank > b->rank ? -1 : 1;
  a_key = g_utf8_collate_key (*a->name ? a->name : a->address, -1);
  b_key = g_utf8_collate_key (*b->name ? b->name : b->address, -1);
  order = strcmp (a_key, b_key);
  return order != 0 ? order : g_ascii_strcasecmp (a->address, b->address);
}

static gpointer
ref_result (gconstpointer result, gpointer user_data)
{
  return g_object_ref ((gpointer) result);
}

static int
compare_pointers (gconstpointer a, gconstpointer b)
{
  return kontor_completion_result_compare (*(KontorCompletionResult **) a,
                                           *(KontorCompletionResult **) b);
}

/* The name the user saved in an address book wins over one seen in a recipient field;
 * otherwise the better-ranked result's, unless it has none. */
static gboolean
has_better_name (KontorCompletionResult *kept,
                 gboolean kept_name_from_book,
                 KontorCompletionResult *other)
{
  if (*other->name == '\0')
    return FALSE;
  if (*kept->name == '\0')
    return TRUE;
  return !kept_name_from_book && other->origin == KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK;
}

/**
 * kontor_completion_results_merge:
 * @results: results of every source, in any order, possibly for the same address
 * @limit: the most to return, 0 for all
 *
 * Sorts best first and keeps one result per address (compared without case): the
 * best-ranked one, with the best name any of them had.
 *
 * Returns: (transfer full) (element-type KontorCompletionResult): a new array
 */
GPtrArray *
kontor_completion_results_merge (GPtrArray *results, guint limit)
{
  g_autoptr (GPtrArray) sorted = g_ptr_array_copy (results, ref_result, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *merged = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) name_from_book = g_array_new (FALSE, FALSE, sizeof (gboolean));

  g_ptr_array_set_free_func (sorted, g_object_unref);
  g_ptr_array_sort (sorted, compare_pointers);

  for (guint i = 0; i < sorted->len; i++)
    {
      KontorCompletionResult *result = sorted->pdata[i];
      char *key = g_utf8_casefold (result->address, -1);
      gpointer index;

      if (g_hash_table_lookup_extended (seen, key, NULL, &index))
        {
          guint at = GPOINTER_TO_UINT (index);
          KontorCompletionResult *kept = merged->pdata[at];
          gboolean *from_book = &g_array_index (name_from_book, gboolean, at);

          if (has_better_name (kept, *from_book, result))
            {
              merged->pdata[at] = kontor_completion_result_new (
                result->name, kept->address, kept->source_name, kept->origin, kept->rank);
              *from_book = result->origin == KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK;
              g_object_unref (kept);
            }
          g_free (key);
          continue;
        }
      g_hash_table_insert (seen, key, GUINT_TO_POINTER (merged->len));
      g_ptr_array_add (merged, g_object_ref (result));
      g_array_append_vals (
        name_from_book, &(gboolean){ result->origin == KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK }, 1);
    }

  if (limit > 0 && merged->len > limit)
    g_ptr_array_set_size (merged, limit);
  return merged;
}
