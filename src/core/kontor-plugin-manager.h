/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-plugin-manager.h: finds, loads, enables and routes to the installed plugins. */
#pragma once

#include <gio/gio.h>

#include "kontor-context.h"
#include "kontor-plugin-info.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_PLUGIN_MANAGER (kontor_plugin_manager_get_type ())

G_DECLARE_FINAL_TYPE (KontorPluginManager, kontor_plugin_manager, KONTOR, PLUGIN_MANAGER, GObject)

const char *kontor_plugin_manager_get_default_directory (void);
KontorPluginManager *kontor_plugin_manager_new (KontorContext *context, const char *directory);
const char *kontor_plugin_manager_get_directory (KontorPluginManager *self);
void kontor_plugin_manager_load_all (KontorPluginManager *self);
void kontor_plugin_manager_unload_all (KontorPluginManager *self);
KontorPluginInfo *kontor_plugin_manager_lookup (KontorPluginManager *self, const char *id);
gboolean kontor_plugin_manager_set_enabled (KontorPluginManager *self,
                                            const char *id,
                                            gboolean enabled,
                                            GError **error);
void kontor_plugin_manager_route_async (KontorPluginManager *self,
                                        const char *uri,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
KontorPluginInfo *kontor_plugin_manager_route_finish (KontorPluginManager *self,
                                                      GAsyncResult *result,
                                                      char **out_uri,
                                                      GError **error);

G_END_DECLS
