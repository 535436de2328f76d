/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-completion-result.h: one address offered while the user types a recipient. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK,
  KONTOR_COMPLETION_ORIGIN_RECENT,
} KontorCompletionOrigin;

#define KONTOR_TYPE_COMPLETION_RESULT (kontor_completion_result_get_type ())

G_DECLARE_FINAL_TYPE (KontorCompletionResult,
                      kontor_completion_result,
                      KONTOR,
                      COMPLETION_RESULT,
                      GObject)

KontorCompletionResult *kontor_completion_result_new (const char *name,
                                                      const char *address,
                                                      const char *source_name,
                                                      KontorCompletionOrigin origin,
                                                      double rank);
const char *kontor_completion_result_get_name (KontorCompletionResult *self);
const char *kontor_completion_result_get_address (KontorCompletionResult *self);
const char *kontor_completion_result_get_source_name (KontorCompletionResult *self);
KontorCompletionOrigin kontor_completion_result_get_origin (KontorCompletionResult *self);
double kontor_completion_result_get_rank (KontorCompletionResult *self);
char *kontor_completion_result_to_rfc822 (KontorCompletionResult *self);

int kontor_completion_result_compare (KontorCompletionResult *a, KontorCompletionResult *b);
GPtrArray *kontor_completion_results_merge (GPtrArray *results, guint limit);

G_END_DECLS
