/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-first-run-bar.h: the bar that offers an account, or the demo, without one. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KONTOR_TYPE_FIRST_RUN_BAR (kontor_first_run_bar_get_type ())

G_DECLARE_FINAL_TYPE (KontorFirstRunBar, kontor_first_run_bar, KONTOR, FIRST_RUN_BAR, AdwBin)

KontorFirstRunBar *kontor_first_run_bar_new (void);
gboolean kontor_first_run_bar_get_revealed (KontorFirstRunBar *self);
void kontor_first_run_bar_set_revealed (KontorFirstRunBar *self, gboolean revealed);
void kontor_first_run_bar_set_demo_visible (KontorFirstRunBar *self, gboolean visible);

G_END_DECLS
