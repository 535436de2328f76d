/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-completion-query.h: what the user typed, folded for matching names and
 * addresses without regard to case or accents. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  KONTOR_COMPLETION_MATCH_NONE,
  KONTOR_COMPLETION_MATCH_WORD,  /* a later word of the name or the address */
  KONTOR_COMPLETION_MATCH_START, /* the name's first word or the address's start */
} KontorCompletionMatch;

typedef struct
{
  char *folded; /* the whole text, folded */
  char **words; /* its words, folded */
} KontorCompletionQuery;

char *kontor_completion_fold (const char *text);
KontorCompletionQuery *kontor_completion_query_new (const char *text);
void kontor_completion_query_free (KontorCompletionQuery *query);
KontorCompletionMatch kontor_completion_query_match (const KontorCompletionQuery *query,
                                                     const char *folded_name,
                                                     const char *folded_address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorCompletionQuery, kontor_completion_query_free)

G_END_DECLS
