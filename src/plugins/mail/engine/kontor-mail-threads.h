/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-threads.h: groups a sorted message list into conversations. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GArray *kontor_mail_threads_collapse (GArray *entries,
                                      const char *const *(*part_of) (gpointer entry),
                                      guint entry_size,
                                      GDestroyNotify clear,
                                      void (*add_member) (gpointer top, gpointer member));

G_END_DECLS
