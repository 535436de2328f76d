/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-plugin.h: the contract between the shell and each plugin (Mail, Calendar, ...). */
#pragma once

#include <gio/gio.h>

#include "kontor-context.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_PLUGIN (kontor_plugin_get_type ())

G_DECLARE_INTERFACE (KontorPlugin, kontor_plugin, KONTOR, PLUGIN, GObject)

/**
 * KontorPluginInterface:
 * @load: called once the plugin is enabled; keep it cheap (no network, no disk
 *   scans): start-up must not wait for a plugin whose page is not shown.
 * @unload: cancel and free everything load() and the page started. Must be safe to
 *   call after a failed load().
 * @get_title: translated title shown in the view switcher.
 * @get_icon_name: symbolic icon for the view switcher.
 * @get_order: position among the plugins, lowest first (Mail 10, Calendar 20, ...).
 * @create_page: returns a new, floating GtkWidget. Called lazily, the first time the
 *   page is shown. The core is GTK-free, hence the GObject type.
 * @get_action_group: borrowed; inserted into the window under the plugin's id.
 * @get_uri_schemes: NULL-terminated; URI schemes the plugin opens ("mailto").
 * @get_mime_types: NULL-terminated; MIME types of files the plugin opens.
 * @open_uri: take @uri (one of the schemes or types above) and show it.
 * @search_async: find items matching @query for the shell-wide search; finishes with
 *   a GListModel of KontorSearchResult.
 * @export_dbus: export the plugin's D-Bus interface on @connection at @object_path.
 * @unexport_dbus: undo export_dbus().
 *
 * Only @get_title and @get_order are required.
 */
struct _KontorPluginInterface
{
  GTypeInterface parent_iface;

  gboolean (*load) (KontorPlugin *self, KontorContext *context, GError **error);
  void (*unload) (KontorPlugin *self);

  const char *(*get_title) (KontorPlugin *self);
  const char *(*get_icon_name) (KontorPlugin *self);
  int (*get_order) (KontorPlugin *self);

  GObject *(*create_page) (KontorPlugin *self);
  GActionGroup *(*get_action_group) (KontorPlugin *self);

  const char *const *(*get_uri_schemes) (KontorPlugin *self);
  const char *const *(*get_mime_types) (KontorPlugin *self);
  gboolean (*open_uri) (KontorPlugin *self, const char *uri, GError **error);

  void (*search_async) (KontorPlugin *self,
                        const char *query,
                        GCancellable *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer user_data);
  GListModel *(*search_finish) (KontorPlugin *self, GAsyncResult *result, GError **error);

  gboolean (*export_dbus) (KontorPlugin *self,
                           GDBusConnection *connection,
                           const char *object_path,
                           GError **error);
  void (*unexport_dbus) (KontorPlugin *self);
};

gboolean kontor_plugin_load (KontorPlugin *self, KontorContext *context, GError **error);
void kontor_plugin_unload (KontorPlugin *self);
const char *kontor_plugin_get_title (KontorPlugin *self);
const char *kontor_plugin_get_icon_name (KontorPlugin *self);
int kontor_plugin_get_order (KontorPlugin *self);
GObject *kontor_plugin_create_page (KontorPlugin *self);
GActionGroup *kontor_plugin_get_action_group (KontorPlugin *self);
const char *const *kontor_plugin_get_uri_schemes (KontorPlugin *self);
const char *const *kontor_plugin_get_mime_types (KontorPlugin *self);
gboolean kontor_plugin_handles_uri (KontorPlugin *self, const char *uri, const char *content_type);
gboolean kontor_plugin_open_uri (KontorPlugin *self, const char *uri, GError **error);
void kontor_plugin_search_async (KontorPlugin *self,
                                 const char *query,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
GListModel *kontor_plugin_search_finish (KontorPlugin *self, GAsyncResult *result, GError **error);
gboolean kontor_plugin_export_dbus (KontorPlugin *self,
                                    GDBusConnection *connection,
                                    const char *object_path,
                                    GError **error);
void kontor_plugin_unexport_dbus (KontorPlugin *self);

G_END_DECLS
