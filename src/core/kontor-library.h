/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-library.h: opens Kontor's private shared libraries on first need. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

const char *kontor_library_get_default_directory (void);
gpointer kontor_library_lookup (const char *library, const char *symbol, GError **error);

G_END_DECLS
