/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-summary.h: message list rows read straight from a store's summary
 * database, a screenful at a time, without opening the folder or loading its infos. */
#pragma once

#include <camel/camel.h>

G_BEGIN_DECLS

/* A message's date in the summary table: when it was sent, else when it arrived. */
#define KONTOR_MAIL_SUMMARY_DATE "CASE WHEN dsent > 0 THEN dsent ELSE dreceived END"

gboolean kontor_mail_summary_select_rows (CamelStore *store,
                                          const char *sql,
                                          CamelDBSelectCB callback,
                                          gpointer data,
                                          GError **error);

GPtrArray *kontor_mail_summary_read_newest (CamelStore *store,
                                            const char *full_name,
                                            const char *folder_id,
                                            const char *where,
                                            guint limit,
                                            GError **error);
GPtrArray *kontor_mail_summary_read_uids (CamelStore *store,
                                          const char *full_name,
                                          const char *folder_id,
                                          const char *const *uids,
                                          GError **error);

gboolean kontor_mail_summary_select (CamelStore *store,
                                     const char *full_name,
                                     const char *where,
                                     GPtrArray *uids,
                                     GArray *dates,
                                     GError **error);

G_END_DECLS
