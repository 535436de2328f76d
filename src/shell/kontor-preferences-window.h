/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-preferences-window.h: Preferences; for now the installed plugins. */
#pragma once

#include <adwaita.h>

#include "kontor-core.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_PREFERENCES_WINDOW (kontor_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (KontorPreferencesWindow,
                      kontor_preferences_window,
                      KONTOR,
                      PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

KontorPreferencesWindow *kontor_preferences_window_new (KontorPluginManager *plugin_manager);

G_END_DECLS
