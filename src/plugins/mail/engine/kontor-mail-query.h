/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-query.h: the mail search language of the search bar and Mail1.Search,
 * parsed once and turned into a Camel folder search expression, or an SQL condition
 * over the folder summary where that gives the same answer faster. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KontorMailQuery KontorMailQuery;

KontorMailQuery *kontor_mail_query_parse (const char *text, GError **error);
void kontor_mail_query_free (KontorMailQuery *query);
gboolean kontor_mail_query_is_empty (const KontorMailQuery *query);
gboolean kontor_mail_query_needs_body (const KontorMailQuery *query);
char *kontor_mail_query_to_sexp (const KontorMailQuery *query);
char *kontor_mail_query_to_sql (const KontorMailQuery *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorMailQuery, kontor_mail_query_free)

G_END_DECLS
