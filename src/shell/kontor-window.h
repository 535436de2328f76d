/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-window.h: the main window, one view per loaded plugin. */
#pragma once

#include <adwaita.h>

#include "kontor-application.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_WINDOW (kontor_window_get_type ())

G_DECLARE_FINAL_TYPE (KontorWindow, kontor_window, KONTOR, WINDOW, AdwApplicationWindow)

KontorWindow *kontor_window_new (KontorApplication *application);
const char *kontor_window_get_active_plugin (KontorWindow *self);
void kontor_window_show_plugin (KontorWindow *self, const char *plugin_id);
void kontor_window_show_toast (KontorWindow *self, const char *message);

G_END_DECLS
