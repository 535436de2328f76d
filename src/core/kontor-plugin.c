/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-plugin.c: dispatch of the plugin contract, with defaults for optional hooks. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include "kontor-error.h"
#include "kontor-plugin.h"
#include "kontor-search-result.h"

G_DEFINE_INTERFACE (KontorPlugin, kontor_plugin, G_TYPE_OBJECT)

static void
kontor_plugin_default_init (KontorPluginInterface *iface)
{
}

gboolean
kontor_plugin_load (KontorPlugin *self, KontorContext *context, GError **error)
{
  KontorPluginInterface *iface;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), FALSE);
  g_return_val_if_fail (KONTOR_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  return iface->load == NULL || iface->load (self, context, error);
}

void
kontor_plugin_unload (KontorPlugin *self)
{
  KontorPluginInterface *iface;

  g_return_if_fail (KONTOR_IS_PLUGIN (self));

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  if (iface->unload != NULL)
    iface->unload (self);
}

const char *
kontor_plugin_get_title (KontorPlugin *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), NULL);
  g_return_val_if_fail (KONTOR_PLUGIN_GET_IFACE (self)->get_title != NULL, NULL);

  return KONTOR_PLUGIN_GET_IFACE (self)->get_title (self);
}

const char *
kontor_plugin_get_icon_name (KontorPlugin *self)
{
  KontorPluginInterface *iface;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), NULL);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  return iface->get_icon_name ? iface->get_icon_name (self) : "application-x-addon-symbolic";
}

int
kontor_plugin_get_order (KontorPlugin *self)
{
  KontorPluginInterface *iface;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), 0);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  return iface->get_order ? iface->get_order (self) : G_MAXINT;
}

GObject *
kontor_plugin_create_page (KontorPlugin *self)
{
  KontorPluginInterface *iface;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), NULL);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  return iface->create_page ? iface->create_page (self) : NULL;
}

GActionGroup *
kontor_plugin_get_action_group (KontorPlugin *self)
{
  KontorPluginInterface *iface;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), NULL);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  return iface->get_action_group ? iface->get_action_group (self) : NULL;
}

const char *const *
kontor_plugin_get_uri_schemes (KontorPlugin *self)
{
  static const char *const none[] = { NULL };
  KontorPluginInterface *iface;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), none);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  return iface->get_uri_schemes ? iface->get_uri_schemes (self) : none;
}

const char *const *
kontor_plugin_get_mime_types (KontorPlugin *self)
{
  static const char *const none[] = { NULL };
  KontorPluginInterface *iface;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), none);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  return iface->get_mime_types ? iface->get_mime_types (self) : none;
}

/**
 * kontor_plugin_handles_uri:
 * @content_type: (nullable): the content type of the file @uri names, when it is one
 *
 * Whether @self declares the scheme of @uri or, for a file, a MIME type that
 * @content_type is or derives from (a plugin declaring text/calendar opens
 * application/ics files too when shared-mime-info says so).
 */
gboolean
kontor_plugin_handles_uri (KontorPlugin *self, const char *uri, const char *content_type)
{
  g_autofree char *scheme = NULL;
  const char *const *schemes;
  const char *const *types;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  scheme = g_uri_parse_scheme (uri);
  schemes = kontor_plugin_get_uri_schemes (self);
  for (guint i = 0; scheme != NULL && schemes[i] != NULL; i++)
    if (g_ascii_strcasecmp (schemes[i], scheme) == 0)
      return TRUE;

  if (content_type == NULL)
    return FALSE;

  types = kontor_plugin_get_mime_types (self);
  for (guint i = 0; types[i] != NULL; i++)
    {
      g_autofree char *declared = g_content_type_from_mime_type (types[i]);

      if (declared != NULL && g_content_type_is_a (content_type, declared))
        return TRUE;
    }

  return FALSE;
}

gboolean
kontor_plugin_open_uri (KontorPlugin *self, const char *uri, GError **error)
{
  KontorPluginInterface *iface;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  if (iface->open_uri == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED,
                   "The plugin “%s” cannot open “%s”", kontor_plugin_get_title (self), uri);
      return FALSE;
    }

  return iface->open_uri (self, uri, error);
}

void
kontor_plugin_search_async (KontorPlugin *self,
                            const char *query,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  KontorPluginInterface *iface;

  g_return_if_fail (KONTOR_IS_PLUGIN (self));
  g_return_if_fail (query != NULL);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  if (iface->search_async == NULL)
    {
      g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

      /* A plugin without a search hook simply has nothing to contribute. */
      g_task_set_source_tag (task, kontor_plugin_search_async);
      g_task_return_pointer (task, g_list_store_new (KONTOR_TYPE_SEARCH_RESULT), g_object_unref);
      return;
    }

  iface->search_async (self, query, cancellable, callback, user_data);
}

GListModel *
kontor_plugin_search_finish (KontorPlugin *self, GAsyncResult *result, GError **error)
{
  KontorPluginInterface *iface;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), NULL);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  if (g_async_result_is_tagged (result, kontor_plugin_search_async))
    return g_task_propagate_pointer (G_TASK (result), error);

  return iface->search_finish (self, result, error);
}

gboolean
kontor_plugin_export_dbus (KontorPlugin *self,
                           GDBusConnection *connection,
                           const char *object_path,
                           GError **error)
{
  KontorPluginInterface *iface;

  g_return_val_if_fail (KONTOR_IS_PLUGIN (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (g_variant_is_object_path (object_path), FALSE);

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  return iface->export_dbus == NULL || iface->export_dbus (self, connection, object_path, error);
}

void
kontor_plugin_unexport_dbus (KontorPlugin *self)
{
  KontorPluginInterface *iface;

  g_return_if_fail (KONTOR_IS_PLUGIN (self));

  iface = KONTOR_PLUGIN_GET_IFACE (self);
  if (iface->unexport_dbus != NULL)
    iface->unexport_dbus (self);
}
