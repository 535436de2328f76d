/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-plugin.c: a real KontorPlugin module for the plugin-host tests, built several
 * times with different PLUGIN_* definitions. It records what the host did to it and
 * exports io.github.kontor.Test1 so D-Bus tests can see what it was asked to open. */
#define G_LOG_DOMAIN "kontor-test-plugin"

#include "config.h"

#include <adwaita.h>

#include "kontor-core.h"

typedef struct
{
  GObject parent_instance;
  GSimpleActionGroup *actions;
  GDBusConnection *connection;
  guint registration_id;
  char *last_opened;
} TestPlugin;

typedef GObjectClass TestPluginClass;

static GType test_plugin_type;

static const char introspection_xml[] =
  "<node><interface name='io.github.kontor.Test1'>"
  "<property name='LastOpened" PLUGIN_SUFFIX "' type='s' access='read'/>"
  "</interface></node>";

static GVariant *
get_property_cb (GDBusConnection *connection,
                 const char *sender,
                 const char *object_path,
                 const char *interface_name,
                 const char *property_name,
                 GError **error,
                 gpointer user_data)
{
  TestPlugin *self = user_data;

  return g_variant_new_string (self->last_opened ? self->last_opened : "");
}

static const GDBusInterfaceVTable vtable = { NULL, get_property_cb, NULL };

static gboolean
test_plugin_load (KontorPlugin *plugin, KontorContext *context, GError **error)
{
  TestPlugin *self = (TestPlugin *) plugin;

  g_object_set_data (
    G_OBJECT (self), "load-count",
    GINT_TO_POINTER (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "load-count")) + 1));
  if (PLUGIN_FAILS)
    {
      g_set_error_literal (error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                           "the test plugin refuses to load");
      return FALSE;
    }
  g_object_set_data (G_OBJECT (self), "loaded", GINT_TO_POINTER (TRUE));
  return TRUE;
}

static void
test_plugin_unload (KontorPlugin *plugin)
{
  g_object_set_data (G_OBJECT (plugin), "loaded", GINT_TO_POINTER (FALSE));
}

static const char *
test_plugin_get_title (KontorPlugin *plugin)
{
  return PLUGIN_TITLE;
}

static const char *
test_plugin_get_icon_name (KontorPlugin *plugin)
{
  return PLUGIN_ICON;
}

static int
test_plugin_get_order (KontorPlugin *plugin)
{
  return PLUGIN_ORDER;
}

static GObject *
test_plugin_create_page (KontorPlugin *plugin)
{
  GtkWidget *page = adw_status_page_new ();

  g_object_set_data (G_OBJECT (plugin), "page-created", GINT_TO_POINTER (TRUE));
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), PLUGIN_ICON);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), PLUGIN_TITLE);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), "Test plugin " PLUGIN_ID);
  return G_OBJECT (page);
}

static GActionGroup *
test_plugin_get_action_group (KontorPlugin *plugin)
{
  return G_ACTION_GROUP (((TestPlugin *) plugin)->actions);
}

static const char *const *
test_plugin_get_uri_schemes (KontorPlugin *plugin)
{
  static const char *const schemes[] = { PLUGIN_SCHEME, NULL };
  return schemes;
}

static const char *const *
test_plugin_get_mime_types (KontorPlugin *plugin)
{
  static const char *const types[] = { PLUGIN_MIME_TYPE, NULL };
  return types;
}

static gboolean
test_plugin_open_uri (KontorPlugin *plugin, const char *uri, GError **error)
{
  TestPlugin *self = (TestPlugin *) plugin;

  g_free (self->last_opened);
  self->last_opened = g_strdup (uri);
  return TRUE;
}

static gboolean
test_plugin_export_dbus (KontorPlugin *plugin,
                         GDBusConnection *connection,
                         const char *object_path,
                         GError **error)
{
  TestPlugin *self = (TestPlugin *) plugin;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection_xml, error);

  if (info == NULL)
    return FALSE;
  self->registration_id =
    g_dbus_connection_register_object (connection, "/io/github/kontor/Kontor/test/" PLUGIN_ID,
                                       info->interfaces[0], &vtable, self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;
  self->connection = g_object_ref (connection);
  return TRUE;
}

static void
test_plugin_unexport_dbus (KontorPlugin *plugin)
{
  TestPlugin *self = (TestPlugin *) plugin;

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
}

static void
test_plugin_iface_init (gpointer g_iface, gpointer data)
{
  KontorPluginInterface *iface = g_iface;

  iface->load = test_plugin_load;
  iface->unload = test_plugin_unload;
  iface->get_title = test_plugin_get_title;
  iface->get_icon_name = test_plugin_get_icon_name;
  iface->get_order = test_plugin_get_order;
  iface->create_page = test_plugin_create_page;
  iface->get_action_group = test_plugin_get_action_group;
  iface->get_uri_schemes = test_plugin_get_uri_schemes;
  iface->get_mime_types = test_plugin_get_mime_types;
  iface->open_uri = test_plugin_open_uri;
  iface->export_dbus = test_plugin_export_dbus;
  iface->unexport_dbus = test_plugin_unexport_dbus;
}

static void
test_plugin_finalize (GObject *object)
{
  TestPlugin *self = (TestPlugin *) object;

  test_plugin_unexport_dbus (KONTOR_PLUGIN (object));
  g_clear_object (&self->actions);
  g_free (self->last_opened);
  G_OBJECT_CLASS (g_type_class_peek_parent (G_OBJECT_GET_CLASS (object)))->finalize (object);
}

static void
test_plugin_class_init (gpointer klass, gpointer data)
{
  G_OBJECT_CLASS (klass)->finalize = test_plugin_finalize;
}

static void
test_plugin_init (GTypeInstance *instance, gpointer klass)
{
  TestPlugin *self = (TestPlugin *) instance;
  g_autoptr (GSimpleAction) ping = g_simple_action_new ("ping", NULL);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (ping));
}

G_MODULE_EXPORT void g_io_module_load (GIOModule *module);
G_MODULE_EXPORT void g_io_module_unload (GIOModule *module);
G_MODULE_EXPORT char **g_io_module_query (void);

G_MODULE_EXPORT void
g_io_module_load (GIOModule *module)
{
  if (test_plugin_type == 0)
    {
      const GInterfaceInfo iface_info = { test_plugin_iface_init, NULL, NULL };

      test_plugin_type = g_type_register_static_simple (
        G_TYPE_OBJECT, "KontorTestPlugin" PLUGIN_SUFFIX, sizeof (TestPluginClass),
        test_plugin_class_init, sizeof (TestPlugin), test_plugin_init, 0);
      g_type_add_interface_static (test_plugin_type, KONTOR_TYPE_PLUGIN, &iface_info);
    }
  g_io_extension_point_implement (KONTOR_PLUGIN_EXTENSION_POINT, test_plugin_type, PLUGIN_ID, 0);
}

G_MODULE_EXPORT void
g_io_module_unload (GIOModule *module)
{
}

G_MODULE_EXPORT char **
g_io_module_query (void)
{
  return NULL;
}
