/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-search-result.h: one hit of the shell-wide search, opened through its URI. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KONTOR_TYPE_SEARCH_RESULT (kontor_search_result_get_type ())

G_DECLARE_FINAL_TYPE (KontorSearchResult, kontor_search_result, KONTOR, SEARCH_RESULT, GObject)

KontorSearchResult *kontor_search_result_new (const char *title,
                                              const char *subtitle,
                                              const char *icon_name,
                                              const char *uri);
const char *kontor_search_result_get_title (KontorSearchResult *self);
const char *kontor_search_result_get_subtitle (KontorSearchResult *self);
const char *kontor_search_result_get_icon_name (KontorSearchResult *self);
const char *kontor_search_result_get_uri (KontorSearchResult *self);

G_END_DECLS
