/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-plugin-info.h: what the shell knows of one installed plugin, loaded or not. */
#pragma once

#include <glib-object.h>

#include "kontor-plugin.h"

G_BEGIN_DECLS

typedef enum
{
  KONTOR_PLUGIN_STATE_LOADED,
  KONTOR_PLUGIN_STATE_DISABLED,
  KONTOR_PLUGIN_STATE_FAILED,
} KontorPluginState;

#define KONTOR_TYPE_PLUGIN_INFO (kontor_plugin_info_get_type ())

G_DECLARE_FINAL_TYPE (KontorPluginInfo, kontor_plugin_info, KONTOR, PLUGIN_INFO, GObject)

KontorPluginInfo *kontor_plugin_info_new (const char *id, const char *module_path);
const char *kontor_plugin_info_get_id (KontorPluginInfo *self);
const char *kontor_plugin_info_get_module_path (KontorPluginInfo *self);
const char *kontor_plugin_info_get_title (KontorPluginInfo *self);
const char *kontor_plugin_info_get_icon_name (KontorPluginInfo *self);
int kontor_plugin_info_get_order (KontorPluginInfo *self);
KontorPluginState kontor_plugin_info_get_state (KontorPluginInfo *self);
const char *kontor_plugin_info_get_state_name (KontorPluginInfo *self);
const char *kontor_plugin_info_get_error_message (KontorPluginInfo *self);
KontorPlugin *kontor_plugin_info_get_plugin (KontorPluginInfo *self);

/* Used by KontorPluginManager only. */
void kontor_plugin_info_set_plugin (KontorPluginInfo *self, KontorPlugin *plugin);
void kontor_plugin_info_set_state (KontorPluginInfo *self,
                                   KontorPluginState state,
                                   const char *error_message);

G_END_DECLS
