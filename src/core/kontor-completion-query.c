/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-completion-query.c: "mull" finds "Müller", "DOE" finds "Jane Doe" and
 * "jane.doe@example.org". Text is folded (compatibility decomposition, marks
 * dropped, case folded) rather than transliterated to ASCII, so names in other scripts
 * match too; each typed word must begin a different word of the name, or the text
 * must begin the address or a word of its local part. */
#define G_LOG_DOMAIN "kontor-completion"

#include "config.h"

#include <string.h>

#include "kontor-completion-query.h"

/* Returns: (transfer full): @text without accents and case, for comparing */
char *
kontor_completion_fold (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_autofree char *decomposed = g_utf8_normalize (valid, -1, G_NORMALIZE_ALL);
  g_autoptr (GString) bare = g_string_sized_new (strlen (decomposed));

  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (g_unichar_type (c))
        {
          case G_UNICODE_NON_SPACING_MARK:
          case G_UNICODE_SPACING_MARK:
          case G_UNICODE_ENCLOSING_MARK:
            break;
          default:
            g_string_append_unichar (bare, c);
        }
    }
  return g_utf8_casefold (bare->str, bare->len);
}

/* Words are runs of letters and digits: "O'Brien" is "o" and "brien". */
static GPtrArray *
split_words (const char *folded, const char *end)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *start = NULL;

  for (const char *p = folded;; p = g_utf8_next_char (p))
    {
      gboolean at_end = (end ? p >= end : *p == '\0');
      gboolean in_word = !at_end && g_unichar_isalnum (g_utf8_get_char (p));

      if (in_word && start == NULL)
        start = p;
      else if (!in_word && start != NULL)
        {
          g_ptr_array_add (words, g_strndup (start, p - start));
          start = NULL;
        }
      if (at_end)
        break;
    }
  return words;
}

/**
 * kontor_completion_query_new:
 *
 * Returns: (transfer full) (nullable): the query, or %NULL when @text has nothing to
 * match (no letter or digit)
 */
KontorCompletionQuery *
kontor_completion_query_new (const char *text)
{
  g_autofree char *folded = kontor_completion_fold (text);
  g_autoptr (GPtrArray) words = split_words (folded, NULL);
  KontorCompletionQuery *query;

  if (words->len == 0)
    return NULL;
  g_ptr_array_add (words, NULL);

  query = g_new0 (KontorCompletionQuery, 1);
  query->folded = g_strdup (g_strstrip (folded));
  query->words = (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
  return query;
}

void
kontor_completion_query_free (KontorCompletionQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->folded);
  g_strfreev (query->words);
  g_free (query);
}

/* Each typed word begins a different word of @words; TRUE in *first when the first
 * typed word begins the first one. */
static gboolean
words_match (char **typed, GPtrArray *words, gboolean *first)
{
  g_autofree gboolean *used = g_new0 (gboolean, words->len + 1);

  *first = FALSE;
  for (guint t = 0; typed[t] != NULL; t++)
    {
      guint w;

      for (w = 0; w < words->len; w++)
        if (!used[w] && g_str_has_prefix (words->pdata[w], typed[t]))
          break;
      if (w == words->len)
        return FALSE;
      used[w] = TRUE;
      if (t == 0 && w == 0)
        *first = TRUE;
    }
  return TRUE;
}

KontorCompletionMatch
kontor_completion_query_match (const KontorCompletionQuery *query,
                               const char *folded_name,
                               const char *folded_address)
{
  g_autoptr (GPtrArray) name_words = split_words (folded_name ? folded_name : "", NULL);
  const char *at = folded_address ? strrchr (folded_address, '@') : NULL;
  g_autoptr (GPtrArray) local_words = NULL;
  gboolean first;

  g_return_val_if_fail (query != NULL, KONTOR_COMPLETION_MATCH_NONE);

  if (folded_address != NULL && g_str_has_prefix (folded_address, query->folded))
    return KONTOR_COMPLETION_MATCH_START;
  if (words_match (query->words, name_words, &first))
    return first ? KONTOR_COMPLETION_MATCH_START : KONTOR_COMPLETION_MATCH_WORD;

  if (folded_address == NULL)
    return KONTOR_COMPLETION_MATCH_NONE;
  local_words = split_words (folded_address, at);
  if (words_match (query->words, local_words, &first))
    return KONTOR_COMPLETION_MATCH_WORD;
  return KONTOR_COMPLETION_MATCH_NONE;
}
